"""Make the PDF fixtures in ``tests/fixtures/pdf/`` and their text twins.

Input: the layouts below. Output: ``<name>.pdf`` (drawn with reportlab in invariant mode,
IPAexGothic from japanize-matplotlib embedded, so a rerun gives identical bytes) and, for
readable layouts, ``<name>.txt``: the same content as a text file in reading order, with
each paragraph on one line. Run ``make pdf-fixtures`` (or ``python tests/make_pdf_fixtures.py
[OUT_DIR]``) after changing a layout, and commit both files.

Layouts: one column; two columns of framed boxes drawn in a scrambled order with their
title bands drawn last (two pages: a section goes on across the page break); a three-column
slide like raw/r08 with the legend in a corner; a multi-page packet with running headers,
page numbers, ruled tables and a wide-tracked heading; long lines wrapping mid-word in a
narrow column. Failures: a scanned page (an image, no text), a page of private-use glyphs,
a page of ``(cid:NN)`` glyphs, and a PDF that needs a password.
"""

from __future__ import annotations

import io
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

OUT = Path(__file__).resolve().parent / "fixtures" / "pdf"
FONT = "IPAexG"
ASCENT = 0.88  # IPAexGothic: pdfminer puts a char's top this far (in em) above the baseline
LEADING = 1.4  # line pitch within a paragraph, in em
PARA_GAP = 0.9  # extra white between paragraphs, in em (the reader starts a paragraph above 0.75)
A4 = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)


def register_font() -> None:
    """Register IPAexGothic, shipped by the japanize-matplotlib package."""
    import japanize_matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(japanize_matplotlib.__file__).parent / "fonts" / "ipaexg.ttf"
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(path)))


def measure_text(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, FONT, size)


# -- drawing operations -----------------------------------------------------------------


@dataclass
class Op:
    """One drawing operation; ``band`` ops are drawn last in a scrambled layout."""

    kind: str
    args: tuple
    band: bool = False


@dataclass
class Page:
    size: tuple[float, float]
    ops: list[Op] = field(default_factory=list)

    def text(self, x: float, top: float, text: str, size: float, band: bool = False, space: float = 0.0) -> None:
        self.ops.append(Op("text", (x, top, text, size, space), band))

    def putter(self, size: float) -> Callable[..., None]:
        """``put(x, top, text, flush_right=False)``: text of ``size`` at ``x``, or ending at ``x`` (a figure set right)."""
        def put(x: float, top: float, text: str, flush_right: bool = False) -> None:
            self.text(x - measure_text(text, size) if flush_right else x, top, text, size)
        return put

    def rect(self, x0: float, top: float, x1: float, bottom: float, fill=None, stroke: bool = True,
             band: bool = False) -> None:
        self.ops.append(Op("rect", (x0, top, x1, bottom, fill, stroke), band))

    def line(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.ops.append(Op("line", (x0, top, x1, bottom)))


def draw_page(c, page: Page, scramble: int | None) -> None:
    """Draw a page's ops; with ``scramble`` set, in a shuffled order with bands last."""
    height = page.size[1]
    ops = list(page.ops)
    if scramble is not None:
        random.Random(scramble).shuffle(ops)
        ops = [o for o in ops if not o.band] + [o for o in ops if o.band]
    for op in ops:
        if op.kind == "text":
            x, top, text, size, space = op.args
            t = c.beginText()
            t.setFont(FONT, size)
            t.setCharSpace(space)
            t.setTextOrigin(x, height - (top + ASCENT * size))
            t.textOut(text)
            c.drawText(t)
        elif op.kind == "rect":
            x0, top, x1, bottom, fill, stroke = op.args
            if fill:
                c.setFillColorRGB(*fill)
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            c.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=int(stroke), fill=int(bool(fill)))
            c.setFillColorRGB(0, 0, 0)
        elif op.kind == "line":
            x0, top, x1, bottom = op.args
            c.setStrokeColorRGB(0, 0, 0)
            c.line(x0, height - top, x1, height - bottom)


