"""Bad files cost one document each: a status naming the kind, a readable error, the run goes on."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAW, ROOT

from pipeline.output.tables import read_arrow_table
from pipeline.read import files as reader
from pipeline.read.files import read_document
from pipeline.records import Limits
from pipeline.run.cache import read_manifest
from pipeline.run.folder import STATUS_MARGIN_NS, run_extract

SEED = RAW / "r08_zaitaku-ryoyo-torikumi_program-list.txt"
HTML_404 = (b"<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
            b"</head><body><h1>\xe3\x83\x9a\xe3\x83\xbc\xe3\x82\xb8\xe3\x81\x8c\xe8\xa6\x8b\xe3\x81\xa4"
            b"\xe3\x81\x8b\xe3\x82\x8a\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93</h1></body></html>\n")
UTF16_TEXT = "令和7年度 予算\r\n\r\n■在宅療養研修事業【1,000千円】\r\n"
PDF_BODY = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def read_bytes(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return read_document(tmp_path / name, tmp_path)


@pytest.mark.parametrize("name,data,status,words", [
    ("empty.txt", b"", "empty", "empty"),
    ("blank.md", b" \r\n\t\n", "empty", "white space"),
    ("error.txt", HTML_404, "not_text", "HTML page titled '404 Not Found'"),
    ("soap.txt", b"<?xml version=\"1.0\"?><fault>busy</fault>", "not_text", "XML document"),
    ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_text", "PNG image"),
    ("book.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "not_text", "old Microsoft Office"),
    ("slides.md", b"PK\x03\x04\x14\x00\x06\x00", "not_text", "ZIP archive"),
    ("doc.txt", PDF_BODY, "not_text", "PDF document"),
    ("nul.txt", "■事業【1千円】".encode() + b"\x00\x01", "not_text", "NUL bytes"),
    ("controls.txt", bytes(range(1, 9)) * 50 + "事業".encode(), "not_text", "control characters"),
    ("latin1.txt", "Café résumé naïve".encode("latin-1"), "bad_encoding", "not valid UTF-8 at byte 3"),
    ("bad16.txt", b"\xff\xfe\x00\xd8", "bad_encoding", "utf-16 byte-order mark"),
    ("jis.txt", b"\x1b$B\x7f\x7f\x1b(B", "bad_encoding", "ISO-2022-JP"),
    ("le.txt", UTF16_TEXT.encode("utf-16-le"), "bad_encoding", "UTF-16-LE text without a byte-order mark"),
    ("be.md", UTF16_TEXT.encode("utf-16-be"), "bad_encoding", "UTF-16-BE text without a byte-order mark"),
    ("le32.txt", UTF16_TEXT.encode("utf-32-le"), "bad_encoding", "UTF-32-LE text without a byte-order mark"),
    ("kanji16.txt", "在宅療養研修事業\n".encode("utf-16-le"), "bad_encoding", "UTF-16-LE text without a byte-order mark"),
    ("slides.pptx", b"PK\x03\x04", "unsupported_format", "no reader for '.pptx'"),
    ("page.pdf", HTML_404, "not_pdf", "HTML page titled '404 Not Found', not a PDF"),
    ("note.pdf", "■在宅療養研修事業【1,000千円】".encode("cp932"), "not_pdf", "file is text, not a PDF"),
    ("blob.pdf", bytes(range(256)) * 4, "not_pdf", "unknown data"),
    ("nothing.pdf", b"", "empty", "empty"),
    ("cut.pdf", PDF_BODY[:40], "corrupt_pdf", "truncated"),
])
def test_bad_file_gets_a_status_and_an_error(tmp_path, name, data, status, words):
    doc = read_bytes(tmp_path, name, data)
    assert (doc.status, doc.source) == (status, name), doc.error
    assert words in doc.error
    assert doc.doc_id == reader.compute_doc_id(data)
    assert doc.size == len(data)


def test_a_real_pdf_header_reaches_the_pdf_reader(tmp_path):
    # Header and %%EOF pass the wrapper's checks; the catalogue without pages is pdf.py's to refuse.
    doc = read_bytes(tmp_path, "ok.pdf", PDF_BODY)
    assert doc.status == "corrupt_pdf"
    assert "truncated" not in doc.error and "%PDF-" not in doc.error


def test_too_large_is_measured_before_reading(tmp_path):
    (tmp_path / "big.txt").write_bytes(SEED.read_bytes())
    doc = read_document(tmp_path / "big.txt", tmp_path, max_bytes=1000)
    assert doc.status == "too_large" and "--max-bytes" in doc.error
    assert doc.doc_id == reader.compute_doc_id(SEED.read_bytes())


def test_fifo_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    doc = read_document(tmp_path / "pipe.txt", tmp_path)
    assert doc.status == "unreadable" and "not a regular file" in doc.error


# -- whole runs ---------------------------------------------------------------


def run_folder(raw, out, capsys, **limits):
    code = run_extract(raw, out, limits=Limits(**limits), verbosity=2)
    captured = capsys.readouterr()
    docs = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
    return code, docs, captured


def hang_forever(source, fmt, data):
    while True:  # a pure-Python loop, like pdfminer on a hostile file
        pass


def sleep_forever(source, fmt, data):
    time.sleep(3600)


def eat_memory(source, fmt, data):
    hoard = bytearray(8 * 1024 ** 3)  # 8 GiB
    return hoard


def crash(source, fmt, data):
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def raise_bug(source, fmt, data):
    raise KeyError("a reader bug")


@pytest.fixture
def bad_readers(monkeypatch):
    for suffix, fn in {".hang": hang_forever, ".sleep": sleep_forever, ".eat": eat_memory,
                       ".crash": crash, ".bug": raise_bug}.items():
        monkeypatch.setitem(reader.READERS, suffix, (suffix[1:], fn))


def test_stuck_readers_are_stopped_and_the_run_goes_on(tmp_path, capsys, bad_readers):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "a_good.txt")
    for name in ("b_stuck.hang", "c_stuck.sleep", "d_hungry.eat", "e_dies.crash", "f_buggy.bug"):
        (raw / name).write_bytes(b"anything")
    shutil.copy(SEED, raw / "z_good.txt")
    out = tmp_path / "out"
    code, docs, captured = run_folder(raw, out, capsys, timeout=1.5, max_memory=256 * 1024 ** 2)
    assert code == 1
    status = {source: d["status"] for source, d in docs.items()}
    assert status == {
        "a_good.txt": "ok", "b_stuck.hang": "timeout", "c_stuck.sleep": "timeout", "d_hungry.eat": "too_large",
        "e_dies.crash": "crashed", "f_buggy.bug": "internal_error", "z_good.txt": "ok",
    }
    assert "longer than 1.5 s" in docs["b_stuck.hang"]["error"]
    assert "256 MiB" in docs["d_hungry.eat"]["error"]
    assert "SIGKILL" in docs["e_dies.crash"]["error"]
    assert "KeyError" in docs["f_buggy.bug"]["error"]
    assert docs["z_good.txt"]["n_programs"] == docs["a_good.txt"]["n_programs"] == 17
    assert docs["b_stuck.hang"]["doc_id"] == reader.compute_doc_id(b"anything")
    assert "FAIL b_stuck.hang: timeout: extraction took longer than 1.5 s" in captured.out
    # Documents stopped for time, memory or a crash are tried again by the next run.
    code, docs, captured = run_folder(raw, out, capsys, timeout=1.5, max_memory=256 * 1024 ** 2)
    assert "cached    a_good.txt" in captured.err and "extracted b_stuck.hang" in captured.err
    assert "extracted d_hungry.eat" in captured.err and "extracted e_dies.crash" in captured.err


def test_no_timeout_runs_in_process(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    (raw / "empty.txt").write_bytes(b"")
    code, docs, _ = run_folder(raw, tmp_path / "out", capsys, timeout=0)
    assert code == 1
    assert {s: d["status"] for s, d in docs.items()} == {"good.txt": "ok", "empty.txt": "empty"}


def test_links_out_of_the_input_folder_are_not_followed(tmp_path, capsys):
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    shutil.copy(SEED, outside / "secret.txt")
    shutil.copy(SEED, outside / "secret" / "inner.txt")
    raw = tmp_path / "in"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SEED, raw / "sub" / "own.txt")
    (raw / "file_link.txt").symlink_to(outside / "secret.txt")
    (raw / "sub" / "relative_link.txt").symlink_to("../../outside/secret.txt")
    (raw / "folder_link").symlink_to(outside / "secret", target_is_directory=True)
    (raw / "inside_link.txt").symlink_to(raw / "sub" / "own.txt")
    (raw / "broken_link.txt").symlink_to(tmp_path / "nowhere.txt")
    (raw / "broken_inside.txt").symlink_to(raw / "gone.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    code, docs, captured = run_folder(raw, tmp_path / "out", capsys)
    assert code == 1
    # Every file link gets a row; the folder link is not followed, so inner.txt is not listed.
    assert sorted(docs) == ["broken_inside.txt", "broken_link.txt", "file_link.txt", "inside_link.txt",
                            "loop.txt", "sub/own.txt", "sub/relative_link.txt"]
    assert docs["inside_link.txt"]["status"] == "ok" and docs["sub/own.txt"]["status"] == "ok"
    errors = {
        "file_link.txt": "a link to a file outside the input folder: not followed",
        "sub/relative_link.txt": "a link to a file outside the input folder: not followed",
        "broken_link.txt": "a broken link (its target does not exist): not followed",
        "broken_inside.txt": "a broken link (its target does not exist): not followed",
        "loop.txt": "a link that cannot be resolved",
    }
    for source, error in errors.items():
        doc = docs[source]
        assert (doc["status"], doc["doc_id"], doc["size_bytes"], doc["n_programs"]) == ("unreadable", "", 0, 0)
        assert error in doc["error"]
        assert f"FAIL {source}: unreadable: {error}" in captured.out
    manifest = read_manifest(tmp_path / "out" / ".cache")  # only the two ok documents' rows are kept
    assert manifest is not None and sorted(d.source for d in manifest.documents if d.final) == [
        "inside_link.txt", "sub/own.txt"]
    # A link swapped in after listing is refused by the reader too.
    (raw / "late.txt").symlink_to(outside / "secret.txt")
    doc = read_document(raw / "late.txt", raw)
    assert (doc.status, doc.source) == ("unreadable", "late.txt")
    assert "outside the input folder" in doc.error


def test_output_folder_inside_input_folder_is_refused(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    for out in (raw / "extracted", raw):
        assert run_extract(raw, out) == 2
        assert "input folder" in capsys.readouterr().err
    assert sorted(p.name for p in raw.iterdir()) == ["good.txt"]


def test_file_names_that_are_not_utf8(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    sjis_name = "在宅療養.txt".encode("cp932")
    with open(os.path.join(os.fsencode(raw), sjis_name), "wb") as fh:
        fh.write(SEED.read_bytes())
    with open(os.path.join(os.fsencode(raw), b"odd\xff\xfe.txt"), "wb") as fh:
        fh.write(SEED.read_bytes())
    code, docs, captured = run_folder(raw, tmp_path / "out", capsys)
    assert code == 0
    assert sorted(docs) == ["odd\\xff\\xfe.txt", "在宅療養.txt"]
    programs = read_arrow_table(tmp_path / "out" / "programs.parquet").to_pylist()
    assert {p["source"] for p in programs} == set(docs)


def test_the_scan_lists_files_in_the_order_of_their_paths_with_their_source_names(tmp_path):
    raw = tmp_path / "in"
    for name in ["a/b.txt", "a.txt", "a-b.txt", "sources.csv", "a/sources.csv", ".hidden.txt", "a/.git/x.txt",
                 "out/x.txt", "z/y/x.txt"]:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(b"x")
    odd = os.path.join(os.fsencode(raw / "z"), "在宅.txt".encode("cp932"))
    with open(odd, "wb") as fh:
        fh.write(b"x")
    inputs, unlisted = reader.scan_inputs(raw, exclude=(raw / "out",))
    # "-" < "." < "/": a path's order, not a walk's (which lists a folder's files before its folders)
    assert [source for _, source in inputs] == ["a-b.txt", "a.txt", "a/b.txt", "a/sources.csv", "z/y/x.txt",
                                               "z/在宅.txt"]
    assert all(isinstance(path, str) and os.path.isabs(path) for path, _ in inputs)
    assert [reader.name_source(Path(path), raw.resolve()) for path, _ in inputs] == [s for _, s in inputs]
    assert inputs[-1][0] == os.fsdecode(odd) and unlisted == []
    assert reader.list_inputs(raw, exclude=(raw / "out",)) == [Path(path) for path, _ in inputs]


def damage(data: bytes) -> list[bytes]:
    """Ways a cache file can be damaged: cut short, a bit flipped, emptied, foreign content."""
    return [data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b"", b'{"format": 2, "rows": {}}']


def wait_until_settled(path: Path) -> None:
    """Wait until a file last changed longer ago than a run trusts its status for (``STATUS_MARGIN_NS``), so that every
    run records its status alike, however long the runs take."""
    info = path.stat()
    settled = max(info.st_ctime_ns, info.st_mtime_ns) + STATUS_MARGIN_NS
    while (left := settled - time.time_ns()) >= 0:
        time.sleep(left / 1e9 + 0.01)


def test_damaged_cache_files_are_not_used(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    wait_until_settled(raw / "good.txt")
    out = tmp_path / "out"
    run_folder(raw, out, capsys)
    before = (out / "programs.parquet").read_bytes()
    cache = out / ".cache"
    kept = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert sorted(re.sub(r"-[0-9a-f]{16}\.", "-*.", name) for name in kept) == [
        "kaigi-documents-*.parquet", "kaigi-manifest.json", "kaigi-program_items-*.parquet", "kaigi-programs-*.parquet"]
    other_documents = next(data for name, data in kept.items() if name.startswith("kaigi-documents-"))
    for name, good in kept.items():
        for data in damage(good) + ([other_documents] if name.startswith("kaigi-programs-") else []):
            (cache / name).write_bytes(data)
            (out / "programs.parquet").unlink()  # the tables must be written again
            code, docs, captured = run_folder(raw, out, capsys)
            assert code == 0 and "extracted good.txt" in captured.err, (name, captured.err)
            assert (out / "programs.parquet").read_bytes() == before
            assert {p.name: p.read_bytes() for p in cache.iterdir()} == kept


def test_an_entry_of_values_no_table_holds_is_not_used():
    """An entry is read back with ``marshal``, which reads more than plain values: one holding bytes, a set or
    code, its checksum right all the same, is refused like a damaged one."""
    import hashlib
    import marshal

    from pipeline.run.cache import ENTRY_FORMAT, ENTRY_MAGIC, MARSHAL_VERSION, decode_entry, encode_entry
    from pipeline.run.workers import extract_file

    rows, _ = extract_file(SEED, SEED.parent, "", Limits())
    entry = encode_entry(rows)
    header, _, body = entry.partition(b"\n")
    payload = marshal.loads(body)
    assert decode_entry(entry) is not None
    schema = header.split(b" ")[2]
    for odd in (b"bytes", frozenset({"set"}), compile("0", "<entry>", "eval"), 1j, {1: "a key not a string"}, [{"a": b"b"}]):
        forged = [[list(column) for column in table] for table in payload]
        forged[1][0][0] = odd  # the first program's first value
        data = marshal.dumps(forged, MARSHAL_VERSION)
        entry = b"%s %d %s %s\n" % (ENTRY_MAGIC, ENTRY_FORMAT, schema, hashlib.sha256(data).hexdigest().encode()) + data
        assert decode_entry(entry) is None, odd
        forged[1][0][0] = payload[1][0][0]
        data = marshal.dumps(forged, MARSHAL_VERSION)
        entry = b"%s %d %s %s\n" % (ENTRY_MAGIC, ENTRY_FORMAT, schema, hashlib.sha256(data).hexdigest().encode()) + data
        assert decode_entry(entry) is not None


def test_a_damaged_journal_is_not_used(tmp_path, capsys, monkeypatch):
    """The journal holds what a stopped run extracted: whole records are taken, others extracted again."""
    from pipeline.run.cache import ENTRY_FORMAT, JOURNAL, Journal, decode_entry
    from pipeline.run.folder import Run

    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "other.txt")
    out = tmp_path / "out"

    def run() -> tuple[int, str]:  # one worker: the journal holds good.txt, then other.txt
        code = run_extract(raw, out, jobs=1, verbosity=2)
        return code, capsys.readouterr().err

    run()
    before = (out / "programs.parquet").read_bytes()
    for path in (out / ".cache").iterdir():
        path.unlink()
    monkeypatch.setattr(Run, "record", lambda self: None)  # stopped before it folds its journal in
    (out / "programs.parquet").unlink()
    assert run()[0] == 0
    journal = out / ".cache" / JOURNAL
    good = journal.read_bytes()
    assert sorted(decode_entry(Journal(out / ".cache").read(key) or b"") is not None
                  for key in Journal(out / ".cache").index) == [True, True]
    (out / "programs.parquet").unlink()
    code, err = run()
    assert code == 0 and "cached    good.txt" in err and "cached    other.txt" in err
    first_end = good.index(b"kaigi-journal ", 1)
    for data, extracted in [
        (good[: len(good) - 10], ["other.txt"]),                       # the last record cut short
        (good[:first_end - 1] + bytes([good[first_end - 1] ^ 1]) + good[first_end:], ["good.txt"]),  # a bit flipped
        (good.replace(b"kaigi-rows %d " % ENTRY_FORMAT, b"kaigi-rows %d " % (ENTRY_FORMAT + 1), 1), ["good.txt"]),  # another format
        (b"", ["good.txt", "other.txt"]),
    ]:
        journal.write_bytes(data)
        (out / "programs.parquet").unlink()
        code, err = run()
        assert code == 0, err
        assert sorted(re.findall(r"\] extracted (\S+)", err)) == extracted, err
        assert (out / "programs.parquet").read_bytes() == before
    assert len(Journal(out / ".cache").index) == 2


def test_a_second_run_on_the_same_output_is_refused(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from pipeline.output.files import lock_output\n"
         "with lock_output(Path(sys.argv[1])):\n    print('locked', flush=True); sys.stdin.read()", str(out)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert run_extract(raw, out) == 2
        assert "another run is writing to" in capsys.readouterr().err
        assert not (out / "documents.parquet").exists()
    finally:
        holder.communicate("", timeout=60)
    assert run_extract(raw, out) == 0  # the lock went with the process


def test_leftover_temporary_files_are_removed(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".programs.parquet.abc123.tmp").write_bytes(b"PAR1 half")
    (out / ".cache" / ".0123.json.xyz.tmp").write_bytes(b"{half")
    code, docs, captured = run_folder(raw, out, capsys)
    assert code == 0
    assert not list(out.rglob("*.tmp"))
    assert "left by an interrupted run" in captured.err


def test_cache_folder_that_is_a_link_is_not_written_through(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").symlink_to(elsewhere, target_is_directory=True)
    code, docs, captured = run_folder(raw, out, capsys)
    assert code == 0 and "running without the cache" in captured.err
    assert list(elsewhere.iterdir()) == []


def test_a_pending_record_only_renames_inside_the_output_folder(tmp_path):
    import json

    from pipeline.output.files import complete_pending

    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep")
    (out / ".documents.parquet.ok.tmp").write_bytes(b"new")
    (out / ".x.tmp").write_bytes(b"x")
    plan = [["../victim.txt", "documents.parquet"], [".x.tmp", "../escaped.parquet"], [".x.tmp", ".lock"],
            [".documents.parquet.ok.tmp", "documents.parquet"], "junk", [1, 2]]
    (out / ".pending").write_text(json.dumps(plan))
    assert complete_pending(out) == ["documents.parquet"]
    assert (out / "documents.parquet").read_bytes() == b"new"
    assert (tmp_path / "victim.txt").read_text() == "keep" and not (tmp_path / "escaped.parquet").exists()
    assert not (out / ".pending").exists()


def test_relative_paths_are_read_like_absolute_ones(monkeypatch):
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    name = "r04_zaitaku-ryoyo-torikumi_onepager.txt"
    relative = read_document(Path("raw") / name, Path("raw"))
    absolute = read_document(ROOT / "raw" / name, ROOT / "raw")
    assert relative == absolute and relative.source == name


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "in"
    (raw / "locked").mkdir(parents=True)
    (raw / "open").mkdir()
    shutil.copy(SEED, raw / "open" / "good.txt")
    shutil.copy(SEED, raw / "locked" / "hidden_from_us.txt")
    locked = raw / "locked"
    locked.chmod(0)
    if os.geteuid() == 0:  # root lists any folder: make it fail as it does for everyone else
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path) == os.fspath(locked):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        code, docs, captured = run_folder(raw, tmp_path / "out", capsys)
    finally:
        locked.chmod(0o755)
    assert code == 1
    assert docs["open/good.txt"]["status"] == "ok"
    folder = docs["locked/"]
    assert (folder["status"], folder["format"], folder["n_programs"]) == ("unreadable", "folder", 0)
    assert "Permission denied" in folder["error"] and "not read" in folder["error"]
    assert "FAIL locked/: unreadable: " in captured.out


def test_extract_never_removes_or_replaces_files_it_did_not_write(tmp_path, capsys):
    """An --out that holds other files (a home folder, say): only the run's own files are touched."""
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    out = tmp_path / "home"
    (out / ".cache").mkdir(parents=True)
    keep = {".cache/settings.json": b"{}", ".cache/0123abcd.json": b"{}", ".notes.tmp": b"x",
            ".cache/.session.tmp": b"x", "report.tmp": b"x", ".bashrc": b"x"}
    for name, data in keep.items():
        (out / name).write_bytes(data)
    code, docs, _ = run_folder(raw, out, capsys)
    assert code == 0 and list(docs) == ["good.txt"]
    (raw / "good.txt").write_bytes(SEED.read_bytes() + b"\n")  # a changed document: its old entry is pruned
    code, _, _ = run_folder(raw, out, capsys)
    assert code == 0
    for name, data in keep.items():
        assert (out / name).read_bytes() == data, name
    ours = sorted(re.sub(r"-[0-9a-f]{16}\.", "-*.", p.name) for p in (out / ".cache").iterdir() if p.name.startswith("kaigi-"))
    assert ours == ["kaigi-documents-*.parquet", "kaigi-manifest.json", "kaigi-program_items-*.parquet",
                    "kaigi-programs-*.parquet"]  # the previous run's segment is gone


def test_extract_refuses_an_output_folder_whose_files_are_not_its_own(tmp_path, capsys):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "good.txt")
    out = tmp_path / "project"
    out.mkdir()
    (out / "datapackage.json").write_text('{"name": "my own package"}')
    assert run_extract(raw, out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "datapackage.json" in err and "not an extraction folder" in err
    assert (out / "datapackage.json").read_text() == '{"name": "my own package"}'
    assert sorted(p.name for p in out.iterdir()) == ["datapackage.json"]
