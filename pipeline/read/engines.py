"""PDF engines: a PDF's pages as ``pages.PageRecord``, read by PDFium (the default) or by pdfplumber.

Input: the bytes of a PDF and an engine name (``PDF_ENGINES``). Output: one record per
page, in order, or ``pages.PdfReadError`` (``corrupt_pdf``, ``encrypted_pdf``). The layout
reader (``pdf.py``) works on these records alone, never on an engine's own objects.

``pdfium`` (``pdfium_pages.py``, pypdfium2) is the default: PDFium parses the file in C++.
``pdfplumber`` (``plumber_pages.py``, pdfminer) is the reference the layout rules were
written against, many times slower. ``pages.py`` describes the records and how the two are
made to agree. Pages without a text layer are read by OCR (``ocr.py``, ``scan_book.py``) unless
``OCR_ENV`` is 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records hold numpy arrays: not loaded for a command's --help (cli imports PDF_ENGINES)
    from .pages import PageRecord

PDF_ENGINES = ("pdfium", "pdfplumber")
DEFAULT_PDF_ENGINE = "pdfium"
# Set to 0 to read no page by OCR (``ocr.py``), whatever is installed: ``extract --no-ocr`` sets it for its run.
OCR_ENV = "KAIGI_OCR"


def load_pages(data: bytes, engine: str = DEFAULT_PDF_ENGINE) -> Iterator[PageRecord]:
    """Yield the PDF's pages as records, read by ``engine``; raise ``PdfReadError`` when it cannot be read.

    Pages are read one at a time, as they are asked for. ``MemoryError`` propagates.
    """
    if engine == "pdfium":
        from .pdfium_pages import read_pdfium_pages as read
    elif engine == "pdfplumber":
        from .plumber_pages import read_plumber_pages as read
    else:
        raise ValueError(f"unknown PDF engine {engine!r} (one of {', '.join(PDF_ENGINES)})")
    return read(data)
