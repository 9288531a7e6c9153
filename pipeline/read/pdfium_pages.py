"""The PDFium engine (the default): pages as ``pages.PageRecord`` through pypdfium2.

Input: PDF bytes. Output: one record per page, read when asked for, or ``PdfReadError``.
PDFium parses the file and lays out its text in C++; Python only asks it, character by
character and path by path, for what pdfminer would have said, and puts the answers in
pdfplumber's terms (``pages`` describes the record). What is asked for every character is
asked in a row, and the boxes are worked out as arrays (numpy), a column a field.

How each part of a record is had, and where PDFium and pdfminer part ways:

- Characters come from PDFium's text page (``FPDFText_*``). PDFium sorts the text objects of
  a line left to right and inserts spaces and line breaks of its own; the characters are
  put back in drawing order (the order of their text objects in the page's content, form
  XObjects where they are drawn, then their order in the object) and generated ones are
  left out with all whitespace. A glyph that PDFium finds no character for reads
  ``(cid:NN)``, as pdfminer writes it; several characters of one glyph (a ligature split
  up, a glyph mapped to a string) are one character again.
- A character's box is pdfminer's: from its origin, the glyph's advance width across
  (``FPDFFont_GetGlyphWidth``; the loose box for an unmapped glyph), and from the font's
  descent to one font size above it, through the character's matrix. PDFium keeps widths
  and descents as whole thousandths of the font size where a PDF may give fractions, so an
  edge can be a few hundredths of a point off, drifting along a line of proportional glyphs;
  a standard-14 font that is not embedded (``Helvetica``) takes the descent of Adobe's
  metrics, as pdfminer does. The widths a page asked for are kept for the next page while
  the page stays open (PDFium then hands the next page the same font objects). For a vertical font (Identity-V) the box is one font size
  across from the origin PDFium gives and the vertical advance down, and ``size`` its width;
  a vertical font squeezed by horizontal scaling (``Tz``) is boxed differently by the two.
- With a character spacing (``Tc``), pdfminer leaves the spacing out after the last glyph
  of a string, PDFium does not: the text drawn after such a string stands further right.
- PDFium's text page drops a text object that repeats one just before it (a bold look made
  by drawing twice, lines of glyphs without outlines); such an object is read again on a
  text page of its own, as pdfminer keeps it. A single glyph drawn twice on the spot PDFium
  reads once: only a count of characters can differ, the layout reads a double once anyway.
- PDFium and pdfminer map a few CJK glyphs without a text map to different code points
  (``〜`` U+301C against ``～`` U+FF5E, ``(cid:631)`` against ``~``); ``/ActualText`` spans
  are read as their text by PDFium and as their glyphs by pdfminer. PDFium marks a hyphen
  that ends a line in its own way, read back as ``-`` (a soft hyphen there too).
- Paths come from the page objects (``FPDFPath_*``), their points through the object's
  matrix and those of the forms that hold it, each subpath classified as pdfminer does: a
  single segment is a line, four segments that close an axis-aligned rectangle are a rect,
  anything else a curve. PDFium cannot tell ``m l l l h`` from ``m l l l l h`` (a closing
  segment drawn, then closed again): both read as the first, a rect.
- A font a PDF names but does not embed is one PDFium must find itself: it is given one folder,
  IPAexGothic's (``start_pdfium``), not the machine's fonts, so a page reads the same on any machine
  (pdfminer needs no font to read a character's text).
- Coordinates are in pdfplumber's frame: the page's ``/Rotate`` turned as pdfminer turns it,
  the origin at the top left of the MediaBox. PDFium computes in single precision where
  pdfminer uses double, a difference in the fifth significant digit.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterable, Iterator
from ctypes import string_at
from itertools import repeat
from math import floor

import numpy as np

try:  # the compiled core (``_pdfcore.c``), built by ``pip install``; without it, the Python code below
    from . import _pdfcore
except ImportError:  # pragma: no cover - a source tree without the built module
    _pdfcore = None  # type: ignore[assignment]
from .pages import (
    DAMAGED,
    ENCRYPTED,
    GRID,
    Chars,
    PageRecord,
    PdfReadError,
    Shapes,
    describe_damaged_page,
    make_no_chars,
    make_shapes,
    snap,
)

# Descents of the standard 14 fonts (and their Windows names) in Adobe's font metrics, per 1000:
# pdfminer uses these for a font so named, whatever the PDF says.
STANDARD_DESCENTS = {
    **{name: -194.0 for name in ("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "CourierNew",
                                  "CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic")},
    **{name: -207.0 for name in ("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Arial",
                                  "Arial,Italic", "Arial,Bold", "Arial,BoldItalic")},
    **{name: -217.0 for name in ("Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman", "TimesNewRoman",
                                  "TimesNewRoman,Italic", "TimesNewRoman,Bold", "TimesNewRoman,BoldItalic")},
    "Symbol": 0.0,
    "ZapfDingbats": 0.0,
}
# Alphabetic presentation forms that PDFium splits into letters: put back together.
LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "ſt": "\ufb05", "st": "\ufb06"}
# Code points of whitespace (all of them lie below U+3001): left out of the characters.
WHITESPACE = frozenset(i for i in range(0x3001) if chr(i).isspace())
HYPHEN_MARK = 0x2  # PDFium's code for a hyphen that ends a line
NO_CHARACTER = 0xFFFE  # what PDFium's page text holds for such a hyphen and for a glyph without a character

OBJ_TEXT, OBJ_PATH, OBJ_IMAGE, OBJ_FORM = 1, 2, 3, 5
SEG_LINETO, SEG_BEZIERTO, SEG_MOVETO = 0, 1, 2
# A path's segments as PDFium holds them, one after another (``CFX_Path::Point``): x and y as
# floats, the segment type (``SEG_*``) and the close flag as bytes, two bytes of padding.
POINT = struct.Struct("<ffBB2x")
TWO_POINTS = struct.Struct("<" + "ffBB2x" * 2)  # a move and a line: a ruling line
FIVE_POINTS = struct.Struct("<" + "ffBB2x" * 5)  # a move, three lines and a closing line: a rectangle
# A path's fill and stroke flags (``FPDFPath_GetDrawMode``) and its matrix (``FS_MATRIX``), as
# ``read_paths`` has PDFium write them into one buffer, read at once.
PATH_STATE = struct.Struct("<ii6f")
# ctypes' own ``string_at``, without the Python function that wraps it (called for every path)
ctypes_string_at = getattr(ctypes, "_string_at", string_at)
# The compiled core, or None for the Python code alone (a test sets it so): it walks a page's objects
# (``PageObjects``), asks for every character's text object, map error and origin (``collect_chars``) and
# reads the paths that are one ruling line or one rectangle (``read_paths``), calling PDFium's functions
# by the addresses pypdfium2's bindings hold (``Api``).
CORE = _pdfcore

Matrix = tuple[float, float, float, float, float, float]
ShapeRow = tuple[float, float, float, float, float, bool, bool]  # a rect or line: x0, top, x1, bottom, height, fill, stroke


class Api:
    """PDFium functions with plain types (handles as integers): cheaper to call per character.

    They are called as ``ctypes.PYFUNCTYPE`` functions, holding Python's lock: a call of a few
    microseconds does not pay for letting it go and taking it back (thousands of calls a page).
    """

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        c_void_p, c_int, c_uint, c_double, c_float = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float

        def bind(name: str, restype, *argtypes):
            address = ctypes.cast(getattr(pdfium_c, name), c_void_p).value or 0
            return ctypes.PYFUNCTYPE(restype, *argtypes)(address)

        # Asked once for every character, object or path: no argument types to convert on each call.
        # A handle or an out-parameter is passed as a ctypes object (the text page as a ``c_void_p``, an
        # object as a ``Handle``, an out-parameter by ``byref``), an index as a plain int, a float
        # argument as a ``c_float``; a handle comes back as an int (0 for none), or as a ``Handle``.
        self.text_object = bind("FPDFText_GetTextObject", ctypes.c_size_t)
        self.map_error = bind("FPDFText_HasUnicodeMapError", c_int)
        self.char_origin_of = bind("FPDFText_GetCharOrigin", c_int)
        self.font_size_of = bind("FPDFText_GetFontSize", c_double)
        self.glyph_width_of = bind("FPDFFont_GetGlyphWidth", c_int)
        self.object_of = bind("FPDFPage_GetObject", Handle)
        self.form_object_of = bind("FPDFFormObj_GetObject", Handle)
        self.type_of = bind("FPDFPageObj_GetType", c_int)
        self.segments_of = bind("FPDFPath_CountSegments", c_int)
        self.segment_of = bind("FPDFPath_GetPathSegment", c_void_p)
        self.draw_mode_of = bind("FPDFPath_GetDrawMode", c_int)
        self.matrix_of = bind("FPDFPageObj_GetMatrix", c_int)

        self.count_chars = bind("FPDFText_CountChars", c_int, c_void_p)
        self.char_matrix_to = bind("FPDFText_GetMatrix", c_int, c_void_p, c_int, c_void_p)
        self.get_unicode = bind("FPDFText_GetUnicode", c_uint, c_void_p, c_int)
        self.get_text = bind("FPDFText_GetText", c_int, c_void_p, c_int, c_int, c_void_p)
        self.is_generated = bind("FPDFText_IsGenerated", c_int, c_void_p, c_int)
        self.loose_box = bind("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, c_void_p)
        self.object_font = bind("FPDFTextObj_GetFont", c_void_p, c_void_p)
        self.font_descent = bind("FPDFFont_GetDescent", c_int, c_void_p, c_float, c_void_p)
        self.font_ascent = bind("FPDFFont_GetAscent", c_int, c_void_p, c_float, c_void_p)
        self.glyph_width = bind("FPDFFont_GetGlyphWidth", c_int, c_void_p, c_uint, c_float, c_void_p)
        self.font_name = bind("FPDFFont_GetBaseFontName", ctypes.c_size_t, c_void_p, c_void_p, ctypes.c_size_t)
        self.font_embedded = bind("FPDFFont_GetIsEmbedded", c_int, c_void_p)
        self.count_objects = bind("FPDFPage_CountObjects", c_int, c_void_p)
        self.count_form_objects = bind("FPDFFormObj_CountObjects", c_int, c_void_p)
        self.object_matrix = bind("FPDFPageObj_GetMatrix", c_int, c_void_p, c_void_p)
        self.get_segment = bind("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
        self.segment_point = bind("FPDFPathSegment_GetPoint", c_int, c_void_p, c_void_p, c_void_p)
        self.segment_type = bind("FPDFPathSegment_GetType", c_int, c_void_p)
        self.segment_close = bind("FPDFPathSegment_GetClose", c_int, c_void_p)
        self.media_box = bind("FPDFPage_GetMediaBox", c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
        self.bounding_box = bind("FPDF_GetPageBoundingBox", c_int, c_void_p, c_void_p)
        self.rotation = bind("FPDFPage_GetRotation", c_int, c_void_p)
        self.set_active = bind("FPDFPageObj_SetIsActive", c_int, c_void_p, c_int)
        self.load_page = bind("FPDF_LoadPage", c_void_p, c_void_p, c_int)
        self.close_page = bind("FPDF_ClosePage", None, c_void_p)
        self.load_text_page = bind("FPDFText_LoadPage", c_void_p, c_void_p)
        self.close_text_page = bind("FPDFText_ClosePage", None, c_void_p)
        self.object_bounds = bind("FPDFPageObj_GetBounds", c_int, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)
        # out-parameters, reused: (struct or value, its address)
        self.rect = pdfium_c.FS_RECTF()
        self.rect_at = ctypes.addressof(self.rect)
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_at = ctypes.addressof(self.matrix)
        self.d1, self.d2 = c_double(), c_double()
        self.d1_at, self.d2_at = ctypes.addressof(self.d1), ctypes.addressof(self.d2)
        self.f = [c_float() for _ in range(4)]
        self.f_at = [ctypes.addressof(v) for v in self.f]
        self.i1, self.i2 = c_int(), c_int()
        self.i1_at, self.i2_at = ctypes.addressof(self.i1), ctypes.addressof(self.i2)
        self.name = ctypes.create_string_buffer(256)
        self.name_at = ctypes.addressof(self.name)
        self.path_state = ctypes.create_string_buffer(PATH_STATE.size)
        self.text_buffer = np.zeros(4096, dtype="<u2")  # a page's text (``read_codes``), grown as needed
        # the same out-parameters by reference, for the functions without argument types
        self.matrix_ref = ctypes.byref(self.matrix)
        self.d1_ref, self.d2_ref = ctypes.byref(self.d1), ctypes.byref(self.d2)
        self.f2_ref = ctypes.byref(self.f[2])
        self.path_state_refs = tuple(ctypes.byref(self.path_state, offset) for offset in (0, 4, 8))
        self.thousand = c_float(1000.0)
        # whether a path's points may be read as PDFium lays them out (``POINT``): checked on the first path
        self.points_in_place: bool | None = None
        self.path_state_at = ctypes.addressof(self.path_state)
        if _pdfcore is not None:
            address = {name: ctypes.cast(getattr(pdfium_c, name), c_void_p).value or 0 for name in CORE_FUNCTIONS}
            _pdfcore.bind_functions(*(address[name] for name in CORE_FUNCTIONS))


# The PDFium functions the compiled core calls, in the order ``_pdfcore.bind_functions`` takes them.
CORE_FUNCTIONS = ("FPDFText_GetTextObject", "FPDFText_HasUnicodeMapError", "FPDFText_GetCharOrigin", "FPDFPage_GetObject",
                  "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment",
                  "FPDFPath_GetDrawMode", "FPDFPageObj_GetMatrix")


class Handle(ctypes.c_void_p):
    """A PDFium handle as ctypes gives it back (a subclass of ``c_void_p`` is not turned into an int):
    passed on as it is to the functions without argument types; its ``value`` is the address."""


API: Api | None = None
# The folders PDFium looks in for a font a PDF names but does not embed (「Ryumin-Light」, 「ＭＳ 明朝」), as the
# null-ended array of paths it keeps a pointer to: set once a process (``start_pdfium``), kept alive here.
FONT_PATHS: ctypes.Array | None = None
PDFIUM_STARTED = False  # ``start_pdfium`` has run in this process (with the fonts, or without the package)
# The font package whose fonts PDFium is given: japanize-matplotlib (a dependency) ships IPAexGothic
FONT_PACKAGE = "japanize_matplotlib"


def find_font_folder() -> str | None:
    """Return the folder of the font PDFium takes for a Japanese font a PDF does not embed (IPAexGothic,
    in japanize-matplotlib's ``fonts``), found without importing the package; None without it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(FONT_PACKAGE)
    for place in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(place) / "fonts"
        if any(folder.glob("*.ttf")):
            return str(folder)
    return None


def start_pdfium() -> None:
    """Start PDFium again (once a process, before any document is open) with one font folder of our own for
    the fonts a PDF does not embed, in place of the machine's: without a font for a Japanese font's
    characters (a machine without Japanese fonts) PDFium leaves them out of the text page, and with the
    machine's own, what a page reads would hang on what the machine has installed. Fonts of Latin letters
    PDFium has built in. Without the font package, PDFium is left as pypdfium2 started it."""
    global FONT_PATHS, PDFIUM_STARTED
    import pypdfium2  # noqa: F401  (starts PDFium: its bindings and its library state)
    import pypdfium2.raw as pdfium_c

    if PDFIUM_STARTED:
        return
    PDFIUM_STARTED = True
    folder = find_font_folder()
    if folder is None:
        return
    paths = (ctypes.c_char_p * 2)(folder.encode(), None)
    field_type = dict(pdfium_c.FPDF_LIBRARY_CONFIG._fields_)["m_pUserFontPaths"]
    config = pdfium_c.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=ctypes.cast(paths, field_type), m_pIsolate=None,
                                          m_v8EmbedderSlot=0)
    pdfium_c.FPDF_DestroyLibrary()
    pdfium_c.FPDF_InitLibraryWithConfig(config)
    FONT_PATHS = paths


