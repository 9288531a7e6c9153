"""Tables: rows to Parquet bytes with the reviewed schema, and Parquet back to rows.

Input: row dicts (``output.rows``) or one document's columns at a time to write; or an
extraction folder (``extracted/``), a Parquet file, or a git revision whose tree holds
``extracted/`` (read with ``git show REV:extracted/<table>.parquet`` into memory) to read.
Output: the table files, replaced as one change (``output.files.replace_files``), or lists of
row dicts, column order as in the file.

A table is written in row groups of ``ROW_GROUP_ROWS`` rows (fewer for wide rows, ``GROUP_ROWS``); a
table with a list that grows with the number of documents (``budget_history``'s ``other_candidates``,
``WEIGHED_LISTS``) in row groups
of at most ``GROUP_WEIGHT`` rows and their lists' items together (``split_row_groups``). So
whether a table is encoded whole (``encode_parquet``) or streamed a document at a time
(``TableWriter``, which holds at most one row group in memory, as Arrow arrays), its bytes depend
only on the rows and their order, and a row group's size is bounded whatever the number of documents.
"""

from __future__ import annotations

import importlib.abc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from .files import PENDING, open_temp, replace_files, write_atomic
from .schema import ALL_TABLES, TABLES, build_arrow_schema, check_columns

# Rows per Parquet row group: a streamed table holds one group's rows in memory at most, in Arrow
# (compact), but for the last ``SEAL_ROWS`` rows at most as Python values.
ROW_GROUP_ROWS = 16384
SEAL_ROWS = 1024
# Tables of wider rows in smaller groups: a document's row (some 0.5 KiB in Arrow, its warnings and
# evidence with it) is one a document, so a group of 16,384 would hold the rows of every document of
# a run of 10,000 until it ends (5 MiB); one of 2,048 holds 1 MiB at most. A program's row (some
# 1 KiB: its description, raw lines and evidence) in groups of 4,096: 4 MiB at most, not 16.
GROUP_ROWS = {"documents": 2048, "programs": 4096}


def count_group_rows(table: str) -> int:
    """The rows of one of ``table``'s row groups (``GROUP_ROWS``, else ``ROW_GROUP_ROWS``)."""
    return GROUP_ROWS.get(table, ROW_GROUP_ROWS)


COMPRESSION = "zstd"
# The list column of a table whose items count towards its row groups' size, besides its rows: a
# budget history row lists every other document printing its budget, a list that grows with them.
WEIGHED_LISTS = {"budget_history": "other_candidates"}
# The rows and items of such a table's row group, at most: the run holds one group in Arrow, and the
# Parquet writer its pages (on 10,000 documents: 13 MiB at its peak for 4,096, 30 MiB for 16,384, the
# file 5 % larger than with 16,384, 16 % than with one group).
GROUP_WEIGHT = 4096


class RefusePandas(importlib.abc.MetaPathFinder):
    """An import hook that finds no pandas (see ``prepare_conversion``)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("pandas is not loaded to convert plain values", name=name)
        return None


def prepare_conversion() -> None:
    """Convert a value to Arrow once, and have pyarrow not load pandas for it.

    Before it converts a Python list, pyarrow asks whether it is a pandas object, and on its first
    conversion imports pandas to ask: a quarter of a second, as much CPU as a run of 1,000 documents
    spends on its rows in its own process. The tables are built from lists of plain values only, so
    unless pandas is loaded already, pyarrow's first question finds none, and it asks no more (it
    loads pandas all the same when a pandas object is asked for, as ``Table.to_pandas`` does).
    """
    if "pandas" in sys.modules:
        pa.array([0])
        return
    hook = RefusePandas()
    sys.meta_path.insert(0, hook)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(hook)


def weigh_rows(table: str, columns: dict[str, list[Any]]) -> list[int] | None:
    """Each row's weight in its row group (1, and the items of its ``WEIGHED_LISTS`` column), or None
    for a table whose row groups count rows only."""
    name = WEIGHED_LISTS.get(table)
    if name is None:
        return None
    return [1 + len(items or ()) for items in columns[name]]


def weigh_arrow(table: str, rows: pa.Table) -> list[int] | None:
    """``weigh_rows`` of Arrow rows."""
    name = WEIGHED_LISTS.get(table)
    if name is None:
        return None
    import pyarrow.compute as pc

    lengths = pc.fill_null(pc.list_value_length(rows.column(name)), 0)
    return [1 + length for length in lengths.to_pylist()]


def split_row_groups(weights: Iterable[int]) -> tuple[list[int], int]:
    """Cut rows of these weights into row groups, in order: a group ends at its ``ROW_GROUP_ROWS``-th row or
    at the row that brings its weight to ``GROUP_WEIGHT``. Return the sizes (rows) of the groups so
    ended, and the rows left after them (a group still open)."""
    sizes: list[int] = []
    rows = weight = 0
    for value in weights:
        rows += 1
        weight += value
        if rows >= ROW_GROUP_ROWS or weight >= GROUP_WEIGHT:
            sizes.append(rows)
            rows = weight = 0
    return sizes, rows


def encode_parquet(table: str, rows: list[dict[str, Any]]) -> bytes:
    """Encode rows as Parquet bytes with the table's explicit schema."""
    check_columns(table, rows)
    arrow_table = pa.Table.from_pylist(rows, schema=build_arrow_schema(table))
    sink = pa.BufferOutputStream()
    name = WEIGHED_LISTS.get(table)
    if name is None:
        pq.write_table(arrow_table, sink, compression=COMPRESSION, row_group_size=count_group_rows(table))
        return sink.getvalue().to_pybytes()
    sizes, rest = split_row_groups(weigh_rows(table, {name: [row[name] for row in rows]}) or ())
    with pq.ParquetWriter(sink, arrow_table.schema, compression=COMPRESSION) as writer:
        start = 0
        for size in sizes + ([rest] if rest or not sizes else []):
            writer.write_table(arrow_table.slice(start, size))
            start += size
    return sink.getvalue().to_pybytes()


