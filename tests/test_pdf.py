"""PDF input: fixture PDFs against their text twins, page and bbox, failures, determinism.

The fixtures in ``tests/fixtures/pdf/`` come from ``tests/make_pdf_fixtures.py``
(``make pdf-fixtures``); each readable ``<name>.pdf`` has a ``<name>.txt`` twin holding the
same content as a text file in reading order.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import sys

import pdfplumber
import pytest
from conftest import ROOT

from pipeline.output.rows import make_rows
from pipeline.output.tables import read_arrow_table
from pipeline.parse.document import extract_document
from pipeline.read.files import read_document
from pipeline.read.pdf import PAGE_NUMBER, TRACKED, Run, TableBlock, fill_table, map_glyph, read_pdf_bytes
from pipeline.records import ReadFailure, SourceDocument, SourceLine

PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"
READABLE = ["one_column", "two_column_boxes", "three_column_slide", "packet", "long_lines", "gutter_amounts",
            "gutter_amounts_narrow"]


@functools.lru_cache(maxsize=None)
def read_fixture(name: str) -> SourceDocument | ReadFailure:
    return read_document(PDF_DIR / name, PDF_DIR)


@functools.lru_cache(maxsize=None)
def extract_fixture(name: str):
    return extract_document(read_fixture(name))


def read_budgets(fixture: str) -> list[tuple[str, int | None, int | None]]:
    """The programs of a PDF fixture that reads as ``ok``: each one's name, budget and prior (yen)."""
    doc = extract_fixture(fixture)
    assert doc.status == "ok", doc.error
    return [(p.name, p.budget.yen if p.budget else None, p.prior.yen if p.prior else None) for p in doc.programs]


def program_record(p) -> dict:
    """Everything a program says, without where it sits (line numbers differ by format)."""
    b = p.budget
    return {
        "name": p.name,
        "name_raw": p.name_raw.replace("\n", ""),
        "budget": (b.amount, b.unit, b.qualifier) if b else None,
        "flags": p.flags,
        "rates": [(r.numerator, r.denominator, r.condition) for r in p.subsidy_rates],
        "funding_scheme": p.funding_scheme,
        "section": p.section,
        "subsection": p.subsection,
        "fiscal_year": p.fiscal_year,
        "budget_basis": p.budget_basis,
        "numbering": p.numbering,
        "description": p.description,
        "items": [(i.kind, i.text, i.flags, [(r.numerator, r.denominator) for r in i.subsidy_rates]) for i in p.items],
    }


@pytest.mark.parametrize("name", READABLE)
def test_pdf_gives_the_same_programs_as_its_text_twin(name):
    pdf = extract_fixture(f"{name}.pdf")
    txt = extract_fixture(f"{name}.txt")
    assert pdf.status == "ok", pdf.error
    assert txt.programs, "the twin must hold programs"
    assert [program_record(p) for p in pdf.programs] == [program_record(p) for p in txt.programs]
    assert (pdf.title, pdf.fiscal_year, pdf.budget_basis, pdf.reading_order) == (
        txt.title, txt.fiscal_year, txt.budget_basis, txt.reading_order)
    assert pdf.reading_order == "coherent"
    assert [(t.stated_thousand_yen, t.computed_thousand_yen) for t in pdf.totals] == [
        (t.stated_thousand_yen, t.computed_thousand_yen) for t in txt.totals]


@pytest.mark.parametrize("name", [n for n in READABLE if not n.startswith("gutter_amounts")])  # (amounts far right
# of their names: the reader gives them lines of their own, the twin one line with a space)
def test_pdf_lines_follow_the_twin(name):
    """The reader's lines, blanks aside, are the twin's printed lines, wrapped."""
    pdf_text = "".join(line.text for line in read_fixture(f"{name}.pdf").lines)
    twin = (PDF_DIR / f"{name}.txt").read_text(encoding="utf-8")
    assert pdf_text == "".join(twin.split("\n")).replace("　", " ")


# The slide like raw/r08: three columns of boxes with title bands, drawn in a shuffled order.
R08_SLIDE = {
    "区市町村在宅療養推進事業": ("地域における在宅療養体制の確保", "区市町村等への支援", 557263, ("拡充",)),
    "災害時在宅医療提供体制強化事業": ("地域における在宅療養体制の確保", "区市町村等への支援", 28353, ()),
    "在宅療養普及事業（在宅療養体制づくり支援事業）": ("地域における在宅療養体制の確保", "区市町村等への支援", 56001, ("新規",)),
    "在宅療養体制支援医療機関緊急整備事業": ("地域における在宅療養体制の確保", "医療機関への支援", 124000, ("新規",)),
    "入退院時連携強化事業": ("在宅療養生活への円滑な移行の促進", None, 144948, ()),
    "在宅医療参入促進事業": ("医療・介護に関わる人材の確保・育成", None, 9385, ()),
    "小児等在宅医療推進研修事業": ("小児等在宅医療に対する取組", None, 17220, ()),
    "ACP推進事業": ("ACPに関する取組", None, 11847, ()),
    "在宅医療現場におけるハラスメント対策事業": ("在宅医療従事者の安全確保に関する取組", None, 48633, ()),
    "東京都在宅療養推進会議等の開催": ("東京都在宅療養推進会議等の開催", None, None, ()),
    "広域連携支援": ("東京都在宅療養推進会議等の開催", None, None, ()),
}


def test_r08_like_slide_gives_sections_right():
    result = extract_fixture("three_column_slide.pdf")
    assert result.title == "令和8年度 在宅療養推進に向けた都の取組"
    assert (result.fiscal_year, result.budget_basis, result.fiscal_year_source) == (2026, "予算額（案）", "legend")
    got = {
        p.name: (p.section, p.subsection, p.budget.amount if p.budget else None, p.flags)
        for p in result.programs
    }
    assert got == R08_SLIDE
    program = next(p for p in result.programs if p.name == "区市町村在宅療養推進事業")
    assert [(r.numerator, r.denominator, r.condition) for r in program.subsidy_rates] == [
        (10, 10, None), (1, 2, "4年目以降")]


def test_stream_order_is_really_scrambled():
    """The two-column fixture draws bands last and boxes shuffled: the stream order is useless."""
    with pdfplumber.open(PDF_DIR / "two_column_boxes.pdf") as pdf:
        stream = "".join(c["text"] for c in pdf.pages[0].chars)
    assert not stream.startswith("令和７年度")
    assert stream.index("地域における在宅療養体制の確保") > stream.index("■区市町村在宅療養推進事業")
    assert stream.index("在宅療養生活への円滑な移行の促進") > stream.index("【56,00")


