"""Benchmark the PDF reading stage against bare pdfplumber char extraction.

Input: PDF files (default: the readable fixtures in tests/fixtures/pdf/). Output: pages per
second for the pipeline's PDF stage (``pdf.read_pdf_bytes``: parse, layout, reading order)
and for bare pdfplumber (``len(page.chars)`` per page) on the same pages, and their ratio.
Each figure is the best of several rounds, the two measured in turn. Not a test: it asserts
nothing; ``--max-ratio`` makes it exit 1 when the stage costs more than that.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.read.pdf import read_pdf_bytes  # noqa: E402
from pipeline.records import ReadFailure  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def count_chars(data: bytes) -> tuple[int, int]:
    """Bare pdfplumber: open the PDF and count each page's chars; return (pages, chars)."""
    pages = chars = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars += len(page.chars)
            pages += 1
            page.close()
    return pages, chars


def read_stage(name: str, data: bytes) -> int:
    """The pipeline's PDF stage; return the number of lines it read."""
    doc = read_pdf_bytes(name, "pdf", data)
    if isinstance(doc, ReadFailure):
        raise SystemExit(f"{name}: {doc.status}: {doc.error}")
    return len(doc.lines)


def time_once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def list_default_inputs() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.pdf") if p.with_suffix(".txt").exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDF files (default: the readable fixtures)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per measure (best is kept)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the files per round")
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 above this ratio")
    args = parser.parse_args(argv)
    paths = args.pdfs or list_default_inputs()
    docs = [(p.name, p.read_bytes()) for p in paths]
    pages = sum(count_chars(data)[0] for _, data in docs) * args.repeat

    def bare() -> None:
        for _ in range(args.repeat):
            for _, data in docs:
                count_chars(data)

    def stage() -> None:
        for _ in range(args.repeat):
            for name, data in docs:
                read_stage(name, data)

    bare(), stage()  # warm up imports and caches
    bare_best = stage_best = float("inf")
    for _ in range(args.rounds):
        bare_best = min(bare_best, time_once(bare))
        stage_best = min(stage_best, time_once(stage))
    bare_rate = pages / bare_best
    stage_rate = pages / stage_best
    ratio = stage_best / bare_best
    print(f"{len(docs)} PDFs, {pages // args.repeat} pages, {args.repeat} passes a round, best of {args.rounds} rounds")
    print(f"bare pdfplumber page.chars : {bare_rate:8.1f} pages/s")
    print(f"pipeline PDF stage         : {stage_rate:8.1f} pages/s")
    print(f"cost ratio (stage / bare)  : {ratio:8.2f}x")
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"over the limit of {args.max_ratio:.2f}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