def get_api() -> Api:
    global API
    if API is None:
        start_pdfium()
        API = Api()
    return API


def handle(obj) -> int:
    """The address behind a pypdfium2 handle."""
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n``: the matrix that maps a point through ``m`` and then through ``n``."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


class Frame:
    """Page space to pdfplumber's coordinates: ``x`` and ``top`` from PDF ``x`` and ``y``.

    pdfminer turns the page by its ``/Rotate`` and moves the MediaBox's corner to the origin;
    pdfplumber then flips ``y`` and adds the corner of its own (normalised) MediaBox back.
    """

    def __init__(self, box: tuple[float, float, float, float], rotation: int):
        x0, y0, x1, y1 = box
        if rotation == 90:
            ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
        elif rotation == 180:
            ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
        elif rotation == 270:
            ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
        else:
            ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
        nx0, nx1 = sorted((x0, x1))
        ny0, ny1 = sorted((y0, y1))
        if rotation in (90, 270):
            nx0, ny0, nx1, ny1 = ny0, nx0, ny1, nx1
        self.width = nx1 - nx0
        self.height = ny1 - ny0
        self.left = nx0
        self.top = self.height - ny1
        self.ctm = ctm
        self.plain = ctm == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0) and self.left == 0.0 and self.top == 0.0

    def device(self, x: float, y: float) -> tuple[float, float]:
        """pdfminer's device coordinates of a page-space point."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e, b * x + d * y + f

    def box(self, xs: list[float], ys: list[float]) -> tuple[float, float, float, float, float]:
        """``x0, top, x1, bottom`` and the height in device space of the box around page-space points."""
        if self.plain:
            y0, y1 = min(ys), max(ys)
            return min(xs), self.height - y1, max(xs), self.height - y0, y1 - y0
        pts = [self.device(x, y) for x, y in zip(xs, ys)]
        dx0, dx1 = min(p[0] for p in pts), max(p[0] for p in pts)
        dy0, dy1 = min(p[1] for p in pts), max(p[1] for p in pts)
        return dx0 + self.left, (self.height - dy1) + self.top, dx1 + self.left, (self.height - dy0) + self.top, dy1 - dy0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """pdfplumber's ``(x, top)`` of a page-space point."""
        if self.plain:
            return x, self.height - y
        dx, dy = self.device(x, y)
        return self.left + dx, self.top + (self.height - dy)


