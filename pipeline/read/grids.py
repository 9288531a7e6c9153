"""Tables printed without rules: a table of programs whose columns only its header tells.

Input: the runs of one frame of a page (``read.pdf.Run``: a piece of text on one baseline with
its box and size). Output: ``Grid`` records, each a table's header and rows as the text of
their cells (the cells of a row joined by a tab, as the reader joins the cells of a ruled
table) with their boxes, and the runs they took, which the page's other text leaves out.

A table is found only from its header: one row of runs holding a name header (「事業名」) and
at least one amount header (「令和7年度予算額」, 「前年度」, 「増減」). Each header run is a
column; a run below belongs to the column it overlaps most, or the nearest. A row that prints
a figure or a number in the first column opens a record; a row of text alone goes on with the
record above it (a name or a description wrapped in its cell). The table ends at a gap wider
than its rows are spaced, or at a row that does not keep to the columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence, TypeVar

from ..text.forms import to_parse_form
from ..text.vocab import (
    BASIS_WORDS,
    COST_ALONE_HEADER,
    FISCAL_ERA_LETTER,
    FISCAL_ERA_NAME,
    LABEL_FISCAL_YEAR,
    MAIN_PROGRAMS_HEADERS,
    NAMED_FISCAL_YEAR,
    NEGATIVE_MARKS,
    TABLE_AMOUNT_HEADERS,
    TABLE_DESCRIPTION_WORDS,
    TABLE_ITEM_HEADERS,
    TABLE_NAME_HEADERS,
    UNIT_FACTORS,
    UNIT_LABEL,
    YEAR_ALONE_HEADER,
    YEARS_ITEM_HEADER,
    YEN,
    join_alternatives,
)

# A name header, spaces taken out: "事業名", "事 業 名", "細事業名", "事業の名称"
NAME_HEADER = re.compile(rf"^細?(?:{join_alternatives(TABLE_NAME_HEADERS)})$")
# An amount header: "令和7年度予算額", "令和七年度", "予算額(千円)", "前年度", "増減", "R8当初", "2026年度"
AMOUNT_HEADER = re.compile(join_alternatives(TABLE_AMOUNT_HEADERS)
                           + rf"|^(?:{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})[0-9]{{1,2}}(?:年度)?"
                           + rf"|^(?:{NAMED_FISCAL_YEAR})|^(?:19|20)[0-9]{{2}}年度")
# A program's cost alone, perhaps with its unit: "事業費", "事業費(千円)" (beside "区分" under a unit note)
COST_HEADER = re.compile(COST_ALONE_HEADER)
# A rule drawn with dashes or box-drawing characters (parse form, spaces taken out): "------" of "──────"
RULE_TEXT = re.compile(r"^[-=_]{3,}$")
# A year's header alone: "令和8年度", "R7" (beside "区分" under a unit note, the columns of a table of programs)
YEAR_HEADER = re.compile(YEAR_ALONE_HEADER)
# A description header: "概要", "主な事業内容", "説明"
DESCRIPTION_HEADER = re.compile(join_alternatives(TABLE_DESCRIPTION_WORDS))
# A figure in a cell: "12,000", "△1,200", "0", "1億2,000万円"
FIGURE = re.compile(rf"^[{NEGATIVE_MARKS}-]?[0-9][0-9,.]*(?:[兆億万千]?[0-9,.]*)*(?:千円|万円|円|百万円|億円)?$")
ROW_GAP = 2.5  # em: a white space wider than this, and wider than half again the first, ends a table
TRACK_GAP = 2.0  # em: letters of a word set wide stand at most this far apart
# A unit note alone on its row, in the parse form, spaces taken out: "(単位:千円)" of "（単位：千円）"; unbracketed,
# after its label's colon: "単位:千円" of "単位：千円"
UNIT_NOTE = re.compile(rf"^(?:\({UNIT_LABEL}[:：]?(?:{join_alternatives(UNIT_FACTORS)})\)"
                       rf"|{UNIT_LABEL}[:：](?:{join_alternatives(UNIT_FACTORS)}))$")
TRACKED_WORD = 5  # letters: a word set wide in a header is at most this long
# The last letter of a word set wide with the unit in brackets after it: "額（千円）" of "予 算 額（千円）"
TRACKED_LAST = re.compile(r"^[^\x00-\x7f][(（][^()（）]{1,4}[)）]$")
MIN_COLUMNS = 3  # header cells a table needs, but for a name and a budget alone (``BUDGET_HEADER``)
# A budget's header alone, perhaps with its year, a draft's mark or its unit (parse form, spaces taken out): "予算額(円)", "令和8年度予算額",
# "R8当初予算額(千円)": a table of two columns, names and budgets, is a table too
BUDGET_HEADER = re.compile(
    rf"^(?:{LABEL_FISCAL_YEAR})?(?:{join_alternatives(BASIS_WORDS)})(?:\(案\))?(?:\((?:{join_alternatives(UNIT_FACTORS)})\))?$")
# A budget's header that names a mere sum, whose rows an item's header may head (a grant's, a fee's): "金額(千円)"
SUM_ONLY = re.compile(rf"^金額(?:\((?:{join_alternatives(UNIT_FACTORS)})\))?$")
MIN_RECORDS = 2  # records a table needs, else its runs are left as they were (but one with a figure, ``has_figure_beside_name``)


# A figure run into the text after it: "2,000" of "2,000地域包括支援センターの機能強化を図る。"
FIGURE_FIRST = re.compile(rf"^(?P<figure>[{NEGATIVE_MARKS}-]?[0-9]{{1,3}}(?:,[0-9]{{3}})+|[{NEGATIVE_MARKS}-]?[0-9]+)\s*(?=[^\s0-9,.])")


class RunLike(Protocol):
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


R = TypeVar("R", bound=RunLike)


@dataclass
class Piece:
    """Part of a run that crosses a column's start (``split_at_column``)."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