def test_section_carries_across_a_page_break():
    result = extract_fixture("two_column_boxes.pdf")
    by_name = {p.name: p for p in result.programs}
    for name in ("小児等在宅医療推進部会", "小児等在宅医療推進事業", "切れ目のない在宅医療体制整備支援事業"):
        assert by_name[name].span.page == 2
        assert by_name[name].section == "小児等在宅医療に対する取組"
    assert by_name["小児等在宅医療推進研修事業"].span.page == 1


def test_budget_split_over_two_lines_is_one_budget():
    for name in ("two_column_boxes.pdf", "three_column_slide.pdf", "long_lines.pdf"):
        doc = read_fixture(name)
        texts = [line.text for line in doc.lines]
        assert "【56,00" in texts and "1千円（内数）】" in texts
        program = next(p for p in extract_fixture(name).programs if p.name.startswith("在宅療養普及事業"))
        assert (program.budget.amount, program.budget.qualifier) == (56001, "内数"), name
        split = texts.index("【56,00") + 1
        assert program.span.line_start < split < split + 1 <= program.span.line_end


def test_every_program_has_page_and_bbox_inside_its_page():
    for name in READABLE:
        doc = read_fixture(f"{name}.pdf")
        with pdfplumber.open(PDF_DIR / f"{name}.pdf") as pdf:
            sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
        rows = make_rows(extract_fixture(f"{name}.pdf"))
        for row in rows["programs"] + rows["program_items"]:
            assert row["page"] is not None and row["bbox"] is not None, (name, row)
            x0, top, x1, bottom = row["bbox"]
            width, height = sizes[row["page"] - 1]
            assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height
        assert [line.number for line in doc.lines] == list(range(1, len(doc.lines) + 1))
        assert all((line.bbox is None) == (line.text == "") for line in doc.lines)