def read_frame(api: Api, page: int) -> tuple[Frame, int]:
    rotation = (api.rotation(page) % 4) * 90
    f = api.f
    if api.media_box(page, *api.f_at):
        box = (f[0].value, f[1].value, f[2].value, f[3].value)
    else:  # a MediaBox inherited from the page tree: PDFium's page box is it, unless there is a CropBox
        api.bounding_box(page, api.rect_at)
        r = api.rect
        box = (r.left, r.bottom, r.right, r.top)
    return Frame(box, rotation), rotation


class PageObjects:
    """One walk over a page's objects, forms opened where they are drawn."""

    def __init__(self, api: Api, page: int):
        self.order: dict[int, int] = {}  # text object -> its place in drawing order
        self.forms: dict[int, tuple[int, ...]] = {}  # text object -> the forms it is drawn in, outermost first
        self.members: dict[int, list[int]] = {}  # page (0) or form -> the text and form objects it draws
        self.paths: list[int] = []  # path objects, in drawing order
        self.aboves: list[Matrix | None] = []  # and the form matrices above each (None: drawn on the page itself)
        self.nested = False  # whether a path is drawn in a form
        self.images = 0
        self.api = api
        self.page = page
        self.walk(page, 0, (), None, api.count_objects(page), False)

    def walk(self, holder: int, key: int, forms: tuple[int, ...], above: Matrix | None, count: int, in_form: bool) -> None:
        api = self.api
        members = self.members[key] = []
        order, paths = self.order, self.paths
        if CORE is not None:
            raw_handles, raw_kinds = CORE.list_objects(holder, count, in_form)
            handles: list[int] = np.frombuffer(raw_handles, dtype=np.uint64).tolist()
            kinds: list[int] = np.frombuffer(raw_kinds, dtype=np.int32).tolist()
        else:
            get = api.form_object_of if in_form else api.object_of
            found = list(filter(None, map(get, repeat(Handle(holder), count), range(count))))
            kinds = list(map(api.type_of, found))
            handles = [obj.value for obj in found]
        if OBJ_FORM not in kinds:  # no form to open where it is drawn (most pages): the objects sorted by kind at once
            texts = [obj for obj, kind in zip(handles, kinds) if kind == OBJ_TEXT]
            members.extend(texts)
            order.update(zip(texts, range(len(order), len(order) + len(texts))))
            if forms:
                self.forms.update(zip(texts, repeat(forms)))
            before = len(paths)
            paths.extend(obj for obj, kind in zip(handles, kinds) if kind == OBJ_PATH)
            self.aboves.extend(repeat(above, len(paths) - before))
            self.nested = self.nested or (above is not None and len(paths) > before)
            self.images += kinds.count(OBJ_IMAGE)
            return
        for obj, kind in zip(handles, kinds):
            if kind == OBJ_PATH:  # most objects of a ruled page
                paths.append(obj)
                self.aboves.append(above)
                self.nested = self.nested or above is not None
            elif kind == OBJ_TEXT:
                members.append(obj)  # with the forms, all a text page reads
                order[obj] = len(order)
                if forms:
                    self.forms[obj] = forms
            elif kind == OBJ_IMAGE:
                self.images += 1
            elif kind == OBJ_FORM:
                members.append(obj)
                m = read_matrix(api, obj)
                self.walk(obj, obj, forms + (obj,), m if above is None else multiply(m, above),
                          api.count_form_objects(obj), True)

    def isolate(self, target: int) -> list[int]:
        """Switch off every text object and form but ``target`` and the forms that hold it; return those
        switched off."""
        forms = self.forms.get(target, ())
        keep = {target, *forms}
        off = [obj for key in (0, *forms) for obj in self.members[key] if obj not in keep]
        for obj in off:
            self.api.set_active(obj, 0)
        return off

    def restore(self, off: list[int]) -> None:
        for obj in off:
            self.api.set_active(obj, 1)


