"""The forms fixtures (``tests/fixtures/forms``) drawn as PDFs (``make_pdf_fixtures.draw_text_form``: each line where
it stands, the rows of cells parted by tabs set in columns): each gives the programs of its ``.jsonl`` twin, their
names and budgets, as its text does. The PDF reader has no white space at a line's start to read, only where the
line's text stands, and no tab between cells, only their places: a form it reads otherwise is listed in
``KNOWN_APART`` with why, and expected to differ until that is fixed."""

from __future__ import annotations

import json

import pytest
from fixture_cases import FORMS, list_forms
from make_pdf_fixtures import draw_text_form, draw_text_form_in_two_columns, draw_text_form_set_right, register_font

from pipeline.parse.document import extract_document
from pipeline.read.files import read_document

# Why a drawing of a form is read apart from its text, as the lists below say of each form
SPACES_APART = "drawn with runs of spaces, its columns do not line up in the font"
BOX_RULES = "its rules are box-drawing characters, which a PDF draws as lines (a table with rules)"
FAR_RIGHT_AMOUNTS = ("amounts set far right on the lines under their names, with figures in brackets after them, read as a "
                     "column of their own after the names of two programs")

KNOWN_APART: dict[str, str] = {
    "csv_records_pasted_in_text": "CSV records drawn on a page: a PDF's commas part no cells (only a text's are read so)",
    "table_spaced_names_wrapped_in_brackets": SPACES_APART,
    "table_rows_numbered_by_circles": "its header heads no column of names, which the PDF's table reader needs: each "
                                      "name and its figures read as lines of their own",
    "supplement_department_total_and_star_legend": SPACES_APART,
    "grant_guide_rate_column": "a table of rates without rules and without a name header is read as lines",
    "grant_guide_rate_label_cell": "a table of rates without rules and without a name header is read as lines",
    "title_with_its_unit_over_a_spaced_table": SPACES_APART,
    "table_spaced_name_and_description_wrapped_together": SPACES_APART,
    "table_spaced_cells_set_under_their_headers": SPACES_APART,
    "table_spaced_cells_set_under_their_headers_a_character_a_column": SPACES_APART,
    "table_spaced_rows_ending_in_prose": SPACES_APART,
    "grant_guide_rate_column_spaced": SPACES_APART,
    "table_spaced_rules_and_a_tracked_total": SPACES_APART,
    "table_spaced_names_begun_above": SPACES_APART,
    "table_spaced_year_change_and_rate_columns": SPACES_APART,
    "table_account_levels_and_fullwidth_figures": SPACES_APART,
    "plan_table_of_the_budget_year": SPACES_APART,
    "table_fullwidth_bars_and_office_column": SPACES_APART,
    "table_single_spaced_flag_and_text_columns": "drawn with single spaces, its cells stand under no header's column",
    "supplement_table_spaced_trailing_notes": SPACES_APART,
    "table_spaced_rate_column_and_cap_notes": SPACES_APART,
    "table_drawn_with_box_rules": BOX_RULES,
    "table_box_short_years_legend_below": BOX_RULES,
    "arrowed_programs_over_bracketed_budgets_with_legend": FAR_RIGHT_AMOUNTS,
    "table_of_columns_no_header_tells": "its header row, its cells read apart by spaces, is a sheet's name field "
                                        "「事業名 前回 今回」",
}


