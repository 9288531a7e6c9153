"""Parse stage: an outline's program blocks to ``Program`` and ``Item`` records.

Input: ``SourceDocument`` and its ``Outline``. Output: ``Program`` records (with their
``Item``s) and ``TotalCheck``s, ordered by source position.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Final

from ..records import (
    Annotations,
    Budget,
    Item,
    Line,
    Outline,
    Program,
    ProgramBlock,
    Rate,
    Span,
    TotalCheck,
)
from ..text.forms import join_text, to_display_form, to_parse_form
from ..text.japanese import compute_name_key, is_heading_like
from ..text.vocab import (
    FIELD_LABEL_WORDS,
    GRANT_ENDS,
    LETTERED_FISCAL_YEAR,
    NAMED_FISCAL_YEAR,
    PRIOR_YEAR,
    PROGRAM_MARK,
    RATE_HEADER,
    SUPPLEMENT_BASIS_WORDS,
    join_alternatives,
)
from .fields import (
    AMOUNT,
    FLAG_BRACKET,
    FLAG_PAREN,
    FRACTION,
    RATE_BRACKET,
    RATE_PAREN,
    UNIT,
    build_budget,
    make_budget,
    merge_annotations,
    parse_annotations,
    parse_description_rates,
    parse_era_year,
    parse_flags,
    parse_page_rates,
    parse_rates,
    read_label_year,
    read_rate_line,
    read_shares,
    split_flags,
)
from .ledger import SCANNED_MARKER
from .money import AMOUNT_TEXT as MONEY
from .money import explain_unread_amount, read_amount
from .segment import (
    BUDGET_LABEL,
    PRIOR_NOTE,
    YEAR_AMOUNT_LINE,
    YEAR_BUDGET_WORD,
    describe_printed,
    find_budget_label,
    label_year,
    read_change_beside,
    replaces_label,
    take_label_flags,
)
from .table_rows import split_cells

# ``qualified_by`` of a budget book's 事業 row
LEDGER_ROW: Final = "ledger_row"


def find_qualification(block: ProgramBlock, ann: Annotations, budget: Budget | None = None) -> str:
    """Say how a block qualified as a program: a row of a budget book's ledger or of a table of
    programs, a budget, a rate or a flag printed for it, or its place in a list of programs
    (a ``■``, numbered or labelled heading of a document that prints budgets)."""
    if block.marker in ("ledger", SCANNED_MARKER):  # a budget book's 事業 row, read from its text or by OCR
        return LEDGER_ROW
    if block.marker == "table":
        return "table_row"
    if ann.budget or block.budget or budget:
        return "budget"
    if ann.rates:
        return "rate"
    if ann.flags or block.flags:
        return "flag"
    return "program_list"


# This year's figure with last year's beside it, on a line under the heading:
# "R7：47,711千円／22か所（R6：50,840千円／18か所）", "R7：81,680千円（R6：77,864千円）"
YEAR_PAIR: Final = re.compile(
    rf"^(?P<year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})\s*[:：]\s*(?P<money>{MONEY})[^()]*"
    rf"\(\s*(?P<prior_year>{LETTERED_FISCAL_YEAR}|{NAMED_FISCAL_YEAR})\s*[:：]\s*(?P<prior>{MONEY})[^()]*\)$"
)


# The previous year's amount labelled beside a budget's label on its line, not in brackets, its unit after it or in
# its label: "前年度予算額(千円):14,000" of "予算額(千円):15,200 前年度予算額(千円):14,000" (parse form)
PRIOR_BESIDE: Final = re.compile(
    rf"(?<=\s){PRIOR_YEAR}{YEAR_BUDGET_WORD}(?:\((?P<hunit>{UNIT})\))?\s*[:：]?\s*(?P<amount>{AMOUNT})\s*(?P<unit>{UNIT})?$"
)


def read_year_budget(block: ProgramBlock, fiscal_year: int | None) -> Budget | None:
    """Return the budget a block's first line under its heading prints labelled by the program's year alone,
    「R8：84,000千円（R7：80,500千円）」 under 「■ 介護予防・日常生活支援総合事業」 of a FY2026 document; else None.
    Another year's figure (「R7：…」 in FY2026's) is none, nor is a figure further down."""
    if fiscal_year is None:
        return None
    first = min(block.annotation_lines + block.description, key=lambda line: line.span.line_start, default=None)
    if first is None:
        return None
    m = YEAR_AMOUNT_LINE.match(first.text.strip())
    if m is None or parse_era_year(m["year"]) != fiscal_year:
        return None
    amount = read_amount(m["money"])
    if amount is None or amount.fiscal_year is not None:
        return None
    return Budget(amount.yen, amount.unit, to_display_form(m["money"]))


def read_year_pair(block: ProgramBlock, fiscal_year: int | None) -> tuple[Budget, int] | None:
    """Return the previous year's amount a block's own line prints beside this year's, and its year."""
    return find_year_pair(block.annotation_lines + block.description, fiscal_year)


