"""Scanned budget books: the 歳出 事項別明細書 of a page without a text layer, read by OCR, and
each 事業 amount kept only where the sums printed on the page confirm it.

Input: the bytes of a PDF and, page by page in order, the numbers of its pages without a
text layer (``ScanReader.read``); then the document's numbered lines (``ScanReader.finish``).
Output: per page, ``ScanLine`` records (the text OCR read, in reading order, with boxes in page
points; none where OCR finds no 歳出 ledger); at the end, one ``ScannedProgram`` per 事業 row
(code, name, 款・項・目, its line and box, and its amount only when confirmed) and warnings.

The form read is the one every local government prints (地方自治法施行規則's 予算に関する説明書):
a ruled account table of 款・項・目 rows, each with three amounts (補正前の額・補正額・計 in a
supplementary budget, 本年度・前年度・比較 in an initial one) and its 節, and a 説明 column whose
header names the funding sources (財源内訳: 国庫支出金 … 一般財源, printed on 歳出 pages only)
listing each 事業 — a code, a name and its amount at the column's right edge — with the
funding row of the 事業 (a cell per source) and its 節 detail lines (``10-01 消耗品費 2,244``).
Which column is which is read from the rules and from what the columns hold, not from OCR'd
header words: the three columns of figures left of the 説明 column are the account amounts,
a row's level (款, 項, 目) is the sub-column its name cell starts in, and which of the three
is the 目's amount follows from the arithmetic (``a + b = c``: 補正額 ``b``; ``b + c = a``: 本年度 ``a``).

OCR text is untrusted: a 事業 amount becomes a budget only when a sum printed on the page
confirms it (``confirm``):

- the 事業 amounts of a 目 add up to the 目's amount, and that amount is itself confirmed by
  its row (``補正前の額 + 補正額 = 計``) or by its 節 amounts adding up to it; or the 事業 of
  the 目 are several and add up to it by themselves;
- or the 事業's 節 detail lines add up to its amount;
- or the cells of the 事業's funding row add up to its amount (``227,459 + △2,899 = 224,560``).

A sum counts only when it adds two figures or more that share a decimal place with a
non-zero digit, so that it tests the digits: ``6,712 + 40,000 = 46,712`` would also hold
were every 7 read as 1, ``2,090,318 + 2,244 = 2,092,562`` would not. An amount no sum
confirms is left null, with a warning naming its page, its line and what was read.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field, replace

from ..records import ScannedProgram, SourceLine, Span
from ..text.vocab import ACCOUNT_LEVELS, LEDGER_HEADER, NEGATIVE_MARKS, UNIT_FACTORS, UNIT_LABEL, join_alternatives
from .ocr import OcrPage, Word, read_scanned_page
from .pages import PdfReadError
from .tables import RuledTable, find_ruled_tables
from .tesseract import OCR_DPI, OCR_LANGUAGE, describe_unavailable, find_tesseract, ocr_disabled

# A figure as OCR reads it, its grouping marks made commas (``GROUPING``): "2,244", "19,385"
# (read "19.385"), "522895" (its comma lost), "△2,899"
FIGURE = re.compile(rf"^(?P<sign>[{NEGATIVE_MARKS}])?(?P<body>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)$")
# A grouping mark between digits as OCR reads it: "34..879", "16,.060", "5:038,766"
GROUPING = re.compile(r"(?<=[0-9])[,.:;]+(?=[0-9])")
# What stands before a figure's digits: "△" of "△2,899", "入" of "入2,899" (the mark misread)
LEAD = re.compile(r"^[^0-9]+")
# A 事業 or department code opening a 説明 line, perhaps run into the name: "020708", "15100000", "020708庁舎"
CODE_START = re.compile(r"^(?P<code>[0-9]{4,10})(?P<rest>[^0-9,.].*)?$")
# A piece of a figure at a line's end: "2,", "244", "△2,899", "入2,899" (△ misread), "19.385", "1.260|", "*1,550"
FIGURE_PIECE = re.compile(r"[^0-9\s]?[0-9][0-9,.:;]*[|']?")
# A 節 detail line's code (節-細節): "10-01 消耗品費", "01-92 会計年度任用職員…"
DETAIL_CODE = re.compile(r"^[0-9]{1,2}[-‐－ー][0-9]{1,2}")
# The unit note over the 説明 column: "(単位：千円)", "（単位 : 千円）"
UNIT_NOTE = re.compile(rf"{UNIT_LABEL}\s*[:：]?\s*(?P<unit>{join_alternatives(UNIT_FACTORS)})")
# Marks that OCR makes of specks and rule ends, never text: "'", "|", "。", "ーー" (a middle dot is
# text: "情報システム管理・運営事業")
SPECK = re.compile(r"^(?:[\s'\"`|.,。、:;_~‘’“”«»()\[\]{}〔〕「」『』\-−—―=*]*|[ー一\-]{2,})$")
# What is left of a rule, or a speck, beside a name: "ー", "一", "--", "・"
DASH = re.compile(r"^[ー一\-－―—・]+$")
# The header of a 歳出 説明 column: "説 明" over "財 源 内 訳" over "国庫支出金 … 一般財源"
FUNDING_HEADER = "財源"
LEDGER_WORDS = (LEDGER_HEADER, "内訳")
# A 款, 項 or 目 cell of the account table, its number and name (wrapped lines joined), specks
# before them: "1一般管理費", "8情報システム運営費", "-3保健衛生指導費", "4" (a 項 running on)
ACCOUNT_CELL = re.compile(r"^[\W_]*(?P<n>[0-9]{1,3})(?P<name>.*)$")

MIN_COLUMN = 30.0  # points: a column narrower than this is read with its right neighbour (款 and 項 beside 目)
CROSSED = 0.2  # a rule that cells cross over less than this share of its table's height divides its columns
AMOUNT_EDGE = 0.25  # an amount stands in the right quarter of the 説明 column
MIN_CONF = 20.0  # Tesseract confidence below which a word of one character is taken for a speck
MIN_TABLE = 100.0  # points: a narrower ruled table is no budget table
HEAD_SHARE = 0.2  # the top of the tables read first, for the heads of their columns
NUMERIC_SHARE = 0.7  # a column of figures: this share of its lines or more are a figure alone


@dataclass
class Text:
    """One line OCR read in one region: its words left to right and its box."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return join_words(self.words)