def assert_drawn_gives_the_programs_of_its_text(path, tmp_path, draw) -> None:
    """Draw a form's text as a PDF with ``draw`` and require the programs, names and budgets, of its ``.jsonl``."""
    register_font()
    pdf = tmp_path / f"{path.stem}.pdf"
    pdf.write_bytes(draw(path.read_text(encoding="utf-8")))
    expected = [json.loads(line) for line in path.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    doc = extract_document(read_document(pdf, tmp_path))
    got = [(p.name, p.budget.yen if p.budget else None) for p in doc.programs]
    assert got == [(e["name"], e.get("budget_yen")) for e in expected]


@pytest.mark.parametrize("path", list_forms(KNOWN_APART))
def test_a_form_drawn_as_a_pdf_gives_the_programs_of_its_text(path, tmp_path):
    assert_drawn_gives_the_programs_of_its_text(path, tmp_path, draw_text_form)


KNOWN_APART_RULED: dict[str, str] = {}


def list_tabled_forms() -> list:
    """The forms whose text sets rows of cells apart by tabs: drawn with ruled cells, they are tables with rules."""
    return [case for case in list_forms(KNOWN_APART_RULED) if "\t" in case.values[0].read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", list_tabled_forms())
def test_a_form_drawn_with_ruled_cells_gives_the_programs_of_its_text(path, tmp_path):
    assert_drawn_gives_the_programs_of_its_text(path, tmp_path, lambda text: draw_text_form(text, ruled=True))


# A spaced table drawn in a proportional font does not line up.
KNOWN_APART_TWO_COLUMNS: dict[str, str] = {
    "csv_records_pasted_in_text": "CSV records drawn on a page: a PDF's commas part no cells (only a text's are read so)",
    "table_spaced_names_wrapped_in_brackets": SPACES_APART,
    "supplement_department_total_and_star_legend": SPACES_APART,
    "grant_guide_rate_column_spaced": SPACES_APART,
    "table_spaced": SPACES_APART,
    "plan_table_of_the_budget_year": SPACES_APART,
    "table_fullwidth_bars_and_office_column": SPACES_APART,
    "table_spaced_cells_set_under_their_headers": SPACES_APART,
    "table_spaced_cells_set_under_their_headers_a_character_a_column": SPACES_APART,
    "table_drawn_with_box_rules": BOX_RULES,
    "table_box_short_years_legend_below": BOX_RULES,
    "arrowed_programs_over_bracketed_budgets_with_legend": FAR_RIGHT_AMOUNTS,
}


def list_two_column_forms() -> list:
    """The forms of no tabs with a blank line to part them at (``draw_text_form_in_two_columns``)."""
    register_font()  # (the font's widths fit the lines in a column)
    return [case for case in list_forms(KNOWN_APART_TWO_COLUMNS)
            if draw_text_form_in_two_columns(case.values[0].read_text(encoding="utf-8")) is not None]


@pytest.mark.parametrize("path", list_two_column_forms())
def test_a_form_drawn_in_two_columns_gives_the_programs_of_its_text(path, tmp_path):
    assert_drawn_gives_the_programs_of_its_text(path, tmp_path, draw_text_form_in_two_columns)


# A spaced table drawn with its last column set right no longer lines up with its header.
KNOWN_APART_SET_RIGHT: dict[str, str] = {
    "table_spaced_names_wrapped_in_brackets": SPACES_APART,
    "budget_book_rows_ending_in_listed_programs": "its last figure set right runs into the name before it, no space "
                                                  "between them",
    "supplement_department_total_and_star_legend": SPACES_APART,
    "amounts_broken_at_a_line_end": "an amount broken at a line's end: its first part set right, the rest left under its "
                                    "name, the two are no longer one amount",
    "grant_guide_rate_column_spaced": "a spaced table: its last column set right no longer lines up with its header",
    "table_header_of_two_rows_spaced": "a spaced table: its last column set right no longer lines up with its header",
    "title_with_its_unit_over_a_spaced_table": "a spaced table: its last column set right no longer lines up with its header",
    "table_spaced_cells_set_under_their_headers": "a spaced table: its last column set right no longer lines up with its "
                                                  "header",
    "table_spaced_rules_and_a_tracked_total": "a spaced table: its last column set right no longer lines up with its header",
    "table_spaced_names_begun_above": "a spaced table: its last column set right no longer lines up with its header",
    "table_spaced_year_change_and_rate_columns": "a spaced table: its last column set right no longer lines up with its "
                                                 "header",
    "table_account_levels_and_fullwidth_figures": "a spaced table: its last column set right no longer lines up with its "
                                                  "header",
    "supplement_table_spaced_trailing_notes": "a spaced table: its last column set right no longer lines up with its "
                                              "header",
    "press_release_unit_list_in_millions": "bare figures with the year before's in brackets after them, set right, are read "
                                           "as a column of their own after the names",
    "table_spaced_rate_column_and_cap_notes": "a spaced table: its last column set right no longer lines up with its header",
    "table_spaced_cells_set_under_their_headers_a_character_a_column": "a spaced table: its last column set right no "
                                                                       "longer lines up with its header",
}


def list_set_right_forms() -> list:
    """The forms of no tabs with a line whose last word, a figure, can be set right (``draw_text_form_set_right``)."""
    register_font()
    return [case for case in list_forms(KNOWN_APART_SET_RIGHT)
            if draw_text_form_set_right(case.values[0].read_text(encoding="utf-8")) is not None]


@pytest.mark.parametrize("path", list_set_right_forms())
def test_a_form_drawn_with_its_figures_set_right_gives_the_programs_of_its_text(path, tmp_path):
    assert_drawn_gives_the_programs_of_its_text(path, tmp_path, draw_text_form_set_right)


@pytest.mark.parametrize("known", [KNOWN_APART, KNOWN_APART_RULED, KNOWN_APART_TWO_COLUMNS, KNOWN_APART_SET_RIGHT],
                         ids=["plain", "ruled", "two_columns", "set_right"])
def test_every_form_known_apart_names_a_form(known):
    assert set(known) <= {path.stem for path in FORMS.glob("*.txt")}


# Forms whose drawing, read apart from its text, gives a program another budget than its text does
KNOWN_WRONG_WHEN_APART: dict[str, str] = {
    "arrowed_programs_over_bracketed_budgets_with_legend": "amounts set far right read as a column of their own after "
                                                           "the names: a bracketed budget comes after the next name",
}


def list_forms_drawn_apart() -> list:
    """Each form a drawing of it is known to read apart from its text (``KNOWN_APART``, …), with that drawing."""
    draws = [(KNOWN_APART, draw_text_form), (KNOWN_APART_TWO_COLUMNS, draw_text_form_in_two_columns),
             (KNOWN_APART_SET_RIGHT, draw_text_form_set_right)]
    cases = []
    for known, draw in draws:
        for stem in sorted(known):
            reason = KNOWN_WRONG_WHEN_APART.get(stem)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(FORMS / f"{stem}.txt", draw, id=f"{draw.__name__}-{stem}", marks=marks))
    return cases


@pytest.mark.parametrize("path, draw", list_forms_drawn_apart())
def test_a_form_drawn_apart_gives_no_program_another_budget(path, draw, tmp_path):
    """Where a drawing is read apart from its text (cells out of their columns), the programs it gives have the
    budgets of the text or none: a wrong budget is worse than a missing one."""
    register_font()
    data = draw(path.read_text(encoding="utf-8"))
    if data is None:
        pytest.skip("the form has no drawing of this kind")
    pdf = tmp_path / f"{path.stem}.pdf"
    pdf.write_bytes(data)
    expected = [json.loads(line) for line in path.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    budgets = {e["name"]: e.get("budget_yen") for e in expected}
    doc = extract_document(read_document(pdf, tmp_path))
    wrong = [(p.name, p.budget.yen) for p in doc.programs
             if p.budget is not None and (budgets.get(p.name, p.budget.yen) != p.budget.yen
                                          or p.name not in budgets and p.budget.yen not in budgets.values())]
    assert wrong == []
