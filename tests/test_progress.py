"""What a run says while it extracts (issue 13): a bar with documents/s and the time left on a terminal,
plain lines every so often elsewhere, a line per document with -v, nothing with -q; a PDF being read
reports its pages."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, RAW, ROOT

from pipeline.run.progress import Progress, format_duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_progress(verbosity: int, terminal: bool = False) -> tuple[Progress, io.StringIO, Clock]:
    stream, clock = io.StringIO(), Clock()
    return Progress(10, verbosity, stream, clock, terminal=terminal, interval=10), stream, clock


def test_plain_lines_every_interval_with_rate_eta_and_pages():
    progress, stream, clock = make_progress(1)
    progress.note_cached("a.txt")
    progress.begin(9, 2, "local")
    clock.now += 4
    progress.note_extracted("b.txt", "ok")
    progress.note_extracted("c.txt", "timeout")
    clock.now += 4
    progress.note_page("big.pdf", 3, 12)  # not yet ten seconds
    clock.now += 2
    progress.note_page("big.pdf", 4, 12)
    clock.now += 10
    progress.note_extracted("big.pdf", "ok", pages=12)
    clock.now += 10
    progress.tick()
    progress.end()
    assert stream.getvalue().splitlines() == [
        "extract: 9 of 10 documents to extract (2 workers); 1 from the cache",
        "extract: 2/9 extracted, 0.2 documents/s, ETA 35 s; reading big.pdf: page 4 of 12",
        "extract: 3/9 extracted, 0.1 documents/s, 0.6 pages/s, ETA 40 s",
        "extract: 3/9 extracted, 0.1 documents/s, 0.4 pages/s, ETA 1 min 00 s",
        "extract: 3 documents extracted in 30 s (0.1 documents/s, 0.4 pages/s)",
    ]


def test_a_line_per_document_with_verbose_and_nothing_with_quiet():
    progress, stream, _ = make_progress(2)
    progress.note_cached("a.txt")
    progress.begin(2, 1, "local")
    progress.note_extracted("b.txt", "ok")
    progress.note_extracted("c.txt", "timeout")
    progress.end()
    lines = stream.getvalue().splitlines()
    assert lines[:3] == ["[1/10] cached    a.txt", "[2/10] extracted b.txt", "[3/10] extracted c.txt: timeout"]
    assert lines[3].startswith("extract: 2 documents extracted in ")
    progress, stream, _ = make_progress(0)
    progress.note_cached("a.txt")
    progress.begin(2, 1, "local")
    progress.note_extracted("b.txt", "ok")
    progress.end()
    assert stream.getvalue() == ""


def test_durations_read_as_time():
    assert [format_duration(s) for s in (0.4, 42, 185, 7620)] == ["0 s", "42 s", "3 min 05 s", "2 h 07 min"]


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command with stderr (and stdout) on a pseudo-terminal; return its status and what it showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the run is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return proc.wait(timeout=60), shown.decode("utf-8", "replace")


def test_a_terminal_gets_a_bar_with_rate_and_time_left(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    for path in RAW.iterdir():
        shutil.copy(path, raw / path.name)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    code, shown = run_on_a_terminal(["extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "2"], env)
    assert code == 0, shown
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert "━" in plain and "5/5 documents" in plain and "documents/s" in plain and "ETA" in plain, plain
    assert "5 documents: 5 new" in plain


def test_a_pdf_reports_its_pages(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    for name in ("packet.pdf", "two_column_boxes.pdf", "one_column.pdf"):
        shutil.copy(FIXTURES / "pdf" / name, raw / name)
    env = {**os.environ, "KAIGI_PROGRESS_SECONDS": "0.001"}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out",
                           str(tmp_path / "out"), "--jobs", "1"], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pages = set(re.findall(r"; reading (\S+\.pdf): page (\d) of (\d)$", proc.stderr, re.M))
    assert ("packet.pdf", "3", "3") in pages, proc.stderr
    assert re.search(r"^extract: 3 documents extracted in .* pages/s\)$", proc.stderr, re.M), proc.stderr


def test_progress_goes_to_stderr_only(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "a.txt")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out",
                           str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0
    assert not [line for line in proc.stdout.splitlines() if line.startswith(("extract:", "["))]
    assert proc.stderr.splitlines()[0] == "extract: 1 of 1 documents to extract (1 worker); 0 from the cache"
    assert Path(tmp_path / "out" / "documents.parquet").exists()


def test_lines_while_the_files_are_checked_for_changes(tmp_path, monkeypatch):
    """Before it extracts, the run says every so often how many files it has checked (hashed, or found with
    the status the last run read): nothing with ``-q``."""
    from pipeline.run.progress import Checking

    stream, clock = io.StringIO(), Clock()
    checking = Checking(3000, 1, stream, clock, interval=10)
    for done in range(1, 3001):
        clock.now += 0.01  # 30 s in all
        checking.note_checked(done)
    assert stream.getvalue().splitlines() == [f"extract: {n:,} of 3,000 files checked for changes"
                                              for n in (1000, 2000, 3000)]
    quiet = io.StringIO()
    checking = Checking(3, 0, quiet, clock, interval=10)
    clock.now += 20
    checking.note_checked(1)
    assert quiet.getvalue() == ""

    from pipeline.run.folder import run_extract

    raw = tmp_path / "in"
    raw.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / name)
    monkeypatch.setenv("KAIGI_PROGRESS_SECONDS", "1e-9")
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert run_extract(raw, tmp_path / "out", jobs=1) == 0
    lines = stderr.getvalue().splitlines()
    assert lines[:2] == ["extract: 1 of 2 files checked for changes", "extract: 2 of 2 files checked for changes"]