@dataclass
class Grid:
    """An unruled table: its lines (header first) as cell texts joined by tabs, with their boxes."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)  # ids of the runs it holds


def group_rows(runs: Sequence[R]) -> list[list[R]]:
    """Group runs whose vertical middles agree into rows, top to bottom (each row in the order its
    runs were met: by their middles, then their left edges)."""
    rows: list[list[R]] = []
    ref_mid = ref_h = 0.0
    for run in sorted(runs, key=lambda r: (r.top + r.bottom, r.x0)):
        mid, h = (run.top + run.bottom) / 2, run.bottom - run.top
        if rows and abs(mid - ref_mid) <= 0.35 * max(h, ref_h):
            rows[-1].append(run)
            continue
        rows.append([run])
        ref_mid, ref_h = mid, h
    return rows


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", to_parse_form(text))


def merge_tracked(row: list[RunLike]) -> list[tuple[float, float, str]]:
    """Return a row's runs as (x0, x1, text), a word set wide (「事 業 名」, one run a letter) joined, its last letter
    perhaps with its unit after it (「予 算 額（千円）」); a letter joins letters only, never a word set close before it
    (「番号」 before 「事 業 名」)."""
    out: list[tuple[float, float, str]] = []
    spaced = False  # the last of ``out`` is a run of one letter, or letters joined
    for run in row:
        text = run.text.strip()
        letter = len(text) == 1 and not text.isascii()
        if out and spaced and (letter or TRACKED_LAST.match(text)) and len(out[-1][2]) < TRACKED_WORD \
                and run.x0 - out[-1][1] < TRACK_GAP * run.size:
            x0, _, before = out[-1]
            out[-1] = (x0, run.x1, before + text)
            spaced = letter
        else:
            out.append((run.x0, run.x1, text))
            spaced = letter
    return out


# The first letters of the name headers (「事業名」, 「主な事業」, 「項目」, 「名称」): a frame with none of them holds no table
HEADER_LETTER = re.compile(
    f"[{''.join(sorted({'事', YEARS_ITEM_HEADER[0]} | {w[0] for w in MAIN_PROGRAMS_HEADERS + TABLE_ITEM_HEADERS}))}]")


def is_header(cells: list[str], unit_over: bool = False) -> bool:
    """Tell whether a row's cells are a program table's header: a name header and an amount header; or, right under a
    unit note (``unit_over``), 「区分」 beside years' columns (「区分　令和８年度　令和７年度　増減」)."""
    cells = [squeeze(c) for c in cells]
    if any(is_amount_cell(c) for c in cells):  # 「事業名 │ 介護人材確保支援事業 │ 予算額 │ 3,600千円」: two sheets' fields
        return False
    if len(cells) == 2:  # 「事業名」 and 「予算額（円）」
        return (NAME_HEADER.match(cells[0]) is not None and BUDGET_HEADER.match(cells[1]) is not None) or (
            cells[0] in TABLE_ITEM_HEADERS and is_budget_header(cells[1]))
    if len(cells) < MIN_COLUMNS:
        return False
    if unit_over and YEARS_ITEM_HEADER in cells and any(YEAR_HEADER.match(c) or COST_HEADER.match(c) for c in cells):
        return True
    if not any(AMOUNT_HEADER.search(c) for c in cells):
        # 「№　会計名　新規　事業名　概要　減免額」: programs' names and what they do, their figures under no budget's header
        return any(NAME_HEADER.match(c) for c in cells) and any(DESCRIPTION_HEADER.search(c) for c in cells)
    # 「主な事業」 over the names, beside a budget's header (never beside a year alone: a title prints the words too);
    # 「項目」, beside a budget's header that names no mere sum (「金額」)
    return any(NAME_HEADER.match(c) for c in cells) or (
        any(c in MAIN_PROGRAMS_HEADERS for c in cells) and any(BUDGET_HEADER.match(c) for c in cells)) or (
        any(c in TABLE_ITEM_HEADERS for c in cells) and any(is_budget_header(c) for c in cells))


