"""Vertical text (縦書き): told apart from horizontal text by geometry and read column by column."""

from __future__ import annotations

from pipeline.read.pdf import measure_vertical


def make_chars(text: str, x0: float, top: float, size: float = 10.0, down: bool = False) -> list[dict]:
    chars = []
    for i, ch in enumerate(text):
        x = x0 if down else x0 + i * size
        y = top + i * size if down else top
        chars.append({"text": ch, "x0": x, "x1": x + size, "top": y, "bottom": y + size, "size": size, "upright": True})
    return chars


def test_columns_of_stacked_characters_are_vertical():
    chars = []
    for n, column in enumerate(("道路交通法施行令の一部を改正する政令", "内閣は道路交通法の一部を改正する法律")):
        chars += make_chars(column, 500 - 15 * n, 60, down=True)
    vertical, share = measure_vertical(chars)
    assert vertical and share > 0.9


def test_rows_of_characters_are_horizontal():
    chars = []
    for n, row in enumerate(("在宅療養推進事業の予算額は千円です", "区市町村在宅療養推進事業を実施する")):
        chars += make_chars(row, 40, 60 + 15 * n)
    vertical, share = measure_vertical(chars)
    assert not vertical and share < 0.1


def test_a_few_stacked_labels_do_not_make_a_page_vertical():
    chars = make_chars("在宅療養推進事業の予算額は千円です" * 3, 40, 60)
    chars += make_chars("地域", 10, 60, down=True)
    assert measure_vertical(chars)[0] is False
