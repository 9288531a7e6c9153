"""Both PDF engines give the same tables: PDFium (the default) against pdfplumber (the reference).

Every PDF of the tests is read with each engine: the generated fixtures of
``tests/fixtures/pdf/`` and, when the folder is there, the real documents of
``KAIGI_REAL_DIR`` (default ``../shared/realpdf``, read in place, never copied). Their
``documents``, ``programs`` and ``program_items`` rows must be the same, field for field;
only a box may stand up to ``pages.BOX_TOLERANCE`` points apart (``pages.py`` says why: the
one difference the engines cannot avoid, allowed for there and only there). Failures get the
same status and message from either engine, and a crash inside PDFium costs its document only.
"""

from __future__ import annotations

import ctypes
import faulthandler
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.output.rows import make_rows
from pipeline.output.tables import read_arrow_table
from pipeline.parse.document import extract_document
from pipeline.read import pdfium_pages, tables
from pipeline.read.engines import DEFAULT_PDF_ENGINE, OCR_ENV, PDF_ENGINES, load_pages
from pipeline.read.files import read_document
from pipeline.read.pages import BOX_TOLERANCE, DAMAGED, ENCRYPTED, PdfReadError, make_shapes_from_dicts, snap
from pipeline.read.pdf import read_pdf_bytes
from pipeline.read.tables import CORE, find_ruled_tables, find_tables_compiled, find_tables_in_lists, find_tables_on_grid
from pipeline.read.tesseract import describe_unavailable, find_tesseract
from pipeline.records import ReadFailure

PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"
REAL_DIR = Path(os.environ.get("KAIGI_REAL_DIR", ROOT.parent / "shared" / "realpdf"))
FIXTURES = sorted(PDF_DIR.glob("*.pdf"))
REAL = sorted(REAL_DIR.glob("*.pdf")) if REAL_DIR.is_dir() else []
READABLE = [p for p in FIXTURES if p.with_suffix(".txt").exists()]
NO_REAL = pytest.param(None, marks=pytest.mark.skip(reason=f"real PDFs not found in {REAL_DIR} (set KAIGI_REAL_DIR)"),
                       id="no-real-pdfs")
EVERY_PDF = [pytest.param(p, id=p.name) for p in FIXTURES + REAL] + ([] if REAL else [NO_REAL])
TABLES = ("documents", "programs", "program_items")


def extract_rows(path: Path, engine: str) -> dict[str, list[dict]]:
    return make_rows(extract_document(read_document(path, path.parent, pdf_engine=engine)))


def differences(reference: dict[str, list[dict]], other: dict[str, list[dict]]) -> list[str]:
    """Where two extractions of one document differ, a box within ``BOX_TOLERANCE`` aside."""
    found = []
    for table in TABLES:
        a, b = reference[table], other[table]
        if len(a) != len(b):
            found.append(f"{table}: {len(a)} rows against {len(b)}")
            continue
        for n, (row_a, row_b) in enumerate(zip(a, b)):
            for key in sorted(set(row_a) | set(row_b)):
                x, y = row_a.get(key), row_b.get(key)
                if key == "bbox" and x is not None and y is not None:
                    if len(x) != len(y) or any(abs(u - v) > BOX_TOLERANCE for u, v in zip(x, y)):
                        found.append(f"{table}[{n}].bbox: {x} against {y}")
                elif x != y:
                    found.append(f"{table}[{n}].{key}: {x!r} against {y!r}")
    return found


@pytest.mark.parametrize("path", EVERY_PDF)
def test_both_engines_give_the_same_rows(path, monkeypatch):
    """The engines read text layers: OCR is off here (it renders a scanned page with PDFium whichever
    engine reads the rest, and costs seconds a page; ``test_ocr.py`` and ``test_real.py`` read scans)."""
    monkeypatch.setenv(OCR_ENV, "0")
    reference = extract_rows(path, "pdfplumber")
    rows = extract_rows(path, "pdfium")
    assert differences(reference, rows) == []
    assert rows["documents"][0]["status"] == reference["documents"][0]["status"]


