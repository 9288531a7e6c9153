"""Documents in parallel, long-lived workers (issue 13): the tables are the same bytes whatever ``--jobs``,
the limits hold per document, reruns take unchanged rows from the cache, and the cache is as small as
the tables' own rows."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, RAW, ROOT

from pipeline.output.tables import read_arrow_table
from pipeline.read import files as reader
from pipeline.read import pdf
from pipeline.records import Limits, SourceDocument, SourceLine
from pipeline.run.folder import OUTPUT_FILES, run_extract

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

SEED = RAW / "r08_zaitaku-ryoyo-torikumi_program-list.txt"


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def make_input(folder: Path) -> Path:
    """The seeds, two PDFs and a few files that fail, in nested folders."""
    folder.mkdir()
    for path in sorted(RAW.iterdir()):
        shutil.copy(path, folder / path.name)
    (folder / "pdf").mkdir()
    for name in ("one_column.pdf", "packet.pdf", "encrypted.pdf"):
        shutil.copy(FIXTURES / "pdf" / name, folder / "pdf" / name)
    (folder / "bad").mkdir()
    (folder / "bad" / "empty.txt").write_bytes(b"")
    (folder / "bad" / "slides.pptx").write_bytes(b"PK\x03\x04")
    (folder / "bad" / "binary.md").write_bytes(b"\x00\x01\x02")
    return folder


def extract(raw: Path, out: Path, capsys, **options) -> tuple[int, str, str]:
    code = run_extract(raw, out, **options)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("pdf_engine", ["pdfium", "pdfplumber"])
def test_tables_are_the_same_bytes_whatever_the_number_of_workers(tmp_path, capsys, pdf_engine):
    raw = make_input(tmp_path / "in")
    runs = {}
    for name, options in {"jobs1": {"jobs": 1}, "jobs2": {"jobs": 2}, "jobs5": {"jobs": 5},
                          "in-process": {"jobs": 2, "limits": Limits(timeout=0)}}.items():
        code, out, _ = extract(raw, tmp_path / name, capsys, pdf_engine=pdf_engine, **options)
        assert code == 1  # the failing files
        runs[name] = (snapshot(tmp_path / name), out.replace(str(tmp_path / name), "OUT"))
    reference = runs.pop("jobs1")
    for name, run in runs.items():
        assert run == reference, name  # tables, data package and summary
    documents = read_arrow_table(tmp_path / "jobs1" / "documents.parquet").to_pylist()
    assert [d["source"] for d in documents] == sorted(d["source"] for d in documents)
    assert {d["source"]: d["status"] for d in documents if d["status"] != "ok"} == {
        "bad/binary.md": "not_text", "bad/empty.txt": "empty", "bad/slides.pptx": "unsupported_format",
        "pdf/encrypted.pdf": "encrypted_pdf"}


def test_a_rerun_takes_unchanged_rows_from_the_cache_and_writes_the_same_bytes(tmp_path, capsys):
    raw = make_input(tmp_path / "in")
    out = tmp_path / "out"
    extract(raw, out, capsys, jobs=2)
    # One document changed, one removed, one added: the rest comes from the cache's segment.
    (raw / "r04_zaitaku-ryoyo-torikumi_onepager.txt").write_bytes(SEED.read_bytes() + "\n追記\n".encode())
    (raw / "h29_zaitaku-ryoyo-torikumi_program-list.md").unlink()
    shutil.copy(SEED, raw / "z_new.txt")
    code, summary, err = extract(raw, out, capsys, jobs=2, verbosity=2)
    assert "cached    r08_zaitaku-ryoyo-torikumi_program-list.txt" in err
    assert "extracted r04_zaitaku-ryoyo-torikumi_onepager.txt" in err and "extracted z_new.txt" in err
    assert "1 new, 1 changed, 9 unchanged, 1 removed, 4 failed (" in summary
    fresh = tmp_path / "fresh"
    extract(raw, fresh, capsys, jobs=1, use_cache=False)
    assert snapshot(out) == snapshot(fresh)
    # Nothing changed: the tables are left as they are, the summary is the same.
    before = {name: (out / name).stat().st_mtime_ns for name in OUTPUT_FILES}
    code, again, err = extract(raw, out, capsys, verbosity=2)
    assert code == 1 and "(nothing extracted: the tables were up to date)" in again
    assert again.splitlines()[:-1] == summary.splitlines()[:-1]
    assert {name: (out / name).stat().st_mtime_ns for name in OUTPUT_FILES} == before


def test_a_rerun_hashes_only_the_files_whose_status_changed(tmp_path, capsys, monkeypatch):
    """A file whose status (size, times, inode, device) is the one the last run read, well after the file last
    changed, is not hashed again; a file whose bytes changed is, though its size is the same and its
    modification time put back: its change time tells."""
    from pipeline.run import folder

    monkeypatch.setattr(folder, "STATUS_MARGIN_NS", 0)  # the files below were written a moment ago
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "a.txt")
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "b.txt")
    out = tmp_path / "out"
    assert extract(raw, out, capsys)[0] == 0
    hashed: list[str] = []
    hash_plain_file = folder.hash_plain_file
    monkeypatch.setattr(folder, "hash_plain_file", lambda path: hashed.append(os.path.basename(path)) or hash_plain_file(path))
    code, summary, _ = extract(raw, out, capsys)
    assert code == 0 and hashed == [] and "(nothing extracted: the tables were up to date)" in summary
    before = (raw / "b.txt").stat()
    data = (raw / "b.txt").read_bytes()
    changed = data.replace("在宅".encode(), "在家".encode(), 1)
    assert len(changed) == len(data) and changed != data
    (raw / "b.txt").write_bytes(changed)
    os.utime(raw / "b.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    code, summary, _ = extract(raw, out, capsys)
    assert code == 0 and hashed == ["b.txt"] and "2 documents: 0 new, 1 changed, 1 unchanged" in summary
    fresh = tmp_path / "fresh"
    extract(raw, fresh, capsys, use_cache=False)
    assert snapshot(out) == snapshot(fresh)


def test_files_changed_just_before_a_run_are_hashed_by_the_next(tmp_path, capsys, monkeypatch):
    """A status read within ``STATUS_MARGIN_NS`` of the file's last change may not tell a change made a moment
    later (a coarse clock gives it the same times): the next run hashes the file again. So does a run without
    the cache."""
    from pipeline.run import folder

    monkeypatch.setattr(folder, "STATUS_MARGIN_NS", 10**15)  # every file changed "just before" the run
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "a.txt")
    out = tmp_path / "out"
    extract(raw, out, capsys)
    hashed: list[str] = []
    hash_plain_file = folder.hash_plain_file
    monkeypatch.setattr(folder, "hash_plain_file", lambda path: hashed.append(os.path.basename(path)) or hash_plain_file(path))
    code, summary, _ = extract(raw, out, capsys)
    assert hashed == ["a.txt"] and "(nothing extracted: the tables were up to date)" in summary
    monkeypatch.setattr(folder, "STATUS_MARGIN_NS", 0)  # statuses to trust, in a folder of its own
    extract(raw, tmp_path / "other", capsys)
    extract(raw, tmp_path / "other", capsys)
    assert hashed == ["a.txt", "a.txt"]  # the first run of the folder: nothing to trust
    extract(raw, tmp_path / "other", capsys, use_cache=False)
    assert hashed == ["a.txt", "a.txt", "a.txt"]


@pytest.mark.parametrize("jobs, timeout", [(2, 300.0), (1, 0.0)])  # workers that read their files; the run's own process
def test_a_file_changed_after_it_was_hashed_is_cached_as_it_was_read(tmp_path, capsys, monkeypatch, jobs, timeout):
    """The run hashes every file, then the worker reads it: should it change in between, its rows and its
    cache entry are those of the bytes read, and the next run takes them from the cache."""
    import hashlib

    from pipeline.run import folder

    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "a.txt")
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "b.txt")
    out = tmp_path / "out"
    hash_plain_file = folder.hash_plain_file
    monkeypatch.setattr(folder, "hash_plain_file",  # as if a.txt changed once it was hashed
                        lambda path: "0" * 64 if os.path.basename(path) == "a.txt" else hash_plain_file(path))
    code, _, err = extract(raw, out, capsys, jobs=jobs, limits=Limits(timeout=timeout), verbosity=2)
    assert code == 0 and "extracted a.txt" in err
    documents = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
    assert documents["a.txt"]["doc_id"] == hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]
    monkeypatch.undo()
    code, summary, err = extract(raw, out, capsys, jobs=jobs, limits=Limits(timeout=timeout), verbosity=2)
    assert code == 0 and "(nothing extracted: the tables were up to date)" in summary


def test_a_changed_row_of_sources_csv_extracts_its_document_again(tmp_path, capsys):
    """The cache holds rows with the input folder's sources.csv applied: a document whose row changed is
    extracted again (the others come from the cache), and the manifest is read and checked on every run,
    one with nothing to do too."""
    raw = make_input(tmp_path / "in")
    out = tmp_path / "out"
    extract(raw, out, capsys, jobs=2)
    manifest = raw / "sources.csv"
    stated = "r04_zaitaku-ryoyo-torikumi_onepager.txt,https://www.example.metro.tokyo.lg.jp/r04.pdf,2025-03-01,130001"
    text = manifest.read_text(encoding="utf-8").replace("r04_zaitaku-ryoyo-torikumi_onepager.txt,,,130001", stated)
    manifest.write_text(text + "gone.txt,,,\n", encoding="utf-8")
    code, summary, err = extract(raw, out, capsys, jobs=2, verbosity=2)
    assert "extracted r04_zaitaku-ryoyo-torikumi_onepager.txt" in err
    assert "cached    r08_zaitaku-ryoyo-torikumi_program-list.txt" in err
    assert "0 new, 1 changed, 10 unchanged, 0 removed" in summary
    assert "warning: sources.csv line 10: no file 'gone.txt' in the input folder" in err
    documents = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
    assert documents["r04_zaitaku-ryoyo-torikumi_onepager.txt"]["source_url"] == "https://www.example.metro.tokyo.lg.jp/r04.pdf"
    assert documents["pdf/packet.pdf"]["source_url"] is None
    fresh = tmp_path / "fresh"
    extract(raw, fresh, capsys, jobs=1, use_cache=False)
    assert snapshot(out) == snapshot(fresh)
    code, again, err = extract(raw, out, capsys)
    assert "(nothing extracted: the tables were up to date)" in again and "no file 'gone.txt'" in err
    # Without the manifest every document's rows change: none is taken from the cache.
    manifest.unlink()
    code, summary, err = extract(raw, out, capsys, jobs=2)
    assert "0 new, 11 changed, 0 unchanged" in summary and "(11 extracted, 0 from the cache)" in summary
    fresh = tmp_path / "fresh-without"
    extract(raw, fresh, capsys, jobs=1, use_cache=False)
    assert snapshot(out) == snapshot(fresh)
    documents = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
    assert documents["r04_zaitaku-ryoyo-torikumi_onepager.txt"]["source_url"] is None


def test_the_cache_is_no_bigger_than_twice_the_rows(tmp_path, capsys):
    """The rows' own size: the ``documents``, ``programs`` and ``program_items`` tables the run wrote."""
    raw = tmp_path / "in"
    corpus.write_texts(raw, 60)
    out = tmp_path / "out"
    assert extract(raw, out, capsys)[0] == 0
    rows = sum((out / f"{table}.parquet").stat().st_size for table in ("documents", "programs", "program_items"))
    cache = sum(path.stat().st_size for path in (out / ".cache").iterdir())
    assert cache <= 2 * rows, (cache, rows)


