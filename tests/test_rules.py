"""Rule cases per parser, from the fixture files in ``tests/fixtures/``."""

from __future__ import annotations

import pytest
from fixture_cases import params

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.parse.fields import (
    find_era_years,
    parse_annotations,
    parse_budget,
    parse_era_year,
    parse_flags,
    parse_page_rates,
    parse_rates,
)
from pipeline.parse.lines import build_lines, find_margin, find_spacing_blanks
from pipeline.parse.table_rows import NON_PROGRAM_TITLE, read_title_flag
from pipeline.read.files import split_lines
from pipeline.records import SourceDocument, SourceLine
from pipeline.text.forms import to_parse_form
from pipeline.text.japanese import is_heading_like


@pytest.mark.parametrize("text,expected", params("budget.txt"))
def test_budget(text, expected):
    budget = parse_budget(to_parse_form(text))
    if expected is None:
        assert budget is None
    else:
        assert budget is not None
        got = {
            "unit": budget.unit,
            "qualifier": budget.qualifier,
            "thousand_yen": budget.thousand_yen,
            "yen": budget.yen,
        }
        assert got == expected


@pytest.mark.parametrize("text,expected", params("rates.txt"))
def test_rates(text, expected):
    rates, _ = parse_rates(to_parse_form(text))
    assert [[r.numerator, r.denominator, r.condition] for r in rates] == expected


@pytest.mark.parametrize("text,expected", params("flags.txt"))
def test_flags(text, expected):
    assert list(parse_flags(to_parse_form(text))) == expected


@pytest.mark.parametrize("text,expected", params("era_year.txt"))
def test_era_year(text, expected):
    assert parse_era_year(to_parse_form(text)) == expected


@pytest.mark.parametrize("text,expected", params("era_years.txt"))
def test_era_years(text, expected):
    assert [list(pair) for pair in find_era_years(to_parse_form(text))] == expected


@pytest.mark.parametrize("text,expected", params("page_rates.txt"))
def test_page_rates(text, expected):
    rates, _ = parse_page_rates(to_parse_form(text))
    assert [[r.numerator, r.denominator, r.condition] for r in rates] == expected


@pytest.mark.parametrize("text,expected", params("wrap.txt"))
def test_wrap_repair(text, expected):
    doc = SourceDocument("case.txt", "text", "0", len(text), "utf-8", split_lines(text))
    assert [line.text for line in build_lines(doc)] == expected


@pytest.mark.parametrize("text,expected", params("annotations.txt"))
def test_annotations(text, expected):
    ann = parse_annotations(to_parse_form(text))
    got = {
        "name": ann.name,
        "funding_scheme": ann.funding_scheme,
        "flags": list(ann.flags),
        "budget": ann.budget.amount if ann.budget else None,
        "page_refs": list(ann.page_refs),
        "note_refs": list(ann.note_refs),
        "remarks": list(ann.remarks),
    }
    assert got == expected


@pytest.mark.parametrize("text,expected", params("table_titles.txt"))
def test_table_titles(text, expected):
    title = to_parse_form(text)
    got = {"no_programs": bool(NON_PROGRAM_TITLE.search(title)), "flag": read_title_flag(title)}
    assert got == expected


@pytest.mark.parametrize("text,expected", params("heading_like.txt"))
def test_heading_like(text, expected):
    assert is_heading_like(to_parse_form(text)) is expected


def test_wrap_keeps_line_numbers():
    text = "在宅医療に関する理解の促進を図\n\nるためのセミナー等を開催し\n\n■次の事業"
    doc = SourceDocument("case.txt", "text", "0", len(text), "utf-8", split_lines(text))
    lines = build_lines(doc)
    assert (lines[0].span.line_start, lines[0].span.line_end) == (1, 3)
    assert lines[0].raw == "在宅医療に関する理解の促進を図\nるためのセミナー等を開催し"
    assert lines[1].span.line_start == 5


def test_split_lines_handles_crlf_and_cr():
    assert [l.text for l in split_lines("a\r\nb\rc\nd")] == ["a", "b", "c", "d"]


