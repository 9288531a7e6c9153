"""Extract a folder: read every file, run the stages, write the tables and a summary.

Input: an input folder, the per-document limits and how to run the documents (``--jobs``,
``--engine``). Output: Parquet tables in the output folder, progress on stderr (``run.progress``)
and a summary on stdout: a line per document, then the totals, with how many documents are new,
changed, unchanged or removed since the last run, and how many failed.

A run goes in three steps:

1. Plan: list the input folder, hash every file and look for each document's rows in the cache
   (``<out>/.cache``, keyed by file bytes, path, size limit and pipeline version). When the input
   is what the last run read (``run.cache.Manifest``), every document of it was final, and every
   output file still holds the bytes that run wrote, there is nothing to do: the tables are left
   as they are and the summary is read from ``documents.parquet``.
2. Extract: every other document goes to an engine, within its limits: worker processes on this
   machine (``run.workers``; in this process with ``--timeout 0``) or a Dask cluster
   (``run.cluster``). Rows that may be cached are stored as they come back.
3. Write: the documents' rows, in input order, are streamed to the Parquet writers a row group at
   a time (``output.tables.TableWriter``): whatever the number of documents, the run holds one
   document's rows and one row group per table, plus a few fields per budgeted program for the
   budget history. The tables, the history and the data package replace the previous files as
   one change (``output.files.replace_files``); then the manifest records the run.

Exit status: 0 when every document was extracted, 1 when any document failed (the
tables are written all the same), 2 when the run itself could not be done.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import unicodedata
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..output.datapackage import build_datapackage
from ..output.files import PENDING, OutputError, complete_pending, lock_output, remove_temp_files, replace_files
from ..output.history import HistoryBuilder
from ..output.rows import make_rows
from ..output.schema import ALL_TABLES, SCHEMA_DIR, TABLES, column_names
from ..parse.document import extract_document
from ..read.files import READERS, find_reader, hash_file, hash_input, name_source, scan_inputs
from ..records import ReadFailure
from .cache import (
    TEMP_NAMES,
    Listed,
    Manifest,
    SegmentReader,
    check_entry,
    decode_entry,
    entry_path,
    find_cache_folder,
    hash_bytes_of,
    load_columns,
    prune_cache,
    prune_segments,
    read_manifest,
    save_entry,
    to_columns,
    write_manifest,
    write_segment,
)
from .progress import Progress
from .workers import EngineError, Limits, Page, Result, Task, make_local_engine, make_rows_result, take_in

if TYPE_CHECKING:

    from ..output.tables import TableWriter

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The files a run writes in its output folder (besides .lock, .pending and .cache/).
OUTPUT_FILES = tuple(f"{table}.parquet" for table in ALL_TABLES) + ("datapackage.json",)
ENGINES = ("local", "dask")


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def compute_fingerprint() -> str:
    """Hash the pipeline's code, schemas and tokenizer versions: a change redoes every document."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")) + sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(path.relative_to(path.parent if path.suffix == ".yaml" else PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    for dist in ("sudachipy", "sudachidict_core", "pdfplumber"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()[:16]


def is_plain_file(path: Path) -> bool:
    """Tell whether ``path`` is a regular file and no link. ``scan_inputs`` never enters a linked
    folder, so such a file lies in the input folder, and ``read.files.hash_input`` (which resolves
    every path, to find links that lead out) would hash it all the same."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def hash_plain_file(path: Path) -> str | None:
    """``read.files.hash_file`` of a regular file, or None when it cannot be read."""
    try:
        return hash_file(path)
    except OSError:
        return None


def compute_cache_key(fingerprint: str, source: str, max_bytes: int, digest: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{source}\0{max_bytes}\0{digest}".encode("utf-8", "surrogateescape")
                          ).hexdigest()[:24]


ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def make_printable(text: str) -> str:
    """Write control, format (bidi, zero-width) and line-separator characters as escapes (``\\n``,
    ``\\u202e``): a file name or a message can then neither break a summary line in two nor
    reorder it on screen."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"))
        else:
            out.append(ch)
    return "".join(out)


def format_summary(row: dict) -> str:
    """One line per document: status, source, programs, fiscal year, warnings or error (see ``make_printable``)."""
    return make_printable(describe_document(row))