# A figure grouped by commas opening a cell, a note after it: "23,456千円(前年度比" of "23,456千円（前年度比　△456千円）"
GROUPED_FIGURE_FIRST = re.compile(rf"^[{NEGATIVE_MARKS}-]?[0-9]{{1,3}}(?:,[0-9]{{3}})+")


def is_amount_cell(cell: str) -> bool:
    """Tell whether a cell (spaces taken out) is an amount, which no header prints: a figure grouped by commas or ending
    in 円, 「3,600千円」, 「△1,200」 (a bare number, 「2026」, may head a year's column), or one with a note after it,
    「23,456千円（前年度比」."""
    return FIGURE.match(cell) is not None and ("," in cell or cell.endswith(YEN)) or GROUPED_FIGURE_FIRST.match(cell) is not None


def is_name_header(text: str) -> bool:
    """Tell whether a header cell's text heads a column of programs' names: 「事業名」, 「事 業 名 称」, 「主な事業」, 「項目」."""
    cell = squeeze(text)
    return NAME_HEADER.match(cell) is not None or cell in MAIN_PROGRAMS_HEADERS or cell in TABLE_ITEM_HEADERS


def is_budget_header(cell: str) -> bool:
    """Tell whether a header cell (spaces taken out) is a budget's (``BUDGET_HEADER``) that says whose: 「予算額（千円）」,
    「事業費」, not 「金額」 alone."""
    return BUDGET_HEADER.match(cell) is not None and SUM_ONLY.match(cell) is None


def find_column(run: RunLike, columns: list[tuple[float, float]]) -> int:
    """Return the column a run belongs to. A figure, set flush right in its cell, belongs to the
    last column whose header starts left of its right edge; text, set flush left, to the column
    its left edge falls in, columns parted halfway between one header's end and the next's start."""
    if FIGURE.match(squeeze(run.text)):
        return max((i for i, (x0, _) in enumerate(columns) if x0 < run.x1 - run.size / 2), default=0)
    parts = [(columns[i - 1][1] + columns[i][0]) / 2 for i in range(1, len(columns))]
    return sum(1 for p in parts if run.x0 + run.size / 2 >= p)


