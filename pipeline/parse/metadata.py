"""Document metadata from the document's own text: government, department, kinds, meeting, 資料番号.

Input: a ``SourceDocument``'s lines and the title the segmenter found. Output: one
``DocumentMetadata`` whose every value comes with the line it was read from, and warnings
for what was printed but could not be decided (a name two governments bear, two departments).

Nothing is guessed. A government is read only where a publisher names itself (a cover line
that is the name alone or a signature ``石垣市長 中山義隆``, a budget's title ``令和７年度石垣市一般会計
補正予算``, a meeting's title, a department line ``東京都福祉局``), and only when the name maps to one
code of the code list (``text.governments``); a name in running text or in a program's name
(``延岡市南部地域子育て支援施設建設事業``) is no evidence. Covers, titles and headers are read in
the head of the document: the title and the first ``HEAD_LINES`` non-blank lines; a budget's
title, specific enough, anywhere.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Final

from ..records import DocumentMetadata, Evidence, SourceLine
from ..text.forms import to_parse_form
from ..text.governments import (
    Government,
    build_name_pattern,
    build_prefecture_pattern,
    find_governments,
    find_name_starts,
    index_names,
)
from ..text.patterns import GuardedPattern
from ..text.vocab import (
    ACCOUNT_WORD,
    AGENDA_WORDS,
    AUTHOR_WORDS,
    BILL_WORD,
    BOOK_TITLES,
    BUDGET_KINDS,
    BUDGET_WORD,
    DEPARTMENT_ENDS,
    ERA_BASE,
    ERA_NAME,
    ERA_NUMBER,
    FIRST_YEAR,
    FUNDED_PROGRAMS,
    HEAD_WORD,
    KANJI_ERA_NUMBER,
    LEDGER_HEADER,
    MATERIAL_WORD,
    MEETING_WORDS,
    NEWSLETTER_WORD,
    REFERENCE_PREFIX,
    SUMMARY_WORD,
    join_alternatives,
)
from .fields import read_era_number

# Non-blank lines at the top of a document read as its cover and headers.
HEAD_LINES: Final = 30
# The longest evidence text kept (a printed line).
EVIDENCE_CHARS: Final = 200
SUPPLEMENTARY_KINDS: Final = ("補正", "専決")

GOV: Final = rf"(?:(?P<pref>{build_prefecture_pattern()}))?(?P<name>{build_name_pattern()})"
# The characters every government's name ends with (市, 町, 村, 区, 都, 道, 府, 県): a line holding none of
# them names no government (``GuardedPattern``).
GOV_ENDS: Final = tuple(sorted({name[-1] for name in index_names()}))
# The first characters of every government's and prefecture's name: a line that opens with a name opens
# with one of them (``GuardedPattern``'s ``starts``)
GOV_STARTS: Final = find_name_starts()
# An era fiscal year and a meeting's number before a name: "令和6年度第2回", "令和7年度"
ERA_PREFIX: Final = rf"(?:(?:{ERA_NAME})(?:{ERA_NUMBER})年度)?(?:第[0-9]+回)?"
# The first characters of a line that opens with an era year, a meeting's number or a name: "令和7年度石垣市…",
# "第2回東京都…", "石垣市…"
PREFIXED_GOV_STARTS: Final = GOV_STARTS | {name[0] for name in ERA_NAME.split("|")} | {"第"}
KINDS: Final = join_alternatives(BUDGET_KINDS)
# The account a budget title names: "一般会計", "介護保険事業特別会計"
ACCOUNT: Final = rf"[^、。]{{0,20}}?{ACCOUNT_WORD}"

# Lines are matched in their parse form with white space taken out ("議案第 16 号" → "議案第16号").
# A cover line that is a government's name alone, or its head's signature: "石垣市", "石垣市長 中山義隆"
COVER_NAME: Final = GuardedPattern(re.compile(rf"^{GOV}(?:{HEAD_WORD}.*)?$"), GOV_ENDS, GOV_STARTS)
# A budget's title naming its government: "令和７年度石垣市一般会計補正予算（第１２号）",
# "令和８年度石垣市介護保険事業特別会計予算", "南国市一般会計当初予算（案）の概要"
BUDGET_TITLE: Final = GuardedPattern(re.compile(rf"^{ERA_PREFIX}{GOV}(?:{ACCOUNT})?(?:{KINDS})?{BUDGET_WORD}"), BUDGET_WORD,
                              PREFIXED_GOV_STARTS)
# A department line under its government's name: "東京都福祉局", "東京都保健医療局医療政策部"
# (a school, "東京都立大学健康福祉学部", is no department)
DEPARTMENT_LINE: Final = GuardedPattern(re.compile(
    rf"^{GOV}(?P<dept>(?!立)[^、。()]{{1,20}}?[{DEPARTMENT_ENDS}])(?:{join_alternatives(AUTHOR_WORDS)})?$"
), GOV_ENDS, GOV_STARTS)
# A department printed as a document's author (matched with its spaces): "令和８年５月27日 財政課作成"
AUTHOR_LINE: Final = GuardedPattern(re.compile(
    rf"(?:^|\s)(?P<dept>[^\s、。()]{{1,20}}?[{DEPARTMENT_ENDS}])(?:{join_alternatives(AUTHOR_WORDS)})$"), AUTHOR_WORDS)
# A department's name alone on its line, beside the date in a memo's head: "福祉部福祉総務課", "健康福祉部"
DATED_DEPARTMENT: Final = re.compile(rf"^(?P<dept>[^\s、。()0-9:：]{{1,20}}?[{DEPARTMENT_ENDS}])$")
# A meeting's title, with its agenda word: "令和6年度第2回 東京都在宅介護・医療協働推進部会 次第"
MEETING_LINE: Final = GuardedPattern(re.compile(
    rf"^(?P<meeting>(?=(?:{ERA_NAME})|第[0-9]+回|{GOV}){ERA_PREFIX}[^、。]{{1,40}}?(?:{join_alternatives(MEETING_WORDS)}))"
    rf"(?P<agenda>{join_alternatives(AGENDA_WORDS)})?$"
), MEETING_WORDS, PREFIXED_GOV_STARTS)
# A government right after a meeting title's era and number: "令和6年度第2回 東京都在宅介護…"
MEETING_GOV: Final = GuardedPattern(re.compile(rf"^{ERA_PREFIX}{GOV}"), GOV_ENDS, PREFIXED_GOV_STARTS)
# An agenda word alone: "日程" (a committee's order of business)
AGENDA_LINE: Final = re.compile(rf"^(?:{join_alternatives(AGENDA_WORDS)})$")
# A bill's material: "議案第18号関係資料"
BILL_MATERIAL: Final = re.compile(rf"^{BILL_WORD}第[0-9]+号関係{MATERIAL_WORD}$")
# A date: "令和7年2月5日（水曜日）", "2025年2月5日"
ERA_DATE: Final = re.compile(rf"^(?P<era>{ERA_NAME})(?P<y>[0-9]+|{FIRST_YEAR})年(?P<m>[0-9]{{1,2}})月(?P<d>[0-9]{{1,2}})日")
WESTERN_DATE: Final = re.compile(r"^(?P<y>(?:19|20)[0-9]{2})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日")
# Lines after a meeting's title searched for its date.
DATE_WINDOW: Final = 4
# A material's number, alone on its line: "資料3", "参考資料1", "資料５-２"
MATERIAL_LINE: Final = re.compile(rf"^(?P<no>(?:{REFERENCE_PREFIX})?{MATERIAL_WORD}[0-9]+(?:-[0-9]+)?)$")
# A bill's number alone: "議案第５号", "議案第 16 号"
BILL_LINE: Final = re.compile(rf"^{BILL_WORD}第[0-9]+号$")
# The kind of budget a title names, with a supplement's number: "令和７年度石垣市一般会計補正予算（第１２号）",
# "令和３年度一般会計補正予算（第十二号）",
# "令和８年度 当初予算編成の概要", "６月補正予算の概要", "令和 2 年度当初予算が、3 月 10 日から 12"
BUDGET_KIND: Final = GuardedPattern(re.compile(
    rf"^{ERA_PREFIX}(?:{GOV})?(?:[0-9]{{1,2}}月)?(?:{ACCOUNT})?(?P<kind>{KINDS}){BUDGET_WORD}"
    rf"(?:\(案\))?(?:\(第(?P<n>[0-9]+|{KANJI_ERA_NUMBER})号\))?"
), BUDGET_WORD)
# A summary's title: "６月補正予算の概要", "令和８年度 当初予算編成の概要", "南国市一般会計当初予算（案）の概要",
# "令和2年度小平市国民健康保険事業特別会計補正予算（第1号）概要"; or its table of programs:
# "令和７年度 ３月補正予算に計上した主な事業"
SUMMARY_LINE: Final = GuardedPattern(re.compile(
    rf"{BUDGET_WORD}(?:\(案\))?(?:\(第[0-9]+号\))?(?:編成)?の?{SUMMARY_WORD}$|{BUDGET_WORD}{FUNDED_PROGRAMS}"
), BUDGET_WORD)
# A budget book's title or ledger header: "歳出予算書＿事項別明細書00002", "節区分金額 説明",
# an account heading in brackets: "(款) 03 民生費"
BOOK_LINE: Final = GuardedPattern(re.compile(rf"{join_alternatives(BOOK_TITLES)}|節.*{LEDGER_HEADER}$|^\((?:款|項)\)"),
                           (*sorted({title[-1] for title in BOOK_TITLES}), LEDGER_HEADER, "(款)", "(項)"))
# A newsletter's name, alone on its line (with its issue): "広報おといねっぷ", "広報おといねっぷ 第558号"
# (not running text: "広報活動につきましては、外部人材の活用や…")
NEWSLETTER_LINE: Final = re.compile(rf"^{NEWSLETTER_WORD}[^、。]{{1,15}}?(?:第[0-9]+号)?$")


@dataclass(frozen=True)
class Candidate:
    """A line's reading of one field."""

    value: str
    line: SourceLine
    governments: tuple[Government, ...] = ()


