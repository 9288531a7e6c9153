"""The Dask engine (issue 13) on a real ``LocalCluster`` of two worker processes, on localhost only: the
tables are byte for byte the local engine's, and a worker killed mid-run costs only its documents a retry."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, RAW, ROOT

pytest.importorskip("distributed")

from pipeline.run import cluster  # noqa: E402
from pipeline.run.folder import OUTPUT_FILES, run_extract  # noqa: E402

TESTS = Path(__file__).resolve().parent


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def make_input(folder: Path) -> Path:
    folder.mkdir()
    for path in sorted(RAW.iterdir()):
        shutil.copy(path, folder / path.name)
    shutil.copy(FIXTURES / "pdf" / "one_column.pdf", folder / "one_column.pdf")
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def local_cluster(tmp_path_factory):
    """Two single-threaded worker processes and their scheduler, listening on 127.0.0.1 only."""
    from distributed import LocalCluster

    folder = tmp_path_factory.mktemp("dask")
    previous = os.environ.get("KAIGI_TEST_DIR")
    os.environ["KAIGI_TEST_DIR"] = str(folder)
    path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), str(TESTS), path) if p)
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=":0", preload=[str(TESTS / "dask_preload.py")]) as lc:
            yield lc, folder
    finally:
        os.environ["PYTHONPATH"] = path
        if previous is None:
            os.environ.pop("KAIGI_TEST_DIR", None)
        else:
            os.environ["KAIGI_TEST_DIR"] = previous


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_a_cluster_writes_the_tables_the_local_engine_writes(tmp_path, local_cluster, capsys):
    lc, _ = local_cluster
    raw = make_input(tmp_path / "in")
    assert run_extract(raw, tmp_path / "local", jobs=2) == 1
    proc = run_cli("extract", "--raw", str(raw), "--out", str(tmp_path / "dask"), "--engine", "dask",
                   "--scheduler", lc.scheduler_address)
    assert proc.returncode == 1, proc.stderr
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")
    assert "7 documents: 7 new, 0 changed, 0 unchanged, 0 removed, 1 failed (7 extracted" in proc.stdout
    assert "dask" in proc.stderr  # the progress line names the engine


def test_a_cluster_reads_pdfs_with_the_pdf_engine_asked_for(tmp_path, local_cluster, capsys):
    """Each task names the PDF engine: the cluster's workers read every PDF with it (and the tables are the
    local engine's with that PDF engine)."""
    lc, folder = local_cluster
    raw = make_input(tmp_path / "in")
    shutil.copy(FIXTURES / "pdf" / "three_column_slide.pdf", raw / "slide.pdf")
    for pdf_engine in ("pdfplumber", "pdfium"):
        (folder / "pdf-engines.log").unlink(missing_ok=True)
        assert run_extract(raw, tmp_path / f"local-{pdf_engine}", jobs=2, pdf_engine=pdf_engine) == 1
        proc = run_cli("extract", "--raw", str(raw), "--out", str(tmp_path / f"dask-{pdf_engine}"), "--engine", "dask",
                       "--scheduler", lc.scheduler_address, "--pdf-engine", pdf_engine)
        assert proc.returncode == 1, proc.stderr
        assert snapshot(tmp_path / f"dask-{pdf_engine}") == snapshot(tmp_path / f"local-{pdf_engine}")
        engines = (folder / "pdf-engines.log").read_text(encoding="ascii").split()
        assert set(engines) == {pdf_engine} and len(engines) >= 2, engines  # both PDFs, by that engine


def test_engine_dask_alone_starts_a_local_cluster(tmp_path, capsys):
    raw = make_input(tmp_path / "in")
    assert run_extract(raw, tmp_path / "local", jobs=1) == 1
    assert run_extract(raw, tmp_path / "dask", jobs=2, engine="dask") == 1
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")


@pytest.mark.parametrize("copies", [8, 24])
def test_a_killed_worker_costs_only_its_documents_a_retry(tmp_path, local_cluster, monkeypatch, capsys, copies):
    """The worker running the slow document is killed: its batch of documents (one document when the run
    is short, ``cluster.choose_batch_size``) is run again on the other worker, and nothing else."""
    lc, folder = local_cluster
    batch = cluster.choose_batch_size(copies + 1, 2)
    assert batch == (1 if copies == 8 else 3)  # (25 documents on 2 workers: 3 a task)
    for name in ("slow-started", "reads.log"):
        (folder / name).unlink(missing_ok=True)
    raw = tmp_path / "in"
    raw.mkdir()
    for n in range(copies):
        shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / f"{n}.txt")
        (raw / f"{n}.txt").write_bytes((raw / f"{n}.txt").read_bytes() + f"\n{n}\n".encode())
    shutil.copy(RAW / "r08_zaitaku-ryoyo-torikumi_program-list.txt", raw / "4_slow.slow")
    client = ("import sys, dask_preload; dask_preload.install()\n"  # the client knows .slow files too
              "from pipeline.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.Popen([sys.executable, "-c", client, "extract", "--raw", str(raw), "--out",
                             str(tmp_path / "dask"), "--engine", "dask", "--scheduler", lc.scheduler_address],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        marker = folder / "slow-started"
        deadline = time.monotonic() + 120
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        worker = int(marker.read_text())
        time.sleep(0.5)  # the worker's earlier results have been gathered
        os.kill(worker, signal.SIGKILL)
        out, err = proc.communicate(timeout=180)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    reads = Counter((folder / "reads.log").read_text().splitlines())
    assert set(reads) == {f"{n}.txt" for n in range(copies)} | {"4_slow.slow"}, reads
    assert reads["4_slow.slow"] == 2 and max(reads.values()) == 2, reads
    # Read again: the documents that came before the slow one in its batch (batches are runs of consecutive
    # documents in input order, here 3 with 25 documents: 4.txt, 4_slow.slow and 5.txt).
    order = sorted(reads)
    place = order.index("4_slow.slow")
    again = sorted(name for name, times in reads.items() if times == 2 and name != "4_slow.slow")
    assert again == order[place - place % batch:place], reads
    assert again == ([] if batch == 1 else ["4.txt"])

    # The same tables as the local engine, which reads .slow files as text too.
    sys.path.insert(0, str(TESTS))
    import dask_preload

    monkeypatch.setenv("KAIGI_TEST_DIR", str(tmp_path))
    (tmp_path / "slow-started").write_text("0")  # read at once
    from pipeline.read import files

    monkeypatch.setitem(files.READERS, ".slow", ("slow", dask_preload.slow_reader))
    assert run_extract(raw, tmp_path / "local", jobs=2) == 0
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")


