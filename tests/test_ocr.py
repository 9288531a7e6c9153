"""OCR of a page without a text layer: a scanned 歳出 事項別明細書, drawn here and turned into a picture.

The page is drawn with reportlab (IPAexGothic, as ``make_pdf_fixtures.py`` draws), rendered by
PDFium at 200 dpi in grey and put back into a PDF as an image only, as a scanner makes it. It
holds two 目 with one 事業 each: the first 目's row adds up (512,318 + 2,244 = 514,562), so its
事業's 2,244 is confirmed; the second's does not (120,500 + 3,600 printed as 124,900) and nothing
else on the page tests its 3,600, so that 事業 comes out with a null budget and a warning. A page
with no budget table, and a machine without Tesseract, leave the PDF ``no_text_layer``.
"""

from __future__ import annotations

import io

import pytest
from make_pdf_fixtures import Page, measure_text, register_font, render

from pipeline.parse.document import extract_document
from pipeline.read.engines import OCR_ENV
from pipeline.read.ocr import Word
from pipeline.read.pdf import read_pdf_bytes
from pipeline.read.scan_book import ScanReader, is_digit_checked, read_cell, read_figure
from pipeline.read.tesseract import find_tesseract
from pipeline.records import ReadFailure

needs_tesseract = pytest.mark.skipif(find_tesseract() is None, reason="tesseract with its jpn model is not installed (make ocr)")
LANDSCAPE = (842.0, 595.0)
SIZE = 9.0
SCAN_DPI = 200


def right(page: Page, x1: float, top: float, text: str) -> None:
    """Write ``text`` ending at ``x1`` (a figure in its column)."""
    page.text(x1 - 4 - measure_text(text, SIZE), top, text, SIZE)


def draw_ledger() -> bytes:
    """A spread of a supplementary budget's 歳出 事項別明細書: the account table, its 節, and the 説明 column."""
    register_font()
    page = Page(LANDSCAPE)
    page.text(30, 32, "3. 歳出予算補正", 11)
    page.text(745, 45, "（単位：千円）", SIZE)
    # the account table: 款 | 項 | 目 | 補正前の額 | 補正額 | 計 | 節 (区分, 金額)
    left, top, bottom = 30.0, 60.0, 308.0
    for x0, y0, x1, y1 in [(left, top, 500, top), (left, 100, 500, 100), (left, bottom, 500, bottom),
                           (380, 80, 500, 80), (48, 116, 500, 116), (66, 132, 500, 132), (66, 220, 500, 220)]:
        page.line(x0, y0, x1, y1)
    for x, y0 in [(left, top), (170, top), (240, top), (310, top), (380, top), (500, top), (440, 80),
                  (48, top), (66, top)]:
        page.line(x, y0, x, 100 if x in (48, 66) else bottom)
    page.line(48, 116, 48, bottom)
    page.line(66, 132, 66, bottom)
    for x, text in [(34, "款"), (52, "項"), (112, "目"), (180, "補正前の額"), (258, "補正額"), (340, "計"), (392, "区分"),
                    (455, "金額")]:
        page.text(x, 84 if text in ("区分", "金額") else 75, text, SIZE)
    page.text(436, 64, "節", SIZE)
    rows = [(34, 104, "2 総務費", ("632,818", "5,844", "638,662")),
            (52, 120, "1 総務管理費", ("632,818", "5,844", "638,662")),
            (70, 136, "1 一般管理費", ("512,318", "2,244", "514,562")),
            (70, 224, "2 文書広報費", ("120,500", "3,600", "124,900"))]  # 120,500 + 3,600 is not 124,900
    for x, y, name, amounts in rows:
        page.text(x, y, name, SIZE)
        for x1, amount in zip((240, 310, 380), amounts):
            right(page, x1, y, amount)
    for y, section, amount in [(136, "10 需用費", "2,244"), (224, "11 役務費", "3,600")]:
        page.text(384, y, section, SIZE)
        right(page, 500, y, amount)
    # the 説明 column: its funding sources, each 事業 with its funding row and its 節 details
    x0, x1 = 520.0, 820.0
    funding = [(100, 116, "5,844"), (116, 132, "5,844"), (132, 148, "2,244"), (176, 192, "2,244"),
               (220, 236, "3,600"), (264, 280, "3,600")]
    for y in (top, 74, 87, 100, 116, 132, 148, 176, 192, 220, 236, 264, 280, bottom):
        page.line(x0, y, x1, y)
    page.line(x0, top, x0, bottom)
    page.line(x1, top, x1, bottom)
    for y0, y1 in [(87, 100)] + [(a, b) for a, b, _ in funding]:
        for x in (580, 640, 700, 760):
            page.line(x, y0, x, y1)
    page.text(640, 63, "説　　　明", SIZE)
    page.text(610, 77, "財　源　内　訳", SIZE)
    for x, text in [(525, "国庫支出金"), (590, "都支出金"), (655, "地方債"), (715, "その他"), (770, "一般財源")]:
        page.text(x, 89.5, text, SIZE)
    for y0, _, amount in funding:
        right(page, x1, y0 + 3.5, amount)
    for y, department, code, name, amount, detail in [
        (151, "15100000 総務課", "020708", "庁舎管理事業", "2,244", "10-01 消耗品費"),
        (239, "15200000 文書課", "020911", "文書広報事業", "3,600", "11-01 通信運搬費"),
    ]:
        page.text(524, y, department, SIZE)
        page.text(524, y + 11, code, SIZE)
        page.text(560, y + 11, name, SIZE)
        right(page, x1, y + 11, amount)
        page.text(530, y + 44, detail, SIZE)
        right(page, x1, y + 44, amount)
    return render([page])


