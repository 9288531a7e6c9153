"""Benchmark one big budget book through the whole per-document stage.

Input: the real budget books with a text layer in KAIGI_REAL_DIR (default ../shared/realpdf,
``*yosansho*.pdf``), whose pages are repeated, in a temporary folder, into books of
``--pages`` pages (default 150, 300 and 600). Output: for each book, in a fresh process, the
seconds (wall and CPU) to read the PDF, lay out its pages and extract its programs and rows
(``read_pdf_bytes`` → ``extract_document`` → ``make_rows``), the pages per second, the programs
found, and the peak resident memory of that process; then the memory a page adds (the slope
between the smallest and the largest book) and the time against the per-document limit
(``--timeout`` of ``extract``). Figures are printed as a Markdown table and, with ``--output``,
written to a file. Not a test: it asserts nothing; ``--max-share`` makes it exit 1 when the
largest book takes more than that share of the per-document limit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.records import DEFAULT_TIMEOUT  # noqa: E402

REAL_DIR = Path(os.environ.get("KAIGI_REAL_DIR", ROOT.parent / "shared" / "realpdf"))
BOOK_GLOB = "*yosansho*.pdf"  # the budget books (予算書) among the real documents

# Run in a fresh process per book, so that its peak memory is its own.
MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.pdf import read_pdf_bytes
from pipeline.text.japanese import get_tokenizer
get_tokenizer()  # the dictionary is loaded once per worker, before any document
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = open(sys.argv[2], "rb").read()
wall, cpu = time.perf_counter(), time.process_time()
doc = read_pdf_bytes("book.pdf", "pdf", data)
result = extract_document(doc)
rows = make_rows(result)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall": wall, "cpu": cpu, "programs": len(rows["programs"]), "status": result.status,
                  "base_kib": base, "peak_kib": peak}))
"""


def find_books(real_dir: Path) -> list[Path]:
    """Return the budget books with a text layer on every page (a scan has none)."""
    books = []
    for path in sorted(real_dir.glob(BOOK_GLOB)):
        doc = pdfium.PdfDocument(str(path))
        if all(doc[i].get_textpage().count_chars() > 0 for i in range(len(doc))):
            books.append(path)
        doc.close()
    return books


def build_book(books: list[Path], pages: int, out: Path) -> None:
    """Write a book of ``pages`` pages: the books' pages in turn, again and again."""
    sources = [pdfium.PdfDocument(str(path)) for path in books]
    book = pdfium.PdfDocument.new()
    while len(book) < pages:
        for src in sources:
            take = min(len(src), pages - len(book))
            if take <= 0:
                break
            book.import_pages(src, list(range(take)))
    book.save(str(out))
    for src in sources:
        src.close()


def measure(path: Path) -> dict:
    """Run the per-document stage on ``path`` in a fresh process; return its figures."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(path)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real-dir", type=Path, default=REAL_DIR)
    parser.add_argument("--pages", type=int, nargs="+", default=[150, 300, 600])
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--max-share", type=float, help="exit 1 if the largest book takes more than this share of the limit")
    args = parser.parse_args(argv)
    books = find_books(args.real_dir)
    if not books:
        print(f"no budget book with a text layer in {args.real_dir}", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages in sorted(args.pages):
            path = Path(tmp) / f"book-{pages}.pdf"
            build_book(books, pages, path)
            rows.append((pages, measure(path)))
            path.unlink()
    lines = [
        f"Books made of the pages of {', '.join(p.name for p in books)}, repeated; one fresh process a book, "
        "the Sudachi dictionary loaded before the clock starts.",
        "",
        "| pages | status | wall s | CPU s | pages/s (CPU) | programs | peak RSS MiB | RSS over the loaded process MiB | share of the limit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for pages, r in rows:
        lines.append(
            f"| {pages} | {r['status']} | {r['wall']:.2f} | {r['cpu']:.2f} | {pages / r['cpu']:.0f} | {r['programs']} | "
            f"{r['peak_kib'] / 1024:.0f} | {(r['peak_kib'] - r['base_kib']) / 1024:.1f} | {r['wall'] / DEFAULT_TIMEOUT:.1%} |"
        )
    (small, a), (large, b) = rows[0], rows[-1]
    if large > small:
        slope = (b["peak_kib"] - a["peak_kib"]) / (large - small)
        lines += ["", f"Memory a page adds ({small} → {large} pages): {slope:.1f} KiB; "
                      f"per-document limit {DEFAULT_TIMEOUT:g} s."]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if args.max_share is not None and b["wall"] > args.max_share * DEFAULT_TIMEOUT:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
