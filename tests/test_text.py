"""The text stage: the form each field is given in, and name keys.

Per field: ``name_raw`` and ``text_raw`` keep the printed characters; the parse form (and the
display form built on it: names, sections, descriptions, item texts) drops characters that
print nothing (zero-width, bidi controls, soft hyphens) and reads a simplified-Chinese form
as the Japanese character a reader sees; ``name_key`` also drops combining marks and
variation selectors, so one program keeps one key however its name was typed.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from conftest import extract_raw

from pipeline.parse.document import extract_document
from pipeline.read.files import read_text
from pipeline.text.forms import FORMAT_CATEGORY, drop_format_characters, to_display_form, to_parse_form
from pipeline.text.japanese import compute_name_key, is_heading_like, tokenize

NAME = "在宅療養研修事業"


def extract(text: str):
    return extract_document(read_text("case.txt", "text", text.encode("utf-8")))


@pytest.mark.parametrize("raw, parse", [
    ("在宅\u200b療養", "在宅療養"),  # zero-width space
    ("在宅\u200c\u200d療養\u2060", "在宅療養"),  # zero-width non-joiner, joiner, word joiner
    ("\u202e在宅療養\u202c", "在宅療養"),  # right-to-left override and its pop
    ("\u2067在宅\u2069療養\u200f", "在宅療養"),  # isolates and a right-to-left mark
    ("\ufeff在宅療養", "在宅療養"),  # a byte-order mark inside a line
    ("在宅\u00ad療養", "在宅療養"),  # a soft hyphen
    ("【1,\u200b000千円】", "【1,000千円】"),  # a figure reads as it prints
    ("地域の实情に応じて", "地域の実情に応じて"),  # the simplified form 实 is the Japanese 実
    ("①在宅療養", "①在宅療養"),  # enclosed characters stay as printed
])
def test_parse_form_drops_what_prints_nothing_and_reads_chinese_forms_as_japanese(raw, parse):
    assert to_parse_form(raw) == parse


def test_the_characters_dropped_are_those_that_print_nothing():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    dropped = set(every) - set(drop_format_characters(every))
    assert dropped == {ch for ch in every if unicodedata.category(ch) == FORMAT_CATEGORY}


def test_display_form_keeps_visible_combining_marks():
    assert to_display_form("在\u0301宅療養") == "在\u0301宅療養"
    assert to_display_form("か\u3099") == "が"  # a combining voiced mark composes with its kana


@pytest.mark.parametrize("marked", [
    "在\u0301宅療養研修事業",  # a combining acute accent
    "在宅\u20dd療養研修事業",  # a combining enclosing circle
    "在宅療養研修事業\u309a",  # a combining semi-voiced mark with no kana to take it
    "在宅療養\ufe00研修事業",  # a variation selector
    "在宅\U000e0100療養研修事業",  # an ideographic variation selector
])
def test_name_key_drops_combining_marks_and_variation_selectors(marked):
    assert compute_name_key(to_display_form(marked)) == compute_name_key(NAME) == NAME


def test_a_program_keeps_its_key_and_its_printed_name():
    plain = extract(f"令和7年度 予算\n\n■{NAME}【1,000千円】\n").programs
    noisy = extract("令和7年度 予算\n\n■在\u200b宅\u202e療養\u202c研修\u0301事業【1,000千円】\n").programs
    assert [p.name_key for p in noisy] == [p.name_key for p in plain] == [NAME]
    assert noisy[0].name_raw == "■在\u200b宅\u202e療養\u202c研修\u0301事業【1,000千円】"  # raw: as printed
    assert noisy[0].name == "在宅療養研修\u0301事業"  # display: what prints
    assert noisy[0].budget is not None and noisy[0].budget.yen == 1_000_000


def test_a_seed_description_reads_the_japanese_form():
    h29 = extract_raw("h29_zaitaku-ryoyo-torikumi_program-list.md")  # line 25: "…地域の实情に応じて実施する取組を支援"
    described = [p for p in h29.programs if p.description and "地域の実情に応じて" in p.description]
    assert [p.span.line_start for p in described] == [23]
    assert not any("实" in (p.description or "") for p in h29.programs)


# -- text of any length (Sudachi takes at most 49,149 bytes at a time) ---------------------------

LONG = "在宅療養の推進に向けた取組、" * 4000  # 56,000 characters, 168,000 bytes, on one line


def test_tokens_of_a_long_text_cover_it_whole():
    tokens = tokenize(LONG)
    assert "".join(surface for surface, *_ in tokens) == LONG
    assert tokens[:3] == tokenize("在宅療養の推進に向けた取組、")[:3]
    grown = "\ufdfa" * 20000  # Sudachi's normalization makes each of these 18 characters
    assert "".join(surface for surface, *_ in tokenize(grown)) == grown


def test_a_name_key_and_a_heading_test_of_any_length():
    name = "在宅療養" * 20000 + "事業"
    assert compute_name_key(name) == name
    assert compute_name_key("\u200b".join(name[:30000]) + name[30000:]) == name
    assert is_heading_like(name) is False
    assert is_heading_like(name, max_chars=len(name)) is True


def test_a_document_with_one_very_long_line_is_read():
    name = "在宅療養" * 20000 + "事業"
    result = extract(f"令和7年度 予算\n\n■{name}【1,000千円】\n{LONG}\n")
    assert (result.status, result.error) == ("ok", None)
    assert [(p.name_key, p.budget.yen if p.budget else None) for p in result.programs] == [(name, 1_000_000)]