@pytest.mark.parametrize("pdf_engine", ["pdfplumber", "pdfium"])
def test_workers_load_the_pdf_engine_once_and_read_every_pdf_with_it(tmp_path, capsys, monkeypatch, pdf_engine):
    """The engine is loaded in the run's process before the workers are forked (the warm-up reads a
    blank PDF), and each document's task names it: every PDF is read by it, in a worker."""
    log = tmp_path / "engines.log"
    real = pdf.load_pages

    def load_pages(data: bytes, engine: str):
        with open(log, "a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()} {engine}\n")
        return real(data, engine)

    monkeypatch.setattr(pdf, "load_pages", load_pages)
    raw = tmp_path / "in"
    raw.mkdir()
    names = ["one_column.pdf", "packet.pdf", "three_column_slide.pdf", "two_column_boxes.pdf"]
    for name in names:
        shutil.copy(FIXTURES / "pdf" / name, raw / name)
    shutil.copy(SEED, raw / "seed.txt")
    assert extract(raw, tmp_path / "out", capsys, jobs=2, pdf_engine=pdf_engine)[0] == 0
    reads = [line.split() for line in log.read_text(encoding="ascii").splitlines()]
    assert {engine for _, engine in reads} == {pdf_engine}
    pids = [pid for pid, _ in reads]
    assert pids[0] == str(os.getpid()) and pids.count(str(os.getpid())) == 1  # the warm-up, before forking
    assert len(pids) == 1 + len(names) and 1 <= len(set(pids[1:])) <= 2  # two long-lived workers, a read each


