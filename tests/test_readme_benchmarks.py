"""The README's benchmarks (``make bench``, ``make bench-pdf``, ``make bench-book``) and ``make pdf-fixtures``, run
exactly as written in a copy of the repository (``readme_commands.py``), in a module of their own: under pytest-xdist
they run beside the README's other commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from readme_commands import COMMANDS, copy_repository, is_bench, run_commands, strip_comment


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_repository(tmp_path_factory)


def test_every_readme_benchmark_runs_as_written(repo):
    benches = [command for command in COMMANDS if is_bench(command)]
    assert {strip_comment(command).split()[1] for command in benches} == {"bench", "bench-pdf", "bench-book", "pdf-fixtures"}
    results = repo / "bench" / "results.md"
    results.unlink()  # (the copy's, as committed: make bench writes it again)
    failures = run_commands(repo, benches)
    assert not failures, "\n\n".join(failures)
    assert "documents/s" in results.read_text(encoding="utf-8")
