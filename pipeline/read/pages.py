"""Page records: what a PDF engine gives the layout reader, and the one place where engines are made to agree.

Input: nothing (the engines, ``pdfium_pages.py`` and ``plumber_pages.py``, build these
records; ``engines.py`` picks one). Output: ``PageRecord`` with its ``Chars`` and ``Shapes``,
``PdfReadError`` and its messages, and ``snap``, the grid every coordinate is put on.

A page record holds what the layout uses, in page points with the origin at the top left
of the page as displayed (its ``/Rotate`` applied), every value as pdfplumber gives it:

- ``chars``: the characters drawn, whitespace left out, in drawing order, as columns
  (``Chars``: one list or array a field, an entry a character; ``to_dicts`` gives the rows):
  ``text``, ``x0``, ``x1``, ``top``, ``bottom`` (the box from the glyph's advance width and
  the font's descent, one font size high), ``size`` (that height; the width for a vertical
  font), ``upright`` (not turned nor mirrored), ``fontname``. A glyph the font maps to no
  character reads ``(cid:NN)``. Columns, not a dict a character: the layout reads a page's
  characters as arrays (numpy), and nothing is built per character that it does not need.
- ``rects`` and ``lines``: rectangles and single straight segments of the paths painted, as
  columns too (``Shapes``: ``x0``, ``top``, ``x1``, ``bottom``, ``fill``, ``stroke``; a rect's
  ``height``; ``to_dicts`` gives pdfplumber's records with their ``object_type``); ``curves``:
  every other painted subpath, a dict each, with its end points ``pts`` and its operators
  ``path`` (``m``, ``l``, ``c``, ``h``), ``fill`` and ``stroke``.
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

- A minus sign of a CJK font (「2－7－1」 of an account code): PDFium gives U+FF0D (full-width
  hyphen-minus) where pdfminer gives U+2212 (minus sign), and both give U+FF0D where the font
  says so. The pdfplumber engine writes U+2212 as U+FF0D (``AGREED_GLYPHS``), so a name's
  printed text is the same with either engine.

Failures have the same status and message with either engine: the engine's own wording
(a pdfminer exception, a PDFium error code) is not kept, so that a document's row does not
depend on the engine that read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import floor

import numpy as np

BOX_TOLERANCE = 0.25  # points: how far the two engines' boxes of one row may stand apart
# Characters pdfminer reads as another code point of the mark PDFium gives (see above): "−" → "－"
AGREED_GLYPHS = {"\u2212": "\uff0d"}
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


CHAR_FIELDS = ("text", "x0", "x1", "top", "bottom", "size", "upright", "fontname")
BOX_FIELDS = ("x0", "x1", "top", "bottom", "size")  # the float columns of ``Chars``


@dataclass(frozen=True, slots=True, eq=False)
class Chars:
    """A page's characters as columns (see the module docstring): ``text`` and ``fontname`` lists,
    the box and ``size`` float arrays, ``upright`` a bool array, all as long as the page has characters."""

    text: list[str]
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    size: np.ndarray
    upright: np.ndarray
    fontname: list[str]

    def __len__(self) -> int:
        return len(self.text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chars):
            return NotImplemented
        return (self.text == other.text and self.fontname == other.fontname
                and all(np.array_equal(getattr(self, key), getattr(other, key)) for key in (*BOX_FIELDS, "upright")))

    __hash__ = None  # type: ignore[assignment]

    def take(self, keep: Sequence[int] | np.ndarray) -> Chars:
        """The characters at the places ``keep`` (indices, or a mask as long as the characters), in that order."""
        picked = np.asarray(keep)
        if picked.dtype == bool:
            picked = np.flatnonzero(picked)
        places = picked.tolist()
        text, fontname = self.text, self.fontname
        return Chars([text[i] for i in places], self.x0[picked], self.x1[picked], self.top[picked],
                     self.bottom[picked], self.size[picked], self.upright[picked], [fontname[i] for i in places])

    def to_dicts(self) -> list[dict]:
        """One dict a character, as pdfplumber gives its chars (the fields of ``CHAR_FIELDS``)."""
        columns = [self.text, self.x0.tolist(), self.x1.tolist(), self.top.tolist(), self.bottom.tolist(),
                   self.size.tolist(), self.upright.tolist(), self.fontname]
        return [dict(zip(CHAR_FIELDS, values)) for values in zip(*columns)]


def make_chars(text: list[str], x0: Iterable[float], x1: Iterable[float], top: Iterable[float],
               bottom: Iterable[float], size: Iterable[float], upright: Iterable[bool], fontname: list[str]) -> Chars:
    """``Chars`` from one sequence a field."""
    def floats(values: Iterable[float]) -> np.ndarray:
        return np.fromiter(values, np.float64, len(text))

    return Chars(text, floats(x0), floats(x1), floats(top), floats(bottom), floats(size),
                 np.fromiter(upright, bool, len(text)), fontname)


def make_chars_from_dicts(chars: Iterable[dict]) -> Chars:
    """``Chars`` from one dict a character (``fontname`` may be left out: it reads ``""``)."""
    rows = list(chars)
    return make_chars([ch["text"] for ch in rows], (ch["x0"] for ch in rows), (ch["x1"] for ch in rows),
                      (ch["top"] for ch in rows), (ch["bottom"] for ch in rows), (ch["size"] for ch in rows),
                      (bool(ch["upright"]) for ch in rows), [ch.get("fontname", "") for ch in rows])


def make_no_chars() -> Chars:
    """``Chars`` of a page without characters."""
    return make_chars([], (), (), (), (), (), (), [])


SHAPE_FIELDS = ("x0", "top", "x1", "bottom", "height", "fill", "stroke")


@dataclass(frozen=True, slots=True, eq=False)
class Shapes:
    """Rects and straight lines as columns (see the module docstring): ``rect`` tells a rect from a
    line, ``height`` is a rect's (0 for a line), ``fill`` and ``stroke`` are bool arrays."""

    rect: np.ndarray
    x0: np.ndarray
    top: np.ndarray
    x1: np.ndarray
    bottom: np.ndarray
    height: np.ndarray
    fill: np.ndarray
    stroke: np.ndarray

    def __len__(self) -> int:
        return len(self.rect)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Shapes):
            return NotImplemented
        return all(np.array_equal(getattr(self, key), getattr(other, key)) for key in ("rect", *SHAPE_FIELDS))

    __hash__ = None  # type: ignore[assignment]

    def to_dicts(self) -> list[dict]:
        """One dict a shape, as pdfplumber gives its rects and lines (a line without ``height``)."""
        out = []
        for rect, x0, top, x1, bottom, height, fill, stroke in zip(
                self.rect.tolist(), *(getattr(self, key).tolist() for key in SHAPE_FIELDS)):
            if rect:
                out.append({"object_type": "rect", "x0": x0, "top": top, "x1": x1, "bottom": bottom, "height": height,
                            "fill": fill, "stroke": stroke})
            else:
                out.append({"object_type": "line", "x0": x0, "top": top, "x1": x1, "bottom": bottom, "fill": fill,
                            "stroke": stroke})
        return out