def find_year_pair(lines: tuple[Line, ...] | list[Line], fiscal_year: int | None) -> tuple[Budget, int] | None:
    """Return the previous year's amount printed beside this year's in ``lines``, and its year.

    Taken only when the line's first year is the program's fiscal year and the other the year
    before: 「R7：47,711千円／22か所（R6：50,840千円／18か所）」 under a FY2025 program gives 50,840千円 for 2024.
    """
    if fiscal_year is None:
        return None
    for line in lines:
        m = YEAR_PAIR.match(line.text.replace(" ", "")) or YEAR_AMOUNT_LINE.match(line.text.strip())
        if not m or not m["prior"] or parse_era_year(m["year"]) != fiscal_year or parse_era_year(m["prior_year"]) != fiscal_year - 1:
            continue
        prior = read_amount(m["prior"])
        if prior is not None and prior.fiscal_year is None:
            return Budget(prior.yen, prior.unit, to_display_form(m["prior"])), fiscal_year - 1
    return None


def compute_program_id(doc_id: str, name_key: str, occurrence: int) -> str:
    """Return a program id that stays put when other programs of the document change."""
    return hashlib.sha256(f"{doc_id}|{name_key}|{occurrence}".encode()).hexdigest()[:16]




def read_budget_label(text: str, fiscal_year: int | None = None
                      ) -> tuple[Budget, str, int | None, tuple[Budget, int | None] | None] | None:
    """Read ``予算額：119,141千円`` into (budget, basis, fiscal year or None, and the previous year's
    amount printed after it with the year it names, or None: ``（前年度 11,000千円）``, ``(R7 11,000千円)``).

    ``fiscal_year`` is the document's, which tells the era of a year printed without it
    (``20年度当初予算額``); a label whose year it cannot tell is not read (None).
    """
    line = text
    text = find_budget_label(text) or ""  # 「補正額 25,000千円」 of a line of labelled amounts
    match = BUDGET_LABEL.match(text)
    if not match or match["qual"][:1].isdigit():
        return None  # 「事業費:1,205万円1千円」: a figure right after the amount, which is then not all read
    printed_year = label_year(match)
    year = read_label_year(printed_year, fiscal_year) if printed_year else None
    if printed_year and year is None:
        return None
    if year is not None and fiscal_year is not None and year != fiscal_year \
            and (after := BUDGET_LABEL.match(match["qual"].strip())) is not None \
            and (after_year := label_year(after)) is not None and read_label_year(after_year, fiscal_year) == fiscal_year:
        # 「R7予算額 10,000千円　R8予算額 12,000千円」 in FY2026's document: R8's is the budget, R7's the prior
        this = read_budget_label(match["qual"].strip(), fiscal_year)
        before = read_budget_label(text[:match.start("qual")], fiscal_year)
        if this is None or before is None:
            return None
        prior_pair = (before[0], year) if year == fiscal_year - 1 and this[3] is None else this[3]
        return this[0], this[1], this[2], prior_pair
    prior_note = PRIOR_NOTE.match(match.group("qual"))
    prior_amount = read_amount(prior_note["prior"]) if prior_note else None
    prior = None
    if prior_amount is not None and prior_amount.fiscal_year is None and prior_note is not None:
        prior_year = read_label_year(prior_note["year"], fiscal_year) if prior_note["year"] else None
        if prior_year is not None or not prior_note["year"]:  # a year without its era that is not told: no prior
            prior = (Budget(prior_amount.yen, prior_amount.unit, to_display_form(prior_note["prior"])), prior_year)
    if prior is None and (beside := PRIOR_BESIDE.search(line)) is not None:
        # 「予算額（千円）：15,200　　前年度予算額（千円）：14,000」: the previous year's, labelled beside it
        beside_unit = beside["unit"] or beside["hunit"] or match.group("hunit")
        made = make_budget(beside["amount"], beside_unit, None, beside.group().strip()) if beside_unit else None
        if made is not None:
            prior = (made, None)
    unit = match.group("unit") or match.group("hunit")
    end = match.end("unit") if match.group("unit") else match.end("amount") if match.group("amount") else match.end("compound")
    start = match.start("year") if match.group("year") else match.start("open") if match.group("open") else match.start("basis")
    printed = text[start:end]
    qual = match.group("qual")
    if FLAG_PAREN.fullmatch(qual.strip()) or FLAG_BRACKET.fullmatch(qual.strip()):
        qual = ""  # 「予算額：8,000千円（新規）」: the program's flag (``read_label_flags``), no qualifier of the figure
    if match.group("compound"):  # 「予算額 1億2,400万円」
        amount = read_amount(match.group("compound"))
        budget = build_budget(amount.yen, amount.unit, None if prior else qual, printed) if amount is not None else None
    else:
        budget = make_budget(match.group("amount"), unit, None if prior else qual, printed)
    if budget is None:
        return None
    basis = to_display_form(match.group("basis"))
    if match.group("sign"):  # 「補正額 △3,000千円」: a supplement that takes from the budget; no other budget is less than nothing
        if basis not in SUPPLEMENT_BASIS_WORDS:
            return None
        budget = replace(budget, yen=-budget.yen)
    return budget, basis, year, prior


