"""Budget-book ledger cases (``pipeline.parse.ledger``), from ``tests/fixtures/ledger.txt``.

A case's input is a page of a budget book as the PDF reader gives it (``pipeline.read.pdf``):
a line as it is stands outside the ledger (account headings 「3款 民生費」, the 目 rows of the
account table, 「（単位：千円）」); a line written ``説明[N] …`` is a row of the 説明 column whose
right edge stands N points in from the column's right edge (0: the 細目 totals at the column's
edge; 40: the 事業 amounts further in). Rows are a line (20 points) apart; ``説明[N]↓ …`` sets a
row right under the one before (a wrapped name or amount), ``説明[N]↓G …`` G points under it.
``--- 改ページ ---`` starts the next page. Cells are joined by a tab, as the reader joins them.

The expected JSON compares only what it lists: ``programs`` (each program's listed keys, and
``items`` as [kind, text]), ``total_checks`` ([stated, sum of the programs, programs summed]) and
``warnings`` of the document, and ``left``: the lines the ledger pass leaves to the segmenter.
"""

from __future__ import annotations

import re

import pytest
from fixture_cases import read_cases

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.parse.ledger import Ledger, merge_ledger, read_ledger
from pipeline.parse.lines import build_lines
from pipeline.records import Column, Context, Outline, ProgramBlock, SourceDocument, SourceLine, Span

COLUMN = Column("説明", 300.0, 500.0)
ROW = re.compile(r"^説明\[(?P<offset>[0-9.]+)\](?:↓(?P<gap>[0-9.]+)?)?(?: (?P<text>.*))?$")
PAGE_BREAK = "--- 改ページ ---"
LINE_HEIGHT, SIZE = 20.0, 10.0
# Cases the ledger pass still reads wrongly (their expected JSON says what a reader finds), by title.
KNOWN_BUGS: dict[str, str] = {}


def budget_book(text: str) -> SourceDocument:
    """Lay out a case's lines on the page (see the module docstring)."""
    lines: list[SourceLine] = []
    page, top = 1, 0.0
    for raw in text.split("\n"):
        if raw == PAGE_BREAK:
            page, top = page + 1, 0.0
            continue
        row = ROW.match(raw)
        if row and "↓" in raw:
            top -= LINE_HEIGHT - SIZE - float(row["gap"] or 0)
        top += LINE_HEIGHT
        if row:
            bbox = (COLUMN.x0 + 10, top, COLUMN.x1 - float(row["offset"]), top + SIZE)
            lines.append(SourceLine(len(lines) + 1, row["text"] or "", page, bbox, COLUMN))
        else:
            lines.append(SourceLine(len(lines) + 1, raw, page, (40.0, top, 280.0, top + SIZE)))
    return SourceDocument("case.pdf", "pdf", "0", len(text), None, tuple(lines))


def read_book(doc: SourceDocument) -> dict:
    rows = make_rows(extract_document(doc))
    document = rows["documents"][0]
    programs = []
    for program in rows["programs"]:
        items = [[i["kind"], i["text"]] for i in rows["program_items"] if i["program_id"] == program["program_id"]]
        programs.append(program | {"items": items})
    checks = [[c["stated_thousand_yen"], c["computed_thousand_yen"], c["n_programs"]] for c in document["total_checks"]]
    lines = build_lines(doc)
    taken = read_ledger(lines, Context()).taken
    left = [line.text for line in lines if line.span.line_start not in taken]
    return {"programs": programs, "total_checks": checks, "warnings": document["warnings"], "left": left,
            "status": document["status"]}


def compare(got: dict, expected: dict) -> dict:
    """``got`` cut down to the keys ``expected`` lists."""
    out = {key: got[key] for key in expected}
    if "programs" in expected:
        out["programs"] = [{k: p.get(k) for k in want} for p, want in zip(got["programs"], expected["programs"])]
        out["programs"] += got["programs"][len(expected["programs"]):]  # a program too many shows in full
    return out


def cases() -> list:
    out = []
    for title, text, expected in read_cases("ledger.txt"):
        bug = KNOWN_BUGS.get(title)
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        out.append(pytest.param(text, expected, id=title, marks=marks))
    return out


def test_every_known_bug_names_a_case():
    assert set(KNOWN_BUGS) <= {title for title, _, _ in read_cases("ledger.txt")}


@pytest.mark.parametrize("text,expected", cases())
def test_ledger(text, expected):
    got = read_book(budget_book(text))
    assert got["status"] == "ok"
    assert compare(got, expected) == expected


def test_ledger_rows_without_a_position_are_programs_and_never_wrapped():
    """Rows the reader could not place (no box on the page): no amount column is known, so every
    coded row is a 事業, and a line under one is an item of it, never the rest of its name."""
    rows = ["001 社会福祉管理費\t6,327", "多機関協働事業", "002 福祉啓発事業費\t4,023", "福祉展開催"]
    head = [SourceLine(1, "（単位：千円）", 1, (40.0, 20.0, 280.0, 30.0))]
    lines = head + [SourceLine(n, text, 1, None, COLUMN) for n, text in enumerate(rows, start=2)]
    got = read_book(SourceDocument("case.pdf", "pdf", "0", 0, None, tuple(lines)))
    assert got["status"] == "ok"
    assert [(p["name"], p["budget_yen"], p["items"]) for p in got["programs"]] == [
        ("社会福祉管理費", 6327000, [["component", "多機関協働事業"]]),
        ("福祉啓発事業費", 4023000, [["component", "福祉展開催"]]),
    ]


def block(name: str, line: int, marker: str) -> ProgramBlock:
    return ProgramBlock(heading=name, heading_raw=name, span=Span(line, line), annotation_lines=(), description=(),
                        items=(), section=None, subsection=None, context=Context(), marker=marker)


def test_ledger_blocks_merge_into_the_outline_in_source_order():
    """A document with both: the ledger's 事業 go between the segmenter's programs by line, take the
    document's context, and every stated total still points at the programs it covers."""
    context = Context(2025, None, "title", 1)
    outline = Outline(None, None, context, "coherent",
                      (block("在宅療養研修事業", 1, "■"), block("地域福祉計画の策定", 10, "■"), block("福祉避難所の拡充", 10, "■")),
                      totals=((15000, 12, "総額 15,000千円", (0, 1, 2)),), warnings=("outline",))
    ledger = Ledger((block("社会福祉管理事業費", 5, "ledger"),), totals=((6327, 4, "001 社会福祉管理費 6,327", (0,)),),
                    taken=frozenset({4, 5}), warnings=("ledger",))
    merged = merge_ledger(outline, ledger)
    assert [b.heading for b in merged.blocks] == ["在宅療養研修事業", "社会福祉管理事業費", "地域福祉計画の策定", "福祉避難所の拡充"]
    assert merged.blocks[1].context == context
    assert merged.totals == ((15000, 12, "総額 15,000千円", (0, 2, 3)), (6327, 4, "001 社会福祉管理費 6,327", (1,)))
    assert merged.warnings == ("outline", "ledger")
    assert merge_ledger(outline, Ledger()) is outline
