"""Writer stage: ``DocumentResult`` records to Parquet tables and JSON Lines.

Input: document results. Output: ``documents``, ``programs`` and ``program_items``
tables, each written with an explicit pyarrow schema built from ``schemas/<table>.yaml``.
Files are written to a temporary name and renamed, so a killed run leaves the old file;
the cache in ``<out>/.cache`` holds one checksummed JSON file per document.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

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
        "listed_only": p.listed_only,
        "section_line": p.section_line,
        "subsection_line": p.subsection_line,
        "rates_line_start": p.rates_span.line_start if p.rates_span else None,
        "rates_line_end": p.rates_span.line_end if p.rates_span else None,
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


class OutputError(OSError):
    """The output folder cannot be used (not a folder, or another run is writing to it)."""


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_umask() -> int:
    """Return the process's umask: from ``/proc/self/status`` (Linux), else by setting it and back."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)  # a thread creating a file in between would get the strict mask, not a loose one
    os.umask(mask)
    return mask


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` (``.name.XXXX.tmp``), synced to disk.

    The file gets the mode of any new file, ``0o666`` less the umask (``mkstemp`` alone
    would leave it ``0o600``, unreadable to the other users of a shared folder).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), 0o666 & ~read_umask())
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def is_unchanged(path: Path, data: bytes) -> bool:
    """Tell whether ``path`` already holds exactly ``data`` (a regular file, not a link)."""
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == data
    except OSError:
        return False


def encode_parquet(table: str, rows: list[dict[str, Any]]) -> bytes:
    """Encode rows as Parquet bytes with the table's explicit schema."""
    check_columns(table, rows)
    arrow_table = pa.Table.from_pylist(rows, schema=build_arrow_schema(table))
    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


PENDING = ".pending"


def write_tables(out_dir: Path, rows_by_doc: list[dict[str, list[dict[str, Any]]]],
                 extra_files: dict[str, bytes] | None = None) -> dict[str, int]:
    """Write every table, and ``extra_files`` by name, to ``out_dir`` as one change (see ``replace_files``).

    Return the row count per table.
    """
    counts = {}
    encoded = dict(extra_files or {})
    for table in TABLES:
        rows = [row for doc_rows in rows_by_doc for row in doc_rows[table]]
        encoded[f"{table}.parquet"] = encode_parquet(table, rows)
        counts[table] = len(rows)
    replace_files(out_dir, encoded)
    return counts


def write_table(out_dir: Path, table: str, rows: list[dict[str, Any]]) -> int:
    """Write one table (any table with a schema in ``schemas/``); return its row count."""
    write_atomic(out_dir / f"{table}.parquet", encode_parquet(table, rows))
    return len(rows)


def encode_json(data: Any) -> bytes:
    """Return ``data`` as indented JSON: keys sorted, Japanese kept as is, a final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def replace_files(out_dir: Path, files: dict[str, bytes]) -> None:
    """Replace several files of ``out_dir`` as one change: a kill leaves all old or, once recorded, all new.

    Every file is written to a temporary file first, and the renames still to do are
    recorded in ``<out>/.pending``; only then are the files renamed into place. A kill
    before the record leaves every old file as it was; a kill between two renames leaves
    the record, and ``complete_pending`` (run first by the next run) finishes the renames,
    so the files always end up from one run. A file whose bytes did not change is not rewritten.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            path = out_dir / name
            if not is_unchanged(path, data):
                staged.append((write_temp(path, data), path))
        if staged:
            plan = [[tmp.name, path.name] for tmp, path in staged]
            write_atomic(out_dir / PENDING, json.dumps(plan).encode("utf-8"))
            complete_pending(out_dir)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def complete_pending(out_dir: Path) -> list[str]:
    """Finish the renames ``<out>/.pending`` records (left by a run killed while renaming); return the files renamed."""
    pending = out_dir / PENDING
    try:
        plan = json.loads(pending.read_bytes())
    except (OSError, ValueError):
        pending.unlink(missing_ok=True)
        return []
    done = []
    for entry in plan if isinstance(plan, list) else []:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            continue
        tmp_name, name = entry
        tmp = out_dir / tmp_name
        # Only our own temporary files, beside the plain file name they replace: nothing leaves out_dir.
        if ("/" in name or name.startswith(".") or "/" in tmp_name
                or not tmp_name.startswith(f".{name}.") or not tmp.is_file()):
            continue
        os.replace(tmp, out_dir / name)
        done.append(name)
    sync_folder(out_dir)
    pending.unlink(missing_ok=True)
    sync_folder(out_dir)
    return done


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """Return rows as JSON Lines: keys sorted, Japanese kept as is, one record a line."""
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


CACHE_FORMAT = 2


def compute_checksum(rows: dict[str, list[dict[str, Any]]]) -> str:
    """Return the SHA-256 of rows in their canonical JSON form."""
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def save_cache(path: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Store one document's rows, with their checksum, so an unchanged file is not extracted again."""
    entry = {"format": CACHE_FORMAT, "checksum": compute_checksum(rows), "rows": rows}
    write_atomic(path, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def load_cache(path: Path, source: str | None = None) -> dict[str, list[dict[str, Any]]] | None:
    """Return cached rows, or None when there are none or they cannot be trusted.

    Rows are trusted only when the entry parses, its checksum matches, every row has exactly
    the schema's columns, and its one document row names ``source``: a damaged or foreign
    file is extracted again, never fed into the tables.
    """
    try:
        entry = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
        return None
    rows = entry.get("rows")
    if not isinstance(rows, dict) or set(rows) != set(TABLES) or entry.get("checksum") != compute_checksum(rows):
        return None
    try:
        for table in TABLES:
            if not isinstance(rows[table], list) or not all(isinstance(r, dict) for r in rows[table]):
                return None
            check_columns(table, rows[table])
    except SchemaDriftError:
        return None
    documents = rows["documents"]
    if len(documents) != 1 or (source is not None and documents[0].get("source") != source):
        return None
    return rows


def find_cache_folder(out_dir: Path) -> Path | None:
    """Return ``<out>/.cache``, or None when it is a link or not a folder (it would write elsewhere)."""
    cache_dir = out_dir / ".cache"
    if cache_dir.is_symlink() or (cache_dir.exists() and not cache_dir.is_dir()):
        return None
    return cache_dir


def prune_cache(cache_dir: Path, keep: set[Path]) -> None:
    """Remove cache entries of documents that are gone or changed."""
    if not cache_dir.is_dir():
        return
    for entry in cache_dir.glob("*.json"):
        if entry not in keep:
            entry.unlink(missing_ok=True)


def remove_temp_files(out_dir: Path) -> list[Path]:
    """Remove the temporary files a killed run left in ``out_dir`` and its cache; return them."""
    removed = []
    for folder in (out_dir, out_dir / ".cache"):
        if folder.is_dir() and not folder.is_symlink():
            for tmp in sorted(folder.glob(".*.tmp")):
                if tmp.is_file():
                    tmp.unlink(missing_ok=True)
                    removed.append(tmp)
    return removed


@contextlib.contextmanager
def lock_output(out_dir: Path) -> Iterator[None]:
    """Create ``out_dir`` and hold ``<out>/.lock`` while a run writes to it; raise ``OutputError`` if taken.

    The lock is a POSIX record lock: the system drops it when the process ends, however it
    ends, and child processes do not inherit it.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    if not out_dir.is_dir():
        raise OutputError(f"output {out_dir} is not a folder")
    try:
        import fcntl
    except ImportError:  # no POSIX locks here: run unlocked
        yield
        return
    try:  # never through a link: the lock file stays inside the output folder
        fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write to output folder {out_dir}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "r+b") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"another run is writing to {out_dir}") from None
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)