def read_matrix(api: Api, obj: int) -> Matrix:
    api.object_matrix(obj, api.matrix_at)
    m = api.matrix
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class FontInfo:
    """What a character's box needs of its font: pdfminer's descent, PDFium's ascent and descent,
    the writing mode and the advance widths met so far."""

    __slots__ = ("handle", "ref", "name", "descent", "pdfium_descent", "pdfium_ascent", "vertical", "widths")

    def __init__(self, api: Api, font: int, code: int, widths: dict[int, float] | None = None):
        self.handle = font
        self.ref = ctypes.c_void_p(font)
        self.widths: dict[int, float] = {} if widths is None or not font else widths
        if not font:
            self.name, self.vertical = "", False
            self.descent = self.pdfium_descent = self.pdfium_ascent = 0.0
            return
        size = api.font_name(font, api.name_at, 256)
        self.name = api.name.raw[:max(0, size - 1)].decode("utf-8", "replace") if size else ""
        api.font_descent(font, 1000.0, api.f_at[0])
        api.font_ascent(font, 1000.0, api.f_at[1])
        self.pdfium_descent = api.f[0].value
        self.pdfium_ascent = api.f[1].value
        embedded = api.font_embedded(font) == 1
        self.descent = self.pdfium_descent if embedded else STANDARD_DESCENTS.get(self.name, self.pdfium_descent)
        width_ok = api.glyph_width(font, code, 1000.0, api.f_at[2])
        self.vertical = bool(width_ok) and api.f[2].value < 0  # a vertical font's advance runs down

    def find_widths(self, api: Api, codes: Iterable[int]) -> None:
        """Keep the advances of the glyphs PDFium maps ``codes`` to, per 1000 of the font size (NaN when
        unknown), in ``widths``."""
        widths, handle, glyph_width = self.widths, self.ref, api.glyph_width_of
        value, value_ref, thousand = api.f[2], api.f2_ref, api.thousand
        for code in codes:
            widths[code] = value.value if self.handle and glyph_width(handle, code, thousand, value_ref) else NAN


class TextObject:
    """A text object's matrix, font size and font (the same for all its characters)."""

    __slots__ = ("place", "a", "b", "c", "d", "size", "font", "plain")

    def __init__(self, place: int, matrix: tuple[float, float, float, float], size: float, font: FontInfo):
        self.place = place
        self.a, self.b, self.c, self.d = matrix
        self.size = size
        self.font = font
        self.plain = matrix[1] == 0.0 and matrix[2] == 0.0 and matrix[0] > 0.0 and matrix[3] > 0.0 and not font.vertical


NAN = float("nan")
MAX_ISOLATED = 100  # text objects per page read again on their own (see read_chars)
NO_PLACES = np.zeros(0, dtype=np.int64)
# whether a code point is whitespace, for the code points below U+3001 (``WHITESPACE``)
WHITESPACE_TABLE = np.zeros(0x3001, dtype=bool)
WHITESPACE_TABLE[sorted(WHITESPACE)] = True


def read_chars(api: Api, text_page: int, frame: Frame, objects: PageObjects,
               known: dict[int, dict[int, float]] | None = None) -> Chars:
    """The page's characters in drawing order, whitespace left out.

    ``known`` holds the advance widths met on the page before, by font handle (see
    ``read_pdfium_pages``); it is left holding this page's.

    A text object that PDFium's text page left out as a repeat of one before it (a word
    drawn twice for a bold look, lines of glyphs without outlines) is read again on a text
    page of its own, all else switched off: pdfminer keeps such repeats, so counts agree.
    """
    fonts: dict[int, FontInfo] = {}
    if known is None:
        known = {}
    chars, places, seen = collect_chars(api, text_page, frame, objects, fonts, known)
    pieces = [(chars, places)]
    missing = [obj for obj in objects.order if obj not in seen and has_width(api, obj)]
    for obj in missing[:MAX_ISOLATED]:
        off = objects.isolate(obj)
        alone = api.load_text_page(objects.page)
        try:
            if alone:
                pieces.append(collect_chars(api, alone, frame, objects, fonts, known, only=obj)[:2])
        finally:
            if alone:
                api.close_text_page(alone)
            objects.restore(off)
    known.clear()
    known.update((font, info.widths) for font, info in fonts.items() if font)
    if len(pieces) > 1:
        chars, places = join_chars([c for c, _ in pieces]), np.concatenate([p for _, p in pieces])
    if len(places) > 1 and (places[1:] < places[:-1]).any():  # PDFium's order is not the drawing order: sort
        return chars.take(np.argsort(places, kind="stable"))
    return chars


def join_chars(pieces: list[Chars]) -> Chars:
    """The characters of several pieces, one after another."""
    def joined(key: str) -> np.ndarray:
        return np.concatenate([getattr(piece, key) for piece in pieces])

    return Chars([t for piece in pieces for t in piece.text], joined("x0"), joined("x1"), joined("top"), joined("bottom"),
                 joined("size"), joined("upright"), [f for piece in pieces for f in piece.fontname])


def has_width(api: Api, obj: int) -> bool:
    """Whether a text object is wider than PDFium's least (narrower ones it never reads)."""
    f = api.f
    if not api.object_bounds(obj, *api.f_at):
        return False
    return f[2].value - f[0].value >= 0.01