def describe_document(row: dict) -> str:
    if row["status"] != "ok":
        return f"FAIL {row['source']}: {row['status']}: {row['error']}"
    fy = f"FY{row['fiscal_year']}" if row["fiscal_year"] else "FY?"
    basis = row["budget_basis"] or "-"
    warn = "; ".join(row["warnings"])
    return (
        f"ok   {row['source']}: {row['n_programs']} programs, {row['n_items']} items, {fy} {basis}"
        + (f" | warnings: {warn}" if warn else "")
    )


def make_unlisted_rows(folder: Path, raw: Path, reason: str) -> dict:
    """The ``documents`` row of a folder that could not be listed: its files were not read."""
    source = name_source(folder, raw) + "/"
    error = f"the folder cannot be listed ({reason}): the files in it were not read"
    return make_rows(extract_document(ReadFailure(source, "folder", "", 0, "unreadable", error)))


def check_folders(raw: Path, out: Path) -> str | None:
    """Say why ``raw`` cannot be extracted into ``out``, or return None."""
    if not raw.exists():
        return f"input folder {raw} does not exist"
    if not raw.is_dir():
        return f"input {raw} is not a folder"
    source, target = raw.resolve(), out.resolve()
    if target == source:
        return f"output folder {out} is the input folder: the tables would be read as documents; choose another --out"
    if source in target.parents:
        return (f"output folder {out} lies inside the input folder {raw}: choose an --out outside it")
    if out.is_dir() and not (out / "documents.parquet").exists() and not (out / PENDING).exists():
        foreign = [name for name in OUTPUT_FILES if (out / name).exists() or (out / name).is_symlink()]
        if foreign:
            return (f"output folder {out} is not an extraction folder, yet it holds {', '.join(foreign)}: "
                    "a run would replace it; choose another --out")
    return None


def describe_nothing(raw: Path, paths: list[Path], unlisted: list[tuple[Path, str]]) -> str:
    """The error of an input folder without a file any reader takes."""
    skipped = f"{len(paths)} file{'s' if len(paths) != 1 else ''} with no reader for its suffix" if paths else "no files"
    folders = f", {len(unlisted)} folder{'s' if len(unlisted) != 1 else ''} that cannot be listed" if unlisted else ""
    suffixes = ", ".join(sorted(READERS))
    return (f"nothing to extract in {raw}: {skipped}{folders} (read: {suffixes}; hidden files never); "
            "the previous tables are left as they are")


def check_engine(engine: str) -> str | None:
    """Say why ``engine`` cannot be used here, or return None."""
    if engine not in ENGINES:
        return f"unknown engine {engine!r} (one of {', '.join(ENGINES)})"
    if engine == "dask":
        from .cluster import find_dask_problem

        return find_dask_problem()
    return None


def run_extract(raw: Path, out: Path, max_bytes: int | None = None, use_cache: bool = True,
                limits: Limits | None = None, verbosity: int = 1, jobs: int | None = None,
                engine: str = "local", scheduler: str | None = None) -> int:
    """Extract every file under ``raw`` into ``out``; return the exit status (0, 1 or 2).

    Refused with status 2, and nothing written: a missing input folder, an output folder that
    is the input folder or lies inside it, and an input folder holding no file that a reader
    takes (empty, or only hidden files or files of other formats), which would replace good
    tables with empty ones; an engine that cannot be used.
    """
    limits = limits or Limits()
    if max_bytes is not None:
        limits = Limits(max_bytes, limits.timeout, limits.max_memory)
    problem = check_folders(raw, out) or check_engine(engine)
    if problem is None:
        paths, unlisted = scan_inputs(raw)
        if any(folder == raw.resolve() for folder, _ in unlisted):
            problem = f"cannot list input folder {raw}: {unlisted[0][1]}"
        elif not any(find_reader(path)[1] is not None for path in paths):
            problem = describe_nothing(raw, paths, unlisted)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    run = Run(raw.resolve(), out, use_cache, limits, verbosity, jobs or default_jobs(), engine, scheduler)
    try:
        with lock_output(out):
            return run.extract()
    except (OutputError, EngineError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write the tables to {out}: {exc.strerror or exc}; the previous tables are "
              "left as they were", file=sys.stderr)
        return 2


