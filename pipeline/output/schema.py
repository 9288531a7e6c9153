"""Table schemas: the reviewed ``schemas/<table>.yaml`` files as dicts and pyarrow schemas.

Input: the Frictionless Table Schema files shipped with the package. Output: ``dict``
specs, column names, ``pyarrow.Schema`` objects and the column check every writer and cache read
uses. pyarrow is imported only to build an Arrow type: the column names and the check need none,
so a run that has nothing to write (and the worker processes it starts) never loads it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import pyarrow as pa


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
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's, when built with it


@functools.lru_cache(maxsize=None)
def column_names(table: str) -> tuple[str, ...]:
    """Return the columns of ``table`` in the order of its schema file (and of its Parquet file)."""
    return tuple(f["name"] for f in load_table_schema(table)["fields"])


def holds_integers(field: dict) -> bool:
    """Tell whether a Table Schema field is, or holds (in a list or struct), an integer."""
    kind = field["type"]
    if kind == "array":
        return holds_integers(field["arrayItem"])
    if kind == "object":
        return any(holds_integers(f) for f in field["fields"])
    return kind == "integer"


@functools.lru_cache(maxsize=None)
def integer_columns(table: str) -> tuple[tuple[int, bool], ...]:
    """Return (position, is a plain integer column) of every column of ``table`` that holds integers."""
    fields = load_table_schema(table)["fields"]
    return tuple((i, f["type"] == "integer") for i, f in enumerate(fields) if holds_integers(f))


@functools.lru_cache(maxsize=None)
def compute_schema_digest(tables: tuple[str, ...] = TABLES) -> str:
    """Return a short hash of the columns and types of ``tables``: rows stored under another digest
    (an older schema) do not fit the tables."""
    spec = [[table, load_table_schema(table)["fields"]] for table in tables]
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def to_arrow_type(field: dict) -> pa.DataType:
    """Map a Table Schema field (``array`` with ``arrayItem``, ``object`` with ``fields``) to pyarrow."""
    import pyarrow as pa

    kind = field["type"]
    if kind == "array":
        return pa.list_(to_arrow_type(field["arrayItem"]))
    if kind == "object":
        return pa.struct([pa.field(f["name"], to_arrow_type(f)) for f in field["fields"]])
    scalars = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return scalars[kind]


@functools.lru_cache(maxsize=None)
def build_arrow_schema(table: str) -> pa.Schema:
    """Return the pyarrow schema of ``table``, built from its Table Schema file.

    The schema carries pandas metadata naming every integer column ``Int64``, so a plain
    ``pd.read_parquet`` gives exact integers with ``<NA>`` for a missing budget, not
    float64 with NaN (pyarrow applies it on ``to_pandas``; other readers ignore it).
    """
    import pyarrow as pa

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
    expected = frozenset(column_names(table))
    for row in rows:
        if row.keys() != expected:
            missing = sorted(set(expected) - set(row))
            extra = sorted(set(row) - set(expected))
            raise SchemaDriftError(f"{table}: rows differ from schemas/{table}.yaml (missing {missing}, extra {extra})")

