"""Writer stage: ``DocumentResult`` records to Parquet tables and JSON Lines.

Input: document results. Output: ``documents``, ``programs`` and ``program_items``
tables, each written with an explicit pyarrow schema built from ``schemas/<table>.yaml``.
Files are written to a temporary name and renamed, so a killed run leaves the old file.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from .data import DocumentResult, Item, Program, Rate, Span

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
TABLES = ("documents", "programs", "program_items")
# Tables built from the ones above after every document is extracted (see ``history.py``).
DERIVED_TABLES = ("budget_history",)


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
    """Return the pyarrow schema of ``table``, built from its Table Schema file."""
    spec = load_table_schema(table)
    return pa.schema([pa.field(f["name"], to_arrow_type(f)) for f in spec["fields"]])


def rate_dicts(rates: Iterable[Rate]) -> list[dict]:
    return [{"numerator": r.numerator, "denominator": r.denominator, "condition": r.condition} for r in rates]


def span_columns(span: Span) -> dict[str, Any]:
    return {
        "line_start": span.line_start,
        "line_end": span.line_end,
        "page": span.page,
        "bbox": [round(v, 2) for v in span.bbox] if span.bbox else None,
    }


def make_document_row(result: DocumentResult) -> dict[str, Any]:
    return {
        "doc_id": result.doc_id,
        "source": result.source,
        "format": result.format,
        "size_bytes": result.size,
        "encoding": result.encoding,
        "title": result.title,
        "fiscal_year": result.fiscal_year,
        "fiscal_year_source": result.fiscal_year_source,
        "budget_basis": result.budget_basis,
        "reading_order": result.reading_order,
        "status": result.status,
        "error": result.error,
        "n_lines": result.n_lines,
        "n_programs": len(result.programs),
        "n_items": sum(len(p.items) for p in result.programs),
        "warnings": list(result.warnings),
        "total_checks": [
            {
                "stated_thousand_yen": t.stated_thousand_yen,
                "computed_thousand_yen": t.computed_thousand_yen,
                "n_programs": t.n_programs,
                "matches": t.matches,
                "line": t.line,
                "text": t.text,
            }
            for t in result.totals
        ],
    }


def make_program_row(p: Program) -> dict[str, Any]:
    b = p.budget
    return {
        "doc_id": p.doc_id,
        "source": p.source,
        "program_id": p.program_id,
        "ordinal": p.ordinal,
        "name": p.name,
        "name_raw": p.name_raw,
        "name_key": p.name_key,
        "section": p.section,
        "subsection": p.subsection,
        "budget_thousand_yen": b.thousand_yen if b else None,
        "budget_yen": b.yen if b else None,
        "budget_text": b.text if b else None,
        "budget_qualifier": b.qualifier if b else None,
        "fiscal_year": p.fiscal_year,
        "budget_basis": p.budget_basis,
        "flags": list(p.flags),
        "subsidy_rates": rate_dicts(p.subsidy_rates),
        "subsidy_rate_text": p.subsidy_rate_text,
        "funding_scheme": p.funding_scheme,
        "page_refs": list(p.page_refs),
        "note_refs": list(p.note_refs),
        "remarks": list(p.remarks),
        "numbering": p.numbering,
        "description": p.description,
        "n_items": len(p.items),
        **span_columns(p.span),
    }


def make_item_row(p: Program, it: Item) -> dict[str, Any]:
    return {
        "doc_id": p.doc_id,
        "source": p.source,
        "program_id": it.program_id,
        "ordinal": it.ordinal,
        "kind": it.kind,
        "text": it.text,
        "text_raw": it.text_raw,
        "flags": list(it.flags),
        "subsidy_rates": rate_dicts(it.subsidy_rates),
        "subsidy_rate_text": it.subsidy_rate_text,
        "detail": it.detail,
        "parent_ordinal": it.parent_ordinal,
        **span_columns(it.span),
    }


def make_rows(result: DocumentResult) -> dict[str, list[dict[str, Any]]]:
    """Return one document's rows per table, in source order."""
    return {
        "documents": [make_document_row(result)],
        "programs": [make_program_row(p) for p in result.programs],
        "program_items": [make_item_row(p, it) for p in result.programs for it in p.items],
    }


def check_columns(table: str, rows: list[dict[str, Any]]) -> None:
    """Fail loudly when rows and the reviewed schema disagree on column names."""
    expected = set(build_arrow_schema(table).names)
    for row in rows:
        if set(row) != expected:
            missing = sorted(set(expected) - set(row))
            extra = sorted(set(row) - set(expected))
            raise SchemaDriftError(f"{table}: rows differ from schemas/{table}.yaml (missing {missing}, extra {extra})")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def encode_parquet(table: str, rows: list[dict[str, Any]]) -> bytes:
    """Encode rows as Parquet bytes with the table's explicit schema."""
    check_columns(table, rows)
    arrow_table = pa.Table.from_pylist(rows, schema=build_arrow_schema(table))
    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_tables(out_dir: Path, rows_by_doc: list[dict[str, list[dict[str, Any]]]]) -> dict[str, int]:
    """Write every table to ``out_dir``; return the row count per table."""
    counts = {}
    for table in TABLES:
        rows = [row for doc_rows in rows_by_doc for row in doc_rows[table]]
        write_atomic(out_dir / f"{table}.parquet", encode_parquet(table, rows))
        counts[table] = len(rows)
    return counts


def write_table(out_dir: Path, table: str, rows: list[dict[str, Any]]) -> int:
    """Write one table (any table with a schema in ``schemas/``); return its row count."""
    write_atomic(out_dir / f"{table}.parquet", encode_parquet(table, rows))
    return len(rows)


def encode_json(data: Any) -> bytes:
    """Return ``data`` as indented JSON: keys sorted, Japanese kept as is, a final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """Return rows as JSON Lines: keys sorted, Japanese kept as is, one record a line."""
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def save_cache(path: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Store one document's rows so an unchanged file is not extracted again."""
    write_atomic(path, json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def load_cache(path: Path) -> dict[str, list[dict[str, Any]]] | None:
    """Return cached rows, or None when there are none or they cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != set(TABLES):
        return None
    return data
