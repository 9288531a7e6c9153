"""Ledger: a budget book's 説明 column and its account headings to program blocks.

Input: the logical lines of one document (``parse.lines.build_lines``), and the 事業 rows of its
pages read by OCR (``records.ScannedProgram``); ledger rows are the
lines the PDF reader read from a table column headed 説明 (``Line.column``), account headings
and 目 rows are the lines around them. Output: a ``Ledger``: one ``ProgramBlock`` per 事業 row
with its amount as the budget and its 款・項・目・細目 as the section path, the lines below it
(特財 funding, components) as its items; the 細目 totals to check the 事業 amounts against;
and the numbers of every line it took, which the segmenter leaves alone.

A budget book (予算書・予算に関する説明書) lists under each 目 its 細目 — a code, a name and
the total of its 事業 at the column's right edge — and under each 細目 its 事業: a code, a
name and the amount in an inner column. Which column an amount stands in is read from the
page, never from the words: the distance of its right edge from the ledger column's right
edge, clustered over the document. The outermost cluster holds the 細目 totals; a coded row
with its amount further in is a 事業. A 細目 with no 事業 under it is a program itself. The
amounts are in the unit the book states (``千円`` under the column header, ``（単位：千円）``);
where it states none, no budget is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Final

from ..records import Budget, Context, ItemBlock, Line, Outline, ProgramBlock, ScannedProgram
from ..text.forms import join_text, to_display_form
from ..text.vocab import (
    ACCOUNT_LEVELS,
    ACHIEVEMENT_MARK,
    COUNT_WORDS,
    FUNDING_LABEL,
    HEADING_LEVELS,
    ITEM_MARKS,
    LEDGER_HEADER,
    NEGATIVE_MARKS,
    POINT_MARKS,
    REVENUE_NAMES,
    UNIT_FACTORS,
    UNIT_LABEL,
    YEN,
    join_alternatives,
)
from .fields import AMOUNT
from .money import compute_yen, read_integer

# A ledger row: a code (three digits, a number, one in brackets or circled, or ○), a name, perhaps a count, perhaps
# an amount: "001 社会福祉管理事業費\t6,327", "1 民生委員等活動（保健福祉政策部）\t111,543",
# "001 福祉計画推進会議委員 14人\t222", "○ 障害者自立支援給付事\t1,670,858", "17 地域密着型サービス拠点等整備助成",
# "(1) 社会福祉総務事務\t151,200", "① 民生委員活動事\t12,345";
# an amount with a comma may stand after a mere space: "8 福祉人材育成・研修センター運営事業（保健福祉政策部） 107,060"
LEDGER_ROW: Final = re.compile(
    rf"^(?P<code>[0-9]{{1,3}}(?=\s)|\([0-9]{{1,3}}\)|[{POINT_MARKS}](?=\s*[^\s0-9{NEGATIVE_MARKS}])|[{ITEM_MARKS}{ACHIEVEMENT_MARK}])"
    rf"\s*(?P<name>[^\t]*?[^\t\s])"
    rf"(?:\s*(?P<count>[0-9]+\s*(?:{join_alternatives(COUNT_WORDS)})))?"
    rf"(?:\t(?P<amount>[{NEGATIVE_MARKS}]?(?:{AMOUNT}))|[\t ]+(?P<spaced>[{NEGATIVE_MARKS}]?[0-9]{{1,3}}(?:,[0-9]{{3}})+))?$"
)
# A row of a 説明 column that numbers none of its rows: a name and its amount, "地域福祉計画策定事業\t12,000",
# "物価高騰対策障害福祉サービス事業所支援金 50,000" (see ``read_ledger_row``)
CODELESS_ROW: Final = re.compile(
    rf"^(?P<name>[^\t\s0-9{NEGATIVE_MARKS}(（\[{POINT_MARKS}{ITEM_MARKS}{ACHIEVEMENT_MARK}][^\t]*?[^\t\s])"
    rf"(?:\t(?P<amount>[{NEGATIVE_MARKS}]?(?:{AMOUNT}))|[ ]+(?P<spaced>[{NEGATIVE_MARKS}]?[0-9]{{1,3}}(?:,[0-9]{{3}})+))$"
)
# A row that is only an amount (one that wrapped below its name): "272,887"
AMOUNT_ONLY: Final = re.compile(rf"^(?P<amount>[{NEGATIVE_MARKS}]?(?:{AMOUNT}))$")
# A funding line under a 事業: "特財：都支出金\t86,427", "特財：国庫支出金\t1,150、都支出金\t18,210"
FUNDING: Final = re.compile(rf"^{FUNDING_LABEL}\s*[:：]")
# A funding line's continuation: "その他\t10,840"
FUNDING_MORE: Final = re.compile(rf"^[^\t0-9]{{1,10}}\t(?:{AMOUNT})(?:、|$)")
# The unit of a ledger's amounts, under its header or over the page: "千円", "(単位 : 千円)", "(単位 千円)"
UNIT_NOTE: Final = re.compile(rf"^\(?\s*(?:{UNIT_LABEL}\s*[:：]?\s*)?(?P<unit>{join_alternatives(UNIT_FACTORS)})\s*\)?$")
# The row of units under a ledger's header, one a column: "千円\t千円\t千円\t千円" (the 説明 column's left blank)
UNIT_ROW: Final = re.compile(rf"^(?P<unit>{join_alternatives(UNIT_FACTORS)})(?:\s+(?P=unit))+$")
# A unit after a word of a ledger's header cell: "千円" of "本年度千円", "(千円)" of "前年度予算額(千円)" (see ``read_header_unit``)
HEADER_CELL_UNIT: Final = re.compile(rf"(?<=[^\t\s0-9])\(?(?P<unit>{join_alternatives(UNIT_FACTORS)})\)?(?=\t|$)")
# An account heading: "3款 民生費37,723,107千円", "1項 社会福祉費", "(款) 03 民生費", "3款 民生費1項 社会福祉費",
# "款 3. 民生費", "項 1. 社会福祉費"
ACCOUNT_PART: Final = re.compile(
    r"(?:(?P<n>[0-9]{1,2})\s*(?P<level>款|項)|\(\s*(?P<level2>款|項)\s*\)\s*(?P<n2>[0-9]{1,2})"
    r"|(?P<level3>款|項)\s*(?P<n3>[0-9]{1,2})\s*[.．]?)\s*(?P<name>[^\s0-9(),.．]+)"
)
ACCOUNT_START: Final = re.compile(rf"^(?:[0-9]{{1,2}}\s*[{HEADING_LEVELS}]|\(\s*[{HEADING_LEVELS}]\s*\)|[{HEADING_LEVELS}]\s*[0-9])")
# A 款 and its 項 after the book's own words on one line: "３款 民生費 ２項 児童福祉費" of
# "令和８年度 一般会計 歳出 ３款 民生費 ２項 児童福祉費" (parse form)
ACCOUNT_PAIR: Final = re.compile(r"(?:^|\s)[0-9]{1,2}\s*款\s*[^\s0-9]+\s+[0-9]{1,2}\s*項\s*[^\s0-9]+")
# A 目 row of the account table: its number and name, then this year's, last year's and the change:
# "1 社会福祉総\t\t984,592\t824,322\t160,270\t…", "01 社会福祉総務費\t34,661,846\t33,245,996\t1,415,850\t特定財源…",
# "1.社会福祉総務費\t669,136\t701,057\t△31,921\t261,511…"
ACCOUNT_ROW: Final = re.compile(rf"^(?P<n>[0-9]{{1,2}})\s*[.．]?\s*(?P<name>[^\t0-9]+?)\t+(?:[{NEGATIVE_MARKS}]?(?:{AMOUNT})\t+){{2}}[{NEGATIVE_MARKS}]?(?:{AMOUNT})(?:\t|$)")
# The rest of a 目 name its cell wrapped: "務費"
NAME_REST: Final = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff]{1,8}$")
# The rest of a ledger row's name, wrapped, and its amount at the end of that line: "援事業\t359,911" under
# "2 生活困窮者自立支", "費\t151,200" under "001 社会福祉総務事務"
NAME_REST_AMOUNT: Final = re.compile(rf"^(?P<rest>[^\t0-9\s][^\t0-9]{{0,11}})\t(?P<amount>[{NEGATIVE_MARKS}]?(?:{AMOUNT}))$")

LEVEL_TOLERANCE: Final = 4.0  # points: amounts whose right edges lie this close stand in one column
WRAP_GAP: Final = 0.5  # em: a row closer than this below a row continues it (a wrapped name)


@dataclass(frozen=True)
class Ledger:
    """What the ledger pass read: program blocks, 細目 totals and the lines it took."""

    blocks: tuple[ProgramBlock, ...] = ()
    totals: tuple[tuple[int, int, str, tuple[int, ...]], ...] = ()
    taken: frozenset[int] = frozenset()
    warnings: tuple[str, ...] = ()


@dataclass
class OpenRow:
    """A coded ledger row while the rows below it may still add to it."""

    line: Line
    code: str
    name: str
    amount: str | None
    level: int | None
    items: list[ItemBlock] = field(default_factory=list)


@dataclass
class LedgerState:
    unit: str | None = None
    account: dict[str, str] = field(default_factory=dict)  # 款, 項, 目, 細目 → name
    # 目 rows read but not yet reached in the ledger: (name, this year's total in the book's unit)
    queued: list[list] = field(default_factory=list)
    remaining: int = 0  # what the 細目 of the current 目 have yet to add up to
    group: OpenRow | None = None  # the open 細目
    group_programs: list[int] = field(default_factory=list)
    row: OpenRow | None = None  # the open 事業 (or the 細目, until a 事業 comes)
    blocks: list[ProgramBlock] = field(default_factory=list)
    totals: list[tuple[int, int, str, tuple[int, ...]]] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)
    previous: Line | None = None


def read_amount(row: re.Match) -> str | None:
    return row["amount"] or row["spaced"]


def measure_offset(line: Line) -> float | None:
    """Return how far a ledger row's right edge stands in from its column's right edge."""
    if line.column is None or line.span.bbox is None:
        return None
    return line.column.x1 - line.span.bbox[2]


@dataclass(frozen=True)
class Levels:
    """How a ledger tells a 細目 row from the 事業 rows under it: by the right edges of their amounts (``offsets``,
    from the column's right edge, outermost first), or, where all amounts share one edge, by how far their
    rows are set in (``indents``, from the column's left edge, shallowest first; empty when all are set alike)."""

    offsets: list[float]
    indents: list[float]


def cluster(values: list[float]) -> list[float]:
    """The distinct values, in order, those within ``LEVEL_TOLERANCE`` of the one before counted as one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > LEVEL_TOLERANCE:
            out.append(value)
    return out


def find_levels(lines: list[Line]) -> Levels:
    """Return how the document's ledger tells its levels (see ``Levels``)."""
    rows = [line for line in lines if (m := LEDGER_ROW.match(line.text)) and read_amount(m) and line.span.bbox is not None]
    offsets = cluster([o for line in rows if (o := measure_offset(line)) is not None])
    indents = cluster([line.span.bbox[0] - line.column.x0 for line in rows  # type: ignore[index]
                       if line.column is not None]) if len(offsets) <= 1 else []
    return Levels(offsets, indents if len(indents) > 1 else [])


def find_level(line: Line, levels: Levels) -> int | None:
    """A row's level: the amount column its right edge stands in, or where all amounts share one edge, how far
    the row is set in (``Levels``); None when neither tells it."""
    if levels.indents:
        if line.column is None or line.span.bbox is None:
            return None
        indent = line.span.bbox[0] - line.column.x0
        return next((index for index, start in enumerate(levels.indents)
                     if start - 0.5 <= indent <= start + LEVEL_TOLERANCE + 0.5), None)
    offset = measure_offset(line)
    if offset is None:
        return None
    for index, start in enumerate(levels.offsets):
        if start - 0.5 <= offset <= start + LEVEL_TOLERANCE + 0.5:
            return index
    return None


def read_header_unit(text: str) -> str | None:
    """The unit of a ledger's header row that prints it in its amount cells, 「目\t本年度千円\t前年度千円\t比較千円\t説明」:
    two cells at least, of one unit, in a row with the 説明 cell; else None."""
    if LEDGER_HEADER not in text or LEDGER_HEADER not in (cell.strip() for cell in text.split("\t")):
        return None
    units = {m["unit"] for m in HEADER_CELL_UNIT.finditer(text)}
    if len(units) != 1 or len(HEADER_CELL_UNIT.findall(text)) < 2:
        return None
    return units.pop()


def read_accounts(text: str) -> list[tuple[str, str]]:
    """Return (level, name) for each 款 or 項 an account heading names."""
    out = []
    for m in ACCOUNT_PART.finditer(text):
        out.append((m["level"] or m["level2"] or m["level3"], to_display_form(m["name"])))
    return out


def make_budget(amount: str, unit: str | None) -> Budget | None:
    """Return the budget of a ledger amount in the book's unit, or None when the unit is not stated."""
    if unit is None:
        return None
    value = compute_yen(amount.lstrip(NEGATIVE_MARKS) + unit.removesuffix(YEN))
    if value is None:
        return None
    return Budget(-value[0] if amount[:1] in NEGATIVE_MARKS else value[0], unit, amount)


def is_wrapped_below(line: Line, above: Line | None) -> bool:
    """Tell whether ``line`` sits right below ``above``, closer than rows are spaced (a wrapped name)."""
    if above is None or line.span.bbox is None or above.span.bbox is None or line.span.page != above.span.page:
        return False
    size = above.span.bbox[3] - above.span.bbox[1]
    return 0 <= line.span.bbox[1] - above.span.bbox[3] < WRAP_GAP * size


def close_row(state: LedgerState, context: Context) -> None:
    """Turn the open 事業 row into a program block."""
    row = state.row
    state.row = None
    if row is None or row is state.group:
        return
    emit_block(state, row, context)
    state.group_programs.append(len(state.blocks) - 1)


def emit_block(state: LedgerState, row: OpenRow, context: Context, alone: bool = False) -> None:
    """Add a program block for ``row``; ``alone``: a 細目 with no 事業, which stands under its 目, not under itself."""
    levels = ACCOUNT_LEVELS[:3] if alone else ACCOUNT_LEVELS
    path = tuple(state.account[k] for k in levels if k in state.account)
    span = row.line.span
    for item in row.items:
        span = span.merge(item.span)
    state.blocks.append(ProgramBlock(
        heading=row.name, heading_raw=row.line.raw, span=span, annotation_lines=(), description=(),
        items=tuple(row.items), section=state.account.get("目"), subsection=None if alone else state.account.get("細目"),
        context=context, marker="ledger", numbering=row.code if row.code.isdigit() else None,
        budget=make_budget(row.amount, state.unit) if row.amount else None, section_path=path,
    ))


def close_group(state: LedgerState, context: Context) -> None:
    """Close the open 細目: check its total against its 事業, or make it a program when it has none."""
    close_row(state, context)
    group = state.group
    state.group = None
    if group is None:
        return
    if not state.group_programs:
        emit_block(state, group, context, alone=True)
    elif group.amount is not None and state.unit is not None:
        stated = make_budget(group.amount, state.unit)
        if stated is not None and stated.thousand_yen is not None:
            state.totals.append((stated.thousand_yen, group.line.span.line_start, group.line.raw,
                                 tuple(state.group_programs)))
    state.group_programs = []
    state.account.pop("細目", None)


def read_ledger(lines: tuple[Line, ...], context: Context) -> Ledger:
    """Read a document's ledger rows into program blocks (see the module docstring)."""
    ledger_lines = [line for line in lines if line.column is not None]
    if not ledger_lines:
        return Ledger()
    levels = find_levels(ledger_lines)
    state = LedgerState()
    pending_name: Line | None = None  # a 目 row whose name may go on in the next line
    for line in lines:
        text = line.text.strip()
        number = line.span.line_start
        if line.column is None:
            if pending_name is not None and NAME_REST.match(text):
                if state.queued and state.queued[-1][2] is pending_name:  # a repeated row's rest is known
                    state.queued[-1][0] += to_display_form(text)
                state.taken.add(number)
                pending_name = None
                continue
            pending_name = None
            if unit := UNIT_NOTE.match(text) or UNIT_ROW.match(text):
                state.unit = unit["unit"]
                state.taken.add(number)
            elif state.unit is None and (header_unit := read_header_unit(text)) is not None:
                state.unit = header_unit  # 「目\t本年度千円\t前年度千円\t比較千円\t説明」: left untaken
            elif ACCOUNT_START.match(text) or ACCOUNT_PAIR.search(text):  # repeated on every page: only a new account closes the 細目
                for level, name in read_accounts(text):
                    if state.account.get(level) != name:
                        close_group(state, context)
                        for lower in ACCOUNT_LEVELS[ACCOUNT_LEVELS.index(level) + 1:]:
                            state.account.pop(lower, None)
                        state.queued.clear()  # 目 rows belong to the 款・項 above them
                        state.remaining = 0
                    state.account[level] = name
                state.taken.add(number)
            elif m := ACCOUNT_ROW.match(text):
                queue_account_row(state, m, line)
                pending_name = line  # its name may go on in the next line, repeated row or not
                state.taken.add(number)
            continue
        state.taken.add(number)
        pending_name = None  # the rest of a 目 name stands right under its row, never past the ledger
        read_ledger_row(state, line, text, levels, context)
        state.previous = line
    close_group(state, context)
    warnings: tuple[str, ...] = ()
    if state.unit is None and any(b.budget is None for b in state.blocks):
        warnings = ("a budget book's ledger states no unit for its amounts: no budget taken from it",)
    return Ledger(tuple(state.blocks), tuple(state.totals), frozenset(state.taken), warnings)


def queue_account_row(state: LedgerState, row: re.Match, line: Line) -> None:
    """Queue a 目 row (``1 社会福祉総務費\t984,592\t824,322\t160,270``) until the ledger reaches it.

    The account table sits beside or before the ledger, so a 目 row is read before the 細目
    of the 目 above it are done; it is repeated on every page its 目 goes on. It becomes the
    current 目 at the first 細目 once the 細目 of the current one add up to its total. A row
    repeated on a later page is known already and not queued again.
    """
    name = to_display_form(row["name"])
    known = [state.account.get("目")] + [q[0] for q in state.queued]
    if any(k and (k == name or k.startswith(name)) for k in known):
        return
    total = re.search(rf"[{NEGATIVE_MARKS}]?(?:{AMOUNT})", row.group()[row.end("name"):])
    amount = (read_integer(total.group().lstrip(NEGATIVE_MARKS)) or 0) if total else 0
    state.queued.append([name, amount, line])


def enter_group(state: LedgerState, amount: str | None) -> None:
    """Move to the next queued 目 when the current one's 細目 are all read; count this 細目 in."""
    if state.queued and (state.remaining <= 0 or "目" not in state.account):
        name, total, _ = state.queued.pop(0)
        if state.account.get("目") != name:
            state.account["目"] = name
        state.remaining = total
    if amount:
        state.remaining -= read_integer(amount.lstrip(NEGATIVE_MARKS)) or 0


def read_ledger_row(state: LedgerState, line: Line, text: str, levels: Levels, context: Context) -> None:
    """Take one row of the 説明 column: a unit, a 細目 or 事業 row, a wrapped name or amount, or an item."""
    unit = UNIT_NOTE.match(text)
    if unit:
        state.unit = unit["unit"]
        return
    row = LEDGER_ROW.match(text)
    if row is None and (state.row is None or not state.row.code) and state.account.get("款") not in REVENUE_NAMES:
        row = CODELESS_ROW.match(text)  # a column of spending that numbers none of its rows (revenue's lists its sources)
    if row and not FUNDING.match(text):
        amount = read_amount(row)
        level = find_level(line, levels) if amount else None
        opened = OpenRow(line, row.groupdict().get("code") or "", to_display_form(row["name"]), amount, level)
        if level == 0:
            close_group(state, context)
            enter_group(state, amount)
            state.group = state.row = opened
            state.account["細目"] = opened.name
            return
        close_row(state, context)
        state.row = opened
        return
    current = state.row
    if current is None:
        return
    only = AMOUNT_ONLY.match(text)
    if only is None and current.amount is None and not current.items and is_wrapped_below(line, state.previous):
        # 「2 生活困窮者自立支」 over 「援事業\t359,911」: the rest of its name, its amount at the end of it
        if (only := NAME_REST_AMOUNT.match(text)) is not None:
            name_rows(state, current, join_text([current.name, to_display_form(only["rest"])]))
    if only and current.amount is None and not current.items:
        current.amount = only["amount"]
        current.level = find_level(current.line if levels.indents else line, levels)  # (set in as its name is)
        if current.level == 0 and current is not state.group:
            state.row = None
            close_group(state, context)
            enter_group(state, current.amount)
            state.group = state.row = current
            state.account["細目"] = current.name
        return
    # (or right below the row's own line, its amount set between the two: 「2 生活困窮者自立支」 / 「359,911」 / 「援事業」)
    if "\t" not in text and (is_wrapped_below(line, state.previous)
                             or not current.items and NAME_REST.match(text) and is_wrapped_below(line, current.line)):
        if not current.items:  # "○ 障害者自立支援給付事\t1,670,858" / "業費"
            name_rows(state, current, join_text([current.name, to_display_form(text)]))
            return
        last = current.items[-1]  # "ふじのくに出会いサポートセンター\t1,300" / "登録料助成金"
        name, tab, figure = last.raw.split("\n")[0].rpartition("\t")
        if tab:  # the name goes on; its amount or count ("2人") stays at the end
            joined = join_text([to_display_form(name), to_display_form(text)]) + " " + to_display_form(figure.strip())
        else:
            joined = join_text([last.text, to_display_form(text)])
        current.items[-1] = ItemBlock(last.kind, joined, last.raw + "\n" + line.raw, last.span.merge(line.span))
        return
    funding = FUNDING.match(text) or (current.items and current.items[-1].kind == "funding" and FUNDING_MORE.match(text))
    kind = "funding" if funding else "component"
    current.items.append(ItemBlock(kind, to_display_form(text.replace("\t", " ")), line.raw, line.span))


def name_rows(state: LedgerState, row: OpenRow, name: str) -> None:
    """Give a row the whole of its wrapped name; a 細目's is the path of the 事業 under it."""
    row.name = name
    if row is state.group:
        state.account["細目"] = name


# The marker of a block read by OCR (``read.scan_book``): its budget is the confirmed amount or none,
# never one read from its name.
SCANNED_MARKER: Final = "scan"


def read_scanned(scanned: tuple[ScannedProgram, ...]) -> Ledger:
    """Return a block per 事業 row a page read by OCR gave: its budget the amount the page's sums
    confirmed (in the unit the page states), else none."""
    blocks = []
    for row in scanned:
        budget = make_budget(row.amount, row.unit) if row.amount is not None else None
        blocks.append(ProgramBlock(
            heading=row.name, heading_raw=row.raw, span=row.span, annotation_lines=(), description=(), items=(),
            section=row.section_path[-1] if row.section_path else None, subsection=None, context=Context(),
            marker=SCANNED_MARKER, numbering=row.code, budget=budget, section_path=row.section_path,
        ))
    return Ledger(tuple(blocks))


def merge_ledger(outline: Outline, ledger: Ledger) -> Outline:
    """Return the outline with the ledger's blocks in source order, in the document's context,
    and the 細目 totals pointing at them."""
    if not ledger.blocks:
        return outline
    tagged = [(b.span.line_start, 0, i, b) for i, b in enumerate(outline.blocks)]
    tagged += [(b.span.line_start, 1, i, replace(b, context=outline.context)) for i, b in enumerate(ledger.blocks)]
    tagged.sort(key=lambda x: (x[0], x[1], x[2]))
    where = {(kind, i): n for n, (_, kind, i, _) in enumerate(tagged)}
    totals = [(s, line, text, tuple(where[(0, i)] for i in idx)) for s, line, text, idx in outline.totals]
    totals += [(s, line, text, tuple(where[(1, i)] for i in idx)) for s, line, text, idx in ledger.totals]
    return replace(outline, blocks=tuple(b for *_, b in tagged), totals=tuple(totals),
                   warnings=outline.warnings + ledger.warnings)
