"""Slide decks: a ``■`` bullet is a program only where the document speaks of programs, and a
block ends at the slide's edge unless the next slide says it goes on."""

from __future__ import annotations

from pipeline.parse.document import extract_document
from pipeline.parse.segment import is_slide_deck
from pipeline.read.files import split_lines
from pipeline.records import SourceDocument, SourceLine


def extract(text: str):
    return extract_document(SourceDocument("deck.txt", "text", "0" * 16, len(text), "utf-8", split_lines(text)))


def test_citation_bullets_on_a_slide_are_not_programs():
    result = extract("研究の背景\n\n- 機械学習を用いてコーパスから字句的な規則を学習する。\n"
                     "■ [Strzalkowski 1996]\n■ [Collins 1999]\n■ 例. misgovernment\n")
    assert result.programs == ()


def test_the_same_bullets_open_programs_once_a_budget_is_printed():
    result = extract("■在宅療養研修事業【17,609千円】\n■看取り支援事業\n")
    assert [(p.name, p.budget.yen if p.budget else None) for p in result.programs] == [
        ("在宅療養研修事業", 17609000), ("看取り支援事業", None)]


def extract_slides(slides: list[list[str]], size: tuple[float, float] = (800, 600)):
    """A deck of ``slides`` (lines each), each slide a page of ``size`` points."""
    lines, number = [], 0
    for page, slide in enumerate(slides, start=1):
        for text in ([""] if lines else []) + slide:
            number += 1
            lines.append(SourceLine(number, text, page, (10.0, 10.0 * number, 200.0, 10.0 * number + 8) if text else None))
    sizes = tuple(size for _ in slides)
    return extract_document(SourceDocument("deck.pdf", "pdf", "0" * 16, 1, None, tuple(lines), (), sizes))


def items_by_program(result) -> dict[str, list[str]]:
    return {p.name: [i.text for i in p.items] for p in result.programs}


FIRST_SLIDE = ["在宅療養の推進", "■在宅療養研修事業【17,609千円】", "○在宅療養推進研修"]


def test_a_block_ends_at_the_slides_edge():
    result = extract_slides([FIRST_SLIDE, ["看取り支援の取組", "○看取り研修の実施"]])
    assert items_by_program(result) == {"在宅療養研修事業": ["在宅療養推進研修"]}


def test_a_slide_that_says_it_goes_on_keeps_the_block_open():
    result = extract_slides([FIRST_SLIDE, ["在宅療養の推進（続き）", "○病院内での理解促進研修"]])
    assert items_by_program(result) == {"在宅療養研修事業": ["在宅療養推進研修", "病院内での理解促進研修"]}


def test_pages_of_a_sheet_are_no_slides():
    """An A4 sheet, standing or lying (1.414), is no slide: an item on the next page is still the program's."""
    for size in ((595, 842), (842, 595)):
        result = extract_slides([FIRST_SLIDE, ["○病院内での理解促進研修"]], size)
        assert items_by_program(result) == {"在宅療養研修事業": ["在宅療養推進研修", "病院内での理解促進研修"]}


def test_slide_shapes():
    assert is_slide_deck(((800, 600), (800, 600)))  # 4:3
    assert is_slide_deck(((960, 540),))  # 16:9
    assert is_slide_deck(((780, 540),)) and is_slide_deck(((540, 780),))  # PowerPoint's A4 slide
    assert not is_slide_deck(((842, 595),)) and not is_slide_deck(((595, 842),)) and not is_slide_deck(())
    assert not is_slide_deck(((800, 600), (595, 842)))  # a sheet among the slides: not a deck