@dataclass
class Region:
    """A column of the page's tables, read by OCR as one block."""

    x0: float
    x1: float
    lines: list[Text] = field(default_factory=list)
    header: str = ""
    numeric: bool = False


Box = tuple[float, float, float, float]


@dataclass
class AccountRow:
    """A 款, 項 or 目 row of the account table: its level, numbers, name, amounts and band."""

    level: int  # index into ACCOUNT_LEVELS
    numbers: tuple[str, ...]  # its 款, 項 and 目 numbers, those it does not print taken from the rows above
    name: str | None
    amounts: list[int | None | str]  # per amount column: a figure, None (blank), or the text that is no figure
    top: float
    bottom: float  # the next row's top: the row's band, down the 説明 column too
    box: Box  # of its line: its name and amounts
    name_boxes: list[Box]  # of the lines of its number and name in its name cell (a long name wraps)
    sections: list[int | None | str] = field(default_factory=list)  # its 節 amounts
    account: "Account | None" = None  # the 目 it opens or goes on with
    line: int = 0  # index of its line among the page's lines
    name_conf: float = 0.0  # Tesseract's mean confidence in the words of its name

    def describe(self) -> str:
        """The row's line: its numbers and name, then its amounts, a tab apart (``1 一般管理費\t2,090,318\t2,244\t…``)."""
        cells = [self.numbers[-1] + (f" {self.name}" if self.name else "")]
        return "\t".join(cells + [a if isinstance(a, str) else format_figure(a) for a in self.amounts if a is not None])


@dataclass
class Project:
    """A 事業 row of the 説明 column, with what may confirm its amount."""

    page: int
    code: str
    name: str
    amount: int | None | str  # the figure, or the text read where one was due
    amount_text: str  # the amount as read
    line: int  # index of its line among the page's lines
    name_box: Box  # of its code and name
    funding: list[int | None | str] | None = None  # the cells of its funding row
    details: list[int | str] = field(default_factory=list)  # its 節 detail amounts
    in_details: bool = False
    name_conf: float = 0.0  # Tesseract's mean confidence in the words of its name
    account: tuple[str, ...] | None = None  # the numbers of its 目
    confirmed: str | None = None  # how its amount was confirmed
    failed: list[str] = field(default_factory=list)  # the sums that did not hold

    def describe(self) -> str:
        """The row's line: ``020708 庁舎管理事業 2,244``."""
        return f"{self.code} {self.name} {self.amount_text}"


@dataclass
class Account:
    """A 目 across the pages it runs over: its row, its amount, and its 事業."""

    numbers: tuple[str, ...]
    row: AccountRow
    projects: list[Project] = field(default_factory=list)


@dataclass(frozen=True)
class ScanLine:
    """A line of a scanned page in reading order: its text, box (page points), size and the empty lines before it."""

    text: str
    bbox: tuple[float, float, float, float]
    size: float
    brk: int


def join_words(words: list[Word]) -> str:
    """Join words left to right: a space only between letters or digits of two words apart."""
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            height = max(1.0, min(w.bottom - w.top, prev.bottom - prev.top))
            if gap > 0.6 * height and (out[-1:].isascii() or w.text[:1].isascii()):
                out += " "
            elif gap > 2.0 * height:
                out += " "
        out += w.text
        prev = w
    return out