def make_shapes(rect: bool, rows: list[tuple[float, float, float, float, float, bool, bool]]) -> Shapes:
    """``Shapes`` of rects (``rect``) or of lines, from one ``(x0, top, x1, bottom, height, fill, stroke)`` a shape."""
    n = len(rows)
    if not n:
        empty = np.zeros(0)
        return Shapes(np.zeros(0, dtype=bool), empty, empty, empty, empty, empty, np.zeros(0, dtype=bool),
                      np.zeros(0, dtype=bool))
    x0, top, x1, bottom, height, fill, stroke = np.array(rows, dtype=np.float64).T
    return Shapes(np.full(n, rect), x0, top, x1, bottom, height, fill != 0.0, stroke != 0.0)


def make_shapes_from_dicts(shapes: Iterable[dict]) -> Shapes:
    """``Shapes`` from pdfplumber's records of rects and lines (a line's ``height`` is not read)."""
    rows = list(shapes)
    n = len(rows)
    rect = np.fromiter((shape["object_type"] == "rect" for shape in rows), bool, n)

    def floats(key: str) -> np.ndarray:
        return np.fromiter((shape[key] for shape in rows), np.float64, n)

    height = np.fromiter((shape["height"] if shape["object_type"] == "rect" else 0.0 for shape in rows), np.float64, n)
    return Shapes(rect, floats("x0"), floats("top"), floats("x1"), floats("bottom"), height,
                  np.fromiter((bool(shape.get("fill")) for shape in rows), bool, n),
                  np.fromiter((bool(shape.get("stroke")) for shape in rows), bool, n))


def join_shapes(first: Shapes, then: Shapes) -> Shapes:
    """The shapes of ``first``, then those of ``then``."""
    return Shapes(*(np.concatenate([getattr(first, key), getattr(then, key)]) for key in ("rect", *SHAPE_FIELDS)))


def make_no_shapes() -> Shapes:
    """``Shapes`` of a page without rects (or lines)."""
    return make_shapes(False, [])


@dataclass(slots=True)
class PageRecord:
    """One page as the layout reader sees it (see the module docstring)."""

    number: int
    width: float
    height: float
    rotation: int = 0
    chars: Chars = field(default_factory=make_no_chars)
    rects: Shapes = field(default_factory=make_no_shapes)
    lines: Shapes = field(default_factory=make_no_shapes)
    curves: list[dict] = field(default_factory=list)
    has_text: bool = False
    images: int = 0
    page_count: int = 0


def snap(value: float) -> float:
    """A coordinate or size on the grid of every record: the nearest hundredth of a point (see the
    module docstring). Both engines build their records with it."""
    return floor(value * GRID + 0.5) / GRID
