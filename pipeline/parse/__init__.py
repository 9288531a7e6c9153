"""Parse stage: a document's lines to programs and items.

Input: ``records.SourceDocument``. Output: ``records.DocumentResult``. Its modules, in order:
``lines`` (wrap repair), ``segment`` (an outline of program blocks), ``fields`` (budgets, rates,
flags, years), ``programs`` (blocks to records), ``document`` (the stages for one document).
"""
