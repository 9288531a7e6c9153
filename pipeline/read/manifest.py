"""Manifest: the input folder's optional ``sources.csv``, what the publisher states of each file.

Input: an input folder. Output: a ``Manifest`` (None when the folder has no ``sources.csv``):
one ``ManifestEntry`` per row with the values that passed their check, and the problems, each
naming the manifest's line: a row for a file that is not in the folder, a file twice, an
unknown column, a malformed date, URL, code or kind. A cell left empty states nothing.

The manifest is CSV, UTF-8 (a byte-order mark, as Excel writes, is fine), with a header row;
``#`` opens a comment line. Columns: ``file`` (the path under the input folder, as in
``documents.source``), ``source_url``, ``retrieved`` (ISO date), and optionally
``government_code`` (six digits, JIS X 0402), ``department``, ``document_kind``,
``budget_kind`` (``当初``, ``補正``, ``補正（第2号）``, ``専決``), ``meeting_name``,
``meeting_date`` (ISO date), ``material_number`` (資料番号) and ``fiscal_year`` (``2026``,
``令和8年度``, ``R8``: the year a document's budgets are for, where its pages do not print it, as
the inner pages of a budget book). It is never read as a document. A manifest kept elsewhere (when
the input folder is not one's own to write in) is named with ``extract --manifest FILE``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from pathlib import Path

from ..records import DOCUMENT_KINDS, Manifest, ManifestEntry
from ..text.forms import to_parse_form
from ..text.governments import check_code
from ..text.vocab import BUDGET_KINDS, ERA_BASE, FIRST_YEAR, FISCAL_ERA_LETTER, FISCAL_ERA_NAME, join_alternatives

MANIFEST_NAME = "sources.csv"
REQUIRED_COLUMNS = ("file", "source_url", "retrieved")
OPTIONAL_COLUMNS = ("government_code", "department", "document_kind", "budget_kind", "meeting_name",
                    "meeting_date", "material_number", "fiscal_year")
# An ISO date: "2025-02-05"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A web address: "https://www.fukushihoken.metro.tokyo.lg.jp/…"
URL = re.compile(r"https?://[^\s/]+\S*")
# A budget kind as a manifest states it, in the parse form: "当初", "補正", "補正(第12号)", "補正第2号", "専決"
# A fiscal year as a manifest states it, in the parse form: "2026", "令和8年度", "R8", "令和元年度"
FISCAL_YEAR_CELL = re.compile(rf"(?P<western>[0-9]{{4}})(?:年度)?|(?P<era>{FISCAL_ERA_NAME}|{FISCAL_ERA_LETTER})(?P<n>[0-9]{{1,2}}|{FIRST_YEAR})(?:年度)?")
# Western years a fiscal-year cell may name.
FISCAL_YEARS = range(1989, 2101)
BUDGET_KIND_CELL = re.compile(rf"(?P<kind>{join_alternatives(BUDGET_KINDS)})(?:\(?第(?P<n>[0-9]+)号\)?)?")


def find_manifest(root: Path, named: Path | None = None) -> Path | None:
    """Return the manifest of an input folder (``named``, when one is named), or None when it has none."""
    path = named if named is not None else root / MANIFEST_NAME
    return path if path.is_file() else None


def check_date(value: str) -> str | None:
    if not ISO_DATE.fullmatch(value):
        return f"'{value}' is not an ISO date (YYYY-MM-DD)"
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return f"'{value}' is no date of the calendar"
    return None


def read_cell(column: str, value: str) -> tuple[list[tuple[str, str | int]], str | None]:
    """Return the checked values one cell gives (``budget_kind`` gives its number too), or a problem."""
    if column in ("retrieved", "meeting_date"):
        problem = check_date(value)
    elif column == "source_url":
        problem = None if URL.fullmatch(value) else f"'{value}' is not an http(s) address"
    elif column == "government_code":
        problem = check_code(value)
    elif column == "document_kind":
        problem = None if value in DOCUMENT_KINDS else f"'{value}' is none of {', '.join(DOCUMENT_KINDS)}"
    elif column == "budget_kind":
        match = BUDGET_KIND_CELL.fullmatch(to_parse_form(value).replace(" ", ""))
        if not match:
            return [], f"'{value}' is none of {', '.join(BUDGET_KINDS)} (a supplement may add its number: 補正（第2号）)"
        return [("budget_kind", match["kind"])] + ([("budget_number", int(match["n"]))] if match["n"] else []), None
    elif column == "fiscal_year":
        year = read_fiscal_year_cell(value)
        if year is None:
            return [], f"'{value}' is no fiscal year (2026, 令和8年度, R8)"
        return [("fiscal_year", year)], None
    else:
        problem = None
    return ([] if problem else [(column, value)]), problem


def read_fiscal_year_cell(value: str) -> int | None:
    """Return the Western fiscal year a manifest cell states, or None when it states none."""
    match = FISCAL_YEAR_CELL.fullmatch(to_parse_form(value).replace(" ", ""))
    if not match:
        return None
    year = int(match["western"]) if match["western"] else ERA_BASE[match["era"]] + (1 if match["n"] == FIRST_YEAR else int(match["n"]))
    return year if year in FISCAL_YEARS else None


def read_rows(text: str):
    """Yield (line number, cells) for every row that is not blank or a ``#`` comment; a row whose
    quoted cell spans lines is numbered by its first line."""
    reader = csv.reader(io.StringIO(text))
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        yield line, cells


def parse_manifest(text: str, sources: set[str], name: str = MANIFEST_NAME) -> Manifest:
    """Check the manifest's rows against the files of the input folder (``sources``, as in ``documents.source``)."""
    problems: list[str] = []
    numbered = list(read_rows(text))
    if not numbered:
        return Manifest(name, (), (f"{name}: no header row: the manifest is not used",))
    header_line, first = numbered[0]
    header = [cell.strip() for cell in first]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if "file" in missing:
        return Manifest(name, (), (f"{name} line {header_line}: no 'file' column: the manifest is not used",))
    if missing:
        problems.append(f"{name} line {header_line}: no {', '.join(repr(c) for c in missing)} column")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        problems.append(f"{name} line {header_line}: unknown column{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(c) for c in unknown)} (read: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}): ignored")
    entries: dict[str, ManifestEntry] = {}
    for line, cells in numbered[1:]:
        where = f"{name} line {line}"
        if len(cells) > len(header):
            problems.append(f"{where}: {len(cells)} cells under a header of {len(header)}: the extra cells are ignored")
        cell = dict(zip(header, (c.strip() for c in cells)))
        file = cell.get("file", "")
        if not file:
            problems.append(f"{where}: no file named: the row is ignored")
            continue
        if file not in sources:
            problems.append(f"{where}: no file '{file}' in the input folder: the row is ignored")
            continue
        if file in entries:
            problems.append(f"{where}: '{file}' again (first on line {entries[file].line}): the row is ignored")
            continue
        values: list[tuple[str, str | int]] = []
        row_problems: list[str] = []
        for column in REQUIRED_COLUMNS[1:] + OPTIONAL_COLUMNS:
            value = cell.get(column, "")
            if not value:
                continue
            got, problem = read_cell(column, value)
            values += got
            if problem:
                row_problems.append(f"{where}: {column} {problem}: left null")
        entries[file] = ManifestEntry(file, line, tuple(values), tuple(row_problems))
    return Manifest(name, tuple(entries.values()), tuple(problems))


