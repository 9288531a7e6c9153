"""Read stage: files to ``SourceDocument`` lines (text in any of its encodings, PDF by layout).

Input: a file under the input folder. Output: ``records.SourceDocument`` or ``records.ReadFailure``.
"""
