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
from pathlib import Path
from typing import Any

from .datapackage import build_datapackage
from .files import OutputError, replace_owned_files
from .schema import ALL_TABLES, build_arrow_schema
from .tables import encode_json, read_folder

BOM = "\ufeff"
# The export's record of the files it wrote in its folder: only those are ever replaced.
EXPORT_MANIFEST = ".export-files.json"
# Files that mark an extraction folder, whose tables and datapackage.json the export must not touch.
EXTRACTION_MARKS = ("documents.parquet", "programs.parquet", ".pending", ".lock", ".cache")
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


def check_not_extraction_folder(out: Path, dest: Path) -> None:
    """Raise ``OutputError`` when ``dest`` is the extraction folder ``out`` or any other one."""
    same = dest.exists() and out.exists() and dest.resolve() == out.resolve()
    marks = [m for m in EXTRACTION_MARKS if (dest / m).exists() or (dest / m).is_symlink()]
    if same or marks:
        raise OutputError(f"{dest} is an extraction folder (it holds {(marks or ['the tables'])[0]}): "
                          "the export would overwrite its datapackage.json; choose another folder")


def write_csv_folder(out: Path, dest: Path, formula_guard: bool = True) -> list[tuple[str, int | None]]:
    """Write every table of the extraction folder ``out`` as ``dest/<table>.csv``, then
    ``dest/datapackage.json``; return (file name, row count or None) in the order written.

    ``dest`` may not be an extraction folder, and a file there that an earlier export did not
    write (``dest/.export-files.json`` lists those it did) is never replaced: ``OutputError``.
    """
    check_not_extraction_folder(out, dest)
    tables = read_folder(out)
    written: list[tuple[str, int | None]] = []
    files: dict[str, bytes] = {}
    for table in ALL_TABLES:
        columns = build_arrow_schema(table).names
        files[f"{table}.csv"] = format_csv(columns, tables[table], formula_guard=formula_guard)
        written.append((f"{table}.csv", len(tables[table])))
    files["datapackage.json"] = encode_json(build_datapackage(ALL_TABLES, fmt="csv"))
    written.append(("datapackage.json", None))
    replace_owned_files(dest, files, EXPORT_MANIFEST)
    return written