def test_the_comparison_sees_a_difference():
    rows = extract_rows(PDF_DIR / "three_column_slide.pdf", "pdfium")
    moved = {t: [dict(r) for r in rows[t]] for t in TABLES}
    moved["programs"][0]["bbox"] = [v + 2 * BOX_TOLERANCE for v in moved["programs"][0]["bbox"]]
    moved["programs"][1]["name"] += "x"
    found = differences(rows, moved)
    assert len(found) == 2 and found[0].startswith("programs[0].bbox") and found[1].startswith("programs[1].name")


def records(path: Path, engine: str):
    return list(load_pages(path.read_bytes(), engine))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in READABLE])
def test_both_engines_give_the_same_characters_and_shapes(path):
    """The page records agree: characters in drawing order (PDFium sorts the objects of a line
    left to right; its own order is put back), shapes sorted as pdfminer sorts paths."""
    reference, pages = records(path, "pdfplumber"), records(path, "pdfium")
    assert len(pages) == len(reference)
    for ref, page in zip(reference, pages):
        assert (page.width, page.height, page.rotation, page.images, page.has_text) == (
            ref.width, ref.height, ref.rotation, ref.images, ref.has_text)
        chars, ref_chars = page.chars.to_dicts(), ref.chars.to_dicts()
        assert [(c["text"], c["upright"]) for c in chars] == [(c["text"], c["upright"]) for c in ref_chars]
        assert [len(page.rects), len(page.lines), len(page.curves)] == [len(ref.rects), len(ref.lines), len(ref.curves)]
        far = [(c["text"], c["x0"], r["x0"]) for c, r in zip(chars, ref_chars)
               if any(abs(c[k] - r[k]) > BOX_TOLERANCE for k in ("x0", "x1", "top", "bottom", "size"))]
        if path.name == "packet.pdf" and ref.number == 2:
            # "事 業 実 績" is drawn with a character spacing of 12 points in two strings; pdfminer
            # adds the spacing between the glyphs of a string only, PDFium after every glyph too
            assert far == [("績", 177.72, 165.72)]
        else:
            assert far == []


def shape_dicts(shapes) -> list[dict]:
    """A page's rects or lines (``pages.Shapes``) or curves (dicts already), as dicts."""
    return shapes if isinstance(shapes, list) else shapes.to_dicts()


