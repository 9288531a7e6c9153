"""Benchmark the PDF reading stage on both engines against bare pypdfium2 and bare pdfplumber.

Input: PDF files (default: the readable fixtures in tests/fixtures/pdf/, then a book of at
least ``--book-pages`` pages made, in a temporary folder, by repeating the pages of the real
budget books with a text layer in KAIGI_REAL_DIR, default ../shared/realpdf). Output: pages per second, per
set of files, for

- bare pypdfium2 text with boxes: open the PDF, each page's text and every character's box;
- the PDFium engine's page records alone (what the layout reads, without the layout);
- the pipeline's PDF stage (``pdf.read_pdf_bytes``: parse, layout, reading order) with
  ``--pdf-engine pdfium`` and with ``--pdf-engine pdfplumber``;
- bare pdfplumber ``page.chars`` (pdfminer's parse alone);

and how the pdfium pipeline compares: its speedup over the pdfplumber pipeline (goal: 8x or
more) and its cost over bare pypdfium2 (goal: 2x or less). Times are this process's CPU time
(PDFium runs in it), which other work on a shared machine disturbs less than the clock; each
figure is the best of several rounds, the measures taken in turn. Not a test: it asserts nothing; ``--min-speedup``
and ``--max-ratio`` make it exit 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.read.engines import load_pages  # noqa: E402
from pipeline.read.pdf import read_pdf_bytes  # noqa: E402
from pipeline.records import ReadFailure  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
REAL_DIR = Path(os.environ.get("KAIGI_REAL_DIR", ROOT.parent / "shared" / "realpdf"))
BOOK_GLOB = "*yosansho*.pdf"  # the budget books (予算書) among the real documents


def bare_pypdfium2(data: bytes) -> int:
    """Bare pypdfium2: each page's text and every character's box; return the number of characters."""
    chars = 0
    doc = pdfium.PdfDocument(data)
    for index in range(len(doc)):
        page = doc[index]
        text_page = page.get_textpage()
        count = text_page.count_chars()
        text_page.get_text_range(0, count)
        for i in range(count):
            text_page.get_charbox(i)
        chars += count
        text_page.close()
        page.close()
    doc.close()
    return chars


def bare_pdfplumber(data: bytes) -> int:
    """Bare pdfplumber: open the PDF and count each page's chars; return the number of characters."""
    chars = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars += len(page.chars)
            page.close()
    return chars


def read_stage(name: str, data: bytes, engine: str) -> int:
    """The pipeline's PDF stage; return the number of lines it read."""
    doc = read_pdf_bytes(name, "pdf", data, engine)
    if isinstance(doc, ReadFailure):
        raise SystemExit(f"{name}: {doc.status}: {doc.error}")
    return len(doc.lines)


def has_text_layer(path: Path) -> bool:
    """Whether every page of a PDF has a text layer (a scanned budget book has none: OCR reads it, not PDFium)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return all(doc[i].get_textpage().count_chars() > 0 for i in range(len(doc)))
    finally:
        doc.close()


def count_pages(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def make_book(sources: list[Path], pages: int, folder: Path) -> Path:
    """Write a PDF of at least ``pages`` pages: the sources' pages, in turn, over and over."""
    book = pdfium.PdfDocument.new()
    docs = [pdfium.PdfDocument(path) for path in sources]
    while len(book) < pages:
        for doc in docs:
            book.import_pages(doc)
    path = folder / "book.pdf"
    book.save(path)
    for doc in docs:
        doc.close()
    book.close()
    return path