def render(pages: list[Page], scramble: int | None = None) -> bytes:
    """Return the PDF bytes of the pages (reportlab invariant mode: no date, fixed ids)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pages[0].size, invariant=1, pageCompression=1)
    c.setTitle("kaigi-extract PDF fixture")
    for page in pages:
        c.setPageSize(page.size)
        draw_page(c, page, scramble)
        c.showPage()
    c.save()
    return buf.getvalue()


def draw_text_form(text: str, size: float = 10.5, ruled: bool = False) -> bytes:
    """A text document drawn as a PDF as simply as a word processor prints it: each line where it stands, its white
    space drawn as the font's; the rows of cells parted by tabs set in columns as wide as their widest cell, figures
    set right. With ``ruled``, as a table a word processor draws: each of those cells in a ruled box; a row of the
    name alone (its other cells empty; not a group's, 「【子育て支援】」) in the boxes of the row above, the rest of a
    name wrapped in its cell; a line
    of no tabs between rows of the table in one box across it, a group's row merged across the table.
    (``tests/test_forms_pdf.py`` draws the forms fixtures so.)"""
    lines = text.split("\n")
    rows = [line.split("\t") for line in lines if "\t" in line]
    widths = [max((measure_text(r[i], size) for r in rows if len(r) > i), default=0.0) + 14.0
              for i in range(max((len(r) for r in rows), default=0))]
    scale = min(1.0, (A4[0] - 80) / sum(widths)) if widths else 1.0
    pages = [Page(A4)]
    top = 50.0
    boxes: list[list[float]] = []  # the ruled boxes of the row being drawn: x0, top, x1, bottom
    pitch = size * 1.6

    def close_row() -> None:
        for x0, y0, x1, y1 in boxes:
            pages[-1].rect(x0, y0, x1, y1)
        boxes.clear()

    for n, line in enumerate(lines):
        if top > A4[1] - 60:
            close_row()
            pages.append(Page(A4))
            top = 50.0
        cells = line.split("\t")
        within = 0 < n < len(lines) - 1 and "\t" in lines[n - 1] and "\t" in lines[n + 1]
        if ruled and boxes and "\t" in line and not any(c.strip() for c in cells[1:]) and cells[0][:1] not in "【■":
            for box in boxes:  # the rest of the name above, in its cell
                box[3] += pitch
        elif ruled:
            close_row()
        if "\t" in line:
            x = 40.0
            for i, cell in enumerate(cells):
                figure = cell.replace(",", "").replace("△", "").strip().isdigit()
                width = measure_text(cell, size * scale)
                pages[-1].text(x + widths[i] * scale - 8 - width if figure else x, top, cell, size * scale)
                if ruled and len(boxes) <= i:  # (a row that goes on in the boxes above has them)
                    boxes.append([x - 4, top - size * 0.3, x + widths[i] * scale - 4, top + size * 1.3])
                x += widths[i] * scale
        elif line:
            pages[-1].text(40.0, top, line, size)
            if ruled and within and line.strip():
                boxes.append([36.0, top - size * 0.3, 36.0 + sum(widths) * scale, top + size * 1.3])
        top += pitch
    close_row()
    return render(pages)


def draw_text_form_in_two_columns(text: str, size: float = 10.5) -> bytes | None:
    """A text document of no tabs drawn as a page of two columns: its first line across the top, the rest parted at
    the blank line nearest its middle, the lines before it in the left column and those after in the right, in a
    size that fits the longest line in a column's width. None when it has no such blank line, or would be drawn
    smaller than 5 points. (``tests/test_forms_pdf.py`` draws the forms fixtures so.)"""
    lines = text.rstrip("\n").split("\n")
    if "\t" in text or len(lines) < 3:
        return None
    title, body = lines[0], lines[1:]
    blanks = [i for i, line in enumerate(body) if not line.strip() and 0 < i < len(body) - 1]
    if not blanks:
        return None
    cut = min(blanks, key=lambda i: abs(i - len(body) // 2))
    width = A4[0] / 2 - 50
    size = min(size, width / max(measure_text(line, 1.0) for line in body if line.strip()))
    if size < 5:
        return None
    page = Page(A4)
    page.text(40.0, 50.0, title, 10.5)
    for x, column in ((40.0, body[:cut]), (A4[0] / 2 + 10, body[cut + 1:])):
        for n, line in enumerate(column):
            if line:
                page.text(x, 80.0 + n * size * 1.6, line, size)
    return render([page])


# The last word of a line after a run of white space, when it holds a figure: "2,340" of " ・保育所整備事業　　2,340"
SET_RIGHT_TAIL = re.compile(r"^(?P<text>.*?\S)[ \u3000]{2,}(?P<figure>\S*[0-9０-９]\S*)$")


def draw_text_form_set_right(text: str, size: float = 10.5) -> bytes | None:
    """A text document of no tabs drawn as a word processor prints a line's figure at a tab stop at the right margin:
    a line's last word after a run of white space, when it holds a figure, set right at the margin, the rest where
    the line begins. None when no line has such a word."""
    if "\t" in text:
        return None
    pages = [Page(A4)]
    top, changed = 50.0, False
    for line in text.split("\n"):
        if top > A4[1] - 60:
            pages.append(Page(A4))
            top = 50.0
        if (m := SET_RIGHT_TAIL.match(line)) is not None:
            changed = True
            pages[-1].text(40.0, top, m["text"], size)
            pages[-1].text(A4[0] - 40 - measure_text(m["figure"], size), top, m["figure"], size)
        elif line:
            pages[-1].text(40.0, top, line, size)
        top += size * 1.6
    return render(pages) if changed else None


# -- text layout ------------------------------------------------------------------------


def wrap(line: str, width: float, size: float) -> list[str]:
    """Break one printed line greedily at the box width, mid-word; ``|`` forces a break."""
    out: list[str] = []
    for piece in line.split("|"):
        current = ""
        for ch in piece:
            if current and measure_text(current + ch, size) > width:
                out.append(current)
                current = ""
            current += ch
        out.append(current)
    return out


def flow(page: Page, x: float, top: float, width: float, paragraphs: list[str], size: float,
         band: bool = False) -> float:
    """Draw paragraphs (``\\n`` separates printed lines, ``|`` a forced break); return the bottom.

    A paragraph opening with ``^`` gets a yellow marker behind its first twelve characters.
    """
    y = top
    for i, para in enumerate(paragraphs):
        if i:
            y += PARA_GAP * size
        marked = 0.0
        if para.startswith("^"):  # the marked words are drawn after the rest of their line
            para = para[1:]
            marked = measure_text(para[:12], size)
            page.rect(x - 1, y - 1, x + marked + 1, y + size + 1, fill=(1.0, 0.95, 0.4), stroke=False)
        for printed in para.split("\n"):
            for piece in wrap(printed, width, size):
                if marked:
                    page.text(x + marked, y, piece[12:], size, band)
                    page.text(x, y, piece[:12], size, band)
                    marked = 0.0
                else:
                    page.text(x, y, piece, size, band)
                y += LEADING * size
    return y - (LEADING - 1) * size


def make_twin_paragraphs(paragraphs: list[str]) -> list[str]:
    """The text twin of paragraphs: forced breaks and markers removed, one paragraph a block."""
    return [p.replace("|", "").removeprefix("^") for p in paragraphs]


@dataclass
class Box:
    """A framed box with an optional coloured title band."""

    band: str | None
    paragraphs: list[str]
    title: str | None = None  # a first line drawn in the box, as big as the rest, no band


def draw_box(page: Page, box: Box, x: float, top: float, width: float, size: float) -> float:
    """Draw a box: frame, band (a filled strip holding the title) and text; return its bottom."""
    pad = 6.0
    y = top + pad
    if box.band:
        band_h = 1.9 * size
        page.rect(x, top, x + width, top + band_h, fill=(0.78, 0.87, 0.96), stroke=False, band=True)
        page.text(x + pad, top + (band_h - size) / 2, box.band, size + 1, band=True)
        y = top + band_h + pad
    if box.title:
        page.text(x + pad, y, box.title, size)
        y += LEADING * size
    bottom = flow(page, x + pad, y, width - 2 * pad, box.paragraphs, size) + pad
    page.rect(x, top, x + width, bottom)
    return bottom


def make_twin_box(box: Box) -> list[str]:
    return [t for t in (box.band, box.title) if t] + make_twin_paragraphs(box.paragraphs)


def lay_out_columns(page: Page, columns: list[list[Box]], left: float, top: float, width: float,
                  gutter: float, size: float) -> list[str]:
    """Stack boxes in columns; return the twin blocks in reading order (column by column)."""
    n = len(columns)
    col_w = (width - gutter * (n - 1)) / n
    blocks: list[str] = []
    for ci, column in enumerate(columns):
        y = top
        x = left + ci * (col_w + gutter)
        for box in column:
            y = draw_box(page, box, x, y, col_w, size) + 10
            blocks.extend(make_twin_box(box))
    return blocks


def join_twin(blocks: list[str]) -> str:
    return "\n\n".join(blocks) + "\n"


# -- the layouts --------------------------------------------------------------------------

TITLE_R08 = "令和８年度 在宅療養推進に向けた都の取組"
LEGEND_R08 = "【　】：令和８年度 予算額（案）"


def make_one_column() -> tuple[bytes, str]:
    """A one-column document: title, legend, section headings, programs; two pages."""
    pages = [Page(A4), Page(A4)]
    blocks: list[str] = []
    w = A4[0] - 120
    p1, p2 = pages
    p1.text(60, 50, "令和４年度 在宅療養推進に向けた都の取組", 18)
    p1.text(60, 82, "【　】：令和４年度 予算案", 10)
    blocks += ["令和４年度 在宅療養推進に向けた都の取組", "【　】：令和４年度 予算案"]
    y = 110.0
    sections1 = [
        ("地域における在宅療養体制の確保", [
            "【区市町村への支援】",
            "■区市町村在宅療養推進事業【236,194千円】\n<補助率：10/10 > ※4年目以降：1/2",
            "^地域における在宅療養体制の構築を図るため、区市町村が実施する以下の取組を支援する。",
            "○在宅医療と介護の提供体制の充実に向けた先駆的な取組への支援",
            "≪例≫病院救急車等を活用した搬送体制の確保、在宅療養に関する需給の把握、需給を踏まえた地域の仕組み作り、看取りに関する講演会やＤＶＤを活用した普及啓発の取組 等",
            "■在宅人工呼吸器使用者療養支援事業\n（医療保健政策区市町村包括補助（選択：政策誘導型)） <補助率：1/2 >",
            "自家発電装置等について、人口25,000人当たり各補助対象品目１台を給付基準とし、それらを整備するために必要な費用について補助",
        ]),
        ("在宅療養生活への円滑な移行の促進", [
            "■入退院時連携強化事業【219,641千円】",
            "医療機関における入退院支援に取り組む人材を育成・確保するとともに、入退院時における地域との連携を一層強化し、在宅療養生活への円滑な移行を促進",
            "○入退院時連携支援事業<補助率：1/2または3/4>",
            "≪対象≫２００床未満の病院",
        ]),
    ]
    sections2 = [
        ("小児等在宅医療に対する取組", [
            "■小児等在宅医療推進研修事業【6,169千円】",
            "小児医療に関する診療所の医師及び看護師等向けの研修を実施することで、小児等在宅医療を担う人材を育成・確保",
            "■小児等在宅医療推進事業",
        ]),
        ("ＡＣＰに関する取組", [
            "■ＡＣＰ推進事業【16,361千円】",
            "都民の希望する医療・ケアを受けることができるよう、ＡＣＰに関する以下の取組を実施する。",
            "①都民に対する普及啓発 ②医療・介護関係者の実践力の向上",
        ]),
    ]
    for page, sections in ((p1, sections1), (p2, sections2)):
        y = 110.0 if page is p1 else 60.0
        for heading, paras in sections:
            page.text(60, y, heading, 13)
            y += 13 + PARA_GAP * 10 + 4
            y = flow(page, 60, y, w, paras, 10) + 2 * PARA_GAP * 10
            blocks += [heading] + make_twin_paragraphs(paras)
    for n, page in enumerate(pages, start=1):
        page.text(A4[0] / 2 - 10, A4[1] - 40, f"- {n} -", 9)
        page.text(A4[0] - 150, 20, "東京都保健医療局 医療政策部", 8)
    return render(pages), join_twin(blocks)


def make_two_column_boxes() -> tuple[bytes, str]:
    """Two columns of framed boxes, drawn shuffled with title bands last; a box goes on
    onto page 2 without a band, so its section carries across the page break."""
    size = 9.5
    pages = [Page(A4_LANDSCAPE), Page(A4_LANDSCAPE)]
    p1, p2 = pages
    W, H = A4_LANDSCAPE
    p1.text(30, 24, "令和７年度 在宅療養推進に向けた都の取組", 18)
    blocks = ["令和７年度 在宅療養推進に向けた都の取組", "【　】：令和７年度 予算額"]
    page1 = [
        [
            Box("地域における在宅療養体制の確保", [
                "【区市町村等への支援】",
                "■区市町村在宅療養推進事業【252,777千円】\n<補助率：10/10 > ※4年目以降：1/2",
                "地域における在宅療養体制の構築を図るため、区市町村が実施する以下の取組を支援",
                "○在宅医療と介護の提供体制の充実に向けた先駆的な取組への支援",
                "≪例≫病院救急車等を活用した搬送体制の確保、看取りに関する講演会やＤＶＤを活用した普及啓発の取組 等",
                "■在宅療養普及事業（在宅療養体制づくり支援事業）<新規>",
                "【56,00|1千円（内数）】",
            ]),
            Box("看取り支援に関する取組", [
                "■在宅療養研修事業【10,681千円】",
                "○在宅療養推進研修（「在宅療養地域リーダー」の養成）",
            ]),
        ],
        [
            Box("在宅療養生活への円滑な移行の促進", [
                "■入退院時連携強化事業【219,641千円】",
                "医療機関における入退院支援に取り組む人材を育成・確保するとともに、入退院時における地域との連携を一層強化",
                "○入退院時連携支援事業<補助率：1/2または3/4>",
                "≪対象≫２００床未満の病院",
            ]),
            Box("小児等在宅医療に対する取組", [
                "■小児等在宅医療推進研修事業【17,220千円】",
                "小児医療に関する診療所の医師及び看護師等向けの研修を実施することで、小児等在宅医療を担う人材を確保・育成",
            ]),
        ],
    ]
    page2 = [
        [
            Box(None, [
                "■小児等在宅医療推進部会 ■小児等在宅医療推進事業≪再掲≫",
                "■切れ目のない在宅医療体制整備支援事業＜新規＞ 【47,808千円】",
                "在宅医療の需要増加に向けて、訪問診療実施の障壁となっている２４時間体制の構築について、区市町村へ支援を行う。",
            ]),
            Box("デジタル技術を活用した情報共有の充実", [
                "■東京都多職種連携ポータルサイトの運営【18,794千円】",
                "デジタル技術を活用した情報共有のための共通ポータルサイトを運営し、都における在宅療養推進体制の強化を図る",
            ]),
        ],
        [
            Box("ＡＣＰに関する取組", [
                "■ＡＣＰ推進事業【16,361千円】",
                "都民の希望する医療・ケアを受けることができるよう、ＡＣＰに関する以下の取組を実施",
                "①都民に対する普及啓発 ②医療・介護関係者の実践力の向上",
            ]),
            Box(None, [
                "■在宅医療現場におけるハラスメント対策事業【48,633千円】",
                "在宅医療の現場で医療従事者が患者やその家族から受けるハラスメントの対策に取り組み、医療従事者が安心して在宅医療に従事できるよう支援",
            ], title="在宅医療従事者の安全確保に関する取組"),
        ],
    ]
    blocks += lay_out_columns(p1, page1, 30, 64, W - 60, 16, size)
    blocks += lay_out_columns(p2, page2, 30, 64, W - 60, 16, size)
    p1.text(W - 190, H - 40, "【　】：令和７年度 予算額", 10)
    for n, page in enumerate(pages, start=1):
        page.text(W - 40, H - 22, str(n), 9)
        page.text(W - 160, 8, "東京都保健医療局 医療政策部", 8)
    return render(pages, scramble=7), join_twin(blocks)


def make_three_column_slide() -> tuple[bytes, str]:
    """A one-page slide like raw/r08: three columns of boxes with title bands, programs
    with their budgets on the next line, rate lines, the legend in the top right corner."""
    size = 9.0
    page = Page(A4_LANDSCAPE)
    W, H = A4_LANDSCAPE
    page.text(24, 20, TITLE_R08, 18)
    page.text(W - 200, 26, LEGEND_R08, 10)
    columns = [
        [
            Box("地域における在宅療養体制の確保", [
                "【区市町村等への支援】",
                "■区市町村在宅療養推進事業<拡充>\n【557,263千円】",
                "<補助率：10/10> ※4年目以降：1/2",
                "地域における在宅療養体制の構築を図るため、区市町村が実施する以下の取組を支援",
                "○24時間診療体制推進事業<新規>",
                "■災害時在宅医療提供体制強化事業\n【28,353千円】",
                "■在宅療養普及事業（在宅療養体制づくり支援事業）\n<新規>\n【56,00|1千円（内数）】",
                "【医療機関への支援】",
                "■在宅療養体制支援医療機関緊急整備事業\n<新規>\n【124,000千円】<補助率：10/10>",
            ]),
        ],
        [
            Box("在宅療養生活への円滑な移行の促進", [
                "■入退院時連携強化事業\n【144,948千円】",
                "○入退院時連携支援事業<補助率：1/2または3/4>",
                "＜対象＞200床未満の病院",
            ]),
            Box("医療・介護に関わる人材の確保・育成", [
                "■在宅医療参入促進事業\n【9,385千円】",
            ]),
            Box("小児等在宅医療に対する取組", [
                "■小児等在宅医療推進研修事業\n【17,220千円】",
            ]),
        ],
        [
            Box("ACPに関する取組", [
                "■ACP推進事業\n【11,847千円】",
                "①都民に対する普及啓発 ②医療・介護関係者の実践力の向上",
            ]),
            Box("在宅医療従事者の安全確保に関する取組", [
                "■在宅医療現場におけるハラスメント対策事業\n【48,633千円】",
            ]),
            Box("東京都在宅療養推進会議等の開催", [
                "■東京都在宅療養推進会議等の開催",
                "■広域連携支援",
            ]),
        ],
    ]
    blocks = [TITLE_R08, LEGEND_R08]
    blocks += lay_out_columns(page, columns, 24, 60, W - 48, 12, size)
    page.text(W - 30, H - 22, "3", 9)
    return render([page], scramble=11), join_twin(blocks)


def draw_table(page: Page, x: float, top: float, widths: list[float], rows: list[list[str]],
               size: float) -> float:
    """Draw a ruled table (lines, not rects); return its bottom."""
    row_h = 1.8 * size
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    bottom = top + row_h * len(rows)
    for i in range(len(rows) + 1):
        page.line(xs[0], top + i * row_h, xs[-1], top + i * row_h)
    for cx in xs:
        page.line(cx, top, cx, bottom)
    for ri, row in enumerate(rows):
        for ci, cell in enumerate(row):
            page.text(xs[ci] + 4, top + ri * row_h + 0.4 * size, cell, size)
    return bottom


def make_packet() -> tuple[bytes, str]:
    """A three-page meeting packet: running header, page numbers, ruled tables,
    a wide-tracked heading and a numbered program list going on across a page break."""
    pages = [Page(A4), Page(A4), Page(A4)]
    W, H = A4
    body = 10.5
    blocks: list[str] = []
    p1, p2, p3 = pages
    p1.text(60, 60, "令和6年度第2回 東京都在宅介護・医療協働推進部会 次第", 15)
    blocks.append("令和6年度第2回 東京都在宅介護・医療協働推進部会 次第")
    y = flow(p1, 60, 100, W - 120, ["令和7年2月5日（水曜日）", "18時から19時30分まで"], body) + 20
    blocks += ["令和7年2月5日（水曜日）", "18時から19時30分まで"]
    p1.text(60, y, "委 員 名 簿", 12, space=10)
    blocks.append("委員名簿")
    y += 12 + PARA_GAP * body + 6
    members = [["氏名", "所属"], ["相田 里香", "特定非営利活動法人東京都介護支援専門員研究協議会 理事長"],
               ["秋山 正子", "株式会社ケアーズ 白十字訪問看護ステーション 統括所長"],
               ["鈴木 央", "鈴木内科医院 院長"]]
    y = draw_table(p1, 60, y, [90, 370], members, body) + 20
    blocks.append("\n".join("\t".join(r) for r in members))
    agenda = ["令和7年度の取組", "【R7 予算額/規模】", "1 訪問看護人材確保育成事業",
              "(1) 訪問看護人材確保事業 【4,347千円/1回】",
              "看護職等に訪問看護の重要性や魅力をPRするための講演会等の実施",
              "(2) 地域における教育ステーション事業 【47,711千円/22箇所】",
              "育成支援できる訪問看護ステーションを「教育ステーション」として指定し、訪問看護ステーション体験・研修や勉強会等を通して、地域の訪問看護人材の育成支援や地域連携強化の取組を実施"]
    p1.text(60, y, agenda[0], 12)
    y = flow(p1, 60, y + 12 + PARA_GAP * body + 4, W - 120, agenda[1:], body)
    blocks += agenda
    page2 = ["【拡充】より身近な地域で取組を実施できるように指定数を引き続き増やしていく",
             "2 訪問看護ステーション代替職員（産休等）確保支援事業",
             "【20,988千円/14人】",
             "常勤の看護職員が研修受講や産休・育休・介休等を取得する際の代替職員の確保に要する経費を助成することで、訪問看護師の勤務環境の向上や定着推進を図る",
             "3 新任訪問看護師育成支援事業 【7,032千円/10人】",
             "管理者等が都の定める研修を修了し、訪問看護未経験の看護職の雇用・育成を行う訪問看護ステーションに対し、育成に要する経費を補助",
             "総合事業総額：令和7年度 80,078千円 令和6年度 77,864千円"]
    y = flow(p2, 60, 70, W - 120, page2, body) + 24
    blocks += page2
    p2.text(60, y, "事 業 実 績", 12, space=12)
    blocks.append("事業実績")
    y += 12 + PARA_GAP * body + 6
    results = [["区分", "人数", "日数"], ["他ST勤務者", "44人", "155.5日"], ["医療機関等", "109人", "128.5日"],
               ["合計", "153人", "284.0日"]]
    draw_table(p2, 60, y, [160, 100, 100], results, body)
    blocks.append("\n".join("\t".join(r) for r in results))
    page3 = ["■在宅療養環境整備支援事業（保健医療政策区市町村包括補助（選択：提案型)）<補助率：1/2 >",
             "在宅医療・介護連携推進事業の事業内容ア～ウのＰＤＣＡサイクルに沿った取組に関して、交付金を活用せず事業を実施する区市町村への支援"]
    p3.text(60, 70, "地域における在宅療養体制の確保", 12)
    flow(p3, 60, 70 + 12 + PARA_GAP * body + 4, W - 120, page3, body)
    blocks += ["地域における在宅療養体制の確保"] + make_twin_paragraphs(page3)
    for n, page in enumerate(pages, start=1):
        page.text(W - 100, 24, "資料5", 10)
        page.text(W / 2 - 12, H - 36, f"- {n} -", 9)
    return render(pages), join_twin(blocks)


def make_long_lines() -> tuple[bytes, str]:
    """A narrow column where long names and descriptions wrap mid-word."""
    page = Page(A4)
    W, H = A4
    size = 10.0
    page.text(60, 50, "令和８年度 在宅療養推進に向けた都の取組", 16)
    paras = [
        "【　】：令和８年度 予算額（案）",
        "■都民の「生きる」を最後まで支える、医療・介護職のACP実践力の育成【33,000千円】",
        "ACP実践に必要な情報を集約したWebサイトや、医療・介護職を対象とする協働学習の場を創り医療・介護関係者のACP実践力の育成基盤を整備",
        "■在宅医療現場におけるハラスメント対策事業【48,633千円】",
        "在宅医療の現場で医療従事者が患者やその家族から受けるハラスメントの対策に取り組み、医療従事者が安心して在宅医療に従事できるよう支援",
        "■在宅療養普及事業（在宅療養体制づくり支援事業）<新規>",
        "【56,00|1千円（内数）】",
        "各区市町村における在宅療養推進の取組の底上げを図るため、在宅療養に関するダッシュボードを作成するとともに、研修会を開催",
    ]
    flow(page, 60, 90, 226, paras, size)
    return render([page]), join_twin(["令和８年度 在宅療養推進に向けた都の取組"] + make_twin_paragraphs(paras))


def make_gutter_amounts(gutter: float = 40.0) -> tuple[bytes, str]:
    """Two columns of programs, each name's amount set flush right at its column's edge, by the gutter
    (``gutter`` points wide: 4 em, or 1.2 em, narrower than a gap between cells of a table), and the title
    centred across both: a white band runs between the left column's names and its amounts."""
    page = Page(A4_LANDSCAPE)
    W, _ = A4_LANDSCAPE
    size = 10.0
    title = "令和７年度 高齢福祉課 予算の概要"
    page.text((W - measure_text(title, 16)) / 2, 40, title, 16)
    columns = [
        (50.0, 400.0, [("■ 介護予防の推進", None), ("○ 通いの場支援事業", "3,400千円"),
                       ("　住民主体の通いの場の立ち上げを支援する。", None), ("○ 介護予防普及啓発事業", "1,200千円"),
                       ("", None), ("■ 認知症施策の推進", None), ("○ 認知症カフェ運営支援事業（新規）", "800千円")]),
        (400.0 + gutter, 750.0 + gutter, [("■ 在宅生活の支援", None), ("○ 配食サービス事業", "12,500千円"),
                        ("○ 緊急通報システム事業", "4,300千円"), ("", None), ("■ 施設整備", None),
                        ("○ 特別養護老人ホーム整備補助事業", "1億5,000万円"), ("　補助上限額 １床当たり 500万円", None)]),
    ]
    twin = [title, ""]
    for left, right, lines in columns:
        top = 90.0
        for name, amount in lines:
            if name:
                page.text(left, top, name, size)
            if amount:
                page.text(right - measure_text(amount, size), top, amount, size)
            twin.append(f"{name} {amount}" if amount else name.replace("　", ""))  # a name and its amount: one line
            top += 16.0
        twin.append("")
    return render([page]), "\n".join(twin).rstrip("\n") + "\n"


def make_program_slides(marked: bool = True) -> bytes:
    """Two 16:9 slides, a program each: its name as the slide's title, its fields under 「■目的」 and 「■事業内容」,
    its budget in a box at the slide's foot (the second with the year before's); or (not ``marked``) its points
    one a line, without marks (a list whose bullets are drawn, not printed), the last right over the box.
    No text twin: a text has no slides."""
    size = (960.0, 540.0)
    slides = [
        ("ヤングケアラー支援事業【新規】", ["■目的", "　家族の世話を担う子どもを早期に把握し、必要な支援につなげる。", "■事業内容",
                                         "　・コーディネーターの配置（２名）", "　・ピアサポート事業の実施"],
         ["令和７年度予算額　２０，０００千円"]),
        ("医療的ケア児支援センター運営事業【拡充】", ["■事業内容", "　・相談支援体制の強化", "　・関係機関向け研修の実施"],
         ["令和７年度予算額　１５，０００千円", "（令和６年度　１２，０００千円）"]),
    ] if marked else [
        ("【新規】ケアラー支援推進事業", ["ケアラー相談窓口の設置", "ケアラー手帳の作成・配布", "支援者向け研修の実施"],
         ["令和７年度予算額　１５，０００千円"]),
        ("フレイル予防推進事業", ["通いの場へのリハ職派遣", "フレイルチェックの実施"], ["令和７年度予算額　８，２００千円"]),
    ]
    pages = []
    for title, lines, box in slides:
        page = Page(size)
        page.text(40, 40, title, 24)
        page.line(40, 76, 920, 76)
        top = 100.0
        for text in lines:
            page.text(40, top, text, 14)
            top += 22.0 if marked else 36.0
        page.rect(600, 440 - 4, 920, 440 + 22 * len(box) + 4)
        for i, text in enumerate(box):
            page.text(610, 440 + 22 * i, text, 16)
        pages.append(page)
    return render(pages)


def draw_ruled_rows(page: Page, xs: list[float], top: float, heights: list[float], header: list[str], size: float) -> None:
    """Rule a table of rows ``heights`` high from ``top``, its columns parted at ``xs``, and write its header in the first."""
    bottom = top + sum(heights)
    for x in xs:
        page.line(x, top, x, bottom)
    y = top
    for h in heights:
        page.line(xs[0], y, xs[-1], y)
        y += h
    page.line(xs[0], bottom, xs[-1], bottom)
    for i, word in enumerate(header):
        page.text(xs[i] + 4, top + 0.4 * size, word, size)


def make_ledger_wrapped_names(codes: tuple[str, str, str, str] = ("001", "002", "1", "2"),
                              unit_row: bool = False, one_edge: bool = False) -> bytes:
    """A budget book's page (事項別明細書): a ruled table of 目 rows whose 説明 column lists 細目 (amounts flush
    right at its edge) and their 事業 (amounts further in), long names wrapped onto a second line with the amount
    at the end of it; ``codes`` number the 細目 and the 事業 (「001」 and 「1」, or 「(1)」 and 「①」). The unit,
    「千円」, heads the 説明 column's amounts, or (``unit_row``) stands under the header over each amount column
    but the 説明 column. With ``one_edge``, every amount stands flush right at the column's edge, a 事業 told from
    its 細目 by its name set in alone, and the account heading follows the book's own words on its line.
    No text twin: its reading is checked against what it prints."""
    first, second, one, two = codes
    page = Page(A4_LANDSCAPE)
    size, pitch = 9.0, 12.0
    page.text(40, 30, "令和７年度　一般会計歳出予算事項別明細書", 12)
    page.text(40, 52, ("令和７年度　一般会計　歳出　" if one_edge else "") + "３款　民生費　　１項　社会福祉費", size)
    xs = [40.0, 150.0, 210.0, 270.0, 330.0, 690.0]
    header = ["目", "本年度", "前年度", "比較", "説明"]
    outer, inner = xs[5] - 6, xs[5] - 80  # the right edges of 細目 and 事業 amounts
    rows = [
        (["１ 社会福祉総務費", "523,456", "500,000", "23,456"],
         [("千円", None, None), (f"{first} 社会福祉総務事務", None, None), ("費", "151,200", outer),
          (f"{second} 地域福祉推進費", "372,256", outer), (f"　{one} 民生委員活動事業", "12,345", inner),
          (f"　{two} 生活困窮者自立支", None, None), ("援事業", "359,911", inner)]),
        (["２ 障害者福祉費", "2,345,678", "2,200,000", "145,678"],
         [(f"{first} 障害者自立支", None, None), ("援給付費", "2,345,678", outer), (f"　{one} 障害者自立支", None, None),
          ("援給付事業", "2,100,000", inner), (f"　{two} 地域生活支援", None, None), ("事業", "245,678", inner)]),
    ]
    if unit_row:
        rows = [(cells, [line for line in lines if line[0] != "千円"]) for cells, lines in rows]
    if one_edge:
        rows = [(cells, [(name, amount, outer if right is not None else None) for name, amount, right in lines])
                for cells, lines in rows]
    top = 70.0
    heights = [(3.2 if unit_row else 1.8) * size] + [pitch * len(lines) + 6 for _, lines in rows]
    draw_ruled_rows(page, xs, top, heights, header, size)
    if unit_row:
        for i in (1, 2, 3):
            page.text(xs[i + 1] - 4 - measure_text("千円", size), top + 1.8 * size, "千円", size)
    y = top + heights[0]
    for (cells, lines), h in zip(rows, heights[1:]):
        page.text(xs[0] + 4, y + 3, cells[0], size)
        for i, figure in enumerate(cells[1:], start=1):
            page.text(xs[i + 1] - 4 - measure_text(figure, size), y + 3, figure, size)
        for j, (name, amount, right) in enumerate(lines):
            left = xs[4] + 4  # (a 事業 is set in by the full-width space its name opens with)
            if name == "千円":
                page.text(outer - measure_text(name, size), y + 3 + j * pitch, name, size)
                continue
            page.text(left, y + 3 + j * pitch, name, size)
            if amount:
                page.text(right - measure_text(amount, size), y + 3 + j * pitch, amount, size)
        y += h
    return render([page])


def make_supplement_ledger() -> bytes:
    """A supplementary budget's page of spending (歳出): a ruled table of 款 and 項 rows with their sums before the
    supplement, its sums and the totals, whose 説明 column lists each program and its sum without a number
    (「地域福祉計画策定事業　12,000」). No text twin: its reading is checked against what it prints."""
    page = Page(A4_LANDSCAPE)
    size, pitch = 9.0, 13.0
    page.text(40, 30, "令和７年度　一般会計補正予算（第２号）　歳出", 12)
    page.text(700, 52, "（単位：千円）", size)
    xs = [40.0, 120.0, 220.0, 300.0, 370.0, 450.0, 800.0]
    header = ["款", "項", "補正前の額", "補正額", "計", "説明"]
    rows = [
        (["３ 民生費", "１ 社会福祉費", "3,456,789", "62,000", "3,518,789"],
         [("物価高騰対策障害福祉サービス事業所支援金", "50,000"), ("地域福祉計画策定事業", "12,000")]),
        (["", "２ 児童福祉費", "5,678,900", "8,500", "5,687,400"], [("児童館空調設備改修事業", "8,500")]),
    ]
    top = 70.0
    heights = [1.8 * size] + [pitch * len(lines) + 6 for _, lines in rows]
    draw_ruled_rows(page, xs, top, heights, header, size)
    y = top + heights[0]
    for (cells, lines), h in zip(rows, heights[1:]):
        for i, text in enumerate(cells):
            x = xs[i] + 4 if i < 2 else xs[i + 1] - 4 - measure_text(text, size)
            page.text(x, y + 3, text, size)
        for j, (name, amount) in enumerate(lines):
            page.text(xs[5] + 4, y + 3 + j * pitch, name, size)
            page.text(xs[6] - 6 - measure_text(amount, size), y + 3 + j * pitch, amount, size)
        y += h
    return render([page])


def make_table_group_rows() -> bytes:
    """A ruled table of programs whose groups are rows merged across it (「【子育て支援】」, 「高齢者福祉」: no rule
    parts their cells), each over its programs' rows. No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size, pitch = 10.0, 18.0
    page.text(40, 40, "令和７年度　主要事業一覧", 12)
    page.text(470, 64, "（単位：千円）", size)
    xs = [40.0, 260.0, 340.0, 555.0]
    rows = [["事業名", "予算額", "概要"], ["【子育て支援】"], ["保育所運営事業", "1,000", "運営費"],
            ["病児保育事業", "500", "施設整備"], ["高齢者福祉"], ["介護予防事業", "800", "教室開催"]]
    top = 80.0
    for i, cells in enumerate(rows):
        y = top + i * pitch
        page.line(xs[0], y, xs[-1], y)
        for x in (xs if len(cells) > 1 else [xs[0], xs[-1]]):
            page.line(x, y, x, y + pitch)
        for j, text in enumerate(cells):
            x = xs[j + 1] - 4 - measure_text(text, size) if j == 1 and i > 0 else xs[j] + 4
            page.text(x, y + 4, text, size)
    page.line(xs[0], top + len(rows) * pitch, xs[-1], top + len(rows) * pitch)
    return render([page])


def make_three_columns_set_in() -> bytes:
    """A newsletter's page of three columns under a centred title: in each, a heading (「◆健康」), then programs, a
    name (「○重層的支援体制整備事業」) over its amount set in under it (「　4,100万円」), a long name wrapped (「…助成」 /
    「事業」) so that a column's amount stands on a row with the column before's text. No text twin: its reading
    is checked against what it prints."""
    page = Page(A4)
    size, pitch = 10.5, 10.5
    page.text(167.6, 48.6, "令和７年度 当初予算の主な事業", 18)
    columns = [
        (48.75, ["◆子育て", "○出産応援ギフト支給事業", "　2,500万円", "", "○こども医療費助成事業", "　1億8,000万円"]),
        (222.56, ["◆健康", "○帯状疱疹ワクチン接種費助成", "事業", "　3,200万円", "", "○がん検診無料クーポン事業", "　600万円"]),
        (396.36, ["◆福祉", "○重層的支援体制整備事業", "　4,100万円", "", "○避難行動要支援者支援事業", "　350万円"]),
    ]
    for x, lines in columns:
        top = 80.0
        for i, text in enumerate(lines):
            if text.startswith("　"):
                page.text(x + size, top + i * pitch, text[1:], size)
            elif text:
                page.text(x, top + i * pitch, text, size)
    return render([page])


def make_unruled_table_under_title() -> bytes:
    """A table of programs printed without rules, its columns told by its header alone (「事業名　令和７年度　令和６年度
    増減　概要」), under a title whose words stand apart as cells would (「令和７年度　健康福祉部　主要事業」).
    No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size, pitch = 10.0, 16.5
    for x, word in ((49.0, "令和７年度"), (119.0, "健康福祉部"), (189.0, "主要事業")):
        page.text(x, 49.0, word, 11.5)
    page.text(478.0, 73.0, "（単位：千円）", size)
    header = [(55.0, "事業名", False), (295.0, "令和７年度", True), (367.0, "令和６年度", True), (409.0, "増減", True),
              (421.0, "概要", False)]
    rows = [("地域包括支援センター運営事業", "48,000", "45,000", "3,000", "センターを１か所増設"),
            ("認知症カフェ運営支援事業", "2,400", "0", "2,400", "運営費を補助"),
            ("介護予防普及啓発事業", "5,000", "5,500", "△500", "教室を再編")]
    top = 96.0
    for i, cells in enumerate([tuple(word for _, word, _ in header)] + rows):
        for (x, _, flush_right), text in zip(header, cells):
            page.text(x - measure_text(text, size) if flush_right else x, top + i * pitch, text, size)
    return render([page])


def make_table_merged_group_cells() -> bytes:
    """A ruled table whose first column (「分野」) holds each group's name in one cell merged down over its
    programs' rows (「子育て」 over two, 「健康」 over three), the name set in its middle. No text twin: its reading
    is checked against what it prints."""
    page = Page(A4)
    size, pitch = 10.0, 20.0
    page.text(40, 36, "令和７年度　当初予算　主な事業", 14)
    page.text(460, 62, "（単位：千円）", size)
    xs = [40.0, 120.0, 360.0, 440.0, 555.0]
    groups = [("子育て", [("保育所等整備事業", "120,000", "２施設の整備"), ("放課後児童クラブ運営事業", "65,400", "１８クラブ")]),
              ("健康", [("がん検診推進事業", "22,800", "無料クーポン"), ("予防接種事業", "150,200", "定期接種"),
                        ("母子保健事業", "9,700", "妊婦健診")])]
    top = 80.0
    page.line(xs[0], top, xs[-1], top)
    for x in xs:
        page.line(x, top, x, top + pitch)
    for x, text in zip(xs, ["分野", "事業名", "予算額", "概要"]):
        page.text(x + 4, top + 4, text, size)
    y = top + pitch
    for group, rows in groups:
        first = y
        page.line(xs[0], y, xs[-1], y)
        for name, amount, note in rows:
            page.line(xs[1], y, xs[-1], y)
            for x in xs[1:]:
                page.line(x, y, x, y + pitch)
            page.text(xs[1] + 4, y + 4, name, size)
            page.text(xs[3] - 4 - measure_text(amount, size), y + 4, amount, size)
            page.text(xs[3] + 4, y + 4, note, size)
            y += pitch
        page.line(xs[0], first, xs[0], y)
        page.text(xs[0] + 4, (first + y) / 2 - size / 2, group, size)
    page.line(xs[0], y, xs[-1], y)
    return render([page])


def make_table_merged_account_cells() -> bytes:
    """A ruled table of a supplement's programs whose 「款・項・目」 column holds each 款's account in one cell merged down
    over its programs' rows, each row's 項 and 目 printed at that row's height where they change (「(3)老人福祉費」 level
    with the third of four rows, the two between printing nothing), and a 目's name wrapped onto a line that reaches
    into the next row (「(2)こども保育」 over 「総務費」). No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size, pitch = 9.0, 36.0
    page.text(40, 36, "令和８年度　６月補正予算　主要事業", 14)
    page.text(460, 62, "（単位：千円）", size)
    xs = [40.0, 64.0, 180.0, 400.0, 470.0, 555.0]
    top = 80.0
    page.line(xs[0], top, xs[-1], top)
    for x in xs:
        page.line(x, top, x, top + 20)
    for x, text in zip(xs, ["№", "款・項・目", "事業名", "補正前額", "補正額"]):
        page.text(x + 3, top + 5, text, size)
    # each 款's cell: the lines printed at the height of each row (by its place in the 款's rows), and the rows
    groups = [({0: ["3民生費", "1)社会福祉費", "(1)社会福祉総務費"], 2: ["(3)老人福祉費"]},
               [("地域福祉推進事業", "12,000", "3,000"), ("民生委員活動事業", "8,500", "1,200"),
                ("介護予防推進事業", "20,000", "5,400"), ("高齢者見守り事業", "4,800", "600")]),
              ({0: ["3民生費", "2)児童福祉費", "(2)こども保育", "総務費"]},
               [("保育所整備事業", "150,000", "30,000"), ("病児保育事業", "6,000", "900")])]
    y = top + 20
    number = 0
    for levels, rows in groups:
        first = y
        page.line(xs[0], y, xs[-1], y)
        for name, before, amount in rows:
            number += 1
            page.line(xs[2], y, xs[-1], y)
            page.line(xs[0], y, xs[1], y)
            for x in xs:
                page.line(x, y, x, y + pitch)
            page.text(xs[0] + 3, y + 4, str(number), size)
            page.text(xs[2] + 3, y + 4, name, size)
            page.text(xs[4] - 3 - measure_text(before, size), y + 4, before, size)
            page.text(xs[5] - 3 - measure_text(amount, size), y + 4, amount, size)
            y += pitch
        for row, lines in levels.items():
            for i, text in enumerate(lines):
                page.text(xs[1] + 3, first + row * pitch + 4 + i * (size + 1), text, size)
    page.line(xs[0], y, xs[-1], y)
    return render([page])


def make_table_header_on_every_page() -> bytes:
    """A ruled table of programs over two pages, its header row (「事業名　予算額　前年度　概要」) printed again at the
    top of the second, at the same height as on the first, a page number at each foot. No text twin: its reading
    is checked against what it prints."""
    rows = [("子ども医療費助成事業", "191,174", "185,000", "高校生まで助成"),
            ("ひとり親家庭医療費助成事業", "40,500", "41,200", "医療費の助成"), ("妊婦健康診査事業", "88,000", "86,300", "14回分の助成"),
            ("産後ケア事業", "12,600", "9,800", "宿泊型の拡充"), ("乳幼児健康診査事業", "25,300", "25,300", "4か月・1歳6か月・3歳児")]
    xs = [40.0, 240.0, 320.0, 400.0, 555.0]
    size, pitch = 10.0, 20.0
    pages = []
    for number, chunk in enumerate((rows[:3], rows[3:]), 1):
        page = Page(A4)
        if number == 1:
            page.text(40, 36, "令和７年度　こども家庭課　主要事業", 14)
        page.text(470, 62, "（単位：千円）", size)
        top = 80.0
        for i, cells in enumerate([("事業名", "予算額", "前年度", "概要"), *chunk]):
            y = top + i * pitch
            page.line(xs[0], y, xs[-1], y)
            for x in xs:
                page.line(x, y, x, y + pitch)
            for j, text in enumerate(cells):
                x = xs[j + 1] - 4 - measure_text(text, size) if j in (1, 2) and i > 0 else xs[j] + 4
                page.text(x, y + 4, text, size)
        page.line(xs[0], top + (len(chunk) + 1) * pitch, xs[-1], top + (len(chunk) + 1) * pitch)
        page.text(290, 800, f"- {number} -", 9)
        pages.append(page)
    return render(pages)


def make_rows_without_rules_or_header() -> bytes:
    """Programs in rows under a unit note, no rules and no header: a number and a name, a description, an amount set
    right (「1 認知症初期集中支援推進事業」 「専門職チームによる訪問支援」 「12,400」), the three far apart, every row level.
    No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.0
    page.text(50, 40, "令和７年度　高齢福祉課　主要事業", 14)
    page.text(470, 66, "（単位：千円）", size)
    rows = [("1", "認知症初期集中支援推進事業", "専門職チームによる訪問支援", "12,400"),
            ("2", "成年後見制度利用支援事業", "申立費用等の助成", "6,200"),
            ("3", "高齢者虐待防止ネットワーク事業", "関係機関の連絡会議", "1,100"),
            ("4", "介護予防普及啓発事業", "介護予防教室の開催", "5,000")]
    for i, (number, name, description, amount) in enumerate(rows):
        top = 90.0 + 20.0 * i
        page.text(50, top, number, size)
        page.text(65, top, name, size)
        page.text(260, top, description, size)
        page.text(530 - measure_text(amount, size), top, amount, size)
    return render([page])


def make_amounts_with_notes_far_right() -> bytes:
    """Listed programs, each name at the left and its amount set far right with notes in brackets after it: the office in
    charge, a flag, the shares of its cost (「・子育て短期支援事業」 … 「１，２００千円　（こども家庭課）」). No text twin: its
    reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和７年度　こども家庭部　主な事業", 14)
    rows = [("・子育て短期支援事業", "１，２００千円　（こども家庭課）"), ("・病児保育事業", "１８，０００千円（拡充）（保育課）"),
            ("・障害児通所支援事業", "１２０，０００千円（国1/2、県1/4）")]
    for i, (name, amount) in enumerate(rows):
        top = 80.0 + 20.0 * i
        page.text(55, top, name, size)
        page.text(300, top, amount, size)
    return render([page])


def make_amounts_under_names_far_right() -> bytes:
    """Programs, each name over its amount set far right on the line below and its description under that (「●　障害者
    グループホーム整備補助事業」, 「３０，０００千円」, 「グループホームの新設に対して補助する。」). No text twin: its reading is checked
    against what it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和７年度　福祉部　重点事業", 14)
    top = 80.0
    for name, amount, description in (("●　障害者グループホーム整備補助事業", "３０，０００千円", "グループホームの新設に対して補助する。"),
                                      ("●　手話通訳者派遣事業", "２，４００千円", "聴覚障害者の意思疎通を支援する。")):
        page.text(50, top, name, size)
        page.text(480 - measure_text(amount, size), top + 17, amount, size)
        page.text(70, top + 34, description, size)
        top += 56
    return render([page])


def make_sheet_labels_column() -> bytes:
    """Two records of a sheet of labelled fields, the labels in a column of their own left of the values
    (「事業名」 │ 「母子保健事業【拡充】」, 「担当課」 │ 「健康推進課」, 「予算額」 │ 「42,300千円」), a record's number above.
    No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和７年度　主要事業説明書", 14)
    top = 80.0
    for number, name, office, amount in (("No.1", "介護予防・日常生活支援総合事業", "高齢福祉課", "125,000千円"),
                                         ("No.2", "母子保健事業【拡充】", "健康推進課", "42,300千円")):
        page.text(50, top, number, size)
        for i, (label, value) in enumerate((("事業名", name), ("担当課", office), ("予算額", amount))):
            page.text(50, top + 18 * (i + 1), label, size)
            page.text(130, top + 18 * (i + 1), value, size)
        top += 100
    return render([page])


def make_year_figure_under_heading() -> bytes:
    """■ programs, each over a line of this year's figure by its year and last year's in brackets, set in under it
    (「令和８年度　3,600千円（令和７年度　3,000千円）」), and a description. No text twin: its reading is checked against what
    it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和８年度　福祉総務課　主要事業", 14)
    top = 80.0
    for name, figures, description in (("■ 避難行動要支援者支援事業", "令和８年度　3,600千円（令和７年度　3,000千円）", "個別避難計画の作成を進める。"),
                                       ("■ 民生委員活動支援事業", "令和８年度　12,000千円（令和７年度　11,500千円）", "民生委員の活動を支援する。")):
        page.text(50, top, name, size)
        page.text(65, top + 17, figures, size)
        page.text(65, top + 34, description, size)
        top += 60
    return render([page])


def make_unit_list_figures_far_right() -> bytes:
    """Numbered programs under 「（単位：千円）」, each figure alone set far right on its row (「（１）民生委員活動支援事業」 …
    「12,345」), one said to be about so much (「約２，５００万円」), descriptions under some. No text twin: its reading is
    checked against what it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和７年度　健康福祉部　当初予算の概要", 14)
    page.text(470, 66, "（単位：千円）", size)
    rows = [("（１）民生委員活動支援事業", "12,345", "民生委員・児童委員の活動を支援する。"),
            ("（２）ひきこもり支援推進事業", "8,000", None),
            ("（３）社会福祉協議会補助事業", "約２，５００万円", "地域福祉活動を支援する。")]
    top = 90.0
    for name, figure, description in rows:
        page.text(55, top, name, size)
        page.text(530 - measure_text(figure, size), top, figure, size)
        top += 18
        if description:
            page.text(75, top, description, size)
            top += 18
    return render([page])


def make_two_column_table() -> bytes:
    """A table of two columns printed without rules, names and budgets (「事業名」 │ 「予算額（円）」), the budgets set
    right. No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5

    put = page.putter(size)

    page.text(50, 40, "令和８年度　健康づくり課　主要事業", 14)
    put(55, 80, "事業名"), put(420, 80, "予算額（円）", True)
    for i, (name, budget) in enumerate((("高齢者肺炎球菌ワクチン接種事業", "12,345,000"), ("骨髄移植ドナー支援事業", "700,000"),
                                        ("風しん予防接種事業", "3,210,000"))):
        put(55, 100 + 18 * i, name), put(420, 100 + 18 * i, budget, True)
    return render([page])


def make_one_row_table() -> bytes:
    """A table printed without rules of one program under 「（単位：千円）」 (「事業名 │ 補正額 │ 主な内容」 over one row), as a
    supplement adding one program prints it. No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5

    put = page.putter(size)

    page.text(50, 40, "令和７年度　９月補正予算の概要", 14)
    put(540, 66, "（単位：千円）", True)
    put(55, 86, "事業名"), put(330, 86, "補正額", True), put(350, 86, "主な内容")
    put(55, 106, "物価高騰対策支援事業"), put(330, 106, "50,000", True), put(350, 106, "事業者の光熱費を支援")
    return render([page])


def make_main_programs_column() -> bytes:
    """A table printed without rules whose names stand under 「主な事業」, a policy before them (「施策 │ 主な事業 │
    予算額（百万円） │ 前年度（百万円）」). No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5

    put = page.putter(size)

    page.text(50, 40, "令和８年度　主要施策", 14)
    put(55, 80, "施策"), put(160, 80, "主な事業"), put(430, 80, "予算額（百万円）", True), put(530, 80, "前年度（百万円）", True)
    for i, (policy, name, budget, prior) in enumerate((("地域医療の確保", "医師確保対策推進事業", "412.5", "398.0"),
                                                      ("子育て支援", "子ども医療費助成事業", "2,845.0", "2,790.2"))):
        top = 100 + 18 * i
        put(55, top, policy), put(160, top, name), put(430, top, budget, True), put(530, top, prior, True)
    return render([page])


def make_labelled_figures_far_right() -> bytes:
    """A supplement's programs under ■ headings of their accounts, each name at the left and its figure after its budget
    word far right (「○ 新型コロナワクチン接種事業」 … 「補正額　△１２，０００」), under 「（単位：千円）」. No text twin: its
    reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5
    page.text(50, 40, "令和７年度　一般会計補正予算（第３号）の概要", 14)
    page.text(470, 66, "（単位：千円）", size)
    top = 86.0
    for heading, rows in (("■ 民生費", (("○ 物価高騰対策給付金事業", "補正額　１，１６１，０５５"),)),
                          ("■ 衛生費", (("○ 新型コロナワクチン接種事業", "補正額　△１２，０００"),))):
        page.text(50, top, heading, size)
        top += 18
        for name, figure in rows:
            page.text(65, top, name, size)
            page.text(530 - measure_text(figure, size), top, figure, size)
            top += 18
    return render([page])


def make_tracked_header_with_units() -> bytes:
    """A table printed without rules whose headers are set wide, one with its unit after its last letter (「番号」 close
    before 「事 業 名」, 「予 算 額（千円）」), a flag set apart before a name in its cell (「新　生活困窮者支援事業」). No text
    twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.5

    put = page.putter(size)

    page.text(50, 40, "令和７年度　福祉保健部　主要事業一覧", 14)
    put(50, 80, "番号")
    for x, letter in ((80, "事"), (100, "業"), (120, "名")):
        put(x, 80, letter)
    for x, letter in ((290, "予"), (310, "算")):
        put(x, 80, letter)
    put(330, 80, "額（千円）"), put(420, 80, "前年度（千円）")
    for i, (number, flag, name, budget, prior) in enumerate((("1", "", "地域福祉計画推進事業", "3,200", "3,000"),
                                                            ("2", "新", "生活困窮者支援事業", "15,000", "0"))):
        top = 100 + 18 * i
        put(50, top, number)
        if flag:
            put(80, top, flag)
        put(100 if flag else 80, top, name), put(380, top, budget, True), put(490, top, prior, True)
    return render([page])


def make_units_under_the_header() -> bytes:
    """A table printed without rules whose amounts' unit stands alone on a second header row, each under its year
    (「事業名　令和８年度　令和７年度　概要」 over 「（千円）　（千円）」). No text twin: its reading is checked against
    what it prints."""
    page = Page(A4)
    size = 10.0

    put = page.putter(size)

    page.text(50, 40, "令和８年度　健康推進課　主要事業", 14)
    put(55, 80, "事業名"), put(330, 80, "令和８年度", True), put(400, 80, "令和７年度", True), put(420, 80, "概要")
    put(330, 94, "（千円）", True), put(400, 94, "（千円）", True)
    rows = [("がん検診推進事業", "22,800", "21,000", "無料クーポンの配布"), ("特定健診受診率向上事業", "4,500", "4,200", "未受診者への勧奨"),
            ("健康ポイント事業", "3,000", "0", "アプリによるポイント付与")]
    for i, (name, budget, prior, description) in enumerate(rows):
        top = 114.0 + 18.0 * i
        put(55, top, name), put(330, top, budget, True), put(400, top, prior, True), put(420, top, description)
    return render([page])


def make_years_under_one_header() -> bytes:
    """A ruled table of two header rows: 「予算額（千円）」 merged across two columns over 「令和８年度」 and 「令和７年度」,
    beside 「事業名」 and 「概要」 merged down over both rows. No text twin: its reading is checked against what it
    prints."""
    page = Page(A4)
    size, top = 10.0, 70.0
    xs = [40.0, 250.0, 330.0, 410.0, 555.0]
    page.text(40, 36, "令和８年度　地域福祉課　主要事業", 14)
    page.line(xs[0], top, xs[-1], top)
    page.line(xs[1], top + 18, xs[3], top + 18)  # under the merged header only
    for x in (xs[0], xs[1], xs[3], xs[4]):
        page.line(x, top, x, top + 36)
    page.line(xs[2], top + 18, xs[2], top + 36)
    page.text(xs[0] + 4, top + 12, "事業名", size)
    page.text(xs[1] + 30, top + 4, "予算額（千円）", size)
    page.text(xs[3] + 4, top + 12, "概要", size)
    page.text(xs[1] + 4, top + 22, "令和８年度", size)
    page.text(xs[2] + 4, top + 22, "令和７年度", size)
    rows = [("重層的支援体制整備事業", "41,000", "38,500", "相談支援の一体的実施"), ("生活困窮者自立支援事業", "30,000", "29,000", "就労準備支援の拡充"),
            ("民生委員活動支援事業", "12,300", "12,300", "活動費の助成")]
    y = top + 36
    for name, budget, prior, description in rows:
        page.line(xs[0], y, xs[-1], y)
        for x in xs:
            page.line(x, y, x, y + 20)
        page.text(xs[0] + 4, y + 4, name, size)
        page.text(xs[2] - 4 - measure_text(budget, size), y + 4, budget, size)
        page.text(xs[3] - 4 - measure_text(prior, size), y + 4, prior, size)
        page.text(xs[3] + 4, y + 4, description, size)
        y += 20
    page.line(xs[0], y, xs[-1], y)
    return render([page])


def make_unruled_amounts_centred() -> bytes:
    """A table printed without rules, under its header, whose names of two lines have their amounts set in the
    middle, level with neither line (「障害者グループホーム整備」 over 「支援事業」, 「45,000」 between them). No text
    twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.0

    put = page.putter(size)

    page.text(50, 40, "令和７年度　障害福祉課　主要事業", 14)
    put(470, 62, "（単位：千円）")
    put(55, 84, "事業名"), put(380, 84, "予算額", True), put(450, 84, "前年度", True), put(470, 84, "備考")
    rows = [(["障害者グループホーム整備", "支援事業"], "45,000", "30,000", "新規2施設"),
            (["医療的ケア児等コーディネーター", "配置事業"], "6,000", "5,400", "1名増"), (["日中一時支援事業"], "18,200", "18,200", "")]
    top = 106.0
    for names, budget, prior, note in rows:
        for k, name in enumerate(names):
            put(55, top + 13 * k, name)
        middle = top + 13 * (len(names) - 1) / 2
        put(380, middle, budget, True), put(450, middle, prior, True)
        if note:
            put(470, middle, note)
        top += 13 * len(names) + 9
    return render([page])


def make_striped_table() -> bytes:
    """A table without rules whose header and every other row are shaded (rects filled, not stroked), the amounts
    set right. No text twin: its reading is checked against what it prints."""
    page = Page(A4)
    size = 10.0
    page.text(50, 40, "令和７年度　子ども家庭課　主要事業", 14)
    page.text(470, 62, "（単位：千円）", size)
    page.rect(45, 78, 550, 96, fill=(0.8, 0.8, 0.8), stroke=False)
    page.text(55, 82, "事業名", size)
    for x, word in ((380.0, "予算額"), (450.0, "前年度")):
        page.text(x - measure_text(word, size), 82, word, size)
    rows = [("児童虐待防止対策事業", "9,500", "9,000"), ("子育て短期支援事業", "2,200", "2,000"), ("養育支援訪問事業", "3,100", "3,100")]
    for i, (name, budget, prior) in enumerate(rows):
        top = 96.0 + 18 * i
        if i % 2:
            page.rect(45, top, 550, top + 18, fill=(0.93, 0.93, 0.93), stroke=False)
        page.text(55, top + 4, name, size)
        page.text(380 - measure_text(budget, size), top + 4, budget, size)
        page.text(450 - measure_text(prior, size), top + 4, prior, size)
    return render([page])


def make_font_not_embedded() -> bytes:
    """A page of Japanese text set vertically in a font the PDF names but does not embed (「Ryumin-Light」,
    Adobe-Japan1, its glyphs given by number through ``Identity-V``, as in a gazette), one line a column from
    the right: a reader must find a font for it itself, and without one may leave lines out. Written object by object (reportlab names such a font by a Unicode
    CMap, which a reader reads without a font); each character's glyph number is the first Adobe-Japan1 gives
    it (pdfminer's table). No text twin: its reading is checked against what it prints."""
    from pdfminer.cmapdb import CMapDB

    glyphs: dict[str, int] = {}
    for cid, char in sorted(CMapDB.get_unicode_map("Adobe-Japan1", False).cid2unichr.items()):
        glyphs.setdefault(char, cid)
    lines = ["令和７年度　主な事業", "■介護予防普及啓発事業【5,000千円】", "■認知症カフェ運営支援事業【2,400千円】"]
    content = "".join(f"BT /F1 12 Tf {500 - 24 * i} 780 Td <{''.join(f'{glyphs[ch]:04X}' for ch in text)}> Tj ET\n"
                      for i, text in enumerate(lines)).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light-Identity-V /Encoding /Identity-V "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /Ryumin-Light /Flags 6 /FontBBox [-170 -331 1024 903] /ItalicAngle 0 "
        b"/Ascent 723 /Descent -241 /CapHeight 709 /StemV 69 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_scanned_page() -> bytes:
    """Page 1 has text; page 2 is an image only, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (240, 320), 255)
    draw = ImageDraw.Draw(img)
    for i in range(12):
        draw.line((20, 30 + i * 22, 220, 30 + i * 22), fill=40, width=3)
    pages = [Page(A4), Page(A4)]
    pages[0].text(60, 60, "令和７年度 在宅療養推進に向けた都の取組", 16)
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw_page(c, pages[0], None)
    c.showPage()
    c.drawImage(ImageReader(img), 40, 40, width=A4[0] - 80, height=A4[1] - 80)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_garbled(with_unicode: bool) -> bytes:
    """Page 1 is plain text; page 2's font maps its glyphs to nothing (``(cid:NN)``) or,
    ``with_unicode``, to private-use characters. Written by hand: reportlab always maps."""
    glyphs = "".join(f"{i:04X}" for i in range(0x21, 0x60))
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    def stream(content: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

    catalog = add("<< /Type /Catalog /Pages 2 0 R >>")
    add("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
    add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>")
    add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F2 7 0 R >> >> /Contents 8 0 R >>")
    add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    add(stream(b"BT /F1 14 Tf 60 780 Td (Meeting materials 2025) Tj ET"))
    tounicode = " /ToUnicode 11 0 R" if with_unicode else ""
    add(f"<< /Type /Font /Subtype /Type0 /BaseFont /Garbled /Encoding /Identity-H /DescendantFonts [9 0 R]{tounicode} >>")
    lines = b"".join(b"BT /F2 12 Tf 60 %d Td <%s> Tj ET\n" % (760 - 20 * i, glyphs.encode()) for i in range(10))
    add(stream(lines))
    add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Garbled /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (Identity) /Supplement 0 >> /FontDescriptor 10 0 R /DW 500 >>")
    add("<< /Type /FontDescriptor /FontName /Garbled /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        "/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Garbled-UCS def "
        "/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
        "1 beginbfrange <0021> <005F> <E021> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    add(stream(cmap))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def make_encrypted() -> bytes:
    """A PDF that needs a user password to open."""
    from reportlab.lib import pdfencrypt

    page = Page(A4)
    page.text(60, 60, "令和７年度 在宅療養推進に向けた都の取組", 16)
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    draw_page(c, page, None)
    c.showPage()
    c.save()
    return buf.getvalue()


READABLE = {
    "one_column": make_one_column,
    "two_column_boxes": make_two_column_boxes,
    "three_column_slide": make_three_column_slide,
    "packet": make_packet,
    "long_lines": make_long_lines,
    "gutter_amounts": make_gutter_amounts,
    "gutter_amounts_narrow": lambda: make_gutter_amounts(12.0),
}
SLIDES = {"program_slides": make_program_slides,  # checked against what they print, no twin
          "ledger_wrapped_names": make_ledger_wrapped_names,
          "ledger_bracketed_codes": lambda: make_ledger_wrapped_names(("(1)", "(2)", "①", "②")),
          "ledger_unit_row": lambda: make_ledger_wrapped_names(unit_row=True),
          "ledger_one_edge": lambda: make_ledger_wrapped_names(one_edge=True),
          "slides_unmarked_points": lambda: make_program_slides(marked=False),
          "supplement_ledger_uncoded": make_supplement_ledger,
          "table_group_rows": make_table_group_rows,
          "three_columns_set_in": make_three_columns_set_in,
          "unruled_table_under_title": make_unruled_table_under_title,
          "table_merged_group_cells": make_table_merged_group_cells,
          "table_merged_account_cells": make_table_merged_account_cells,
          "font_not_embedded": make_font_not_embedded,
          "table_header_on_every_page": make_table_header_on_every_page,
          "rows_without_rules_or_header": make_rows_without_rules_or_header,
          "amounts_with_notes_far_right": make_amounts_with_notes_far_right,
          "amounts_under_names_far_right": make_amounts_under_names_far_right,
          "sheet_labels_column": make_sheet_labels_column,
          "year_figure_under_heading": make_year_figure_under_heading,
          "unit_list_figures_far_right": make_unit_list_figures_far_right,
          "two_column_table": make_two_column_table,
          "one_row_table": make_one_row_table,
          "main_programs_column": make_main_programs_column,
          "labelled_figures_far_right": make_labelled_figures_far_right,
          "tracked_header_with_units": make_tracked_header_with_units,
          "units_under_the_header": make_units_under_the_header,
          "years_under_one_header": make_years_under_one_header,
          "unruled_amounts_centred": make_unruled_amounts_centred,
          "striped_table": make_striped_table}
FAILING = {
    "scanned_page": make_scanned_page,
    "private_use_text": lambda: make_garbled(with_unicode=True),
    "cid_text": lambda: make_garbled(with_unicode=False),
    "encrypted": make_encrypted,
}


def build_all() -> dict[str, bytes]:
    """Return every fixture file's name and bytes."""
    register_font()
    files: dict[str, bytes] = {}
    for name, make in READABLE.items():
        pdf, twin = make()
        files[f"{name}.pdf"] = pdf
        files[f"{name}.txt"] = twin.encode("utf-8")
    for name, make in {**FAILING, **SLIDES}.items():
        files[f"{name}.pdf"] = make()
    return files


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(build_all().items()):
        (out / name).write_bytes(data)
        print(f"wrote {out / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