def read_figure(text: str) -> int | None:
    """Return the value of a figure as OCR read it (``2,244``, ``19.385``, ``△2,899``), or None."""
    text = text.strip().strip("|'\"`_*~-・").replace("，", ",").replace("．", ".").replace(" ", "")
    text = GROUPING.sub(",", text)
    m = FIGURE.match(text)
    if m is None:
        return None
    value = int(m["body"].replace(",", ""))
    return -value if m["sign"] else value


def read_cell(words: list[Word]) -> int | None | str:
    """Return a cell's figure: its value, None for a blank cell, or the text when it reads as no figure.

    An amount column holds figures and, before a figure, the negative mark ``△`` alone, which
    OCR reads as a letter (``ム``, ``入``, ``A``): a glyph before the figure as tall as its digits,
    or run into it (``入2,899``), is that mark. Specks (``-``, ``*``, ``'``) are not.
    """
    words = sorted((w for w in words if not SPECK.match(w.text)), key=lambda w: w.x0)
    if not words:
        return None
    first = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w.text)), None)
    if first is None:
        return "".join(w.text for w in words)
    pieces = words[first:]
    height = max(w.bottom - w.top for w in pieces)
    negative = any(w.bottom - w.top >= 0.6 * height for w in words[:first])
    text = "".join(w.text for w in pieces).strip("|'\"`_*~-・")
    lead = LEAD.match(text)
    if lead is not None:
        negative = negative or not SPECK.match(lead.group())
        text = text[lead.end():]
    value = read_figure(text)
    if value is None:
        return "".join(w.text for w in words)
    return -abs(value) if negative else value


def is_speck(word: Word) -> bool:
    return bool(SPECK.match(word.text)) or (len(word.text) == 1 and word.conf < MIN_CONF and not word.text.isalnum())


def group_lines(words: list[Word]) -> list[Text]:
    """Group words into lines: Tesseract's lines, those on one height joined (a line a speck split)."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    lines = sorted((Text(sorted(ws, key=lambda w: w.x0)) for ws in by_line.values()), key=lambda t: (t.middle, t.x0))
    merged: list[Text] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and abs(line.middle - last.middle) < 0.35 * min(line.bottom - line.top, last.bottom - last.top) \
                and (line.x0 >= last.x1 or line.x1 <= last.x0):
            last.words = sorted(last.words + line.words, key=lambda w: w.x0)
        else:
            merged.append(line)
    return sorted(merged, key=lambda t: (t.top, t.x0))


def find_column_edges(table: RuledTable) -> list[float]:
    """Return the x of the rules that divide a table into columns: cells cross them over less than
    ``CROSSED`` of the table's height (a title row or a 款 row may); its outer edges too."""
    height = table.bbox[3] - table.bbox[1]
    cells = [c for row in table.rows for c in row if c is not None]
    edges = {table.bbox[0], table.bbox[2]}
    for x in sorted({c[0] for c in cells} | {c[2] for c in cells}):
        crossed = sum(c[3] - c[1] for c in cells if c[0] < x - 1 < x + 1 < c[2])
        if crossed < CROSSED * height:
            edges.add(x)
    return sorted(edges)


def find_regions(tables: list[RuledTable]) -> list[Region]:
    """Split the band of the page's tables across at their column rules, from the first table's
    left edge to the last one's right edge: each piece is read as one block (a column, or what
    stands between two tables, such as a column cut off at a spread's fold)."""
    edges: set[float] = set()
    for table in tables:
        edges.update(find_column_edges(table))
    xs = sorted(edges)
    regions: list[Region] = []
    start = xs[0]
    for x in xs[1:]:
        if x - start < MIN_COLUMN and x != xs[-1]:
            continue  # a narrow column goes with the next one
        regions.append(Region(start, x))
        start = x
    return regions


def drop_trailing_rule(words: list[Word]) -> list[Word]:
    """Drop a dash or dot standing apart at a name's end: what is left of a rule or a speck, not a
    long vowel (``センター``)."""
    if len(words) >= 2 and DASH.match(words[-1].text):
        gap = words[-1].x0 - words[-2].x1
        if gap > 0.3 * (words[-2].bottom - words[-2].top):
            return words[:-1]
    return words


def mean_conf(words: list[Word]) -> float:
    """Tesseract's mean confidence in some words (0 for none)."""
    return sum(w.conf for w in words) / len(words) if words else 0.0


def is_ledger_head(text: str) -> bool:
    """Tell whether a column's head is a 歳出 説明 column's: it names the funding sources (財源内訳)."""
    text = text.replace(" ", "")
    return FUNDING_HEADER in text and any(word in text for word in LEDGER_WORDS)


def has_figure(line: Text) -> bool:
    """Tell whether a line holds a figure: the header of a column stands above its first."""
    return any(read_figure(w.text) is not None for w in line.words)


def is_figure_line(line: Text) -> bool:
    return read_cell(line.words) is not None and not isinstance(read_cell(line.words), str)


