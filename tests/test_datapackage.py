"""The data dictionary and ``extracted/datapackage.json``: current, and accepted by Frictionless."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from pipeline.output.datapackage import build_datapackage
from pipeline.output.schema import DERIVED_TABLES, TABLES, load_table_schema
from pipeline.output.tables import encode_json, read_arrow_table
from pipeline.review.dictionary import render_dictionary

EXTRACTED = ROOT / "extracted"


def test_data_dictionary_is_current():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render_dictionary(), "docs/data-dictionary.md is stale: run `make docs`"
    for table in TABLES + DERIVED_TABLES:
        assert f"## `{table}`" in committed
        for field in load_table_schema(table)["fields"]:
            assert f"| `{field['name']}` |" in committed


def test_dictionary_command_prints_it():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "dictionary"], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8") == render_dictionary()


def test_datapackage_is_current_and_stable():
    committed = (EXTRACTED / "datapackage.json").read_bytes()
    assert committed == encode_json(build_datapackage())
    text = committed.decode("utf-8")
    assert str(ROOT) not in text
    package = json.loads(text)
    assert [r["path"] for r in package["resources"]] == [f"{t}.parquet" for t in TABLES + DERIVED_TABLES]
    for resource in package["resources"]:
        assert (EXTRACTED / resource["path"]).is_file()
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert names == pq.read_schema(EXTRACTED / resource["path"]).names


def test_frictionless_accepts_descriptor():
    from frictionless import Package

    report = Package.validate_descriptor(json.loads((EXTRACTED / "datapackage.json").read_text(encoding="utf-8")))
    assert report.valid, report.flatten(["type", "message"])


@pytest.mark.parametrize("table", TABLES + DERIVED_TABLES)
def test_frictionless_validates_every_row_against_the_schema(table):
    """Frictionless checks each cell's type (list items through ``arrayItem``) and the primary key.

    The rows are given to Frictionless as Python values read with pyarrow, checked against the
    CSV package's schema, where lists are ``array`` with ``arrayItem`` (the Parquet package
    types them ``any``: see the next test).
    """
    from frictionless import Resource, Schema, validate

    package = build_datapackage(fmt="csv")
    resource = next(r for r in package["resources"] if r["name"] == table)
    names = [f["name"] for f in resource["schema"]["fields"]]
    rows = read_arrow_table(EXTRACTED / f"{table}.parquet").to_pylist()
    assert rows
    data = [names] + [[row[n] for n in names] for row in rows]
    report = validate(Resource(data=data, schema=Schema.from_descriptor(resource["schema"]), name=table))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert report.task.stats["rows"] == len(rows)
    # and it does catch a wrong cell, and a list item of the wrong type
    for kind in ("integer", "array"):
        index = next((i for i, f in enumerate(resource["schema"]["fields"]) if f["type"] == kind), None)
        if index is None:
            continue
        bad = [list(r) for r in data]
        bad[1][index] = "not a value of this type" if kind == "integer" else [{"not": "an item"}, 3.5]
        assert not validate(Resource(data=bad, schema=Schema.from_descriptor(resource["schema"]))).valid, kind


def run_frictionless(package) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(cli), "validate", "--json", str(package)], capture_output=True, timeout=300)


def test_frictionless_validate_accepts_extracted_datapackage():
    """``frictionless validate extracted/datapackage.json``, the command a user would run, exits 0."""
    proc = run_frictionless(EXTRACTED / "datapackage.json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["valid"], [t["errors"][:3] for t in report["tasks"]]
    counts = {t: len(read_arrow_table(EXTRACTED / f"{t}.parquet")) for t in TABLES + DERIVED_TABLES}
    assert {t["name"]: t["stats"]["rows"] for t in report["tasks"]} == counts


def test_parquet_package_gives_every_list_column_its_exact_arrow_type():
    import pyarrow as pa

    package = build_datapackage()
    for resource in package["resources"]:
        schema = pq.read_schema(EXTRACTED / resource["path"])
        for field in resource["schema"]["fields"]:
            if field["type"] == "any":
                stored = schema.field(field["name"]).type
                assert field["arrowType"] == str(pa.list_(stored.value_type))  # "list<item: …>"
                assert pa.types.is_list(stored)
            else:
                assert "arrowType" not in field


def test_frictionless_validate_catches_a_wrong_parquet_cell(tmp_path):
    """Copy the package, write a programs table whose budget column holds text: validate fails."""
    import pyarrow as pa

    shutil.copytree(EXTRACTED, tmp_path / "pkg", ignore=shutil.ignore_patterns(".*", "review"))
    table = read_arrow_table(EXTRACTED / "programs.parquet")
    index = table.schema.get_field_index("budget_thousand_yen")
    texts = pa.array(["236,194千円"] * len(table), pa.string())
    broken = table.set_column(index, "budget_thousand_yen", texts).replace_schema_metadata(None)
    pq.write_table(broken, tmp_path / "pkg" / "programs.parquet")
    report = json.loads(run_frictionless(tmp_path / "pkg" / "datapackage.json").stdout)
    assert not report["valid"]
    errors = {(t["name"], e["type"], e.get("fieldName")) for t in report["tasks"] for e in t["errors"]}
    assert ("programs", "type-error", "budget_thousand_yen") in errors
    assert {name for name, _, _ in errors} == {"programs"}
