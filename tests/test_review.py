"""The review report: coverage, static offline pages, a real headless browser, PDF page images."""

from __future__ import annotations

import copy
import io
import os
import re
from pathlib import Path

import pytest
from conftest import RAW, ROOT

from pipeline.output.schema import ALL_TABLES
from pipeline.output.tables import read_folder, write_table
from pipeline.review.report import compute_coverage, generate_report, make_page_name

EXTRACTED = ROOT / "extracted"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
R08 = "r08_zaitaku-ryoyo-torikumi_program-list.txt"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    dest = tmp_path_factory.mktemp("review")
    generate_report(RAW, EXTRACTED, dest)
    return dest


def test_coverage_counts_non_blank_lines_inside_spans():
    lines = ((1, "表題"), (2, ""), (3, "■事業A【1,000千円】"), (4, "説明"), (5, "  "), (6, "注記"))
    cov = compute_coverage(lines, [{"line_start": 3, "line_end": 5}])
    assert (cov.used, cov.content) == (2, 4)
    assert cov.describe() == "50.0% (2 of 4 non-blank lines)"
    assert compute_coverage((), []).share is None
    # the heading a program's section was read from, and the detail-page lines of its rates, are used
    cov = compute_coverage(lines, [{"line_start": 3, "line_end": 3, "section_line": 1, "subsection_line": None,
                                    "rates_line_start": 6, "rates_line_end": 6}])
    assert (cov.used, cov.content) == (3, 4)


def test_report_files_and_coverage(report):
    names = sorted(p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file())
    docs = read_folder(EXTRACTED)["documents"]
    for d in docs:
        assert make_page_name(d["source"]) in names
    assert {"index.html", "budget_chart.png", "fonts/ipaexg.ttf"} <= set(names)
    page = (report / make_page_name(R08)).read_text(encoding="utf-8")
    lines = (RAW / R08).read_text(encoding="utf-8").splitlines()
    content = [i for i, t in enumerate(lines, 1) if t.strip()]
    progs = [p for p in read_folder(EXTRACTED)["programs"] if p["source"] == R08]
    used = {n for p in progs for n in range(p["line_start"], p["line_end"] + 1)}
    used |= {p[key] for p in progs for key in ("section_line", "subsection_line") if p[key]}
    assert any(p["section_line"] for p in progs)  # r08 has sections: their headings count
    expected = f"{sum(n in used for n in content) / len(content):.1%} ({sum(n in used for n in content)} of {len(content)} non-blank lines)"
    assert expected in page
    assert expected in (report / "index.html").read_text(encoding="utf-8")
    # every unused non-blank line is marked, and only those
    marked = {int(n) for n in re.findall(r'<div class="ln unused" id="L(\d+)"', page)}
    assert marked == {n for n in content if n not in used}
    # the 557,263 budget sits beside its source line
    assert "557,263 千円" in page and 'id="L7"' in page


def test_report_is_static_offline_and_reproducible(report, tmp_path):
    generate_report(RAW, EXTRACTED, tmp_path)
    for path in report.rglob("*"):
        if path.is_file():
            assert (tmp_path / path.relative_to(report)).read_bytes() == path.read_bytes(), path.name
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            assert "http://" not in text and "https://" not in text
            assert "<script" not in text and "<link" not in text
            assert str(ROOT) not in text and "/tmp" not in text


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="Debian chromium is installed by `make test` (in CI a missing browser fails)")
def test_report_in_headless_chromium(report, tmp_path):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    programs = [p for p in read_folder(EXTRACTED)["programs"] if p["source"] == R08]
    shot = tmp_path / "r08.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto((report / "index.html").as_uri())
            assert page.title() == "Extraction review"
            assert page.locator("table.grid").first.locator("tr").count() == 1 + 5
            page.click(f"text={R08}")
            assert page.url.endswith(make_page_name(R08))
            listed = page.locator("ol.programs li a").all_inner_texts()
            assert listed == [p["name"] for p in sorted(programs, key=lambda r: r["ordinal"])]
            assert page.locator(".card").count() == len(programs)
            assert page.locator(".card h3").first.inner_text() == "1. 区市町村在宅療養推進事業"
            page.evaluate("document.fonts.ready")
            assert page.evaluate("document.fonts.check('16px IPAexGothic', '区市町村')")
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (1400, 1000)
    assert len(image.getcolors(maxcolors=1 << 20)) > 50


