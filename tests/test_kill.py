"""Kill a real run at several moments: the previous tables stay intact and nothing half-written is read later."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, raw_files

from pipeline.output.files import PENDING, complete_pending, lock_output
from pipeline.output.schema import TABLES
from pipeline.output.tables import read_arrow_table
from pipeline.run.cache import Journal, decode_entry

COPIES = 8


def start_extract(raw: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "-v", "extract", "--raw", str(raw), "--out", str(out),
                             *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def run_extract(raw: Path, out: Path, *extra: str) -> None:
    proc = start_extract(raw, out, *extra)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err


def read_tables(out: Path) -> dict[str, bytes]:
    return {table: (out / f"{table}.parquet").read_bytes() for table in TABLES}


def kill_after(raw: Path, out: Path, progress_lines: int, until=None) -> None:
    """Start a run that extracts every document again; SIGKILL it once it has reported that many
    documents and, if given, once ``until(out)`` holds (should the run finish first, it is not killed)."""
    proc = start_extract(raw, out, "--no-cache")
    seen = 0
    while seen < progress_lines:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line.startswith("[")
    while until is not None and proc.poll() is None and not until(out):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()


def is_writing(out: Path) -> bool:
    """A temporary table file exists: the run has begun writing the tables."""
    return any(out.glob(".*.parquet.*.tmp"))


def test_killed_runs_leave_the_previous_tables(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    big = tmp_path / "big"
    big.mkdir()
    for path in raw_files():
        shutil.copy(path, small / path.name)
        for n in range(COPIES):
            shutil.copy(path, big / f"{n}_{path.name}")
    n_big = COPIES * len(raw_files())
    out = tmp_path / "extracted"
    run_extract(small, out)
    previous = read_tables(out)
    reference = tmp_path / "reference"
    run_extract(big, reference)
    finished = read_tables(reference)
    assert finished != previous

    # Before any document, after the first, in the middle, and as the tables are being written.
    def is_replaced(out: Path) -> bool:
        """A table has been renamed into place: the run is between two renames or done."""
        return (out / "documents.parquet").read_bytes() != previous["documents"]

    moments = ((0, None), (1, None), (n_big // 2, None), (n_big, None), (n_big, is_writing), (n_big, is_replaced))
    for moment, until in moments:
        kill_after(big, out, moment, until)
        for table in TABLES:
            data = (out / f"{table}.parquet").read_bytes()
            assert data in (previous[table], finished[table]), (moment, table)
            read_arrow_table(out / f"{table}.parquet")  # still a whole Parquet file
        leftovers = [p for p in out.rglob("*") if p.is_file() and p.name.endswith(".tmp")]
        assert all(p.name.startswith(".") for p in leftovers)  # hidden: no reader of *.parquet or *.json sees them
        journal = Journal(out / ".cache")  # what a killed run extracted: every whole record holds
        assert all(decode_entry(journal.read(key) or b"") is not None for key in journal.index)
        if (out / PENDING).exists():
            # Killed after recording the renames: finishing them (as the next run does first)
            # gives the killed run's three tables.
            with lock_output(out):
                complete_pending(out)
            assert read_tables(out) == finished
        else:
            assert read_tables(out) in (previous, finished)  # all three old, or all three new
        previous = read_tables(out)

    run_extract(big, out)
    assert read_tables(out) == finished
    assert not [p for p in out.rglob("*.tmp")]
