"""Documents of our own making, one per printed form: each gives exactly the programs its
``.jsonl`` twin lists (only the keys listed there are compared).

A form the pipeline still reads wrongly is listed in ``KNOWN_BUGS`` with what goes wrong: its
twin says what a reader finds on the page, and the case is expected to fail until it is fixed."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata

import pytest
from fixture_cases import FORMS, list_forms

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.files import read_document

KNOWN_BUGS: dict[str, str] = {}


@pytest.mark.parametrize("path", list_forms(KNOWN_BUGS))
def test_a_form_gives_the_programs_it_prints(path):
    expected = [json.loads(line) for line in path.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    rows = make_rows(extract_document(read_document(path, FORMS)))["programs"]
    got = [{key: row[key] for key in want} for row, want in zip(rows, expected)]
    assert (len(rows), got) == (len(expected), expected)


def test_every_known_bug_names_a_form():
    assert set(KNOWN_BUGS) <= {path.stem for path in FORMS.glob("*.txt")}


def set_in_a_margin(text: str) -> str:
    """Every printed line set in by four spaces, as a PDF copied as text keeps the page's margin."""
    return "\n".join("    " + line if line.strip() else line for line in text.split("\n"))


def numbered_as_pages(text: str) -> str:
    """A page number between dashes over the text and under it, as a PDF copied as text keeps them."""
    return "－ 1 －\n\n" + text.rstrip("\n") + "\n\n－ 2 －\n"


def ended_in_spaces(text: str) -> str:
    """Spaces after every printed line."""
    return "\n".join(line + "   " if line.strip() else line for line in text.split("\n"))


def marked_in_other_shapes(text: str) -> str:
    """○ printed as ◯ (U+25EF) and ■ as ▪ (U+25AA), as other fonts and editors print them."""
    return text.replace("○", "◯").replace("■", "▪")


def spaced_unbroken(text: str) -> str:
    """Ideographic spaces printed as no-break spaces (U+00A0), as a page copied from a browser gives them."""
    return text.replace("\u3000", "\u00a0")


def set_double_spaced(text: str) -> str:
    """A blank line after every printed line, as a word processor's paragraph spacing copies out."""
    return "\n".join(line + "\n" if line.strip() else line for line in text.split("\n"))


# The gap between a name and the figure ending its line (not a gap inside an amount, 「６億  ２，４００万円」, nor one
# between figures, a table's cells): 「救急医療体制の充実　　　２５億３，４００万円」
GAP_BEFORE_LAST_FIGURE = re.compile(r"(?<=[^\s\d億万千])[ \u3000]{2,}(?=[0-9０-９△][^ \u3000]*$)", re.M)


def led_by_dots(text: str) -> str:
    """The gap between a name and the figure that ends its line printed as leader dots: 「救急医療体制の充実……２５億３，４００万円」."""
    return GAP_BEFORE_LAST_FIGURE.sub("……", text)


def marked_negative_black(text: str) -> str:
    """A negative amount marked with the black triangle, 「▲1,200」, as many budgets print it, for the white 「△1,200」."""
    return text.replace("△", "▲")


def marked_negative_minus(text: str) -> str:
    """A negative amount printed with a minus sign, 「-1,200」, 「−1,200」 (U+2212) or 「－１，２００」, in turn, for 「△1,200」."""
    signs = itertools.cycle(("-", "\u2212", "\uff0d"))
    return re.sub("△", lambda _: next(signs), text)


# A comma between a figure's digits: 「1,200」, 「１，２００」
FIGURE_COMMA = re.compile(r"(?<=[0-9０-９])([,，])(?=[0-9０-９]{3})")


def spaced_after_commas(text: str) -> str:
    """A space after every comma of its figures, 「12, 345千円」, as an OCR layer sets them down."""
    return FIGURE_COMMA.sub(lambda m: m.group(1) + " ", text)


# An era year: 「令和7年度」, 「令和７年度」, 「平成元年度」
ERA_YEAR = re.compile(r"(令和|平成)([0-9０-９]+|元)(年度)")
# A line of a table set with spaces or tabs: its cells are set under its header's columns
SPACED_CELLS = re.compile(r"[ \u3000]{2,}|\t")


def spaced_era_years(text: str) -> str:
    """Its era years' numbers set apart, 「令和 7 年度」, as a PDF's wide spacing copies out (not in the lines of a table set
    with spaces, whose cells would no longer stand under their header's columns)."""
    return "\n".join(line if SPACED_CELLS.search(line) else ERA_YEAR.sub(r"\1 \2 \3", line) for line in text.split("\n"))


KANJI_DIGITS = "〇一二三四五六七八九"


