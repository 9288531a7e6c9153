"""Golden files: every raw document's tables as JSON Lines, one record a line."""

from __future__ import annotations

import pytest
from conftest import GOLDEN, extract_raw, raw_files

from pipeline.output.rows import make_rows, to_jsonl
from pipeline.output.schema import TABLES


@pytest.mark.parametrize("path", raw_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("table", TABLES)
def test_golden(path, table, update_golden):
    rows = make_rows(extract_raw(path.name))[table]
    golden = GOLDEN / table / f"{path.stem}.jsonl"
    text = to_jsonl(rows)
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.relative_to(GOLDEN.parent.parent)}: run `make golden` and review it"
    assert golden.read_text(encoding="utf-8") == text


def test_no_orphan_golden_files():
    stems = {p.stem for p in raw_files()}
    orphans = [p for p in GOLDEN.glob("*/*.jsonl") if p.stem not in stems]
    assert not orphans, f"golden files without a raw document: {orphans}"


def test_golden_rows_in_source_order():
    for path in raw_files():
        rows = make_rows(extract_raw(path.name))["programs"]
        starts = [(r["line_start"], r["ordinal"]) for r in rows]
        assert starts == sorted(starts)
        assert [r["ordinal"] for r in rows] == list(range(1, len(rows) + 1))
