"""Report and export folders: only files a previous run of the same command wrote are removed or replaced."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from conftest import RAW, ROOT

from pipeline.output.files import OutputError, replace_owned_files
from pipeline.output.schema import ALL_TABLES
from pipeline.output.tables import read_folder, write_table
from pipeline.review.report import REVIEW_MANIFEST, generate_report, make_page_name

EXTRACTED = ROOT / "extracted"
R04 = "r04_zaitaku-ryoyo-torikumi_onepager.txt"


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def write_subset(folder, sources):
    tables = copy.deepcopy(read_folder(EXTRACTED))
    for table in ALL_TABLES:
        write_table(folder, table, [r for r in tables[table] if r["source"] in sources])


def test_owned_files_replace_only_what_they_wrote(tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "mine.txt").write_text("a file of the user's")
    replace_owned_files(dest, {"a.html": b"1", "pages/b.png": b"2"}, ".files.json")
    replace_owned_files(dest, {"a.html": b"3"}, ".files.json")
    assert (dest / "a.html").read_bytes() == b"3"
    assert not (dest / "pages" / "b.png").exists()  # ours, and no longer written: removed
    assert (dest / "mine.txt").read_text() == "a file of the user's"
    with pytest.raises(OutputError, match="mine.txt"):
        replace_owned_files(dest, {"a.html": b"4", "mine.txt": b"x"}, ".files.json")
    assert (dest / "mine.txt").read_text() == "a file of the user's" and (dest / "a.html").read_bytes() == b"3"
    # a record that names files outside the folder, or links, is never acted on
    (tmp_path / "victim.html").write_text("keep")
    (dest / "link.html").symlink_to(tmp_path / "victim.html")
    (dest / ".files.json").write_text('["../victim.html", "link.html", "/etc/hostname", "a.html"]')
    replace_owned_files(dest, {"a.html": b"5"}, ".files.json")
    assert (tmp_path / "victim.html").read_text() == "keep" and (dest / "link.html").is_symlink()
    with pytest.raises(OutputError, match="link.html"):
        replace_owned_files(dest, {"link.html": b"x"}, ".files.json")
    assert (tmp_path / "victim.html").read_text() == "keep"


def test_review_dest_keeps_files_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    write_subset(out, {R04, "r07_zaitaku-ryoyo-torikumi_onepager.txt"})
    dest = tmp_path / "review"
    (dest / "sources").mkdir(parents=True)
    for name in ("a.txt", "notes.html", "sources/scan.png", "sources/font.ttf", "readme.txt"):
        (dest / name).write_text(f"the user's {name}")
    generate_report(RAW, out, dest, chart=False)
    assert (dest / make_page_name(R04)).is_file() and (dest / REVIEW_MANIFEST).is_file()
    # fewer documents: the page of the one gone is removed, the user's files are not
    write_subset(out, {R04})
    generate_report(RAW, out, dest, chart=False)
    assert not (dest / "r07_zaitaku-ryoyo-torikumi_onepager.txt.html").exists()
    for name in ("a.txt", "notes.html", "sources/scan.png", "sources/font.ttf", "readme.txt"):
        assert (dest / name).read_text() == f"the user's {name}"


def test_review_refuses_to_overwrite_a_file_it_did_not_write(tmp_path):
    dest = tmp_path / "review"
    dest.mkdir()
    (dest / "index.html").write_text("the user's own index")
    proc = run("review", "--raw", str(RAW), "--out", str(EXTRACTED), "--dest", str(dest))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "index.html" in proc.stderr and "did not write" in proc.stderr
    assert (dest / "index.html").read_text() == "the user's own index"
    assert sorted(p.name for p in dest.iterdir()) == ["index.html"]


def test_export_refuses_an_extraction_folder(tmp_path):
    out = tmp_path / "out"
    write_subset(out, {R04})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "datapackage.json").write_text("{}")
    before["datapackage.json"] = b"{}"
    proc = run("export", "--csv", str(out), "--out", str(out))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "extraction folder" in proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # nor EXTRACTED when it is named another way
    proc = run("export", "--csv", str(EXTRACTED / "."))
    assert proc.returncode == 2 and "extraction folder" in proc.stderr


def test_export_never_overwrites_files_it_did_not_write(tmp_path):
    dest = tmp_path / "csv"
    dest.mkdir()
    (dest / "programs.csv").write_text("the user's spreadsheet")
    proc = run("export", "--csv", str(dest))
    assert proc.returncode == 2 and "programs.csv" in proc.stderr
    assert (dest / "programs.csv").read_text() == "the user's spreadsheet"
    (dest / "programs.csv").unlink()
    (dest / "notes.txt").write_text("keep")
    for _ in range(2):  # a second export replaces its own files
        proc = run("export", "--csv", str(dest))
        assert proc.returncode == 0, proc.stderr
    assert (dest / "notes.txt").read_text() == "keep"
    assert (dest / "programs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