def test_bbox_is_where_the_program_is_printed():
    """Three columns on a 842-point-wide page: each program's box lies in its column."""
    result = extract_fixture("three_column_slide.pdf")
    column = {p.name: int(p.span.bbox[0] // (842 / 3)) for p in result.programs}
    assert column["区市町村在宅療養推進事業"] == 0
    assert column["入退院時連携強化事業"] == 1 and column["小児等在宅医療推進研修事業"] == 1
    assert column["ACP推進事業"] == 2 and column["広域連携支援"] == 2
    for p in result.programs:
        x0, top, x1, bottom = p.span.bbox
        assert x1 - x0 < 842 / 3 and p.span.page == 1
    acp = next(p for p in result.programs if p.name == "ACP推進事業")
    harassment = next(p for p in result.programs if p.name == "在宅医療現場におけるハラスメント対策事業")
    assert acp.span.bbox[3] < harassment.span.bbox[1]  # one box above the other
    # the budget on the next line is part of the program's box
    with pdfplumber.open(PDF_DIR / "three_column_slide.pdf") as pdf:
        words = pdf.pages[0].search("【11,847千円】")
    assert words and acp.span.bbox[1] <= words[0]["top"] and words[0]["bottom"] <= acp.span.bbox[3] + 0.01


def test_title_and_legend_are_found_where_they_sit():
    # the legend sits in the bottom right corner of page 1 of the two-column slide
    lines = [line for line in read_fixture("two_column_boxes.pdf").lines if line.text]
    assert [line.text for line in lines[:2]] == ["令和７年度 在宅療養推進に向けた都の取組", "【 】：令和７年度 予算額"]
    assert lines[1].bbox[1] > 500
    result = extract_fixture("two_column_boxes.pdf")
    assert (result.fiscal_year, result.budget_basis, result.fiscal_year_source) == (2025, "予算額", "legend")


def test_running_headers_footers_and_page_numbers_are_not_content():
    for name, furniture in (
        ("one_column.pdf", ["東京都保健医療局 医療政策部", "- 1 -", "- 2 -"]),
        ("two_column_boxes.pdf", ["東京都保健医療局 医療政策部", "1", "2"]),
        ("three_column_slide.pdf", ["3"]),
        ("packet.pdf", ["資料5", "- 1 -", "- 2 -", "- 3 -"]),
    ):
        texts = [line.text for line in read_fixture(name).lines]
        for text in furniture:
            assert text not in texts, (name, text)
    assert PAGE_NUMBER.match("- 12 -") and PAGE_NUMBER.match("3 / 12") and not PAGE_NUMBER.match("令和7年")
    assert PAGE_NUMBER.match("― 60 ―") and PAGE_NUMBER.match("－１２－")  # a budget book's foot (nankoku_r8, U+2015)


def test_ruled_tables_stay_tables():
    lines = [line.text for line in read_fixture("packet.pdf").lines]
    start = lines.index("氏名\t所属")
    assert lines[start:start + 4] == [
        "氏名\t所属",
        "相田 里香\t特定非営利活動法人東京都介護支援専門員研究協議会 理事長",
        "秋山 正子\t株式会社ケアーズ 白十字訪問看護ステーション 統括所長",
        "鈴木 央\t鈴木内科医院 院長",
    ]
    assert lines[start - 1] == "" and lines[start + 4] == ""
    assert "区分\t人数\t日数" in lines and "合計\t153人\t284.0日" in lines
    names = [p.name for p in extract_fixture("packet.pdf").programs]
    assert not any("\t" in n or n.startswith(("相田", "他ST")) for n in names)


def test_packet_numbered_programs_and_total_across_pages():
    result = extract_fixture("packet.pdf")
    got = [(p.numbering, p.name, p.budget.amount if p.budget else None, p.span.page) for p in result.programs]
    assert got[:4] == [
        ("(1)", "訪問看護人材確保事業", 4347, 1),
        ("(2)", "地域における教育ステーション事業", 47711, 1),
        ("2", "訪問看護ステーション代替職員（産休等）確保支援事業", 20988, 2),
        ("3", "新任訪問看護師育成支援事業", 7032, 2),
    ]
    assert [(t.stated_thousand_yen, t.computed_thousand_yen) for t in result.totals] == [(80078, 80078)]
    last = result.programs[-1]
    assert (last.section, last.span.page) == ("地域における在宅療養体制の確保", 3)
    assert last.funding_scheme == "保健医療政策区市町村包括補助（選択：提案型）"


def test_wide_tracked_headings_are_closed_up():
    texts = [line.text for line in read_fixture("packet.pdf").lines]
    assert "委員名簿" in texts and "事業実績" in texts
    assert TRACKED.sub(lambda m: m.group().replace(" ", ""), "1 開 会") == "1 開会"
    assert TRACKED.sub(lambda m: m.group().replace(" ", ""), "相田 里香") == "相田 里香"


def test_symbol_font_glyphs_are_mapped():
    assert map_glyph("\uf0fc") == "✓"
    assert map_glyph("\uf06e") == "\uf06e"  # segment.PROGRAM_MARK takes it as ■
    assert map_glyph("在") == "在"


@pytest.mark.parametrize("name,status,page", [
    ("scanned_page.pdf", "no_text_layer", "page 2"),
    ("private_use_text.pdf", "unreadable_text", "page 2"),
    ("cid_text.pdf", "unreadable_text", "page 2"),
    ("encrypted.pdf", "encrypted_pdf", None),
])
def test_unreadable_pdfs_get_a_status_not_records(name, status, page):
    doc = read_fixture(name)
    assert isinstance(doc, ReadFailure)
    assert doc.status == status
    if page:
        assert page in doc.error
    result = extract_document(doc)
    assert result.status == status and result.programs == ()


def test_cid_and_private_use_fixtures_really_are_garbage():
    with pdfplumber.open(PDF_DIR / "cid_text.pdf") as pdf:
        assert pdf.pages[1].chars[0]["text"].startswith("(cid:")
    with pdfplumber.open(PDF_DIR / "private_use_text.pdf") as pdf:
        assert "\ue000" <= pdf.pages[1].chars[0]["text"] <= "\uf8ff"
        assert pdf.pages[0].extract_text() == "Meeting materials 2025"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj <<", b"not a pdf at all", b""])
def test_corrupt_pdf(data):
    doc = read_pdf_bytes("bad.pdf", "pdf", data)
    assert isinstance(doc, ReadFailure) and doc.status == "corrupt_pdf"


def test_truncated_pdf_is_corrupt():
    data = (PDF_DIR / "one_column.pdf").read_bytes()
    doc = read_pdf_bytes("cut.pdf", "pdf", data[: len(data) // 3])
    assert isinstance(doc, ReadFailure) and doc.status == "corrupt_pdf"


def test_reading_is_deterministic():
    data = (PDF_DIR / "two_column_boxes.pdf").read_bytes()
    assert read_pdf_bytes("a.pdf", "pdf", data) == read_pdf_bytes("a.pdf", "pdf", data)


def test_regenerating_fixtures_reproduces_them_byte_for_byte(tmp_path):
    pytest.importorskip("reportlab")
    pytest.importorskip("japanize_matplotlib")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "make_pdf_fixtures.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in PDF_DIR.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (PDF_DIR / name).read_bytes(), name


def test_extract_folder_with_pdfs(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    for name in ("three_column_slide.pdf", "scanned_page.pdf", "encrypted.pdf"):
        shutil.copy(PDF_DIR / name, raw / name)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "ok   three_column_slide.pdf: 11 programs" in proc.stdout
    assert "FAIL scanned_page.pdf: no_text_layer: page 2" in proc.stdout
    assert "FAIL encrypted.pdf: encrypted_pdf" in proc.stdout
    docs = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
    assert docs["three_column_slide.pdf"]["format"] == "pdf"
    assert docs["three_column_slide.pdf"]["reading_order"] == "coherent"
    programs = read_arrow_table(out / "programs.parquet").to_pylist()
    assert len(programs) == 11
    assert all(p["page"] == 1 and len(p["bbox"]) == 4 for p in programs)
    assert {p["source"] for p in programs} == {"three_column_slide.pdf"}


def test_every_pdf_failure_kind_through_a_whole_run(tmp_path, monkeypatch, capsys):
    """Each failure costs its own document only; the good PDF and the text file are extracted."""
    import pipeline.read.pdf as pdf_module
    from pipeline.run.folder import run_extract

    raw = tmp_path / "in"
    raw.mkdir()
    for name in ("three_column_slide.pdf", "scanned_page.pdf", "encrypted.pdf", "private_use_text.pdf",
                 "cid_text.pdf"):
        shutil.copy(PDF_DIR / name, raw / name)
    whole = (PDF_DIR / "one_column.pdf").read_bytes()
    (raw / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    (raw / "page.pdf").write_bytes(b"<html><body>404</body></html>")
    (raw / "notes.txt").write_text("■在宅療養推進事業【1,000千円】\n", encoding="utf-8")
    shutil.copy(PDF_DIR / "one_column.pdf", raw / "z_layout.pdf")
    real_read_pages = pdf_module.read_pages

    def read_pages_failing_on_z(data, *args, **kwargs):
        # Each document is read in its own forked process, so this breaks z_layout.pdf only.
        if data == whole:
            monkeypatch.setattr(pdf_module, "build_runs", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom")))
        return real_read_pages(data, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "read_pages", read_pages_failing_on_z)
    status = run_extract(raw, tmp_path / "out")
    out = capsys.readouterr().out
    assert status == 1
    docs = {d["source"]: d for d in read_arrow_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert {name: d["status"] for name, d in docs.items()} == {
        "cid_text.pdf": "unreadable_text",
        "cut.pdf": "corrupt_pdf",
        "encrypted.pdf": "encrypted_pdf",
        "notes.txt": "ok",
        "page.pdf": "not_pdf",
        "private_use_text.pdf": "unreadable_text",
        "scanned_page.pdf": "no_text_layer",
        "three_column_slide.pdf": "ok",
        "z_layout.pdf": "layout_error",
    }
    assert docs["z_layout.pdf"]["error"] == "page 1: ValueError: boom"
    assert all(d["error"] for d in docs.values() if d["status"] != "ok")
    assert "FAIL z_layout.pdf: layout_error: page 1: ValueError: boom" in out
    assert "9 documents" in out and "7 failed" in out
    programs = read_arrow_table(tmp_path / "out" / "programs.parquet").to_pylist()
    assert {p["source"] for p in programs} == {"three_column_slide.pdf", "notes.txt"}


def test_pdf_bytes_in_memory_and_on_disk_agree():
    data = (PDF_DIR / "packet.pdf").read_bytes()
    assert read_pdf_bytes("packet.pdf", "pdf", data) == read_fixture("packet.pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3


def test_vertical_writing_is_read_as_one_line():
    from pipeline.read.pdf import Segment, merge_vertical

    stacked = [Segment(100, 50 + 10 * i, 110, 60 + 10 * i, 10, ch) for i, ch in enumerate("地区医師会")]
    numbers = [Segment(300, 50 + 14 * i, 306, 60 + 14 * i, 10, str(i)) for i in range(3)]
    lines = [Segment(150, 50 + 14 * i, 160, 60 + 14 * i, 10, ch) for i, ch in enumerate("上下")]
    merged = merge_vertical(stacked + numbers + lines)
    assert [s.text for s in merged] == ["地区医師会", "0", "1", "2", "上", "下"]
    assert (merged[0].top, merged[0].bottom) == (50, 100)


def test_first_heading_line_of_a_box_without_band_is_its_section():
    lines = read_fixture("two_column_boxes.pdf").lines
    i = next(k for k, line in enumerate(lines) if line.text == "在宅医療従事者の安全確保に関する取組")
    assert lines[i + 1].text == ""  # printed without extra space below it, read as a heading
    program = next(p for p in extract_fixture("two_column_boxes.pdf").programs
                   if p.name == "在宅医療現場におけるハラスメント対策事業")
    assert (program.section, program.budget.amount, program.span.page) == ("在宅医療従事者の安全確保に関する取組", 48633, 2)


def test_repeated_budget_labels_at_the_top_are_not_headers():
    from pipeline.read.pdf import PageLine, PageText, drop_page_furniture

    def page(n: int, label: str) -> PageText:
        return PageText(n, 842.0, 595.0, [
            PageLine(label, (600.0, 20.0, 800.0, 30.0), 10.0, 0),
            PageLine("資料6", (780.0, 5.0, 810.0, 15.0), 10.0, 0),
            PageLine("■区市町村在宅療養推進事業", (40.0, 100.0, 300.0, 110.0), 10.0, 0),
            PageLine(f"{n}", (820.0, 575.0, 830.0, 585.0), 9.0, 0),
        ])

    pages = [page(1, "R8予算額（案）：557,263千円"), page(2, "R8予算額（案）：124,000千円")]
    drop_page_furniture(pages, keep=set())
    assert [[line.text for line in p.lines] for p in pages] == [
        ["R8予算額（案）：557,263千円", "■区市町村在宅療養推進事業"],
        ["R8予算額（案）：124,000千円", "■区市町村在宅療養推進事業"],
    ]


def test_pdf_without_any_text_or_image_is_empty():
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.rect(50, 50, 100, 100)
    c.showPage()
    c.save()
    doc = read_pdf_bytes("blank.pdf", "pdf", buf.getvalue())
    assert isinstance(doc, ReadFailure) and doc.status == "empty"


def test_a_layout_bug_is_named_not_called_corrupt(monkeypatch):
    import pipeline.read.pdf as pdf_module

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(pdf_module, "build_runs", broken)
    doc = read_pdf_bytes("a.pdf", "pdf", (PDF_DIR / "one_column.pdf").read_bytes())
    assert isinstance(doc, ReadFailure)
    assert (doc.status, doc.error) == ("layout_error", "page 1: ValueError: boom")


def test_marker_highlight_does_not_split_its_line():
    """A filled rect behind the first words of a line, drawn after the rest, is no box."""
    with pdfplumber.open(PDF_DIR / "one_column.pdf") as pdf:
        assert any(r["fill"] and r["x1"] - r["x0"] < 200 for r in pdf.pages[0].rects)  # the marker is there
    texts = [line.text for line in read_fixture("one_column.pdf").lines]
    assert "地域における在宅療養体制の構築を図るため、区市町村が実施する以下の取組を支援する。" in texts


def raise_memory_error(*args, **kwargs):
    raise MemoryError


@pytest.mark.parametrize("engine,target", [
    ("pdfplumber", "pdfplumber.pdf.PDFDocument"),
    ("pdfplumber", "pipeline.read.pdf.lay_out_page"),
    ("pdfium", "pipeline.read.pdfium_pages.read_page"),
    ("pdfium", "pipeline.read.pdf.lay_out_page"),
])
def test_a_pdf_that_exhausts_memory_is_too_large_not_corrupt(tmp_path, monkeypatch, engine, target):
    """Memory running out while the engine parses the file, or while a page is laid out, is the memory limit."""
    from pipeline.records import Limits
    from pipeline.run.workers import extract_file

    shutil.copy(PDF_DIR / "one_column.pdf", tmp_path / "big.pdf")
    monkeypatch.setattr(target, raise_memory_error)
    rows, cacheable = extract_file(tmp_path / "big.pdf", tmp_path, "d", Limits(), engine)
    doc = rows["documents"][0]
    assert (doc["status"], cacheable) == ("too_large", False), doc["error"]
    assert "--max-memory" in doc["error"]


def make_table_row(cells: list[list[tuple[float, str]]], xs: list[float]) -> tuple[TableBlock, list[Run]]:
    """One ruled row (top 100, bottom 200) whose cells hold the given (top, text) runs."""
    runs = [Run(xs[i] + 1, top, xs[i] + 1 + 5 * len(text), top + 6, 6, text)
            for i, cell in enumerate(cells) for top, text in cell]
    boxes = [(xs[i], 100.0, xs[i + 1], 200.0) for i in range(len(xs) - 1)]
    return TableBlock(xs[0], 100, xs[-1], 200, [boxes], [(xs[0], 100, xs[-1], 200)]), runs


def test_a_ruled_row_holding_numbers_one_above_another_is_one_row_a_number():
    """nobeoka_r8_hosei-gaiyo p.6 draws 「1」「2」 in the 「№」 cell of one ruled row, the two programs'
    names, figures and flags beside them with no rule between: each number is a row of its own, cut
    where the other cells leave the widest gap."""
    table, runs = make_table_row([
        [(120, "1"), (170, "2")],
        [(110, "ワーカーズ支援事業"), (118, "【地域政策課】"), (162, "南延岡駅整備事業"), (176, "【地域政策課】")],
        [(170, "新")],
        [(120, "700"), (170, "340")],
    ], [0, 20, 120, 140, 180])
    fill_table(table, runs)
    assert [text for text, _ in table.rows] == ["1\tワーカーズ支援事業【地域政策課】\t\t700", "2\t南延岡駅整備事業【地域政策課】\t新\t340"]
    (_, (_, top1, _, bottom1)), (_, (_, top2, _, bottom2)) = table.rows
    assert top1 == 100 and bottom1 == top2 and 124 < top2 < 162 and bottom2 == 200


@pytest.mark.parametrize("numbers", [["1", "3"], ["2", "1"], ["1", "番"]])
def test_a_ruled_row_whose_numbers_do_not_count_up_stays_whole(numbers):
    table, runs = make_table_row([[(120, numbers[0]), (170, numbers[1])], [(120, "甲事業"), (170, "乙事業")]], [0, 20, 120])
    fill_table(table, runs)
    assert len(table.rows) == 1


def test_a_slide_whose_title_names_a_program_is_that_program():
    """Each slide's title names its program; 「■目的」 and 「■事業内容」 are its fields, no programs; its budget
    stands in a box at the slide's foot, under the white after the last bullet, and is the slide's program's."""
    doc = extract_fixture("program_slides.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.prior.yen if p.prior else None, p.prior_fiscal_year,
            p.flags, p.fiscal_year, [i.text for i in p.items]) for p in doc.programs]
    assert got == [
        ("ヤングケアラー支援事業", 20_000_000, None, None, ("新規",), 2025,
         ["コーディネーターの配置（2名）", "ピアサポート事業の実施"]),
        ("医療的ケア児支援センター運営事業", 15_000_000, 12_000_000, 2024, ("拡充",), 2025,
         ["相談支援体制の強化", "関係機関向け研修の実施"]),
    ]


def test_a_slide_s_last_point_over_its_budget_box_is_no_program():
    """Points printed one a line without marks, the last right over the budget box at the slide's foot
    (「支援者向け研修の実施」 over 「令和７年度予算額　１５，０００千円」): the budget is the slide's program's, named by
    its title; the last point is no program of its own."""
    doc = extract_fixture("slides_unmarked_points.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.flags, p.fiscal_year) for p in doc.programs]
    assert got == [("ケアラー支援推進事業", 15_000_000, ("新規",), 2025), ("フレイル予防推進事業", 8_200_000, (), 2025)]


def test_a_ruled_table_s_group_rows_merged_across_it_name_the_groups_of_its_rows():
    """Rows merged across a ruled table (「【子育て支援】」, 「高齢者福祉」) are the groups of the programs below them,
    each with its budget; the table goes on past them."""
    doc = extract_fixture("table_group_rows.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.subsection) for p in doc.programs]
    assert got == [("保育所運営事業", 1_000_000, "子育て支援"), ("病児保育事業", 500_000, "子育て支援"),
                   ("介護予防事業", 800_000, "高齢者福祉")]


def test_an_amount_set_in_under_its_name_stays_in_its_column():
    """In three columns, 「4,100万円」 set in under 「○重層的支援体制整備事業」 stands on a row with the column before's
    「事業」 (the end of a wrapped name): it is its own column's program's amount, not that name's."""
    doc = extract_fixture("three_columns_set_in.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None) for p in doc.programs]
    assert got == [("出産応援ギフト支給事業", 25_000_000), ("こども医療費助成事業", 180_000_000),
                   ("帯状疱疹ワクチン接種費助成事業", 32_000_000), ("がん検診無料クーポン事業", 6_000_000),
                   ("重層的支援体制整備事業", 41_000_000), ("避難行動要支援者支援事業", 3_500_000)]


def test_an_unruled_table_is_read_under_a_title_of_words_set_apart():
    """A table without rules, told by its header, under a title whose words stand apart as cells
    (「令和７年度　健康福祉部　主要事業」): the title is no header; each row is a program with its budget, the
    previous year's and the change."""
    doc = extract_fixture("unruled_table_under_title.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.prior.yen if p.prior else None,
            p.change.yen if p.change else None) for p in doc.programs]
    assert got == [("地域包括支援センター運営事業", 48_000_000, 45_000_000, 3_000_000),
                   ("認知症カフェ運営支援事業", 2_400_000, 0, 2_400_000), ("介護予防普及啓発事業", 5_000_000, 5_500_000, -500_000)]


def test_a_supplement_s_uncoded_explanation_rows_are_its_programs():
    """A supplement's 説明 column listing its programs without numbers (「地域福祉計画策定事業　12,000」, in 千円):
    each is a program with the sum the supplement adds."""
    doc = extract_fixture("supplement_ledger_uncoded.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None) for p in doc.programs]
    assert got == [("物価高騰対策障害福祉サービス事業所支援金", 50_000_000), ("地域福祉計画策定事業", 12_000_000),
                   ("児童館空調設備改修事業", 8_500_000)]


def render_turned_page(rotation: int) -> bytes:
    """A portrait page of two programs whose text is drawn turned a quarter in the page's frame and shown
    upright, in landscape, by the page's /Rotate (90 or 270), as a landscape page is often stored."""
    sys.path.insert(0, str(ROOT / "tests"))
    import make_pdf_fixtures as fixtures
    from reportlab.pdfgen import canvas

    fixtures.register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=fixtures.A4, invariant=1)
    c.setPageRotation(rotation)
    c.rotate(rotation)  # the page turned by ``rotation`` as shown: the text reads upright
    x, y = (50, -60) if rotation == 90 else (50 - fixtures.A4[1], fixtures.A4[0] - 60)  # the shown page's top left
    for i, text in enumerate(["令和７年度 予算の概要", "■在宅療養研修事業【12,345千円】", "■地域包括ケア推進事業【5,000千円】"]):
        c.setFont(fixtures.FONT, 12)
        c.drawString(x, y - 24 * i, text)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("rotation", [90, 270])
def test_a_page_turned_by_its_rotate_reads_as_it_is_shown(rotation):
    doc = extract_document(read_pdf_bytes("turned.pdf", "pdf", render_turned_page(rotation)))
    assert doc.status == "ok", doc.error
    assert [(p.name, p.budget.yen) for p in doc.programs] == [("在宅療養研修事業", 12_345_000), ("地域包括ケア推進事業", 5_000_000)]


def turn_box(box, width, height, rotation):
    """A box of the upright page on the page its /Rotate ``rotation`` (clockwise) shows ``width`` by ``height``:
    the box of its corners, each turned."""
    def turn(x, y):  # a point of the upright page, on the page as shown
        return {90: (width - y, x), 180: (width - x, height - y), 270: (y, height - x)}[rotation]

    x0, top, x1, bottom = box
    xs, ys = zip(*(turn(x, y) for x in (x0, x1) for y in (top, bottom)))
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_page_its_rotate_shows_upside_down_or_sideways_is_read_as_drawn(rotation, engine):
    """A page drawn upright and then turned by its /Rotate shows its text upside down (180) or sideways (90, 270):
    read as drawn, it gives the lines and programs of the upright page, its headers and footers dropped as there,
    with a warning; each line's box, and the page's size, are the page's as shown."""
    import pypdfium2

    source = PDF_DIR / "one_column.pdf"
    pdf = pypdfium2.PdfDocument(str(source))
    for page in pdf:
        page.set_rotation(rotation)
    buf = io.BytesIO()
    pdf.save(buf)
    upright = read_pdf_bytes("one_column.pdf", "pdf", source.read_bytes(), engine)
    turned = read_pdf_bytes("turned.pdf", "pdf", buf.getvalue(), engine)
    assert isinstance(upright, SourceDocument) and isinstance(turned, SourceDocument)
    assert [line.text for line in turned.lines] == [line.text for line in upright.lines]
    shown = "upside down" if rotation == 180 else "sideways"
    assert any(f"shown {shown}" in w and f"/Rotate {rotation}" in w for w in turned.warnings)
    width, height = upright.page_sizes[0]
    assert turned.page_sizes[0] == ((height, width) if rotation in (90, 270) else (width, height))
    width, height = turned.page_sizes[0]
    for a, b in zip(upright.lines, turned.lines):
        if a.bbox is not None:
            assert b.bbox is not None
            assert b.bbox == pytest.approx(turn_box(a.bbox, width, height, rotation), abs=0.3)
    programs = extract_document(turned).programs
    assert programs and [p.name for p in programs] == [p.name for p in extract_document(upright).programs]


@pytest.mark.parametrize("quarter", [90, -90])
def test_text_drawn_sideways_on_a_page_shown_upright_is_read_turned(quarter):
    """Text drawn turned a quarter, either way, on a page with no /Rotate runs sideways as shown: it is read as a
    reader reads it, the page turned till the text is upright and runs left to right, and says so; the lines keep
    their boxes on the page as it is."""
    sys.path.insert(0, str(ROOT / "tests"))
    import make_pdf_fixtures as fixtures
    from reportlab.pdfgen import canvas

    fixtures.register_font()
    width, height = fixtures.A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=fixtures.A4, invariant=1)
    if quarter == 90:
        c.rotate(90)
        origin = (60, -60)
    else:
        c.translate(0, height)
        c.rotate(-90)
        origin = (60, width - 60)
    for i, text in enumerate(["令和７年度 予算の概要", "■在宅療養研修事業【12,345千円】", "■地域包括ケア推進事業【5,000千円】"]):
        c.setFont(fixtures.FONT, 12)
        c.drawString(origin[0], origin[1] - 24 * i, text)
    c.showPage()
    c.save()
    doc = read_pdf_bytes("sideways.pdf", "pdf", buf.getvalue())
    assert isinstance(doc, SourceDocument)
    texts = [line.text for line in doc.lines if line.text]
    assert texts == ["令和７年度 予算の概要", "■在宅療養研修事業【12,345千円】", "■地域包括ケア推進事業【5,000千円】"]
    assert any("drawn sideways" in w for w in doc.warnings)
    x0, top, x1, bottom = next(line.bbox for line in doc.lines if line.text)
    assert bottom - top > x1 - x0  # a sideways line is tall on the page as it is shown
    programs = extract_document(doc).programs
    assert [(p.name, p.budget.yen) for p in programs] == [("在宅療養研修事業", 12345000), ("地域包括ケア推進事業", 5000000)]


@pytest.mark.parametrize("name", ["ledger_wrapped_names.pdf", "ledger_bracketed_codes.pdf", "ledger_unit_row.pdf",
                                  "ledger_one_edge.pdf"])
def test_a_budget_book_s_wrapped_names_keep_their_amounts_and_paths(name):
    """A 説明 column's long names wrap, the amount at the end of the second line (「2 生活困窮者自立支」 over
    「援事業 359,911」): each 事業 has its whole name and amount, under its 細目's whole name; its rows numbered
    「001」 and 「1」, or 「(1)」 and 「①」; the unit over the 説明 column, or in a row of units under the header
    over every amount column but the 説明 column (「千円　千円　千円」); every amount flush right at one edge, a 事業
    set in from its 細目 (a 細目 is no program of its own, its amount the sum of its 事業's), under a heading that
    follows the book's own words (「令和７年度　一般会計　歳出　３款　民生費　　１項　社会福祉費」)."""
    doc = extract_fixture(name)
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.section_path) for p in doc.programs]
    welfare, disability = ("民生費", "社会福祉費", "社会福祉総務費"), ("民生費", "社会福祉費", "障害者福祉費")
    assert got == [
        ("社会福祉総務事務費", 151_200_000, welfare),
        ("民生委員活動事業", 12_345_000, (*welfare, "地域福祉推進費")),
        ("生活困窮者自立支援事業", 359_911_000, (*welfare, "地域福祉推進費")),
        ("障害者自立支援給付事業", 2_100_000_000, (*disability, "障害者自立支援給付費")),
        ("地域生活支援事業", 245_678_000, (*disability, "障害者自立支援給付費")),
    ]


def test_a_group_cell_merged_down_the_rows_leaves_each_row_its_own_program():
    """A 「分野」 cell merged down over its programs' rows (「子育て」 over two rows): each row below the merged
    cell's first is a row of its own, not text added to the first row's cells (which lost every program)."""
    doc = extract_fixture("table_merged_group_cells.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None) for p in doc.programs]
    assert got == [("保育所等整備事業", 120_000_000), ("放課後児童クラブ運営事業", 65_400_000), ("がん検診推進事業", 22_800_000),
                   ("予防接種事業", 150_200_000), ("母子保健事業", 9_700_000)]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_an_account_cell_merged_down_the_rows_gives_each_row_the_account_at_its_height(engine):
    """A 「款・項・目」 cell merged down over a 款's programs' rows prints each row's 項 and 目 at that row's height where
    they change (「(3)老人福祉費」 level with the third row): each program is given the account of its row, or of the row
    above where its own prints none; a 目 wrapped onto a line reaching into the next row (「(2)こども保育」 over 「総務費」)
    stays whole. Read as one cell of the first row, the whole cell was no account at all."""
    doc = extract_document(read_document(PDF_DIR / "table_merged_account_cells.pdf", PDF_DIR, pdf_engine=engine))
    welfare, children = ("民生費", "社会福祉費"), ("民生費", "児童福祉費", "こども保育総務費")
    assert [(p.name, p.budget.yen if p.budget else None, p.section_path) for p in doc.programs] == [
        ("地域福祉推進事業", 3_000_000, (*welfare, "社会福祉総務費")), ("民生委員活動事業", 1_200_000, (*welfare, "社会福祉総務費")),
        ("介護予防推進事業", 5_400_000, (*welfare, "老人福祉費")), ("高齢者見守り事業", 600_000, (*welfare, "老人福祉費")),
        ("保育所整備事業", 30_000_000, children), ("病児保育事業", 900_000, children)]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_text_in_a_font_the_pdf_does_not_embed_is_read_whatever_fonts_the_machine_has(engine):
    """A vertical Japanese font named but not embedded (「Ryumin-Light」, ``Identity-V``): PDFium, given no font for
    it (a machine without Japanese fonts), left the first column out; it is given one of the package's own, so
    every line is read, as pdfminer reads them."""
    doc = read_document(PDF_DIR / "font_not_embedded.pdf", PDF_DIR, pdf_engine=engine)
    assert isinstance(doc, SourceDocument)
    assert [line.text for line in doc.lines if line.text] == [
        "令和７年度 主な事業", "■介護予防普及啓発事業【5,000千円】", "■認知症カフェ運営支援事業【2,400千円】"]
    assert extract_document(doc).fiscal_year == 2025


def test_a_table_s_header_printed_again_on_the_next_page_is_no_running_header():
    """A table's header row at the same height on both pages of its table (「事業名　予算額　前年度　概要」) is a row
    of the table, not a running header to drop: dropped, it left the rows without their columns' meaning."""
    assert read_budgets("table_header_on_every_page.pdf") == [
        ("子ども医療費助成事業", 191_174_000, 185_000_000), ("ひとり親家庭医療費助成事業", 40_500_000, 41_200_000),
        ("妊婦健康診査事業", 88_000_000, 86_300_000), ("産後ケア事業", 12_600_000, 9_800_000),
        ("乳幼児健康診査事業", 25_300_000, 25_300_000)]


def test_rows_without_rules_or_header_are_read_row_by_row():
    """Under 「（単位：千円）」, rows of a number and a name, a description and an amount far apart, no rules, no header:
    each row is a program with its amount and description. The layout read them a column at a time (names, then
    descriptions and amounts), and no amount met its name."""
    doc = extract_fixture("rows_without_rules_or_header.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.description) for p in doc.programs]
    assert got == [("認知症初期集中支援推進事業", 12_400_000, "専門職チームによる訪問支援"),
                   ("成年後見制度利用支援事業", 6_200_000, "申立費用等の助成"),
                   ("高齢者虐待防止ネットワーク事業", 1_100_000, "関係機関の連絡会議"),
                   ("介護予防普及啓発事業", 5_000_000, "介護予防教室の開催")]


def test_an_amount_far_right_of_its_name_with_notes_after_it_is_the_name_s():
    """「・子育て短期支援事業」 at the left, 「１，２００千円　（こども家庭課）」 far right on its row: one line, the program and
    its budget. The amounts were read as a column of their own under the names, and no program kept its budget."""
    doc = extract_fixture("amounts_with_notes_far_right.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.flags) for p in doc.programs]
    assert got == [("子育て短期支援事業", 1_200_000, ()), ("病児保育事業", 18_000_000, ("拡充",)),
                   ("障害児通所支援事業", 120_000_000, ())]


def test_an_amount_set_far_right_under_its_name_is_that_name_s():
    """A name, its amount set far right on the line below, its description under that: the amounts were read after
    every name, as a column of their own, and the second program was given the first's budget."""
    assert read_budgets("amounts_under_names_far_right.pdf") == [
        ("障害者グループホーム整備補助事業", 30_000_000, None), ("手話通訳者派遣事業", 2_400_000, None)]


def test_a_sheet_s_labels_in_a_column_of_their_own_are_read_with_their_values():
    """「事業名」, 「担当課」, 「予算額」 in a column left of their values: each label is read with its value, a field at a
    time. The labels were read first, then the values, and no program found."""
    doc = extract_fixture("sheet_labels_column.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.flags) for p in doc.programs]
    assert got == [("介護予防・日常生活支援総合事業", 125_000_000, ()), ("母子保健事業", 42_300_000, ("拡充",))]


def test_a_year_s_figure_set_in_under_a_heading_is_its_budget():
    """「令和８年度　3,600千円（令和７年度　3,000千円）」 set in under 「■ 避難行動要支援者支援事業」: the program's budget and
    prior. A PDF's line carries no indent mark, and the line was read as a program named 「令和8年度」."""
    assert read_budgets("year_figure_under_heading.pdf") == [
        ("避難行動要支援者支援事業", 3_600_000, 3_000_000), ("民生委員活動支援事業", 12_000_000, 11_500_000)]


def test_figures_alone_far_right_of_their_names_are_their_budgets():
    """Under 「（単位：千円）」, 「（１）民生委員活動支援事業」 with 「12,345」 far right on its row, and 「約２，５００万円」 far
    right of another: each figure goes back on its name's line. Alone on lines of their own, no figure was read as a
    budget."""
    assert read_budgets("unit_list_figures_far_right.pdf") == [
        ("民生委員活動支援事業", 12_345_000, None), ("ひきこもり支援推進事業", 8_000_000, None),
        ("社会福祉協議会補助事業", 25_000_000, None)]


def test_a_table_of_names_and_budgets_alone_is_a_table():
    """「事業名」 │ 「予算額（円）」 over names and budgets, no rules: a table of two columns, each row a program and its
    budget in yen. A table needed three columns, and the rows were left as prose."""
    assert read_budgets("two_column_table.pdf") == [
        ("高齢者肺炎球菌ワクチン接種事業", 12_345_000, None), ("骨髄移植ドナー支援事業", 700_000, None),
        ("風しん予防接種事業", 3_210_000, None)]


def test_a_table_of_one_program_is_a_table():
    """「事業名 │ 補正額 │ 主な内容」 over one row, no rules: a table of one program, its budget the sum the supplement
    adds. A table needed two rows, and the one row was left as prose, its budget unread."""
    assert read_budgets("one_row_table.pdf") == [("物価高騰対策支援事業", 50_000_000, None)]


def test_names_under_main_programs_beside_a_budget_header_are_a_table_s():
    """「施策 │ 主な事業 │ 予算額（百万円） │ 前年度（百万円）」, no rules: the names stand under 「主な事業」, the budgets and priors
    in 百万円. The header named no 事業名, and the table was read as prose, no budget read."""
    assert read_budgets("main_programs_column.pdf") == [
        ("医師確保対策推進事業", 412_500_000, 398_000_000), ("子ども医療費助成事業", 2_845_000_000, 2_790_200_000)]


def test_a_figure_after_its_budget_word_far_right_of_its_name_is_the_name_s():
    """「○ 新型コロナワクチン接種事業」 with 「補正額　△１２，０００」 far right on its row, alone under its ■ heading: one
    line, the program and the sum the supplement takes away. Read as a column of its own, the figure was no one's."""
    assert read_budgets("labelled_figures_far_right.pdf") == [
        ("物価高騰対策給付金事業", 1_161_055_000, None), ("新型コロナワクチン接種事業", -12_000_000, None)]


def test_a_header_set_wide_with_its_unit_and_a_flag_apart_in_a_name_cell():
    """「番号」 close before 「事 業 名」, 「予 算 額（千円）」 set wide with its unit after its last letter: the headers are their
    words, 「番号」 apart (it was run into 「事業名」, and no table found); 「新」 set apart before a name in its cell is the
    program's flag, not a part of its name."""
    doc = extract_fixture("tracked_header_with_units.pdf")
    assert doc.status == "ok", doc.error
    got = [(p.name, p.budget.yen if p.budget else None, p.prior.yen if p.prior else None, p.flags) for p in doc.programs]
    assert got == [("地域福祉計画推進事業", 3_200_000, 3_000_000, ()), ("生活困窮者支援事業", 15_000_000, 0, ("新規",))]


def test_a_unit_alone_under_each_amount_header_is_the_table_s_unit():
    """「（千円）　（千円）」 under 「事業名　令和８年度　令和７年度　概要」: the amounts are in 千円. Without a unit the
    table's budgets were left unread."""
    assert read_budgets("units_under_the_header.pdf") == [
        ("がん検診推進事業", 22_800_000, 21_000_000), ("特定健診受診率向上事業", 4_500_000, 4_200_000),
        ("健康ポイント事業", 3_000_000, 0)]


def test_years_under_one_budget_header_tell_the_budget_from_the_prior():
    """「予算額（千円）」 merged across two columns over 「令和８年度」 and 「令和７年度」: the document's year's column is
    the budget, the year before's the prior. The years were read into the header's own cell, and no budget read."""
    assert read_budgets("years_under_one_header.pdf") == [
        ("重層的支援体制整備事業", 41_000_000, 38_500_000), ("生活困窮者自立支援事業", 30_000_000, 29_000_000),
        ("民生委員活動支援事業", 12_300_000, 12_300_000)]


def test_amounts_centred_beside_a_name_of_two_lines_are_that_name_s():
    """In a table printed without rules, 「45,000」 set between 「障害者グループホーム整備」 and 「支援事業」: one row, the
    whole name with its amounts; a row whose last cell is empty (no 備考) is a row all the same."""
    assert read_budgets("unruled_amounts_centred.pdf") == [
        ("障害者グループホーム整備支援事業", 45_000_000, 30_000_000),
        ("医療的ケア児等コーディネーター配置事業", 6_000_000, 5_400_000), ("日中一時支援事業", 18_200_000, 18_200_000)]


def test_a_striped_table_is_read_under_its_shaded_header():
    """Rows shaded in turn (filled rects, no rules) under a shaded header 「事業名 予算額 前年度」: a row shaded or not
    is a row of the table."""
    assert read_budgets("striped_table.pdf") == [
        ("児童虐待防止対策事業", 9_500_000, 9_000_000), ("子育て短期支援事業", 2_200_000, 2_000_000),
        ("養育支援訪問事業", 3_100_000, 3_100_000)]


def read_placed_lines(placed: list[tuple[str, tuple[float, float, float, float] | None]]):
    """A one-page PDF's document of lines as its reader sets them down (an empty line where a break falls)."""
    lines = tuple(SourceLine(number, text, 1 if text else None, box) for number, (text, box) in enumerate(placed, start=1))
    return extract_document(SourceDocument("newsletter.pdf", "pdf", "0" * 16, 1, None, lines, (), ((595.0, 842.0),)))


def stacked(word: str, x: float, top: float, pitch: float, blanks: int) -> list:
    """A word set a letter a line down a page, each letter ``pitch`` below the one above, ``blanks`` empty lines between."""
    out: list = []
    for n, letter in enumerate(word):
        out += [("", None)] * (blanks if n else 0) + [(letter, (x, top + n * pitch, x + 14.0, top + n * pitch + 14.0))]
    return out


def test_a_heading_set_a_letter_a_line_is_one_word_and_a_title_set_in_columns_one_title():
    """A newsletter's section heading set down its margin a letter a line (「商」「工」「観」「光」, a line apart) is one
    heading, whatever the dictionary makes of its letters (「工観」 is no word: it was read as 「観光」); and a title set
    vertically in three columns side by side (「主要事業」 「令和二年度」 「音威子府村」) is one title, not three headings
    in a row: with the next section's heading (「農業」), four headings with nothing between read as a page whose order
    was lost, and every section was left out."""
    body = [("◆天塩川温泉施設設備整備事業［430 万円］", (110.0, 90.0, 300.0, 100.0)), ("", None),
            ("◇中小企業振興事業［1,160 万円］", (110.0, 120.0, 300.0, 130.0)), ("", None), ("", None)]
    title = stacked("主要事業", 57.0, 665.0, 31.0, 2) + [("", None)] * 2 + stacked("令和二年度", 107.0, 665.0, 23.0, 0) \
        + [("", None)] * 2 + stacked("音威子府村", 156.0, 665.0, 23.0, 0) + [("", None)] * 2
    farming = stacked("農業", 310.0, 86.0, 82.0, 1) + [("", None), ("◇農業基盤整備事業［715 万円］", (340.0, 90.0, 560.0, 100.0))]
    result = read_placed_lines(stacked("商工観光", 74.0, 86.0, 27.0, 1) + [("", None)] + body + title + farming)
    assert result.reading_order == "coherent"
    assert [(p.name, p.budget.yen if p.budget else None, p.section) for p in result.programs] == [
        ("天塩川温泉施設設備整備事業", 4_300_000, "商工観光"), ("中小企業振興事業", 11_600_000, "商工観光"),
        ("農業基盤整備事業", 7_150_000, "農業")]
