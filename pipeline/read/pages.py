"""Page records: what a PDF engine gives the layout reader, and the one place where engines are made to agree.

Input: nothing (the engines, ``pdfium_pages.py`` and ``plumber_pages.py``, build these
records; ``engines.py`` picks one). Output: ``PageRecord``, ``PdfReadError`` and its
messages, and ``snap``, the grid every coordinate is put on.

A page record holds what the layout uses, in page points with the origin at the top left
of the page as displayed (its ``/Rotate`` applied), every value as pdfplumber gives it:

- ``chars``: one dict per character drawn, whitespace left out, in drawing order:
  ``text``, ``x0``, ``x1``, ``top``, ``bottom`` (the box from the glyph's advance width and
  the font's descent, one font size high), ``size`` (that height; the width for a vertical
  font), ``upright`` (not turned nor mirrored), ``fontname``. A glyph the font maps to no
  character reads ``(cid:NN)``.
- ``rects`` and ``lines``: rectangles and single straight segments of the paths painted
  (``object_type``, ``x0``, ``top``, ``x1``, ``bottom``, ``fill``, ``stroke``; a rect's
  ``height``); ``curves``: every other painted subpath, with its end points ``pts`` and its
  operators ``path`` (``m``, ``l``, ``c``, ``h``), ``fill`` and ``stroke``.
- ``has_text``: whether the page draws any text at all, whitespace included (whitespace is
  not in ``chars``: the layout makes spaces from gaps).
- ``images``: how many images the page draws; ``width``, ``height`` and ``rotation``.
- ``page_count``: how many pages the document has (for progress reports; the layout never reads it).

``pdfplumber`` (pdfminer's parser) is the reference; ``pdfium`` (``pypdfium2``) gives the
same records many times faster. The differences the two cannot avoid are dealt with here,
in one place (``pdfium_pages.py`` says where each comes from):

- Every coordinate and size is rounded to a hundredth of a point (``snap``, with which
  both engines build their records), the precision of the boxes written out. PDFium
  computes in single precision and pdfminer in double, so the same edge can come out
  0.0001 point apart; a line spacing of exactly 1.75 em, or two glyph sizes meant to be
  equal, would then fall on either side of a layout threshold by chance. Rounded, both
  engines give the layout the same numbers.
- PDFium keeps a font's widths in whole thousandths of the font size where a PDF may give
  fractions, so glyph positions along a line can drift apart by up to ``BOX_TOLERANCE``
  points: the boxes of the rows made from them agree to that, everything else exactly.

Failures have the same status and message with either engine: the engine's own wording
(a pdfminer exception, a PDFium error code) is not kept, so that a document's row does not
depend on the engine that read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import floor

BOX_TOLERANCE = 0.25  # points: how far the two engines' boxes of one row may stand apart
GRID = 100.0  # steps a point: every coordinate and size is a whole number of hundredths (``snap``)

# The messages of the failures (``PdfReadError``), the same with either engine.
ENCRYPTED = "the PDF is encrypted and needs a password"
DAMAGED = "the PDF cannot be parsed: the file is damaged, is not a PDF or has no pages"


def describe_damaged_page(number: int) -> str:
    return f"page {number}: the page cannot be parsed: its content is damaged"


class PdfReadError(Exception):
    """A PDF that cannot be read into lines; ``status`` names the reason."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class PageRecord:
    """One page as the layout reader sees it (see the module docstring)."""

    number: int
    width: float
    height: float
    rotation: int = 0
    chars: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    has_text: bool = False
    images: int = 0
    page_count: int = 0


def snap(value: float) -> float:
    """A coordinate or size on the grid of every record: the nearest hundredth of a point (see the
    module docstring). Both engines build their records with it."""
    return floor(value * GRID + 0.5) / GRID