def make_pdf_doc(*rows: tuple[str, tuple[float, float, float, float]]) -> SourceDocument:
    """A one-page PDF document of lines with boxes (x0, top, x1, bottom), in the order given."""
    lines = tuple(SourceLine(i + 1, text, 1, bbox) for i, (text, bbox) in enumerate(rows))
    return SourceDocument("case.pdf", "pdf", "0", 0, None, lines)


def test_a_row_set_down_in_pieces_is_one_line_again():
    # 「2−7−1 │ 傷病手当金の増 / ・傷病手当金新設に伴う増 │ 500万円」: the code, the name and, after
    # the description under the name, the amount, each a line of its own
    doc = make_pdf_doc(
        ("2−7−1", (118.4, 444.0, 165.1, 451.2)),
        ("傷病手当金の増", (190.4, 443.1, 263.0, 452.8)),
        ("・傷病手当金新設に伴う増", (194.0, 460.6, 316.1, 470.1)),
        ("500万円", (455.4, 444.1, 493.4, 452.6)),
    )
    lines = build_lines(doc)
    assert [line.text for line in lines] == ["2−7−1 傷病手当金の増 500万円", "・傷病手当金新設に伴う増"]
    assert (lines[0].span.line_start, lines[0].span.line_end) == (1, 4)
    assert lines[0].span.bbox == (118.4, 443.1, 493.4, 452.8)


def test_an_amount_on_another_row_or_after_a_figure_stays_apart():
    doc = make_pdf_doc(
        ("介護予防推進事業", (100.0, 100.0, 200.0, 110.0)),
        ("12,345千円", (300.0, 130.0, 350.0, 140.0)),  # the row below: ``open_name_over_amount``'s
        ("補正額 5,000千円", (100.0, 200.0, 180.0, 210.0)),
        ("5,000千円", (300.0, 200.0, 350.0, 210.0)),  # beside a line ending in an amount of its own
    )
    assert [line.text for line in build_lines(doc)] == ["介護予防推進事業", "12,345千円", "補正額 5,000千円", "5,000千円"]


def test_two_amounts_on_a_row_go_back_together_and_neither_is_a_budget():
    # 「介護予防推進事業 │ 10,000千円 │ 12,345千円」 with no header to tell this year's figure
    doc = make_pdf_doc(
        ("介護予防推進事業", (100.0, 100.0, 200.0, 110.0)),
        ("10,000千円", (300.0, 100.0, 350.0, 110.0)),
        ("12,345千円", (400.0, 100.0, 450.0, 110.0)),
    )
    lines = build_lines(doc)
    assert [line.text for line in lines] == ["介護予防推進事業 10,000千円 12,345千円"]
    rows = make_rows(extract_document(doc))
    assert rows["programs"] == []  # a budget is far worse wrong than missing


def test_two_amounts_on_the_row_under_a_name_are_not_its_budget():
    doc = make_pdf_doc(
        ("介護予防推進事業", (100.0, 100.0, 200.0, 110.0)),
        ("10,000千円", (300.0, 120.0, 350.0, 130.0)),
        ("12,345千円", (400.0, 120.0, 450.0, 130.0)),
    )
    assert [line.text for line in build_lines(doc)] == ["介護予防推進事業", "10,000千円 12,345千円"]
    assert make_rows(extract_document(doc))["programs"] == []


