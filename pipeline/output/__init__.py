"""Output stage: ``DocumentResult`` records to the tables an analyst reads.

Input: document results. Output: Parquet tables written with the reviewed schemas in
``schemas/``, the budget history, the data package descriptor and CSV exports, every file
replaced whole.
"""
