"""PDF reader: PDF bytes to ``SourceDocument`` lines in reading order.

Input: the bytes of a PDF file. Output: a ``SourceDocument`` with one ``SourceLine`` per
visual line (page, bbox ``(x0, top, x1, bottom)`` in PDF points) and empty lines between
paragraphs and boxes, or a ``ReadFailure``: ``corrupt_pdf``, ``encrypted_pdf``,
``no_text_layer`` (a page with images but no text, where OCR found no budget book's ledger to
read, ``scan_book``), ``unreadable_text`` (a page whose text
is mostly ``(cid:NN)``, U+FFFD or private-use characters), ``empty`` (no text at all) or
``layout_error`` (a bug of this module met a page it could not lay out). A ``MemoryError``
is never one of these: it propagates, and the caller reports the memory limit (``too_large``).

Reading order comes from geometry, never from the content stream:

1. A PDF engine gives each page's chars, rects and lines as columns, its curves and images
   as plain records (``engines.py``: PDFium by default, pdfplumber on request; ``pages.py``
   describes the records); nothing below depends on which.
2. Chars drawn next to each other become runs; runs on one baseline become rows, split
   into segments at wide gaps (column gutters). Spaces come from gaps, not space glyphs;
   wide-tracked headings (``運 動 施 設``) are closed up.
3. Rects and closed curves that hold text are frames (boxes, title bands); ruled tables
   (pdfplumber's table finder, ``tables.py``) are kept as tables, one line per row, cells
   joined by a tab.
4. Each frame is read by a recursive XY cut: columns first (vertical white gutters), then
   top to bottom; a frame inside a frame is read where it sits. A column of figures goes with
   the column beside it, and an amount that opens its row of a column, right after a name of
   the column before, goes with that name (``keep_cell_columns``). Two empty lines surround
   every frame and table and separate columns, so wrap repair never joins text across a
   box edge, and a title band comes out as a standalone line (a section heading).
5. Running headers and footers (text repeated at the same height near the top or bottom
   of several pages) and bare page numbers near the edge are dropped. The title (page 1's
   largest text) and the legend ``【 】：令和８年度 予算額（案）`` are moved to the front of
   their page, wherever they sit.
"""

from __future__ import annotations

import bisect
import gc
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from ..records import Column, ReadFailure, SourceDocument, SourceLine, compute_doc_id
from ..text.forms import TRACKED, to_parse_form
from ..text.japanese import is_heading_like
from ..text.vocab import (
    ABOUT,
    ACCOUNT_CODE,
    ACCOUNT_HEADER,
    ACHIEVEMENT_MARK,
    ARROW_MARK,
    BASIS_WORDS,
    BULLET_MARKS,
    CHECK_MARK,
    DIAMOND_MARK,
    FIELD_LABEL_ALONE,
    HEADING_LEVELS,
    ITEM_MARKS,
    LEDGER_HEADER,
    NAMED_FISCAL_YEAR,
    NEGATIVE_MARKS,
    PAGE_NUMBER_DASHES,
    PROGRAM_GLYPHS,
    PROGRAM_MARK,
    SHAPE_MARKS,
    STRUCTURE_MARKS,
    UNIT_LABEL,
    YEN,
    escape_class,
    join_alternatives,
)
from .engines import DEFAULT_PDF_ENGINE, load_pages
from .grids import find_grids, group_rows, is_name_header, join_cell
from .pages import Chars, PageRecord, PdfReadError, Shapes, join_shapes
from .scan_book import ScanReader
from .tables import find_ruled_tables
from .vertical import Region, find_vertical_regions

# Private-use glyphs of symbol fonts (Wingdings) that stand for ordinary marks.
# U+F06E and U+F0A7 (■) are left as they are: the program mark of text.vocab accepts them.
SYMBOL_GLYPHS = {
    "\uf0fc": CHECK_MARK,  # Wingdings check mark: "✓ 全区市町村に…"
    "\uf06c": ACHIEVEMENT_MARK,  # Wingdings black circle: "●令和6年度実績"
    "\uf075": DIAMOND_MARK,  # Wingdings black diamond
    "\uf0d8": ARROW_MARK,  # Wingdings arrowhead: "▶ 在宅療養患者の増加が見込まれる中…"
}
SYMBOL_GLYPH_SET = frozenset(SYMBOL_GLYPHS)
KEPT_PRIVATE_USE = set(PROGRAM_GLYPHS)
# A legend key: "【 】：令和８年度 予算額（案）", "【　】:令和4年度 予算案"
LEGEND_KEY = re.compile(r"^【[\s\u3000]*】\s*[:：]")
# A bare page number: "3", "- 3 -", "－12－", "3 / 12", "p.3", "P. 12"
PAGE_DASH = f"[{escape_class(PAGE_NUMBER_DASHES)}－\\s]"  # as printed: "－" too (the parse form's "-")
PAGE_NUMBER = re.compile(rf"^(?:{PAGE_DASH}*[0-9０-９]{{1,4}}{PAGE_DASH}*|[0-9０-９]{{1,4}}\s*/\s*[0-9０-９]{{1,4}}|[pP]\.?\s*[0-9０-９]{{1,4}})$")
# A line that opens with a mark is content, not a box title: "■在宅療養研修事業", "【区市町村への支援】", "1 開会"
STRUCTURE_MARK = re.compile(rf"^[{STRUCTURE_MARKS}0-9０-９{PROGRAM_GLYPHS}]")
# One kana or kanji: "地"
JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# An account heading over a budget book's pages: "３款 民生費 37,723,107千円", "１項 社会福祉費",
# "（款）03 民生費 （項）01 社会福祉費": it repeats on every page, yet it is the page's account, not furniture
ACCOUNT_HEADING = re.compile(rf"^\s*(?:[0-9０-９]{{1,2}}\s*[{HEADING_LEVELS}]|[(（]\s*[{HEADING_LEVELS}]\s*[)）])")
# The unit of a page's amounts, repeated on every page: "（単位 ： 千円）"
UNIT_HEADING = re.compile(rf"^\s*[(（]?\s*{UNIT_LABEL}\s*[:：]")
# A fiscal year by era name, in a running header: "令和８年度南国市一般会計予算" (parse form)
FISCAL_YEAR_HEADER = re.compile(NAMED_FISCAL_YEAR)
# The header of a budget book's ledger column, letter-spaced or not: "説 明", "説明"
LEDGER_COLUMN = re.compile(LEDGER_HEADER)
# A table cell holding a figure alone, in the parse form: an amount, "2,400万円", "△1,200千円", "12,345", or an
# account code, "3-1-2", "2−7−1"
CELL_FIGURE = re.compile(
    rf"^(?:[{NEGATIVE_MARKS}]?[0-9][0-9,.]*(?:[兆億万千百][0-9,.]*)*(?:千円|万円|億円|円)?|{ACCOUNT_CODE})$"
)
# The same figure with notes in brackets after it, of the program on its row: its flag, the office in charge, the
# shares of its cost (parse form, white space taken out): "1,200千円(こども家庭課)" of "１，２００千円　（こども家庭課）",
# "18,000千円(拡充)(保育課)", "120,000千円(国1/2、県1/4)"
NOTED_FIGURE = re.compile(r"^(?P<figure>[^()【】]+)(?:[(【][^()【】]{1,20}[)】])+$")
# The same figure after its budget word (parse form, white space taken out): "補正額△12,000" of "補正額　△１２，０００"
LABELLED_FIGURE = re.compile(rf"^(?:{join_alternatives(BASIS_WORDS)})[:：]?(?P<figure>.+)$")

# The header of a table's account column, white space taken out: "款・項・目", "会計名款・項"
ACCOUNT_HEADER_CELL = re.compile(ACCOUNT_HEADER)
# The start of a level in an account cell (parse form): "7商工費" (款), "1)商工費" (項), "(6)地域雇用推進費" (目)
ACCOUNT_LEVEL_START = re.compile(r"^\s*(?:[0-9]{1,2}\)|\([0-9]{1,2}\)|[0-9]{1,2}[^0-9\s,.)])")

# A sheet's field label alone, in a column of its own left of the values (parse form, white space taken out):
# "事業名", "担当課", "予算額", "【事業内容】", "所管課："
FIELD_LABEL = re.compile(FIELD_LABEL_ALONE)

# The marks a program's or an item's line opens with, never an amount's neighbour on its line (``split_row``)
LINE_MARKS = frozenset(PROGRAM_MARK + SHAPE_MARKS + ACHIEVEMENT_MARK + ITEM_MARKS + BULLET_MARKS + PROGRAM_GLYPHS)
# Any whitespace, as ``str.isspace`` tells it: " ", "\u3000", "\n"
WHITESPACE = re.compile(r"\s")

# What an unmapped glyph leaves in a page's text, the page's chars joined: "(cid:12)", "\ufffd", "\uf06e"
BAD_GLYPH_HINT = re.compile(r"\(cid:|[\ufffd\ue000-\uf8ff]")

# Glyphs of the cp1252 0x80-0x9F block that a font without a text map gives for digits:
# "平成 ™— 年 › 月 ™œ 日" (a 官報 date), "第 ›Ÿ˜ 号"
UNMAPPED_DIGIT = re.compile(r"[\u201a\u0192\u201e\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]")

