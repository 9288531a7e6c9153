"""Table schemas: the reviewed ``schemas/<table>.yaml`` files as dicts and pyarrow schemas.

Input: the Frictionless Table Schema files shipped with the package. Output: ``dict``
specs, ``pyarrow.Schema`` objects and the column check every writer and cache read uses.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml


def find_schema_dir() -> Path:
    """Return the folder of the schema files: the ``pipeline.schemas`` package (``schemas/`` at
    the top of the repository, shipped inside the installed package)."""
    folder = Path(str(resources.files("pipeline.schemas")))
    if (folder / "documents.yaml").is_file():
        return folder
    raise FileNotFoundError(f"the table schemas are missing from {folder}")


SCHEMA_DIR = find_schema_dir()
TABLES = ("documents", "programs", "program_items")
# Tables built from the ones above after every document is extracted (see ``history.py``).
DERIVED_TABLES = ("budget_history",)
ALL_TABLES = TABLES + DERIVED_TABLES


class SchemaDriftError(ValueError):
    """Rows do not have exactly the columns the reviewed schema names."""


@functools.lru_cache(maxsize=None)
def load_table_schema(table: str) -> dict:
    """Return the Table Schema of ``table`` from ``schemas/``."""
    with open(SCHEMA_DIR / f"{table}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SCALAR_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


def to_arrow_type(field: dict) -> pa.DataType:
    """Map a Table Schema field (``array`` with ``arrayItem``, ``object`` with ``fields``) to pyarrow."""
    kind = field["type"]
    if kind == "array":
        return pa.list_(to_arrow_type(field["arrayItem"]))
    if kind == "object":
        return pa.struct([pa.field(f["name"], to_arrow_type(f)) for f in field["fields"]])
    return SCALAR_TYPES[kind]


@functools.lru_cache(maxsize=None)
def build_arrow_schema(table: str) -> pa.Schema:
    """Return the pyarrow schema of ``table``, built from its Table Schema file.

    The schema carries pandas metadata naming every integer column ``Int64``, so a plain
    ``pd.read_parquet`` gives exact integers with ``<NA>`` for a missing budget, not
    float64 with NaN (pyarrow applies it on ``to_pandas``; other readers ignore it).
    """
    spec = load_table_schema(table)
    fields = [pa.field(f["name"], to_arrow_type(f)) for f in spec["fields"]]
    pandas_columns = [
        {"name": f.name, "field_name": f.name, "pandas_type": "int64", "numpy_type": "Int64", "metadata": None}
        for f in fields if pa.types.is_integer(f.type)
    ]
    pandas = {"index_columns": [], "column_indexes": [], "columns": pandas_columns}
    return pa.schema(fields, metadata={b"pandas": json.dumps(pandas, sort_keys=True).encode("utf-8")})


def check_columns(table: str, rows: list[dict[str, Any]]) -> None:
    """Fail loudly when rows and the reviewed schema disagree on column names."""
    expected = set(build_arrow_schema(table).names)
    for row in rows:
        if set(row) != expected:
            missing = sorted(set(expected) - set(row))
            extra = sorted(set(row) - set(expected))
            raise SchemaDriftError(f"{table}: rows differ from schemas/{table}.yaml (missing {missing}, extra {extra})")