def read_label_flags(text: str) -> tuple[str, ...]:
    """Return the flags a budget label prints after its figure, 「予算額：8,000千円（新規）」 → 新規, or before it in brackets,
    「【新規】(事業費:3,756万2千円)」 → 新規."""
    match = BUDGET_LABEL.match(find_budget_label(text) or "")
    return parse_flags(take_label_flags(text)[0]) + parse_flags(match.group("qual")) if match else ()


def strip_item_annotations(text: str) -> str:
    """Remove flag and rate brackets from an item line, keeping everything else."""
    text = RATE_BRACKET.sub(" ", text)
    text = RATE_PAREN.sub(" ", text)
    text = FLAG_BRACKET.sub(lambda m: " " if split_flags(m.group("body")) else m.group(), text)
    return to_display_form(text)


def find_change_beside(block: ProgramBlock) -> Budget | None:
    """The change a block's budget label prints beside its budget on its line (``segment.read_change_beside``):
    「予算額 45,000千円 対前年度 △2,000千円」; None for a block read by OCR, whose figures beside its name are untrusted."""
    if block.marker == SCANNED_MARKER:
        return None
    return next((change for line in block.annotation_lines if (change := read_change_beside(line.text)) is not None),
                None)


def read_block_annotations(
    block: ProgramBlock,
) -> tuple[Annotations, str | None, int | None, tuple[Budget, int | None] | None]:
    """Merge the heading's annotations with its continuation lines; return the label's basis, year
    and previous year's amount. A row read by OCR gives its name alone: what else OCR read is untrusted."""
    head = parse_annotations(block.heading)
    if block.marker == SCANNED_MARKER:
        return Annotations(name=head.name), None, None, None
    more: list[Annotations] = []
    basis = year = prior = None
    labelled = head.budget is not None  # a heading's own budget is not a label's: 「■…事業【1,000千円】」 / 「R7予算額：900千円」
    chosen: int | None = None  # the label line taken, in ``more``
    block_label = ""
    for line in block.annotation_lines:
        label = read_budget_label(line.text, block.context.fiscal_year)
        if label and (not labelled or (chosen is not None and replaces_label(find_budget_label(line.text) or "",
                                                                             find_budget_label(block_label) or "",
                                                                             block.context.fiscal_year))):
            replaced = more[chosen].budget if chosen is not None else None
            replaced_year: int | None = year
            budget, basis, year, prior = label
            if prior is None and replaced is not None and replaced_year is not None and year is not None \
                    and replaced_year == year - 1:
                prior = (replaced, replaced_year)  # 「R7予算額 10,000千円」 over 「R8予算額 12,000千円」: the year before's
            taken = Annotations(name="", budget=budget, flags=read_label_flags(line.text))
            if chosen is None:
                chosen = len(more)
                more.append(taken)
            else:
                more[chosen] = taken  # 「補正額 2,000千円」 under 「当初予算額 15,384千円」
            block_label = line.text
            labelled = True
        elif not label:
            more.append(parse_annotations(line.text))
    return merge_annotations(head, more), basis, year, prior


def build_items(block: ProgramBlock, program_id: str) -> tuple[Item, ...]:
    items = []
    for ordinal, it in enumerate(block.items, start=1):
        rates, rate_text = parse_rates(it.text)
        detail = join_text([d.text for d in it.detail]) if it.detail else None
        span = it.span
        for line in it.detail:  # "(50地区医師会)" on the line under its item belongs to its span
            span = span.merge(line.span)
        items.append(
            Item(
                program_id=program_id,
                ordinal=ordinal,
                kind=it.kind,
                text=strip_item_annotations(it.text),
                text_raw=it.raw,
                flags=parse_flags(it.text),
                subsidy_rates=rates,
                subsidy_rate_text=rate_text,
                detail=to_display_form(detail) if detail else None,
                parent_ordinal=it.parent + 1 if it.parent is not None else None,
                span=span,
            )
        )
    return tuple(items)