def scan(pdf: bytes) -> bytes:
    """The PDF's first page as a picture alone: rendered in grey, as a scanner gives it, with no text."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(pdf)
    try:
        pixels = doc[0].render(scale=SCAN_DPI / 72, grayscale=True).to_numpy()
    finally:
        doc.close()
    image = Image.fromarray(pixels[:, :, 0] if pixels.ndim == 3 else pixels)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=LANDSCAPE, invariant=1)
    c.drawImage(ImageReader(image), 0, 0, width=LANDSCAPE[0], height=LANDSCAPE[1])
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def scanned() -> bytes:
    return scan(draw_ledger())


@pytest.fixture(scope="module")
def result(scanned):
    if find_tesseract() is None:
        pytest.skip("tesseract with its jpn model is not installed (make ocr)")
    doc = read_pdf_bytes("ledger.pdf", "pdf", scanned)
    return doc, extract_document(doc)


def test_the_scan_has_no_text_layer(scanned):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(scanned)
    try:
        assert doc[0].get_textpage().count_chars() == 0
    finally:
        doc.close()


@needs_tesseract
def test_a_confirmed_amount_is_a_budget_and_an_unconfirmed_one_is_null(result):
    doc, extracted = result
    assert extracted.status == "ok"
    programs = {p.name: p for p in extracted.programs}
    assert set(programs) == {"庁舎管理事業", "文書広報事業"}
    confirmed, withheld = programs["庁舎管理事業"], programs["文書広報事業"]
    assert confirmed.budget is not None and (confirmed.budget.yen, confirmed.budget.text) == (2_244_000, "2,244")
    assert withheld.budget is None
    assert confirmed.section_path == ("総務費", "総務管理費", "一般管理費")
    assert (confirmed.span.page, withheld.span.page) == (1, 1) and confirmed.span.bbox and withheld.span.bbox
    assert doc.lines[confirmed.span.line_start - 1].text == "020708 庁舎管理事業 2,244"
    [evidence] = [s.evidence for s in doc.scanned if s.code == "020708"]
    assert evidence == ("目 1 一般管理費 2,244 = the sum of its 事業, confirmed by its row: "
                        "512,318 + 2,244 = 514,562")


@needs_tesseract
def test_the_document_says_ocr_was_used_and_which_amount_was_withheld(result):
    doc, extracted = result
    assert extracted.warnings[0].startswith("page 1 has no text layer: read by OCR (Tesseract ")
    assert extracted.warnings[0].endswith("; 2 事業 rows, 1 of 2 (50%) amounts confirmed by the sums printed on their pages")
    line = next(p.span.line_start for p in extracted.programs if p.name == "文書広報事業")
    assert f"page 1, line {line}: 事業 020911 文書広報事業: its amount, read as 3,600, is not confirmed by the sums " \
           "printed on the page (目 2 文書広報費 3,600 = the sum of its 事業, but no sum tests its digits): budget left null" \
           in extracted.warnings


@needs_tesseract
def test_ocr_gives_the_same_document_twice(scanned, result):
    assert read_pdf_bytes("ledger.pdf", "pdf", scanned) == result[0]


def test_without_tesseract_a_scan_stays_no_text_layer(scanned, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract there
    doc = read_pdf_bytes("ledger.pdf", "pdf", scanned)
    assert isinstance(doc, ReadFailure) and doc.status == "no_text_layer"
    assert doc.error == ("page 1 has images but no text layer (a scan?); OCR is unavailable: tesseract is not installed "
                         "(Debian: tesseract-ocr tesseract-ocr-jpn)")


@needs_tesseract
def test_a_page_tesseract_fails_on_is_not_read(scanned, monkeypatch):
    from pipeline.read import ocr

    def fail(image, psm):
        raise OSError("tesseract failed (1): out of memory")

    monkeypatch.setattr(ocr, "run_tesseract", fail)
    doc = read_pdf_bytes("ledger.pdf", "pdf", scanned)
    assert isinstance(doc, ReadFailure) and doc.status == "no_text_layer"
    assert doc.error == ("page 1 has images but no text layer (a scan?); OCR failed on it "
                         "(OSError: tesseract failed (1): out of memory)")


def test_ocr_turned_off_leaves_a_scan_no_text_layer(scanned, monkeypatch):
    monkeypatch.setenv(OCR_ENV, "0")
    doc = read_pdf_bytes("ledger.pdf", "pdf", scanned)
    assert isinstance(doc, ReadFailure) and doc.status == "no_text_layer"
    assert doc.error == "page 1 has images but no text layer (a scan?); OCR is turned off (KAIGI_OCR=0)"


def test_figures_as_ocr_reads_them():
    assert [read_figure(t) for t in ("2,244", "19.385", "522895", "△2,899", "1.260|", "34..879", "5:038,766")] == \
        [2244, 19385, 522895, -2899, 1260, 34879, 5038766]
    assert read_figure("2,44") is None and read_figure("12-16") is None

    def word(text: str, x0: float, height: float = 10.0) -> Word:
        return Word(text, 90.0, x0, 0.0, x0 + 8 * len(text), height)

    assert read_cell([word("ム", 0), word("2,", 12), word("899", 30)]) == -2899  # △ read as a letter
    assert read_cell([word("入2,899", 0)]) == -2899
    assert read_cell([word("*1,550", 0)]) == 1550 and read_cell([word("-", 0, 2), word("46,712", 10)]) == 46712
    assert read_cell([]) is None and read_cell([word("手数料", 0)]) == "手数料"


def test_a_sum_counts_only_when_it_tests_the_digits():
    assert is_digit_checked([2_090_318, 2_244], 2_092_562)
    assert is_digit_checked([227_459, -2_899], 224_560)  # 224,560 + 2,899 = 227,459
    assert not is_digit_checked([6_712, 40_000], 46_712)  # would hold with every 7 read as 1
    assert not is_digit_checked([3_600], 3_600) and not is_digit_checked([120_500, 3_600], 124_900)


def test_the_unit_is_taken_only_when_the_pages_agree_on_it():
    reader = ScanReader(b"")
    reader.read_pages = [10, 11, 12, 13]
    for units, unit in [({10: "千円"}, None), ({10: "千円", 12: "千円"}, "千円"), ({10: "千円", 11: "円", 12: "千円"}, None)]:
        reader.units = units
        assert reader.unit == unit, units
