"""Extraction cache: the rows of the last run, kept in ``<out>/.cache`` so that unchanged documents are not
extracted again.

Input: the tables a run wrote and the documents it read; the rows of each document a worker
extracted (``output.rows``). Output: the cache's files, and rows read back only when their
checksums, schema and source all hold.

The cache holds what the tables need, stored as the tables store it:

- The segment: a copy of the last complete run's ``documents``, ``programs`` and
  ``program_items`` tables (``kaigi-<table>-<hash>.parquet``), and its manifest
  (``kaigi-manifest.json``): every document of that run in order (source, SHA-256 of its bytes, its
  file's status when hashed (``run.folder.describe_status``: the next run trusts it in place of hashing the file again),
  a hash of what the input folder's ``sources.csv`` stated of it, whether its rows were final,
  that is not stopped by a limit or a crash, and its rows per table) and the SHA-256 of every file the run wrote, the segment's included. Parquet
  compresses across documents, so the cache takes about the size of the tables' own rows
  whatever the number of documents. A run reads an unchanged document's rows from the segment,
  in order (``SegmentReader``), without decoding another's, when its bytes and what ``sources.csv``
  states of it are those the segment's run read (the segment holds the rows with the manifest applied).
- The journal (``kaigi-journal.rows``): an entry for each document extracted since the segment
  was written, appended as soon as its worker returns it, under its key (``run.folder``): a run
  that is stopped keeps what it extracted, and the next run takes it and folds it into its
  segment (the journal is then removed). An entry is one header line (format, schema digest,
  SHA-256 of the body) and the document's values in ``marshal``'s format (version
  ``MARSHAL_VERSION``, plain values only: strings, numbers, None, lists, tuples and dicts; read back
  in half the time JSON takes, and written in two thirds): each table column by column in the schema's
  order (no column names, no keys repeated on every row). The body is read only once its checksum
  matches: ``marshal`` reads what this module wrote, never bytes of unknown origin. It is not
  compressed: the journal lasts until the run's end, and compressing each entry (zlib, at its
  fastest) took 2 % of a worker's time and decompressing it a tenth of the run's own.

A run writes its segment under new names, then its manifest (one atomic rename), then removes the
files of the previous one: stopped at any moment, it leaves a manifest and the segment it names.

Rows are trusted only when the manifest's checksum, the segment files' SHA-256 and the entry's
checksum match, the columns are exactly the tables' (the segment's Arrow schema is
``output.schema.build_arrow_schema``; an entry has the schema digest and every column), integers
fit 64 bits, the row counts add up, and each document's ``documents`` row names its source: a damaged, foreign or outdated cache is extracted again,
never fed into the tables. Only the file names below are ever written or removed in the folder,
which may hold other files (``~/.cache`` for an ``--out`` of ``~``).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator

from ..output.files import open_temp, sync_folder, write_atomic
from ..output.rows import INT64_MAX, INT64_MIN, fits_int64
from ..output.schema import TABLES, build_arrow_schema, check_columns, column_names, compute_schema_digest, integer_columns

if TYPE_CHECKING:
    import pyarrow as pa

ENTRY_FORMAT = 7
MARSHAL_VERSION = 4  # (Python 3.4 and later)
ENTRY_MAGIC = b"kaigi-rows"
ENTRY_SUFFIX = ".rows"
# A cache entry's file name: the first 24 hex digits of its key and ``.rows``; ``.json`` is the
# name entries of format 2 (one JSON document of row dicts per document) had: removed alike.
ENTRY_NAME = re.compile(r"[0-9a-f]{24}\.(?:rows|json)")  # one file per entry, as earlier versions kept them
JOURNAL = "kaigi-journal.rows"
JOURNAL_MAGIC = b"kaigi-journal"
MANIFEST = "kaigi-manifest.json"
MANIFEST_FORMAT = 5
MANIFEST_MAGIC = b"kaigi-manifest"
# A segment file: ``kaigi-programs-<first 16 hex digits of its SHA-256>.parquet``
SEGMENT_NAME = re.compile(r"kaigi-(?:documents|programs|program_items)-[0-9a-f]{16}\.parquet")
# The temporary files of entries, the manifest and the segment (``output.files.remove_temp_files``).
TEMP_NAMES = r"[0-9a-f]+\.(?:rows|json)|" + re.escape(MANIFEST) + r"|kaigi-(?:documents|programs|program_items)-new\.parquet"
SEGMENT_BATCH_ROWS = 8192

Rows = dict[str, list[dict[str, Any]]]
# One document's rows, table by table, as one list of values per column in the schema's order.
Columns = dict[str, list[list[Any]]]


# ---------------------------------------------------------------- entries


def to_columns(rows: Rows) -> Columns:
    """Return one document's rows as columns (see ``Columns``); every row must have exactly the
    schema's columns."""
    out: Columns = {}
    for table in TABLES:
        check_columns(table, rows[table])
        out[table] = [[row[name] for row in rows[table]] for name in column_names(table)]
    return out