BY_X0, BY_TOP = operator.attrgetter("x0"), operator.attrgetter("top")  # sort keys of runs, segments, frames and tables
SPACE_GAP = 0.2  # em: a wider gap between two chars of a line is printed as a space
SEGMENT_GAP = 1.5  # em: a wider gap splits a row into segments (gutters, table-like gaps)
# em: a wider gap between an amount and a mark that opens a line splits them too: 「3,400千円 │ ○ 配食サービス事業」,
# a column's amounts flush right by a narrow gutter, the next column's bullets after it
MARK_GAP = 1.0
LINE_SPLIT_GAP = 4.0  # em: segments of one row further apart than this are separate lines
PARAGRAPH_GAP = 0.75  # em: a wider white space between two lines starts a paragraph
FRAME_GUTTER = 1.5  # points: the least white between two boxes that makes a column gutter
LINE_START_TOLERANCE = 1.0  # points: two lines of a column's text open this near each other
EDGE_BAND = 0.1  # fraction of the page height at the top and bottom where headers live
VERTICAL_SHARE = 0.6  # a page is set vertically when this share of its chars continue downwards
MIN_BAD_GLYPHS = 3  # unmapped glyphs on a page that earn it a warning
MIN_VERTICAL = 20  # chars: fewer stacked chars make a label, not a vertical page
MIN_TURNED = 20  # chars turned sideways on a page that earn it a warning (a rotated label is one or two words)
# A figure's grouping comma or a money unit: what numbering never prints ("［１，４９６万円］", "2,600千円")
AMOUNT_MARKS = re.compile(r"[,，円]")
MIXED_SHARE = 0.1  # a page with this share of chars running downwards may be set down in part
MIN_GRID_RUNS = 8  # runs a frame needs to hold a table printed without rules (a header and two rows)


@dataclass(slots=True)
class Run:
    """Chars drawn one after another on one baseline, without a gap."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


@dataclass(slots=True)
class Segment:
    """Runs of one row close enough to read as one piece of a line."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


@dataclass(slots=True)
class Frame:
    """A rect or closed curve that holds text (a box, a title band), or the page itself."""

    x0: float
    top: float
    x1: float
    bottom: float
    runs: list[Run] = field(default_factory=list)
    children: list["Frame"] = field(default_factory=list)
    tables: list["TableBlock"] = field(default_factory=list)
    parent: "Frame | None" = None


@dataclass(slots=True)
class TableBlock:
    """A ruled table: its cells row by row (None where a merged cell spans), then its lines."""

    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[list[tuple[float, float, float, float] | None]]
    row_boxes: list[tuple[float, float, float, float]]
    rows: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    ledgers: list[tuple[Column, list[Segment]]] = field(default_factory=list)


@dataclass(frozen=True)
class PageLine:
    """One emitted line of a page; ``brk`` is the number of empty lines due before it."""

    text: str
    bbox: tuple[float, float, float, float]
    size: float
    brk: int
    column: Column | None = None


# -- runs, rows and segments ----------------------------------------------------------


def map_glyph(text: str) -> str:
    """Return the text of one char with known symbol-font glyphs mapped."""
    return SYMBOL_GLYPHS.get(text, text)


def is_bad_glyph(text: str) -> bool:
    """Tell whether a char's text is an unmapped glyph: ``(cid:12)``, U+FFFD or private use."""
    if text.startswith("(cid:") or "\ufffd" in text:
        return True
    return len(text) == 1 and 0xE000 <= ord(text) <= 0xF8FF and text not in KEPT_PRIVATE_USE


def build_runs(chars: Chars) -> list[Run]:
    """Group chars, in drawing order, into runs; rotated chars and space glyphs are skipped.

    A char joins the open run when it stands on the run's first char's line (its top within
    0.2 em), is as large (size within 0.1 em) and starts right after the run's right edge (a gap
    under ``SPACE_GAP`` em, an overlap under half an em); a rotated char closes the run.

    Worked out on the page's columns: each char is first taken to continue the run of the char
    before as if that char had opened it; where the runs so found are the runs, char by char
    (their first chars and right edges are what the rule compares with), they are kept, else
    (a char a little off its run's line, a run whose right edge does not only grow) the chars
    are read one by one (``build_runs_singly``).
    """
    visible = find_visible(chars)
    upright = chars.upright
    kept = np.flatnonzero(visible & upright)
    if not len(kept):
        return []
    x0, x1, top, bottom = chars.x0[kept], chars.x1[kept], chars.top[kept], chars.bottom[kept]
    size = chars.size[kept]
    size = np.where(size == 0.0, 1.0, size)  # a size of 0 counts as 1
    # a rotated char between two chars closes the run (whitespace does not)
    closed = np.cumsum(visible & ~upright)[kept]
    gap = x0[1:] - x1[:-1]
    em = size[1:]
    near = (closed[1:] == closed[:-1]) & (-0.5 * em < gap) & (gap < SPACE_GAP * em)
    joins = near & (np.abs(top[1:] - top[:-1]) < 0.2 * em) & (np.abs(em - size[:-1]) < 0.1 * em)
    opens = np.ones(len(kept), dtype=bool)
    opens[1:] = ~joins
    firsts = np.flatnonzero(opens)
    first_of = firsts[np.cumsum(opens) - 1]
    # the rule against each run's first char, and its right edge where it only grows
    head = first_of[:-1]
    exact = near & (np.abs(top[1:] - top[head]) < 0.2 * em) & (np.abs(em - size[head]) < 0.1 * em)
    if not np.array_equal(exact, joins) or (joins & (x1[1:] < x1[:-1])).any():
        return build_runs_singly(chars)
    texts = chars.text if len(kept) == len(chars) else [chars.text[i] for i in kept.tolist()]
    if not SYMBOL_GLYPH_SET.isdisjoint(texts):
        texts = [SYMBOL_GLYPHS.get(t, t) for t in texts]
    ends = [*firsts[1:].tolist(), len(kept)]
    return [Run(*values) for values in zip(x0[firsts].tolist(), top[firsts].tolist(),
                                            np.maximum.reduceat(x1, firsts).tolist(),
                                            np.maximum.reduceat(bottom, firsts).tolist(), size[firsts].tolist(),
                                            ["".join(texts[a:b]) for a, b in zip(firsts.tolist(), ends)])]


def build_runs_singly(chars: Chars) -> list[Run]:
    """``build_runs`` char by char: the open run's edges kept in locals, a glyph mapped (``map_glyph``) inline."""
    runs: list[Run] = []
    cur: Run | None = None
    cur_top = cur_size = cur_x1 = 0.0
    glyphs = SYMBOL_GLYPHS
    for text, x0, x1, top, bottom, size, upright in zip(chars.text, chars.x0.tolist(), chars.x1.tolist(), chars.top.tolist(),
                                                        chars.bottom.tolist(), chars.size.tolist(), chars.upright.tolist()):
        if not upright or not text or text.isspace():
            cur = None if text and not text.isspace() else cur
            continue
        size = size or 1.0
        if (
            cur is not None
            and abs(top - cur_top) < 0.2 * size
            and abs(size - cur_size) < 0.1 * size
            and -0.5 * size < x0 - cur_x1 < SPACE_GAP * size
        ):
            if x1 > cur_x1:
                cur.x1 = cur_x1 = x1
            if bottom > cur.bottom:
                cur.bottom = bottom
            cur.text += glyphs.get(text, text)
            continue
        cur = Run(x0, top, x1, bottom, size, glyphs.get(text, text))
        cur_top, cur_size, cur_x1 = top, size, cur.x1
        runs.append(cur)
    return runs


def join_runs(runs: list[Run]) -> str:
    """Join the runs of one segment, with a space where the gap is wide."""
    text = runs[0].text
    for prev, run in zip(runs, runs[1:]):
        gap = run.x0 - prev.x1
        if gap > SPACE_GAP * max(prev.size, run.size):
            text += " "
        text += run.text
    return text


def build_segments(runs: list[Run]) -> list[Segment]:
    """Turn a region's runs into segments: rows split at gaps wider than ``SEGMENT_GAP``."""
    if len(runs) == 1:  # a table cell of one run, most of them: its segment
        run = runs[0]
        return [Segment(run.x0, run.top, run.x1, run.bottom, run.size, run.text)]
    segments: list[Segment] = []
    for row in group_rows(runs):
        split_row(row, segments)
    return segments


def split_row(row: list[Run], segments: list[Segment]) -> None:
    """Add the segments of one row of runs (``group_rows``) to ``segments``, left to right."""
    row.sort(key=BY_X0)
    kept: list[Run] = []
    for run in row:  # a char drawn twice for a bold look is read once
        if kept and run.text == kept[-1].text and abs(run.x0 - kept[-1].x0) < 1.0:
            continue
        kept.append(run)
    piece = [kept[0]]
    for run in kept[1:]:
        gap = run.x0 - piece[-1].x1
        size = max(run.size, piece[-1].size)
        if gap > SEGMENT_GAP * size or (gap > MARK_GAP * size and piece[-1].text.endswith(YEN) and run.text[:1] in LINE_MARKS):
            segments.append(make_segment(piece))
            piece = [run]
        else:
            piece.append(run)
    segments.append(make_segment(piece))


def merge_vertical(segments: list[Segment]) -> list[Segment]:
    """Merge single characters stacked in a column (vertical writing: "地", "区") into one segment."""
    singles = [s for s in segments if len(s.text) == 1 and JAPANESE_CHAR.match(s.text)]
    if len(singles) < 2:
        return segments
    singles.sort(key=lambda s: (round((s.x0 + s.x1) / 2), s.top))
    merged: dict[int, Segment] = {}
    stack: list[Segment] = [singles[0]]

    def close() -> None:
        if len(stack) >= 2:
            seg = Segment(min(s.x0 for s in stack), stack[0].top, max(s.x1 for s in stack), stack[-1].bottom,
                          max(s.size for s in stack), "".join(s.text for s in stack))
            for s in stack:
                merged[id(s)] = seg

    for s in singles[1:]:
        prev = stack[-1]
        same_column = abs((s.x0 + s.x1) / 2 - (prev.x0 + prev.x1) / 2) < 0.25 * prev.size
        if same_column and -0.05 * prev.size <= s.top - prev.bottom < 0.2 * prev.size:
            stack.append(s)
        else:
            close()
            stack = [s]
    close()
    if not merged:
        return segments
    out, done = [], set()
    for s in segments:
        seg = merged.get(id(s), s)
        if id(seg) not in done:
            done.add(id(seg))
            out.append(seg)
    return out