def make_pdf(path: Path) -> None:
    """A one-page PDF with two program headings in IPAexGothic (what a PDF reader would give bboxes for)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from pipeline.review.chart import find_japanese_font

    pdfmetrics.registerFont(TTFont("IPAexGothic", str(find_japanese_font())))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("IPAexGothic", 14)
    height = A4[1]
    c.drawString(72, height - 100, "■区市町村在宅療養推進事業【557,263千円】")
    c.drawString(72, height - 300, "■在宅療養研修事業【11,209千円】")
    c.showPage()
    c.save()


def test_pdf_page_image_with_bboxes(tmp_path):
    """PDF branch against the page/bbox columns, with rows made by hand (pdf.py is another branch)."""
    from PIL import Image

    raw = tmp_path / "raw"
    raw.mkdir()
    make_pdf(raw / "sample.pdf")
    tables = copy.deepcopy(read_folder(EXTRACTED))
    template_doc = tables["documents"][0]
    template = next(p for p in tables["programs"] if p["name_key"] == "区市町村在宅療養推進事業" and p["fiscal_year"] == 2026)
    doc = dict(template_doc, source="sample.pdf", format="pdf", doc_id="pdf0000000000000", title=None,
               n_programs=2, n_items=0, warnings=[], total_checks=[])
    # pdfplumber coordinates: x0, top, x1, bottom in points from the top-left corner
    first = dict(template, source="sample.pdf", doc_id=doc["doc_id"], program_id="pdfprog000000001", ordinal=1,
                 line_start=1, line_end=1, page=1, bbox=[70.0, 84.0, 360.0, 104.0], n_items=0)
    second = dict(template, source="sample.pdf", doc_id=doc["doc_id"], program_id="pdfprog000000002", ordinal=2,
                  name="在宅療養研修事業", name_key="在宅療養研修事業", budget_thousand_yen=11209,
                  line_start=2, line_end=2, page=1, bbox=[70.0, 284.0, 300.0, 304.0], n_items=0)
    out = tmp_path / "out"
    rows = {"documents": [doc], "programs": [first, second], "program_items": [], "budget_history": []}
    for table in ALL_TABLES:
        write_table(out, table, rows[table])
    dest = tmp_path / "review"
    generate_report(raw, out, dest)
    page = (dest / "sample.pdf.html").read_text(encoding="utf-8")
    assert '<img src="pages/sample.pdf-p1.png"' in page
    assert "区市町村在宅療養推進事業" in page and "在宅療養研修事業" in page
    png = (dest / "pages" / "sample.pdf-p1.png").read_bytes()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = 100 / 72
    assert abs(image.size[0] - 595.2756 * scale) <= 1 and abs(image.size[1] - 841.8898 * scale) <= 1
    # the first program's box is stroked in its colour (#3d7fc1) along its left edge
    x = round(70.0 * scale)
    edge = [image.getpixel((x + dx, round(94 * scale))) for dx in (-1, 0, 1)]
    assert (0x3D, 0x7F, 0xC1) in edge, edge
    # and away from every box the page is white
    assert image.getpixel((round(500 * scale), round(600 * scale))) == (255, 255, 255)


def test_review_of_pdfs_that_could_not_be_read(tmp_path):
    """Encrypted and truncated PDFs have their failed documents rows: the report shows them, it does not
    crash; nor does a PDF that no longer reads as it did when extracted."""
    import subprocess
    import sys

    raw = tmp_path / "raw"
    raw.mkdir()
    fixtures = ROOT / "tests" / "fixtures" / "pdf"
    (raw / "encrypted.pdf").write_bytes((fixtures / "encrypted.pdf").read_bytes())
    whole = (fixtures / "one_column.pdf").read_bytes()
    cut = whole[: len(whole) // 2] + b"\n%%EOF\n"  # passes the end-marker check, not pdfminer
    (raw / "cut.pdf").write_bytes(cut)
    (raw / "one.pdf").write_bytes(whole)
    out, dest = tmp_path / "out", tmp_path / "review"
    run = [sys.executable, "-m", "pipeline"]
    proc = subprocess.run(run + ["extract", "--raw", str(raw), "--out", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1 and "FAIL cut.pdf: corrupt_pdf" in proc.stdout, proc.stdout
    assert "ok   one.pdf" in proc.stdout
    (raw / "one.pdf").write_bytes(cut)  # damaged after its extraction
    proc = subprocess.run(run + ["review", "--raw", str(raw), "--out", str(out), "--dest", str(dest)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "error" not in proc.stderr
    assert "needs a password" in (dest / "encrypted.pdf.html").read_text(encoding="utf-8")
    assert "corrupt_pdf" in (dest / "cut.pdf.html").read_text(encoding="utf-8")
    assert "page images not shown" in (dest / "one.pdf.html").read_text(encoding="utf-8")
    assert not (dest / "pages").exists()


def test_unused_line_notes_agree_with_the_marks():
    """A gap between programs says how many of its lines are marked ✗: a heading a program used is neither."""
    from pipeline.review.report import SourceText, render_source

    lines = ((1, "【節A】"), (2, ""), (3, "注記だけの行"), (4, "■事業A【1,000千円】"), (5, "【節B】"), (6, "■事業B"),
             (7, "残り"))
    programs = [
        {"program_id": "a", "ordinal": 1, "name": "事業A", "line_start": 4, "line_end": 4, "section_line": 1,
         "subsection_line": None, "rates_line_start": None, "rates_line_end": None, "flags": [], "page": None},
        {"program_id": "b", "ordinal": 2, "name": "事業B", "line_start": 6, "line_end": 6, "section_line": 5,
         "subsection_line": None, "rates_line_start": None, "rates_line_end": None, "flags": [], "page": None},
    ]
    html = render_source(SourceText(lines), programs, {})
    gaps = re.findall(r'<div class="seg gap"><div class="src">(.*?)</div><div class="cards">(.*?)</div></div>', html)
    assert len(gaps) == 3
    for src, note in gaps:
        marked = len(re.findall(r'class="ln unused"', src))
        said = int(note.split()[0]) if note else 0
        assert said == marked, (src, note)
    assert [g[1] for g in gaps] == ["1 non-blank line used by no program", "", "1 non-blank line used by no program"]


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="Debian chromium is installed by `make test` (in CI a missing browser fails)")
def test_report_fits_a_phone(report):
    """On a 390 px wide screen no page scrolls sideways: source and fields stack, wide tables scroll in place."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    has_touch=True)
            for name in ("index.html", make_page_name(R08), make_page_name("r06-2_zaitaku-kaigo-iryo-kyodo-bukai_packet.txt")):
                page.goto((report / name).as_uri())
                assert page.evaluate("document.querySelector('meta[name=viewport]').content").startswith(
                    "width=device-width")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (name, width)
                if name != "index.html":  # the source and its cards one above the other
                    src, cards = page.locator(".seg").first.locator("> div").all()[:2]
                    assert src.bounding_box()["y"] < cards.bounding_box()["y"]
                    assert src.bounding_box()["width"] > 300
        finally:
            browser.close()
