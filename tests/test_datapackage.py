"""The data dictionary and ``extracted/datapackage.json``: current, and accepted by Frictionless."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from pipeline.datapackage import build_datapackage
from pipeline.dictionary import render_dictionary
from pipeline.writer import DERIVED_TABLES, TABLES, encode_json, load_table_schema

from conftest import ROOT

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

    The rows are given to Frictionless as Python values read with pyarrow, because Frictionless'
    own Parquet parser goes through pandas (see the next test).
    """
    from frictionless import Resource, Schema, validate

    package = json.loads((EXTRACTED / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == table)
    names = [f["name"] for f in resource["schema"]["fields"]]
    rows = pq.read_table(EXTRACTED / resource["path"]).to_pylist()
    assert rows
    data = [names] + [[row[n] for n in names] for row in rows]
    report = validate(Resource(data=data, schema=Schema.from_descriptor(resource["schema"]), name=table))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert report.task.stats["rows"] == len(rows)
    # and it does catch a wrong cell
    bad = [list(r) for r in data]
    index = next(i for i, f in enumerate(resource["schema"]["fields"]) if f["type"] in ("array", "integer"))
    bad[1][index] = "not a value of this type"
    assert not validate(Resource(data=bad, schema=Schema.from_descriptor(resource["schema"]))).valid


def test_frictionless_parquet_reader_limit_is_exactly_the_list_cells():
    """``frictionless validate extracted/datapackage.json`` reads Parquet through pandas, where a
    list cell arrives as a numpy array, which its ``array`` type refuses. Those cells, and nothing
    else, are reported (integers with nulls read as Int64 and pass). The CSV export's package is
    accepted whole (``test_export.py``); the rows themselves are checked in the test above."""
    from frictionless import validate

    report = validate(str(EXTRACTED / "datapackage.json"))
    package = json.loads((EXTRACTED / "datapackage.json").read_text(encoding="utf-8"))
    types = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in package["resources"]}
    seen_tasks = set()
    n_errors = 0
    for task in report.tasks:
        seen_tasks.add(task.name)
        for error in task.errors:
            n_errors += 1
            assert error.type == "type-error", error.message
            assert types[task.name][error.field_name] == "array", error.message
            assert error.cell.startswith("["), error.message
    assert seen_tasks == set(types)
    assert n_errors > 0  # the day Frictionless reads Parquet lists, make validate part of the package test