def write_in_kanji(number: int) -> str:
    """「八」 for 8, 「十二」 for 12, 「二十九」 for 29: a number below a hundred as an era year prints it in kanji."""
    tens, ones = divmod(number, 10)
    return (KANJI_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (KANJI_DIGITS[ones] if ones else "")


def kanji_era_years(text: str) -> str:
    """Its era years' numbers in kanji, 「令和八年度」, as formal documents (and those set vertically) print them."""
    def kanji(m: re.Match[str]) -> str:
        return f"{m[1]}{write_in_kanji(int(unicodedata.normalize('NFKC', m[2])))}{m[3]}"
    return re.sub(r"(令和|平成)([0-9０-９]{1,2})(年度)", kanji, text)


def bracketed_in_tortoise_shells(text: str) -> str:
    """Its black lenticular brackets printed as tortoise shells: 「〔1,500千円〕」, 「〔新規〕」, 「〔総務課〕」."""
    return text.replace("【", "〔").replace("】", "〕")


# A short line of words alone (a heading, a unit note), no figure or space in it: 「（単位：千円）」, 「■主な新規・拡充事業」
SHORT_WORDS_LINE = re.compile(r"^[^0-9０-９\s]{1,15}$")


def letter_spaced(text: str) -> str:
    """Its headings and notes set wide, a space after every character (「（ 単 位 ： 千 円 ）」), as a PDF's wide
    tracking copies out as text."""
    return "\n".join(" ".join(line) if SHORT_WORDS_LINE.match(line) else line for line in text.split("\n"))


VARIANTS = {"margin": set_in_a_margin, "page_numbers": numbered_as_pages, "trailing_spaces": ended_in_spaces,
            "mark_shapes": marked_in_other_shapes, "unbroken_spaces": spaced_unbroken, "double_spaced": set_double_spaced,
            "leader_dots": led_by_dots, "black_triangles": marked_negative_black, "minus_signs": marked_negative_minus,
            "spaced_era_years": spaced_era_years, "kanji_era_years": kanji_era_years,
            "tortoise_shell_brackets": bracketed_in_tortoise_shells, "letter_spaced": letter_spaced,
            "spaced_after_commas": spaced_after_commas}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_form_printed_otherwise_gives_the_same_programs(variant, tmp_path):
    """Every form, set in a margin, numbered as pages, with spaces after its lines, its marks in other shapes, its
    ideographic spaces as no-break spaces, set double-spaced, with leader dots before the figures that end its lines,
    its negative amounts marked ▲ or with a minus sign (not △) or its era years spaced (「令和 7 年度」) or in kanji
    (「令和八年度」) or its brackets 【】 printed 〔〕 or its headings and notes letter-spaced or a space after its figures'
    commas (「12, 345千円」), gives the programs it gives as it is: the same names and budgets."""
    differ = []
    for path in sorted(FORMS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        other = tmp_path / path.name
        other.write_text(VARIANTS[variant](text), encoding="utf-8")
        want = [(p.name, p.budget.yen if p.budget else None) for p in extract_document(read_document(path, FORMS)).programs]
        got = [(p.name, p.budget.yen if p.budget else None) for p in extract_document(read_document(other, tmp_path)).programs]
        if got != want:
            differ.append(path.stem)
    assert not differ, differ


def wrapped_at(width: int):
    def wrap(text: str) -> str:
        """Every line longer than ``width`` characters broken after each ``width`` of them, wherever that falls (in a
        word, a figure, a row of cells), as a text copied out of a narrow window or a fixed-width export."""
        out = []
        for line in text.split("\n"):
            while len(line) > width:
                out.append(line[:width])
                line = line[width:]
            out.append(line)
        return "\n".join(out)
    return wrap


def spaced_by_tabs(text: str) -> str:
    """Each run of two spaces or more between a line's words made one tab (the empty cells of a row of a table parted
    by spaces are lost, as a PDF's table copied out loses them)."""
    return re.sub(r"(?<=\S)[ \u3000]{2,}(?=\S)", "\t", text)


DAMAGED = {"wrapped_at_30": wrapped_at(30), "wrapped_at_40": wrapped_at(40), "wrapped_at_60": wrapped_at(60),
           "spaced_by_tabs": spaced_by_tabs}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_a_form_copied_out_damaged_gives_no_program_another_budget(damage, tmp_path):
    """Every form hard-wrapped at a width (its names, figures and rows broken anywhere), or with its runs of spaces made
    tabs, may lose programs and budgets, but never gives one another's budget: a program of a name the form gives has
    that name's budget or none, and one of another name (a name broken) no budget the form does not print."""
    wrong = []
    for path in sorted(FORMS.glob("*.txt")):
        other = tmp_path / path.name
        other.write_text(DAMAGED[damage](path.read_text(encoding="utf-8")), encoding="utf-8")
        want = [(p.name, p.budget.yen if p.budget else None) for p in extract_document(read_document(path, FORMS)).programs]
        got = [(p.name, p.budget.yen if p.budget else None) for p in extract_document(read_document(other, tmp_path)).programs]
        names, budgets = {name for name, _ in want}, {yen for _, yen in want}
        wrong += [(path.stem, name, yen) for name, yen in got
                  if yen is not None and (name, yen) not in want and (name in names or yen not in budgets)]
    assert wrong == []