def measure(docs: list[tuple[str, bytes]], rounds: int, repeat: int, warm_up: bool) -> dict[str, float]:
    """CPU seconds (best of ``rounds``) of each measure over ``repeat`` passes of the documents."""
    measures = {
        "bare pypdfium2 text + boxes": lambda: [bare_pypdfium2(data) for _, data in docs],
        "pdfium page records (no layout)": lambda: [sum(1 for _ in load_pages(data, "pdfium")) for _, data in docs],
        "pipeline --pdf-engine pdfium": lambda: [read_stage(name, data, "pdfium") for name, data in docs],
        "pipeline --pdf-engine pdfplumber": lambda: [read_stage(name, data, "pdfplumber") for name, data in docs],
        "bare pdfplumber page.chars": lambda: [bare_pdfplumber(data) for _, data in docs],
    }
    if warm_up:  # imports and caches (the first set of files warms them for the next)
        for fn in measures.values():
            fn()
    best = {name: float("inf") for name in measures}
    for _ in range(rounds):
        for name, fn in measures.items():
            start = time.process_time()
            for _ in range(repeat):
                fn()
            best[name] = min(best[name], time.process_time() - start)
    return best


def report(label: str, docs: list[tuple[str, bytes]], rounds: int, repeat: int,
           warm_up: bool = True) -> tuple[float, float]:
    pages = sum(count_pages(data) for _, data in docs)
    best = measure(docs, rounds, repeat, warm_up)
    print(f"{label}: {len(docs)} PDF{'s' if len(docs) != 1 else ''}, {pages} pages, "
          f"{repeat} pass{'es' if repeat != 1 else ''} a round, best of {rounds} rounds")
    for name, seconds in best.items():
        print(f"  {name:34} {pages * repeat / seconds:9.1f} pages/s  {seconds / (pages * repeat) * 1000:8.2f} ms/page")
    speedup = best["pipeline --pdf-engine pdfplumber"] / best["pipeline --pdf-engine pdfium"]
    ratio = best["pipeline --pdf-engine pdfium"] / best["bare pypdfium2 text + boxes"]
    print(f"  pdfium pipeline speedup over the pdfplumber pipeline : {speedup:6.2f}x  (goal: 8x or more)")
    print(f"  pdfium pipeline cost over bare pypdfium2             : {ratio:6.2f}x  (goal: 2x or less)")
    return speedup, ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDF files to measure (default: the fixtures, then the book)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per measure (best is kept)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the fixtures per round (the book: one)")
    parser.add_argument("--book-pages", type=int, default=300, help="least pages of the book (0: no book)")
    parser.add_argument("--real-dir", type=Path, default=REAL_DIR, help="where the real PDFs are (KAIGI_REAL_DIR)")
    parser.add_argument("--min-speedup", type=float, default=None, help="exit 1 when the speedup is below this")
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 when the cost over bare pypdfium2 is above this")
    args = parser.parse_args(argv)
    results = []
    if args.pdfs:
        results.append(report("given PDFs", [(p.name, p.read_bytes()) for p in args.pdfs], args.rounds, args.repeat))
    else:
        fixtures = sorted(p for p in FIXTURES.glob("*.pdf") if p.with_suffix(".txt").exists())
        if fixtures:
            results.append(report("generated fixtures", [(p.name, p.read_bytes()) for p in fixtures], args.rounds,
                                  args.repeat))
        else:
            print(f"no generated fixtures in {FIXTURES} (make pdf-fixtures draws them)")
        books = [p for p in sorted(args.real_dir.glob(BOOK_GLOB)) if args.real_dir.is_dir() and has_text_layer(p)]
        if args.book_pages and books:
            with tempfile.TemporaryDirectory() as folder:
                path = make_book(books, args.book_pages, Path(folder))
                label = f"book of the real budget-book pages repeated ({', '.join(p.name for p in books)})"
                results.append(report(label, [(path.name, path.read_bytes())], args.rounds, 1, warm_up=False))
        elif args.book_pages:
            print(f"no book: no real budget books ({BOOK_GLOB}) in {args.real_dir} (set KAIGI_REAL_DIR)")
    failed = False
    for speedup, ratio in results:
        if args.min_speedup is not None and speedup < args.min_speedup:
            failed = True
        if args.max_ratio is not None and ratio > args.max_ratio:
            failed = True
    if failed:
        print("a goal was missed (--min-speedup, --max-ratio)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