def is_digit_checked(addends: list[int], total: int) -> bool:
    """Tell whether ``sum(addends) == total`` tests digits: two addends at least, and some decimal
    place where two of them have a non-zero digit (negatives moved to the other side)."""
    left = [a for a in addends if a > 0] + ([-total] if total < 0 else [])
    right = [-a for a in addends if a < 0] + ([total] if total > 0 else [])
    if sum(left) != sum(right) or len(left) < 2 and len(right) < 2:
        return False
    for side in (left, right):
        if len(side) < 2:
            continue
        width = max(len(str(a)) for a in side)
        for place in range(width):
            if sum((a // 10 ** place) % 10 != 0 for a in side) >= 2:
                return True
    return False


def describe_sum(addends: list[int], total: int) -> str:
    parts = " + ".join(format_figure(a) for a in addends)
    return f"{parts} = {format_figure(total)}"


def format_figure(value: int | None | str) -> str:
    if value is None:
        return "blank"
    if isinstance(value, str):
        return f"'{value}'"
    return f"△{-value:,}" if value < 0 else f"{value:,}"


class ScanReader:
    """Reads the scanned pages of one PDF in order and keeps what runs from page to page: the
    account names by number, the 目 whose 事業 are being listed, the 事業 whose lines go on."""

    def __init__(self, data: bytes):
        self.data = data
        self.available: tuple[str, str] | None = None  # Tesseract's path and version, looked up at the first scan
        self.names: dict[tuple[str, ...], str] = {}  # account numbers (款, 項, 目) → name
        self.last_numbers: tuple[str, ...] = ()
        self.units: dict[int, str] = {}  # page → the unit its note states
        self.form: str | None = None  # "supplementary" (a + b = c) or "initial" (b + c = a)
        self.current: Account | None = None  # the 目 of the last account row read
        self.carried: Account | None = None  # the 目 running on from the page before the one read
        self.accounts: list[Account] = []
        self.projects: list[Project] = []
        self.open_project: Project | None = None
        self.page_lines: dict[int, list[ScanLine]] = {}
        self.read_pages: list[int] = []
        self.unread: list[tuple[int, str]] = []

    @property
    def unit(self) -> str | None:
        """The unit of the amounts: the one the unit note states on every page read that OCR found
        it on, half of them at least (a unit misread once is not taken for the book's)."""
        units = set(self.units.values())
        if len(units) != 1 or 2 * len(self.units) < len(self.read_pages):
            return None
        return units.pop()

    def read(self, number: int, failure: str) -> list[ScanLine]:
        """Read page ``number`` (``failure`` says it has no text layer); return its lines, none where OCR
        finds no 歳出 ledger on it. Raise ``no_text_layer`` when OCR cannot be done here."""
        if self.available is None and not ocr_disabled():
            self.available = find_tesseract()
        if self.available is None:
            raise PdfReadError("no_text_layer", f"{failure}; {describe_unavailable()}")
        page = read_scanned_page(self.data, number)
        tables = [t for t in find_ruled_tables(page.rules) if len(t.rows) >= 3 and t.bbox[2] - t.bbox[0] >= MIN_TABLE]
        kept = (len(self.projects), len(self.accounts), self.current, self.open_project, self.last_numbers, self.form)
        try:
            lines = self.read_book_page(page, tables) if tables else None
            reason = "OCR found no 歳出 説明 column (with its 財源内訳) on it" if tables else "OCR found no ruled table on it"
        except (OSError, subprocess.SubprocessError) as exc:  # tesseract failed or ran out of time on this page
            lines, reason = None, f"OCR failed on it ({type(exc).__name__}: {str(exc)[:200]})"
            del self.projects[kept[0]:], self.accounts[kept[1]:]  # nothing of the page is kept
            self.current, self.open_project, self.last_numbers, self.form = kept[2:]
            for account in self.accounts:
                account.projects = [p for p in account.projects if p.page != number]
            self.units.pop(number, None)
        if lines is None:
            self.unread.append((number, f"{failure}; {reason}"))
            return []
        self.page_lines[number] = lines
        self.read_pages.append(number)
        return lines

    def check(self) -> None:
        """Raise ``no_text_layer`` when pages had no text layer and OCR read none of them."""
        if self.unread and not self.read_pages:
            raise PdfReadError("no_text_layer", self.unread[0][1])

    # -- one page ---------------------------------------------------------------------

    def read_book_page(self, page: OcrPage, tables: list[RuledTable]) -> list[ScanLine] | None:
        """Read a page's tables column by column; None when it holds no 歳出 説明 column.

        The heads of the columns are read first, all in one process: a page whose heads name
        no funding sources is read no further. Then each column whole, and the band above the
        tables (the title, the unit).
        """
        top = min(t.bbox[1] for t in tables)
        bottom = max(t.bbox[3] for t in tables)
        regions = find_regions(tables)
        strip = top + HEAD_SHARE * (bottom - top)
        heads = page.read_apart([(r.x0, top, r.x1, strip) for r in regions])
        if not any(is_ledger_head("".join(w.text for w in words)) for words in heads):
            return None
        found = page.read_apart([(r.x0, top, r.x1, bottom) for r in regions] + [(0.0, 0.0, page.width, top)])
        for region, words in zip(regions, found):
            region.lines = group_lines([w for w in words if not is_speck(w)])
            body_start = next((line.top for line in region.lines if has_figure(line)), bottom)
            region.header = "".join(line.text for line in region.lines if line.bottom <= body_start + 1).replace(" ", "")
            body = [line for line in region.lines if line.top >= body_start - 1]
            figures = sum(is_figure_line(line) for line in body)
            region.numeric = figures >= 2 and figures >= NUMERIC_SHARE * len(body)
        ledger = next((r for r in regions if is_ledger_head(r.header) and not r.numeric), None)
        if ledger is None:
            return None
        heading = group_lines([w for w in found[-1] if not is_speck(w)])
        out = [ScanLine(t.text, (t.x0, t.top, t.x1, t.bottom), t.bottom - t.top, 0) for t in heading]
        for line in heading:
            if unit := UNIT_NOTE.search(line.text.replace(" ", "")):
                self.units[page.number] = unit["unit"]
        ledger_table = max(tables, key=lambda t: min(t.bbox[2], ledger.x1) - max(t.bbox[0], ledger.x0))
        self.carried = self.current  # the 目 the page's first lines may go on with
        rows = self.read_accounts(tables, [r for r in regions if r.x1 <= ledger.x0 + 1])
        first_project = len(self.projects)
        ledger_lines = self.read_ledger(page.number, ledger, ledger_table, rows)
        self.reread_names(page, rows, self.projects[first_project:])
        for row in rows:
            row.line = len(out)
            out.append(ScanLine(row.describe(), row.box, row.box[3] - row.box[1], 2 if row is rows[0] else 0))
        start = len(out)
        out.extend(ledger_lines)
        for project in self.projects[first_project:]:
            project.line += start
            out[project.line] = replace(out[project.line], text=project.describe())
        return out

    def read_accounts(self, tables: list[RuledTable], regions: list[Region]) -> list[AccountRow]:
        """Read the account table's 款・項・目 rows: numbers, name, the three amounts and the 節 amounts."""
        numeric = [r for r in regions if r.numeric]
        if len(numeric) < 3:
            return []
        first = numeric[0]
        names = [r for r in regions if r.x1 <= first.x0 + 1 and not r.numeric and r.lines]
        if not names:
            return []
        name_region = names[-1]
        amount_regions = numeric[:3]
        section_region = numeric[3] if len(numeric) > 3 else None
        table = next((t for t in tables if t.bbox[0] - 1 <= name_region.x0 + MIN_COLUMN and name_region.x0 < t.bbox[2]), None)
        if table is None:
            return []
        cells = sorted({c for row in table.rows for c in row if c is not None and c[2] <= first.x0 + 1},
                       key=lambda c: (c[1], c[0]))
        starts = sorted({c[0] for c in cells})
        if not 0 < len(starts) <= 3:
            return []
        levels = ACCOUNT_LEVELS[:3][-len(starts):]  # the sub-columns of the name area: 款, 項, 目 (or 項, 目; or 目)
        tops = sorted({c[1] for c in cells})
        rows: list[AccountRow] = []
        for top, bottom in zip(tops, tops[1:] + [table.bbox[3]]):  # a row runs down to the next row's top
            numbers: list[str] = []
            name = None
            deepest: tuple[float, float, float, float] | None = None
            name_words: list[Word] = []
            for cell in (c for c in cells if c[1] == top):
                inside = [w for line in name_region.lines for w in line.words
                          if cell[0] - 1 <= (w.x0 + w.x1) / 2 <= cell[2] + 1 and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1]
                m = ACCOUNT_CELL.match("".join(line.text for line in group_lines(inside)).replace(" ", ""))
                if m is None:
                    continue
                numbers.append(m["n"])
                name = m["name"] or None
                deepest, name_words = cell, inside
            if deepest is None:
                continue
            level = ACCOUNT_LEVELS.index(levels[starts.index(deepest[0])])
            full = self.complete_numbers(tuple(numbers), level)
            amounts: list[int | None | str] = []
            for region in amount_regions:
                found = [line for line in region.lines if top - 1 <= line.middle <= bottom + 1]
                amounts.append(None if not found else read_cell(found[0].words) if len(found) == 1
                               else " / ".join(line.text for line in found))
            sections: list[int | None | str] = []
            if section_region is not None:
                sections = [read_cell(line.words) for line in section_region.lines if top - 1 <= line.middle <= bottom + 1]
            near = [line for region in [name_region, *amount_regions] for line in region.lines
                    if top - 1 <= line.middle <= bottom + 1]
            box = (name_region.x0, min((t.top for t in near), default=top), amount_regions[-1].x1,
                   max((t.bottom for t in near), default=bottom))
            name_boxes = [(t.x0, t.top, t.x1, t.bottom) for t in group_lines(name_words)]
            row = AccountRow(level, full, name, amounts, top, bottom, box, name_boxes, sections)
            row.name_conf = mean_conf(name_words[1:])
            rows.append(row)
        self.learn_form(rows)
        for row in rows:
            self.place(row)
        return rows

    def complete_numbers(self, numbers: tuple[str, ...], level: int) -> tuple[str, ...]:
        """Return a row's 款, 項 and 目 numbers: those it prints (the deepest levels), the rest from the rows above."""
        start = max(0, level + 1 - len(numbers))
        full = self.last_numbers[:start] + numbers[-(level + 1):]
        self.last_numbers = full
        return full

    def place(self, row: AccountRow) -> None:
        """Make a 目 row the current 目 (the same 目 again when it runs on from the page before)."""
        if ACCOUNT_LEVELS[row.level] != "目":  # a 款 or 項 row: the 目 before it has ended
            row.account = self.current = None
            return
        current = self.current
        if current is not None and current.numbers == row.numbers:
            if all(a is None for a in current.row.amounts) and any(a is not None for a in row.amounts):
                current.row = row
            row.account = current
            return
        self.current = Account(row.numbers, row)
        self.accounts.append(self.current)
        row.account = self.current

    def learn_form(self, rows: list[AccountRow]) -> None:
        """Tell from the rows' arithmetic whether the book is a supplementary (a + b = c) or an initial one (b + c = a)."""
        votes = {"supplementary": 0, "initial": 0}
        for row in rows:
            a, b, c = (row.amounts + [None, None, None])[:3]
            if not (isinstance(a, int) and isinstance(b, int) and isinstance(c, int)) or not (a and b and c):
                continue
            votes["supplementary"] += a + b == c
            votes["initial"] += b + c == a
        if self.form is None and votes["supplementary"] and not votes["initial"]:
            self.form = "supplementary"
        elif self.form is None and votes["initial"] and not votes["supplementary"]:
            self.form = "initial"

    def read_ledger(self, number: int, ledger: Region, table: RuledTable, rows: list[AccountRow]) -> list[ScanLine]:
        """Read the 説明 column's lines: 事業 rows, their funding rows and detail lines, each in its 目."""
        split = [[c for c in cells if c is not None] for cells in table.rows if sum(c is not None for c in cells) >= 3]
        body_top = next((line.top for line in ledger.lines if has_figure(line)), None)
        out: list[ScanLine] = []
        if body_top is None:
            return out
        for line in ledger.lines:
            if line.top < body_top - 1:
                continue
            box = (line.x0, line.top, line.x1, line.bottom)
            brk = 0 if out else 2
            cells = next((c for c in split if c[0][1] - 1 <= line.middle <= c[0][3] + 1), None)
            if cells is not None:  # a funding row: a figure a cell
                figures = [read_cell([w for w in line.words if c[0] <= (w.x0 + w.x1) / 2 <= c[2]]) for c in cells]
                out.append(ScanLine("\t".join(f if isinstance(f, str) else format_figure(f) for f in figures),
                                    box, box[3] - box[1], brk))
                self.take_funding(figures)
                continue
            out.append(ScanLine(line.text, box, box[3] - box[1], brk))
            self.take_line(number, line, ledger, self.find_account(rows, line.middle), len(out) - 1)
        return out

    def take_funding(self, figures: list[int | None | str]) -> None:
        """A funding row: the open 事業's own, right under it, or the next 事業's or 目's, which closes it."""
        project = self.open_project
        if project is not None and project.funding is None and not project.in_details:
            project.funding = figures
            project.in_details = True
        else:
            self.open_project = None

    def take_line(self, number: int, line: Text, ledger: Region, account: Account | None, index: int) -> None:
        """A text line of the 説明 column: a 事業 row, a department, a detail line or a note."""
        words = line.words
        code = CODE_START.match(words[0].text)
        tail = self.trailing_figure(words, ledger)
        if code is not None and tail and len(words) > len(tail):
            head = [replace(words[0], text=code["rest"])] if code["rest"] else []
            name_words = drop_trailing_rule(head + words[1:len(words) - len(tail)])
            name = join_words(name_words).replace(" ", "")
            if name:
                name_box = (words[0].x0, line.top, max(w.x1 for w in words[:len(words) - len(tail)]), line.bottom)
                project = Project(number, code["code"], name, read_cell(tail), join_words(tail), index, name_box)
                project.name_conf = mean_conf(name_words)
                project.account = account.numbers if account is not None else None
                if account is not None:
                    account.projects.append(project)
                self.projects.append(project)
                self.open_project = project
                return
        if code is not None:  # a department over its 事業: "15100000 総務課"
            if self.open_project is not None and self.open_project.in_details:
                self.open_project = None
            return
        going = self.open_project
        if going is None:
            return
        if tail and (DETAIL_CODE.match(line.text) or len(tail) == len(words) or going.in_details):
            figure = read_cell(tail)
            if figure is not None:
                going.details.append(figure)
        if tail or DETAIL_CODE.match(line.text):
            going.in_details = True

    def trailing_figure(self, words: list[Word], ledger: Region) -> list[Word]:
        """Return the words at a line's end that make one figure at the 説明 column's right edge."""
        edge = ledger.x1 - AMOUNT_EDGE * (ledger.x1 - ledger.x0)
        tail: list[Word] = []
        for w in reversed(words):
            if w.x0 < edge or not FIGURE_PIECE.fullmatch(w.text):
                break
            if tail and tail[0].x0 - w.x1 > 2 * (w.bottom - w.top):
                break
            tail.insert(0, w)
        return tail

    def find_account(self, rows: list[AccountRow], middle: float) -> Account | None:
        """Return the 目 whose band holds ``middle``: the last account row above it on the page, else the 目 running on."""
        above = [r for r in rows if r.top - 1 <= middle]
        return above[-1].account if above else self.carried

    def reread_names(self, page: OcrPage, rows: list[AccountRow], projects: list[Project]) -> None:
        """Read the names of the page's accounts and 事業 again, line by line, all in one process,
        and keep the reading Tesseract is the surer of; a reading that does not open with the
        row's number or code is not taken."""
        pad = 4.0
        boxes = [box for row in rows for box in row.name_boxes] + [p.name_box for p in projects]
        found = iter(page.read_apart([(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad) for b in boxes], 7))
        for row in rows:
            lines = [[w for w in next(found) if not is_speck(w)] for _ in row.name_boxes]
            words = [w for line in lines for w in line]
            m = ACCOUNT_CELL.match(join_words(words).replace(" ", ""))
            if m is not None and m["n"] == row.numbers[-1] and m["name"] and all(lines) \
                    and mean_conf(words[1:]) > row.name_conf:
                row.name = m["name"]
            if row.name:
                self.names[row.numbers] = row.name
        for project in projects:
            words = [w for w in next(found) if not is_speck(w)]
            m = CODE_START.match(words[0].text) if words else None
            if m is None or m["code"] != project.code:
                continue
            rest = drop_trailing_rule(([replace(words[0], text=m["rest"])] if m["rest"] else []) + words[1:])
            name = join_words(rest).replace(" ", "")
            if name and mean_conf(rest) > project.name_conf:
                project.name = name

    # -- the document -----------------------------------------------------------------

    def finish(self, lines: tuple[SourceLine, ...]) -> tuple[tuple[ScannedProgram, ...], tuple[str, ...]]:
        """Confirm the amounts, number the 事業 rows by the document's lines, and say what was done."""
        if not self.read_pages and not self.unread:
            return (), ()
        for account in self.accounts:
            self.confirm(account)
        for project in self.projects:
            if project.confirmed is None:
                self.confirm_alone(project)
        numbers: dict[tuple[int, str, tuple[float, ...]], int] = {}
        for sl in lines:
            if sl.page in self.page_lines and sl.bbox is not None:
                numbers.setdefault((sl.page, sl.text, sl.bbox), sl.number)
        programs = []
        warnings: list[str] = []
        n_confirmed = 0
        for project in self.projects:
            scan_line = self.page_lines[project.page][project.line]
            bbox = tuple(round(v, 2) for v in scan_line.bbox)
            number = numbers.get((project.page, scan_line.text, bbox))
            if number is None:  # its line was dropped (page furniture): nothing to point at
                warnings.append(f"page {project.page}: 事業 {project.code} {project.name} was read by OCR, but its line "
                                "is not among the document's: left out")
                continue
            path = self.section_path(project.account)
            amount = project.amount if isinstance(project.amount, int) else None
            confirmed = project.confirmed is not None and amount is not None and self.unit is not None
            n_confirmed += confirmed
            if not confirmed:
                why = "; ".join(project.failed) or "no sum printed on the page covers it"
                if self.unit is None:
                    units = sorted(set(self.units.values()))
                    why = f"the unit of the amounts (単位) was read as {' and '.join(units)} on {len(self.units)} of " \
                          f"{len(self.read_pages)} pages" if units else "the unit of the amounts (単位) could not be read"
                warnings.append(f"page {project.page}, line {number}: 事業 {project.code} {project.name}: its amount, read as "
                                f"{format_figure(project.amount)}, is not confirmed by the sums printed on the page ({why}): "
                                "budget left null")
            programs.append(ScannedProgram(
                name=project.name, code=project.code, raw=scan_line.text,
                span=Span(number, number, project.page, bbox),  # type: ignore[arg-type]
                section_path=path, amount=format_figure(amount) if confirmed else None,
                unit=self.unit if confirmed else None, evidence=project.confirmed,
            ))
        if self.read_pages:
            pages = describe_pages(self.read_pages)
            verb = "have" if len(self.read_pages) > 1 else "has"
            share = f"{n_confirmed} of {len(programs)}" + (f" ({n_confirmed / len(programs):.0%})" if programs else "")
            version = self.available[1] if self.available else "?"
            warnings.insert(0, f"{pages} {verb} no text layer: read by OCR (Tesseract {version}, {OCR_LANGUAGE}, "
                               f"{OCR_DPI} dpi); {len(programs)} 事業 rows, {share} amounts confirmed by the sums "
                               "printed on their pages")
        for _, failure in self.unread:
            warnings.append(f"{failure}: nothing read from it")
        return tuple(programs), tuple(warnings)

    def section_path(self, numbers: tuple[str, ...] | None) -> tuple[str, ...]:
        if not numbers:
            return ()
        path: list[str] = []
        for depth in range(1, len(numbers) + 1):
            name = self.names.get(numbers[:depth])
            if name is None:
                return tuple(path)
            path.append(name)
        return tuple(path)

    def budget_column(self) -> int | None:
        return {"supplementary": 1, "initial": 0}.get(self.form or "")

    def confirm_row(self, row: AccountRow) -> str | None:
        """Return how a 目's amount is confirmed: by its row's arithmetic or its 節, or None."""
        a, b, c = (row.amounts + [None, None, None])[:3]
        if isinstance(a, str) or isinstance(b, str) or isinstance(c, str):
            return None
        va, vb, vc = a or 0, b or 0, c or 0  # a blank cell: nothing (補正前の額 of a new 目)
        if self.form == "supplementary" and is_digit_checked([va, vb], vc):
            return f"its row: {describe_sum([va, vb], vc)}"
        if self.form == "initial" and is_digit_checked([vb, vc], va):
            return f"its row: {describe_sum([vb, vc], va)}"
        column = self.budget_column()
        total = row.amounts[column] if column is not None else None
        sections = [s for s in row.sections if isinstance(s, int)]
        if isinstance(total, int) and len(sections) == len(row.sections) and is_digit_checked(sections, total):
            return f"its 節: {describe_sum(sections, total)}"
        return None

    def confirm(self, account: Account) -> None:
        """Confirm the 事業 amounts of a 目 that add up to the 目's amount."""
        column = self.budget_column()
        if column is None or not account.projects:
            return
        total = account.row.amounts[column]
        amounts = [p.amount for p in account.projects]
        name = f"目 {account.numbers[-1]} {account.row.name or ''}".rstrip()
        if not isinstance(total, int):
            for p in account.projects:
                p.failed.append(f"{name}: its amount read as {format_figure(total)}")
            return
        if not all(isinstance(a, int) for a in amounts):
            for p in account.projects:
                p.failed.append(f"{name} {format_figure(total)}: another 事業 of it unread")
            return
        figures: list[int] = amounts  # type: ignore[assignment]
        if sum(figures) != total:
            for p in account.projects:
                p.failed.append(f"{name} {format_figure(total)} ≠ the sum of its 事業 {format_figure(sum(figures))}")
            return
        anchor = self.confirm_row(account.row)
        if anchor is not None:
            how = f"{name} {format_figure(total)} = the sum of its 事業, confirmed by {anchor}"
        elif is_digit_checked(figures, total):
            how = f"{name}: {describe_sum(figures, total)}"
        else:
            for p in account.projects:
                p.failed.append(f"{name} {format_figure(total)} = the sum of its 事業, but no sum tests its digits")
            return
        for p in account.projects:
            p.confirmed = how

    def confirm_alone(self, project: Project) -> None:
        """Confirm a 事業 amount by its detail lines or its funding row."""
        amount = project.amount
        if not isinstance(amount, int):
            return
        details = [d for d in project.details if isinstance(d, int)]
        if details and len(details) == len(project.details):
            if is_digit_checked(details, amount):
                project.confirmed = f"its 節 detail lines: {describe_sum(details, amount)}"
                return
            if sum(details) != amount:
                project.failed.append(f"its 節 detail lines add up to {format_figure(sum(details))}")
        if project.funding is not None:
            cells = [c for c in project.funding if c is not None]
            if all(isinstance(c, int) for c in cells):
                figures: list[int] = cells  # type: ignore[assignment]
                if is_digit_checked(figures, amount):
                    project.confirmed = f"its funding row: {describe_sum(figures, amount)}"
                    return
                if sum(figures) != amount:
                    project.failed.append(f"its funding row adds up to {format_figure(sum(figures))}")


def describe_pages(numbers: list[int]) -> str:
    """Name pages compactly: ``pages 10-13``, ``page 7``, ``pages 3, 5-6``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return ("pages " if len(numbers) > 1 else "page ") + ", ".join(parts)