def to_rows(columns: Columns) -> Rows:
    """Return columns as row dicts (the inverse of ``to_columns``)."""
    return {table: [dict(zip(column_names(table), values)) for values in zip(*columns[table])] for table in TABLES}


def encode_entry(rows: Rows) -> bytes:
    """Return the cache entry of one document's rows (see the module notes); ``OverflowError`` for an
    integer the tables cannot hold (``output.rows.make_rows`` never makes one)."""
    return encode_columns(to_columns(rows))


def encode_columns(columns: Columns) -> bytes:
    """Return the cache entry of one document's columns (``to_columns``); see ``encode_entry``."""
    if not all(fit_columns(table, columns[table]) for table in TABLES):
        raise OverflowError("an integer beyond the 64 bits the tables hold cannot be cached")
    payload = [columns[table] for table in TABLES]
    body = marshal.dumps(payload, MARSHAL_VERSION)
    header = b"%s %d %s %s\n" % (ENTRY_MAGIC, ENTRY_FORMAT, compute_schema_digest().encode(),
                                 hashlib.sha256(body).hexdigest().encode())
    return header + body


def split_entry(data: bytes) -> bytes | None:
    """Return the body of an entry whose header names this format and these schemas and
    whose checksum matches, else None."""
    header, newline, body = data.partition(b"\n")
    parts = header.split(b" ")
    if (not newline or len(parts) != 4 or parts[0] != ENTRY_MAGIC or parts[1] != str(ENTRY_FORMAT).encode()
            or parts[2] != compute_schema_digest().encode()
            or parts[3] != hashlib.sha256(body).hexdigest().encode()):
        return None
    return body


def check_entry(path: Path) -> bool:
    """Tell whether the entry at ``path`` is whole (header and checksum; ``decode_entry`` checks the rest)."""
    try:
        return split_entry(path.read_bytes()) is not None
    except OSError:
        return False


# The types of the values an entry holds (``marshal`` reads more: bytes, sets, code, which no table holds).
PLAIN_TYPES = (str, int, float, bool, type(None))