@dataclass(frozen=True)
class BudgetCandidate:
    """A line's reading of the budget kind: (``補正``, 12) of ``…補正予算（第１２号）``."""

    value: tuple[str, int | None]
    line: SourceLine


@functools.lru_cache(maxsize=4096)
def compact(text: str) -> str:
    """The parse form without white space: ``令和 2 年度`` → ``令和2年度`` (each line is asked for by
    several readings: kept for the lines of the last few documents)."""
    return "".join(to_parse_form(text).split())  # (``str.split`` parts at what ``\s`` matches)


def select_head(lines: tuple[SourceLine, ...], title_line: int | None) -> list[SourceLine]:
    """Return the title's line and the first ``HEAD_LINES`` lines (``lines``: the non-blank ones)."""
    head = list(lines[:HEAD_LINES])
    if title_line is None:
        return head
    titled = [line for line in lines if line.number == title_line]
    return titled + [line for line in head if line.number != title_line]


def make_evidence(field: str, line: SourceLine) -> Evidence:
    return Evidence(field, "text", line.number, line.text.strip()[:EVIDENCE_CHARS])


def read_government(match: re.Match) -> tuple[Government, ...]:
    return find_governments(match["name"], match["pref"])


def find_government_lines(head: list[SourceLine], texts: list[tuple[SourceLine, str]]) -> list[Candidate]:
    """Every line that names its publishing government, with the governments the name may stand for
    (``texts``: each non-blank line with its ``compact`` form)."""
    found: list[Candidate] = []
    for line in head:
        text = compact(line.text)
        for pattern in (COVER_NAME, DEPARTMENT_LINE, MEETING_GOV):
            match = pattern.match(text)
            if match and (pattern is not MEETING_GOV or MEETING_LINE.match(text)):
                found.append(Candidate(match["name"], line, read_government(match)))
                break
    seen = {c.line.number for c in found}
    for line, text in texts:
        match = BUDGET_TITLE.match(text)
        if match and line.number not in seen:
            found.append(Candidate(match["name"], line, read_government(match)))
    return found