def extract_folder(raw: Path, out: Path, use_cache: bool, limits: Limits, verbosity: int = 1) -> int:
    """The run itself, with ``out`` locked (see ``Run``), on the cores of this machine."""
    return Run(raw, out, use_cache, limits, verbosity, default_jobs(), "local", None).extract()


@dataclass(slots=True)
class Doc:
    """One input file of the run, and where its rows are."""

    path: Path
    source: str
    digest: str | None  # SHA-256 of its bytes (None: a link out, not a regular file, unreadable)
    entry: Path | None  # its cache entry (None: no cache folder, or not hashed)
    segment: int | None = None  # its place in the last run's segment, when its rows are taken from there
    cached: bool = False  # its rows come from the cache
    final: bool = False  # its rows are not those of a limit or a crash
    held: bytes | Rows | None = None  # its rows kept in memory (an entry, or row dicts) until they are written
    listed: Listed | None = None  # what the manifest says of it, once written


Rows = dict[str, list[dict[str, Any]]]


@dataclass
class Totals:
    documents: int = 0
    programs: int = 0
    items: int = 0
    failed: int = 0


PROGRAM_COLUMNS = column_names("programs")
# The columns of ``programs`` the budget history reads.
HISTORY_COLUMNS = ["doc_id", "source", "program_id", "ordinal", "name", "name_key", "budget_thousand_yen", "budget_yen",
                   "budget_text", "budget_qualifier", "fiscal_year", "budget_basis", "flags", "line_start"]


def encode_analysis_files(history: HistoryBuilder, out: Path) -> tuple[dict[str, bytes | Path], dict[str, int]]:
    """Write the outputs built from all documents: ``budget_history`` (to a temporary file) and
    ``datapackage.json``; return the files by name and the history's row count."""
    from ..output.tables import TableWriter, encode_json

    writer = TableWriter(out, "budget_history")
    try:
        batch: list[dict[str, Any]] = []
        for row in history.iter_rows():
            batch.append(row)
            if len(batch) >= 4096:
                writer.add_rows(batch)
                batch = []
        writer.add_rows(batch)
        path = writer.close()
    except BaseException:
        writer.discard()
        raise
    return {"budget_history.parquet": path, "datapackage.json": encode_json(build_datapackage())}, \
        {"budget_history": writer.rows}