def is_plain(value: Any) -> bool:
    """Tell whether a value read back is made of ``PLAIN_TYPES``, lists, tuples and dicts of string keys only."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is list or kind is tuple:
            stack.extend(item)
        elif kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif kind not in PLAIN_TYPES:
            return False
    return True


def fit_columns(table: str, columns: list[list[Any]]) -> bool:
    """Tell whether the integer columns of ``table`` hold only integers the tables can hold (64 bits)."""
    for position, plain in integer_columns(table):
        values = columns[position]
        if plain:
            for value in values:
                if value is not None and (type(value) is not int or not INT64_MIN <= value <= INT64_MAX):
                    return False
        elif not fits_int64(values):
            return False
    return True


def decode_entry(data: bytes, source: str | None = None, trusted: bool = False) -> Columns | None:
    """Return the columns of an entry, or None when they cannot be trusted: the header must name this
    format and these schemas, the checksum match, the body parse, every table have exactly the
    schema's columns, all of one length, with integers of 64 bits, and one ``documents`` row, of
    ``source`` when it is given. ``trusted`` (an entry a worker of this run just made, not one read
    from disk) skips the checksum and the integers, which ``encode_entry`` checked."""
    if trusted:
        header, _, body = data.partition(b"\n")
        if not header.startswith(ENTRY_MAGIC):
            return None
    else:
        checked = split_entry(data)
        if checked is None:
            return None
        body = checked
    try:
        payload = marshal.loads(body)
    except (ValueError, EOFError, TypeError, RecursionError):
        return None
    if not isinstance(payload, list) or len(payload) != len(TABLES):
        return None
    columns: Columns = {}
    for table, values in zip(TABLES, payload):
        if (not isinstance(values, list) or len(values) != len(column_names(table))
                or not all(isinstance(v, list) for v in values) or len({len(v) for v in values}) != 1
                or not (trusted or (fit_columns(table, values) and is_plain(values)))):
            return None
        columns[table] = values
    documents = columns["documents"]
    if len(documents[0]) != 1:
        return None
    if source is not None and documents[column_names("documents").index("source")][0] != source:
        return None
    return columns


def save_entry(path: Path, data: bytes) -> None:
    """Store an entry through a temporary file and a rename, without syncing to disk: an entry that
    a power cut damages fails its checksum and is extracted again."""
    write_atomic(path, data, sync=False)


def save_cache(path: Path, rows: Rows) -> None:
    """Store one document's rows as an entry."""
    save_entry(path, encode_entry(rows))