def turn(path: Path, rotation: int, media_box: tuple[float, float, float, float] | None = None) -> bytes:
    """The PDF with every page's /Rotate set, and its MediaBox moved off the origin if given."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(path)
    for index in range(len(doc)):
        page = doc[index]
        page.set_rotation(rotation)
        if media_box:
            pdfium_c.FPDFPage_SetMediaBox(page.raw, *media_box)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


@pytest.mark.parametrize("rotation,media_box", [(90, None), (180, None), (270, None), (0, (10, 20, 852, 615)),
                                                (90, (10, 20, 852, 615))])
def test_turned_pages_and_a_moved_media_box_read_alike(rotation, media_box):
    """pdfminer turns a page by its /Rotate and moves the MediaBox's corner to the origin, and
    pdfplumber adds it back its own way: PDFium's records follow them (on a page turned a
    quarter every character is sideways, so pdfplumber reads no line, nor does PDFium)."""
    data = turn(PDF_DIR / "two_column_boxes.pdf", rotation, media_box)
    reference, pages = list(load_pages(data, "pdfplumber")), list(load_pages(data, "pdfium"))
    for ref, page in zip(reference, pages):
        assert (page.width, page.height, page.rotation) == (ref.width, ref.height, ref.rotation)
        chars, ref_chars = page.chars.to_dicts(), ref.chars.to_dicts()
        assert [(c["text"], c["upright"]) for c in chars] == [(c["text"], c["upright"]) for c in ref_chars]
        assert all(abs(c[k] - r[k]) <= BOX_TOLERANCE for c, r in zip(chars, ref_chars)
                   for k in ("x0", "x1", "top", "bottom", "size"))
        for kind in ("rects", "lines", "curves"):
            ours = sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in shape_dicts(getattr(page, kind)))
            theirs = sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in shape_dicts(getattr(ref, kind)))
            assert len(ours) == len(theirs) and all(abs(u - v) <= BOX_TOLERANCE for a, b in zip(ours, theirs)
                                                    for u, v in zip(a, b))
    rows = {e: make_rows(extract_document(read_pdf_bytes("turned.pdf", "pdf", data, e))) for e in PDF_ENGINES}
    assert differences(rows["pdfplumber"], rows["pdfium"]) == []


def test_a_hyphen_ending_a_line_reads_alike():
    """PDFium marks a hyphen at the end of a line (``COVID-`` / ``19``) with a code of its own."""
    content = b"BT /F1 12 Tf 50 700 Td (The COVID-) Tj 0 -14 Td (19 response) Tj ET"
    data = build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                      b"/Contents 4 0 R >>",
                      b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
                      b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"])
    [reference], [page] = load_pages(data, "pdfplumber"), load_pages(data, "pdfium")
    assert "".join(page.chars.text) == "TheCOVID-19response"
    assert page.chars.to_dicts() == reference.chars.to_dicts()


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_records_are_on_the_grid(engine):
    for page in records(PDF_DIR / "two_column_boxes.pdf", engine):
        chars = page.chars.to_dicts()
        values = [page.width, page.height] + [c[k] for c in chars for k in ("x0", "x1", "top", "bottom", "size")]
        values += [s[k] for s in page.rects.to_dicts() + page.lines.to_dicts() + page.curves for k in ("x0", "top", "x1", "bottom")]
        assert values and all(v == snap(v) for v in values)
        assert set(chars[0]) == {"text", "x0", "x1", "top", "bottom", "size", "upright", "fontname"}


def test_make_install_builds_the_compiled_core():
    assert pdfium_pages.CORE is not None and tables.CORE is not None


@pytest.mark.parametrize("path", EVERY_PDF)
def test_the_compiled_core_and_the_python_code_give_the_same_records(path, monkeypatch):
    """The PDFium engine's page records and the layout's result (its ruled tables among it) are the same
    with the compiled core and with the Python code alone (``CORE`` None: the module not built)."""
    monkeypatch.setenv(OCR_ENV, "0")
    data = path.read_bytes()

    def read() -> tuple:
        try:
            pages = list(load_pages(data, "pdfium"))
        except PdfReadError as exc:
            pages = [exc.status, str(exc)]
        return pages, repr(read_pdf_bytes(path.name, "pdf", data, "pdfium"))

    compiled = read()
    monkeypatch.setattr(pdfium_pages, "CORE", None)
    monkeypatch.setattr(tables, "CORE", None)
    assert read() == compiled


def test_pdfium_reads_a_repeated_text_object_as_pdfminer_does():
    """PDFium's text page drops a text object that repeats the one before it; it is read on its own."""
    pages = records(PDF_DIR / "private_use_text.pdf", "pdfium")
    assert len(pages[1].chars) == 630
    assert len(set(pages[1].chars.top.tolist())) == 10


# -- the table finder -------------------------------------------------------------------


def pdfplumber_tables(page, rules: list[dict]) -> list:
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": rules, "explicit_horizontal_lines": rules}
    found = pdfplumber.table.TableFinder(page, settings).tables
    return [(t.bbox, [list(r.cells) for r in t.rows], [r.bbox for r in t.rows]) for t in found]


