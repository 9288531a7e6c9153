"""Figures beyond the tables' 64-bit integers: the cell is null (or the list element left out) with a
warning on its document; the run writes every table, and the cache never holds such a value."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline.output.rows import make_rows
from pipeline.output.tables import encode_parquet, read_arrow_table
from pipeline.records import Budget, DocumentResult, Program, Rate, Span, TotalCheck
from pipeline.run.cache import load_cache, save_cache

HUGE = 99999999999999999999999
BIG_DOC = f"""令和7年度 予算

1 事業甲 【{HUGE}千円】

説明

2 事業乙 【9,999,999,999,999,999千円】

説明

■事業丙【1,000千円】＜補助率：{HUGE}/{HUGE}＞（p.{HUGE}）
"""


def make_program(**fields) -> Program:
    base = dict(doc_id="d", source="a.txt", program_id="p1", ordinal=1, name="事業", name_raw="事業", name_key="事業",
                section=None, subsection=None, budget=None, fiscal_year=2025, budget_basis=None, flags=(),
                subsidy_rates=(), subsidy_rate_text=None, funding_scheme=None, page_refs=(), note_refs=(), remarks=(),
                description=None, numbering=None, span=Span(3, 3))
    return Program(**{**base, **fields})


def test_rows_hold_no_integer_beyond_int64():
    programs = (
        make_program(budget=Budget(HUGE * 1000, "千円", f"{HUGE}千円"), subsidy_rates=(Rate(1, 2), Rate(HUGE, HUGE)),
                     page_refs=(3, HUGE)),
        make_program(program_id="p2", ordinal=2, span=Span(5, 5), budget=Budget(2**62, "円", "x円"),
                     name="事業乙", name_key="事業乙"),
        make_program(program_id="p3", ordinal=3, span=Span(7, 7), budget=Budget(2**62 * 1000, "千円", "x千円"),
                     name="事業丙", name_key="事業丙"),
    )
    result = DocumentResult("a.txt", "text", "d", 10, "utf-8", "ok", None, programs=programs,
                            totals=(TotalCheck(HUGE, 1, 2, 9, "総額"), TotalCheck(5, 5, 1, 10, "総額")),
                            warnings=("no title",))
    rows = make_rows(result)
    first, second, third = rows["programs"]
    assert (first["budget_thousand_yen"], first["budget_yen"], first["budget_text"]) == (None, None, f"{HUGE}千円")
    assert first["subsidy_rates"] == [{"numerator": 1, "denominator": 2, "condition": None}]
    assert first["page_refs"] == [3]
    assert (second["budget_thousand_yen"], second["budget_yen"]) == (None, 2**62)
    assert (third["budget_thousand_yen"], third["budget_yen"]) == (2**62, None)  # 2**62 千円 in yen overflows
    doc = rows["documents"][0]
    assert [t["line"] for t in doc["total_checks"]] == [10]
    warnings = doc["warnings"]
    assert warnings[0] == "no title"
    assert any("line 3" in w and "budget_thousand_yen" in w and "left null" in w for w in warnings), warnings
    assert any("line 3" in w and "subsidy_rates" in w and "left out" in w for w in warnings), warnings
    assert any("line 3" in w and "page_refs" in w for w in warnings), warnings
    assert any("line 7" in w and "budget_yen" in w for w in warnings), warnings
    assert any("line 9" in w and "total_checks" in w for w in warnings), warnings
    assert all(len(w) < 300 for w in warnings)
    for table, table_rows in rows.items():
        encode_parquet(table, table_rows)  # no OverflowError


def test_a_huge_figure_costs_one_cell_not_the_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "big.txt").write_text(BIG_DOC, encoding="utf-8")
    (raw / "small.txt").write_text("令和7年度 予算\n\n■事業丁【1,000千円】\n", encoding="utf-8")
    out = tmp_path / "out"
    for attempt in range(2):  # the second run reads the cache
        if attempt:
            (out / "programs.parquet").unlink()  # the tables must be written again, from the cache
        proc = subprocess.run([sys.executable, "-m", "pipeline", "-v", "extract", "--raw", str(raw), "--out",
                               str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert ("cached    big.txt" in proc.stderr) == (attempt == 1)
        programs = {p["name"]: p for p in read_arrow_table(out / "programs.parquet").to_pylist()}
        assert programs["事業甲"]["budget_thousand_yen"] is None
        assert (programs["事業乙"]["budget_thousand_yen"], programs["事業乙"]["budget_yen"]) == (9999999999999999, None)
        assert programs["事業丁"]["budget_thousand_yen"] == 1000
        docs = {d["source"]: d for d in read_arrow_table(out / "documents.parquet").to_pylist()}
        assert any("budget_thousand_yen" in w for w in docs["big.txt"]["warnings"])
        assert "beyond the 64-bit" in proc.stdout
    cached = [entry for entry in (out / ".cache").iterdir() if entry.name.startswith("kaigi-programs-")]
    assert len(cached) == 1 and cached[0].read_bytes() == (out / "programs.parquet").read_bytes()


def test_a_figure_beyond_int64_never_reaches_the_cache(tmp_path):
    rows = make_rows(DocumentResult("a.txt", "text", "d", 10, "utf-8", "ok", None, programs=(make_program(),)))
    good = tmp_path / "good.rows"
    save_cache(good, rows)
    assert load_cache(good, "a.txt") == rows
    rows["programs"][0]["budget_thousand_yen"] = HUGE  # as an older version could have cached it
    with pytest.raises(OverflowError):
        save_cache(tmp_path / "x.rows", rows)  # an entry holds 64-bit integers or nothing
    old = {"format": 2, "checksum": "x", "rows": rows}  # an entry of format 2, with the figure in it
    (tmp_path / "old.rows").write_text(json.dumps(old))
    assert load_cache(tmp_path / "old.rows", "a.txt") is None
