"""Money cases: printed amounts to exact yen (``pipeline.parse.money``), from ``tests/fixtures/money.txt``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fixture_cases import params
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.money import compute_yen, find_amounts, read_amount
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
    group of four places, 「3千」, taken in the group the next 万, 億 or 兆 after it closes: 「3千5百万」 is 3,500万)."""
    body = "".join((f"{n:,}" if grouped else str(n)) + (f".{fraction}" if fraction is not None else "") + word
                   for n, grouped, fraction, word in parts)

    def closes(word: str) -> bool:
        return bool(word) and word[-1] in GROUP_MULTIPLIERS

    def place(at: int, word: str) -> int:
        later = next((GROUP_MULTIPLIERS[w[-1]] for *_, w in parts[at + 1:] if closes(w)), 1)
        return MULTIPLIERS.get(word, 1) * (1 if closes(word) else later)

    total = sum(Decimal(f"{n}" + (f".{fraction}" if fraction is not None else "")) * place(at, word)
                for at, (n, _, fraction, word) in enumerate(parts))
    unit = next((word for *_, word in reversed(parts)), "") + "円"
    got = compute_yen(body)
    if total != total.to_integral_value():
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
