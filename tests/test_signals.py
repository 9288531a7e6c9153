"""Signals stop a run at once: SIGINT, SIGTERM and SIGHUP within 2 s with no process left behind and
the previous tables whole; a run killed outright takes its worker with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.output.schema import TABLES

# A run whose second document never finishes: a pure-Python loop in the reader, in the worker.
STUCK_RUN = """
import sys
from pipeline.read import files

def hang(source, fmt, data):
    while True:
        pass

files.READERS[".hang"] = ("hang", hang)
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""
GOOD = "令和7年度 予算\n\n■在宅療養研修事業【1,000千円】\n"


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def is_gone(pid: int) -> bool:
    """The process has ended (gone, or a zombie waiting for its reaper)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def start_stuck_run(tmp_path: Path) -> tuple[subprocess.Popen, Path, dict[str, bytes], int]:
    """Extract a good document into ``out``, then start a run that hangs on a second one; return the
    run, ``out``, the previous tables and the pid of the worker process once it is extracting."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    first = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(out)],
                           cwd=ROOT, capture_output=True, timeout=120)
    assert first.returncode == 0, first.stderr
    previous = {t: (out / f"{t}.parquet").read_bytes() for t in TABLES}
    (raw / "stuck.hang").write_text("x")
    proc = subprocess.Popen([sys.executable, "-c", STUCK_RUN, "-v", "extract", "--raw", str(raw), "--out", str(out),
                             "--no-cache", "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith(b"[1/2]"), line
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        workers = children_of(proc.pid)
        time.sleep(0.02)
    assert len(workers) == 1, workers
    time.sleep(0.2)  # the worker is inside the reader's loop
    return proc, out, previous, workers[0]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker process")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_the_run_within_2_seconds(tmp_path, signum):
    proc, out, previous, worker = start_stuck_run(tmp_path)
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=2)  # returns once nobody holds stdout and stderr
    finally:
        proc.kill()
        if not is_gone(worker):
            os.kill(worker, signal.SIGKILL)
    assert time.monotonic() - sent < 2
    assert proc.returncode == 128 + signum, err
    assert is_gone(worker)
    assert f"stopped by {signal.Signals(signum).name}".encode() in err and b"Traceback" not in err
    assert {t: (out / f"{t}.parquet").read_bytes() for t in TABLES} == previous
    assert not list(out.glob(".*.tmp")) and not (out / ".pending").exists()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker process")
def test_a_killed_run_takes_its_worker_with_it(tmp_path):
    proc, out, previous, worker = start_stuck_run(tmp_path)
    proc.kill()
    try:
        proc.communicate(timeout=2)  # the worker would hold stdout and stderr open
    finally:
        if not is_gone(worker):
            os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 2
    while not is_gone(worker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert is_gone(worker)
    assert {t: (out / f"{t}.parquet").read_bytes() for t in TABLES} == previous


def test_a_signal_during_the_renames_acts_after_the_last_one(tmp_path, monkeypatch):
    from pipeline.output import files

    class Stop(BaseException):
        pass

    def stop(signum, frame):
        raise Stop

    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.parquet", "b.parquet"):
        (out / name).write_bytes(b"old")
    real_replace = os.replace

    def replace_then_signal(src, dst):
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives between the two renames

    previous = signal.signal(signal.SIGTERM, stop)
    monkeypatch.setattr(files.os, "replace", replace_then_signal)
    try:
        with pytest.raises(Stop):
            files.replace_files(out, {"a.parquet": b"new", "b.parquet": b"new"})
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert (out / "a.parquet").read_bytes() == (out / "b.parquet").read_bytes() == b"new"
    assert not (out / files.PENDING).exists() and not list(out.glob(".*.tmp"))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker processes")
def test_a_signal_stops_every_worker(tmp_path):
    """With two workers, each inside a document that never ends, SIGTERM stops the run and both."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in ("a.hang", "b.hang", "c.hang"):
        (raw / name).write_text(name)
    proc = subprocess.Popen([sys.executable, "-c", STUCK_RUN, "extract", "--raw", str(raw), "--out", str(out),
                             "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = children_of(proc.pid)
        time.sleep(0.02)
    assert len(workers) == 2, workers
    time.sleep(0.3)  # both are inside the reader's loop
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=2)
    finally:
        proc.kill()
        for worker in workers:
            if not is_gone(worker):
                os.kill(worker, signal.SIGKILL)
    assert time.monotonic() - sent < 2
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert all(is_gone(worker) for worker in workers)
    assert not (out / "documents.parquet").exists() and not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("where", ["a table's file just opened", "pyarrow's first conversion"])
def test_a_stop_while_the_tables_are_begun_leaves_no_temporary_file(tmp_path, monkeypatch, where):
    """A signal lands (here: the exception its handler raises) while the run opens its tables' files, before a
    writer holds the file or after they all do: no temporary file stays, the previous tables are whole."""
    from pipeline.output import tables
    from pipeline.run import folder
    from pipeline.run.folder import OUTPUT_FILES, run_extract

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD, encoding="utf-8")
    assert run_extract(raw, out, verbosity=0) == 0
    before = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    (raw / "b.txt").write_text(GOOD + "\n", encoding="utf-8")

    def stop(*args):
        raise KeyboardInterrupt

    if where == "pyarrow's first conversion":
        monkeypatch.setattr(folder, "warm_up_conversion", stop)
    else:
        real = tables.open_temp

        def open_then_stop(path):
            if path.name == "programs.parquet":
                real(path)  # the file is there, its writer never learns of it
                stop()
            return real(path)

        monkeypatch.setattr(tables, "open_temp", open_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_extract(raw, out, verbosity=0)
    assert not list(out.glob(".*.tmp")) and not list((out / ".cache").glob(".*.tmp"))
    assert {name: (out / name).read_bytes() for name in OUTPUT_FILES} == before
