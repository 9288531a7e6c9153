"""Extract a folder: read every file, run the stages, write the tables and a summary.

Input: an input folder, the per-document limits, the PDF engine (``--pdf-engine``) and how to run
the documents (``--jobs``, ``--engine``). Output: Parquet tables in the output folder, progress on stderr (``run.progress``)
and a summary on stdout: a line per document, then the totals, with how many documents are new,
changed, unchanged or removed since the last run, and how many failed.

A run goes in three steps:

1. Plan: list the input folder, read and check its ``sources.csv`` when it has one
   (``read.manifest``: never a document; its problems that no document owns are printed as
   warnings), hash every file (but one whose status, size, times and inode, is the one the last run
   read, well after the file last changed: ``describe_status``) and find each document's rows in the cache (``run.cache``): in the
   last run's segment when the file has the bytes that run read and sources.csv states of it what
   it stated then, or in the journal of a run stopped since (keyed by file bytes, path, what
   sources.csv states of it, size limit, PDF engine and pipeline version). When the input is what
   the last run read, every document of it was final, and every output file still holds the bytes
   that run wrote, there is nothing to do: the tables are left as they are and the summary comes
   from the manifest.
2. Extract and write: every other document goes to an engine, within its limits: worker
   processes on this machine, which read its file themselves (``run.workers``; in this process with
   ``--timeout 0``), or a Dask cluster, sent its bytes (``run.cluster``), with what sources.csv
   states of it, applied to its rows there
   (``output.metadata.apply_manifest``); rows that may be cached are appended to the journal as
   they come back. Meanwhile the documents' rows are streamed, in input order, to the Parquet writers
   (``output.tables.TableWriter``): whatever the number of documents, the run holds the rows
   of the documents that came back before their turn (a few), one row group per table in Arrow,
   and the budget history's candidates up to a bound (``output.history.HistoryBuilder``), plus a
   few hashes per document; each document's entry in the manifest, its summary line included, goes
   to a temporary file beside the tables (``run.cache.Listing``). The workers are forked before the
   run loads pyarrow, and it loads it (opens the writers) once they have their first documents.
3. The tables, the history and the data package replace the previous files as one change
   (``output.files.replace_files``); then the tables are copied into the cache as its segment,
   the manifest records the run, and the journal, now in the segment, is removed.

Exit status: 0 when every document was extracted, 1 when any document failed (the
tables are written all the same), 2 when the run itself could not be done.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
import stat
import sys
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..output.datapackage import build_datapackage
from ..output.files import PENDING, OutputError, complete_pending, lock_output, remove_temp_files, replace_files
from ..output.history import PROGRAM_FIELDS, HistoryBuilder
from ..output.rows import make_rows
from ..output.schema import ALL_TABLES, SCHEMA_DIR, TABLES, column_names
from ..parse.document import extract_document
from ..read.engines import DEFAULT_PDF_ENGINE, PDF_ENGINES
from ..read.files import READERS, find_reader, hash_file, hash_input, name_source, scan_inputs
from ..read.manifest import hash_entry, select_entry
from ..read.manifest import read_manifest as read_sources
from ..records import Manifest as Sources
from ..records import ReadFailure
from .cache import (
    JOURNAL,
    TEMP_NAMES,
    Columns,
    Journal,
    Listed,
    Listing,
    Manifest,
    SegmentReader,
    decode_entry,
    find_cache_folder,
    hash_bytes_of,
    prune_cache,
    prune_segments,
    read_manifest,
    to_columns,
    write_manifest,
    write_segment,
)
from .progress import Checking, Progress
from .workers import EngineError, Limits, Page, Result, Task, make_local_engine, make_rows_result, take_in

if TYPE_CHECKING:
    from ..output.tables import TableWriter

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The files a run writes in its output folder (besides .lock, .pending and .cache/).
OUTPUT_FILES = tuple(f"{table}.parquet" for table in ALL_TABLES) + ("datapackage.json",)
ENGINES = ("local", "dask")
RUN_GC_THRESHOLDS = (50_000, 20, 100)


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def compute_fingerprint(pdf_engine: str = DEFAULT_PDF_ENGINE) -> str:
    """Hash the pipeline's code, schemas, library versions, the PDF engine and the OCR (Tesseract's version, or
    none): a change redoes every document."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")) + sorted(PACKAGE_DIR.rglob("*.csv")) + sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(path.relative_to(path.parent if path.suffix == ".yaml" else PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    for dist in ("sudachipy", "sudachidict_core", "pdfplumber", "pypdfium2"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    h.update(f"pdf_engine={pdf_engine}".encode())
    from ..read.tesseract import describe_ocr  # whether scanned pages are read, and by which Tesseract

    h.update(f"ocr={describe_ocr()}".encode())
    return h.hexdigest()[:16]


def read_plain_status(path: str | Path) -> os.stat_result | None:
    """The status of a regular file that is no link, or None. ``scan_inputs`` never enters a linked folder,
    so such a file lies in the input folder, and ``read.files.hash_input`` (which resolves every path, to find
    links that lead out) would hash it all the same."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


# A file's status (size, times, inode, device) stands for its bytes in the next run, which then does not
# hash them again, only when the file last changed this long before the run that read the status began:
# a change after that run read it gives the file another change time (``st_ctime``, which no program sets)
# even on a file system whose clock ticks coarsely (two seconds for FAT's modification times).
STATUS_MARGIN_NS = 2_000_000_000


def describe_status(info: os.stat_result, began_ns: int) -> str:
    """A regular file's status, as the next run compares it (``Run.plan``), or "" when it may not stand for
    the file's bytes: the file changed within ``STATUS_MARGIN_NS`` of ``began_ns`` (when the run began), or
    its file system gives no times."""
    if not info.st_ctime_ns or not info.st_mtime_ns \
            or max(info.st_ctime_ns, info.st_mtime_ns) >= began_ns - STATUS_MARGIN_NS:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"


def hash_plain_file(path: str | Path) -> str | None:
    """``read.files.hash_file`` of a regular file, or None when it cannot be read."""
    try:
        return hash_file(path)
    except OSError:
        return None


def compute_cache_key(fingerprint: str, source: str, max_bytes: int, digest: str, stated: str = "") -> str:
    """The key of a document's entry in the journal: what its rows depend on (``stated``: ``read.manifest.hash_entry``)."""
    return hashlib.sha256(f"{fingerprint}\0{source}\0{max_bytes}\0{digest}\0{stated}".encode("utf-8", "surrogateescape")
                          ).hexdigest()[:24]


ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def make_printable(text: str) -> str:
    """Write control, format (bidi, zero-width) and line-separator characters as escapes (``\\n``,
    ``\\u202e``): a file name or a message can then neither break a summary line in two nor
    reorder it on screen."""
    if text.isprintable():  # no control, format or separator character but the space: most names and lines
        return text
    out = []
    for ch in text:
        if not ch.isprintable() and unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}:
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


def describe_nothing(raw: Path, files: int, unlisted: list[tuple[Path, str]]) -> str:
    """The error of an input folder without a file any reader takes (``files``: how many it holds)."""
    skipped = f"{files} file{'s' if files != 1 else ''} with no reader for its suffix" if files else "no files"
    folders = f", {len(unlisted)} folder{'s' if len(unlisted) != 1 else ''} that cannot be listed" if unlisted else ""
    suffixes = ", ".join(sorted(READERS))
    return (f"nothing to extract in {raw}: {skipped}{folders} (read: {suffixes}; hidden files never); "
            "the previous tables are left as they are")


def check_engine(engine: str, pdf_engine: str = DEFAULT_PDF_ENGINE) -> str | None:
    """Say why ``engine`` (or ``pdf_engine``) cannot be used here, or return None."""
    if pdf_engine not in PDF_ENGINES:
        return f"unknown PDF engine {pdf_engine!r} (one of {', '.join(PDF_ENGINES)})"
    if engine not in ENGINES:
        return f"unknown engine {engine!r} (one of {', '.join(ENGINES)})"
    if engine == "dask":
        from .cluster import find_dask_problem

        return find_dask_problem()
    return None


def run_extract(raw: Path, out: Path, max_bytes: int | None = None, use_cache: bool = True,
                limits: Limits | None = None, verbosity: int = 1, jobs: int | None = None,
                engine: str = "local", scheduler: str | None = None, pdf_engine: str = DEFAULT_PDF_ENGINE,
                manifest: Path | None = None) -> int:
    """Extract every file under ``raw`` into ``out`` (PDFs read by ``pdf_engine``; what the publisher
    states of them from ``raw``'s sources.csv, or from ``manifest``); return the exit status (0, 1 or 2).

    Refused with status 2, and nothing written: a missing input folder, an output folder that
    is the input folder or lies inside it, and an input folder holding no file that a reader
    takes (empty, or only hidden files or files of other formats), which would replace good
    tables with empty ones; an engine that cannot be used; a named manifest that is not a file.
    """
    limits = limits or Limits()
    if max_bytes is not None:
        limits = Limits(max_bytes, limits.timeout, limits.max_memory)
    problem = check_folders(raw, out) or check_engine(engine, pdf_engine)
    if problem is None and manifest is not None and not manifest.is_file():
        problem = f"manifest {manifest} is not a file"
    if problem is None:
        inputs, unlisted = scan_inputs(raw, exclude=(out,))
        if any(folder == raw.resolve() for folder, _ in unlisted):
            problem = f"cannot list input folder {raw}: {unlisted[0][1]}"
        elif not any(find_reader(Path(path))[1] is not None for path, _ in inputs):
            problem = describe_nothing(raw, len(inputs), unlisted)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    run = Run(raw.resolve(), out, use_cache, limits, verbosity, jobs or default_jobs(), engine, scheduler, pdf_engine,
              manifest)
    thresholds = gc.get_threshold()
    gc.set_threshold(*RUN_GC_THRESHOLDS)  # many short-lived rows, few cycles: collect less often
    try:
        with lock_output(out):
            return run.extract((inputs, unlisted))
    except (OutputError, EngineError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write the tables to {out}: {exc.strerror or exc}; the previous tables are "
              "left as they were", file=sys.stderr)
        return 2
    finally:
        gc.set_threshold(*thresholds)


def extract_folder(raw: Path, out: Path, use_cache: bool, limits: Limits, verbosity: int = 1,
                   pdf_engine: str = DEFAULT_PDF_ENGINE) -> int:
    """The run itself, with ``out`` locked (see ``Run``), on the cores of this machine (PDFs read by ``pdf_engine``)."""
    return Run(raw, out, use_cache, limits, verbosity, default_jobs(), "local", None, pdf_engine).extract()


@dataclass(slots=True)
class Doc:
    """One input file of the run, and where its rows are."""

    path: str  # its path (a string: a ``Path`` costs some 500 bytes more, for every document of the run)
    source: str
    digest: str | None  # SHA-256 of its bytes (None: a link out, not a regular file, unreadable); its cache
    # key comes from it (``Run.find_key``: made when asked, not kept: some 70 bytes a document)
    segment: int | None = None  # its place in the last run's segment, when its rows are taken from there
    cached: bool = False  # its rows come from the cache
    final: bool = False  # its rows are not those of a limit or a crash
    held: Columns | None = None  # its rows kept in memory until they are written
    done: bool = False  # extracted (its rows held, or in the journal)
    sources: Sources | None = None  # what the input folder's sources.csv states of it (``read.manifest.select_entry``)
    stated: str = ""  # its hash (``read.manifest.hash_entry``): part of the cache key
    seen: str = ""  # its file's status when it was hashed (``describe_status``), for the manifest


Rows = dict[str, list[dict[str, Any]]]
# Unchanged documents read from the segment at once, at most.
SEGMENT_STRETCH = 256
# Extracted rows held in memory, waiting for the documents before them: past this many, the rows
# of a document are read back from the journal when its turn comes.
MAX_HELD = 64


@dataclass
class Totals:
    documents: int = 0
    programs: int = 0
    items: int = 0
    failed: int = 0


PROGRAM_COLUMNS = column_names("programs")
# History rows are converted to Arrow when they list this many candidates in all.
HISTORY_BATCH = 4096
# The columns of ``programs`` the budget history reads.
HISTORY_COLUMNS = list(PROGRAM_FIELDS)


def encode_analysis_files(history: HistoryBuilder, out: Path) -> tuple[dict[str, bytes | Path], dict[str, int]]:
    """Write the outputs built from all documents: ``budget_history`` (to a temporary file) and
    ``datapackage.json``; return the files by name and the history's row count."""
    from ..output.tables import TableWriter, encode_json

    writer = TableWriter(out, "budget_history", convert_each=True)
    try:
        batch: list[dict[str, Any]] = []
        size = 0
        for row in history.iter_rows():
            batch.append(row)
            size += 1 + row["n_candidates"]  # a program printed by many documents lists them all
            if size >= HISTORY_BATCH:
                writer.add_rows(batch)
                batch, size = [], 0
        writer.add_rows(batch)
        path = writer.close()
    except BaseException:
        writer.discard()
        raise
    return {"budget_history.parquet": path, "datapackage.json": encode_json(build_datapackage())}, \
        {"budget_history": writer.rows}


def warm_up_conversion() -> None:
    """Make the first conversion of values to Arrow (``output.tables.prepare_conversion``: without
    pandas) while the workers read their first documents, not at the end."""
    from ..output.tables import prepare_conversion

    prepare_conversion()


def use_system_memory() -> None:
    """Have pyarrow allocate with the C library's ``malloc`` in this process when it is not loaded yet
    (and ``ARROW_DEFAULT_MEMORY_POOL`` names no pool): mimalloc, its default, keeps the pages of the row
    groups written for later, which made the run's peak grow with the number of documents (on 10,000:
    273 MiB with mimalloc, 249 MiB with ``malloc``, whose pages ``release_unused`` gives back). Arrow
    reads the variable when it loads; the workers are started before."""
    if "pyarrow" not in sys.modules and not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"


class Writers:
    """The tables being written, a document at a time in input order, with the budget history."""

    def __init__(self, out: Path):
        use_system_memory()
        from ..output.tables import TableWriter

        self.out = out
        self.tables: dict[str, TableWriter] = {}
        self.history = HistoryBuilder(spill=out / "budget_history.parquet")
        self.totals = Totals()
        try:
            for table in TABLES:
                self.tables[table] = TableWriter(out, table)
            warm_up_conversion()
        except BaseException:  # a signal too: the files begun are removed
            self.discard()
            raise

    def add(self, rows: dict[str, Any]) -> Listed:
        """Stream one document's rows (Arrow tables, or ``run.cache.Columns`` values) to the tables and the
        history; return what the manifest will say of it (its summary line included)."""
        if isinstance(rows["documents"], list):  # values
            for table, writer in self.tables.items():
                writer.add_columns(rows[table])
            document = dict(zip(column_names("documents"), (values[0] for values in rows["documents"])))
            programs = {name: rows["programs"][PROGRAM_COLUMNS.index(name)] for name in HISTORY_COLUMNS}
            counts = len(rows["programs"][0]), len(rows["program_items"][0])
        else:  # Arrow, from the segment
            for table, writer in self.tables.items():
                writer.add_arrow(rows[table])
            [document] = rows["documents"].to_pylist()
            programs = rows["programs"].select(HISTORY_COLUMNS).to_pydict()
            counts = rows["programs"].num_rows, rows["program_items"].num_rows
        self.history.add_columns(document, programs)
        return self.count(document, counts)

    def add_many(self, rows: dict[str, Any]) -> list[Listed]:
        """Stream the rows of consecutive documents (Arrow tables, from the segment), as ``add`` does."""
        for table, writer in self.tables.items():
            writer.add_arrow(rows[table])
        programs = rows["programs"].select(HISTORY_COLUMNS).to_pydict()
        listed = []
        start = 0
        for document in rows["documents"].to_pylist():
            end = start + document["n_programs"]
            self.history.add_columns(document, {name: values[start:end] for name, values in programs.items()})
            listed.append(self.count(document, (document["n_programs"], document["n_items"])))
            start = end
        return listed

    def count(self, document: dict[str, Any], counts: tuple[int, int]) -> Listed:
        self.totals.documents += 1
        self.totals.programs += document["n_programs"]
        self.totals.items += document["n_items"]
        self.totals.failed += document["status"] != "ok"
        return Listed("", None, False, counts[0], counts[1], document["status"] == "ok", format_summary(document))

    def finish(self) -> dict[str, bytes | Path]:
        """Close every table; return the files to put in place."""
        files, _ = encode_analysis_files(self.history, self.out)
        for table, writer in self.tables.items():
            files[f"{table}.parquet"] = writer.close()
        return files

    def discard(self) -> None:
        for writer in self.tables.values():
            writer.discard()
        self.history.discard()


class Run:
    """One extraction of ``raw`` into ``out`` (locked by the caller): see the module notes."""

    def __init__(self, raw: Path, out: Path, use_cache: bool, limits: Limits, verbosity: int, jobs: int,
                 engine: str, scheduler: str | None, pdf_engine: str = DEFAULT_PDF_ENGINE,
                 manifest: Path | None = None):
        self.raw, self.out, self.use_cache, self.limits = raw, out, use_cache, limits
        self.manifest_path = manifest  # a manifest named on the command line, else raw's sources.csv
        self.verbosity, self.jobs, self.engine_kind, self.scheduler = verbosity, jobs, engine, scheduler
        self.pdf_engine = pdf_engine
        self.engine: Any = None
        self.progress: Progress | None = None
        self.docs: list[Doc] = []
        self.cache_dir: Path | None = None
        self.manifest: Manifest | None = None
        self.sources: Sources | None = None  # the input folder's sources.csv
        self.segment: SegmentReader | None = None
        self.journal: Journal | None = None
        self.writers: Writers | None = None
        self.listing: Listing | None = None  # the documents written, as the manifest will list them
        self.queue: deque[int] = deque()  # documents to extract, in order
        self.written = 0  # documents written to the tables so far (in order)
        self.held = 0  # documents whose extracted rows are held in memory
        self.unlisted: list[Listed] = []  # the manifest's lines of the folders that could not be listed
        self.fingerprint = ""
        self.began_ns = 0  # when the run began (``describe_status``)

    def say(self, message: str) -> None:
        if self.verbosity:
            print(message, file=sys.stderr)

    def extract(self, scanned: tuple[list[tuple[str, str]], list[tuple[Path, str]]] | None = None) -> int:
        """Run (see the class notes) on the input files ``read.files.scan_inputs`` listed, when the caller has
        listed them (``scanned``: the list of files is emptied as they are planned), else on a new listing."""
        out = self.out
        self.began_ns = time.time_ns()
        for table in complete_pending(out):
            self.say(f"replaced {table}, as an interrupted run had begun to")
        for leftover in remove_temp_files(out, OUTPUT_FILES, TEMP_NAMES):
            self.say(f"removed {leftover.name}, left by an interrupted run")
        inputs, unlisted = scanned if scanned is not None else scan_inputs(self.raw, exclude=(out,))
        self.sources = read_sources(self.raw, {source for _, source in inputs}, self.manifest_path)
        for problem in self.sources.problems if self.sources else ():
            print(f"warning: {make_printable(problem)}", file=sys.stderr)
        self.fingerprint = compute_fingerprint(self.pdf_engine)
        self.cache_dir = find_cache_folder(out)
        if self.cache_dir is None:
            print(f"warning: {out / '.cache'} is a link or not a folder: running without the cache", file=sys.stderr)
        previous = read_manifest(self.cache_dir)
        if previous is not None and previous.fingerprint == self.fingerprint \
                and previous.max_bytes == self.limits.max_bytes:
            self.manifest = previous  # else another version of the pipeline or size limit: its rows do not hold
        # source → (status, digest) of each file the last run hashed, whose status it may trust
        known = {d.source: (d.seen, d.digest) for d in previous.documents
                 if d.seen and d.digest is not None} if previous is not None and self.use_cache else {}
        checking = Checking(len(inputs), self.verbosity)
        self.docs = []
        for path, source in inputs:
            self.docs.append(self.plan(path, source, known))
            checking.note_checked(len(self.docs))
        inputs.clear()  # the documents keep their paths
        del known
        changes = count_changes(previous, self.docs, [name_source(f, self.raw) + "/" for f, _ in unlisted])
        if self.use_cache and self.is_up_to_date(unlisted):
            return self.report_unchanged(changes)
        self.progress = Progress(len(self.docs) + len(unlisted), self.verbosity, printable=make_printable)
        try:
            if self.cache_dir is not None:
                self.journal = Journal(self.cache_dir)
            self.queue.extend(self.find_cached())
            files = self.write(unlisted)
        except BaseException:
            if self.writers is not None:
                self.writers.discard()
            if self.listing is not None:
                self.listing.discard()
            # A signal may land while a table's file is begun, before its writer can discard it: nothing
            # is replacing the tables yet, so no temporary file of this run's names is needed.
            remove_temp_files(out, OUTPUT_FILES, TEMP_NAMES)
            raise
        finally:
            self.progress.end()
            if self.segment is not None:
                self.segment.close()
            if self.engine is not None:
                self.engine.close()
                self.engine = None
            if self.journal is not None:
                self.journal.close()
        assert self.listing is not None
        try:
            replace_files(out, files)
            self.print_summaries()
            if self.cache_dir is not None:
                self.record()
        finally:
            self.listing.discard()
        assert self.writers is not None
        totals = self.writers.totals
        extracted = sum(1 for d in self.docs if not d.cached)
        if self.verbosity:
            print(describe_totals(totals, changes, extracted, len(self.docs) - extracted, len(unlisted), out))
        return 1 if totals.failed else 0

    def print_summaries(self) -> None:
        """Print the summary line of every document written (of a failed one only, when quiet)."""
        assert self.listing is not None
        lines: list[str] = []
        for entry in itertools.chain(self.listing, self.unlisted):
            if self.verbosity or not entry.ok:
                lines.append(entry.summary)
                if len(lines) >= 1024:
                    print("\n".join(lines))
                    lines = []
        if lines:
            print("\n".join(lines))

    # -- 1. plan

    def plan(self, path: str, source: str, known: dict[str, tuple[str, str]]) -> Doc:
        """A document of the input (a file and its source name): its file hashed, unless the last run hashed
        it and its status is the same (``describe_status``: a file that did not change since; ``known``:
        source → that run's status and digest), then its digest is that run's."""
        info = read_plain_status(path)
        seen = ""
        if info is None:
            digest = hash_input(Path(path), self.raw)
        else:
            seen = describe_status(info, self.began_ns)
            last = known.get(source)
            digest = last[1] if seen and last is not None and last[0] == seen else hash_plain_file(path)
        sources = select_entry(self.sources, source)
        stated = hash_entry(sources)
        return Doc(path, source, digest, sources=sources, stated=stated, seen=seen)

    def find_key(self, doc: Doc) -> str | None:
        """A document's cache key, or None (no cache folder, or its bytes not hashed)."""
        if doc.digest is None or self.cache_dir is None:
            return None
        return compute_cache_key(self.fingerprint, doc.source, self.limits.max_bytes, doc.digest, doc.stated)

    def is_up_to_date(self, unlisted: list[tuple[Path, str]]) -> bool:
        """Tell whether the tables already are what this run would write (see the module notes)."""
        manifest = self.manifest
        if manifest is None or unlisted or len(manifest.documents) != len(self.docs):
            return False
        for listed, doc in zip(manifest.documents, self.docs):
            if (not listed.final or listed.digest is None or listed.source != doc.source or listed.digest != doc.digest
                    or listed.stated != doc.stated):
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
            if (self.cache_dir / JOURNAL).is_file():
                Journal(self.cache_dir).remove()  # what a stopped run left: the tables are those of the input
        if self.verbosity:
            print(describe_totals(totals, changes, 0, len(self.docs), 0, self.out, up_to_date=True))
        return 1 if totals.failed else 0

    def find_segment(self) -> dict[tuple[str, str, str], int]:
        """Map (source, digest, what sources.csv stated) to the place of each final document of the last
        run's segment, when the segment's files are the ones its manifest names."""
        manifest = self.manifest
        if manifest is None or self.cache_dir is None or set(manifest.segment) != set(TABLES):
            return {}
        for name, digest in manifest.segment.values():
            if hash_bytes_of(self.cache_dir / name) != digest:
                return {}
        return {(d.source, d.digest, d.stated): n for n, d in enumerate(manifest.documents)
                if d.final and d.digest is not None}

    def find_cached(self) -> list[int]:
        """Find each document's rows in the cache (the segment first, in its order, then the journal);
        return the indices of the documents to extract."""
        assert self.progress is not None
        in_segment = self.find_segment() if self.use_cache else {}
        last = -1
        to_extract = []
        for index, doc in enumerate(self.docs):
            place = in_segment.get((doc.source, doc.digest, doc.stated)) if doc.digest is not None else None
            if place is not None and place > last:  # read in the segment's order
                doc.segment = last = place
                doc.cached = doc.final = True
                self.progress.note_cached(doc.source)
            elif self.use_cache and self.journal is not None and (key := self.find_key(doc)) is not None \
                    and key in self.journal:
                doc.cached = doc.final = True
                self.progress.note_cached(doc.source)
            else:
                to_extract.append(index)
        return to_extract

    # -- 2. extract, and 3. write, in input order as the rows come

    def open_engine(self) -> Any:
        if self.engine is None:
            def on_page(page: Page) -> None:
                if self.progress is not None:
                    self.progress.note_page(self.docs[page.index].source, page.number, page.total)

            if self.engine_kind == "dask":
                from .cluster import DaskEngine

                self.engine = DaskEngine(self.jobs, self.limits, self.scheduler, tick=self.tick)
            else:
                pdf = any(self.docs[index].path.lower().endswith(".pdf") for index in self.queue)
                self.engine = make_local_engine(self.jobs, self.limits, on_page, tick=self.tick,
                                                pdf_engine=self.pdf_engine if pdf else None)
        return self.engine

    def tick(self) -> None:
        if self.progress is not None:
            self.progress.tick()

    def tasks(self) -> Iterator[Task]:
        """The documents to extract (``queue``, which may grow as they are taken), each read as a worker
        asks for it: by the worker itself, for an engine that reads files (``reads_files``) and a regular
        file a reader reads, else here; files settled without a worker (no reader, too large, a link out of
        the folder) are accepted here."""
        reads_files = getattr(self.engine, "reads_files", False)
        while self.queue:
            index = self.queue.popleft()
            doc = self.docs[index]
            if reads_files and doc.digest is not None:  # a regular file a reader reads: the worker reads it
                path = Path(doc.path)
                fmt, reader = find_reader(path)
                info = read_plain_status(doc.path) if reader is not None else None
                if info is not None and info.st_size <= self.limits.max_bytes:
                    yield Task(index, doc.source, path.suffix, fmt, doc.digest, b"", self.pdf_engine, doc.sources,
                               doc.path, str(self.raw), self.limits.max_bytes, info.st_size)
                    continue
            item = take_in(Path(doc.path), self.raw, index, self.limits.max_bytes, self.pdf_engine, doc.sources,
                           scanned=True)
            if isinstance(item, Task):
                if item.digest != doc.digest:  # the file changed since it was hashed
                    self.note_digest(doc, item.digest)
                yield item
            else:
                self.accept(make_rows_result(index, item))

    def note_digest(self, doc: Doc, digest: str) -> None:
        """The bytes read for extraction are not those hashed in the plan (the file changed in between):
        its rows are cached under the key of what was read."""
        doc.seen = ""  # the status read before does not stand for these bytes
        if self.cache_dir is not None:
            doc.digest = digest  # (and so its key, ``find_key``)

    def accept(self, result: Result) -> None:
        """Keep a document's rows as they come: its entry is appended to the journal when it may be
        cached, and its rows are held in memory until they are written (up to ``MAX_HELD`` documents)."""
        doc = self.docs[result.index]
        if result.digest is not None and result.digest != doc.digest:  # the worker read the file as it changed
            self.note_digest(doc, result.digest)
        doc.final = result.cacheable
        doc.done = True
        if result.rows is not None:
            doc.held = to_columns(result.rows)
        else:
            assert result.entry is not None
            doc.held = decode_entry(result.entry, doc.source, trusted=True)
        journaled = False
        key = self.find_key(doc)
        if result.cacheable and result.entry is not None and key is not None and self.journal is not None:
            try:
                self.journal.append(key, result.entry)
                journaled = True
            except OSError as exc:
                print(f"warning: cannot cache {make_printable(doc.source)}: {exc.strerror or exc}", file=sys.stderr)
        if journaled and self.held >= MAX_HELD:
            doc.held = None  # read back from the journal when its turn comes
        elif doc.held is not None:
            self.held += 1
        if self.progress is not None:
            self.progress.note_extracted(doc.source, result.status, result.pages)

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
        if doc.held is not None:  # from a worker of this run, through its pipe, or made here
            return doc.held
        key = self.find_key(doc)
        if key is not None and self.journal is not None:
            entry = self.journal.read(key)
            return decode_entry(entry, doc.source) if entry is not None else None
        return None

    def drain(self) -> None:
        """Write the documents whose rows are at hand, in input order, up to the first one still being
        extracted; a cached document whose rows no longer hold goes back to be extracted."""
        while self.written < len(self.docs):
            doc = self.docs[self.written]
            if not (doc.cached or doc.done):
                return
            self.open_writers()  # before the segment is read: pyarrow is loaded as the writers need it
            if doc.segment is not None and self.write_from_segment():
                continue
            rows = self.read_rows(doc)
            if doc.held is not None:
                self.held -= 1
                doc.held = None
            if rows is None:
                if doc.done:
                    raise RuntimeError(f"the rows of {doc.source} could not be read back")
                self.say(f"the cached rows of {make_printable(doc.source)} no longer hold: extracting it again")
                doc.cached = False
                doc.segment = None
                self.queue.append(self.written)
                return
            self.list_document(doc, self.open_writers().add(rows))
            self.written += 1

    def write_from_segment(self) -> bool:
        """Write the next documents at once when they follow each other in the segment (an unchanged
        stretch of the input: up to ``SEGMENT_STRETCH``); return False when their rows do not hold (they
        are then taken one by one, to tell which)."""
        first = self.docs[self.written]
        assert first.segment is not None
        count = 1
        while (count < SEGMENT_STRETCH and self.written + count < len(self.docs)
               and self.docs[self.written + count].segment == first.segment + count):
            count += 1
        if count == 1:
            return False
        if self.segment is None:
            assert self.cache_dir is not None and self.manifest is not None
            try:
                self.segment = SegmentReader(self.cache_dir, self.manifest)
            except (OSError, ValueError):
                return False
        rows = self.segment.take(first.segment, count)
        if rows is None:
            self.segment.close()
            self.segment = None  # read again from the start, a document at a time
            return False
        docs = self.docs[self.written:self.written + count]
        for doc, listed in zip(docs, self.open_writers().add_many(rows)):
            self.list_document(doc, listed)
        self.written += count
        return True

    def list_document(self, doc: Doc, listed: Listed) -> None:
        """Keep what the manifest will say of a document just written (in ``listing``, on disk)."""
        assert self.listing is not None
        self.listing.append(replace(listed, source=doc.source, digest=doc.digest, final=doc.final, stated=doc.stated,
                                    seen=doc.seen))

    def write(self, unlisted: list[tuple[Path, str]]) -> dict[str, bytes | Path]:
        """Extract what is not cached and write every document's rows, in input order; return the files."""
        assert self.progress is not None
        if self.queue:
            engine = self.open_engine()
            engine.start(len(self.queue))  # workers are forked before pyarrow is loaded here
            self.progress.begin(len(self.queue), min(engine.workers, len(self.queue)), engine.name)
        else:
            self.progress.begin(0, 0, self.engine_kind)
        self.listing = Listing(self.out / "documents.parquet")
        if not self.queue:
            self.drain()
        while self.written < len(self.docs):
            if not self.queue:
                raise RuntimeError(f"nothing is extracting {self.docs[self.written].source}")
            engine = self.open_engine()
            # the writers are opened once the workers have their first documents, while they read them
            for result in engine.map(self.tasks(), len(self.queue), ready=self.open_writers):
                self.accept(result)
                self.drain()
            self.drain()
        self.progress.end()
        writers = self.open_writers()
        for folder, reason in unlisted:
            listed = writers.add(to_columns(make_unlisted_rows(folder, self.raw, reason)))
            self.unlisted.append(replace(listed, source=name_source(folder, self.raw) + "/"))
        return writers.finish()

    def open_writers(self) -> Writers:
        """The table writers, opened on first use (they load pyarrow: the workers are forked before)."""
        if self.writers is None:
            self.writers = Writers(self.out)
        return self.writers

    def record(self) -> None:
        """Keep this run's tables as the cache's segment, record the run in the manifest, then remove
        the journal, folded into the segment, and the previous segment (see ``run.cache``)."""
        assert self.cache_dir is not None
        assert self.listing is not None
        outputs = {name: hash_bytes_of(self.out / name) for name in OUTPUT_FILES}
        documents = itertools.chain(self.listing, self.unlisted)
        try:
            if any(digest is None for digest in outputs.values()):
                raise OSError("the tables just written cannot be read back")
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            segment = write_segment(self.cache_dir, {t: self.out / f"{t}.parquet" for t in TABLES})
            write_manifest(self.cache_dir, Manifest(self.fingerprint, self.limits.max_bytes, (),
                                                    {k: v for k, v in outputs.items() if v is not None}, segment),
                           documents)
            prune_segments(self.cache_dir, {name for name, _ in segment.values()})
            if self.journal is not None:
                self.journal.remove()
            prune_cache(self.cache_dir, set())
        except OSError as exc:
            print(f"warning: cannot keep this run's rows in {self.cache_dir}: {exc.strerror or exc}", file=sys.stderr)


def count_changes(manifest: Manifest | None, docs: list[Doc], unlisted: list[str]) -> dict[str, int]:
    """How the input differs from the last run's: new, changed, unchanged and removed documents (a
    document whose bytes are the same but not what sources.csv states of it is changed)."""
    previous = {d.source: (d.digest, d.stated) for d in manifest.documents} if manifest is not None else {}
    changes = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
    current = [(d.source, (d.digest, d.stated)) for d in docs] + [(source, (None, "")) for source in unlisted]
    for source, state in current:
        if source not in previous:
            changes["new"] += 1
        elif previous[source] == state:
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