def collect_chars(api: Api, text_page: int, frame: Frame, objects: PageObjects, fonts: dict[int, FontInfo],
                  known: dict[int, dict[int, float]], only: int | None = None) -> tuple[Chars, np.ndarray, set[int]]:
    """Read one text page: its characters (of ``only``'s, if given), the place in drawing order of
    each one's text object, and the text objects met, whitespace included.

    What PDFium is asked for every character is asked in a row (its text object, and for what
    is not whitespace its map error and origin), the rest is worked out on columns: what
    belongs to a text object (matrix, size, font) once an object, the boxes as arrays.
    """
    count = api.count_chars(text_page)
    if count <= 0:
        return make_no_chars(), NO_PLACES, set()
    get_unicode = api.get_unicode
    codes = read_codes(api, text_page, count)
    if codes is None:
        codes = np.array([get_unicode(text_page, i) for i in range(count)], dtype=np.int64)
    page_at = ctypes.c_void_p(text_page)
    visible = ~WHITESPACE_TABLE[np.minimum(codes, 0x3000)] | (codes > 0x3000)
    # in the page's text, a glyph without a character or a line-end hyphen: its own code, unless whitespace
    for i in np.flatnonzero(visible & (codes == NO_CHARACTER)).tolist():
        codes[i] = code = get_unicode(text_page, i)
        if code in WHITESPACE:
            visible[i] = False
    at = np.flatnonzero(visible)  # the visible characters, by index in the text page
    n = len(at)
    if CORE is not None:  # every character's text object, and a map error and an origin for each visible one
        objects_of = np.empty(count, dtype=np.uint64)
        errors, xs, ys = np.empty(n, dtype=bool), np.empty(n), np.empty(n)
        CORE.read_char_marks(text_page, objects_of, at.astype(np.int64, copy=False), errors, xs, ys, api.d1_at, api.d2_at)
        objs: list[int] = objects_of.tolist()
        seen = set(objs)  # every object met, whitespace included
        if not n:
            return make_no_chars(), NO_PLACES, seen
        indices = at.tolist()
    else:
        objs = list(map(api.text_object, repeat(page_at, count), range(count)))
        seen = set(objs)
        if not n:
            return make_no_chars(), NO_PLACES, seen
        indices = at.tolist()
        # a map error and an origin only for what is not whitespace (PDFium's spaces and line breaks among it)
        errors = np.fromiter(map(api.map_error, repeat(page_at, n), indices), bool, n)
        origin, x_ref, y_ref, x_value, y_value = api.char_origin_of, api.d1_ref, api.d2_ref, api.d1, api.d2
        x_list: list[float] = []
        y_list: list[float] = []
        add_x, add_y = x_list.append, y_list.append
        for i in indices:
            origin(page_at, i, x_ref, y_ref)
            add_x(x_value.value)
            add_y(y_value.value)
        xs, ys = np.array(x_list), np.array(y_list)
    codes = codes[at]

    # the text objects, described in the order their first visible characters come
    met = list(map(objs.__getitem__, indices))
    slots = {obj: k for k, obj in enumerate(dict.fromkeys(met))}  # in the order they are first met
    owner = np.fromiter(map(slots.__getitem__, met), np.int64, n)
    handles = np.fromiter(slots, np.uint64, len(slots))
    firsts = np.searchsorted(np.maximum.accumulate(owner), np.arange(len(slots))).tolist()
    infos = describe_objects(api, text_page, list(slots), [indices[j] for j in firsts], codes[firsts].tolist(),
                             objects.order, fonts, known)
    if only is not None:
        keep = handles[owner] == only
        at, codes, errors, xs, ys, owner = at[keep], codes[keep], errors[keep], xs[keep], ys[keep], owner[keep]
        n = len(at)
        if not n:
            return make_no_chars(), NO_PLACES, seen

    # text and advance: a glyph PDFium reads as its code is (cid:NN), without an advance
    unmapped = (codes == 0) | errors
    mapped = np.where(codes == HYPHEN_MARK, 0x2D, codes)  # a hyphen ending a line, which PDFium marks
    texts = list(map(chr, mapped.tolist()))
    widths = read_widths(api, infos.fonts, owner, mapped, unmapped)
    for j in np.flatnonzero(unmapped).tolist():
        texts[j] = f"(cid:{int(codes[j])})"  # as pdfminer names it

    # several characters of one glyph (a ligature split up): one character
    merged = np.zeros(n, dtype=bool)
    pieces = np.flatnonzero((at[1:] == at[:-1] + 1) & (xs[1:] == xs[:-1]) & (ys[1:] == ys[:-1])) + 1
    if len(pieces):
        heads: dict[int, int] = {}
        for j in pieces.tolist():
            head = heads.get(j - 1, j - 1)
            width = widths[head]
            if width and width == width and same_glyph(api, text_page, int(at[j])):
                joined = texts[head] + chr(int(codes[j]))
                texts[head] = LIGATURES.get(joined, joined)
                merged[j] = True
                heads[j] = head
        if merged.any():
            kept = ~merged
            texts = [t for t, k in zip(texts, kept.tolist()) if k]
            at, xs, ys, owner, widths = at[kept], xs[kept], ys[kept], owner[kept], widths[kept]
            n = len(at)

    # the boxes: upright and unturned, from the origin, the advance across; the descent, a font size up
    height = frame.height
    across = (infos.a * infos.size / 1000.0)[owner]
    talls = infos.d * infos.size
    tall = talls[owner]
    lift = (infos.descent * talls / 1000.0)[owner]
    size = snap_values(talls)[owner]
    fast = infos.plain[owner] if frame.plain else np.zeros(n, dtype=bool)
    loose = np.isnan(widths) & fast
    right = xs + widths * across
    for j in np.flatnonzero(loose).tolist():  # the advance of an unmapped glyph: its loose box
        api.loose_box(text_page, int(at[j]), api.rect_at)
        right[j] = api.rect.right
    low = ys + lift
    x0, x1 = snap_values(xs), snap_values(right)
    top, bottom = snap_values(height - (low + tall)), snap_values(height - low)
    upright = np.ones(n, dtype=bool)
    for j in np.flatnonzero(~fast).tolist():  # any matrix, a vertical font, a turned page: the long way
        width = float(widths[j])
        x0[j], x1[j], top[j], bottom[j], size[j], upright[j] = make_char(
            api, text_page, int(at[j]), infos.describe(int(owner[j])), None if width != width else width, (float(xs[j]), float(ys[j])),
            frame)
    names = [font.name for font in infos.fonts]
    places = infos.places[owner]
    return Chars(texts, x0, x1, top, bottom, size, upright, [names[k] for k in owner.tolist()]), places, seen


def read_widths(api: Api, object_fonts: list[FontInfo], owner: np.ndarray, codes: np.ndarray,
                unmapped: np.ndarray) -> np.ndarray:
    """Each character's advance per 1000 of the font size (NaN where unknown, and for an unmapped glyph),
    font by font (``object_fonts``: the font of each text object), from the widths met before
    (``FontInfo.widths``), those not met asked for now."""
    widths = np.full(len(codes), np.nan)
    if len(object_fonts) == 1:
        groups = [(object_fonts[0], np.flatnonzero(~unmapped))]
    else:
        char_fonts = np.array([id(font) for font in object_fonts], dtype=np.int64)[owner]
        groups = [(font, np.flatnonzero((char_fonts == key) & ~unmapped))
                  for key, font in {id(font): font for font in object_fonts}.items()]
    for font, places in groups:
        if not len(places):
            continue
        wanted = codes[places].tolist()
        known = font.widths
        new = set(wanted).difference(known)
        if new:
            font.find_widths(api, new)
        widths[places] = list(map(known.__getitem__, wanted))
    return widths


def snap_values(values: np.ndarray) -> np.ndarray:
    """``pages.snap`` of every value; a value that is not finite fails as ``snap`` fails on it."""
    if not np.isfinite(values).all():
        return np.array([snap(v) for v in values.tolist()])
    return np.floor(values * GRID + 0.5) / GRID


def read_codes(api: Api, text_page: int, count: int) -> np.ndarray | None:
    """Every character's code point at once, from the page's text, or None when the text does not
    line up with the characters (PDFium leaves some control characters out of it)."""
    if count <= 0:
        return None
    buffer = api.text_buffer
    if len(buffer) < count + 1:
        buffer = api.text_buffer = np.zeros(2 * (count + 1), dtype="<u2")
    written = api.get_text(text_page, 0, count, buffer.__array_interface__["data"][0])
    if written <= 0:
        return None
    units = buffer[:written - 1]
    if ((units >= 0xD800) & (units < 0xE000)).any():  # pairs of surrogates: one code point each
        text = units.tobytes().decode("utf-16-le", "surrogatepass")
        if len(text) != count:
            return None
        return np.array([ord(ch) for ch in text], dtype=np.int64)
    if len(units) != count:
        return None
    return units.astype(np.int64)


def same_glyph(api: Api, text_page: int, index: int) -> bool:
    """Whether a character and the one before it have the same loose box (pieces of one glyph)."""
    api.loose_box(text_page, index - 1, api.rect_at)
    r = api.rect
    before = (r.left, r.right, r.bottom, r.top)
    api.loose_box(text_page, index, api.rect_at)
    return before == (r.left, r.right, r.bottom, r.top)


