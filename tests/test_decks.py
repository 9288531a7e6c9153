"""Slide decks: a ``■`` bullet is a program only where the document speaks of programs."""

from __future__ import annotations

from pipeline.parse.document import extract_document
from pipeline.read.files import split_lines
from pipeline.records import SourceDocument


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