# A field's label alone on its line in a sheet or on a slide, or before its value after a colon or white space:
# "■目的", "【事業内容】", "担当:こども家庭課", "事業概要 介護職員の資格取得費用を助成する。" (parse form)
FIELD_LABEL_ALONE: Final = re.compile(
    rf"^[{PROGRAM_MARK}□◆◇●○・]?\s*[【\[]?\s*(?:{join_alternatives(FIELD_LABEL_WORDS)})\s*[】\]]?(?:\s*[:：].*|\s.*)?$")


def join_description(texts: list[str]) -> str:
    """A block's description lines joined as wrapped text, but for a field's label alone on its line
    (「■目的」) or a field's line (「担当：こども家庭課」), which a space parts from the text around it:
    「■目的 家族の世話を…。 ■事業内容 …」."""
    pieces: list[list[str]] = [[]]
    for text in texts:
        if FIELD_LABEL_ALONE.match(text.strip()):
            pieces += [[text], []]
        else:
            pieces[-1].append(text)
    return " ".join(joined for piece in pieces if (joined := join_text(piece)))


def base_name(name: str) -> str:
    """Return a name without its trailing parenthetical: ``区市町村在宅療養推進事業（…）`` → ``区市町村在宅療養推進事業``."""
    return re.sub(r"（[^（）]*）$", "", name).strip()


def parse_programs(doc_id: str, source: str, outline: Outline) -> tuple[tuple[Program, ...], dict[int, Program]]:
    """Turn an outline's blocks into program records; drop detail pages of listed programs.

    Also returns which block each program came from (for ``check_totals``).
    """
    programs: list[Program] = []
    by_block: dict[int, Program] = {}
    seen: dict[str, int] = {}
    listed: set[str] = set()
    for index, block in enumerate(outline.blocks):
        ann, label_basis, label_year, label_prior = read_block_annotations(block)
        if not ann.name:
            continue
        key = compute_name_key(ann.name)
        if block.marker == "heading" and compute_name_key(base_name(ann.name)) in listed:
            continue  # a detail page of a program already listed, not a new program
        listed.add(key)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        program_id = compute_program_id(doc_id, key, occurrence)
        ctx = block.context
        # a label naming its year gives the year of its figure (「R7予算額：1,000千円」 is FY2025's, whatever the document's)
        fiscal_year = label_year if label_year is not None else ctx.fiscal_year
        basis = label_basis or ctx.budget_basis
        description = join_description([line.text for line in block.description]) if block.description else None
        rates, rate_text = ann.rates, ann.rate_text
        if not rates and description:  # 「…の増。国1/2、県1/4。」, 「…<補助率> 補助対象経費の1/2」
            rates, rate_text = parse_description_rates(to_parse_form(description))
        budget = ann.budget or block.budget
        if budget is None and not ann.unread_budgets and block.marker in (PROGRAM_MARK, "heading", "number"):
            budget = read_year_budget(block, fiscal_year)
        pair: tuple[Budget, int | None] | None = None
        if block.prior is None and block.marker != SCANNED_MARKER:
            pair = read_year_pair(block, fiscal_year)
        if pair is None and block.prior is None and label_prior is not None:
            before = fiscal_year - 1 if fiscal_year is not None else None
            if label_prior[1] is None or label_prior[1] == before:  # 「前年度」, or the year before named
                pair = (label_prior[0], before)
        programs.append(
            Program(
                doc_id=doc_id,
                source=source,
                program_id=program_id,
                ordinal=len(programs) + 1,
                name=ann.name,
                name_raw=block.heading_raw,
                name_key=key,
                section=block.section,
                subsection=block.subsection,
                section_line=block.section_line,
                subsection_line=block.subsection_line,
                budget=budget,
                prior=block.prior or (pair[0] if pair else None),
                prior_fiscal_year=block.prior_fiscal_year or (pair[1] if pair else None),
                change=block.change or find_change_beside(block),
                fiscal_year=fiscal_year,
                budget_basis=basis,
                flags=tuple(dict.fromkeys(block.flags + ann.flags)),
                subsidy_rates=rates,
                subsidy_rate_text=rate_text,
                funding_scheme=ann.funding_scheme,
                page_refs=ann.page_refs,
                note_refs=ann.note_refs,
                remarks=ann.remarks,
                description=to_display_form(description) if description else None,
                numbering=block.numbering,
                span=block.span,
                items=build_items(block, program_id),
                section_path=block.section_path,
                qualified_by=find_qualification(block, ann, budget),
            )
        )
        by_block[index] = programs[-1]
    return tuple(programs), by_block


