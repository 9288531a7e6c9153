"""Data dictionary: ``schemas/*.yaml`` rendered as one Markdown page.

Input: the Table Schemas (through ``output.schema.load_table_schema``). Output: the text of
``docs/data-dictionary.md``: per table its title, description, primary key and a row per
column (type, list item type or struct fields, description in Japanese and English).
"""

from __future__ import annotations

from typing import Any

from ..output.schema import DERIVED_TABLES, TABLES, load_table_schema

HEADER = (
    "# Data dictionary / データ辞書\n\n"
    "Generated from `schemas/*.yaml` by `make docs` (`python -m pipeline dictionary`); do not edit by hand.\n"
    "The tables are written to `extracted/<table>.parquet`; `extracted/datapackage.json` describes them as a\n"
    "Frictionless Data Package.\n"
)


def describe_type(field: dict[str, Any]) -> str:
    """``integer``, ``array<string>``, ``array<object{numerator: integer, …}>``."""
    kind = field["type"]
    if kind == "array":
        return f"array<{describe_type(field['arrayItem'])}>"
    if kind == "object":
        inner = ", ".join(f"{f['name']}: {describe_type(f)}" for f in field.get("fields", []))
        return f"object{{{inner}}}"
    return kind


def escape_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_table(table: str) -> str:
    spec = load_table_schema(table)
    lines = [f"## `{table}` — {spec.get('title', table)}", ""]
    lines.append(escape_cell(spec.get("description", "")))
    lines.append("")
    if spec.get("primaryKey"):
        lines.append("Primary key / 主キー: " + ", ".join(f"`{k}`" for k in spec["primaryKey"]))
        lines.append("")
    lines.append("| column | type | description |")
    lines.append("|---|---|---|")
    for f in spec["fields"]:
        lines.append(f"| `{f['name']}` | `{escape_cell(describe_type(f))}` | {escape_cell(f.get('description', ''))} |")
    return "\n".join(lines) + "\n"


def render_dictionary(tables: tuple[str, ...] = TABLES + DERIVED_TABLES) -> str:
    """The whole data dictionary as Markdown."""
    parts = [HEADER, "Tables / 表:\n", "\n".join(f"- `{t}`: {load_table_schema(t).get('title', t)}" for t in tables), ""]
    parts += [render_table(t) for t in tables]
    return "\n".join(parts)