def make_segment(runs: list[Run]) -> Segment:
    if len(runs) == 1:
        run = runs[0]
        return Segment(run.x0, run.top, run.x1, run.bottom, run.size, run.text)
    return Segment(
        min(r.x0 for r in runs), min(r.top for r in runs), max(r.x1 for r in runs),
        max(r.bottom for r in runs), max(r.size for r in runs), join_runs(runs),
    )


# -- frames and tables ----------------------------------------------------------------


def encloses(outer, x0: float, top: float, x1: float, bottom: float, tol: float = 1.5) -> bool:
    return outer.x0 - tol <= x0 and outer.top - tol <= top and x1 <= outer.x1 + tol and bottom <= outer.bottom + tol


def is_closed(curve: dict) -> bool:
    """Tell whether a curve outlines an area (a rounded box), not an open stroke (an arrow)."""
    if curve.get("fill"):
        return True
    path = curve.get("path") or []
    if path and path[-1][0] == "h":
        return True
    pts = curve.get("pts") or []
    return len(pts) > 2 and abs(pts[0][0] - pts[-1][0]) < 1 and abs(pts[0][1] - pts[-1][1]) < 1


def find_frames(shapes: list[tuple[float, float, float, float]], width: float, height: float, runs: list[Run]) -> list[Frame]:
    """Return frames: the boxes ``(x0, top, x1, bottom)`` of rects and closed curves big enough to hold
    text that do hold some."""
    centers = sorted(((r.x0 + r.x1) / 2, (r.top + r.bottom) / 2) for r in runs)
    xs = [c[0] for c in centers]
    frames = []
    seen = set()
    page_area = width * height
    for x0, top, x1, bottom in shapes:
        w, h = x1 - x0, bottom - top
        if w < 6 or h < 6 or w * h > 0.9 * page_area:
            continue
        key = (round(x0), round(top), round(x1), round(bottom))
        if key in seen:  # a filled shape and its stroked outline
            continue
        seen.add(key)
        lo, hi = bisect.bisect_left(xs, x0), bisect.bisect_right(xs, x1)
        if any(top <= cy <= bottom for _, cy in centers[lo:hi]):
            frames.append(Frame(x0, top, x1, bottom))
    return frames