def own_tables(rules: list[dict]) -> list:
    """Our finder's tables, the same whether found on lists, on arrays (``tables.ARRAY_RULES``) or in
    compiled code (``tables.find_tables_compiled``)."""
    shapes = make_shapes_from_dicts(rules)
    found = [(t.bbox, t.rows, t.row_boxes) for t in find_ruled_tables(shapes)]
    assert [(t.bbox, t.rows, t.row_boxes) for t in find_tables_on_grid(shapes)] == found
    assert [(t.bbox, t.rows, t.row_boxes) for t in find_tables_in_lists(shapes)] == found
    if CORE is not None:
        assert [(t.bbox, t.rows, t.row_boxes) for t in find_tables_compiled(shapes) or []] == found
    return found


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in READABLE + REAL] + ([] if REAL else [NO_REAL]))
def test_table_finder_gives_pdfplumbers_cells(path):
    """The same rules give the very same cells, to the last bit, as pdfplumber's finder."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rules = page.lines + page.rects
            if len(rules) >= 4:
                assert own_tables(rules) == pdfplumber_tables(page, rules), page.page_number
            page.close()


def make_rule(kind: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    """A rule as pdfplumber gives it (on a page 1000 points high)."""
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(top, bottom)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "y0": 1000 - bottom, "y1": 1000 - top}


# positions on a coarse grid, nudged so that edges snap, join and meet (or just miss)
COORD = st.builds(lambda cell, nudge: cell * 20 + nudge, st.integers(0, 12), st.sampled_from([0.0, 0.4, 1.0, 2.5, 3.0, 3.5]))
RULE = st.one_of(
    st.builds(lambda *a: make_rule("rect", *a), COORD, COORD, COORD, COORD),
    st.builds(lambda x0, x1, y: make_rule("line", x0, y, x1, y), COORD, COORD, COORD),
    st.builds(lambda x, y0, y1: make_rule("line", x, y0, x, y1), COORD, COORD, COORD),
    st.builds(lambda *a: make_rule("line", *a), COORD, COORD, COORD, COORD),  # slanted: pdfplumber takes it as vertical
)


@settings(max_examples=300, deadline=None)
@given(st.lists(RULE, min_size=2, max_size=30))
def test_table_finder_matches_pdfplumber_on_any_rules(rules):
    assert own_tables(rules) == pdfplumber_tables(None, rules)


# -- failures ---------------------------------------------------------------------------

UNREADABLE_TEXT = "page 2: 630 of 630 characters have no readable text ((cid:NN), U+FFFD or private-use glyphs)"


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (the first the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


ONE_COLUMN = (PDF_DIR / "one_column.pdf").read_bytes()
BROKEN = {
    "cut.pdf": (ONE_COLUMN[: len(ONE_COLUMN) // 3], "corrupt_pdf", "PDF is truncated: no '%%EOF' end marker"),
    "cut_then_ended.pdf": (ONE_COLUMN[: len(ONE_COLUMN) // 2] + b"\n%%EOF\n", "corrupt_pdf", DAMAGED),
    "garbage.pdf": (b"%PDF-1.4\n" + b"garbage " * 100 + b"\n%%EOF\n", "corrupt_pdf", DAMAGED),
    "no_pages.pdf": (build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
                     "corrupt_pdf", DAMAGED),
    "web_page.pdf": (b"<html><body>404</body></html>", "not_pdf", "file is an HTML page, not a PDF"),
}


@pytest.mark.parametrize("engine", PDF_ENGINES)
@pytest.mark.parametrize("name,status,error", [
    ("encrypted.pdf", "encrypted_pdf", ENCRYPTED),
    ("scanned_page.pdf", "no_text_layer", "page 2 has images but no text layer (a scan?); "
     + ("OCR found no ruled table on it" if find_tesseract() else describe_unavailable())),
    ("cid_text.pdf", "unreadable_text", UNREADABLE_TEXT),
    ("private_use_text.pdf", "unreadable_text", UNREADABLE_TEXT),
])
def test_unreadable_fixtures_fail_alike_with_either_engine(engine, name, status, error):
    doc = read_document(PDF_DIR / name, PDF_DIR, pdf_engine=engine)
    assert isinstance(doc, ReadFailure)
    assert (doc.status, doc.error) == (status, error)


@pytest.mark.parametrize("engine", PDF_ENGINES)
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_fail_alike_with_either_engine(tmp_path, engine, name):
    data, status, error = BROKEN[name]
    (tmp_path / name).write_bytes(data)
    doc = read_document(tmp_path / name, tmp_path, pdf_engine=engine)
    assert isinstance(doc, ReadFailure)
    assert doc.status == status and doc.error.startswith(error)


@pytest.mark.parametrize("engine", PDF_ENGINES)
@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj <<", b"not a pdf at all", b""])
def test_bytes_that_are_no_pdf_are_corrupt_with_either_engine(engine, data):
    doc = read_pdf_bytes("bad.pdf", "pdf", data, engine)
    assert isinstance(doc, ReadFailure) and (doc.status, doc.error) == ("corrupt_pdf", DAMAGED)


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown PDF engine 'mupdf'"):
        list(load_pages(ONE_COLUMN, "mupdf"))


def test_a_crash_inside_pdfium_costs_its_document_only(tmp_path, monkeypatch):
    """A segmentation fault in native code while a PDF is read (PDFium on a hostile file) ends the
    document's worker process: that document is ``crashed``, the others are extracted."""
    import pipeline.read.pdfium_pages as pdfium_pages
    from pipeline.run.folder import run_extract

    raw = tmp_path / "in"
    raw.mkdir()
    for name in ("three_column_slide.pdf", "one_column.pdf"):
        shutil.copy(PDF_DIR / name, raw / name)
    hostile = (PDF_DIR / "one_column.pdf").read_bytes()
    real = pdfium_pages.read_pdfium_pages

    def read_crashing_on_one(data):
        if data == hostile:
            faulthandler.disable()  # (in the worker) no traceback dump in the test output
            ctypes.string_at(0)  # reads address 0: SIGSEGV inside C, as a PDFium bug would
        return real(data)

    monkeypatch.setattr(pdfium_pages, "read_pdfium_pages", read_crashing_on_one)
    assert run_extract(raw, tmp_path / "out", verbosity=0) == 1
    docs = {d["source"]: d for d in read_arrow_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert docs["three_column_slide.pdf"]["status"] == "ok"
    assert docs["one_column.pdf"]["status"] == "crashed"
    assert "signal SIGSEGV" in docs["one_column.pdf"]["error"]


# -- choosing the engine ----------------------------------------------------------------


def test_pdfium_is_the_default():
    assert DEFAULT_PDF_ENGINE == "pdfium" and PDF_ENGINES == ("pdfium", "pdfplumber")


def test_the_engine_is_chosen_on_the_command_line_and_keys_the_cache(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(PDF_DIR / "three_column_slide.pdf", raw / "slide.pdf")

    def extract(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out",
                               str(tmp_path / "out"), *options], cwd=ROOT, capture_output=True, text=True, timeout=300)

    first = extract()
    assert first.returncode == 0, first.stderr
    assert "(1 extracted, 0 from the cache)" in first.stdout and "11 programs" in first.stdout
    programs = read_arrow_table(tmp_path / "out" / "programs.parquet").to_pylist()
    assert "(nothing extracted: the tables were up to date)" in extract("--pdf-engine", "pdfium").stdout
    plumber = extract("--pdf-engine", "pdfplumber", "--jobs", "2")
    assert plumber.returncode == 0 and "(1 extracted, 0 from the cache)" in plumber.stdout
    assert "(nothing extracted: the tables were up to date)" in extract("--pdf-engine", "pdfplumber").stdout
    again = read_arrow_table(tmp_path / "out" / "programs.parquet").to_pylist()
    assert [{k: v for k, v in p.items() if k != "bbox"} for p in again] == [
        {k: v for k, v in p.items() if k != "bbox"} for p in programs]
    wrong = extract("--pdf-engine", "mupdf")
    assert wrong.returncode == 2 and "invalid choice: 'mupdf'" in wrong.stderr
    assert "--pdf-engine {pdfium,pdfplumber}" in extract("--help").stdout


def test_a_long_pdf_read_in_stretches_gives_the_same_pages(monkeypatch):
    """PDFium keeps every parsed page until its document is closed, so a long PDF is opened again
    every ``REOPEN_PAGES`` pages: the pages read so are the pages read at once."""
    import pypdfium2 as pdfium

    from pipeline.read import pdfium_pages

    sources = [pdfium.PdfDocument(str(ROOT / "tests" / "fixtures" / "pdf" / name))
               for name in ("packet.pdf", "two_column_boxes.pdf", "one_column.pdf")]
    book = pdfium.PdfDocument.new()
    while len(book) < 12:
        for src in sources:
            book.import_pages(src)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    at_once = list(load_pages(data, "pdfium"))
    monkeypatch.setattr(pdfium_pages, "REOPEN_PAGES", 5)
    in_stretches = list(load_pages(data, "pdfium"))
    assert len(at_once) == len(book) >= 12
    assert in_stretches == at_once
