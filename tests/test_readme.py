"""The README's code runs as written: its Python blocks from the repository root, its shell
commands in a scratch copy of the repository."""

from __future__ import annotations

import re
import subprocess
import sys

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