class Described:
    """The text objects of a text page, described as columns, one entry an object: the matrix of its
    characters (``a``, ``b``, ``c``, ``d``), its font size, its font, pdfminer's descent of that font,
    whether it is set upright and unturned in a horizontal font (``plain``), its place in drawing order."""

    __slots__ = ("a", "b", "c", "d", "size", "fonts", "descent", "plain", "places")

    def __init__(self, matrices: np.ndarray, size: np.ndarray, fonts: list[FontInfo], places: np.ndarray):
        a, b, c, d = matrices[:, :4].astype(np.float64).T
        self.a, self.b, self.c, self.d, self.size, self.fonts, self.places = a, b, c, d, size, fonts, places
        self.descent = np.array([font.descent for font in fonts])
        vertical = np.array([font.vertical for font in fonts], dtype=bool)
        self.plain = (b == 0.0) & (c == 0.0) & (a > 0.0) & (d > 0.0) & ~vertical

    def describe(self, k: int) -> TextObject:
        """Object ``k`` as a ``TextObject`` (for ``make_char``)."""
        matrix = (float(self.a[k]), float(self.b[k]), float(self.c[k]), float(self.d[k]))
        return TextObject(int(self.places[k]), matrix, float(self.size[k]), self.fonts[k])


def describe_objects(api: Api, text_page: int, objs: list[int], indices: list[int], codes: list[int],
                     order: dict[int, int], fonts: dict[int, FontInfo],
                     known: dict[int, dict[int, float]]) -> Described:
    """The text objects ``objs`` of the text page, each described with one of its characters (its index
    on the text page in ``indices``, its code in ``codes``): each thing asked of PDFium for every
    object in a row, the matrices written by PDFium into one array."""
    k = len(objs)
    matrices = np.zeros((k, 6), dtype=np.float32)  # FS_MATRIX: six floats
    at = matrices.__array_interface__["data"][0]
    list(map(api.char_matrix_to, repeat(text_page, k), indices, range(at, at + 24 * k, 24)))
    size = np.fromiter(map(api.font_size_of, repeat(ctypes.c_void_p(text_page), k), indices), np.float64, k)
    object_fonts = [font or 0 for font in map(api.object_font, objs)]
    infos = []
    for font, code in zip(object_fonts, codes):
        info = fonts.get(font)
        if info is None:
            info = fonts[font] = FontInfo(api, font, code, known.get(font))
        infos.append(info)
    places = np.array([order.get(obj, len(order)) for obj in objs], dtype=np.int64)
    return Described(matrices, size, infos, places)


def make_char(api: Api, text_page: int, index: int, info: TextObject, width: float | None,
              origin: tuple[float, float], frame: Frame) -> tuple[float, float, float, float, float, bool]:
    """A character's ``x0, x1, top, bottom, size, upright`` the long way: any matrix, a vertical font, a turned page."""
    a, b, c, d, fs = info.a, info.b, info.c, info.d, info.size
    font = info.font
    ox, oy = origin
    if font.vertical:  # a font size across from the origin PDFium gives, the vertical advance down from the top
        down = width * fs / 1000.0 if width is not None and width < 0 else -fs
        across, lo, hi = fs, fs + down, fs
    else:
        if width is not None:
            across = width * fs / 1000.0
        else:  # the loose box is the matrix times [0, advance] x [descent, ascent] (at least)
            api.loose_box(text_page, index, api.rect_at)
            r = api.rect
            extent = (font.pdfium_ascent - font.pdfium_descent) * fs / 1000.0
            if abs(a) >= abs(b):
                across = ((r.right - r.left) - abs(c) * extent) / abs(a) if a else 0.0
            else:
                across = ((r.top - r.bottom) - abs(d) * extent) / abs(b)
        lo = font.descent * fs / 1000.0
        hi = lo + fs
    xs, ys = [], []
    for tx, ty in ((0.0, lo), (across, lo), (0.0, hi), (across, hi)):
        xs.append(ox + a * tx + c * ty)
        ys.append(oy + b * tx + d * ty)
    x0, top, x1, bottom, tall = frame.box(xs, ys)
    size = (x1 - x0) if font.vertical else tall
    r0, r1, r2, r3 = frame.ctm[:4]  # upright as displayed: pdfminer's matrix holds the page's turn
    a, b, c, d = a * r0 + b * r2, a * r1 + b * r3, c * r0 + d * r2, c * r1 + d * r3
    return snap(x0), snap(x1), snap(top), snap(bottom), snap(size), a * d > 0 and b * c <= 0


def read_paths(api: Api, frame: Frame, objects: PageObjects) -> tuple[Shapes, Shapes, list[dict]]:
    """The page's painted paths as pdfminer sorts them: rects, lines and curves.

    A segment closes its subpath when PDFium marks it so and it ends where the subpath
    began: PDFium closes a subpath with a segment back to its start.

    With the compiled core, on a page in pdfplumber's frame, the paths that are one ruling line or
    one rectangle (most of a budget book's) are read there (``read_paths_compiled``), the others here.
    """
    if CORE is not None and api.points_in_place and frame.plain and objects.paths:
        return read_paths_compiled(api, frame, objects)
    rects: list[ShapeRow] = []
    lines: list[ShapeRow | None] = []  # None where a path of one straight segment goes (``line_points``)
    line_points: list[bytes] = []  # such a path's two points as PDFium holds them (``TWO_POINTS``)
    line_states: list[bytes] = []  # and its fill, stroke and matrix (``PATH_STATE``)
    curves: list[dict] = []
    for path, above in zip(objects.paths, objects.aboves):
        read_path(api, frame, Handle(path), above, rects, lines, line_points, line_states, curves)
    return make_shapes(True, rects), place_plain_lines(lines, line_points, line_states, frame.height), curves


def read_paths_compiled(api: Api, frame: Frame, objects: PageObjects) -> tuple[Shapes, Shapes, list[dict]]:
    """``read_paths`` with the compiled core (``_pdfcore.read_plain_paths``) reading the paths that are one
    ruling line drawn on the page itself or one rectangle, and ``read_path`` the others; each record in
    its path's place."""
    assert CORE is not None
    n = len(objects.paths)
    handles = np.array(objects.paths, dtype=np.uint64)
    alone = np.array([above is None for above in objects.aboves], dtype=np.uint8) if objects.nested else np.ones(n, np.uint8)
    kinds = np.empty(n, dtype=np.int8)
    rows = np.empty((n, 7))
    CORE.read_plain_paths(handles, alone, frame.height, api.path_state_at, kinds, rows)
    slow = np.flatnonzero(kinds == 3).tolist()
    if not slow:
        return make_shapes_of_rows(True, rows[kinds == 2]), make_shapes_of_rows(False, rows[kinds == 1]), []
    rects: list[ShapeRow] = []
    lines: list[ShapeRow | None] = []
    line_points: list[bytes] = []
    line_states: list[bytes] = []
    curves: list[dict] = []
    rect_owners: list[int] = []
    line_owners: list[int] = []
    paths, aboves = objects.paths, objects.aboves
    for p in slow:
        read_path(api, frame, Handle(paths[p]), aboves[p], rects, lines, line_points, line_states, curves)
        rect_owners.extend(repeat(p, len(rects) - len(rect_owners)))
        line_owners.extend(repeat(p, len(lines) - len(line_owners)))
    placed = place_plain_lines(lines, line_points, line_states, frame.height)

    def merged(rect: bool, kind: int, shapes: Shapes, owners: list[int]) -> Shapes:
        fast = np.flatnonzero(kinds == kind)
        if not len(owners):
            return make_shapes_of_rows(rect, rows[fast])
        columns = np.stack([shapes.x0, shapes.top, shapes.x1, shapes.bottom, shapes.height, shapes.fill, shapes.stroke],
                           axis=1).astype(np.float64)
        order = np.argsort(np.concatenate([fast, np.array(owners, dtype=np.int64)]), kind="stable")
        return make_shapes_of_rows(rect, np.concatenate([rows[fast], columns])[order])

    return merged(True, 2, make_shapes(True, rects), rect_owners), merged(False, 1, placed, line_owners), curves