# Two spellings of one program in one document: "訪問看護ステーション事務職員雇用支援事業" in the
# list of programs, "訪問看護ステーション等事務職員雇用支援事業" over its block (ratio 0.98).
SAME_NAME_RATIO: Final = 0.85
# The work the spelling comparisons of one document may cost, in pairs of characters compared (a
# comparison of two names costs about the product of their lengths; r06-2, whose list names twelve
# programs, needs 250,000: four times that, a second of CPU at most).
# Past it names are compared exactly, and the document says so: a document of thousands of lists
# of programs still costs time linear in its size.
MAX_COMPARED_CHARACTERS: Final = 1_000_000


def is_same_program(key: str, others: list[str]) -> bool:
    """Tell whether a name key names the same program as one of ``others`` of its document (equal or nearly so)."""
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)
    for other in others:
        if other == key:
            return True
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() >= SAME_NAME_RATIO and matcher.quick_ratio() >= SAME_NAME_RATIO \
                and matcher.ratio() >= SAME_NAME_RATIO:  # (each an upper bound of the next, cheaper)
            return True
    return False


def add_listed_programs(doc_id: str, outline: Outline, programs: tuple[Program, ...]) -> tuple[tuple[Program, ...], tuple[str, ...]]:
    """Add a program for each name of a list of programs that no program block carries.

    Such a program is printed only as its list line, so it has no budget, rate or
    description (all null) and ``listed_only`` is true. It is placed by source line (after the
    programs of its line and before) and the ordinals are renumbered. Returns the programs and a
    warning per added program.
    """
    if not outline.listed or not programs:
        return programs, ()
    keys = [p.name_key for p in programs] + [compute_name_key(base_name(p.name)) for p in programs]
    known = set(keys)
    key_chars = sum(len(key) for key in keys)
    budget = MAX_COMPARED_CHARACTERS
    added: list[Program] = []
    warnings = []
    for listed in outline.listed:
        key = compute_name_key(listed.name)
        if key in known:
            continue
        cost = len(key) * key_chars
        if cost <= budget:
            budget -= cost
            if is_same_program(key, keys):
                continue
        elif budget >= 0:
            budget = -1
            warnings.append(
                f"more names in lists of programs than can be compared for spelling (line {listed.span.line_start} "
                "on): from there a listed name counts as a program's only when it is spelled the same"
            )
        ctx = outline.context
        added.append(Program(
            doc_id=doc_id, source=programs[0].source, program_id=compute_program_id(doc_id, key, 0),
            ordinal=0, name=listed.name, name_raw=listed.raw, name_key=key, section=None, subsection=None,
            budget=None, fiscal_year=ctx.fiscal_year, budget_basis=ctx.budget_basis, flags=(), subsidy_rates=(),
            subsidy_rate_text=None, funding_scheme=None, page_refs=(), note_refs=(), remarks=(), description=None,
            numbering=listed.numbering, span=listed.span, listed_only=True, qualified_by="program_list",
        ))
        keys.append(key)
        known.add(key)
        key_chars += len(key)
        warnings.append(
            f"program on line {listed.span.line_start} is named only in a list of programs (no heading "
            f"carries the name, so no budget, rate or description is taken): {listed.name}"
        )
    result = merge_by_line(programs, added)
    renumbered = tuple(p if p.ordinal == n else replace(p, ordinal=n) for n, p in enumerate(result, start=1))
    return renumbered, tuple(warnings)


def merge_by_line(programs: tuple[Program, ...], added: list[Program]) -> list[Program]:
    """Put each added program before the first program that starts below its line (the programs
    stay in their order; the added ones, in source order, in theirs)."""
    result: list[Program] = []
    queue = iter(added)
    waiting = next(queue, None)
    for program in programs:
        while waiting is not None and program.span.line_start > waiting.span.line_start:
            result.append(waiting)
            waiting = next(queue, None)
        result.append(program)
    if waiting is not None:
        result.append(waiting)
    result.extend(queue)
    return result


def attach_page_rates(programs: tuple[Program, ...], outline: Outline) -> tuple[Program, ...]:
    """Give a program printed without a rate the rates its own detail page states.

    The page is the ``# name`` page whose name (flags aside) has the program's ``name_key``;
    the rates are those ``parse_page_rates`` takes, and ``rates_span`` records the lines they
    were read from (outside the program's own span).
    """
    if not outline.detail_pages:
        return programs
    pages: dict[str, list] = {}
    for page in outline.detail_pages:
        pages.setdefault(compute_name_key(parse_annotations(page.name).name), []).append(page)
    result = []
    for program in programs:
        found = pages.get(program.name_key) or pages.get(compute_name_key(base_name(program.name))) or []
        if program.subsidy_rates or len(found) != 1 or program.listed_only:
            result.append(program)
            continue
        rates: list = []
        texts: list[str] = []
        span = None
        for line in found[0].lines:
            line_rates, text = parse_page_rates(line.text)
            if line_rates and text is not None:  # rates always come with the text they were read from
                rates.extend(r for r in line_rates if r not in rates)
                texts.append(text)
                span = line.span if span is None else span.merge(line.span)
        if rates:
            program = replace(program, subsidy_rates=tuple(rates), subsidy_rate_text=" ".join(texts), rates_span=span)
        result.append(program)
    return tuple(result)


