"""The README's code runs as written: its Python blocks from the repository root, its shell
commands in a scratch copy of the repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, flags=re.S | re.M)


def run_block(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    return proc.stdout.decode("utf-8")


def test_readme_has_pandas_and_duckdb_blocks():
    assert any("pd.read_parquet" in b for b in BLOCKS)
    assert any("import duckdb" in b for b in BLOCKS)
    assert "## Reviewing an extraction" in README and "## Analysing the tables" in README
    assert 'git config diff.parquet.textconv ".venv/bin/python -m pipeline show"' in README


def test_pandas_block_loads_every_table():
    [block] = [b for b in BLOCKS if "budget_history.parquet" in b and "pd.read_parquet" in b]
    out = run_block(block)
    assert "r08_zaitaku-ryoyo-torikumi_program-list.txt" in out
    for figure in ("620000", "236194", "252777", "557263"):
        assert figure in out
    assert "区市町村在宅療養推進事業" in out


def test_duckdb_block_queries_the_files():
    [block] = [b for b in BLOCKS if "import duckdb" in b]
    lines = run_block(block).splitlines()
    assert lines[0] == str([
        (2017, 620000, None, "h29_zaitaku-ryoyo-torikumi_program-list.md"),
        (2022, 236194, "予算案", "r04_zaitaku-ryoyo-torikumi_onepager.txt"),
        (2025, 252777, "予算額", "r07_zaitaku-ryoyo-torikumi_onepager.txt"),
        (2026, 557263, "予算額（案）", "r08_zaitaku-ryoyo-torikumi_program-list.txt"),
    ])
    assert lines[1].startswith("[('新規', 12)")
    assert lines[2].startswith("[('区市町村在宅療養推進事業', 7, 12)")


def test_every_python_block_runs():
    for block in BLOCKS:
        run_block(block)


# -- the shell commands (```sh blocks), run as written in a scratch copy of the repository --

def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """Return (info string, body) of every fenced block of ``text``."""
    blocks, info, body = [], None, []
    for line in text.splitlines():
        if info is None and line.startswith("```"):
            info, body = line[3:].strip(), []
        elif info is not None and line == "```":
            blocks.append((info, "\n".join(body)))
            info = None
        elif info is not None:
            body.append(line)
    return blocks


FENCES = fenced_blocks(README)
# Every command of the ```sh blocks, its trailing "# comment" removed
SH_COMMANDS = [re.sub(r"\s+#.*$", "", line).strip()
               for info, body in FENCES if info == "sh" for line in body.splitlines() if line.strip()]
# The example output of `diff` the README shows after its commands
[EXAMPLE_DIFF] = [body for info, body in FENCES if info == "" and body.startswith("### ")]
# `make test` runs this test suite, this test included: run here it would recurse, so it is
# checked with `make -n` (what it would run) instead.
DRY_RUN = {"make test": "make -n test"}
R04 = "r04_zaitaku-ryoyo-torikumi_onepager.txt"
PROGRAM = "区市町村在宅療養推進事業"


def run_sh(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module")
def readme_sh(tmp_path_factory):
    """Run the README's shell commands in order, as written, in a scratch repository.

    The scratch repository holds copies of pipeline/, raw/ and extracted/ (where the commands
    write), old-extracted/ (the tables before), the Makefile, .gitattributes and schemas/.
    Its ``.venv/bin/python`` runs the interpreter of this test session (and refuses pip), and
    its install stamp is newer than pyproject.toml, so `make` installs nothing.
    Git: the tables before are committed on ``main``; then r04 is republished with
    区市町村在宅療養推進事業 at 252,777 千円 (was 236,194: the README's example), `make extract`
    writes the new tables and they are committed on the checked-out branch.
    """
    if not (shutil.which("make") and shutil.which("git")):
        pytest.skip("make and git are needed to run the README's shell commands")
    repo = tmp_path_factory.mktemp("readme") / "repo"
    repo.mkdir()
    for name in ("Makefile", "pyproject.toml", ".gitattributes"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "pipeline", repo / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "schemas").symlink_to(ROOT / "schemas")
    # What `pip install -e .` maps the package data `pipeline.schemas` to: this checkout's schemas/
    # (else an editable install of another checkout would lend its schemas/).
    (repo / "pipeline" / "schemas").symlink_to(ROOT / "schemas")
    ignore = shutil.ignore_patterns(".cache", ".lock", ".pending", "review")
    shutil.copytree(ROOT / "raw", repo / "raw")
    shutil.copytree(ROOT / "extracted", repo / "extracted", ignore=ignore)
    shutil.copytree(ROOT / "extracted", repo / "old-extracted", ignore=ignore)
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = -m ] && [ "$2" = pip ]; then echo "README test: no installs" >&2; exit 1; fi\n'
        f'exec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    (venv_bin / "python").chmod(0o755)
    old = time.time() - 3600
    os.utime(repo / "pyproject.toml", (old, old))
    (repo / ".venv" / ".installed-stamp").touch()

    home = repo.parent / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") and k not in {"PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="readme", GIT_AUTHOR_EMAIL="readme@example.invalid",
               GIT_COMMITTER_NAME="readme", GIT_COMMITTER_EMAIL="readme@example.invalid")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".gitattributes", "extracted")
    git("commit", "-q", "-m", "tables before")
    git("checkout", "-q", "-b", "new-publication")
    source = repo / "raw" / R04
    text = source.read_text(encoding="utf-8")
    assert text.count(f"■{PROGRAM}【236,194千円】") == 1
    source.write_text(text.replace(f"■{PROGRAM}【236,194千円】", f"■{PROGRAM}【252,777千円】"), encoding="utf-8")

    results = {}
    for command in SH_COMMANDS:
        results[command] = run_sh(DRY_RUN.get(command, command), repo, env)
        if command == "make extract":
            git("add", "extracted")
            git("commit", "-q", "--allow-empty", "-m", "tables after")
    return repo, env, results


def assert_in_order(lines: list[str], text: str) -> None:
    """Every line of ``lines`` is a line of ``text``, in this order."""
    rest = text.splitlines()
    for line in lines:
        assert line in rest, f"{line!r} missing (in order) from:\n{text}"
        rest = rest[rest.index(line) + 1:]


def check_make_extract(result, repo, env):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 documents" in result.stdout and ", 0 failed" in result.stdout
    table = pq.read_table(repo / "extracted" / "programs.parquet").to_pylist()
    [row] = [r for r in table if r["source"] == R04 and r["name"] == PROGRAM]
    assert row["budget_thousand_yen"] == 252777


def check_make_test(result, repo, env):
    assert result.returncode == 0, result.stderr
    assert ".venv/bin/python -m pytest -q" in result.stdout.splitlines()


def check_diff(result, repo, env):
    assert result.returncode == 1, result.stdout + result.stderr  # 1: the extractions differ
    assert_in_order(EXAMPLE_DIFF.splitlines() + ["### Budget history"], result.stdout)
    assert "Programs: 0 added, 0 removed, 1 changed, 0 moved, in 1 of 5 documents." in result.stdout


def check_git_config(result, repo, env):
    assert result.returncode == 0, result.stderr
    got = subprocess.run(["git", "config", "--get", "diff.parquet.textconv"], cwd=repo, env=env,
                         capture_output=True, text=True, check=True)
    assert got.stdout.strip() == ".venv/bin/python -m pipeline show"


def check_git_diff(result, repo, env):
    assert result.returncode == 0, result.stderr
    assert "Binary files" not in result.stdout
    changed = {sign: [json.loads(line[1:]) for line in result.stdout.splitlines() if line.startswith(sign + "{")]
               for sign in "-+"}
    # Every r04 record shows (its document's id changed with its text); one budget changed.
    assert {r["source"] for r in changed["-"] + changed["+"]} == {R04}
    old, new = ({(r["line_start"], r["name"], r["budget_thousand_yen"]) for r in changed[sign]} for sign in "-+")
    assert old ^ new == {(63, PROGRAM, 236194), (63, PROGRAM, 252777)}


CHECKS = {
    "make extract": check_make_extract,
    "make test": check_make_test,
    ".venv/bin/python -m pipeline diff old-extracted/ extracted/": check_diff,
    ".venv/bin/python -m pipeline diff --rev main --rev HEAD": check_diff,
    'git config diff.parquet.textconv ".venv/bin/python -m pipeline show"': check_git_config,
    "git diff HEAD~1 -- extracted/programs.parquet": check_git_diff,
}


def test_every_sh_command_is_checked():
    assert SH_COMMANDS == list(CHECKS), "a README shell command changed: run it here and check what it does"


@pytest.mark.parametrize("command", list(CHECKS))
def test_sh_command_runs_as_written(readme_sh, command):
    repo, env, results = readme_sh
    CHECKS[command](results[command], repo, env)
