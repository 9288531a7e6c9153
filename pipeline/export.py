"""CSV export for spreadsheet users: every table as a CSV file that Excel opens correctly.

Input: rows of each table. Output: CSV bytes: UTF-8 with a byte-order mark (so Excel
reads Japanese as UTF-8), CRLF line ends, a header row, lists and structs as JSON text,
nulls as empty cells, true/false for booleans; and a ``datapackage.json`` describing the
CSV files, which ``frictionless validate`` checks cell by cell (lists included).

Excel reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula: the Markdown
bullet ``- ・在宅療養支援窓口(14区市町村)…`` in ``program_items.text_raw`` would show as
``#NAME?``. Such text cells get a leading ``'`` (Excel's mark for "this is text") unless
``formula_guard`` is off; numbers are never changed. The Parquet tables keep the text as printed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_cell(value: Any, formula_guard: bool = True) -> str:
    """Return one cell's text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if formula_guard and text.startswith(FORMULA_START):
        return "'" + text
    return text


def format_csv(columns: list[str], rows: list[dict[str, Any]], formula_guard: bool = True) -> bytes:
    """Return the rows as Excel-ready CSV bytes (UTF-8 with BOM, CRLF)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_cell(row.get(c), formula_guard) for c in columns])
    return (BOM + buf.getvalue()).encode("utf-8")


def add_command(sub) -> None:
    """Register ``export --csv DIR``."""
    from pathlib import Path

    cmd = sub.add_parser("export", help="write every table as Excel-ready CSV (UTF-8 with BOM, CRLF)")
    cmd.add_argument("--csv", type=Path, required=True, metavar="DIR", help="folder to write <table>.csv into")
    cmd.add_argument("--out", type=Path, default=Path("extracted"), help="extraction folder to read (default extracted/)")
    cmd.add_argument("--no-formula-guard", action="store_true",
                     help="write text cells that begin with = + - @ as they are")
    cmd.set_defaults(func=run_command)


def run_command(args) -> int:
    import sys

    from .datapackage import build_datapackage
    from .tables import ALL_TABLES, TableReadError, read_folder
    from .writer import build_arrow_schema, encode_json, write_atomic

    try:
        tables = read_folder(args.out)
    except TableReadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for table in ALL_TABLES:
        columns = build_arrow_schema(table).names
        data = format_csv(columns, tables[table], formula_guard=not args.no_formula_guard)
        write_atomic(args.csv / f"{table}.csv", data)
        print(f"{table}: {len(tables[table])} rows → {args.csv / f'{table}.csv'}")
    write_atomic(args.csv / "datapackage.json", encode_json(build_datapackage(ALL_TABLES, fmt="csv")))
    print(f"datapackage.json → {args.csv / 'datapackage.json'}")
    return 0