# The least run of characters a page's heading and a listed name must share to be one program's:
# 「訪問介護員の暑さ対策」 and 「訪問系介護サービス暑さ対策緊急支援事業」 share 「暑さ対策」.
MIN_SHARED_RUN: Final = 4
PAGE_LINES: Final = 60  # lines: how far a page runs from its heading, at most


def find_shared_run(a: str, b: str) -> int:
    """Return the length of the longest run of characters ``a`` and ``b`` share."""
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def attach_listed_pages(programs: tuple[Program, ...], outline: Outline,
                        lines: tuple[Line, ...]) -> tuple[tuple[Program, ...], tuple[str, ...]]:
    """Give a program named only in a list of programs the rates of the page that describes it.

    Packets describe their listed programs page by page in list order, but a page may be
    headed by its subject rather than the program's name: program 12 of a list,
    「訪問系介護サービス暑さ対策緊急支援事業」, is described on the page headed 「訪問介護員の暑さ対策」.
    Such a page is a standalone heading line after the block of the program listed before it
    (and before the next listed program's block), sharing a run of at least ``MIN_SHARED_RUN``
    characters with the listed name and with no other program's; it runs to the next program
    block or ``PAGE_LINES`` lines. Its labelled rates (``【補助率】 3／4``) become the program's,
    with ``rates_span`` the lines they were read from. The search costs at most
    ``MAX_COMPARED_CHARACTERS`` (lines read and characters compared); past it the remaining
    listed programs get no page, and a warning says so.
    """
    listed = {x.span.line_start: x for x in outline.listed}
    if not any(p.listed_only for p in programs):
        return programs, ()
    by_number = {x.numbering: p for p in programs for x in [listed.get(p.span.line_start)] if x is not None}
    search = PageSearch(programs, outline, lines)
    result = []
    warnings: list[str] = []
    for program in programs:
        entry = listed.get(program.span.line_start)
        if not program.listed_only or program.subsidy_rates or entry is None or not entry.numbering.isdigit():
            result.append(program)
            continue
        before = by_number.get(str(int(entry.numbering) - 1))
        after = by_number.get(str(int(entry.numbering) + 1))
        low = max(before.span.line_start if before and not before.listed_only else 0, entry.span.line_end)
        high = after.span.line_start if after and not after.listed_only else None
        page = search.find_page(program, low, high)
        if search.budget < 0 and not warnings:
            warnings.append(f"more to search than a document may cost: from the program on line {program.span.line_start} "
                            "on, a program named only in a list is given no page's rates")
        if page:
            program = take_page_rates(program, page)
        result.append(program)
    return tuple(result), tuple(warnings)


class PageSearch:
    """The pages of listed programs looked for in one document's lines (see ``attach_listed_pages``):
    the standalone headings found so far and what the search may still cost."""

    def __init__(self, programs: tuple[Program, ...], outline: Outline, lines: tuple[Line, ...]) -> None:
        self.programs = programs
        self.lines = lines
        self.line_starts = [line.span.line_start for line in lines]
        self.block_starts = sorted(b.span.line_start for b in outline.blocks)
        self.name_chars = sum(len(p.name) for p in programs)
        # the lines that are headings standing alone (blank lines around them), by their place in ``lines``
        self.headings = [i for i, line in enumerate(lines)
                         if line.blank_before and line.blank_after and is_heading_like(line.text)]
        self.budget = MAX_COMPARED_CHARACTERS

    def find_page(self, program: Program, low: int, high: int | None) -> list[Line] | None:
        """Return the lines of the page that describes a listed program: the first standalone heading
        after line ``low`` (and before ``high``) that shares a run of its name and no longer one of
        another program's."""
        first = bisect.bisect_left(self.headings, bisect.bisect_right(self.line_starts, low))
        for index in self.headings[first:]:
            line = self.lines[index]
            start = line.span.line_start
            if high is not None and start >= high:
                break
            self.budget -= 1
            if self.budget < 0:
                return None
            self.budget -= len(line.text) * self.name_chars
            if self.budget < 0:
                return None
            shared = find_shared_run(line.text, program.name)
            if shared < MIN_SHARED_RUN or any(find_shared_run(line.text, other.name) > shared
                                              for other in self.programs if other is not program):
                continue
            at = bisect.bisect_right(self.block_starts, start)
            end = self.block_starts[at] if at < len(self.block_starts) else None
            return [x for x in self.lines[index:index + PAGE_LINES] if end is None or x.span.line_start < end]
        return None