def split_at_column(run: RunLike, columns: list[tuple[float, float]]) -> list[RunLike]:
    """Split a run that crosses a column's start into the figure that ends one column and the text
    that opens the next (「2,000地域包括支援センターの…」 under 「増減」 and 「事業概要」), its box shared
    out by the characters; any other run is left whole."""
    m = FIGURE_FIRST.match(run.text)
    if m is None:
        return [run]
    weights = [0.5 if c.isascii() else 1.0 for c in run.text]  # a figure's digits are half as wide as a letter
    cut = run.x0 + (run.x1 - run.x0) * sum(weights[:m.end("figure")]) / max(sum(weights), 1.0)
    start = next((x0 for x0, _ in columns if run.x0 + run.size / 2 < x0 < run.x1 - run.size / 2 and abs(x0 - cut) < 2 * run.size), None)
    if start is None:
        return [run]
    return [Piece(run.x0, run.top, cut, run.bottom, run.size, m["figure"]),
            Piece(cut, run.top, run.x1, run.bottom, run.size, run.text[m.end("figure"):].lstrip())]


def fits(row: list[RunLike], columns: list[tuple[float, float]], right: float) -> bool:
    """Tell whether a row keeps to the columns: no run stands left of the first or crosses two
    columns' starts (the last column, a description, may run on to ``right``)."""
    starts = [x0 for x0, _ in columns]
    for run in row:
        if run.x0 < columns[0][0] - 2 * run.size or run.x1 > right:
            return False
        inside = [s for s in starts[1:] if run.x0 + run.size < s < run.x1 - run.size]
        if len(inside) > 1:
            return False
    return True


def has_figure_beside_name(record: list[list[RunLike]]) -> bool:
    """Tell whether a table's one record prints a figure in a column after the first (「こども誰でも通園制度事業 │ 15,000 │
    0 │ 皆増」): a table of one program is a table too; text under a header alone is not."""
    return bool(record[0]) and any(FIGURE.match(squeeze(r.text)) for cell in record[1:] for r in cell)


def join_cell_runs(cell: list[RunLike]) -> str:
    """Join the runs of one table cell: runs apart on one line with a space (「新 │ 生活困窮者支援事業」: a flag before the
    name), its lines as ``join_cell`` joins them."""
    lines: list[list[RunLike]] = []
    for run in sorted(cell, key=lambda r: (r.top, r.x0)):
        if lines and run.top - lines[-1][0].top < (lines[-1][0].bottom - lines[-1][0].top) / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return join_cell([" ".join(r.text for r in sorted(line, key=lambda r: r.x0)) for line in lines])


def join_cell(parts: list[str]) -> str:
    """Join the lines of one table cell: no space between Japanese characters."""
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out += " "
        out += part
    return out