def load_columns(path: Path, source: str | None = None) -> Columns | None:
    """Return the columns of the entry at ``path``, or None when there is none or it cannot be trusted."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return decode_entry(data, source)


def load_cache(path: Path, source: str | None = None) -> Rows | None:
    """Return the rows of the entry at ``path`` (see ``decode_entry``), or None."""
    columns = load_columns(path, source)
    return to_rows(columns) if columns is not None else None


def find_cache_folder(out_dir: Path) -> Path | None:
    """Return ``<out>/.cache``, or None when it is a link or not a folder (it would write elsewhere)."""
    cache_dir = out_dir / ".cache"
    if cache_dir.is_symlink() or (cache_dir.exists() and not cache_dir.is_dir()):
        return None
    return cache_dir


def prune_cache(cache_dir: Path, keep: set[Path]) -> None:
    """Remove the entry files (as earlier versions kept entries) not in ``keep``; only files named as
    entries are removed: the folder may hold others."""
    if not cache_dir.is_dir():
        return
    keep_names = {path.name for path in keep}
    for entry in cache_dir.iterdir():
        if entry.name in keep_names or not ENTRY_NAME.fullmatch(entry.name):
            continue
        if entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)


# An entry's place in the journal, offset and length, is kept as one integer (a tuple of two costs
# some 80 bytes more a document): ``offset * PLACE_SCALE + length``.
PLACE_SCALE = 1 << 40


def place(offset: int, length: int) -> int:
    if not 0 <= length < PLACE_SCALE:
        raise ValueError(f"a journal entry of {length} bytes")
    return offset * PLACE_SCALE + length


class Journal:
    """The entries of the documents extracted since the segment was written, in one file (see the
    module notes). Each record is a line ``kaigi-journal <key> <length>`` and the entry's bytes; a
    record cut short (a run killed while appending) ends the journal: the next append overwrites it."""

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / JOURNAL
        self.index: dict[str, int] = {}  # key → offset and length of its entry, as one integer (``place``)
        self.end = 0
        self.file: BinaryIO | None = None
        if self.path.is_file() and not self.path.is_symlink():
            try:
                self.scan()
            except OSError:
                self.index, self.end = {}, 0

    def scan(self) -> None:
        """Index the whole records with a sound entry (header and checksum)."""
        with open(self.path, "rb") as fh:
            while True:
                line = fh.readline(256)
                parts = line.split()
                if not line.endswith(b"\n") or len(parts) != 3 or parts[0] != JOURNAL_MAGIC or not parts[2].isdigit():
                    return
                length = int(parts[2])
                offset = fh.tell()
                entry = fh.read(length)
                if len(entry) != length:
                    return
                if split_entry(entry) is not None:
                    self.index[parts[1].decode("ascii", "replace")] = place(offset, length)
                self.end = fh.tell()

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def append(self, key: str, entry: bytes) -> None:
        """Add an entry (``encode_entry``) for ``key``; it is read back by ``read``."""
        if self.file is None:
            if self.path.is_symlink():
                raise OSError(f"{self.path} is a link: not written through")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.path, "r+b" if self.path.exists() else "w+b")
            self.file.truncate(self.end)  # a record cut short goes
        self.file.seek(self.end)
        self.file.write(b"%s %s %d\n" % (JOURNAL_MAGIC, key.encode("ascii"), len(entry)))
        offset = self.file.tell()
        self.file.write(entry)
        self.file.flush()
        self.end = self.file.tell()
        self.index[key] = place(offset, len(entry))

    def read(self, key: str) -> bytes | None:
        if key not in self.index:
            return None
        offset, length = divmod(self.index[key], PLACE_SCALE)
        try:
            with open(self.path, "rb") as fh:
                fh.seek(offset)
                return fh.read(length)
        except OSError:
            return None

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def remove(self) -> None:
        """Remove the journal (its entries are in the segment now)."""
        self.close()
        if self.path.is_file() and not self.path.is_symlink():
            self.path.unlink(missing_ok=True)
        self.index, self.end = {}, 0


# ---------------------------------------------------------------- the manifest


@dataclass(frozen=True, slots=True)
class Listed:
    """One document of a run, as the manifest lists it."""

    source: str
    digest: str | None  # SHA-256 of its bytes (None: not read: a link out, a folder that cannot be listed)
    final: bool  # its rows are not those of a limit or a crash
    programs: int  # its rows in ``programs``
    items: int  # its rows in ``program_items``
    ok: bool = False  # its status is ``ok``
    summary: str = ""  # its line of the run's summary (``run.folder.format_summary``)
    stated: str = ""  # hash of what the input folder's sources.csv stated of it (``read.manifest.hash_entry``)
    seen: str = ""  # its file's status when it was hashed, when the next run may trust it (``run.folder.describe_status``)


@dataclass(frozen=True)
class Manifest:
    """What the last complete run read and wrote (see the module notes)."""

    fingerprint: str
    max_bytes: int
    documents: tuple[Listed, ...]
    outputs: dict[str, str]  # file name in the output folder → SHA-256 of its bytes
    segment: dict[str, tuple[str, str]]  # table → (file name, SHA-256) of its copy in the cache


def encode_listed(d: Listed) -> bytes:
    """One document's entry in the manifest's ``documents`` list (compact JSON)."""
    return json.dumps([d.source, d.digest, d.final, d.programs, d.items, d.ok, d.summary, d.stated, d.seen],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_manifest(cache_dir: Path, manifest: Manifest, documents: Iterable[Listed] | None = None) -> None:
    """Write the manifest (its documents: ``documents`` when given, taken one at a time, else the
    manifest's), through a temporary file and a rename: one document's entry is in memory at a time."""
    rest = json.dumps({
        "fingerprint": manifest.fingerprint, "max_bytes": manifest.max_bytes, "schema": compute_schema_digest(),
        "outputs": manifest.outputs, "segment": {table: list(named) for table, named in manifest.segment.items()},
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    path = cache_dir / MANIFEST
    fh, tmp = open_temp(path)
    try:
        with fh:
            body = hashlib.sha256()
            placeholder = b"%s %d %s\n" % (MANIFEST_MAGIC, MANIFEST_FORMAT, b"0" * 64)
            fh.write(placeholder)
            for part in iter_manifest_body(manifest.documents if documents is None else documents, rest):
                body.update(part)
                fh.write(part)
            fh.seek(0)
            fh.write(b"%s %d %s\n" % (MANIFEST_MAGIC, MANIFEST_FORMAT, body.hexdigest().encode()))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(cache_dir)


def iter_manifest_body(documents: Iterable[Listed], rest: bytes) -> Iterator[bytes]:
    """The manifest's JSON body in parts: ``{"documents":[...],`` then ``rest`` (the other keys, sorted
    after ``documents``, as one JSON object)."""
    yield b'{"documents":['
    batch: list[bytes] = []
    first = True
    for listed in documents:
        batch.append(encode_listed(listed))
        if len(batch) >= 256:
            yield (b"" if first else b",") + b",".join(batch)
            batch, first = [], False
    if batch:
        yield (b"" if first else b",") + b",".join(batch)
    yield b"]," + rest[1:]


class Listing:
    """The documents of a run as the manifest will list them, in order, kept in a hidden temporary file
    beside ``path`` (``output.files.open_temp``) as they come rather than in memory; ``close`` and read
    them back with ``__iter__``, as many times as needed; ``discard`` removes the file."""

    def __init__(self, path: Path):
        self.file, self.path = open_temp(path)
        self.count = 0

    def append(self, listed: Listed) -> None:
        self.file.write(encode_listed(listed) + b"\n")
        self.count += 1

    def close(self) -> None:
        self.file.close()

    def __iter__(self) -> Iterator[Listed]:
        self.file.flush()
        with open(self.path, "rb") as fh:
            for line in fh:
                s, d, f, p, i, o, summary, stated, seen = json.loads(line)
                yield Listed(s, d, f, p, i, o, summary, stated, seen)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def read_manifest(cache_dir: Path | None) -> Manifest | None:
    """Return the manifest in ``cache_dir``, or None when there is none or it cannot be trusted."""
    if cache_dir is None:
        return None
    path = cache_dir / MANIFEST
    try:
        if path.is_symlink():
            return None
        data = path.read_bytes()
    except OSError:
        return None
    header, newline, body = data.partition(b"\n")
    parts = header.split(b" ")
    if (not newline or len(parts) != 3 or parts[0] != MANIFEST_MAGIC or parts[1] != str(MANIFEST_FORMAT).encode()
            or parts[2] != hashlib.sha256(body).hexdigest().encode()):
        return None
    try:
        spec = json.loads(body.decode("utf-8"))
        if spec["schema"] != compute_schema_digest():
            return None
        documents = tuple(Listed(str(s), d if d is None else str(d), bool(f), int(p), int(i), bool(o), str(line),
                                 str(stated), str(seen)) for s, d, f, p, i, o, line, stated, seen in spec["documents"])
        return Manifest(str(spec["fingerprint"]), int(spec["max_bytes"]), documents,
                        {str(k): str(v) for k, v in spec["outputs"].items()},
                        {str(k): (str(name), str(digest)) for k, (name, digest) in spec["segment"].items()
                         if SEGMENT_NAME.fullmatch(str(name))})
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def hash_bytes_of(path: Path) -> str | None:
    """Return the SHA-256 of a regular file that is not a link, or None."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------- the segment


