"""Text layers: vertical pages told apart and read by columns, untrusted glyphs named, running headers."""

from __future__ import annotations

from pipeline.read.pages import make_chars_from_dicts
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
    vertical, share = measure_vertical(make_chars_from_dicts(chars))
    assert vertical and share > 0.9


def test_rows_of_characters_are_horizontal():
    chars = []
    for n, row in enumerate(("在宅療養推進事業の予算額は千円です", "区市町村在宅療養推進事業を実施する")):
        chars += make_chars(row, 40, 60 + 15 * n)
    vertical, share = measure_vertical(make_chars_from_dicts(chars))
    assert not vertical and share < 0.1


def test_a_few_stacked_labels_do_not_make_a_page_vertical():
    chars = make_chars("在宅療養推進事業の予算額は千円です" * 3, 40, 60)
    chars += make_chars("地域", 10, 60, down=True)
    assert measure_vertical(make_chars_from_dicts(chars))[0] is False


def test_a_running_header_naming_the_fiscal_year_is_kept_once_and_accounts_on_every_page():
    from pipeline.read.pdf import PageLine, PageText, drop_page_furniture

    def page(n: int) -> PageText:
        return PageText(n, 595.0, 842.0, [
            PageLine("令和８年度南国市一般会計予算", (40.0, 20.0, 300.0, 30.0), 10.0, 0),
            PageLine("３款 民生費", (40.0, 40.0, 120.0, 50.0), 10.0, 0),
            PageLine("歳出予算書", (400.0, 20.0, 500.0, 30.0), 10.0, 0),
            PageLine(f"○ 事業{n}", (40.0, 300.0, 300.0, 310.0), 10.0, 0),
        ])

    pages = [page(1), page(2), page(3)]
    drop_page_furniture(pages, keep=set())
    assert [[line.text for line in p.lines] for p in pages] == [
        ["令和８年度南国市一般会計予算", "３款 民生費", "○ 事業1"],
        ["３款 民生費", "○ 事業2"],
        ["３款 民生費", "○ 事業3"],
    ]


def FakePage(chars: list[dict]):  # noqa: N802 - stands for the page record the engines give
    """A page record with only chars, the way both engines give one (``read.pages.PageRecord``)."""
    from pipeline.read.pages import PageRecord

    return PageRecord(1, 595.0, 842.0, chars=make_chars_from_dicts({"fontname": "IPAexGothic", **c} for c in chars), has_text=True)


def test_a_page_with_a_few_unmapped_glyphs_is_read_with_a_warning_naming_their_share():
    from pipeline.read.pdf import read_page

    chars = make_chars("在宅療養推進事業の予算額は千円です", 40, 60)
    chars += make_chars("\ue021\ue022\ue023", 40, 90)
    page = read_page(FakePage(chars), 2)
    assert [line.text for line in page.lines][0] == "在宅療養推進事業の予算額は千円です"
    assert page.warnings == ["page 2: 3 of 20 characters (15%) have no readable text "
                             "((cid:NN), U+FFFD or private-use glyphs)"]


def test_a_clean_page_has_no_warning():
    from pipeline.read.pdf import read_page

    assert read_page(FakePage(make_chars("在宅療養推進事業の予算額は千円です", 40, 60)), 1).warnings == []


def make_mixed_page() -> list[dict]:
    """A newsletter page: a paragraph across at the top, then two programs set down in columns read
    right to left, each a name column and, to its left, its amount column (「［６３７万円］」)."""
    chars = []
    for n, row in enumerate(("令和三年度の予算が成立しました。", "特別会計の総額は二億八千万円です。", "主な事業を次に紹介します。")):
        chars += make_chars(row, 40, 60 + 15 * n)
    right = 500
    for n, column in enumerate(("◇水道メーター交換事業", "［６３７万円］", "◇定住化対策事業", "［２５０万円］")):
        chars += make_chars(column, right - 18 * n, 400, down=True)
    return chars


def test_a_block_set_down_on_a_page_set_across_is_read_by_its_columns():
    from pipeline.read.pdf import read_page

    page = read_page(FakePage(make_mixed_page()), 2)
    assert [line.text for line in page.lines] == [
        "令和三年度の予算が成立しました。", "特別会計の総額は二億八千万円です。", "主な事業を次に紹介します。",
        "◇水道メーター交換事業", "［６３７万円］", "◇定住化対策事業", "［２５０万円］",
    ]
    [warning] = page.warnings
    assert warning.startswith("page 2: vertical text in part (") and "1 region" in warning


def test_chains_of_stacked_figures_or_a_few_labels_are_no_region():
    from pipeline.read.vertical import find_vertical_regions

    figures = []
    for n in range(6):  # right-aligned amounts of a table's rows, stacked tight
        figures += make_chars("1234", 300, 100 + 10 * n)
    assert find_vertical_regions(make_chars_from_dicts(figures), []) == []
    labels = make_chars("在宅療養推進事業の予算額は千円です", 40, 60) + make_chars("地域", 10, 60, down=True)
    assert find_vertical_regions(make_chars_from_dicts(labels), []) == []


def test_a_region_in_a_ruled_table_or_mixed_with_text_across_is_not_turned():
    from pipeline.read.vertical import find_vertical_regions

    chars = make_mixed_page()
    assert len(find_vertical_regions(make_chars_from_dicts(chars), [])) == 1
    assert find_vertical_regions(make_chars_from_dicts(chars), [(300.0, 380.0, 560.0, 560.0)]) == []  # a table holds the block
    # two columns with rows of text across between them: their box is no block set down
    columns = make_chars("◇水道メーター交換事業［６３７万円］", 500, 400, down=True)
    columns += make_chars("◇定住化対策事業［２５０万円］", 470, 400, down=True)
    assert len(find_vertical_regions(make_chars_from_dicts(columns), [])) == 1
    across = [c for n in range(8) for c in make_chars("あい", 481, 400 + 15 * n, size=8.0)]
    assert find_vertical_regions(make_chars_from_dicts(columns + across), []) == []


def test_an_amount_at_the_foot_of_every_page_is_no_running_footer():
    from pipeline.read.pdf import PageLine, PageText, drop_page_furniture

    def page(n: int, amount: str) -> PageText:
        return PageText(n, 595.0, 842.0, [
            PageLine(f"○ 事業{n}", (40.0, 300.0, 300.0, 310.0), 10.0, 0),
            PageLine(amount, (490.0, 805.0, 500.0, 830.0), 10.0, 0),
            PageLine(f"- {n} -", (280.0, 815.0, 300.0, 825.0), 10.0, 0),
        ])

    pages = [page(1, "［１，４９６万円］"), page(2, "［３，２７１万円］")]
    drop_page_furniture(pages, keep=set())
    assert [[line.text for line in p.lines] for p in pages] == [["○ 事業1", "［１，４９６万円］"], ["○ 事業2", "［３，２７１万円］"]]