class Run:
    """One extraction of ``raw`` into ``out`` (locked by the caller): see the module notes."""

    def __init__(self, raw: Path, out: Path, use_cache: bool, limits: Limits, verbosity: int, jobs: int,
                 engine: str, scheduler: str | None):
        self.raw, self.out, self.use_cache, self.limits = raw, out, use_cache, limits
        self.verbosity, self.jobs, self.engine_kind, self.scheduler = verbosity, jobs, engine, scheduler
        self.engine: Any = None
        self.progress: Progress | None = None
        self.docs: list[Doc] = []
        self.cache_dir: Path | None = None
        self.manifest: Manifest | None = None
        self.segment: SegmentReader | None = None
        self.unlisted: list[Listed] = []  # the manifest's lines of the folders that could not be listed
        self.fingerprint = ""

    def say(self, message: str) -> None:
        if self.verbosity:
            print(message, file=sys.stderr)

    def extract(self) -> int:
        out = self.out
        for table in complete_pending(out):
            self.say(f"replaced {table}, as an interrupted run had begun to")
        for leftover in remove_temp_files(out, OUTPUT_FILES, TEMP_NAMES):
            self.say(f"removed {leftover.name}, left by an interrupted run")
        paths, unlisted = scan_inputs(self.raw, exclude=(out,))
        self.fingerprint = compute_fingerprint()
        self.cache_dir = find_cache_folder(out)
        if self.cache_dir is None:
            print(f"warning: {out / '.cache'} is a link or not a folder: running without the cache", file=sys.stderr)
        previous = read_manifest(self.cache_dir)
        if previous is not None and previous.fingerprint == self.fingerprint \
                and previous.max_bytes == self.limits.max_bytes:
            self.manifest = previous  # else another version of the pipeline or size limit: its rows do not hold
        self.docs = [self.plan(path) for path in paths]
        changes = count_changes(previous, self.docs, [name_source(f, self.raw) + "/" for f, _ in unlisted])
        if self.use_cache and self.is_up_to_date(unlisted):
            return self.report_unchanged(changes)
        self.progress = Progress(len(self.docs) + len(unlisted), self.verbosity, printable=make_printable)
        try:
            to_extract = self.find_cached()
            self.extract_documents(to_extract)
            totals = self.write(unlisted)
        finally:
            if self.progress is not None:
                self.progress.end()
            if self.segment is not None:
                self.segment.close()
            if self.engine is not None:
                self.engine.close()
                self.engine = None
        if self.cache_dir is not None:
            self.record(unlisted)
        extracted = sum(1 for d in self.docs if not d.cached)
        if self.verbosity:
            print(describe_totals(totals, changes, extracted, len(self.docs) - extracted, len(unlisted), out))
        return 1 if totals.failed else 0

    # -- 1. plan

    def plan(self, path: Path) -> Doc:
        source = name_source(path, self.raw)
        digest = hash_plain_file(path) if is_plain_file(path) else hash_input(path, self.raw)
        entry = None
        if digest is not None and self.cache_dir is not None:
            entry = entry_path(self.cache_dir, compute_cache_key(self.fingerprint, source, self.limits.max_bytes, digest))
        return Doc(path, source, digest, entry)

    def is_up_to_date(self, unlisted: list[tuple[Path, str]]) -> bool:
        """Tell whether the tables already are what this run would write (see the module notes)."""
        manifest = self.manifest
        if manifest is None or unlisted or len(manifest.documents) != len(self.docs):
            return False
        for listed, doc in zip(manifest.documents, self.docs):
            if not listed.final or listed.digest is None or listed.source != doc.source or listed.digest != doc.digest:
                return False
        if set(manifest.outputs) != set(OUTPUT_FILES):
            return False
        return all(hash_bytes_of(self.out / name) == digest for name, digest in manifest.outputs.items())

    def report_unchanged(self, changes: dict[str, int]) -> int:
        """The summary of a run with nothing to do, as the manifest of the run that wrote the tables has it."""
        assert self.manifest is not None
        totals = Totals()
        lines = []
        for listed in self.manifest.documents:
            totals.documents += 1
            totals.programs += listed.programs
            totals.items += listed.items
            totals.failed += not listed.ok
            if self.verbosity or not listed.ok:
                lines.append(listed.summary)
        if lines:
            print("\n".join(lines))
        if self.cache_dir is not None:
            prune_cache(self.cache_dir, set())
        if self.verbosity:
            print(describe_totals(totals, changes, 0, len(self.docs), 0, self.out, up_to_date=True))
        return 1 if totals.failed else 0

    def find_segment(self) -> dict[tuple[str, str], int]:
        """Map (source, digest) to the place of each final document of the last run's segment, when
        the segment's files are the ones its manifest names."""
        manifest = self.manifest
        if manifest is None or self.cache_dir is None or set(manifest.segment) != set(TABLES):
            return {}
        for name, digest in manifest.segment.values():
            if hash_bytes_of(self.cache_dir / name) != digest:
                return {}
        return {(d.source, d.digest): n for n, d in enumerate(manifest.documents) if d.final and d.digest is not None}

    def find_cached(self) -> list[int]:
        """Find each document's rows in the cache (the segment first, in its order, then an entry);
        return the indices of the documents to extract."""
        assert self.progress is not None
        in_segment = self.find_segment() if self.use_cache else {}
        last = -1
        to_extract = []
        for index, doc in enumerate(self.docs):
            place = in_segment.get((doc.source, doc.digest)) if doc.digest is not None else None
            if place is not None and place > last:  # read in the segment's order
                doc.segment = last = place
                doc.cached = doc.final = True
                self.progress.note_cached(doc.source)
            elif self.use_cache and doc.entry is not None and check_entry(doc.entry):
                doc.cached = doc.final = True
                self.progress.note_cached(doc.source)
            else:
                to_extract.append(index)
        return to_extract

    # -- 2. extract

    def open_engine(self) -> Any:
        if self.engine is None:
            def on_page(page: Page) -> None:
                if self.progress is not None:
                    self.progress.note_page(self.docs[page.index].source, page.number, page.total)

            if self.engine_kind == "dask":
                from .cluster import DaskEngine

                self.engine = DaskEngine(self.jobs, self.limits, self.scheduler, tick=self.tick)
            else:
                self.engine = make_local_engine(self.jobs, self.limits, on_page, tick=self.tick)
        return self.engine

    def tick(self) -> None:
        if self.progress is not None:
            self.progress.tick()

    def tasks(self, indices: list[int]) -> Iterator[Task]:
        """The documents to extract, read as a worker asks for them; files settled without a worker
        (no reader, too large, a link out of the folder) are accepted here."""
        for index in indices:
            doc = self.docs[index]
            item = take_in(doc.path, self.raw, index, self.limits.max_bytes)
            if isinstance(item, Task):
                if item.digest != doc.digest and self.cache_dir is not None:  # the file changed since it was hashed
                    doc.digest = item.digest
                    key = compute_cache_key(self.fingerprint, doc.source, self.limits.max_bytes, item.digest)
                    doc.entry = entry_path(self.cache_dir, key)
                yield item
            else:
                self.accept(make_rows_result(index, item))

    def accept(self, result: Result) -> None:
        """Keep a document's rows as they come: saved as an entry when a worker encoded them and they
        may be cached, else in memory until they are written."""
        doc = self.docs[result.index]
        doc.final = result.cacheable
        doc.held = result.entry if result.entry is not None else result.rows
        if result.cacheable and result.entry is not None and doc.entry is not None:
            try:
                save_entry(doc.entry, result.entry)
                doc.held = None
            except OSError as exc:
                print(f"warning: cannot cache {make_printable(doc.source)}: {exc.strerror or exc}", file=sys.stderr)
        if self.progress is not None:
            self.progress.note_extracted(doc.source, result.status, result.pages)

    def extract_documents(self, indices: list[int]) -> None:
        assert self.progress is not None
        if not indices:
            self.progress.begin(0, 0, self.engine_kind)
            return
        engine = self.open_engine()
        self.progress.begin(len(indices), min(engine.workers, len(indices)), engine.name)
        for result in engine.map(self.tasks(indices), len(indices)):
            self.accept(result)
        self.progress.end()

    # -- 3. write

    def read_rows(self, doc: Doc) -> dict[str, Any] | None:
        """A document's rows, table by table (Arrow tables from the segment, else ``run.cache.Columns``
        values), or None when they do not hold."""
        if doc.segment is not None:
            if self.segment is None:
                assert self.cache_dir is not None and self.manifest is not None
                try:
                    self.segment = SegmentReader(self.cache_dir, self.manifest)
                except (OSError, ValueError):
                    return None
            return self.segment.take(doc.segment)
        if isinstance(doc.held, bytes):
            return decode_entry(doc.held, doc.source)
        if doc.held is not None:
            return to_columns(doc.held)
        if doc.entry is not None:
            return load_columns(doc.entry, doc.source)
        return None

    def load(self, index: int) -> dict[str, Any]:
        """The rows of document ``index``; rows in the cache that no longer hold are extracted again, here."""
        doc = self.docs[index]
        rows = self.read_rows(doc)
        if rows is None:
            self.say(f"the cached rows of {make_printable(doc.source)} no longer hold: extracting it again")
            doc.cached = False
            doc.segment = None
            doc.held = None
            for result in self.open_engine().map(self.tasks([index]), 1):
                self.accept(result)
            rows = self.read_rows(doc)
            if rows is None:
                raise RuntimeError(f"the rows of {doc.source} could not be read back from its cache entry")
        doc.held = None
        return rows

    def write(self, unlisted: list[tuple[Path, str]]) -> Totals:
        from ..output.tables import TableWriter

        writers: dict[str, TableWriter] = {}
        history = HistoryBuilder()
        totals = Totals()
        try:
            for table in TABLES:
                writers[table] = TableWriter(self.out, table)
            for index, doc in enumerate(self.docs):
                doc.listed = self.add(writers, history, totals, self.load(index))
            for folder, reason in unlisted:
                listed = self.add(writers, history, totals, to_columns(make_unlisted_rows(folder, self.raw, reason)))
                self.unlisted.append(replace(listed, source=name_source(folder, self.raw) + "/"))
            files, counts = encode_analysis_files(history, self.out)
            for table, writer in writers.items():
                files[f"{table}.parquet"] = writer.close()
        except BaseException:
            for writer in writers.values():
                writer.discard()
            raise
        replace_files(self.out, files)
        return totals

    def add(self, writers: dict[str, TableWriter], history: HistoryBuilder, totals: Totals,
            rows: dict[str, Any]) -> Listed:
        """Stream one document's rows (Arrow tables, or ``run.cache.Columns`` values) to the writers and
        the history; print its summary line; return what the manifest will say of it."""
        arrow = not isinstance(rows["documents"], list)
        for table, writer in writers.items():
            if arrow:
                writer.add_arrow(rows[table])
            else:
                writer.add_columns(rows[table])
        if arrow:
            [document] = rows["documents"].to_pylist()
            programs = rows["programs"].select(HISTORY_COLUMNS).to_pylist()
            counts = rows["programs"].num_rows, rows["program_items"].num_rows
        else:
            document = dict(zip(column_names("documents"), (values[0] for values in rows["documents"])))
            positions = [PROGRAM_COLUMNS.index(name) for name in HISTORY_COLUMNS]
            wanted = [rows["programs"][i] for i in positions]
            programs = [dict(zip(HISTORY_COLUMNS, values)) for values in zip(*wanted)]
            counts = len(rows["programs"][0]), len(rows["program_items"][0])
        history.add(document, programs)
        line = self.count(totals, document)
        return Listed("", None, False, counts[0], counts[1], document["status"] == "ok", line)

    def count(self, totals: Totals, document: dict[str, Any]) -> str:
        """Count a document in the totals and print its summary line; return the line."""
        line = format_summary(document)
        totals.documents += 1
        totals.programs += document["n_programs"]
        totals.items += document["n_items"]
        totals.failed += document["status"] != "ok"
        if self.verbosity or document["status"] != "ok":
            print(line)
        return line

    def record(self, unlisted: list[tuple[Path, str]]) -> None:
        """Keep this run's tables as the cache's segment, record the run in the manifest, then remove
        the entries now in the segment and the previous segment (see ``run.cache``)."""
        assert self.cache_dir is not None
        outputs = {name: hash_bytes_of(self.out / name) for name in OUTPUT_FILES}
        documents = tuple(replace(d.listed, source=d.source, digest=d.digest, final=d.final)
                          for d in self.docs if d.listed is not None) + tuple(self.unlisted)
        try:
            if any(digest is None for digest in outputs.values()):
                raise OSError("the tables just written cannot be read back")
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            segment = write_segment(self.cache_dir, {t: self.out / f"{t}.parquet" for t in TABLES})
            write_manifest(self.cache_dir, Manifest(self.fingerprint, self.limits.max_bytes, documents,
                                                    {k: v for k, v in outputs.items() if v is not None}, segment))
            prune_segments(self.cache_dir, {name for name, _ in segment.values()})
            prune_cache(self.cache_dir, set())
        except OSError as exc:
            print(f"warning: cannot keep this run's rows in {self.cache_dir}: {exc.strerror or exc}", file=sys.stderr)