def decide_government(found: list[Candidate]) -> tuple[Candidate | None, Government | None, list[str]]:
    """Return the line and government the candidates agree on, or None with a warning."""
    if not found:
        return None, None, []
    unique: dict[str, Candidate] = {}
    for c in sorted(found, key=lambda c: c.line.number):
        if len(c.governments) == 1:
            unique.setdefault(c.governments[0].code, c)
    if len(unique) == 1:
        [(code, first)] = unique.items()
        if all(any(g.code == code for g in c.governments) for c in found if c.governments):
            return first, first.governments[0], []
    if len(unique) > 1:
        named = ", ".join(f"{c.governments[0].full_name} (line {c.line.number})" for c in unique.values())
        return None, None, [f"government: the text names more than one publisher ({named}): left null"]
    ambiguous = [c for c in found if len(c.governments) > 1]
    if ambiguous:
        c = ambiguous[0]
        bearers = ", ".join(f"{g.full_name} {g.code}" for g in c.governments)
        return None, None, [f"government: {c.value} on line {c.line.number} is the name of more than one government "
                            f"({bearers}) and no prefecture is printed with it: left null"]
    c = found[0]
    return None, None, [f"government: {c.value} on line {c.line.number} maps to no code of the list on its own "
                        "(a designated city's ward shares the name; print the prefecture with it): left null"]


