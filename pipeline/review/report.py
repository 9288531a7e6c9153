"""Review report: static HTML pages that put each document's source beside what was parsed from it.

Input: the extracted tables (``--out``), the source lines of each document read again from
the input folder (``--raw``), and for PDFs the page images with each record's bbox drawn.
Output: ``index.html`` (documents, coverage, budget chart, budget history) and one page per
document: source lines with each program's span highlighted and its parsed fields beside
it, lines no program used marked, and the document's coverage (non-blank source lines inside
some program's ``line_start``..``line_end`` span / all non-blank lines). Static files with
inline CSS and no scripts: they open offline, and the same input gives the same bytes.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..output.files import replace_owned_files
from ..output.tables import group_by, read_folder
from ..read.files import read_document
from ..records import ReadFailure
from .chart import find_japanese_font, render_budget_chart
from .diff import describe_publisher

PDF_RESOLUTION = 100
# The report's record of the files it wrote in its folder: only those are ever replaced or removed.
REVIEW_MANIFEST = ".review-files.json"
PALETTE = ("#e8f1fb", "#fdf1e3", "#e9f6ea", "#f7e8f4", "#fbf7dc", "#e6f4f6")
BORDERS = ("#3d7fc1", "#d9822b", "#3b9a4a", "#a84c93", "#b59b13", "#2b8b98")

# The report's own copy of IPAexGothic (from japanize-matplotlib), so Japanese renders on a
# machine without Japanese fonts; the IPA Font License travels with it.
FONT_FILE = "fonts/ipaexg.ttf"
FONT_FACE = '@font-face{font-family:"IPAexGothic";src:url("fonts/ipaexg.ttf") format("truetype")}'

CSS = """
body{font-family:"Hiragino Sans","Noto Sans CJK JP","IPAexGothic","Yu Gothic",sans-serif;margin:0;color:#1d232a;background:#fff}
header,main{padding:0 1.2rem}
header{border-bottom:1px solid #ccd;background:#f6f7f9;padding-top:.6rem;padding-bottom:.6rem}
h1{font-size:1.3rem;margin:.3rem 0}
h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
a{color:#1f5fa6}
table.grid{border-collapse:collapse;font-size:.9rem}
table.grid th,table.grid td{border:1px solid #d5d9e0;padding:.25rem .5rem;vertical-align:top;text-align:left}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;font-size:.9rem;margin:.4rem 0}
dl.meta dt{color:#5b6470}
dl.meta dd{margin:0}
.coverage{font-weight:bold}
.bar{display:inline-block;width:8rem;height:.6rem;background:#eee;border:1px solid #bbb;vertical-align:middle}
.bar span{display:block;height:100%;background:#3b9a4a}
ol.programs{font-size:.9rem;columns:2;column-gap:2rem}
.seg{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);border-top:1px solid #e3e6ea}
.src{font-family:"IPAexGothic",monospace;font-size:.85rem;white-space:pre-wrap;word-break:break-all;padding:.2rem 0}
.ln{display:grid;grid-template-columns:3.2rem 1fr;min-height:1.2em}
.ln .no{color:#8a93a0;text-align:right;padding-right:.6rem;user-select:none}
.ln.unused .tx{background:#ffecec;text-decoration:underline wavy #d33;text-decoration-thickness:1px}
.ln.unused .no::before{content:"✗ ";color:#d33}
.cards{padding:.3rem .6rem;font-size:.85rem}
.card{border-left:4px solid #999;padding:.3rem .6rem;margin:.2rem 0 .6rem;background:#fafafa}
.card h3{font-size:.95rem;margin:0 0 .3rem}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:0}
.card dt{color:#5b6470}
.card dd{margin:0}
.card ul{margin:.2rem 0 0 1rem;padding:0}
.gap .cards{color:#a33}
.flag{display:inline-block;border:1px solid #a84c93;color:#a84c93;border-radius:3px;padding:0 .3rem;margin-right:.2rem;font-size:.8rem}
.warn{color:#a33}
figure{margin:1rem 0}
figure img{max-width:100%;border:1px solid #ccd}
.legend span{display:inline-block;margin-right:1rem}
h1,.card h3,dl.meta dd{overflow-wrap:anywhere}
table.grid td{overflow-wrap:break-word}
table.grid .num{white-space:nowrap}
@media (max-width:700px){
header,main{padding:0 .6rem}
table.grid{display:block;max-width:100%;overflow-x:auto}
ol.programs{columns:1}
.seg{grid-template-columns:minmax(0,1fr)}
.seg .cards{border-top:1px dashed #d5d9e0}
dl.meta{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
.ln{grid-template-columns:2.4rem 1fr}
}
"""


@dataclass(frozen=True)
class Coverage:
    """Share of a document's non-blank source lines that lie inside some program's span."""

    used: int
    content: int

    @property
    def share(self) -> float | None:
        return self.used / self.content if self.content else None

    def describe(self) -> str:
        if self.share is None:
            return "no content lines"
        return f"{self.share:.1%} ({self.used} of {self.content} non-blank lines)"


@dataclass(frozen=True)
class SourceText:
    """A document's physical lines as the reader gives them, or why there are none."""

    lines: tuple[tuple[int, str], ...]
    problem: str | None = None


@dataclass(frozen=True)
class ReviewFile:
    """One file of the report, relative to the report folder."""

    path: str
    data: bytes


# ---------------------------------------------------------------- pure builders


def compute_used_lines(programs: list[dict[str, Any]]) -> set[int]:
    """Lines some program was read from: its span, its section and subsection headings, the
    detail-page lines its rates came from."""
    used: set[int] = set()
    for p in programs:
        used.update(range(p["line_start"], p["line_end"] + 1))
        for key in ("section_line", "subsection_line"):
            if p.get(key):
                used.add(p[key])
        if p.get("rates_line_start"):
            used.update(range(p["rates_line_start"], p["rates_line_end"] + 1))
    return used


def compute_coverage(lines: tuple[tuple[int, str], ...], programs: list[dict[str, Any]]) -> Coverage:
    """Non-blank lines some program was read from (``compute_used_lines``) / all non-blank lines."""
    used = compute_used_lines(programs)
    content = [n for n, text in lines if text.strip()]
    return Coverage(sum(1 for n in content if n in used), len(content))


def make_page_name(source: str) -> str:
    """File name of a document's page: its source path with ``/`` as ``__``, plus ``.html``."""
    return source.replace("/", "__") + ".html"


def escape_html(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link_to(name: str) -> str:
    """An ``href``/``src`` value for a file of the report: percent-encoded, so that no file name
    (``javascript:alert(1).txt``, ``a#b?c.txt``) is read as a scheme, a fragment or a query."""
    return escape_html(quote(name, safe="/"))


def format_yen(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def format_rates(rates: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{r['numerator']}/{r['denominator']}" + (f"（{r['condition']}）" if r.get("condition") else "") for r in rates
    )


def render_flags(flags: list[str]) -> str:
    return "".join(f'<span class="flag">{escape_html(f)}</span>' for f in flags)


def cluster_programs(programs: list[dict[str, Any]]) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """Group programs whose spans overlap; return (first line, last line, programs) in line order."""
    clusters: list[tuple[int, int, list[dict[str, Any]]]] = []
    for p in sorted(programs, key=lambda r: (r["line_start"], r["ordinal"])):
        if clusters and p["line_start"] <= clusters[-1][1]:
            start, end, members = clusters[-1]
            clusters[-1] = (start, max(end, p["line_end"]), members + [p])
        else:
            clusters.append((p["line_start"], p["line_end"], [p]))
    return clusters


def render_card(p: dict[str, Any], items: list[dict[str, Any]]) -> str:
    """The parsed fields of one program."""
    color = PALETTE[(p["ordinal"] - 1) % len(PALETTE)]
    border = BORDERS[(p["ordinal"] - 1) % len(BORDERS)]
    rows: list[tuple[str, str]] = []
    if p.get("budget_text"):
        budget = f"{format_yen(p['budget_thousand_yen'])} 千円" if p.get("budget_thousand_yen") is not None else ""
        rows.append(("予算", f"<b>{escape_html(budget)}</b> <small>{escape_html(p['budget_text'])}</small>"))
    for label, col in (("但し書き", "budget_qualifier"), ("年度", "fiscal_year"), ("予算の種類", "budget_basis"),
                       ("節", "section"), ("小見出し", "subsection"), ("番号", "numbering"),
                       ("財源", "funding_scheme")):
        if p.get(col) not in (None, ""):
            rows.append((label, escape_html(p[col])))
    if p.get("flags"):
        rows.append(("フラグ", render_flags(p["flags"])))
    if p.get("subsidy_rates"):
        rows.append(("補助率", escape_html(format_rates(p["subsidy_rates"]))))
    for label, col in (("参照ページ", "page_refs"), ("注記", "note_refs"), ("括弧書き", "remarks")):
        if p.get(col):
            rows.append((label, escape_html("、".join(str(v) for v in p[col]))))
    if p.get("description"):
        rows.append(("説明", escape_html(p["description"])))
    where = f"lines {p['line_start']}–{p['line_end']}" if p["line_end"] != p["line_start"] else f"line {p['line_start']}"
    if p.get("page") is not None:
        where += f", page {p['page']}"
    rows.append(("位置", f'<a href="#L{p["line_start"]}">{escape_html(where)}</a>'))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    item_html = ""
    if items:
        lis = "".join(
            f"<li><small>{escape_html(it['kind'])}</small> {escape_html(it['text'])} {render_flags(it['flags'])}"
            + (f" <small>補助率 {escape_html(format_rates(it['subsidy_rates']))}</small>" if it["subsidy_rates"] else "")
            + "</li>"
            for it in items
        )
        item_html = f"<dt>細目</dt><dd><ul>{lis}</ul></dd>"
    return (
        f'<div class="card" id="p-{escape_html(p["program_id"])}" style="border-left-color:{border};background:{color}">'
        f'<h3>{p["ordinal"]}. {escape_html(p["name"])}</h3><dl>{body}{item_html}</dl></div>'
    )


def render_lines(lines: list[tuple[int, str]], owner: dict[int, int], used: set[int]) -> str:
    """Source lines, each with its number; lines in a span get the span's color, unused ones a mark."""
    out = []
    for n, text in lines:
        if not text.strip():
            cls = "blank"
        elif n in used:
            cls = "used"
        else:
            cls = "unused"
        style = ""
        if n in owner:
            i = owner[n]
            style = f' style="background:{PALETTE[i % len(PALETTE)]};box-shadow:inset 4px 0 {BORDERS[i % len(BORDERS)]}"'
        title = ' title="no program used this line"' if cls == "unused" else ""
        out.append(f'<div class="ln {cls}" id="L{n}"{style}{title}><span class="no">{n}</span><span class="tx">{escape_html(text)}</span></div>')
    return "".join(out)


def render_source(text: SourceText, programs: list[dict[str, Any]], items_by_program: dict[str, list[dict[str, Any]]]) -> str:
    """Segments of source lines: each program cluster beside its cards, the lines between marked."""
    used = compute_used_lines(programs)
    owner: dict[int, int] = {}
    for p in sorted(programs, key=lambda r: (r["line_start"], r["ordinal"])):
        for n in range(p["line_start"], p["line_end"] + 1):
            owner.setdefault(n, p["ordinal"] - 1)
    by_number = dict(text.lines)
    numbers = [n for n, _ in text.lines]
    segments = []
    cursor = numbers[0] if numbers else 1
    last = numbers[-1] if numbers else 0

    def add_gap(start: int, end: int) -> None:
        chunk = [(n, by_number[n]) for n in range(start, end + 1) if n in by_number]
        if not chunk:
            return
        unused = sum(1 for n, t in chunk if t.strip() and n not in used)  # the lines marked ✗, no more
        note = f"{unused} non-blank line{'s' if unused != 1 else ''} used by no program" if unused else ""
        segments.append(f'<div class="seg gap"><div class="src">{render_lines(chunk, owner, used)}</div>'
                        f'<div class="cards">{escape_html(note)}</div></div>')

    for start, end, members in cluster_programs(programs):
        if start > cursor:
            add_gap(cursor, start - 1)
        chunk = [(n, by_number.get(n, "")) for n in range(start, end + 1)]
        cards = "".join(render_card(p, items_by_program.get(p["program_id"], [])) for p in members)
        segments.append(f'<div class="seg"><div class="src">{render_lines(chunk, owner, used)}</div>'
                        f'<div class="cards">{cards}</div></div>')
        cursor = max(cursor, end + 1)
    if cursor <= last:
        add_gap(cursor, last)
    return "".join(segments)


def wrap_page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape_html(title)}</title>\n<style>{FONT_FACE}{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_meta(doc: dict[str, Any], coverage: Coverage | None) -> str:
    rows = [
        ("表題 title", escape_html(doc.get("title") or "—")),
        ("形式 format", escape_html(doc.get("format"))),
        ("状態 status", escape_html(doc.get("status")) + (f' <span class="warn">{escape_html(doc.get("error"))}</span>' if doc.get("error") else "")),
        ("年度 fiscal year", escape_html(doc.get("fiscal_year")) + (f" <small>({escape_html(doc.get('fiscal_year_source'))})</small>" if doc.get("fiscal_year_source") else "")),
        ("予算の種類 basis", escape_html(doc.get("budget_basis") or "—")),
        ("団体・予算 government, budget kind", escape_html(describe_publisher(doc))),
        ("文書の種類 document kind", escape_html(doc.get("document_kind") or "—")),
        ("会議 meeting", escape_html(" ".join(str(doc[k]) for k in ("meeting_name", "meeting_date", "material_number")
                                             if doc.get(k)) or "—")),
        ("出典 source URL", escape_html(" ".join(str(doc[k]) for k in ("source_url", "retrieved") if doc.get(k)) or "—")),
        ("読み順 reading order", escape_html(doc.get("reading_order") or "—")),
        ("事業 programs", escape_html(doc.get("n_programs"))),
        ("細目 items", escape_html(doc.get("n_items"))),
    ]
    if coverage is not None:
        rows.append(("使用率 coverage", f'<span class="coverage">{escape_html(coverage.describe())}</span>'))
    for w in doc.get("warnings") or []:
        rows.append(("警告 warning", f'<span class="warn">{escape_html(w)}</span>'))
    for t in doc.get("total_checks") or []:
        mark = "一致 matches" if t["matches"] else "不一致 differs"
        rows.append(("合計 total", escape_html(f"line {t['line']}: stated {t['stated_thousand_yen']:,} / computed "
                                       f"{t['computed_thousand_yen']:,} 千円 ({t['n_programs']} programs) {mark}")))
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def render_program_list(programs: list[dict[str, Any]]) -> str:
    lis = []
    for p in programs:
        budget = f" — {format_yen(p['budget_thousand_yen'])} 千円" if p.get("budget_thousand_yen") is not None else ""
        where = f"L{p['line_start']}" + (f", p.{p['page']}" if p.get("page") is not None else "")
        lis.append(f'<li><a href="#p-{escape_html(p["program_id"])}">{escape_html(p["name"])}</a>'
                   f"{escape_html(budget)} <small>({escape_html(where)})</small> {render_flags(p['flags'])}</li>")
    return f'<ol class="programs">{"".join(lis)}</ol>'


def render_pdf_section(doc: dict[str, Any], programs: list[dict[str, Any]], images: dict[int, str]) -> str:
    """Page images with each record's bbox drawn, and which programs sit on each page."""
    parts = []
    for page in sorted(images):
        on_page = [p for p in programs if p.get("page") == page]
        names = "、".join(f'<a href="#p-{escape_html(p["program_id"])}">{p["ordinal"]}. {escape_html(p["name"])}</a>' for p in on_page)
        parts.append(f'<figure id="page-{page}"><img src="{link_to(images[page])}" alt="page {page} of {escape_html(doc["source"])}">'
                     f"<figcaption>page {page}: {names or 'no program on this page'}</figcaption></figure>")
    return "".join(parts)


def build_document_page(doc: dict[str, Any], programs: list[dict[str, Any]], items: list[dict[str, Any]],
                        text: SourceText, pdf_images: dict[int, str], image_problem: str | None = None) -> str:
    """One document's review page."""
    programs = sorted(programs, key=lambda r: r["ordinal"])
    items_by_program: dict[str, list[dict[str, Any]]] = {}
    for it in sorted(items, key=lambda r: (r["program_id"], r["ordinal"])):
        items_by_program.setdefault(it["program_id"], []).append(it)
    coverage = compute_coverage(text.lines, programs) if text.lines else None
    body = [f'<header><a href="index.html">← index</a><h1>{escape_html(doc["source"])}</h1>{render_meta(doc, coverage)}</header><main>']
    body.append(f"<h2>事業 Programs ({len(programs)})</h2>{render_program_list(programs)}")
    if pdf_images:
        body.append(f"<h2>ページ Pages</h2>{render_pdf_section(doc, programs, pdf_images)}")
    elif image_problem:
        body.append(f'<h2>ページ Pages</h2><p class="warn">page images not shown: {escape_html(image_problem)}</p>')
    body.append('<h2>原文と抽出結果 Source and parsed fields</h2><p class="legend">'
                '<span>色付きの行: 事業の範囲 (a program\'s span)</span>'
                '<span style="background:#ffecec">✗ 下線の行: どの事業にも使われていない行 (used by no program)</span></p>')
    if text.lines:
        body.append(render_source(text, programs, items_by_program))
    else:
        body.append(f'<p class="warn">source lines not shown: {escape_html(text.problem)}</p>')
        body.append("".join(render_card(p, items_by_program.get(p["program_id"], [])) for p in programs))
    body.append("</main>")
    return wrap_page(f"{doc['source']} — review", "".join(body))


def render_history_table(history: list[dict[str, Any]]) -> str:
    rows = []
    for r in sorted(history, key=lambda r: (r["name_key"], r["fiscal_year"])):
        change = ""
        if r.get("change_thousand_yen") is not None:
            change = f"{r['change_thousand_yen']:+,}"
            if r.get("change_ratio") is not None:
                change += f" ({r['change_ratio']:+.1%})"
        rows.append(
            f"<tr><td>{escape_html(r['name'])}</td><td class=\"num\">{escape_html(r['fiscal_year'])}</td>"
            f"<td class=\"num\">{escape_html(format_yen(r['budget_thousand_yen']))}</td><td>{escape_html(r.get('budget_qualifier') or '')}</td>"
            f"<td>{escape_html(r.get('budget_basis') or '')}</td>"
            f"<td><a href=\"{link_to(make_page_name(r['source']))}#p-{escape_html(r['program_id'])}\">{escape_html(r['source'])}</a></td>"
            f"<td title=\"{escape_html(r['choice_note'])}\">{escape_html(r['choice_rule'])}</td>"
            f"<td class=\"num\">{escape_html(r.get('previous_fiscal_year') or '')}</td><td class=\"num\">{escape_html(change)}</td></tr>"
        )
    head = ("<tr><th>事業 program</th><th class=\"num\">年度 FY</th><th class=\"num\">予算（千円）</th><th>但し書き</th>"
            "<th>種類 basis</th><th>出典 source</th><th>採用理由 rule</th><th class=\"num\">前年度 prev. FY</th>"
            "<th class=\"num\">増減（千円）change</th></tr>")
    return f'<table class="grid">{head}{"".join(rows)}</table>'


def build_index(documents: list[dict[str, Any]], coverages: dict[str, Coverage | None],
                history: list[dict[str, Any]], chart: str | None) -> str:
    """The report's front page."""
    rows = []
    for d in sorted(documents, key=lambda r: r["source"]):
        cov = coverages.get(d["source"])
        share = cov.share if cov else None
        bar = f'<span class="bar"><span style="width:{share * 100:.1f}%"></span></span> ' if share is not None else ""
        rows.append(
            f"<tr><td><a href=\"{link_to(make_page_name(d['source']))}\">{escape_html(d['source'])}</a><br><small>{escape_html(d.get('title') or '')}</small>"
            f"<br><small>{escape_html(describe_publisher(d))}</small></td>"
            f"<td>{escape_html(d['format'])}</td><td>{escape_html(d['status'])}</td><td class=\"num\">{escape_html(d.get('fiscal_year') or '')}</td>"
            f"<td>{escape_html(d.get('budget_basis') or '')}</td><td class=\"num\">{escape_html(d['n_programs'])}</td>"
            f"<td class=\"num\">{escape_html(d['n_items'])}</td><td>{bar}{escape_html(cov.describe() if cov else 'no source lines')}</td>"
            f"<td class=\"warn\">{escape_html('; '.join(d.get('warnings') or []))}</td></tr>"
        )
    head = ("<tr><th>文書 document</th><th>形式</th><th>状態</th><th class=\"num\">年度</th><th>予算の種類</th>"
            "<th class=\"num\">事業</th><th class=\"num\">細目</th><th>使用率 coverage</th><th>警告 warnings</th></tr>")
    body = [
        "<header><h1>抽出結果のレビュー Extraction review</h1>"
        "<p>使用率 coverage = 事業が読んだ空行以外の行（line_start..line_end、section・subsection の見出し行、"
        "補助率を読んだ詳細ページの行） / 空行以外の全行。 Coverage is the share of non-blank source lines some "
        "program was read from: its span, its section and subsection headings, the detail-page lines of its rates.</p>"
        "</header><main>",
        f'<h2>文書 Documents ({len(documents)})</h2><table class="grid">{head}{"".join(rows)}</table>',
    ]
    if chart:
        body.append(f'<h2>予算の推移 Budgets by fiscal year</h2><figure><img src="{link_to(chart)}" '
                    'alt="予算の大きい事業の予算の推移"></figure>')
    body.append(f"<h2>予算の履歴 Budget history ({len(history)})</h2>{render_history_table(history)}")
    body.append("</main>")
    return wrap_page("Extraction review", "".join(body))


def build_report(tables: dict[str, list[dict[str, Any]]], texts: dict[str, SourceText],
                 pdf_pages: dict[str, dict[int, bytes]], chart_png: bytes | None,
                 font_files: tuple[ReviewFile, ...] = (),
                 image_problems: dict[str, str] | None = None) -> tuple[ReviewFile, ...]:
    """Every file of the report: index, one page per document, the chart, PDF page images and the font.

    ``image_problems`` says, by source, why a PDF's page images could not be drawn.
    """
    files: list[ReviewFile] = list(font_files)
    programs = group_by(tables["programs"], "source")
    items = group_by(tables["program_items"], "source")
    coverages: dict[str, Coverage | None] = {}
    for doc in sorted(tables["documents"], key=lambda r: r["source"]):
        source = doc["source"]
        text = texts.get(source, SourceText((), "not read"))
        images: dict[int, str] = {}
        for page, png in sorted(pdf_pages.get(source, {}).items()):
            name = f"pages/{make_page_name(source)[:-5]}-p{page}.png"
            images[page] = name
            files.append(ReviewFile(name, png))
        progs = programs.get(source, [])
        coverages[source] = compute_coverage(text.lines, progs) if text.lines else None
        html_page = build_document_page(doc, progs, items.get(source, []), text, images,
                                        (image_problems or {}).get(source))
        files.append(ReviewFile(make_page_name(source), html_page.encode("utf-8")))
    chart = None
    if chart_png is not None:
        chart = "budget_chart.png"
        files.append(ReviewFile(chart, chart_png))
    index = build_index(tables["documents"], coverages, tables.get("budget_history", []), chart)
    files.append(ReviewFile("index.html", index.encode("utf-8")))
    return tuple(sorted(files, key=lambda f: f.path))


# ---------------------------------------------------------------- reading and writing


def read_source_text(raw: Path, source: str) -> SourceText:
    """Read a document's lines again with the pipeline's reader (the numbers the tables refer to)."""
    raw = raw.resolve()
    path = raw / source
    if not path.is_file():
        return SourceText((), f"{source} is not in the input folder")
    try:
        doc = read_document(path, raw)
    except OSError as exc:
        return SourceText((), str(exc))
    if isinstance(doc, ReadFailure):
        return SourceText((), f"{doc.status}: {doc.error}")
    return SourceText(tuple((line.number, line.text) for line in doc.lines))


def render_pdf_pages(path: Path, programs: list[dict[str, Any]], items: list[dict[str, Any]],
                     resolution: int = PDF_RESOLUTION) -> dict[int, bytes]:
    """Render every page of a PDF with each record's bbox drawn (programs solid, items thin)."""
    import pdfplumber

    out: dict[int, bytes] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            image = page.to_image(resolution=resolution)
            for it in items:
                if it.get("page") == number and it.get("bbox"):
                    image.draw_rect(tuple(it["bbox"]), fill=(0, 0, 0, 0), stroke=(120, 120, 120), stroke_width=1)
            for p in programs:
                if p.get("page") == number and p.get("bbox"):
                    color = BORDERS[(p["ordinal"] - 1) % len(BORDERS)]
                    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
                    image.draw_rect(tuple(p["bbox"]), fill=(red, green, blue, 40), stroke=(red, green, blue),
                                    stroke_width=2)
            buf = io.BytesIO()
            image.annotated.save(buf, format="PNG")
            out[number] = buf.getvalue()
    return out


def read_font_files() -> tuple[ReviewFile, ...]:
    """The font file the pages use and its licence, from the japanize-matplotlib package."""
    font = find_japanese_font()
    files = [ReviewFile(FONT_FILE, font.read_bytes())]
    licence = font.parent / "IPA_Font_License_Agreement_v1.0.txt"
    if licence.is_file():
        files.append(ReviewFile("fonts/IPA_Font_License_Agreement_v1.0.txt", licence.read_bytes()))
    return tuple(files)


def write_report(dest: Path, files: tuple[ReviewFile, ...]) -> None:
    """Write the report's files under ``dest``; remove the files of a previous report that this one
    does not write (``dest/.review-files.json`` lists them). Nothing else in ``dest`` is touched: a
    file of the report's names that a previous report did not write stops it (``OutputError``)."""
    replace_owned_files(dest, {f.path: f.data for f in files}, REVIEW_MANIFEST)


def generate_report(raw: Path, out: Path, dest: Path, chart: bool = True) -> tuple[ReviewFile, ...]:
    """Read the tables and the sources, build the report and write it; return its files."""
    tables = read_folder(out)
    texts: dict[str, SourceText] = {}
    pdf_pages: dict[str, dict[int, bytes]] = {}
    items = group_by(tables["program_items"], "source")
    programs = group_by(tables["programs"], "source")
    image_problems: dict[str, str] = {}
    for doc in tables["documents"]:
        source = doc["source"]
        texts[source] = read_source_text(raw, source)
        if doc["format"] == "pdf" and doc["status"] == "ok" and (raw / source).is_file():
            try:
                pdf_pages[source] = render_pdf_pages(raw / source, programs.get(source, []), items.get(source, []))
            except Exception as exc:  # changed or damaged since extraction: the page goes without images
                image_problems[source] = f"{type(exc).__name__}: {exc}"
    chart_png = None
    if chart:
        chart_png = render_budget_chart(tables.get("budget_history", []))
    files = build_report(tables, texts, pdf_pages, chart_png, read_font_files(), image_problems)
    write_report(dest, files)
    return files
