"""Preload of the Dask workers in ``test_dask.py``: a ``.slow`` reader, and a log of every document read.

Input: ``KAIGI_TEST_DIR`` (a folder the test watches). Output: ``reads.log`` there, a line per document
a worker reads; ``pdf-engines.log`` there, the PDF engine of every PDF a worker (or its warm-up) reads;
``slow-started`` there, the pid of the Dask worker that first reads a ``.slow`` file, which then waits
to be killed. Later reads of a ``.slow`` file read it as text at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from pipeline.read import files, pdf


def log_read(source: str) -> None:
    with open(Path(os.environ["KAIGI_TEST_DIR"]) / "reads.log", "a", encoding="utf-8") as fh:
        fh.write(source + "\n")


def slow_reader(source: str, fmt: str, data: bytes):
    marker = Path(os.environ["KAIGI_TEST_DIR"]) / "slow-started"
    if not marker.exists():
        marker.write_text(str(os.getppid()))  # the sandbox's parent: the Dask worker
        time.sleep(120)
    return files.read_text(source, fmt, data)


def logged(reader):
    def read(source: str, fmt: str, data: bytes):
        log_read(source)
        return reader(source, fmt, data)

    return read


def log_pdf_engine(load_pages):
    def load(data: bytes, engine: str):
        with open(Path(os.environ["KAIGI_TEST_DIR"]) / "pdf-engines.log", "a", encoding="ascii") as fh:
            fh.write(engine + "\n")
        return load_pages(data, engine)

    load.logs_engines = True  # type: ignore[attr-defined]
    return load


def install() -> None:
    files.READERS[".slow"] = ("slow", logged(slow_reader))
    files.READERS[".txt"] = ("text", logged(files.read_text))
    if not getattr(pdf.load_pages, "logs_engines", False):
        pdf.load_pages = log_pdf_engine(pdf.load_pages)


def dask_setup(worker) -> None:
    install()
