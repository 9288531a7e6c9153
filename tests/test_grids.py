"""Tables printed without rules (``pipeline.read.grids``): runs set out by hand, and a PDF drawn
with reportlab (an A4 page across, the table of programs of a budget summary with no rules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.files import read_document
from pipeline.read.grids import Piece, find_grids, split_at_column

SIZE = 9.0


@dataclass
class R:
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


def run(x0: float, top: float, text: str, width: float | None = None) -> R:
    return R(x0, top, x0 + (width if width is not None else SIZE * len(text)), top + SIZE, SIZE, text)


def right(x1: float, top: float, text: str) -> R:
    """A figure set flush right at ``x1``, half-width digits."""
    width = SIZE * 0.5 * len(text)
    return R(x1 - width, top, x1, top + SIZE, SIZE, text)


HEADER = [run(40, 100, "No."), run(80, 100, "事業名"), run(260, 100, "令和7年度予算額"), run(400, 100, "前年度"),
          run(470, 100, "増減"), run(520, 100, "事業概要")]


def table(*rows: list[R]) -> list[R]:
    return HEADER + [r for row in rows for r in row]


def test_a_header_with_a_name_and_an_amount_column_makes_a_table_of_its_rows():
    runs = table(
        [run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業"), right(390, 120, "12,000"), right(460, 120, "10,000"),
         right(510, 120, "2,000"), run(520, 120, "機能を強化する。")],
        # the name wraps in its cell; the description goes on too
        [run(40, 140, "2"), run(80, 140, "認知症見守りネット"), right(390, 140, "5,500"), right(460, 140, "0"),
         right(510, 140, "5,500"), run(520, 140, "見守りの網を")],
        [run(80, 151, "ワーク構築事業"), run(520, 151, "つくる。")],
    )
    (grid,) = find_grids(runs, 800.0)
    assert [text for text, _ in grid.rows] == [
        "No.\t事業名\t令和7年度予算額\t前年度\t増減\t事業概要",
        "1\t地域包括ケア推進事業\t12,000\t10,000\t2,000\t機能を強化する。",
        "2\t認知症見守りネットワーク構築事業\t5,500\t0\t5,500\t見守りの網をつくる。",
    ]
    assert grid.taken == {id(r) for r in runs}
    assert grid.rows[2][1][1] == 140 and grid.rows[2][1][3] == 151 + SIZE  # the record's box holds its wrapped line


def test_a_wide_white_space_ends_the_table_and_what_follows_is_left_as_it_was():
    after = run(40, 300, "以上のとおり計上する。")
    runs = table(
        [run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業"), right(390, 120, "12,000")],
        [run(40, 140, "2"), run(80, 140, "認知症対策事業"), right(390, 140, "5,500")],
    ) + [after]
    (grid,) = find_grids(runs, 800.0)
    assert len(grid.rows) == 3 and id(after) not in grid.taken


def test_no_table_without_a_name_header_or_an_amount_header_or_a_record_with_a_figure():
    rows = [[run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業"), right(390, 120, "12,000")],
            [run(40, 140, "2"), run(80, 140, "認知症対策事業"), right(390, 140, "5,500")]]
    assert find_grids([run(40, 100, "No."), run(80, 100, "区分"), run(260, 100, "予算額")] + rows[0] + rows[1], 800.0) == []
    # an item's header (「項目」) heads names beside a budget's header, not beside a mere sum (「金額」)
    assert find_grids([run(40, 100, "No."), run(80, 100, "項目"), run(260, 100, "金額")] + rows[0] + rows[1], 800.0) == []
    assert len(find_grids([run(40, 100, "No."), run(80, 100, "項目"), run(260, 100, "予算額")] + rows[0] + rows[1], 800.0)) == 1
    assert find_grids([run(40, 100, "No."), run(80, 100, "事業名"), run(260, 100, "担当課")] + rows[0] + rows[1], 800.0) == []
    # a year alone heads an amount's column, its number in figures or in kanji: 「令和8年度」, 「令和八年度」, 「R8」
    for year in ("令和8年度", "令和八年度", "平成元年度", "R8"):
        assert len(find_grids([run(40, 100, "No."), run(80, 100, "事業名"), run(260, 100, year)] + rows[0] + rows[1], 800.0)) == 1
    # a row that prints an amount is no header: two sheets side by side, one set a line lower than the other, put the
    # name field of one beside the budget field of the other (「事業名 │ 介護人材確保支援事業 │ 予算額 │ 3,600千円」)
    sheets = [run(40, 100, "事業名"), run(100, 100, "介護人材確保支援事業"), run(310, 100, "予算額"), run(370, 100, "3,600千円")]
    assert find_grids(sheets + rows[0] + rows[1], 800.0) == []
    # (a year's number alone may head a column: 「事業名 │ 2025 │ 2026 │ 増減」)
    years = [run(40, 100, "No."), run(80, 100, "事業名"), run(260, 100, "2025"), run(330, 100, "2026"), run(400, 100, "増減")]
    assert len(find_grids(years + rows[0] + rows[1], 800.0)) == 1
    # one record of text alone is no table; one with its figure is (a supplement adding one program)
    assert find_grids(table([run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業")]), 800.0) == []
    (grid,) = find_grids(table(rows[0]), 800.0)
    assert [text for text, _ in grid.rows][1:] == ["1\t地域包括ケア推進事業\t12,000\t\t\t"]  # (six columns)


def test_a_header_set_wide_is_read_as_its_words():
    header = [run(40, 100, "No."), run(80, 100, "事"), run(100, 100, "業"), run(120, 100, "名"),
              run(260, 100, "予"), run(280, 100, "算"), run(300, 100, "額")]
    runs = header + [run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業"), right(330, 120, "12,000"),
                     run(40, 140, "2"), run(80, 140, "認知症対策事業"), right(330, 140, "5,500")]
    (grid,) = find_grids(runs, 800.0)
    assert grid.rows[0][0] == "No.\t事業名\t予算額"
    assert grid.rows[1][0] == "1\t地域包括ケア推進事業\t12,000"


def test_a_figure_run_into_the_next_cells_text_is_split_at_that_column():
    columns = [(40.0, 60.0), (470.0, 488.0), (520.0, 556.0)]
    merged = R(490.0, 120.0, 620.0, 129.0, SIZE, "2,000機能を強化する。")
    figure, text = split_at_column(merged, columns)
    assert (figure.text, text.text) == ("2,000", "機能を強化する。")
    assert isinstance(figure, Piece) and figure.x0 == 490.0 and text.x1 == 620.0 and figure.x1 == text.x0
    assert split_at_column(R(80.0, 120.0, 200.0, 129.0, SIZE, "地域包括ケア推進事業"), columns)[0].text == "地域包括ケア推進事業"


def draw_unruled_table(path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import make_pdf_fixtures as fixtures
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    fixtures.register_font()
    pdf = canvas.Canvas(str(path), pagesize=landscape(A4), invariant=1)
    width, height = landscape(A4)
    pdf.setFont(fixtures.FONT, 14)
    pdf.drawString(40, height - 40, "令和７年度 健康福祉部 主要事業一覧")
    pdf.setFont(fixtures.FONT, 9)
    pdf.drawRightString(width - 40, height - 60, "（単位：千円）")
    cols = [40, 70, 260, 340, 420, 490, width - 40]
    heads = ["No.", "事業名", "令和7年度予算額", "令和6年度予算額", "増減", "事業概要"]
    rows = [
        ["1", ["地域包括ケア推進事業"], "12,000", "10,000", "2,000", ["地域包括支援センターの機能強化を図る。", "（補助率 1/2）"]],
        ["2", ["認知症高齢者見守りネット", "ワーク構築事業【新規】"], "5,500", "0", "5,500", ["見守りネットワークを構築する。"]],
        ["3", ["介護人材確保対策事業"], "30,000", "31,200", "△1,200", ["介護職員の資格取得を支援する。", "国1/2、県1/4。"]],
    ]
    y = height - 70
    for i, head in enumerate(heads):
        pdf.drawString(cols[i] + 3, y - 16, head)
    y -= 28
    for row in rows:
        pdf.drawString(cols[0] + 3, y - 14, row[0])
        for k, line in enumerate(row[1]):
            pdf.drawString(cols[1] + 3, y - 14 - 12 * k, line)
        for j in (2, 3, 4):
            pdf.drawRightString(cols[j + 1] - 4, y - 14, row[j])
        for k, line in enumerate(row[5]):
            pdf.drawString(cols[5] + 3, y - 14 - 12 * k, line)
        y -= 40
    pdf.drawString(40, y - 40, "※金額は千円未満を四捨五入している。")
    pdf.showPage()
    pdf.save()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_pdf_table_without_rules_gives_its_programs(tmp_path, engine):
    path = tmp_path / "unruled.pdf"
    draw_unruled_table(path)
    doc = read_document(path, tmp_path, pdf_engine=engine)
    programs = make_rows(extract_document(doc))["programs"]
    got = [(p["name"], p["budget_yen"], p["prior_yen"], p["change_yen"], p["flags"],
            [f"{r['numerator']}/{r['denominator']}" for r in p["subsidy_rates"]]) for p in programs]
    assert got == [
        ("地域包括ケア推進事業", 12_000_000, 10_000_000, 2_000_000, [], ["1/2"]),
        ("認知症高齢者見守りネットワーク構築事業", 5_500_000, 0, 5_500_000, ["新規"], []),
        ("介護人材確保対策事業", 30_000_000, 31_200_000, -1_200_000, [], ["1/2", "1/4"]),
    ]
    assert all(p["page"] == 1 and p["bbox"] is not None for p in programs)


def draw_supplement_items(path: Path) -> None:
    """A supplement's items as a table with neither rules nor header: an account code, the item's
    name with a line of description under it, and its amount far right; a list of groups below."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import make_pdf_fixtures as fixtures

    fixtures.register_font()
    page = fixtures.Page(fixtures.A4)
    page.text(150, 60, "令和7年度 一般会計補正予算（第3号）の概要", 14)
    page.text(60, 110, "2 内容", 11)
    page.text(60, 140, "歳出", 11)
    top = 165.0
    for code, name, amount, note in [("3-1-2", "障害者福祉サービス給付費の増", "2,400万円", "・利用者の増加に伴う増"),
                                     ("3-2-1", "保育所運営費の増", "1,200万円", "・物価高騰に伴う委託料の増"),
                                     ("4-1-3", "予防接種事業費の増", "850万円", None)]:
        page.text(70, top, code, 10.5)
        page.text(140, top, name, 10.5)
        page.text(520 - fixtures.measure_text(amount, 10.5), top, amount, 10.5)
        if note:
            top += 16
            page.text(150, top, note, 10)
        top += 24
    page.text(60, top + 10, "主な事業（単位：千円）", 11)
    top += 32
    for text, x in [("(1) 介護人材の確保・定着支援　　17,345千円", 70), ("ア 介護職員処遇改善加算取得促進事業　　12,345千円", 90),
                    ("イ 介護の仕事魅力発信事業　　5,000千円", 90)]:
        page.text(x, top, text, 10.5)
        top += 18
    path.write_bytes(fixtures.render([page]))


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_table_without_rules_or_header_is_read_row_by_row(tmp_path, engine):
    path = tmp_path / "supplement.pdf"
    draw_supplement_items(path)
    programs = make_rows(extract_document(read_document(path, tmp_path, pdf_engine=engine)))["programs"]
    got = [(p["name"], p["budget_yen"], p["subsection"], p["n_items"]) for p in programs]
    assert got == [
        ("障害者福祉サービス給付費の増", 24_000_000, None, 1),
        ("保育所運営費の増", 12_000_000, None, 1),
        ("予防接種事業費の増", 8_500_000, None, 0),
        ("介護職員処遇改善加算取得促進事業", 12_345_000, "介護人材の確保・定着支援", 0),
        ("介護の仕事魅力発信事業", 5_000_000, "介護人材の確保・定着支援", 0),
    ]


def test_a_unit_note_or_another_header_after_the_records_ends_the_table():
    rows = table(
        [run(40, 120, "1"), run(80, 120, "地域包括ケア推進事業"), right(390, 120, "12,000")],
        [run(40, 140, "2"), run(80, 140, "認知症対策事業"), right(390, 140, "5,500")],
    )
    note = run(40, 160, "（単位：千円）")
    (grid,) = find_grids(rows + [note], 800.0)
    assert len(grid.rows) == 3 and id(note) not in grid.taken  # the next table's unit, not a row of this one
    second = [run(40, 160, "No."), run(80, 160, "事業名"), run(260, 160, "令和7年度予算額"), run(400, 160, "前年度"),
              run(470, 160, "増減"), run(520, 160, "事業概要"),
              run(40, 180, "1"), run(80, 180, "介護予防推進事業"), right(390, 180, "3,000")]
    first, other = find_grids(rows + second, 800.0)
    assert len(first.rows) == 3 and other.rows[1][0].startswith("1\t介護予防推進事業\t3,000")