def count_changes(manifest: Manifest | None, docs: list[Doc], unlisted: list[str]) -> dict[str, int]:
    """How the input differs from the last run's: new, changed, unchanged and removed documents."""
    previous = {d.source: d.digest for d in manifest.documents} if manifest is not None else {}
    changes = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
    current = [(d.source, d.digest) for d in docs] + [(source, None) for source in unlisted]
    for source, digest in current:
        if source not in previous:
            changes["new"] += 1
        elif previous[source] == digest:
            changes["unchanged"] += 1
        else:
            changes["changed"] += 1
    changes["removed"] = len(set(previous) - {source for source, _ in current})
    return changes


def describe_totals(totals: Totals, changes: dict[str, int], extracted: int, cached: int, unlisted: int,
                    out: Path, up_to_date: bool = False) -> str:
    """The last line of the summary."""
    folders = f", {unlisted} folder{'s' if unlisted != 1 else ''} not listed" if unlisted else ""
    how = "nothing extracted: the tables were up to date" if up_to_date else \
        f"{extracted} extracted, {cached} from the cache{folders}"
    return (f"{totals.documents} documents: {changes['new']} new, {changes['changed']} changed, "
            f"{changes['unchanged']} unchanged, {changes['removed']} removed, {totals.failed} failed "
            f"({how}); {totals.programs} programs, {totals.items} items → {out}")
