"""The README's commands, and a copy of the repository to run them in as written (test_cli_readme.py,
test_readme_benchmarks.py).

The copy has what ``make install`` leaves: a ``.venv`` whose ``python`` is the interpreter running
these tests, whose ``kaigi-extract`` is the console script ``[project.scripts]`` declares (pip
writes the same two lines; ``test_packaging.py`` checks pip's own), and whose ``frictionless`` is
the installed one. It is a git repository with ``extracted/`` committed on ``main``. The make
targets that run the test suite (``make test``, ``make fuzz``, ``make golden``) run it on a
one-test stand-in of ``tests/``: the commands and their make recipes are what is checked here,
the suite itself runs once, outside. ``BENCH_ARGS`` keeps ``make bench-pdf`` to one round and no book (the README's own
``BENCH_ARGS`` then reads one of 10 pages),
``BOOK_ARGS`` ``make bench-book`` to two short books, ``BENCH_N`` and ``BENCH_PDF_PAGES`` ``make bench`` to a
corpus of 20 documents and 4 PDF pages, measured once (``BENCH_ROUNDS``), ``BENCH_DASK=0`` leaves its Dask
engine out (test_dask.py runs it), and ``NATIVE_ARGS`` has ``make native`` compile one module into the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SH_BLOCKS = re.findall(r"^```sh\n(.*?)^```", README, flags=re.S | re.M)
COMMANDS = [line for block in SH_BLOCKS for line in block.splitlines() if line.strip() and not line.startswith("#")]
COMMAND_START = ("make ", ".venv/bin/", "kaigi-extract ", "python ", "git ", "frictionless ", "cp ")
CHROMIUM = Path("/usr/bin/chromium")
PDFTOTEXT = Path("/usr/bin/pdftotext")
STAND_IN_TESTS = {
    "conftest.py": 'def pytest_addoption(parser):\n    parser.addoption("--update-golden", action="store_true")\n',
    "test_golden.py": "def test_stand_in():\n    pass\n",
    "test_properties.py": "def test_stand_in():\n    pass\n",
    "test_adversarial.py": "def test_stand_in():\n    pass\n",
}


def strip_comment(line: str) -> str:
    return re.sub(r"\s+#.*$", "", line).strip()


def write_script(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def copy_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository as a reader has it after ``make install``."""
    repo = tmp_path_factory.mktemp("repo")
    for name in ("Makefile", "pyproject.toml", "setup.py", "README.md", ".gitattributes", ".gitignore"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, repo / name)
    for name in ("raw", "schemas", "docs", "bench", "tools"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copytree(ROOT / "extracted", repo / "extracted",
                    ignore=shutil.ignore_patterns(".cache", ".lock", "review", ".*.tmp"))
    (repo / "pipeline").symlink_to(ROOT / "pipeline", target_is_directory=True)
    if (ROOT / ".mypy_cache").is_dir():  # `make test` lints first: mypy's cache of the lint just run spares it a cold start
        shutil.copytree(ROOT / ".mypy_cache", repo / ".mypy_cache")
    tests = repo / "tests"
    tests.mkdir()
    for name, text in STAND_IN_TESTS.items():
        (tests / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "tests" / "make_pdf_fixtures.py", tests / "make_pdf_fixtures.py")
    shutil.copytree(ROOT / "tests" / "real", tests / "real")  # the goldens `make real` scores against
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    write_script(bin_dir / "python", f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    write_script(bin_dir / "kaigi-extract",
                 f"#!{sys.executable}\nimport sys\nfrom pipeline.cli import main\nif __name__ == '__main__':\n"
                 "    sys.exit(main())\n")
    write_script(bin_dir / "frictionless", f'#!/bin/sh\nexec "{Path(sys.executable).with_name("frictionless")}" "$@"\n')
    write_script(bin_dir / "lint-imports", f'#!/bin/sh\nexec "{Path(sys.executable).with_name("lint-imports")}" "$@"\n')
    stamp = repo / ".venv" / ".installed-stamp"
    stamp.touch()
    # later than what the install is made from (the compiled core's source among it)
    later = max((repo / name).stat().st_mtime for name in ("pyproject.toml", "setup.py", "pipeline/read/_pdfcore.c")) + 10
    os.utime(stamp, (later, later))
    git = ["git", "-c", "user.name=Readme Test", "-c", "user.email=readme@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "tables"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "a later commit"], cwd=repo, check=True)
    return repo


REAL_DIR = Path(os.environ.get("KAIGI_REAL_DIR", ROOT.parent / "shared" / "realpdf")).resolve()


def run_command(repo: Path, command: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "BENCH_ARGS": "--rounds 1 --repeat 1 --book-pages 0", "BOOK_ARGS": "--pages 10 20",
           "BENCH_N": "20", "BENCH_PDF_PAGES": "4", "BENCH_DASK": "0", "BENCH_ROUNDS": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "MAKEFLAGS": "", "KAIGI_REAL_DIR": str(REAL_DIR),
           "KAIGI_OCR": "0",  # `make real` as written, its scan left unread: test_real.py reads it, once
           # `make native` (and `make bench`, `make test-native`) compiles one module into the copy (test_native.py
           # builds and loads compiled modules; the parse stage's own build takes a minute)
           "NATIVE_ARGS": f"--only pipeline.parse.money --into {repo / 'build' / 'native-test'}"}
    return subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


def is_bench(command: str) -> bool:
    """Tell whether a command is a benchmark's (``make bench``, ``make bench-pdf``, ``make bench-book``) or makes what
    one measures (``make pdf-fixtures``, the PDFs ``make bench-pdf`` reads): they run apart from the others, in their
    order (and, under pytest-xdist, beside them)."""
    return strip_comment(command).startswith(("make bench", "make pdf-fixtures"))


def run_commands(repo: Path, commands: list[str]) -> list[str]:
    """Run each command as written, in order, once (``make test`` is both in the quick start and under Tests); return
    what failed."""
    failures = []
    done = set()
    for command in commands:
        if strip_comment(command) in done:
            continue
        done.add(strip_comment(command))
        if strip_comment(command).startswith("make test") and not (CHROMIUM.exists() and PDFTOTEXT.exists()):
            continue  # its recipe would install Debian chromium and pdftotext first
        if ("real" in strip_comment(command) or "bench-book" in command) and not REAL_DIR.is_dir():
            continue  # the real PDFs (make bench-book's pages) are not beside this checkout (test_real.py says so too)
        proc = run_command(repo, command)
        if proc.returncode != 0:
            failures.append(f"{command}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return failures