def make_shapes_of_rows(rect: bool, rows: np.ndarray) -> Shapes:
    """``Shapes`` of rects (``rect``) or of lines from an array of one ``(x0, top, x1, bottom, height, fill,
    stroke)`` row a shape, as ``make_shapes`` makes them of tuples."""
    if not len(rows):
        return make_shapes(rect, [])
    x0, top, x1, bottom, height, fill, stroke = rows.T
    return Shapes(np.full(len(rows), rect), x0, top, x1, bottom, height, fill != 0.0, stroke != 0.0)


def read_path(api: Api, frame: Frame, path: Handle, above: Matrix | None, rects: list[ShapeRow],
              lines: list[ShapeRow | None], line_points: list[bytes], line_states: list[bytes], curves: list[dict]) -> None:
    """Add one path object's rects, lines (a path of one straight segment drawn on the page itself as a
    gap in ``lines``, its points in ``line_points`` and its state in ``line_states``: ``place_plain_lines``)
    and curves."""
    count = api.segments_of(path)
    if count < 2:
        return
    plain, height, in_place = frame.plain, frame.height, api.points_in_place
    state = api.path_state
    fill_ref, stroke_ref, matrix_ref = api.path_state_refs
    api.draw_mode_of(path, fill_ref, stroke_ref)
    api.matrix_of(path, matrix_ref)
    if count == 2 and in_place and plain and above is None:
        raw = ctypes_string_at(api.segment_of(path, 0), TWO_POINTS.size)
        # a move and a line (the types at bytes 8 and 20, the line's close flag at 21): a ruling line
        if raw[8] == SEG_MOVETO and raw[20] == SEG_LINETO and not raw[21]:
            lines.append(None)
            line_points.append(raw)
            line_states.append(state.raw)
            return
    mode_fill, mode_stroke, a, b, c, d, e, f = PATH_STATE.unpack_from(state)
    fill, stroke = mode_fill != 0, mode_stroke != 0
    if above is not None:
        a, b, c, d, e, f = multiply((a, b, c, d, e, f), above)
    if count == 5 and in_place and plain:
        raw = ctypes_string_at(api.segment_of(path, 0), FIVE_POINTS.size)
        if add_plain_rect(FIVE_POINTS.unpack(raw), (a, b, c, d, e, f), height, fill, stroke, rects):
            return
    points = read_points(api, path, count)
    if points[0][2] != SEG_MOVETO:  # pdfminer paints no path that does not open with a move
        return
    ops: list[tuple] = []
    start = None
    bezier: list[tuple[float, float]] = []
    for x, y, kind, close in points:
        pt = (a * x + c * y + e, b * x + d * y + f)
        if kind == SEG_MOVETO:
            if len(ops) > 1:
                add_subpath(ops, frame, fill, stroke, rects, lines, curves)
            ops = [("m", pt)]
            start = (x, y)
            bezier = []
            continue
        closes = close and (x, y) == start
        if kind == SEG_BEZIERTO:
            bezier.append(pt)
            if len(bezier) < 3:
                continue
            ops.append(("c", *bezier))
            bezier = []
        elif closes:  # the closing segment PDFium adds for "h" (or "re")
            ops.append(("h",))
            continue
        else:
            ops.append(("l", pt))
        if closes:
            ops.append(("h",))
    if len(ops) > 1:
        add_subpath(ops, frame, fill, stroke, rects, lines, curves)


