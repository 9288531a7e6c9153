"""Every command of the README but the benchmarks, run exactly as written, in a copy of the repository
(``readme_commands.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from readme_commands import COMMAND_START, COMMANDS, README, copy_repository, is_bench, run_command, run_commands, strip_comment


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_repository(tmp_path_factory)


def test_readme_commands_are_in_sh_blocks():
    """A command quoted in the prose is one the blocks run (or the start of one)."""
    assert len(COMMANDS) >= 20
    run = [strip_comment(c) for c in COMMANDS]
    spans = re.findall(r"(?<!`)`([^`\n]+)`(?!`)", README)
    quoted = [s for s in spans if s.startswith(COMMAND_START)]
    assert quoted
    for span in quoted:
        assert span in run or any(c.startswith(span + " ") for c in run), f"`{span}` is not run by a sh block"
    assert not [c for c in run if c.startswith("python ")], "bare python: the reader's may not be .venv's"


def test_every_readme_command_runs_as_written(repo):
    failures = run_commands(repo, [command for command in COMMANDS if not is_bench(command)])
    assert not failures, "\n\n".join(failures)
    assert (repo / "extracted" / "review" / "index.html").is_file()
    assert (repo / "csv" / "programs.csv").is_file()
    assert (repo / "old-extracted" / "programs.parquet").is_file()


def test_make_extract_gives_the_status_the_readme_promises(repo):
    assert "`make extract` exits 0 when the run does, and 2 when it does not" in README
    assert "`Error 1`: some\ndocuments failed" in README
    (repo / "raw" / "empty.txt").write_bytes(b"")
    try:
        proc = run_command(repo, "make extract")
        assert proc.returncode == 2
        assert "FAIL empty.txt: empty" in proc.stdout and re.search(r"\bError 1\b", proc.stderr), proc.stderr
        direct = run_command(repo, ".venv/bin/kaigi-extract extract")
        assert direct.returncode == 1
    finally:
        (repo / "raw" / "empty.txt").unlink()
    assert run_command(repo, "make extract").returncode == 0