def pid_reader(source: str, fmt: str, data: bytes) -> SourceDocument:
    """A reader that writes the process it runs in as the document's text."""
    text = f"令和7年度 予算\n\n■事業{os.getpid()}【1,000千円】"
    lines = tuple(SourceLine(n, t) for n, t in enumerate(text.split("\n"), start=1))
    return SourceDocument(source, fmt, reader.compute_doc_id(data), len(data), "utf-8", lines)


def test_workers_are_long_lived(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(reader.READERS, ".pid", ("pid", pid_reader))
    raw = tmp_path / "in"
    raw.mkdir()
    for n in range(12):
        (raw / f"{n:02d}.pid").write_bytes(str(n).encode())
    assert extract(raw, tmp_path / "out", capsys, jobs=2)[0] == 0
    names = {p["name"] for p in read_arrow_table(tmp_path / "out" / "programs.parquet").to_pylist()}
    pids = {name.removeprefix("事業") for name in names}
    assert 1 <= len(pids) <= 2 and str(os.getpid()) not in pids  # two processes for twelve documents


def hang(source, fmt, data):
    while True:
        pass


def eat(source, fmt, data):
    return bytearray(8 * 1024 ** 3)


def die(source, fmt, data):
    os.kill(os.getpid(), 9)


@pytest.mark.parametrize("jobs", [1, 2])
def test_limits_hold_for_each_document_in_long_lived_workers(tmp_path, capsys, monkeypatch, jobs):
    for suffix, fn in {".hang": hang, ".eat": eat, ".crash": die}.items():
        monkeypatch.setitem(reader.READERS, suffix, (suffix[1:], fn))
    raw = tmp_path / "in"
    raw.mkdir()
    names = []
    for n, suffix in enumerate([".txt", ".hang", ".txt", ".eat", ".txt", ".crash", ".txt", ".txt"]):
        name = f"{n}{suffix}"
        names.append(name)
        if suffix == ".txt":
            shutil.copy(SEED, raw / name)
        else:
            (raw / name).write_bytes(b"x")
    code, _, _ = extract(raw, tmp_path / "out", capsys, jobs=jobs,
                         limits=Limits(timeout=2, max_memory=256 * 1024 ** 2))
    assert code == 1
    docs = {d["source"]: d for d in read_arrow_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    status = {name: docs[name]["status"] for name in names}
    assert status == {"0.txt": "ok", "1.hang": "timeout", "2.txt": "ok", "3.eat": "too_large", "4.txt": "ok",
                      "5.crash": "crashed", "6.txt": "ok", "7.txt": "ok"}
    assert {docs[name]["n_programs"] for name in names if name.endswith(".txt")} == {17}


def test_a_new_worker_takes_its_first_documents_at_once_and_loses_none_to_a_crash(tmp_path, monkeypatch):
    """A new worker is given its first few documents in one message (``START_DOCS``: a quarter of its
    share), then the run's ``ready`` is called, before any result; a crash at the first of them costs that
    one alone: the others go to a new worker."""
    from pipeline.run.workers import LocalEngine, Task, result_rows, take_in

    monkeypatch.setitem(reader.READERS, ".pid", ("pid", pid_reader))
    monkeypatch.setitem(reader.READERS, ".crash", ("crash", die))
    raw = tmp_path / "in"
    raw.mkdir()
    paths = [raw / "00.crash"] + [raw / f"{n:02d}.pid" for n in range(1, 12)]
    for path in paths:
        path.write_bytes(path.name.encode())
    tasks = [take_in(path, raw, n, 1 << 20) for n, path in enumerate(paths)]
    assert all(isinstance(task, Task) for task in tasks)
    engine = LocalEngine(1, Limits(timeout=30), pdf_engine=None)
    seen: list[list[tuple[int | None, list[int]]]] = []

    def ready() -> None:
        seen.append([(s.task.index if s.task else None, [q.index for q in s.queued]) for s in engine.sandboxes])

    try:
        engine.start(len(tasks))
        results = []
        for result in engine.map(tasks, len(tasks), ready=ready):
            assert seen, "ready is called before the first result"
            results.append(result)
    finally:
        engine.close()
    assert seen == [[(0, [1, 2])]]  # twelve documents, one worker: three at once
    assert sorted(r.index for r in results) == list(range(12))
    status = {r.index: r.status for r in results}
    assert status == {0: "crashed", **{n: "ok" for n in range(1, 12)}}
    pids = {result_rows(r)["programs"][0]["name"] for r in results if r.index}
    assert len(pids) == 1 and str(os.getpid()) not in next(iter(pids))  # the worker that took over


@pytest.mark.parametrize("content, limit, expected", [
    (b"abcdef", 11, 7),  # as the stat said
    (b"abcdef", 4, 7),  # longer than the limit
    (b"abcdefghijklmnop", 11, 7),  # grown since the stat, past the limit
    (b"abcdefghij", 11, 7),  # grown, within it
    (b"abc", 11, 7),  # shrunk
    (b"", 3, 1),
])
def test_a_file_is_read_to_the_limit_whatever_its_stated_size(content, limit, expected):
    import io

    from pipeline.run.workers import read_at_most

    assert read_at_most(io.BytesIO(content), limit, expected) == content[:limit]


def test_an_in_process_run_reports_its_pages_to_itself_alone(tmp_path, capsys):
    """``InProcessEngine`` (``--timeout 0``) wraps the PDF reader to report pages while it runs, and
    puts it back when it ends: a later run, or a later reading in the same process, reports to no
    run that has ended."""
    from pipeline.read import pdf

    original = pdf.read_page
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(FIXTURES / "pdf" / "packet.pdf", raw / "packet.pdf")
    for run in ("first", "second"):
        code, _, err = extract(raw, tmp_path / run, capsys, jobs=1, limits=Limits(timeout=0), use_cache=False)
        assert code == 0, err
        assert pdf.read_page is original
