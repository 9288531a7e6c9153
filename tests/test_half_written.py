"""A run killed between two renames leaves ``.pending``: no reader takes that folder's tables for a whole set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import RAW, ROOT

EXTRACTED = ROOT / "extracted"


@pytest.fixture
def half_renamed(tmp_path):
    """An extraction folder whose run was killed after renaming one of its new tables."""
    out = tmp_path / "out"
    shutil.copytree(EXTRACTED, out)
    (out / ".programs.parquet.new.tmp").write_bytes((out / "programs.parquet").read_bytes())
    plan = [[".documents.parquet.gone.tmp", "documents.parquet"], [".programs.parquet.new.tmp", "programs.parquet"]]
    (out / ".pending").write_text(json.dumps(plan))
    return out


@pytest.mark.parametrize("command", [
    ["export", "--csv", "{tmp}/csv", "--out", "{out}"],
    ["review", "--raw", str(RAW), "--out", "{out}", "--dest", "{tmp}/review"],
    ["diff", str(EXTRACTED), "{out}"],
    ["diff", "{out}", str(EXTRACTED)],
    ["show", "{out}/programs.parquet"],
    ["score", "--golden", str(ROOT / "tests" / "real"), "--out", "{out}"],
])
def test_readers_refuse_a_half_renamed_set(half_renamed, tmp_path, command):
    args = [a.format(out=half_renamed, tmp=tmp_path) for a in command]
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "interrupted" in proc.stderr and "extract" in proc.stderr, proc.stderr
    assert not (tmp_path / "csv").exists() and not (tmp_path / "review").exists()
