"""The pdfplumber engine (``--pdf-engine pdfplumber``): pages as ``pages.PageRecord`` through pdfminer.

Input: PDF bytes. Output: one record per page, read when asked for, or ``PdfReadError``.
The reference engine: slower than PDFium (pdfminer parses every operator in Python), but its
records are the ones the layout rules and the tests were written against.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from .pages import (
    AGREED_GLYPHS,
    DAMAGED,
    ENCRYPTED,
    PageRecord,
    PdfReadError,
    describe_damaged_page,
    make_chars,
    make_shapes,
    snap,
)


def classify(exc: BaseException, number: int | None = None) -> PdfReadError:
    """Turn a pdfminer failure into ``PdfReadError``; re-raise running out of memory."""
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, MemoryError):  # out of memory is not a damaged file: too_large, from the caller
        raise inner
    if isinstance(inner, PDFEncryptionError):
        return PdfReadError("encrypted_pdf", ENCRYPTED)
    return PdfReadError("corrupt_pdf", DAMAGED if number is None else describe_damaged_page(number))


BOX_KEYS = ("x0", "x1", "top", "bottom", "size")


def make_record(page, number: int) -> PageRecord:
    """The record of one pdfplumber page (its objects parsed now), on the grid of ``pages.snap``."""
    objects = page.objects
    drawn = objects.get("char", [])
    kept = [ch for ch in drawn if ch["text"] and not ch["text"].isspace()]
    x0, x1, top, bottom, size = ([snap(ch[key]) for ch in kept] for key in BOX_KEYS)
    texts = [AGREED_GLYPHS.get(t, t) for t in (ch["text"] for ch in kept)]
    chars = make_chars(texts, x0, x1, top, bottom, size, [ch["upright"] for ch in kept],
                       [ch["fontname"] for ch in kept])
    rects = make_shapes(True, [(snap(r["x0"]), snap(r["top"]), snap(r["x1"]), snap(r["bottom"]), snap(r["height"]),
                                bool(r["fill"]), bool(r["stroke"])) for r in objects.get("rect", [])])
    lines = make_shapes(False, [(snap(r["x0"]), snap(r["top"]), snap(r["x1"]), snap(r["bottom"]), 0.0, bool(r["fill"]),
                                 bool(r["stroke"])) for r in objects.get("line", [])])
    curves = [{"object_type": "curve", "x0": snap(c["x0"]), "top": snap(c["top"]), "x1": snap(c["x1"]),
               "bottom": snap(c["bottom"]), "fill": bool(c["fill"]), "stroke": bool(c["stroke"]),
               "pts": [(snap(x), snap(y)) for x, y in c["pts"]],
               "path": [(op[0], *((snap(x), snap(y)) for x, y in op[1:])) for op in c["path"]]}
              for c in objects.get("curve", [])]
    return PageRecord(number, snap(float(page.width)), snap(float(page.height)), int(page.rotation), chars, rects, lines,
                      curves, bool(drawn), len(objects.get("image", [])))


def read_plumber_pages(data: bytes) -> Iterator[PageRecord]:
    """Yield the PDF's pages read by pdfplumber; raise ``PdfReadError`` when it cannot be read."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfReadError, MemoryError):
        raise
    except Exception as exc:
        raise classify(exc) from exc
    with pdf:
        try:
            pages = pdf.pages
        except MemoryError:
            raise
        except Exception as exc:
            raise classify(exc) from exc
        if not pages:
            raise PdfReadError("corrupt_pdf", DAMAGED)  # no pages: PDFium will not even open such a file
        for number, page in enumerate(pages, start=1):
            try:
                record = make_record(page, number)
            except MemoryError:
                raise
            except Exception as exc:  # pdfminer fails on a broken page
                raise classify(exc, number) from exc
            finally:
                page.close()
            record.page_count = len(pages)
            yield record
