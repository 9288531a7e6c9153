"""``export --csv``: UTF-8 with BOM, CRLF, lists and structs as JSON, read back from the bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from pipeline.export import format_csv
from pipeline.tables import ALL_TABLES, read_folder
from pipeline.writer import build_arrow_schema

from conftest import ROOT


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