def place_plain_lines(lines: list[ShapeRow | None], points: list[bytes], states: list[bytes], height: float) -> Shapes:
    """The page's lines: ``lines`` with its gaps (None) filled, in order, by the paths of one straight
    segment drawn on the page itself (not in a form) in pdfplumber's frame (``points``: the
    segment's ends as PDFium holds them, ``TWO_POINTS``; ``states``: the path's fill, stroke and
    matrix, ``PATH_STATE``), worked out as arrays: a budget book's page rules hundreds of these.
    A line is the one ``add_subpath`` makes of such a path.
    """
    if not points:
        return make_shapes(False, [row for row in lines if row is not None])
    # the two points' x and y (columns 0, 1, 3, 4; a point's type and flags stand between them)
    x, y, u, v = np.frombuffer(b"".join(points), dtype="<f4").reshape(-1, TWO_POINTS.size // 4)[:, [0, 1, 3, 4]].astype(
        np.float64).T
    joined = b"".join(states)
    modes = np.frombuffer(joined, dtype="<i4").reshape(-1, PATH_STATE.size // 4)
    fill, stroke = (modes[:, 0] != 0).astype(np.float64), (modes[:, 1] != 0).astype(np.float64)
    a, b, c, d, e, f = np.frombuffer(joined, dtype="<f4").reshape(-1, PATH_STATE.size // 4)[:, 2:].astype(np.float64).T
    x0, y0 = a * x + c * y + e, b * x + d * y + f
    x1, y1 = a * u + c * v + e, b * u + d * v + f
    rising = y0 > y1
    ordered = x0 < x1
    boxes = snap_values(np.stack([np.where(ordered, x0, x1), height - np.where(rising, y0, y1), np.where(ordered, x1, x0),
                                  height - np.where(rising, y1, y0)]))
    if len(points) < len(lines):  # lines of other paths among them: each in its place
        gaps = np.array([row is None for row in lines])
        others = np.array([row for row in lines if row is not None], dtype=np.float64).T
        placed = np.empty((6, len(lines)))
        placed[:4, gaps], placed[4, gaps], placed[5, gaps] = boxes, fill, stroke
        placed[:4, ~gaps], placed[4, ~gaps], placed[5, ~gaps] = others[:4], others[5], others[6]
        boxes, fill, stroke = placed[:4], placed[4], placed[5]
    n = len(lines)
    return Shapes(np.zeros(n, dtype=bool), boxes[0], boxes[1], boxes[2], boxes[3], np.zeros(n), fill != 0.0, stroke != 0.0)


def add_plain_rect(points: tuple, matrix: Matrix, height: float, fill: bool, stroke: bool, rects: list) -> bool:
    """Add a path that is one axis-aligned rectangle (a move, three lines and a line closing back to
    the start: ``FIVE_POINTS``) on a page in pdfplumber's frame as it is; return whether it was one.
    The record is the one ``add_subpath`` makes of it (``re``, the cells of a ruled table).
    """
    x, y, k0, _, u1, v1, k1, c1, u2, v2, k2, c2, u3, v3, k3, c3, u4, v4, k4, c4 = points
    if (k0 != SEG_MOVETO or k1 != SEG_LINETO or k2 != SEG_LINETO or k3 != SEG_LINETO or k4 != SEG_LINETO
            or c1 or c2 or c3 or not c4 or u4 != x or v4 != y):
        return False
    a, b, c, d, e, f = matrix
    x0, y0 = a * x + c * y + e, b * x + d * y + f
    x1, y1 = a * u1 + c * v1 + e, b * u1 + d * v1 + f
    x2, y2 = a * u2 + c * v2 + e, b * u2 + d * v2 + f
    x3, y3 = a * u3 + c * v3 + e, b * u3 + d * v3 + f
    if not ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
        return False
    lo, hi = min(y0, y2), max(y0, y2)
    rects.append((floor(min(x0, x2) * GRID + 0.5) / GRID, floor((height - hi) * GRID + 0.5) / GRID,
                  floor(max(x0, x2) * GRID + 0.5) / GRID, floor((height - lo) * GRID + 0.5) / GRID,
                  floor((hi - lo) * GRID + 0.5) / GRID, fill, stroke))
    return True


def read_points(api: Api, path: Handle, count: int) -> list[tuple[float, float, int, int]]:
    """A path's segments as ``(x, y, type, close)``, ``count`` of them (two or more).

    They are read at once from PDFium's own array (a ``std::vector``) when it lies as ``POINT``
    says: on the first path of two segments or more met, the segments stand one ``POINT``
    apart and read the same both ways; else (another PDFium build) one by one.
    """
    if api.points_in_place:
        return list(POINT.iter_unpack(string_at(api.get_segment(path, 0), POINT.size * count)))
    if api.points_in_place is None:
        first = api.get_segment(path, 0)
        if first and api.get_segment(path, count - 1) == first + POINT.size * (count - 1):
            points = list(POINT.iter_unpack(string_at(first, POINT.size * count)))
            api.points_in_place = points == read_points_singly(api, path, count)
            if api.points_in_place:
                return points
    return read_points_singly(api, path, count)


def read_points_singly(api: Api, path: Handle, count: int) -> list[tuple[float, float, int, int]]:
    """A path's segments as ``(x, y, type, close)``, asked for one by one."""
    fx, fy = api.f[0], api.f[1]
    fx_at, fy_at = api.f_at[0], api.f_at[1]
    points = []
    for j in range(count):
        seg = api.get_segment(path, j)
        api.segment_point(seg, fx_at, fy_at)
        points.append((fx.value, fy.value, api.segment_type(seg), api.segment_close(seg)))
    return points


def add_subpath(ops: list[tuple], frame: Frame, fill: bool, stroke: bool, rects: list, lines: list, curves: list) -> None:
    """Classify one subpath (a move and more) as pdfminer's ``paint_path`` does (points in page space).

    Coordinates go on the grid as ``pages.snap`` puts them, written out here: this runs for
    every ruling line of a budget book.
    """
    n = len(ops)
    if n == 2 or (n == 3 and ops[1][0] == "l" and ops[2][0] == "h"):  # "ml", "mlh": a line
        if ops[1][0] == "l":
            (x0, y0), (x1, y1) = ops[0][1], ops[1][1]
            if frame.plain:
                top, bottom = (y0, y1) if y0 > y1 else (y1, y0)
                left, right = (x0, x1) if x0 < x1 else (x1, x0)
                height = frame.height
                lines.append((floor(left * GRID + 0.5) / GRID, floor((height - top) * GRID + 0.5) / GRID,
                              floor(right * GRID + 0.5) / GRID, floor((height - bottom) * GRID + 0.5) / GRID, 0.0, fill,
                              stroke))
            else:
                left, top, right, bottom, _ = frame.box([x0, x1], [y0, y1])
                lines.append((snap(left), snap(top), snap(right), snap(bottom), 0.0, fill, stroke))
            return
    if n == 5 and ops[4][0] in "lh" and ops[1][0] == "l" and ops[2][0] == "l" and ops[3][0] == "l":  # "mlllh", "mllll"
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ops[0][1], ops[1][1], ops[2][1], ops[3][1]
        end = ops[4][1] if ops[4][0] == "l" else ops[0][1]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if ops[0][1] == end and square:
            if frame.plain:
                lo, hi = min(y0, y2), max(y0, y2)
                height = frame.height
                rects.append((floor(min(x0, x2) * GRID + 0.5) / GRID, floor((height - hi) * GRID + 0.5) / GRID,
                              floor(max(x0, x2) * GRID + 0.5) / GRID, floor((height - lo) * GRID + 0.5) / GRID,
                              floor((hi - lo) * GRID + 0.5) / GRID, fill, stroke))
            else:
                left, top, right, bottom, tall = frame.box([x0, x2], [y0, y2])
                rects.append((snap(left), snap(top), snap(right), snap(bottom), snap(tall), fill, stroke))
            return
    pts = [op[-1] if op[0] != "h" else ops[0][1] for op in ops]
    placed = [frame.point(x, y) for x, y in pts]
    left, top, right, bottom, _ = frame.box([p[0] for p in pts], [p[1] for p in pts])
    path = [(op[0], *((snap(x), snap(y)) for x, y in (frame.point(*pt) for pt in op[1:]))) for op in ops]
    curves.append({"object_type": "curve", "x0": snap(left), "top": snap(top), "x1": snap(right), "bottom": snap(bottom),
                   "fill": fill, "stroke": stroke, "pts": [(snap(x), snap(y)) for x, y in placed], "path": path})


# Pages read before the document is opened again: PDFium keeps the objects of every page it has
# parsed until the document is closed (0.4 MB a page of a budget book), so a book is read in
# stretches of this many pages and the memory stays that of one stretch.
REOPEN_PAGES = 50


def read_pdfium_pages(data: bytes) -> Iterator[PageRecord]:
    """Yield the PDF's pages read by PDFium; raise ``PdfReadError`` when it cannot be read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    api = get_api()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise PdfReadError("encrypted_pdf", ENCRYPTED) from exc
        raise PdfReadError("corrupt_pdf", DAMAGED) from exc
    known: dict[int, dict[int, float]] = {}  # advance widths by font handle, of the page before
    previous = 0  # that page (its handle), open while the next is read: its fonts stay where they are
    try:
        n_pages = len(doc)
        if n_pages <= 0:
            raise PdfReadError("corrupt_pdf", DAMAGED)  # no pages
        doc_at = handle(doc.raw)
        for index in range(n_pages):
            number = index + 1
            if index and index % REOPEN_PAGES == 0:  # PDFium keeps every page's objects until closed
                if previous:
                    api.close_page(previous)
                    previous = 0
                known.clear()
                doc.close()
                doc = pdfium.PdfDocument(data)
                doc_at = handle(doc.raw)
            page = api.load_page(doc_at, index)
            if not page:
                raise PdfReadError("corrupt_pdf", describe_damaged_page(number))
            text_page = api.load_text_page(page)
            if not text_page:
                api.close_page(page)
                raise PdfReadError("corrupt_pdf", describe_damaged_page(number))
            done = False
            try:
                record = read_page(api, page, text_page, number, known)
                done = True
            finally:
                api.close_text_page(text_page)
                if previous:
                    api.close_page(previous)
                    previous = 0
                if not done:
                    api.close_page(page)
            previous = page
            record.page_count = n_pages
            yield record
    finally:
        if previous:
            api.close_page(previous)
        doc.close()


def read_page(api: Api, page: int, text_page: int, number: int,
              known: dict[int, dict[int, float]] | None = None) -> PageRecord:
    frame, rotation = read_frame(api, page)
    objects = PageObjects(api, page)
    chars = read_chars(api, text_page, frame, objects, known)
    rects, lines, curves = read_paths(api, frame, objects)
    return PageRecord(number, snap(frame.width), snap(frame.height), rotation, chars, rects, lines, curves,
                      bool(objects.order), objects.images)