def take_page_rates(program: Program, page: list[Line]) -> Program:
    """Return the program with the rates a page of its own states (labelled or bracketed ones only)."""
    rates: list = []
    texts: list[str] = []
    span = None
    for line in page:
        line_rates, text = parse_rates(line.text)
        if line_rates and text is not None:
            rates.extend(r for r in line_rates if r not in rates)
            texts.append(text)
            span = line.span if span is None else span.merge(line.span)
    if not rates:
        return program
    return replace(program, subsidy_rates=tuple(rates), subsidy_rate_text=" ".join(texts), rates_span=span)


# A numbered heading over a program's own section of a packet: "1 地域における教育ステーション事業", "(2) …"
SECTION_NUMBER: Final = re.compile(r"^(?:\(?[0-9]{1,2}[).]?)\s+")
# The lines under such a heading that may compare the years: "R7：47,711千円／22か所（R6：50,840千円／18か所）"
SECTION_HEAD_LINES: Final = 3


def attach_section_priors(programs: tuple[Program, ...], lines: tuple[Line, ...]) -> tuple[Program, ...]:
    """Give a program the previous year's amount its own section of the packet prints.

    A packet lists its programs with their budgets, then gives each a section headed by its
    name (「1 地域における教育ステーション事業」) whose first lines compare the years
    (「R7：47,711千円／22か所（R6：50,840千円／18か所）」): those of its first ``SECTION_HEAD_LINES``
    lines that come before the next numbered heading are read.
    """
    keys = {p.name_key: p for p in programs if p.prior is None and p.fiscal_year is not None}
    if not keys:
        return programs
    found: dict[str, tuple[Budget, int, Span]] = {}
    for index, line in enumerate(lines):
        if not (line.blank_before and SECTION_NUMBER.match(line.text)):
            continue
        key = compute_name_key(SECTION_NUMBER.sub("", line.text))
        program = keys.get(key)
        if program is None or key in found:
            continue
        section = []  # its first lines (``SECTION_HEAD_LINES``), which compare the years
        for nxt in lines[index + 1:index + 1 + SECTION_HEAD_LINES]:
            if SECTION_NUMBER.match(nxt.text) and nxt.blank_before:
                break
            section.append(nxt)
        pair = find_year_pair(section, program.fiscal_year)
        if pair:
            found[key] = (pair[0], pair[1], line.span)
    if not found:
        return programs
    return tuple(replace(p, prior=found[p.name_key][0], prior_fiscal_year=found[p.name_key][1])
                 if p.name_key in found and p.prior is None else p for p in programs)


def warn_unread_budgets(outline: Outline, by_block: dict[int, Program]) -> tuple[str, ...]:
    """Say where a program's budget is printed but cannot be read, so that it is left null: a
    bracket printed as a budget on its heading or the lines under it (``【0.0005千円】``, not whole
    yen; ``【1,2345千円】``, figures grouped wrongly) or a budget label too long to read."""
    warnings = []
    for index, program in sorted(by_block.items()):
        if program.budget is not None:
            continue
        block = outline.blocks[index]
        lines = [(block.span.line_start, block.heading)] + [(x.span.line_start, x.text) for x in block.annotation_lines]
        for number, text in lines:
            printed = list(parse_annotations(text).unread_budgets)
            label = BUDGET_LABEL.match(text)
            printed_year = label_year(label) if label else None
            if printed_year and read_label_year(printed_year, block.context.fiscal_year) is None:
                warnings.append(f"line {number} ({program.name[:40]}): {to_display_form(text)} is printed as a budget "
                                f"but its year {printed_year} names no era the document's year tells: budget left null")
            elif label and read_budget_label(text, block.context.fiscal_year) is None:
                printed.append(to_display_form(text))
            warnings += [f"line {number} ({program.name[:40]}): {describe_printed(p)} is printed as a budget but cannot "
                         f"be read ({explain_unread_amount(p)}): budget left null" for p in printed]
    return tuple(warnings)


def check_totals(outline: Outline, by_block: dict[int, Program]) -> tuple[TotalCheck, ...]:
    """Compare each stated total with the sum of the budgets of the programs it covers."""
    checks = []
    for stated, line, text, indices in outline.totals:
        covered = [by_block[i] for i in indices if i in by_block]
        amounts = [p.budget.thousand_yen for p in covered if p.budget and p.budget.thousand_yen is not None]
        checks.append(TotalCheck(stated, sum(amounts), len(amounts), line, to_display_form(text)))
    return tuple(checks)


