"""Money cases: printed amounts to exact yen (``pipeline.parse.money``), from ``tests/fixtures/money.txt``."""

from __future__ import annotations

import pytest
from fixture_cases import params

from pipeline.parse.money import find_amounts, read_amount
from pipeline.text.forms import to_parse_form


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
