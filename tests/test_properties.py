"""Invariants under random input (hypothesis): the field parsers and mutated seed documents.

Whatever the input, extraction ends with status ok or a clean error; a budget is a number
printed in the record's own lines; spans stay inside their document and their program;
rates have 0 < numerator <= denominator. ``make fuzz`` runs these with many more examples
(``HYPOTHESIS_PROFILE=fuzz``); ``make test`` runs a small, derandomized set.
"""

from __future__ import annotations

import re

import pytest
from conftest import raw_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.output.rows import make_rows
from pipeline.parse import segment
from pipeline.parse.document import extract_document
from pipeline.parse.fields import (
    FLAG_WORD,
    has_budget,
    has_name_first,
    is_annotation_only,
    parse_annotations,
    parse_budget,
    parse_era_year,
    parse_flags,
    parse_rates,
)
from pipeline.parse.lines import build_lines
from pipeline.parse.segment import segment_document
from pipeline.read.files import read_text
from pipeline.records import SourceDocument
from pipeline.text import forms
from pipeline.text.forms import CharMap, to_parse_form
from pipeline.text.vocab import UNIT_FACTORS

# A printed number as it stands in the parse form: ASCII digits, with or without thousands commas.
PRINTED_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
UNITS = ("百万円", "千円", "万円", "億円", "円")


def printed_numbers(text: str) -> set[int]:
    return {int(m.replace(",", "")) for m in PRINTED_NUMBER.findall(text)}


def join_inside_brackets(text: str) -> str:
    """Take out the line breaks that fall inside an open 【…】 bracket, and only those."""
    out = []
    depth = 0
    for ch in text:
        if ch == "\n" and depth > 0:
            continue
        depth = max(0, depth + (ch == "【") - (ch == "】")) if ch != "\n" else 0
        out.append(ch)
    return "".join(out)


def test_join_inside_brackets():
    assert join_inside_brackets("■入退院時連携強化事業【1\n44,948千円】\n新規") == "■入退院時連携強化事業【144,948千円】\n新規"
    assert join_inside_brackets("研修を1\n44回実施") == "研修を1\n44回実施"
    assert join_inside_brackets("【1】2\n3") == "【1】2\n3"


def printed_fractions(text: str) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in re.findall(r"([0-9]+)\s*/\s*([0-9]+)", text)}


# -- field parsers -------------------------------------------------------------

# Pieces the parsers react to, mixed with arbitrary text: brackets, units, digits of every
# width and script, rate and flag words, era names.
TOKENS = [
    "【", "】", "[", "]", "(", ")", "（", "）", "<", ">", "＜", "＞", "≪", "≫", "《", "》", "〈", "〉", "◀",
    "千円", "万円", "円", "億円", "百万円", "内数", "/", "／", "1回", "22箇所", ",", "，", "、", " ", "　", "\t",
    "補助率", ":", "：", "※", "※1", "新規", "拡充", "再掲", "一部", "・", "大学提案採択事業", "または",
    "令和", "平成", "昭和", "R", "H", "S", "元", "年度", "年", "p.", "P.", "事業", "補助", "基金", "で実施",
    "4年目以降", "開始から3年間", "0", "00", "1", "2", "3", "4", "10", "１", "２", "０", "１０", "٣", "३", "²",
    "999", ",000", "，０００", "1,161,055", "236,194", "\n", "①", "～", "~", "〜", "■", "○",
]
# Digits as OCR and text layers give them: ASCII, full-width, other scripts, superscripts.
digits = st.text(alphabet="0123456789,０１２３４５６７８９，٣٢١३०²", min_size=1, max_size=9)
shaped = st.one_of(  # the shapes the parsers look for, filled with noisy digits
    st.tuples(st.sampled_from(["【", "【 ", "["]), digits, st.sampled_from(UNITS + ("千", "")),
              st.sampled_from(["】", "(内数)】", "/1回】", ""])).map("".join),
    st.tuples(st.sampled_from(["<補助率:", "＜補助率：", "【補助率】", "≪補助率"]), digits, st.sampled_from(["/", "／", "//"]),
              digits, st.sampled_from([">", "＞", "≫", ""])).map("".join),
    st.tuples(st.sampled_from(["令和", "平成", "昭和", "R", "H", "S"]), digits, st.sampled_from(["年度", "年", ""])).map("".join),
)
piece = st.one_of(
    shaped,
    st.sampled_from(TOKENS),
    st.text(max_size=3),
    st.integers(0, 10**12).map(str),
    st.integers(0, 10**12).map("{:,}".format),
    st.integers(0, 10**6).map(lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
)
noisy_text = st.lists(piece, max_size=40).map("".join)


@given(noisy_text)
def test_budget_is_a_printed_number_with_its_unit(raw):
    text = to_parse_form(raw)
    budget = parse_budget(text)
    if budget is None:
        return
    assert budget.unit in UNITS
    assert budget.amount in printed_numbers(text), (text, budget)
    assert budget.amount in printed_numbers(budget.text)
    assert budget.yen == budget.amount * UNIT_FACTORS[budget.unit]  # exact, whatever the unit
    if budget.thousand_yen is not None:
        assert budget.yen == budget.thousand_yen * 1000
    else:
        assert budget.yen % 1000 != 0


@given(noisy_text)
def test_rates_are_printed_proper_fractions(raw):
    text = to_parse_form(raw)
    rates, rate_text = parse_rates(text)
    for rate in rates:
        assert 0 < rate.numerator <= rate.denominator, (text, rate)
        assert (rate.numerator, rate.denominator) in printed_fractions(text), (text, rate)
    assert (rate_text is None) == (not rates) or rate_text is not None


@given(noisy_text)
def test_flags_are_printed_flag_words(raw):
    text = to_parse_form(raw)
    flags = parse_flags(text)
    assert len(set(flags)) == len(flags)
    for flag in flags:
        assert flag in text
        assert FLAG_WORD.fullmatch(flag)


@given(noisy_text)
def test_era_year_is_a_printed_era_year(raw):
    text = to_parse_form(raw)
    year = parse_era_year(text)
    if year is None:
        return
    # a Western fiscal year printed where no era year is, 「2021年度」 (19xx or 20xx)
    western = {int(m) for m in re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})\s?年度", text)}
    if year in western:
        return
    assert 1926 <= year <= 2018 + 99
    era = {"令和": 2018, "平成": 1988, "昭和": 1925}
    candidates = {base + n for name, base in era.items() for n in printed_numbers_after(text, name)}
    candidates |= {base + n for name, base in (("R", 2018), ("H", 1988), ("S", 1925))
                   for n in printed_numbers_after(text, name)}
    assert year in candidates, (text, year)


