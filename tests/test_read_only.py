"""A destination that cannot be written: one line naming it and the reason, exit status 2, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import RAW, ROOT

EXTRACTED = ROOT / "extracted"
# Root writes into a folder without write permission: for root, the run is given the error anyone else gets.
AS_EVERYONE = """
import os, sys, tempfile
locked = os.environ["READ_ONLY_DIR"]
if os.geteuid() == 0:
    def refuse(path):
        path = os.path.abspath(os.fsdecode(path))
        if path == locked or path.startswith(locked + os.sep):
            raise PermissionError(13, "Permission denied", path)
    real_mkstemp, real_open, real_mkdir = tempfile.mkstemp, os.open, os.mkdir
    def mkstemp(*args, dir=None, **kwargs):
        refuse(os.path.join(dir or ".", "x"))
        return real_mkstemp(*args, dir=dir, **kwargs)
    def open_(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)
    def mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)
    tempfile.mkstemp, os.open, os.mkdir = mkstemp, open_, mkdir
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [
    ["review", "--raw", str(RAW), "--out", str(EXTRACTED), "--dest", "{locked}"],
    ["review", "--raw", str(RAW), "--out", str(EXTRACTED), "--dest", "{locked}/review"],
    ["export", "--csv", "{locked}"],
    ["export", "--csv", "{locked}/csv"],
    ["dictionary", "--output", "{locked}/dictionary.md"],
    ["extract", "--raw", "{raw}", "--out", "{locked}"],
    ["extract", "--raw", "{raw}", "--out", "{locked}/out"],
])
def test_a_read_only_destination_gives_one_line(tmp_path, command):
    locked = tmp_path / "locked"
    locked.mkdir()
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw)
    locked.chmod(0o555)
    args = [a.format(locked=locked, raw=raw) for a in command]
    try:
        proc = subprocess.run([sys.executable, "-c", AS_EVERYONE, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "READ_ONLY_DIR": str(locked)})
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if not l.startswith("[")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Permission denied" in lines[0], proc.stderr
    assert str(locked) in lines[0]
    assert list(locked.iterdir()) == []
