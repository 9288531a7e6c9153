"""``export --csv``: UTF-8 with BOM, CRLF, lists and structs as JSON, read back from the bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from pipeline.output.csv import format_csv
from pipeline.output.schema import ALL_TABLES, build_arrow_schema
from pipeline.output.tables import read_folder


def test_export_csv_for_excel(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "export", "--csv", str(tmp_path / "csv")],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    tables = read_folder(ROOT / "extracted")
    for table in ALL_TABLES:
        data = (tmp_path / "csv" / f"{table}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.endswith(b"\r\n")
        text = data[3:].decode("utf-8")
        records = list(csv.reader(io.StringIO(text, newline="")))
        # every record ends in CRLF: as many CRLFs as records (cells here hold no line breaks)
        assert data.count(b"\r\n") == len(records)
        assert records[0] == build_arrow_schema(table).names
        assert len(records) == 1 + len(tables[table])
    programs = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "programs.csv").read_bytes()[3:].decode("utf-8"), newline="")))
    row = next(r for r in programs if r["name_key"] == "区市町村在宅療養推進事業" and r["fiscal_year"] == "2026")
    assert row["budget_thousand_yen"] == "557263"
    assert json.loads(row["flags"]) == ["拡充"]
    assert json.loads(row["subsidy_rates"]) == [
        {"condition": None, "denominator": 10, "numerator": 10},
        {"condition": "4年目以降", "denominator": 2, "numerator": 1},
    ]
    assert row["page"] == "" and row["bbox"] == ""
    items = (tmp_path / "csv" / "program_items.csv").read_bytes().decode("utf-8-sig")
    assert "'- ・在宅療養支援窓口(14区市町村)" in items  # formula guard for Excel


def test_cells():
    data = format_csv(["a", "b", "c", "d", "e"], [
        {"a": "改行\nあり", "b": [1, 2], "c": None, "d": True, "e": -5},
        {"a": "=SUM(A1)", "b": {"k": "値"}, "c": 1.5, "d": False, "e": "@x"},
    ])
    assert data.startswith("\ufeff".encode("utf-8"))
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert records == [["a", "b", "c", "d", "e"], ["改行\nあり", "[1, 2]", "", "true", "-5"],
                       ["'=SUM(A1)", '{"k": "値"}', "1.5", "false", "'@x"]]
    raw = format_csv(["a"], [{"a": "-x"}], formula_guard=False).decode("utf-8-sig")
    assert raw == "a\r\n-x\r\n"


def run_frictionless(package) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(cli), "validate", "--json", str(package)], capture_output=True, timeout=300)


def test_frictionless_validate_accepts_the_csv_package_and_catches_bad_cells(tmp_path):
    """``frictionless validate`` reads the CSV export completely: every cell, list items included."""
    out = tmp_path / "csv"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "export", "--csv", str(out)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [f"{t}.csv" for t in ALL_TABLES]
    checked = run_frictionless(out / "datapackage.json")
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["valid"], [t["errors"][:3] for t in report["tasks"]]
    tables = read_folder(ROOT / "extracted")
    assert {t["name"]: t["stats"]["rows"] for t in report["tasks"]} == {t: len(tables[t]) for t in ALL_TABLES}

    # a list item of the wrong type and a budget that is not an integer are both reported
    text = (out / "programs.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    rows[1][header.index("page_refs")] = '["x"]'
    rows[2][header.index("budget_thousand_yen")] = "236,194"
    (out / "programs.csv").write_bytes(format_csv(header, [dict(zip(header, r)) for r in rows[1:]], formula_guard=False))
    bad = json.loads(run_frictionless(out / "datapackage.json").stdout)
    assert not bad["valid"]
    errors = [(e["rowNumber"], e["fieldName"], e["type"]) for t in bad["tasks"] for e in t["errors"]]
    assert errors == [(2, "page_refs", "type-error"), (3, "budget_thousand_yen", "type-error")]