def printed_numbers_after(text: str, era: str) -> set[int]:
    """The era years printed after ``era``: ``令和7`` → 7, ``令和元`` → 1."""
    found = set()
    for m in re.finditer(re.escape(era) + r"\s*([0-9]{1,2}|元)", text):
        found.add(1 if m.group(1) == "元" else int(m.group(1)))
    return found


@given(st.text(alphabet=st.sampled_from("()（）:：实実在宅療養abc 　①"), max_size=30) | noisy_text)
def test_a_character_map_gives_what_translate_gives(text):
    many = CharMap({chr(0x4E00 + i): chr(0x3041 + i) for i in range(CharMap.MAX_REPLACED + 1)})  # applied with translate
    for charmap in (forms.WIDE, forms.CHINESE_TO_JAPANESE, many):
        assert charmap.apply(text) == text.translate(charmap.table)
    assert forms.WIDE.apply(text) == text.translate({ord("("): "（", ord(")"): "）", ord(":"): "："})


def test_a_character_map_refuses_what_replacing_one_by_one_would_read_twice():
    with pytest.raises(ValueError):
        CharMap({"a": "b", "b": "c"})  # "a" would become "c"
    with pytest.raises(ValueError):
        CharMap({"ab": "c"})


@given(st.sampled_from([("令和", 2018), ("平成", 1988), ("昭和", 1925), ("R", 2018), ("H", 1988)]),
       st.integers(1, 99), st.booleans())
def test_era_year_of_every_printed_year(era, n, wide):
    name, base = era
    number = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if wide else str(n)
    assert parse_era_year(to_parse_form(f"{name}{number}年度 予算額")) == base + n


@given(noisy_text)
def test_annotations_keep_what_the_parsers_read(raw):
    text = to_parse_form(raw)
    ann = parse_annotations(text)
    assert ann.budget == parse_budget(text)
    assert has_budget(text) == (ann.budget is not None)  # the segmenter's quick question, the same answer
    if has_name_first(text):  # told at once: a name stands before the first annotation
        assert ann.name.strip("・ "), (text, ann.name)
    for rate in ann.rates:
        assert 0 < rate.numerator <= rate.denominator
    assert set(ann.flags) <= set(parse_flags(text))
    for page in ann.page_refs:
        assert re.search(rf"[pP]\.\s*0*{page}(?![0-9])", text), (text, page)