def find_departments(head: list[SourceLine]) -> list[Candidate]:
    """Department lines of the head: ``東京都福祉局`` (under the government), ``財政課作成`` (as author), or a
    department's name alone beside the date, as a memo's head sets its author (``福祉部福祉総務課`` under
    ``令和７年２月１４日``)."""
    found = []
    printed = [line for line in head if line.text.strip()]
    for i, line in enumerate(printed):
        match = DEPARTMENT_LINE.match(compact(line.text)) or AUTHOR_LINE.search(to_parse_form(line.text).strip())
        if match is None and (dated := DATED_DEPARTMENT.match(compact(line.text))) is not None \
                and any(read_date(compact(other.text)) for other in printed[max(0, i - 1):i + 2] if other is not line):
            match = dated
        if match:
            found.append(Candidate(match["dept"], line))
    return found


def read_date(text: str) -> str | None:
    """Return the ISO date a line opens with (``令和7年2月5日`` → ``2025-02-05``), or None."""
    match = ERA_DATE.match(text)
    if match:
        n = 1 if match["y"] == FIRST_YEAR else int(match["y"])
        year = ERA_BASE[match["era"]] + n
    else:
        match = WESTERN_DATE.match(text)
        if not match:
            return None
        year = int(match["y"])
    try:
        return datetime.date(year, int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return None


def find_meeting(head: list[SourceLine], lines: tuple[SourceLine, ...]) -> tuple[Candidate | None, Candidate | None]:
    """Return the meeting's title line and its date line (the first date within ``DATE_WINDOW`` lines after it)."""
    for line in head:
        match = MEETING_LINE.match(compact(line.text))
        if not match:
            continue
        meeting = Candidate(match["meeting"], line)
        after = itertools.islice((other for other in lines if other.number > line.number and other.text.strip()),
                                 DATE_WINDOW)
        for other in after:
            date = read_date(compact(other.text))
            if date:
                return meeting, Candidate(date, other)
        return meeting, None
    return None, None


def find_budget_kind(head: list[SourceLine]) -> BudgetCandidate | None:
    """Return the budget kind the title or the first head line that names one says (with a supplement's number)."""
    for line in head:
        match = BUDGET_KIND.match(compact(line.text))
        if match:
            return BudgetCandidate((match["kind"], read_era_number(match["n"]) if match["n"] else None), line)
    return None


def find_document_kind(head: list[SourceLine], texts: list[tuple[SourceLine, str]], budget_kind: str | None,
                       has_ledger: bool = False) -> Candidate | None:
    """Return the kind of document its words say, first of: meeting packet (an agenda, a bill's material),
    budget bill (a bill's number over a budget's title, unless the document goes on to a budget book's
    ledger, ``has_ledger``: a bill bound with its 説明書 is read as the book), budget book, budget
    summary, newsletter (``texts``: each non-blank line with its ``compact`` form)."""
    head_texts = [(line, compact(line.text)) for line in head]
    for line, text in head_texts:
        match = MEETING_LINE.match(text)
        if (match and match["agenda"]) or AGENDA_LINE.match(text):
            return Candidate("meeting_packet", line)
    for line, text in texts:
        if BILL_MATERIAL.match(text):
            return Candidate("meeting_packet", line)
    bill = next((line for line, text in head_texts if BILL_LINE.match(text)), None)
    if bill is not None and not has_ledger and any(BUDGET_TITLE.match(text) or BUDGET_KIND.match(text)
                                                   for _, text in head_texts):
        return Candidate("budget_bill", bill)
    for line, text in texts:
        if BOOK_LINE.search(text):
            return Candidate("budget_book", line)
    for line, text in texts:
        if SUMMARY_LINE.search(text):
            kind = "supplementary_summary" if budget_kind in SUPPLEMENTARY_KINDS else "budget_summary"
            return Candidate(kind, line)
    for line, text in head_texts:
        if NEWSLETTER_LINE.match(text):
            return Candidate("newsletter", line)
    return None


def find_material_number(head: list[SourceLine]) -> Candidate | None:
    for line in head:
        match = MATERIAL_LINE.match(compact(line.text))
        if match:
            return Candidate(match["no"], line)
    return None


def read_metadata(lines: tuple[SourceLine, ...], title_line: int | None,
                  has_ledger: bool = False) -> tuple[DocumentMetadata, tuple[str, ...]]:
    """Return what the document's text says of its publisher, budget and meeting, and warnings
    (``has_ledger``: the document holds a budget book's 事業 rows, read from its text or by OCR)."""
    lines = tuple(line for line in lines if line.text.strip())  # every reading below passes over blank lines
    texts = [(line, compact(line.text)) for line in lines]
    head = select_head(lines, title_line)
    warnings: list[str] = []
    evidence: list[Evidence] = []
    gov_line, government, gov_warnings = decide_government(find_government_lines(head, texts))
    warnings += gov_warnings
    if gov_line is not None:
        evidence.append(make_evidence("government", gov_line.line))
    department = None
    departments = find_departments(head)
    names = sorted({str(c.value) for c in departments})
    if len(names) == 1:
        department = names[0]
        evidence.append(make_evidence("department", departments[0].line))
    elif names:
        where = ", ".join(f"{c.value} (line {c.line.number})" for c in departments)
        warnings.append(f"department: the text names more than one ({where}): left null")
    budget = find_budget_kind(head)
    budget_kind, budget_number = budget.value if budget else (None, None)
    if budget:
        evidence.append(make_evidence("budget_kind", budget.line))
    kind = find_document_kind(head, texts, budget_kind, has_ledger)
    if kind:
        evidence.append(make_evidence("document_kind", kind.line))
    meeting, date = find_meeting(head, lines)
    if meeting:
        evidence.append(make_evidence("meeting_name", meeting.line))
    if date:
        evidence.append(make_evidence("meeting_date", date.line))
    material = find_material_number(head)
    if material:
        evidence.append(make_evidence("material_number", material.line))
    metadata = DocumentMetadata(
        government_code=government.code if government else None,
        government_name=government.full_name if government else None,
        department=department,
        document_kind=str(kind.value) if kind else None,
        budget_kind=budget_kind,
        budget_number=budget_number,
        meeting_name=str(meeting.value) if meeting else None,
        meeting_date=str(date.value) if date else None,
        material_number=str(material.value) if material else None,
        evidence=tuple(evidence),
    )
    return metadata, tuple(warnings)