class TableWriter:
    """Stream one table to a hidden temporary file beside ``<out>/<table>.parquet``.

    Rows come a document at a time: as lists of values, one per column in the schema's order
    (``add_columns``; converted to Arrow a row group at a time, which costs far less than a
    document at a time), as Arrow tables or record batches of the table's schema (``add_arrow``),
    or as row dicts (``add_rows``). Every ``count_group_rows`` rows (or ``GROUP_WEIGHT`` rows and listed
    items, for a table of ``WEIGHED_LISTS``: ``split_row_groups``) become a row group, written as soon as it
    is complete, so the file has the bytes ``encode_parquet`` gives for the same rows, however they came. ``close`` syncs
    the file and returns its path, for ``output.files.replace_files`` to rename into place;
    ``discard`` removes it.
    """

    def __init__(self, out_dir: Path, table: str, convert_each: bool = False):
        self.table = table
        # Values converted to Arrow as they come (rows that are large in Python: the budget history's, with
        # their candidates), joined into one chunk when sealed: the same chunks, held compact.
        self.convert_each = convert_each
        self.schema = build_arrow_schema(table)
        self.width = len(self.schema.names)
        self.group_rows = count_group_rows(table)
        self.chunks: list[pa.Table] = []  # rows already in Arrow, in order
        self.buffers: list[list[Any]] = [[] for _ in range(self.width)]  # rows after them, as values
        self.buffered = 0
        self.pending = 0  # rows in ``chunks`` and ``buffers``
        self.weights: list[int] = []  # the weight of each of them, for a table of ``WEIGHED_LISTS``
        self.weighed = table in WEIGHED_LISTS
        self.rows = 0
        self.file, self.path = open_temp(out_dir / f"{table}.parquet")
        try:
            self.writer = pq.ParquetWriter(self.file, self.schema, compression=COMPRESSION)
        except BaseException:
            self.discard()
            raise

    def add_columns(self, columns: list[list[Any]]) -> None:
        """Append rows given as one list of values per column, in the schema's order."""
        if len(columns) != self.width:
            raise ValueError(f"{self.table}: {len(columns)} columns given, the schema has {self.width}")
        count = len(columns[0])
        if any(len(values) != count for values in columns):
            raise ValueError(f"{self.table}: columns of different lengths")
        if self.convert_each:
            for buffer, values, field in zip(self.buffers, columns, self.schema):
                buffer.append(pa.array(values, type=field.type))
        else:
            for buffer, values in zip(self.buffers, columns):
                buffer.extend(values)
        self.buffered += count
        if self.buffered >= SEAL_ROWS:
            self.seal()
        if self.weighed:
            self.weights.extend(weigh_rows(self.table, dict(zip(self.schema.names, columns))) or ())
        self.grow(count)

    def add_arrow(self, rows: pa.Table | pa.RecordBatch) -> None:
        """Append rows of exactly the table's schema (``ValueError`` otherwise)."""
        if not rows.schema.equals(self.schema):
            raise ValueError(f"{self.table}: rows of another schema")
        if isinstance(rows, pa.RecordBatch):
            rows = pa.Table.from_batches([rows], schema=self.schema)
        if not rows.num_rows:
            return
        self.seal()
        self.chunks.append(rows)
        if self.weighed:
            self.weights.extend(weigh_arrow(self.table, rows) or ())
        self.grow(rows.num_rows)

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        """Append row dicts (exactly the schema's columns, ``check_columns``)."""
        check_columns(self.table, rows)
        self.add_columns([[row[name] for row in rows] for name in self.schema.names])

    def grow(self, count: int) -> None:
        self.pending += count
        self.rows += count
        if not self.weighed:
            while self.pending >= self.group_rows:
                self.flush(self.group_rows)
            return
        sizes, _ = split_row_groups(self.weights)
        for size in sizes:
            self.flush(size)
        del self.weights[:sum(sizes)]

    def seal(self) -> None:
        """Convert the buffered values to an Arrow chunk."""
        if self.buffered:
            if self.convert_each:
                arrays = [pa.concat_arrays(buffer) for buffer in self.buffers]
            else:
                arrays = [pa.array(buffer, type=field.type) for buffer, field in zip(self.buffers, self.schema)]
            self.chunks.append(pa.Table.from_arrays(arrays, schema=self.schema))
            self.buffers = [[] for _ in range(self.width)]
            self.buffered = 0

    def flush(self, count: int) -> None:
        self.seal()
        whole = pa.concat_tables(self.chunks) if self.chunks else self.schema.empty_table()
        self.writer.write_table(whole.slice(0, count))
        rest = whole.slice(count)
        self.chunks = [rest] if rest.num_rows else []
        self.pending -= count
        pa.default_memory_pool().release_unused()  # the group's buffers go back to the system, not kept for later

    def close(self) -> Path:
        """Write the last row group (an empty table is one empty group, as ``pq.write_table`` writes
        it), sync the file and return its path."""
        if self.pending or not self.rows:
            self.flush(self.pending)
            self.weights = []
        self.writer.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        return self.path

    def discard(self) -> None:
        """Drop the file (a run that stops before its tables are complete)."""
        try:
            if hasattr(self, "writer"):
                self.writer.close()
        except Exception:  # noqa: BLE001 - a half-written file is removed all the same
            pass
        finally:
            self.file.close()
            self.path.unlink(missing_ok=True)


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