@pytest.mark.parametrize("text, name_first, only", [
    ("山田 雅子 (教授)", True, False),  # a name, then a parenthesis
    ("区市町村在宅療養推進事業<拡充>【557,263千円】", True, False),
    ("【557,263千円】", False, True),  # annotations alone
    ("・ <新規>【1,000千円】", False, True),  # a list dot is no name
    ("新 【1,000千円】", False, True),  # a flag word before the name is cut out
    ("補助率 1/2 (国庫)", False, True),  # a line of rates
    ("p.9 【1,000千円】", False, True),  # a page reference
    ("事業の概要", False, False),  # no mark: read in full (no annotations, so not annotations alone)
])
def test_a_name_before_the_first_mark_is_told_at_once(text, name_first, only):
    assert has_name_first(text) == name_first
    assert is_annotation_only(text) == only
    assert (not parse_annotations(text).name.strip("・ ")) == (only or not text.strip())


# -- mutated seed documents ----------------------------------------------------

SEEDS = [(p.name, p.read_text(encoding="utf-8").split("\n")) for p in raw_files()]
WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
NARROW = str.maketrans({chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F)})
NOISE_CHARS = "0123456789０１２３４５６７８９,，【】■○◯①②<>＜＞≪≫()（）:：/／千円万億※・ 　\t事業予算額補助率令和年度"


@st.composite
def mutated_seed(draw):
    """A seed document with lines dropped, duplicated, moved, split, joined, characters replaced
    and widths swapped, and at times every line shuffled."""
    name, lines = draw(st.sampled_from(SEEDS))
    lines = list(lines)
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "duplicate", "move", "replace", "insert", "wide", "narrow", "cut",
                                   "split", "join"]))
        if op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        elif op == "replace" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + draw(st.sampled_from(NOISE_CHARS)) + lines[i][j + 1:]
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=NOISE_CHARS, max_size=30)))
        elif op == "wide":
            lines[i] = lines[i].translate(WIDE)
        elif op == "narrow":
            lines[i] = lines[i].translate(NARROW)
        elif op == "cut" and lines[i]:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i]) - 1))]
        elif op == "split" and lines[i]:  # a wrap where a PDF text layer might put one
            j = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:j], lines[i][j:]]
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + draw(st.sampled_from(["", " ", "　"])) + lines[i + 1]]
    if draw(st.booleans()):
        lines = [lines[k] for k in draw(st.permutations(range(len(lines))))][: len(lines)]
    return name, "\n".join(lines)


CLEAN_ERRORS = {"empty", "not_text", "parse_error"}


@given(mutated_seed())
def test_mutated_documents_keep_the_invariants(case):
    name, text = case
    fmt = "markdown" if name.endswith(".md") else "text"
    doc = read_text(name, fmt, text.encode("utf-8"))
    result = extract_document(doc)
    if result.status != "ok":
        assert result.status in CLEAN_ERRORS and result.error, (result.status, result.error)
        assert result.status != "parse_error", result.error  # a parser bug: report it, then fix it
        return
    lines = {sl.number: to_parse_form(sl.text) for sl in doc.lines}
    n_lines = len(doc.lines)
    for program in result.programs:
        span = program.span
        assert 1 <= span.line_start <= span.line_end <= n_lines, (program.name, span)
        own = "\n".join(lines[n] for n in range(span.line_start, span.line_end + 1))
        if program.budget is not None:
            # A budget wrapped over two lines ("【1" / "44,948千円】", as a PDF box wraps it) is
            # printed in its own lines once a break inside an open 【 is taken out.
            printed = printed_numbers(own) | printed_numbers(join_inside_brackets(own))
            assert program.budget.amount in printed, (program.name, program.budget, own)
        for rate in program.subsidy_rates:
            assert 0 < rate.numerator <= rate.denominator
        for item in program.items:
            assert span.line_start <= item.span.line_start <= item.span.line_end <= span.line_end, \
                (program.name, span, item.text, item.span)
            for rate in item.subsidy_rates:
                assert 0 < rate.numerator <= rate.denominator
    for check in result.totals:
        assert 1 <= check.line <= n_lines
    assert make_rows(result) == make_rows(extract_document(doc))  # same input, same output


@settings(max_examples=15)
@given(mutated_seed())
def test_rules_told_by_the_first_character_read_mutated_documents_as_every_rule_does(case):
    """``segment.needs``: asking a line only the rules its first character lets in changes no outline,
    on lines the seeds never had."""
    name, text = case
    doc = read_text(name, "markdown" if name.endswith(".md") else "text", text.encode("utf-8"))
    if not isinstance(doc, SourceDocument):
        return
    lines = build_lines(doc)
    chosen = segment_document(lines, doc.format)
    every = tuple((rule, None) for rule in segment.RULES)
    original = segment.choose_rules
    segment.choose_rules = lambda first, length: every
    try:
        assert segment_document(lines, doc.format) == chosen
    finally:
        segment.choose_rules = original
