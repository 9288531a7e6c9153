"""Money cases: printed amounts to exact yen (``pipeline.parse.money``), from ``tests/fixtures/money.txt``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fixture_cases import params
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.money import POINTED_THOUSANDS, SMALL_UNITS, compute_yen, find_amounts, read_amount
from pipeline.text.forms import to_parse_form
from pipeline.text.vocab import GROUP_MULTIPLIERS, MULTIPLIERS


def amounts(text: str) -> list[dict]:
    return [{"yen": a.yen, "unit": a.unit, "text": a.text, "fiscal_year": a.fiscal_year}
            for a in find_amounts(to_parse_form(text))]


@pytest.mark.parametrize("text,expected", params("money.txt"))
def test_amounts(text, expected):
    assert amounts(text) == expected


def test_read_amount_takes_one_amount_only():
    text = to_parse_form("予算額 119,141千円")
    one = read_amount(text)
    assert one is not None and (one.yen, one.start, one.end) == (119141000, 4, 13)
    assert read_amount(to_parse_form("119,141千円（前年度 100,000千円）")) is None
    assert read_amount("予算額") is None


@pytest.mark.parametrize("text,yen", [("5千万円", 50_000_000), ("約2億5千万円", 250_000_000), ("3千億円", 300_000_000_000)])
def test_thousand_before_a_larger_multiplier(text, yen):
    assert [a["yen"] for a in amounts(text)] == [yen]


@pytest.mark.parametrize("text", ["12,34千円", "1,2345円"])
def test_broken_digit_grouping_is_no_amount(text):
    assert amounts(text) == []


# An amount's body: parts of figures (grouped by commas or not, with or without a fraction), each but the
# last with its multiplier: "3億2,000万", "0.5億", "236,194千", "980,000".
FIGURES = st.tuples(st.integers(0, 10**9), st.booleans(), st.one_of(st.none(), st.integers(0, 99999)))
BODY_PARTS = st.tuples(
    st.lists(st.tuples(FIGURES, st.sampled_from(sorted(MULTIPLIERS))), max_size=2),
    st.tuples(FIGURES, st.sampled_from(["", *sorted(MULTIPLIERS)])),
).map(lambda p: [(*figures, word) for figures, word in [*p[0], p[1]]])


@settings(max_examples=200, deadline=None)
@given(BODY_PARTS)
def test_whole_figures_are_read_as_decimals_would_read_them(parts):
    """``compute_yen`` reads whole figures with integers and figures with a fraction with decimals:
    the same yen either way (checked against the sum each part's decimal value makes, a part whose word closes no
    group of four places, 「3千」, taken in the group the next 万, 億 or 兆 after it closes: 「3千5百万」 is 3,500万);
    parts whose places are out of order are no amount."""
    body = "".join((f"{n:,}" if grouped else str(n)) + (f".{fraction}" if fraction is not None else "") + word
                   for n, grouped, fraction, word in parts)

    def closes(word: str) -> bool:
        return bool(word) and word[-1] in GROUP_MULTIPLIERS

    def in_order() -> bool:
        """Each group closed smaller than the last, each place in a group smaller than the last, and every group
        after the first less than 10,000 of its unit (「3千5百万」, never 「19千58千」, 「3万5億」 nor 「19万58千」)."""
        closed = place = None
        group = Decimal(0)
        for n, _, fraction, word in parts:
            value = Decimal(f"{n}" + (f".{fraction}" if fraction is not None else ""))
            here = MULTIPLIERS[word] // GROUP_MULTIPLIERS[word[-1]] if closes(word) else MULTIPLIERS.get(word, 1)
            if place is not None and here >= place or closes(word) and closed is not None \
                    and GROUP_MULTIPLIERS[word[-1]] >= closed:
                return False
            group += value * here
            if closes(word):
                if closed is not None and group >= 10**4:
                    return False
                closed, place, group = GROUP_MULTIPLIERS[word[-1]], None, Decimal(0)
            else:
                place = here
        return closed is None or group < 10**4

    def place(at: int, word: str) -> int:
        later = next((GROUP_MULTIPLIERS[w[-1]] for *_, w in parts[at + 1:] if closes(w)), 1)
        return MULTIPLIERS.get(word, 1) * (1 if closes(word) else later)

    total = sum(Decimal(f"{n}" + (f".{fraction}" if fraction is not None else "")) * place(at, word)
                for at, (n, _, fraction, word) in enumerate(parts))
    unit = next((word for *_, word in reversed(parts)), "") + "円"
    got = compute_yen(body)
    pointed = POINTED_THOUSANDS.match(body)  # 「0.100千」: 100千 or 0.1千, which the page cannot tell
    if total != total.to_integral_value() or not in_order() or pointed and body[pointed.end():] in SMALL_UNITS:
        assert got is None
    else:
        assert got == (int(total), unit)


@pytest.mark.parametrize("body", ["4.500千", "1,234.500千", "4.000"])
def test_a_point_before_three_figures_in_yen_or_thousands_is_no_amount(body):
    """「4.500千円」 is 4,500千円 misprinted (or misread) or 4.5千円: the page cannot tell, so it is not read."""
    assert compute_yen(body) is None


@pytest.mark.parametrize("body, yen", [("4.5千", 4_500), ("12.345億", 1_234_500_000), ("1,234.5百万", 1_234_500_000),
                                       ("0.3億", 30_000_000)])
def test_other_points_are_read(body, yen):
    assert compute_yen(body)[0] == yen


@pytest.mark.parametrize("printed, why", [("【l2,345千円】", "letters among its figures"), ("【1,2O0千円】", "letters among"),
                                         ("【3,0 00千円】", "split by a space"), ("【4.500千円】", "a point where a comma")])
def test_misprinted_figures_are_reported_as_unread_budgets(printed, why):
    from pipeline.parse.fields import parse_annotations
    from pipeline.parse.money import explain_unread_amount

    ann = parse_annotations(to_parse_form(f"在宅療養研修事業{printed}"))
    assert (ann.name, ann.budget, ann.unread_budgets) == ("在宅療養研修事業", None, (to_parse_form(printed),))
    assert why in explain_unread_amount(to_parse_form(printed))


KANJI = "〇一二三四五六七八九"


def write_group(n: int, style: str) -> str:
    """A group of four places (1 to 9999) as printed: 「1,234」, 「3千」 (figures and 千, for a group of whole thousands),
    「千二百三十四」 or 「一千二百三十四」 (kanji with their places), 「一二三四」 or 「一、二三四」 (kanji a place a letter)."""
    if style == "figures" or (style == "mixed" and n % 1000):
        return f"{n:,}"
    if style == "mixed":
        return f"{n // 1000}千"
    if style.startswith("positional"):
        digits = "".join(KANJI[int(d)] for d in str(n))
        return f"{digits[:-3]}、{digits[-3:]}" if style == "positional_comma" and len(digits) == 4 else digits
    out = ""
    for value, place in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 and style == "kanji" else KANJI[digit]) + place
    return out + (KANJI[n] if n else "")


def write_amount(yen: int, style: str) -> str:
    """``yen`` as printed with 兆, 億 and 万 between its groups of four places, each group in ``style``: 「1億2,345万円」,
    「1億2千3百4十5万円」, 「一億二千三百四十五万円」, 「一億二三四五万円」."""
    out = ""
    for value, word in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        group, yen = divmod(yen, value)
        if group:
            out += write_group(group, style) + word
    return out + "円"


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9999), st.integers(0, 10**12 - 1),
       st.sampled_from(["figures", "mixed", "kanji", "kanji_one", "positional", "positional_comma"]))
def test_an_amount_printed_in_groups_of_four_places_reads_its_yen(top, rest, style):
    """Any amount of yen printed with 兆, 億 or 万 between its groups of four places, each group in figures
    (「1億2,345万円」), in figures and 千 (「3千万円」, 「1億2千万円」), in kanji with their places (「一億二千三百四十五万円」,
    「一千万円」) or in kanji a place a letter (「一億二三四五万円」, 「三、五〇〇万円」), reads as that yen, once."""
    yen = top * 10**4 + rest  # (a group of 万 or more: a sum in kanji without one is no amount)
    text = write_amount(yen, style)
    # (kanji places alone, 「千万円」 or 「百億円」, are read as the unit they more often are: 「（単位：百万円）」)
    unit_alone = not any(letter in text for letter in KANJI[1:] + "0123456789")
    assert [(a.yen, a.text) for a in find_amounts(to_parse_form(text))] == ([] if unit_alone else [(yen, to_parse_form(text))])


@pytest.mark.parametrize("text, yen", [("5千6百45万円", 56_450_000), ("1億1千5百60万円", 115_600_000),
                                       ("2億2千9百38万円", 229_380_000), ("3百億円", 30_000_000_000)])
def test_hundreds_printed_as_a_word_are_of_their_group(text, yen):
    """「5千6百45万円」 is 5,645万円: its 百 is a place of the group 万 closes, as its 千 is; no figure after the 百
    (「45万円」) is an amount of its own."""
    assert [amount.yen for amount in find_amounts(text)] == [yen]


@pytest.mark.parametrize("text", ["19千058千円", "5百6百円", "3万5億円", "【19千058千円】", "19万058千円", "1億12,000万円", "19億058千円"])
def test_places_out_of_order_are_no_amount(text):
    """「19千058千円」 (「19,058千円」 with its comma misread as 千) is no sum of its parts: no amount is read from it."""
    assert find_amounts(text) == []