@pytest.mark.parametrize(("printed", "margin"), [
    (["　　令和８年度 主要事業", "", "　　○ 児童館運営事業", "　　　・放課後の居場所"], "　　"),
    (["    令和８年度 主要事業", "      ○ 児童館運営事業"], "    "),
    (["令和８年度 主要事業", "　○ 児童館運営事業"], ""),  # an indent of one line against another
    (["\t合計\t500", "\t小計\t300"], ""),  # tabs part cells: never margin
    (["    令和８年度 主要事業", "－ 1 －", "    ○ 児童館運営事業"], "    "),  # a page number stands where it is set
    ([" 　令和８年度", "　 ○ 児童館運営事業"], ""),  # margins of other spaces share nothing
])
def test_the_margin_of_a_text_is_the_spaces_every_printed_line_opens_with(printed, margin):
    lines = tuple(SourceLine(n, text) for n, text in enumerate(printed, 1))
    assert find_margin(lines) == margin
    doc = SourceDocument("margin.txt", "txt", "0", 0, "utf-8", lines)
    raws = [line.raw for line in build_lines(doc)]
    assert raws[0] == printed[0][len(margin):]


@pytest.mark.parametrize(("printed", "spacing"), [
    # double-spaced: a blank line after every printed line, two between paragraphs
    ("■ 在宅療養研修事業\n\n予算額 17,609千円\n\n\n■ 入退院時連携強化事業\n\n予算額 3,000千円\n", {2, 4, 7}),
    ("\n■ 在宅療養研修事業\n\n予算額 17,609千円\n\n\n\n■ 入退院時連携強化事業\n\n予算額 3,000千円\n", {3, 5, 9}),
    # two printed lines one under the other: set as printed
    ("■ 在宅療養研修事業\n予算額 17,609千円\n\n\n■ 入退院時連携強化事業\n\n予算額 3,000千円\n\n", set()),
    # a blank line between every line, and no more: no paragraph breaks
    ("■ 在宅療養研修事業\n\n予算額 17,609千円\n\n■ 入退院時連携強化事業\n\n予算額 3,000千円\n", {2, 4, 6}),
    ("■ 在宅療養研修事業\n\n\n予算額 17,609千円\n", set()),  # too few lines to tell
])
def test_a_text_set_double_spaced_is_read_as_set_single(printed, spacing):
    lines = split_lines(printed)
    blank = [not line.text.strip() for line in lines]
    assert {lines[at].number for at in find_spacing_blanks(blank)} == spacing
    doc = SourceDocument("spaced.txt", "txt", "0", 0, "utf-8", lines)
    read = build_lines(doc)
    if spacing:  # each line keeps its own number; a paragraph break stays one
        assert [line.span.line_start for line in read] == [line.number for line in lines if line.text.strip()]
        assert [line.blank_before for line in read] == [True, False, "\n\n\n" in printed, False]
        assert [line.text for line in read] == ["■ 在宅療養研修事業", "予算額 17,609千円", "■ 入退院時連携強化事業",
                                                "予算額 3,000千円"]
    else:  # a line's blank before is the text's
        assert [line.blank_before for line in read] == [line.span.line_start == 1 or blank[line.span.line_start - 2]
                                                         for line in read]


def test_a_page_number_between_dashes_is_no_line_of_a_text():
    doc = SourceDocument("foot.txt", "txt", "0", 0, "utf-8", split_lines("○ 児童館運営事業\n\n－ 1 －\n\n― 12 ―\n-3-\n"))
    assert [line.text for line in build_lines(doc)] == ["○ 児童館運営事業"]


def test_a_spaced_table_s_cells_are_placed_only_where_whole_rows_stand_under_their_headers():
    """A row of a table parted by runs of spaces with a cell left empty is read by where its cells stand only when
    the table's whole rows stand under their headers: cells parted by three spaces whatever their width, the row
    with no budget gives no program, never the change for its budget."""
    text = ("令和８年度 当初予算の概要\n\n（単位：千円）\n\n"
            "NO   事業名称   令和７年度予算額   令和８年度予算額   比較   説明\n"
            "1   地域包括支援センター運営事業   45,000   48,000   3,000   センターを1か所増設\n"
            "3   介護予防普及啓発事業   5,000      △5,000   他の事業に統合\n")
    doc = SourceDocument("spaced.txt", "txt", "0", 0, "utf-8", split_lines(text))
    rows = make_rows(extract_document(doc))["programs"]
    assert [(r["name"], r["budget_yen"]) for r in rows] == [("地域包括支援センター運営事業", 48000000)]