def find_tables(rules: Shapes) -> list[TableBlock]:
    """Return the page's ruled tables (at least two rows and two columns).

    Only straight lines and rects rule a table: curves (rounded boxes, charts) are left out.
    """
    found = []
    for table in find_ruled_tables(rules):
        rows = table.rows
        if len(rows) < 2 or max(sum(c is not None for c in r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        found.append(TableBlock(x0, top, x1, bottom, [list(r) for r in rows], list(table.row_boxes)))
    return found


def find_ledger_columns(table: TableBlock, runs: list[Run]) -> list[tuple[Column, float]]:
    """Return the table's ledger columns with the bottom of their header cell.

    A ledger column is headed ``説明`` (printed ``説 明``, letter-spaced) in one of the top
    rows of a table no program's name heads a column of (``grids.is_name_header``): the column of
    a budget book where each 細目 and 事業 is listed with its amount. The column runs from its
    header cell's left edge to its right edge, down the whole table.
    """
    found: list[tuple[Column, float]] = []
    heads = [cell for cells in table.cells[:4] for cell in cells if cell is not None]
    if not heads:
        return found
    low, high = min(cell[1] for cell in heads), max(cell[3] for cell in heads)
    centers = []  # the runs whose centre is as high as a head cell's, with it
    for r in runs:
        cy = (r.top + r.bottom) / 2
        if low <= cy <= high:
            centers.append(((r.x0 + r.x1) / 2, cy, r))
    by_x = sorted(range(len(centers)), key=lambda i: centers[i][0])  # a head cell's runs found by bisection
    xs = [centers[i][0] for i in by_x]
    for cell in heads:
        near = by_x[bisect.bisect_left(xs, cell[0]):bisect.bisect_right(xs, cell[2])]
        inside = [centers[i][2] for i in sorted(near) if cell[1] <= centers[i][1] <= cell[3]]  # in the runs' order
        text = "".join(r.text for r in sorted(inside, key=BY_X0))
        if is_name_header(text):
            return []  # 「事業名　予算額　前年度　比較　説明」: a table of programs, its last column their descriptions
        if LEDGER_HEADER[0] in text and LEDGER_COLUMN.fullmatch(re.sub(r"\s+", "", text)):
            found.append((Column(LEDGER_HEADER, round(cell[0], 2), round(cell[2], 2)), cell[3]))
    return found


def read_ledger(column: Column, header_bottom: float, runs: list[Run]) -> list[Segment]:
    """Return a ledger column's rows, top to bottom: one segment per row, its pieces joined by a tab.

    A row's pieces are its code and name, its count (``１４人``) and its amount; a tab stands
    between pieces that a wide gap separates (``001 社会福祉管理事業費\t6,327``), so an amount is
    never glued to a name.
    """
    rows = []
    for row in group_rows([r for r in runs if r.top >= header_bottom - 0.5]):
        pieces: list[Segment] = []
        split_row(row, pieces)  # a row of ``group_rows`` is one row again: its segments, left to right
        text = "\t".join(s.text for s in pieces)
        rows.append(Segment(min(s.x0 for s in pieces), min(s.top for s in pieces), max(s.x1 for s in pieces),
                            max(s.bottom for s in pieces), max(s.size for s in pieces), text))
    return rows


# The number of a table row, alone in its cell: "2" of the 「№」 column (「1」「2」 one above another)
ROW_NUMBER = re.compile(r"^[0-9]{1,3}$")


def fill_table(table: TableBlock, runs: list[Run]) -> None:
    """Set the table's lines: per row, the cells' texts joined by a tab; a ledger column's rows apart."""
    ledgers = find_ledger_columns(table, runs)
    for column, header_bottom in ledgers:
        inside = [r for r in runs if column.x0 <= (r.x0 + r.x1) / 2 <= column.x1 and (r.top + r.bottom) / 2 > header_bottom]
        taken = {id(r) for r in inside}
        runs = [r for r in runs if id(r) not in taken]
        table.ledgers.append((column, read_ledger(column, header_bottom, inside)))
    filled: dict[int, dict[int, list[Run]]] = {}  # the runs of each cell, row by row (rows without runs left out)
    boxes = table.row_boxes
    tops = [box[1] for box in boxes]
    bottoms = [box[3] for box in boxes]
    ordered = all(map(operator.lt, tops, tops[1:])) and all(map(operator.le, bottoms, bottoms[1:]))
    n_rows = len(boxes)
    for run in runs:
        cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
        if ordered:  # the first row box that holds cy: the first that reaches down to it, if it starts above it
            ri = bisect.bisect_left(bottoms, cy)
            if ri == n_rows or tops[ri] > cy:
                continue
        else:
            found = next((ri for ri, box in enumerate(boxes) if box[1] <= cy <= box[3]), None)
            if found is None:
                continue
            ri = found
        place = find_cell(table, ri, cx, cy)
        if place is not None:
            filled.setdefault(place[0], {}).setdefault(place[1], []).append(run)
    split_account_cells(table, filled)
    none: list[Run] = []
    for ri in sorted(filled):  # a row without runs has no line
        at = filled[ri]
        row_runs = [at.get(ci, none) for ci in range(len(table.cells[ri]))]
        box = boxes[ri]
        for top, bottom in split_numbered_row(row_runs, box[1], box[3]):
            texts = []
            whole = top == float("-inf") and bottom == float("inf")  # the row in one band (most rows)
            for cell_runs in row_runs:
                band = cell_runs if whole else [r for r in cell_runs if top <= (r.top + r.bottom) / 2 < bottom]
                if len(band) == 1:  # a cell of one run (most): its text
                    texts.append(band[0].text)
                else:
                    texts.append(join_cell([s.text for s in build_segments(band)]) if band else "")
            if any(texts):
                table.rows.append(("\t".join(texts).rstrip("\t"), (box[0], max(top, box[1]), box[2], min(bottom, box[3]))))


def split_account_cells(table: TableBlock, filled: dict[int, dict[int, list[Run]]]) -> None:
    """Give each row the lines of a cell of the account column (headed 「款・項・目」: ``vocab.ACCOUNT_HEADER``) merged
    over it and the rows below that stand at its height: 「7商工費」「1)商工費」「(5)観光費」 level with the first of
    five programs' rows, 「(6)地域雇用推進費」 with the fifth, each row's 目 where it changes (the rows between print
    nothing: theirs is the one above). A line that opens no level (「総務費」 of 「(1)こども保育」 wrapped) goes with the
    line above it; a cell whose first line is not in its first row (a word set in the middle of the rows) is left
    whole. Rows of small cells ruled inside another cell are no rows of the table's own (``is_table_row``)."""
    column = find_account_column(table, filled)
    if column is None:
        return
    cells, boxes = table.cells, table.row_boxes
    for ri in sorted(filled):
        runs = filled[ri].get(column)
        cell = cells[ri][column] if column < len(cells[ri]) else None
        if not runs or cell is None:
            continue
        spanned = [r for r in range(ri + 1, len(cells)) if boxes[r][1] < cell[3] - 0.5
                   and (column >= len(cells[r]) or cells[r][column] is None) and is_table_row(table, ri, r)]
        runs = sorted(runs, key=lambda run: run.top)
        if not spanned or (runs[0].top + runs[0].bottom) / 2 >= boxes[spanned[0]][1]:
            continue  # no row of the table's own below its first, or nothing in that first row
        tops = [boxes[r][1] for r in spanned]
        rows: dict[int, list[Run]] = {}
        row = ri
        for run in runs:
            if ACCOUNT_LEVEL_START.match(to_parse_form(run.text)):
                at = bisect.bisect_right(tops, (run.top + run.bottom) / 2) - 1
                row = spanned[at] if at >= 0 else ri
            rows.setdefault(row, []).append(run)
        for r, taken in rows.items():
            filled.setdefault(r, {})[column] = taken


def find_account_column(table: TableBlock, filled: dict[int, dict[int, list[Run]]]) -> int | None:
    """Return the column of a table headed 「款・項・目」 (a cell of one of its first two filled rows), or None."""
    for ri in sorted(filled)[:2]:
        for ci, runs in filled[ri].items():
            if runs and ACCOUNT_HEADER_CELL.search(re.sub(r"\s+", "", to_parse_form("".join(r.text for r in runs)))):
                return ci
    return None


def find_cell(table: TableBlock, ri: int, cx: float, cy: float) -> tuple[int, int] | None:
    """Return the row and column of the cell that holds a run's centre ``(cx, cy)``, its row's box
    ``ri`` holding ``cy``: the cell of that row across ``cx``, or, where that cell ends above ``cy``
    (a row beside a cell merged down over the rows below it, 「子育て」 of a 「分野」 column over two
    programs' rows; 「予算額（千円）」 over 「令和８年度」 and 「令和７年度」 beside 「事業名」 of two header rows), the cell
    across ``cx`` of the row below that holds ``cy`` (a row of the table's own: ``is_table_row``)."""
    cells = table.cells
    above = ri
    for r in range(ri, len(cells)):
        if table.row_boxes[r][1] > cy:
            break
        if r > ri:
            if not is_table_row(table, above, r):
                continue
            above = r
        for ci, cell in enumerate(cells[r]):
            if cell is not None and cell[0] <= cx <= cell[2]:
                if cell[3] >= cy:
                    return r, ci
                break
    # no cell holds it down to its centre: the row's cell across it, as before
    return next(((ri, ci) for ci, cell in enumerate(cells[ri]) if cell is not None and cell[0] <= cx <= cell[2]), None)


def is_table_row(table: TableBlock, above: int, r: int) -> bool:
    """Tell whether row ``r``, below row ``above``, is a row of the table's own: one across half the table at
    least, or one right under cells of ``above`` that end where it starts (``is_under_row_cells``); not a row of
    small cells ruled inside a cell (a box of 「社会福祉事業基金繰入金」 in a 「その他」 cell)."""
    x0, _, x1, _ = table.row_boxes[r]
    return x1 - x0 >= (table.x1 - table.x0) / 2 or is_under_row_cells(table, above, r)


def is_under_row_cells(table: TableBlock, ri: int, r: int) -> bool:
    """Tell whether row ``r`` stands right under cells of row ``ri`` that end where it starts and span it edge to
    edge: a row of the table's columns (「令和８年度」, 「令和７年度」 under 「予算額（千円）」), not small cells ruled
    inside a cell (a box of 「社会福祉事業基金繰入金」 in a 「その他」 cell, and the amount under it)."""
    x0, top, x1, _ = table.row_boxes[r]
    above = [cell for cell in table.cells[ri] if cell is not None and cell[0] < x1 and cell[2] > x0]
    return bool(above) and all(abs(cell[3] - top) <= 0.5 for cell in above) \
        and abs(min(cell[0] for cell in above) - x0) <= 0.5 and abs(max(cell[2] for cell in above) - x1) <= 0.5


def split_numbered_row(row_runs: list[list[Run]], top: float, bottom: float) -> list[tuple[float, float]]:
    """Return the bands a ruled row is read in: the whole row, or, where its first filled cell holds
    numbers one above another that count up (「2」「3」「4」 in the 「№」 column of one ruled row,
    its three programs drawn without a rule between them), one band a number, cut where the row's
    other text leaves the widest gap between two numbers."""
    whole = [(float("-inf"), float("inf"))]
    first = next((runs for runs in row_runs if runs), None)
    # two numbers at least, nothing but digits: a cell of one run, or a run not all digits, cannot hold them
    if first is None or len(first) < 2 or not all(r.text.isascii() and r.text.isdigit() for r in first):
        return whole
    numbers = sorted(build_segments(first), key=lambda s: s.top)
    if len(numbers) < 2 or not all(ROW_NUMBER.match(s.text) for s in numbers):
        return whole
    values = [int(s.text) for s in numbers]
    if values != list(range(values[0], values[0] + len(values))):
        return whole
    others = sorted((r.top, r.bottom) for runs in row_runs if runs is not first for r in runs)
    cuts = []
    for above, below in zip(numbers, numbers[1:]):
        low, high = (above.top + above.bottom) / 2, (below.top + below.bottom) / 2
        cuts.append(find_widest_gap([(t, b) for t, b in others if low < (t + b) / 2 < high], low, high))
    edges = [float("-inf"), *cuts, float("inf")]
    return list(zip(edges, edges[1:]))


def find_widest_gap(spans: list[tuple[float, float]], low: float, high: float) -> float:
    """Return the middle of the widest stretch between ``low`` and ``high`` that no span covers."""
    best, cut, reach = -1.0, (low + high) / 2, low
    for t, b in sorted(spans):
        if t - reach > best:
            best, cut = t - reach, (reach + t) / 2
        reach = max(reach, b)
    if high - reach > best:
        cut = (reach + high) / 2
    return cut


def build_frame_tree(page_frame: Frame, frames: list[Frame], tables: list[TableBlock], runs: list[Run]) -> None:
    """Hang frames, tables and runs on the innermost frame that holds them."""
    frames = [f for f in frames if not any(encloses(t, f.x0, f.top, f.x1, f.bottom) for t in tables)]
    frames.sort(key=lambda f: (f.x1 - f.x0) * (f.bottom - f.top))  # smallest first
    for i, f in enumerate(frames):
        f.parent = next(
            (g for g in frames[i + 1:] if encloses(g, f.x0, f.top, f.x1, f.bottom)), page_frame
        )
    for t in tables:
        holder = next((g for g in frames if encloses(g, t.x0, t.top, t.x1, t.bottom)), page_frame)
        holder.tables.append(t)
    table_runs: dict[int, list[Run]] = defaultdict(list)
    for run in runs:
        cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
        for ti, t in enumerate(tables):
            if t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom:
                table_runs[ti].append(run)
                break
        else:
            holder = next(
                (g for g in frames if g.x0 <= cx <= g.x1 and g.top <= cy <= g.bottom), page_frame
            )
            holder.runs.append(run)
    for ti, t in enumerate(tables):
        fill_table(t, table_runs.get(ti, []))
    dissolve_inline_frames(frames)
    # keep only frames that hold text, directly or below
    holding: set[int] = set()
    for f in frames:
        if f.runs or f.tables:
            g: Frame | None = f
            while g is not None and id(g) not in holding:
                holding.add(id(g))
                g = g.parent
    for f in frames:
        if id(f) in holding and f.parent is not None:
            f.parent.children.append(f)


def dissolve_inline_frames(frames: list[Frame]) -> None:
    """Give back to its parent a one-row frame whose row goes on outside it (a highlight)."""
    for f in frames:
        if not f.runs or f.parent is None or f.tables:
            continue
        tops = min(r.top for r in f.runs)
        bottoms = max(r.bottom for r in f.runs)
        size = max(r.size for r in f.runs)
        if len(group_rows(f.runs)) != 1:
            continue
        mid = (tops + bottoms) / 2
        reach = SEGMENT_GAP * size
        inline = any(
            r.top <= mid <= r.bottom and (f.x0 - reach <= r.x1 <= f.x0 + 1 or f.x1 - 1 <= r.x0 <= f.x1 + reach)
            for r in f.parent.runs
        )
        if inline:
            f.parent.runs.extend(f.runs)
            f.runs = []


# -- reading order --------------------------------------------------------------------


class Emitter:
    """Collects a page's lines in reading order with the breaks between them."""

    def __init__(self) -> None:
        self.lines: list[PageLine] = []
        self.pending = 0
        self.last: Segment | None = None

    def add_break(self, n: int) -> None:
        self.pending = max(self.pending, n)

    def add_line(self, text: str, bbox: tuple[float, float, float, float], size: float,
                 column: Column | None = None, row: bool = False) -> None:
        """Add a line (``row``: the next row of the table whose rows come before it, never a paragraph apart)."""
        brk = self.pending
        last = self.last
        if last is not None and brk == 0 and not row and bbox[1] - last.bottom > PARAGRAPH_GAP * max(size, last.size):
            brk = 1
        text = TRACKED.sub(lambda m: m.group().replace(" ", ""), text)
        self.lines.append(PageLine(text, bbox, size, brk, column))
        self.pending = 0
        self.last = Segment(bbox[0], bbox[1], bbox[2], bbox[3], size, text)


def read_frame(frame: Frame, out: Emitter) -> None:
    """Emit a frame's content in reading order.

    A box without a title band whose first line reads as a heading gets that line on its
    own (a paragraph break after it), so the segmenter takes it as the box's section.
    """
    runs = frame.runs
    grids = find_grids(runs, frame.x1) if len(runs) >= MIN_GRID_RUNS else []  # tables printed without rules
    if grids:
        taken = set().union(*(g.taken for g in grids))
        runs = [r for r in runs if id(r) not in taken]
    atoms: list = merge_vertical(build_segments(runs)) if runs else []
    atoms.extend(frame.children)
    atoms.extend(frame.tables)
    atoms.extend(TableBlock(g.x0, g.top, g.x1, g.bottom, [], [], g.rows) for g in grids)
    start = len(out.lines)
    order_atoms(atoms, out)
    if frame.parent is not None and len(out.lines) - start >= 2 and out.lines[start + 1].brk == 0:
        first = out.lines[start]
        if is_box_title(first.text):
            nxt = out.lines[start + 1]
            out.lines[start + 1] = replace(nxt, brk=1)


def is_box_title(text: str) -> bool:
    """Tell whether a box's first line reads as its title: a heading, not a mark or bracket."""
    text = to_parse_form(text).strip()
    return not STRUCTURE_MARK.match(text) and is_heading_like(text)


def emit_atom(atom, out: Emitter) -> None:
    if isinstance(atom, Segment):
        out.add_line(atom.text, (atom.x0, atom.top, atom.x1, atom.bottom), atom.size)
    elif isinstance(atom, TableBlock):
        out.add_break(2)
        for i, (text, bbox) in enumerate(atom.rows):
            out.add_line(text, bbox, 0.0, row=i > 0)
        for column, rows in atom.ledgers:
            out.add_break(2)
            for seg in rows:
                out.add_line(seg.text, (seg.x0, seg.top, seg.x1, seg.bottom), seg.size, column)
        out.add_break(2)
    else:
        out.add_break(2)
        read_frame(atom, out)
        out.add_break(2)


def is_one_row(atoms: list) -> bool:
    """Tell whether every atom is a segment and all sit on one row."""
    if not all(type(a) is Segment for a in atoms):
        return False
    tops = [a.top for a in atoms]
    bottoms = [a.bottom for a in atoms]
    return min(bottoms) - max(tops) > 0.5 * min(map(operator.sub, bottoms, tops))


def emit_row(atoms: list[Segment], out: Emitter) -> None:
    """Emit one row's segments as one line (or a few, where they stand far apart). Three groups far apart or more,
    text first and a figure last (「1 認知症初期集中支援推進事業 │ 専門職チームによる訪問支援 │ 12,400」: a row of a
    table printed without rules or header), are one line, its groups parted by a tab as a ruled table's cells. Two,
    a text and an amount with notes in brackets after it (「・子育て短期支援事業 │ １，２００千円　（こども家庭課）」),
    are one line as printed: on a line of its own, the amount would be read as no one's."""
    atoms = sorted(atoms, key=BY_X0)
    groups = [[atoms[0]]]
    for a in atoms[1:]:
        if a.x0 - groups[-1][-1].x1 > LINE_SPLIT_GAP * max(a.size, groups[-1][-1].size):
            groups.append([a])
        else:
            groups[-1].append(a)
    if len(groups) >= 3 and len(groups[-1]) == 1 and is_figure(groups[-1][0]) and is_text(groups[0][0]):
        cells = [" ".join(a.text for a in group) for group in groups]
        out.add_line("\t".join(cells), (atoms[0].x0, min(a.top for a in atoms), max(a.x1 for a in atoms),
                                         max(a.bottom for a in atoms)), max(a.size for a in atoms))
        return
    if len(groups) == 2 and len(groups[1]) == 1 and not is_figure(groups[1][0]) and is_row_figure(groups[1][0]) \
            and is_text(groups[0][0]):
        emit_group(atoms, out)  # 「・子育て短期支援事業 │ １，２００千円　（こども家庭課）」: a name and its amount with notes
        return
    for group in groups:
        emit_group(group, out)


def emit_group(group: list[Segment], out: Emitter) -> None:
    text = " ".join(a.text for a in group)
    bbox = (min(a.x0 for a in group), min(a.top for a in group), max(a.x1 for a in group), max(a.bottom for a in group))
    out.add_line(text, bbox, max(a.size for a in group))


def find_vertical_cuts(atoms: list) -> list[list]:
    """Split atoms into columns at white vertical gutters; one group when there is none."""
    spans = sorted(atoms, key=BY_X0)
    first = spans[0]
    groups: list[list] = [[first]]
    right = first.x1
    right_framed = type(first) is not Segment
    median: float | None = None  # the atoms' median size, computed when first needed
    for a in spans[1:]:
        x0, x1 = a.x0, a.x1
        gap = x0 - right
        framed = type(a) is not Segment
        if framed and right_framed:
            need = FRAME_GUTTER
        else:
            if median is None:
                median = compute_median_size(atoms)
            need = SEGMENT_GAP * median
        if gap > need:
            groups.append([a])
            right, right_framed = x1, framed
        else:
            groups[-1].append(a)
            if x1 > right:
                right, right_framed = x1, framed
    return groups


def keep_cell_columns(columns: list[list]) -> list[list]:
    """Put a column of figures (amounts, account codes) back with the column beside it where each
    of its atoms on a row of that column is a figure alone: a table printed without rules or header,
    「3-1-2 │ 障害者福祉サービス給付費の増 │ 2,400万円」, is read row by row, not a column at a time
    (headings above or below the figures, 「歳出」, stay where they are, in bands of their own); and a column whose
    rows end in figures beside a column of names (``are_figure_rows``)."""
    if len(columns) < 2:
        return columns
    out = [list(columns[0])]
    for column in columns[1:]:
        if are_row_cells(column, out[-1]) or are_row_cells(out[-1], column) or are_amounts_between_rows(column, out[-1]) \
                or are_field_labels(out[-1], column):
            out[-1].extend(column)  # 「2,400万円」 right of its names; 「3-1-2」 left of them
        else:
            out.append(list(column))
        if len(out) > 1 and are_figure_rows(out[-1], out[-2]):
            out[-2].extend(out.pop())  # 「概要　12,400」 right of 「1 認知症初期集中支援推進事業」
    for left, right in zip(out, out[1:]):
        take_row_amounts(left, right)
    return [column for column in out if column]


def take_row_amounts(left: list, right: list) -> None:
    """Move to ``left`` each amount alone of ``right`` that opens its row there (before a text of ``right``, or
    alone), and stands right after a text of ``left`` on that row: the amount of that text, set right of it near the
    gutter (「○ 通いの場支援事業 …… 3,400千円 │ ○ 配食サービス事業 …… 12,500千円」), which a heading across both
    columns above (the title, centred) kept from the column of its names. An amount after a text of its own
    column stays, and so does one before other figures, or after them (a table's cells)."""
    amounts = [a for a in right if is_figure(a) and AMOUNT_MARKS.search(a.text)]
    if not amounts:
        return
    rows_right, rows_left = RowIndex(right), RowIndex(left)
    moved = []
    for a in amounts:
        row = sorted((b for b in rows_right.share(a) if b is not a), key=BY_X0)
        if row and (row[0].x0 < a.x0 or not is_text(row[0])):
            continue  # an amount after its own column's text, or a cell of a row of figures (「4.4％ △87万円」)
        before = [b for b in rows_left.share(a) if b.x1 <= a.x0]
        if before and is_text(max(before, key=lambda b: b.x1)) and not is_under_own_text(a, right):
            moved.append(a)  # right after a text: 「○ 通いの場支援事業」
    if moved:
        ids = {id(a) for a in moved}
        right[:] = [a for a in right if id(a) not in ids]
        left.extend(moved)


def is_under_own_text(amount, column: list, aligned: bool = False) -> bool:
    """Tell whether an amount stands right under a text of its own column (less than a line's height below) that opens
    left of it: 「　4,100万円」 set in under 「○重層的支援体制整備事業」, its name, in a column of its own. With
    ``aligned``, a text that opens where it opens and is no row's figure: the amount is that text's next line
    (「予算額：2,500千円」 under 「■地域包括ケア推進事業」), not a figure set apart from what stands over it (an account
    code under a stamp) nor one under another figure (a column of amounts)."""
    height = amount.bottom - amount.top
    return any(is_text(b) and 0 <= amount.top - b.bottom + 0.5 <= height
               and (abs(b.x0 - amount.x0) <= LINE_START_TOLERANCE and not is_row_figure(b) if aligned
                    else b.x0 <= amount.x0 + 0.5 < b.x1)
               for b in column)


def is_figure(atom, percent: bool = False) -> bool:
    """Tell whether an atom is a segment that holds a figure alone: an amount (「2,400万円」, 「0 万円」) or an
    account code (「3-1-2」); with ``percent``, a share too (「4.4％」)."""
    if type(atom) is not Segment:
        return False
    figure = to_parse_form(atom.text).replace(" ", "")
    return CELL_FIGURE.match(figure.rstrip("%") if percent else figure) is not None


def is_row_figure(atom) -> bool:
    """Tell whether an atom ends a row as its figure: a figure alone (``is_figure``), an amount said to be about so much
    (「約２，５００万円」), a figure after its budget word (``LABELLED_FIGURE``: 「補正額　△１２，０００」), or an amount with notes
    in brackets after it (``NOTED_FIGURE``: 「１，２００千円　（こども家庭課）」)."""
    if is_figure(atom):
        return True
    if type(atom) is not Segment:
        return False
    text = to_parse_form(atom.text).replace(" ", "")
    if text.startswith(ABOUT) and CELL_FIGURE.match(text[len(ABOUT):]) and AMOUNT_MARKS.search(text):
        return True
    labelled = LABELLED_FIGURE.match(text)
    if labelled is not None and CELL_FIGURE.match(labelled["figure"]):
        return True
    noted = NOTED_FIGURE.match(text)
    return noted is not None and CELL_FIGURE.match(noted["figure"]) is not None and AMOUNT_MARKS.search(noted["figure"]) is not None


def is_text(atom) -> bool:
    """Tell whether an atom is a segment of Japanese text (a name, a sentence), not a figure (「0 万円」, 「4.4％」)."""
    return type(atom) is Segment and JAPANESE_CHAR.search(atom.text) is not None and not is_figure(atom, percent=True)


class RowIndex:
    """Atoms by their tops, to find those that share a row with another quickly (a column may hold hundreds)."""

    def __init__(self, atoms: list):
        self.atoms = sorted(atoms, key=BY_TOP)
        self.tops = [a.top for a in self.atoms]
        self.reach = max((a.bottom - a.top for a in self.atoms), default=0.0)

    def share(self, atom) -> list:
        """The atoms that share ``atom``'s row: most of the lower one's height."""
        height = atom.bottom - atom.top
        lo = bisect.bisect_left(self.tops, atom.top - self.reach)
        hi = bisect.bisect_right(self.tops, atom.bottom)
        return [b for b in self.atoms[lo:hi]
                if min(atom.bottom, b.bottom) - max(atom.top, b.top) >= 0.5 * min(height, b.bottom - b.top) > 0]


def are_row_cells(column: list, beside: list) -> bool:
    """Tell whether the atoms of ``column`` that share a row with an atom of ``beside`` (most of the
    shorter one's height) are figures alone, amounts or account codes, and there is one at least, none of them a
    line of its own column's text (``is_under_own_text``, aligned: 「予算額：2,500千円」 under 「■地域包括ケア推進事業」, a
    short column of its own beside 「■在宅療養推進事業」)."""
    figures = [is_row_figure(a) for a in column]
    if not any(figures):  # a column of text: told at once
        return False
    rows = RowIndex(beside)
    found = False
    for atom, figure in zip(column, figures):
        if rows.share(atom):
            if not figure or is_under_own_text(atom, column, aligned=True):
                return False
            found = True
    return found


def are_field_labels(column: list, beside: list) -> bool:
    """Tell whether the atoms of ``column``, left of ``beside``, on a row of ``beside`` are a sheet's field labels
    alone (``FIELD_LABEL``: 「事業名」, 「担当課」, 「予算額」), two at least, and ``beside`` holds their values: the sheet
    is read a field at a time, each label with its value, not the labels first (a record's number above the labels,
    「No.2」, on no row of a value, may stand in the column too)."""
    values = RowIndex(beside)
    labels = [a for a in column if values.share(a)]
    return len(labels) >= 2 and all(type(a) is Segment and FIELD_LABEL.match(to_parse_form(a.text).replace(" ", ""))
                                    for a in labels)


def are_amounts_between_rows(column: list, beside: list) -> bool:
    """Tell whether ``column``, right of ``beside``, holds amounts alone, each on a row of its own (none on a row of
    ``beside``): an amount set right on the line under its name (「●　障害者グループホーム整備補助事業」 over
    「３０，０００千円」 far right, the program's description under it), read in its place among the lines, top to
    bottom, not after them all."""
    if not all(type(a) is Segment and is_row_figure(a) and AMOUNT_MARKS.search(a.text) for a in column) \
            or not all(type(b) is Segment for b in beside):
        return False
    others = RowIndex(beside)
    return not any(others.share(a) for a in column)


def are_figure_rows(column: list, beside: list) -> bool:
    """Tell whether ``column``, right of ``beside``, holds the rest of ``beside``'s rows: each of its rows ends in a
    figure (「専門職チームによる訪問支援　12,400」 beside 「1 認知症初期集中支援推進事業」), every atom of each column
    shares a row with one of the other, and there are two rows at least: a table of names, descriptions and amounts
    printed without rules or header, read row by row. Two columns of text side by side, their lines level, end their
    rows in words."""
    if len(column) < 2 or not any(is_row_figure(a) for a in column):  # no figure: told at once
        return False
    rows, others = RowIndex(column), RowIndex(beside)
    if not all(others.share(a) for a in column) or not all(rows.share(b) for b in beside):
        return False
    ends = {id(max(rows.share(a), key=lambda b: b.x1)) for a in column}
    last = [a for a in column if id(a) in ends]
    return len(last) >= 2 and all(is_row_figure(a) for a in last) and not any(is_figure(b) for b in beside)


def find_horizontal_cut(atoms: list) -> tuple[list, list] | None:
    """Split atoms at the widest white horizontal band (the top one of equals), or None."""
    spans = sorted(atoms, key=BY_TOP)
    best = None
    best_gap = 0.0
    bottom = spans[0].bottom
    for i in range(1, len(spans)):
        a = spans[i]
        gap = a.top - bottom
        if gap > best_gap + 0.5:
            best, best_gap = i, gap
        if a.bottom > bottom:
            bottom = a.bottom
    if best is None or best_gap <= 0.0:
        return None
    return spans[:best], spans[best:]


def compute_median_size(atoms: list) -> float:
    sizes = sorted([a.size for a in atoms if type(a) is Segment])
    return sizes[len(sizes) // 2] if sizes else 10.0


def order_atoms(atoms: list, out: Emitter) -> None:
    """XY cut: columns left to right, then bands top to bottom, each cut again.

    A horizontal cut peels off the part above the widest white band; the part below is
    cut in the loop, not by recursion, so a long page of lines costs no deep stack.
    """
    while atoms:
        if len(atoms) == 1:
            emit_atom(atoms[0], out)
            return
        if is_one_row(atoms):
            emit_row(atoms, out)
            return
        columns = keep_cell_columns(find_vertical_cuts(atoms))
        if len(columns) > 1:
            for column in columns:
                out.add_break(2)
                order_atoms(column, out)
            out.add_break(2)
            return
        cut = find_horizontal_cut(atoms)
        if cut is None:
            for atom in sorted(atoms, key=lambda a: (a.top, a.x0)):
                emit_atom(atom, out)
            return
        order_atoms(cut[0], out)
        atoms = cut[1]


# -- pages and documents --------------------------------------------------------------


@dataclass
class PageText:
    number: int
    width: float
    height: float
    lines: list[PageLine]
    warnings: list[str] = field(default_factory=list)
    turned: int = 0  # its characters that run sideways as it is shown, when they are most of them: not read
    # the /Rotate a page read as drawn is shown by (``lay_out_as_drawn``): its size and boxes are the page's as drawn,
    # each box turned to the page as shown when the lines are numbered (``number_lines``); 0: as shown
    rotation: int = 0

    def shown_size(self) -> tuple[float, float]:
        """The page's width and height as shown."""
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)


def read_page(page: PageRecord, number: int) -> PageText:
    """Read one page into lines in reading order, or raise ``PdfReadError``."""
    chars = page.chars
    if not len(chars) and not page.has_text:
        if page.images:
            raise PdfReadError("no_text_layer", f"page {number} has images but no text layer (a scan?)")
        return PageText(number, page.width, page.height, [])
    texts = chars.text
    joined = "".join(texts)
    bad, total = count_bad_glyphs(texts, joined)
    check_text_layer(bad, total, number)
    if page.rotation == 180 and runs_backwards(chars):  # drawn upright, shown upside down by its /Rotate 180
        upside = lay_out_as_drawn(page, number)
        upside.warnings.append(f"page {number}: shown upside down (its /Rotate 180 turns text drawn upright): "
                               "read as drawn, upright")
        return upside
    if page.rotation in (90, 270) and is_mostly_turned(chars):  # drawn upright, shown sideways by its /Rotate
        sideways = lay_out_as_drawn(page, number)
        sideways.warnings.append(f"page {number}: shown sideways (its /Rotate {page.rotation} turns text drawn "
                                 "upright): read as drawn, upright")
        return sideways
    if page.rotation == 0 and is_mostly_turned(chars):  # drawn sideways, no /Rotate: turned as a reader turns it
        quarter = find_reading_quarter(page)
        sideways = lay_out_as_drawn(replace(page, rotation=quarter), number)
        sideways.warnings.append(f"page {number}: its text is drawn sideways (no /Rotate turns it): read turned a "
                                 f"quarter {'clockwise' if quarter == 90 else 'anticlockwise'}, upright")
        return sideways
    try:
        vertical, share = measure_vertical(chars)  # the share also tells a page set down in part
        if vertical:
            text = lay_out_vertical_page(page, chars, number)
            text.warnings.append(f"page {number}: vertical text ({share:.0%} of its characters run downwards), "
                                 "read column by column from the right")
        elif regions := find_page_regions(page, chars, share):
            text = lay_out_mixed_page(page, chars, number, regions)
            n = sum(len(r.places) for r in regions)
            text.warnings.append(f"page {number}: vertical text in part ({n} of {total} characters, in "
                                 f"{len(regions)} region{'s' if len(regions) > 1 else ''}), read column by column "
                                 "from the right apart from the rest")
        else:
            text = lay_out_page(page, chars, number)
    except MemoryError:
        raise  # the memory limit, not a layout bug: the caller says too_large
    except Exception as exc:  # a layout bug costs this document, named, not the run
        raise PdfReadError("layout_error", f"page {number}: {type(exc).__name__}: {exc}") from exc
    if bad >= MIN_BAD_GLYPHS:  # fewer than half (else the page is unreadable_text), yet not to be trusted
        text.warnings.append(f"page {number}: {bad} of {total} characters ({bad / total:.0%}) have no readable "
                             "text ((cid:NN), U+FFFD or private-use glyphs)")
    turned = count_turned(chars)
    if turned >= MIN_TURNED and turned * 2 > total:
        text.turned = turned
        text.warnings.append(f"page {number}: {turned} of {total} characters run sideways as the page is shown "
                             f"(turned{f' by its /Rotate {page.rotation}' if page.rotation else ''}, or drawn so): "
                             "not read")
    unmapped = [t for t in texts if UNMAPPED_DIGIT.fullmatch(t)] if UNMAPPED_DIGIT.search(joined) else []
    if len(unmapped) >= 3:
        text.warnings.append(f"page {number}: {len(unmapped)} characters ({''.join(unmapped[:8])}) stand for "
                             "digits of a font with no text map: the numbers there cannot be read")
    return text


def find_page_regions(page: PageRecord, chars: Chars, share: float) -> list[Region]:
    """Return the regions of a horizontal page set vertically (see ``vertical``), looked for only
    where at least ``MIXED_SHARE`` of the chars run downwards (``share``, from ``measure_vertical``)."""
    if share < MIXED_SHARE:
        return []
    rules = join_shapes(page.lines, page.rects)
    tables = [(t.x0, t.top, t.x1, t.bottom) for t in (find_tables(rules) if len(rules) >= 4 else [])]
    return find_vertical_regions(chars, tables)


def lay_out_mixed_page(page: PageRecord, chars: Chars, number: int, regions: list[Region]) -> PageText:
    """Lay out a page set across but for some regions set down: the regions' chars as a vertical
    page (``lay_out_vertical_page``), the rest as a page across; the regions' lines come after the
    lines across above their top and before the others."""
    inside = np.zeros(len(chars), dtype=bool)
    for region in regions:
        inside[region.places] = True
    down = lay_out_vertical_page(page, chars.take(inside), number).lines
    across = lay_out_page(page, chars.take(~inside), number).lines
    top = min(region.top for region in regions)
    above = [line for line in across if line.bbox[1] < top]
    below = [line for line in across if line.bbox[1] >= top]
    if down:
        down[0] = replace(down[0], brk=max(down[0].brk, 2))
    if below:
        below[0] = replace(below[0], brk=max(below[0].brk, 2))
    return PageText(number, page.width, page.height, above + down + below)


def lay_out_page(page: PageRecord, chars: Chars, number: int) -> PageText:
    """Build a page's lines from its chars, shapes and tables."""
    width, height = page.width, page.height
    runs = build_runs(chars)
    rects = page.rects
    shapes = list(zip(rects.x0.tolist(), rects.top.tolist(), rects.x1.tolist(), rects.bottom.tolist()))
    shapes += [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.curves if is_closed(c)]
    frames = find_frames(shapes, width, height, runs)
    rules = join_shapes(page.lines, rects)
    tables = find_tables(rules) if len(rules) >= 4 else []
    root = Frame(0.0, 0.0, width, height)
    build_frame_tree(root, frames, tables, runs)
    out = Emitter()
    read_frame(root, out)
    return PageText(number, width, height, out.lines)


def measure_vertical(chars: Chars) -> tuple[bool, float]:
    """Tell whether a page is set vertically (縦書き), and the share of its chars that run downwards.

    A char runs downwards when the next char of its column starts right below it (within
    0.3 em, centres within 0.2 em) and none starts right after it on its own baseline; it
    runs across when one does. pdfminer gives a vertical 官報 page as upright chars stacked in
    columns, which the horizontal reading would scramble into rows of unrelated characters.

    A page whose chars run across too often for it to be set down even in part (below
    ``MIXED_SHARE``, whatever the others do) is told so at once, its share given as 0 (most
    pages: the columns are not looked at).
    """
    seen = find_visible(chars) & chars.upright
    n = int(seen.sum())
    if n < MIN_VERTICAL:
        return False, 0.0
    # each measure an array: the page's columns, not a loop over its chars
    tops, bottoms, x0s, x1s = chars.top[seen], chars.bottom[seen], chars.x0[seen], chars.x1[seen]
    sizes = chars.size[seen]
    sizes = np.where(sizes == 0.0, 1.0, sizes)  # a size of 0 counts as 1, as ``or 1.0`` makes it
    places = np.arange(n)
    # by (round(top), x0), ties in drawing order (round half to even, as ``round`` does)
    by_row = np.lexsort((places, x0s, np.rint(tops)))
    a, b = by_row[:-1], by_row[1:]
    reach = 0.2 * sizes[a]
    gap = x0s[b] - x1s[a]
    across = np.zeros(n, dtype=bool)
    across[a[(np.abs(tops[b] - tops[a]) < reach) & (gap >= 0) & (gap < 0.3 * sizes[a])]] = True
    n_across = int(across.sum())
    most = n - n_across  # the most chars that can run downwards and not across
    if most < MIN_VERTICAL or most / max(1, most + n_across) < MIXED_SHARE:
        return False, 0.0
    mids = (x0s + x1s) / 2
    by_column = np.lexsort((places, tops, np.rint(mids)))
    a, b = by_column[:-1], by_column[1:]
    drop = tops[b] - bottoms[a]
    down = np.zeros(n, dtype=bool)
    down[a[(np.abs(mids[b] - mids[a]) < 0.2 * sizes[a]) & (drop >= 0) & (drop < 0.3 * sizes[a])]] = True
    vertical = int((down & ~across).sum())
    share = vertical / max(1, vertical + n_across)
    return vertical >= MIN_VERTICAL and share >= VERTICAL_SHARE, share


def count_turned(chars: Chars) -> int:
    """How many of the page's characters run sideways as it is shown (not upright)."""
    return int(np.count_nonzero(find_visible(chars) & ~chars.upright))


def is_mostly_turned(chars: Chars) -> bool:
    """Tell whether most of the page's characters, ``MIN_TURNED`` at least, run sideways as it is shown."""
    turned = count_turned(chars)
    return turned >= MIN_TURNED and turned * 2 > len(chars)


BACKWARD_SHARE = 0.9  # of the steps along a line, in drawing order, that go leftwards on a page shown upside down
MIN_STEPS = 20  # steps along lines that tell it


def runs_backwards(chars: Chars) -> bool:
    """Tell whether the page's text, in drawing order, runs right to left along its lines as the page is
    shown (``BACKWARD_SHARE`` of ``MIN_STEPS`` steps at least): text drawn upright on a page its /Rotate 180
    shows upside down. A step is from one character to the next on its line, less than two sizes away."""
    visible = np.flatnonzero(find_visible(chars) & chars.upright)
    if len(visible) <= MIN_STEPS:
        return False
    x = (chars.x0[visible] + chars.x1[visible]) / 2
    y = (chars.top[visible] + chars.bottom[visible]) / 2
    size = chars.size[visible]
    dx, dy = np.diff(x), np.diff(y)
    along = (np.abs(dy) < 0.3 * size[:-1]) & (np.abs(dx) > 0) & (np.abs(dx) < 2 * size[:-1])
    steps = int(np.count_nonzero(along))
    return steps >= MIN_STEPS and int(np.count_nonzero(along & (dx < 0))) >= BACKWARD_SHARE * steps


def find_reading_quarter(page: PageRecord) -> int:
    """The quarter turn (as a /Rotate: 90 or 270) that sets a page's sideways text upright and reading left to right:
    the one under which its characters do not run backwards (``runs_backwards``); 90 when neither tells."""
    for quarter in (90, 270):
        x0, top, x1, bottom = turn_boxes(page.chars.x0, page.chars.top, page.chars.x1, page.chars.bottom,
                                         page.width, page.height, quarter)
        turned = replace(page.chars, x0=x0, top=top, x1=x1, bottom=bottom, upright=~page.chars.upright)
        if not runs_backwards(turned):
            return quarter
    return 90


def turn_boxes(x0, top, x1, bottom, width: float, height: float, rotation: int):
    """The boxes ``(x0, top, x1, bottom)`` of a page shown ``width`` by ``height`` under its /Rotate ``rotation``
    (90, 180 or 270), as the page is drawn: turned back as far as the /Rotate turned them."""
    if rotation == 90:
        return top, width - x1, bottom, width - x0
    if rotation == 270:
        return height - bottom, x0, height - top, x1
    return width - x1, height - bottom, width - x0, height - top


def turn_box_back(box: tuple[float, float, float, float], width: float, height: float,
                  rotation: int) -> tuple[float, float, float, float]:
    """A box of the page as drawn (``turn_boxes``) on the page as shown: the inverse turn."""
    x0, top, x1, bottom = box
    if rotation == 90:
        return width - bottom, x0, width - top, x1
    if rotation == 270:
        return top, height - x1, bottom, height - x0
    return width - x1, height - bottom, width - x0, height - top


def lay_out_as_drawn(page: PageRecord, number: int) -> PageText:
    """Lay out a page whose /Rotate shows the text drawn upright on it upside down (180) or sideways (90, 270)
    as it is drawn: its characters, rules and boxes turned back, read by the same rules (a character shown
    sideways is upright as drawn). The page's text is of the page as drawn, its ``rotation`` the /Rotate."""
    width, height, rotation = page.width, page.height, page.rotation
    drawn = (height, width) if rotation in (90, 270) else (width, height)

    def turn(shapes):
        x0, top, x1, bottom = turn_boxes(shapes.x0, shapes.top, shapes.x1, shapes.bottom, width, height, rotation)
        return replace(shapes, x0=x0, top=top, x1=x1, bottom=bottom)

    def turn_curve(curve: dict) -> dict:
        x0, top, x1, bottom = turn_boxes(curve["x0"], curve["top"], curve["x1"], curve["bottom"], width, height, rotation)
        pts = [turn_boxes(px, py, px, py, width, height, rotation)[:2] for px, py in curve.get("pts") or []]
        return {**curve, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "pts": pts}

    chars = turn(page.chars)
    if rotation in (90, 270):
        chars = replace(chars, upright=~page.chars.upright)  # sideways as shown: upright as drawn
    turned = replace(page, width=drawn[0], height=drawn[1], rotation=0, chars=chars, rects=turn(page.rects),
                     lines=turn(page.lines), curves=[turn_curve(c) for c in page.curves])
    text = read_page(turned, number)
    text.rotation = rotation  # (its headers and footers are told on the page as drawn, its boxes given as shown)
    return text


def lay_out_vertical_page(page: PageRecord, chars: Chars, number: int) -> PageText:
    """Lay out a vertical page: turned a quarter so columns become rows, read by the same rules.

    Right to left becomes top to bottom, downwards becomes left to right; the bands (段) of
    the page become columns and are read first to last. Boxes and tables are not used here.
    Every line's box is turned back to the page's own coordinates.
    """
    width, height = page.width, page.height
    turned = replace(chars, x0=chars.top, x1=chars.bottom, top=width - chars.x1, bottom=width - chars.x0)
    runs = build_runs(turned)
    root = Frame(0.0, 0.0, height, width)
    build_frame_tree(root, [], [], runs)
    out = Emitter()
    read_frame(root, out)
    lines = [replace(line, bbox=(width - line.bbox[3], line.bbox[0], width - line.bbox[1], line.bbox[2]))
             for line in out.lines]
    return PageText(number, width, height, lines)


def find_visible(chars: Chars) -> np.ndarray:
    """Which chars are not whitespace (a mask): all of an engine's, whose records leave whitespace out."""
    text = chars.text
    if has_blank(text):
        return np.fromiter((bool(t) and not t.isspace() for t in text), bool, len(text))
    return np.ones(len(text), dtype=bool)


def has_blank(texts: list[str]) -> bool:
    """Whether any of the chars' texts is empty or whitespace: looked at one by one only where their
    texts joined hold some whitespace (``WHITESPACE``: what ``str.isspace`` tells, in one search)."""
    if "" in texts:
        return True
    return WHITESPACE.search("".join(texts)) is not None and any(map(str.isspace, texts))


def count_bad_glyphs(texts: list[str], joined: str) -> tuple[int, int]:
    """Return how many of a page's visible chars are unmapped glyphs, and how many there are.

    ``texts`` are the chars' texts and ``joined`` all of them joined: a page without a trace of
    an unmapped glyph in it (most) is not looked at char by char.
    """
    if "" in texts or (WHITESPACE.search(joined) is not None and any(map(str.isspace, texts))):
        texts = [text for text in texts if text and not text.isspace()]
    if not BAD_GLYPH_HINT.search(joined):
        return 0, len(texts)
    return sum(map(is_bad_glyph, texts)), len(texts)


def check_text_layer(bad: int, total: int, number: int) -> None:
    """Raise ``unreadable_text`` when most of a page's chars are unmapped glyphs (``count_bad_glyphs``)."""
    if total and bad * 2 > total:
        raise PdfReadError(
            "unreadable_text",
            f"page {number}: {bad} of {total} characters have no readable text "
            "((cid:NN), U+FFFD or private-use glyphs)",
        )


def drop_page_furniture(pages: list[PageText], keep: set[int]) -> None:
    """Drop running headers and footers and bare page numbers near the top or bottom edge.

    A header or footer is a line in the top or bottom ``EDGE_BAND`` of its page whose text
    comes back at the same height on at least half the pages, two at least (digits aside when
    the rest is short, as in ``- 3 -`` or ``資料5-2``: a budget label ``R8予算額（案）：557,263千円`` is
    kept). A slide title shared by a few slides of a deck (``研究の背景`` on slides 2 and 3) is
    their section, not furniture. ``keep`` holds the
    ``id`` of lines never to drop (the title). An account heading (``３款 民生費``) is never
    furniture: it names the account of every row of its page; nor is a unit note (``（単位：千円）``), nor a
    table's row (its cells joined by tabs: a table's header printed again over its rows on every page).
    A running header that names a fiscal year (``令和８年度 一般会計予算``) is kept once, where it
    first stands: it is the document's own heading.
    """
    def key(page: PageText, line: PageLine) -> tuple[str, int] | None:
        band = EDGE_BAND * page.height
        if line.bbox[1] > band and line.bbox[3] < page.height - band:
            return None
        text = line.text
        # numbering ("- 3 -", "資料5-2", "3/12"): compared with its digits ("3", "5", "2") as "#"; an
        # amount ("［１，４９６万円］" at a page's foot) is never numbering
        if len(re.sub(r"[0-9０-９\s]", "", text)) <= 6 and not AMOUNT_MARKS.search(text):
            text = re.sub(r"[0-9０-９]+", "#", text)
        return text, round(line.bbox[1] / 3)

    seen: Counter = Counter()
    for page in pages:
        seen.update({k for line in page.lines if (k := key(page, line)) is not None})
    running = max(2, (len(pages) + 1) // 2)
    named_once: set = set()
    for page in pages:
        kept = []
        pending = 0
        for line in page.lines:
            k = key(page, line)
            furniture = k is not None and (seen[k] >= running or PAGE_NUMBER.match(line.text.strip()))
            furniture = furniture and not (ACCOUNT_HEADING.match(line.text) or UNIT_HEADING.match(line.text)
                                           or "\t" in line.text)
            if furniture and k not in named_once and FISCAL_YEAR_HEADER.search(to_parse_form(line.text)):
                named_once.add(k)  # "令和８年度南国市一般会計予算" over every page: the book's year, kept once
                furniture = False
            if furniture and id(line) not in keep:
                pending = max(pending, line.brk)
                continue
            if pending:
                line = replace(line, brk=max(line.brk, pending))
                pending = 0
            kept.append(line)
        page.lines = kept


def find_title_line(page: PageText) -> PageLine | None:
    """Return page 1's title: its largest text, clearly larger than the body text."""
    sized = [line for line in page.lines if line.size and "\t" not in line.text]
    if not sized:
        return None
    sizes = sorted(line.size for line in sized)
    body = sizes[len(sizes) // 2]
    top = max(sizes)
    if top < 1.25 * body:
        return None
    return next(line for line in sized if line.size == top)


def hoist(page: PageText, title: PageLine | None) -> None:
    """Move the title and the legend lines to the front of the page."""
    front = [title] if title is not None else []
    front += [line for line in page.lines if LEGEND_KEY.match(line.text) and line is not title]
    if not front:
        return
    rest = [line for line in page.lines if all(line is not f for f in front)]
    page.lines = [replace(f, brk=2) for f in front]
    if title is not None:
        page.lines[0] = title
    if rest:
        rest[0] = replace(rest[0], brk=2)
    page.lines += rest


def number_lines(pages: list[PageText]) -> tuple[SourceLine, ...]:
    """Number the lines document-wide; empty lines stand for the breaks."""
    out: list[SourceLine] = []
    for page in pages:
        for idx, line in enumerate(page.lines):
            brk = 2 if idx == 0 else line.brk
            if out:
                for _ in range(brk):
                    out.append(SourceLine(len(out) + 1, "", page.number, None))
            x0, top, x1, bottom = line.bbox if not page.rotation else turn_box_back(line.bbox, *page.shown_size(),
                                                                                     page.rotation)
            bbox = (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
            out.append(SourceLine(len(out) + 1, line.text, page.number, bbox, line.column))
    return tuple(out)


def read_pages(data: bytes, engine: str = DEFAULT_PDF_ENGINE, scans: ScanReader | None = None) -> list[PageText]:
    """Read every page of a PDF with ``engine``, or raise ``PdfReadError``.

    A page without a text layer is read by OCR with ``scans`` where it holds a budget book's
    歳出 ledger (``scan_book``); when none of them does (or without ``scans``, or OCR), the PDF
    is ``no_text_layer``, as the first such page says.

    Python's cycle collector is paused meanwhile (and run once after, when it was on): a page
    makes tens of thousands of small records, which would set it off again and again to walk
    every line of the pages read before, none of which it could free.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        pages = []
        for page in load_pages(data, engine):
            try:
                pages.append(read_page(page, page.number))
            except PdfReadError as exc:
                if exc.status != "no_text_layer" or scans is None:
                    raise
                lines = scans.read(page.number, str(exc))  # raises it again where OCR cannot be done
                pages.append(PageText(page.number, page.width, page.height,
                                      [PageLine(s.text, s.bbox, s.size, s.brk) for s in lines]))
        if scans is not None:
            scans.check()
        return pages
    finally:
        if paused:
            gc.enable()


def read_pdf_bytes(source: str, fmt: str, data: bytes, engine: str = DEFAULT_PDF_ENGINE) -> SourceDocument | ReadFailure:
    """Read a PDF into lines in reading order (``engine``: ``engines.PDF_ENGINES``), or describe why it cannot be read."""
    doc_id = compute_doc_id(data)
    scans = ScanReader(data)
    try:
        pages = read_pages(data, engine, scans)
    except PdfReadError as exc:
        return ReadFailure(source, fmt, doc_id, len(data), exc.status, str(exc))
    title = find_title_line(pages[0])
    drop_page_furniture(pages, keep={id(title)} if title is not None else set())
    for page in pages:
        hoist(page, title if page.number == 1 else None)
    lines = number_lines(pages)
    if not any(line.text for line in lines):
        turned = sum(page.turned for page in pages)
        why = (f"the PDF holds no text that runs across its pages ({turned:,} characters run sideways as its pages are "
               "shown: turned by their /Rotate, or drawn so)") if turned else "the PDF holds no text"
        return ReadFailure(source, fmt, doc_id, len(data), "empty", why)
    scanned, scan_warnings = scans.finish(lines)
    warnings = tuple(w for page in pages for w in page.warnings) + scan_warnings
    sizes = tuple((round(width, 2), round(height, 2)) for width, height in (page.shown_size() for page in pages))
    return SourceDocument(source, fmt, doc_id, len(data), None, lines, warnings, page_sizes=sizes, n_pages=len(pages),
                          scanned_pages=tuple(scans.read_pages), scanned=scanned)