# A cover line that is a grant's name, perhaps with a qualifier in brackets after it:
# "生産性向上促進補助金", "小規模事業者持続化補助金<一般型 通常枠>" (parse form)
GRANT_NAME: Final = re.compile(rf"^(?P<name>\S+?(?:{join_alternatives(GRANT_ENDS)}))\s*(?:[<(\[【].*)?$")
# The first lines of a document where its cover's title stands.
COVER_LINES: Final = 12
# A title wrapped over two lines: the line above stands this close, in its height, and as tall.
WRAP_GAP, SAME_HEIGHT = 0.5, 0.15


def find_grant_program(doc_id: str, source: str, lines: tuple[Line, ...], outline: Outline) -> Program | None:
    """Return the one program of a document about one grant, or None: a guide or outline whose cover
    names a grant (「ものづくり・商業・サービス / 生産性向上促進補助金」) and which prints its rates (a
    table column headed 補助率, 「中小企業1/2、小規模企業・小規模事業者…2/3」, or a rate label line).
    The program stands where its rates are printed; it has no budget. Looked for only where no
    program was found otherwise."""
    name = find_cover_grant(lines)
    if name is None:
        return None
    rates, where, text = read_rate_column(lines)
    if not rates or where is None:
        return None
    ctx = outline.context
    key = compute_name_key(name)
    return Program(
        doc_id=doc_id, source=source, program_id=compute_program_id(doc_id, key, 0), ordinal=1, name=name,
        name_raw=name, name_key=key, section=None, subsection=None, budget=None, fiscal_year=ctx.fiscal_year,
        budget_basis=ctx.budget_basis, flags=(), subsidy_rates=tuple(rates),
        subsidy_rate_text=text, funding_scheme=None, page_refs=(),
        note_refs=(), remarks=(), description=None, numbering=None, span=where.span, qualified_by="rate",
    )


def find_cover_grant(lines: tuple[Line, ...]) -> str | None:
    """Return the grant the cover names: a line of the first page that is a grant's name, joined
    to the line printed right above it when the title wraps (as tall, no wider gap than half its height)."""
    first = lines[0].span.page if lines else None
    cover = [line for line in lines[:COVER_LINES] if line.span.page == first]
    for line in cover:
        m = GRANT_NAME.match(to_parse_form(line.text).strip())
        if m is None:
            continue
        name = m["name"]
        if line.span.bbox is None:  # a text file: its line is the name
            return to_display_form(name)
        cover = [above for above in cover if above.span.bbox is not None]
        x0, top, x1, bottom = line.span.bbox
        height = bottom - top
        for above in cover:
            a0, atop, a1, abottom = above.span.bbox  # type: ignore[misc]
            if above is line or abs((abottom - atop) - height) > SAME_HEIGHT * height:
                continue
            if 0 <= top - abottom <= WRAP_GAP * height and min(x1, a1) > max(x0, a0) and not above.text.rstrip().endswith("。"):
                name = to_parse_form(above.text).strip() + name
                break
        return to_display_form(name)
    return None


def is_rate_label_row(cells: list[str]) -> bool:
    """Tell whether a row of cells is a rate label and its rates (「補助率」「２／３（…３／４）」): the
    cell after 補助率 holds a fraction."""
    labels = [i for i, c in enumerate(cells) if c.strip() == RATE_HEADER]
    return any(i + 1 < len(cells) and FRACTION.search(to_parse_form(cells[i + 1])) is not None for i in labels)


def read_rate_column(lines: tuple[Line, ...]) -> tuple[list[Rate], Line | None, str | None]:
    """Return the rates of a table's column headed 補助率 (each rate once, in order), or of a rate
    label line, the first line they were read from and the text they were read from there."""
    rates: list[Rate] = []
    where: Line | None = None
    text: str | None = None
    columns: list[int] = []
    width = 0
    for line in lines:
        cells = split_cells(line.text, "tab" if "\t" in line.text else "spaces")
        # a header 「従業員規模 補助上限額 補助率 …」, not a label's row 「補助率 ２／３（…３／４）」
        if RATE_HEADER in [c.strip() for c in cells] and len(cells) > 1 and not is_rate_label_row(cells):
            columns = [i for i, c in enumerate(cells) if c.strip() == RATE_HEADER]
            width = len(cells)
            continue
        found: list[Rate] = []
        printed: list[str] = []
        if columns and len(cells) == width:
            for i in columns:
                shares = read_shares(to_parse_form(cells[i]))[0]
                found += shares
                printed += [cells[i]] if shares else []
        else:
            columns = []
            label = read_rate_line(to_parse_form(line.text.replace("\t", " ")))
            if label is not None:
                found, printed = read_shares(label["body"])[0], [line.text]
        if found and where is None:
            where, text = line, " ".join(dict.fromkeys(to_display_form(p) for p in printed))
        for rate in found:
            if rate not in rates:
                rates.append(rate)
    return rates, where, text
