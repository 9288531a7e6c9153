"""Read stage: files to ``SourceDocument`` lines (text in any of its encodings, PDF by layout, a
scanned budget book's ledger by OCR).

Input: a file under the input folder. Output: ``records.SourceDocument`` or ``records.ReadFailure``.
"""