def test_without_dask_the_engine_is_refused(tmp_path, monkeypatch, capsys):
    raw = make_input(tmp_path / "in")
    monkeypatch.setattr(cluster.importlib.util, "find_spec", lambda name: None)
    assert run_extract(raw, tmp_path / "out", engine="dask") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'kaigi-extract[dask]'" in err
    assert not (tmp_path / "out").exists()


def test_a_scheduler_out_of_reach_is_refused(tmp_path, monkeypatch, capsys):
    raw = make_input(tmp_path / "in")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    assert run_extract(raw, tmp_path / "out", engine="dask", scheduler="tcp://127.0.0.1:9") == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not (tmp_path / "out" / "documents.parquet").exists()


def test_scheduler_goes_with_the_dask_engine():
    proc = run_cli("extract", "--scheduler", "tcp://127.0.0.1:8786")
    assert proc.returncode == 2 and "--scheduler goes with --engine dask" in proc.stderr


def test_batches_are_runs_of_consecutive_documents_within_their_bounds():
    """``make_batches`` keeps the input order, puts ``size`` documents in a batch at most and no more than
    ``BATCH_BYTES`` of their bytes, and sends a larger document alone; ``choose_batch_size`` gives each
    worker ``BATCH_SPREAD`` batches at least."""
    from pipeline.run.workers import Task

    def task(index: int, size: int) -> Task:
        return Task(index, f"{index}.txt", ".txt", "text", f"{index:064x}", b"x" * size)

    small, big = 1000, cluster.BATCH_BYTES + 1
    sizes = [small] * 5 + [big] + [small] * 2 + [cluster.BATCH_BYTES // 2] * 3
    batches = list(cluster.make_batches((task(n, size) for n, size in enumerate(sizes)), 4))
    assert [[t.index for t in batch] for batch in batches] == [[0, 1, 2, 3], [4], [5], [6, 7, 8], [9, 10]]
    assert list(cluster.make_batches(iter(()), 4)) == []
    assert [cluster.choose_batch_size(count, 2) for count in (1, 9, 16, 25, 1000)] == [1, 1, 2, 3, cluster.BATCH_DOCUMENTS]


def test_a_batch_whose_workers_keep_dying_is_sent_again_a_document_a_task(monkeypatch):
    """``KilledWorker`` for a batch: its documents go again one a task, so only the one that kills its workers
    ends ``crashed`` (a client stands in for the cluster: killing workers three times over takes long)."""
    import distributed
    from distributed.scheduler import KilledWorker

    from pipeline.records import Limits
    from pipeline.run.workers import Result, Task

    submitted: list[list[str]] = []

    class Future:
        def __init__(self, batch: list[Task]):
            self.batch = batch

        def done(self) -> bool:
            return True

        def result(self) -> list[Result]:
            if any(task.source == "poison.txt" for task in self.batch):
                raise KilledWorker("kaigi-extract", SimpleNamespace(address="tcp://127.0.0.1:1"), 3)
            return [Result(task.index, "ok", True) for task in self.batch]

        def release(self) -> None:
            pass

    class Client:
        def scheduler_info(self) -> dict:
            return {"workers": {"a": {}, "b": {}}}

        def submit(self, function, batch, limits, key, pure):
            assert function is cluster.extract_batch_on_worker and not pure
            submitted.append([task.source for task in batch])
            return Future(batch)

    monkeypatch.setattr(distributed, "wait", lambda futures, timeout, return_when: None)
    engine = object.__new__(cluster.DaskEngine)
    engine.limits, engine.tick, engine.client, engine.cluster = Limits(), lambda: None, Client(), None
    names = [f"{n:02d}.txt" for n in range(24)]
    names[10] = "poison.txt"
    tasks = [Task(n, name, ".txt", "text", f"{n:064x}", b"x") for n, name in enumerate(names)]
    results = {result.index: result.status for result in engine.map(iter(tasks), len(tasks))}
    assert results == {n: "crashed" if n == 10 else "ok" for n in range(24)}
    assert [names[9:12]] == [batch for batch in submitted if "poison.txt" in batch and len(batch) > 1]
    assert sorted(batch for batch in submitted if len(batch) == 1) == [["09.txt"], ["11.txt"], ["poison.txt"]]
    assert sorted(name for batch in submitted for name in batch) == sorted(names + names[9:12])