def read_grid(rows: list[list[RunLike]], start: int, right: float) -> tuple[Grid, int] | None:
    """Read the table whose header is ``rows[start]``; return it and the index of the row after it."""
    header = rows[start]
    cells_of_header = merge_tracked(header)
    columns = [(x0, x1) for x0, x1, _ in cells_of_header]
    records: list[list[list[RunLike]]] = []
    rules: list[RunLike] = []  # rules drawn across the table as text, 「──────」: part of it, no record
    first_gap: float | None = None
    last_bottom = max(r.bottom for r in header)
    i = start + 1
    while i < len(rows):
        row = rows[i]
        if all(RULE_TEXT.match(to_parse_form(squeeze(r.text))) for r in row):
            rules += row
            last_bottom = max(r.bottom for r in row)
            i += 1
            continue
        top = min(r.top for r in row)
        size = max(r.size for r in row)
        gap = top - last_bottom
        if first_gap is None:
            first_gap = max(gap, 0.0)
        if (gap > ROW_GAP * size and gap > 1.5 * first_gap) or not fits(row, columns, right) \
                or (records and starts_another(row)):
            break
        cells: list[list[RunLike]] = [[] for _ in columns]
        for run in row:
            for piece in split_at_column(run, columns):
                cells[find_column(piece, columns)].append(piece)
        figures = any(FIGURE.match(squeeze(r.text)) for r in row)
        opens = bool(cells[0]) or figures
        if records and is_centred_beside(records[-1], cells, figures):
            opens = False  # the amounts set in the middle of a name of two lines, or that name's second line
        if opens or not records:
            records.append(cells)
        else:
            for target, more in zip(records[-1], cells):
                target.extend(more)
        last_bottom = max(r.bottom for r in row)
        i += 1
    if len(records) < MIN_RECORDS and not (records and has_figure_beside_name(records[0])):
        return None
    used = [r for r in header] + [r for rec in records for cell in rec for r in cell] + rules
    # the table stands across to the frame's edge: its last column (a description) may, and no column
    # of the page's text stands beside it
    grid = Grid(min(r.x0 for r in used), min(r.top for r in used), right, max(r.bottom for r in used))
    grid.rows.append(("\t".join(text for _, _, text in cells_of_header),
                      (grid.x0, min(r.top for r in header), grid.x1, max(r.bottom for r in header))))
    for rec in records:
        runs = [r for cell in rec for r in cell]
        text = "\t".join(join_cell_runs(cell) for cell in rec)
        grid.rows.append((text, (grid.x0, min(r.top for r in runs), grid.x1, max(r.bottom for r in runs))))
    grid.taken = {id(r) for r in used}
    return grid, i


def is_unit_note_row(row: list[RunLike]) -> bool:
    """Tell whether a row holds a unit note alone, 「（単位：千円）」."""
    texts = [squeeze(t) for _, _, t in merge_tracked(row)]
    return len(texts) == 1 and UNIT_NOTE.match(texts[0]) is not None


def starts_another(row: list[RunLike]) -> bool:
    """Tell whether a row below a table's records starts what follows it: a unit note (「（単位：千円）」, the next
    table's) or another table's header (「区分　令和８年度　令和７年度」 too, under no unit note of its own)."""
    return is_unit_note_row(row) or is_header([squeeze(t) for _, _, t in merge_tracked(row)], unit_over=True)


def is_centred_beside(record: list[list[RunLike]], cells: list[list[RunLike]], figures: bool) -> bool:
    """Tell whether a row belongs to the record above though it would open one: its figures with no name, beside a
    name of no figures yet, set lower than the name's first line (the amounts centred beside a name of two lines:
    「障害者グループホーム整備」 over 「支援事業」, 「45,000」 between them); or the name's line under them, as far below
    them as they are below the name's first line."""
    names = record[0]
    others = [r for cell in record[1:] for r in cell]
    if not names:
        return False
    first = min(names, key=lambda r: r.top)
    middle = (first.top + first.bottom) / 2
    size = first.bottom - first.top
    if figures and not cells[0] and not others:
        row_middle = min((r.top + r.bottom) / 2 for cell in cells for r in cell)
        return size * 0.25 < row_middle - middle < size * 1.5
    if cells[0] and not any(cells[1:]) and others:
        lowest = max((r.top + r.bottom) / 2 for r in names)
        beside = min((r.top + r.bottom) / 2 for r in others)
        own = (cells[0][0].top + cells[0][0].bottom) / 2
        return beside - middle > size * 0.25 and lowest == middle and abs((own - beside) - (beside - middle)) < size * 0.5
    return False


def find_grids(runs: Sequence[RunLike], right: float) -> list[Grid]:
    """Return the unruled tables of programs among a frame's runs (``right``: the frame's right edge)."""
    if not any(HEADER_LETTER.search(r.text) for r in runs):  # no header's first letter: most frames are told at once
        return []
    rows = group_rows(runs)
    for row in rows:
        row.sort(key=lambda r: r.x0)
    grids: list[Grid] = []
    i = 0
    while i < len(rows):
        if is_header([text for _, _, text in merge_tracked(rows[i])], unit_over=i > 0 and is_unit_note_row(rows[i - 1])):
            found = read_grid(rows, i, right)
            if found is not None:
                grid, i = found
                grids.append(grid)
                continue
        i += 1
    return grids