class TableReadError(RuntimeError):
    """A table that should be there could not be read."""


def read_arrow_table(source: Path | str | bytes, columns: list[str] | None = None) -> pa.Table:
    """Return the Arrow table of a Parquet file (path or bytes), read on the calling thread only.

    ``pq.read_table`` goes through Arrow's dataset layer, which starts an I/O thread pool even
    with ``use_threads=False``; a pool thread still alive at interpreter exit aborts the
    process ("terminate called without an active exception": 28 runs in 40 of
    ``diff --rev HEAD --rev HEAD`` with the default read, 3 in 120 under load with
    ``use_threads=False``; apache/arrow#34314). ``ParquetFile.read`` of an in-memory buffer
    starts no thread (opening a path through Arrow's file system does), so files are read
    into memory first: our tables are small.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with pq.ParquetFile(pa.BufferReader(data)) as parquet:
        return parquet.read(columns=columns, use_threads=False)


def read_parquet_bytes(data: bytes) -> list[dict[str, Any]]:
    """Return the rows of Parquet ``data``."""
    return read_arrow_table(data).to_pylist()


def check_whole(folder: Path) -> None:
    """Raise ``TableReadError`` when ``folder`` holds ``.pending``: a run was killed between the
    renames of its tables, so they may come from two runs until the next run completes them."""
    if (folder / PENDING).exists() or (folder / PENDING).is_symlink():
        raise TableReadError(f"the tables in {folder} were left half-replaced by an interrupted run ({PENDING}): "
                             f"run extract with --out {folder} again to complete them")


def read_parquet_file(path: Path) -> list[dict[str, Any]]:
    """Return the rows of the Parquet file at ``path`` (refused while its folder is half-replaced)."""
    check_whole(path.parent)
    try:
        return read_arrow_table(path).to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise TableReadError(f"cannot read {path}: {exc}") from exc


def read_folder(folder: Path, tables: tuple[str, ...] = ALL_TABLES, required: tuple[str, ...] = TABLES) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every table in ``folder``; a missing optional table gives no rows.

    A folder a killed run left half-replaced (``.pending``) is refused: ``TableReadError``.
    """
    if not folder.is_dir():
        raise TableReadError(f"{folder} is not a folder")
    check_whole(folder)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        path = folder / f"{table}.parquet"
        if not path.exists() and table not in required:
            out[table] = []
            continue
        out[table] = read_parquet_file(path)
    return out


def read_git_revision(rev: str, folder: str = "extracted", tables: tuple[str, ...] = ALL_TABLES,
                      required: tuple[str, ...] = TABLES, cwd: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every table of ``folder`` at git revision ``rev`` (nothing is checked out)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        spec = f"{rev}:{folder}/{table}.parquet"
        proc = subprocess.run(["git", "show", spec], cwd=cwd, capture_output=True)
        if proc.returncode != 0:
            if table not in required:
                out[table] = []
                continue
            raise TableReadError(f"git show {spec}: {proc.stderr.decode('utf-8', 'replace').strip()}")
        out[table] = read_parquet_bytes(proc.stdout)
    return out


def group_by(rows: list[dict[str, Any]], column: str) -> dict[Any, list[dict[str, Any]]]:
    """Return rows grouped by the value of ``column``, each group in its original order."""
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[column], []).append(row)
    return out