def read_manifest(root: Path, sources: set[str], named: Path | None = None) -> Manifest | None:
    """Return the checked manifest of ``root`` (or the one ``named``), or None when there is none;
    a manifest that cannot be decoded is one problem, and no entry."""
    path = find_manifest(root, named)
    if path is None:
        return None
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Manifest(name, (), (f"{name}: not UTF-8 ({exc.reason} at byte {exc.start}): the manifest is not used",))
    except OSError as exc:
        return Manifest(name, (), (f"{name}: cannot be read ({exc.strerror or exc}): the manifest is not used",))
    return parse_manifest(text, sources, name)


def select_entry(manifest: Manifest | None, file: str) -> Manifest | None:
    """Return the manifest as one file sees it: its name and the file's entry alone (all that
    ``output.metadata.apply_manifest`` reads of it for that file), or None without a manifest."""
    if manifest is None:
        return None
    return Manifest(manifest.name, tuple(e for e in manifest.entries if e.file == file))


def hash_entry(manifest: Manifest | None) -> str:
    """Return a short hash of what ``select_entry`` gives (its name, the entry's line, values and problems),
    "" without a manifest: a cached document's rows hold while it is the same."""
    if manifest is None:
        return ""
    spec = [manifest.name, [[e.file, e.line, list(e.values), list(e.problems)] for e in manifest.entries]]
    return hashlib.sha256(json.dumps(spec, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]
