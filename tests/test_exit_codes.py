"""Runs that cannot be done are refused with one line and exit status 2, the previous tables untouched;
a crash of the program itself is told apart from documents that failed (70, not 1)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT

from pipeline.output.schema import TABLES

SEED = RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("out", ["{raw}", "{raw}/.", "{raw}/../in", "{raw}/extracted", "{raw}/sub/deeper", "{link}"])
def test_an_output_folder_that_is_or_lies_in_the_input_folder_is_refused(tmp_path, out):
    raw = tmp_path / "in"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SEED, raw / "a.txt")
    (tmp_path / "link").symlink_to(raw, target_is_directory=True)
    before = snapshot(raw)
    proc = run("extract", "--raw", str(raw), "--out", out.format(raw=raw, link=tmp_path / "link"))
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.count("\n") == 1 and "input folder" in proc.stderr, proc.stderr
    assert snapshot(raw) == before and sorted(p.name for p in raw.iterdir()) == ["a.txt", "sub"]


@pytest.mark.parametrize("files", [{}, {".hidden.txt": b"x", ".git/config": b"x"}, {"slides.pptx": b"PK\x03\x04", "x.doc": b"1"}])
def test_an_input_folder_with_nothing_to_extract_keeps_the_previous_tables(tmp_path, files):
    good, empty = tmp_path / "good", tmp_path / "empty"
    good.mkdir()
    empty.mkdir()
    shutil.copy(SEED, good / "a.txt")
    out = tmp_path / "out"
    assert run("extract", "--raw", str(good), "--out", str(out)).returncode == 0
    before = snapshot(out)
    for name, data in files.items():
        (empty / name).parent.mkdir(parents=True, exist_ok=True)
        (empty / name).write_bytes(data)
    proc = run("extract", "--raw", str(empty), "--out", str(out))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nothing to extract" in proc.stderr, proc.stderr
    assert snapshot(out) == before
    assert all((out / f"{t}.parquet").exists() for t in TABLES)


CRASHING_RUN = """
import sys
from pipeline.run import folder

def crash(*args, **kwargs):
    raise ZeroDivisionError("a bug")

folder.encode_analysis_files = crash
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_is_not_a_failed_document(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(SEED, raw / "a.txt")
    args = ["extract", "--raw", str(raw), "--out", str(tmp_path / "out")]
    proc = subprocess.run([sys.executable, "-c", CRASHING_RUN, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 70
    assert "Traceback" not in proc.stderr
    [line] = [l for l in proc.stderr.splitlines() if not l.startswith(("[", "extract: "))]
    assert "internal error" in line and "ZeroDivisionError: a bug" in line and "-v" in line
    proc = subprocess.run([sys.executable, "-c", CRASHING_RUN, "-v", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 70 and "Traceback (most recent call last)" in proc.stderr


def test_review_refuses_a_missing_input_folder(tmp_path):
    proc = run("review", "--raw", str(tmp_path / "nope"), "--dest", str(tmp_path / "review"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "nope" in proc.stderr and "does not exist" in proc.stderr
    assert not (tmp_path / "review").exists()