def write_segment(cache_dir: Path, tables: dict[str, Path]) -> dict[str, tuple[str, str]]:
    """Copy the tables just written (``tables``: table → its file) into the cache under names of their
    own; return each one's (file name, SHA-256)."""
    named = {}
    for table, source in tables.items():
        fh, tmp = open_temp(cache_dir / f"kaigi-{table}-new.parquet")
        try:
            with fh, open(source, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
            digest = hash_bytes_of(tmp)
            if digest is None:
                raise OSError(f"cannot read back {tmp}")
            name = f"kaigi-{table}-{digest[:16]}.parquet"
            tmp.replace(cache_dir / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        named[table] = (name, digest)
    return named


def prune_segments(cache_dir: Path, keep: set[str]) -> None:
    """Remove the segment files not named in ``keep`` (those of earlier runs)."""
    for path in cache_dir.iterdir():
        if SEGMENT_NAME.fullmatch(path.name) and path.name not in keep and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


class TableCursor:
    """Rows of one segment table, taken in order: each ``take`` starts at or after the last one's end."""

    def __init__(self, path: Path, table: str, rows: int):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.file: BinaryIO = open(path, "rb")
        self.parquet = pq.ParquetFile(self.file)
        if not self.parquet.schema_arrow.equals(build_arrow_schema(table)) \
                or self.parquet.metadata.num_rows != rows:
            self.file.close()
            raise ValueError(f"{path} does not hold the rows the manifest lists")
        self.batches = self.parquet.iter_batches(batch_size=SEGMENT_BATCH_ROWS, use_threads=False)
        self.schema = build_arrow_schema(table)
        self.buffer = pa.Table.from_batches([], schema=self.schema)
        self.position = 0  # the row the buffer starts at

    def fill(self, rows: int) -> None:
        """Read batches until the buffer holds ``rows`` rows (``StopIteration`` past the end)."""
        import pyarrow as pa

        while self.buffer.num_rows < rows:
            batch = next(self.batches)
            self.buffer = pa.concat_tables([self.buffer, pa.Table.from_batches([batch], schema=self.schema)])

    def take(self, start: int, count: int) -> pa.Table:
        """Return rows ``start`` to ``start + count``; rows before ``start`` are passed over."""
        if start < self.position:
            raise ValueError("segment rows must be taken in order")
        while self.position < start:
            if not self.buffer.num_rows:
                self.fill(1)
            passed = min(start - self.position, self.buffer.num_rows)
            self.buffer = self.buffer.slice(passed)
            self.position += passed
        self.fill(count)
        rows = self.buffer.slice(0, count)
        self.buffer = self.buffer.slice(count)
        self.position += count
        return rows

    def close(self) -> None:
        self.file.close()


class SegmentReader:
    """The rows of the documents of the manifest's run, read from the segment in the run's order.

    ``take(n)`` returns the rows of the manifest's ``n``-th document (in increasing ``n``), or None
    when they cannot be trusted (see the module notes).
    """

    def __init__(self, cache_dir: Path, manifest: Manifest):
        self.manifest = manifest
        self.starts: list[tuple[int, int, int]] = []
        programs = items = 0
        for position, listed in enumerate(manifest.documents):
            self.starts.append((position, programs, items))
            programs += listed.programs
            items += listed.items
        counts = {"documents": len(manifest.documents), "programs": programs, "program_items": items}
        self.cursors: dict[str, TableCursor] = {}
        try:
            for table in TABLES:
                if table not in manifest.segment:
                    raise ValueError(f"the manifest lists no segment file for {table}")
                name, digest = manifest.segment[table]
                path = cache_dir / name
                if hash_bytes_of(path) != digest:
                    raise ValueError(f"{path} is not the file the manifest lists")
                self.cursors[table] = TableCursor(path, table, counts[table])
        except BaseException:
            self.close()
            raise

    def take(self, number: int, count: int = 1) -> dict[str, pa.Table] | None:
        """The rows of the manifest's documents ``number`` to ``number + count`` (in increasing ``number``),
        or None when they cannot be trusted."""
        listed = self.manifest.documents[number:number + count]
        _, programs, items = self.starts[number]
        try:
            rows = {
                "documents": self.cursors["documents"].take(number, count),
                "programs": self.cursors["programs"].take(programs, sum(d.programs for d in listed)),
                "program_items": self.cursors["program_items"].take(items, sum(d.items for d in listed)),
            }
        except (StopIteration, ValueError, OSError):
            return None
        sources = rows["documents"].column("source").to_pylist()
        return rows if sources == [d.source for d in listed] else None

    def close(self) -> None:
        for cursor in self.cursors.values():
            cursor.close()
