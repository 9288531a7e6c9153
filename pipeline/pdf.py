"""PDF reader: PDF bytes to ``SourceDocument`` lines in reading order.

Input: the bytes of a PDF file. Output: a ``SourceDocument`` whose lines carry page and
bounding box, or a ``ReadFailure``.
"""

from __future__ import annotations

from .data import ReadFailure, SourceDocument
from .reader import compute_doc_id


def read_pdf_bytes(source: str, fmt: str, data: bytes) -> SourceDocument | ReadFailure:
    """Layout-aware PDF reading is not implemented yet: every PDF is reported, none is guessed at."""
    return ReadFailure(source, fmt, compute_doc_id(data), len(data), "unsupported_format",
                       "PDF reading is not implemented yet")
