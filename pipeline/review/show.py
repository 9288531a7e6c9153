"""Show a Parquet table as text: one record a line, for ``git diff`` (textconv) and for people.

Input: rows of one table. Output: JSON Lines text, each record with its keys sorted and
Japanese kept as is, records sorted by document, position and key so that a re-extraction
that moves nothing shows no difference.
"""

from __future__ import annotations

import json
from typing import Any

# Orderings, most specific first: the first whose columns a table has all of is used
# (programs and items in document order, the budget history by program and year, documents by source).
ORDERINGS = (
    ("source", "line_start", "ordinal", "program_id"),
    ("name_key", "fiscal_year"),
    ("source",),
)


def dump_record(row: dict[str, Any]) -> str:
    """Return one record as a line of JSON: keys sorted, ``ensure_ascii=False``."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def choose_ordering(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """Return the ordering columns that every row has (none for an unknown table)."""
    for cols in ORDERINGS:
        if rows and all(all(c in row for c in cols) for row in rows):
            return cols
    return ()


def make_order_key(row: dict[str, Any], cols: tuple[str, ...], line: str) -> tuple:
    """Sort key: the ordering columns (nulls first), then the JSON text."""
    return (tuple((row[c] is not None, row[c] if row[c] is not None else 0) for c in cols), line)


def format_records(rows: list[dict[str, Any]]) -> str:
    """Return rows as sorted JSON Lines."""
    cols = choose_ordering(rows)
    lines = [(make_order_key(row, cols, line), line) for row in rows for line in [dump_record(row)]]
    return "".join(line + "\n" for _, line in sorted(lines, key=lambda x: x[0]))
