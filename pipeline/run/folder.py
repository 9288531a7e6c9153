"""Extract a folder: read every file, run the stages, write the tables and a summary.

Input: an input folder. Output: Parquet tables in the output folder, a progress line
per document on stderr and a summary on stdout. Unchanged documents are taken from the
cache in ``<out>/.cache`` (keyed by file bytes, path, size limit and pipeline version);
every other document is extracted within its limits (``run.workers``). The input folder's
``sources.csv``, when it has one, is applied to each document's rows after the cache
(``output.metadata.apply_manifest``); its problems that no document owns are printed as warnings.

Exit status: 0 when every document was extracted, 1 when any document failed (the
tables are written all the same), 2 when the run itself could not be done.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

from ..output.datapackage import build_datapackage
from ..output.files import PENDING, OutputError, complete_pending, lock_output, remove_temp_files
from ..output.history import make_history_rows
from ..output.metadata import apply_manifest
from ..output.rows import make_rows
from ..output.schema import ALL_TABLES, SCHEMA_DIR
from ..output.tables import encode_json, encode_parquet, write_tables
from ..parse.document import extract_document
from ..read.engines import DEFAULT_PDF_ENGINE
from ..read.files import READERS, find_reader, hash_input, name_source, scan_inputs
from ..read.manifest import read_manifest
from ..records import ReadFailure
from .cache import find_cache_folder, load_cache, prune_cache, save_cache
from .workers import Limits, extract_limited, make_failure_rows

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The files a run writes in its output folder (besides .lock, .pending and .cache/).
OUTPUT_FILES = tuple(f"{table}.parquet" for table in ALL_TABLES) + ("datapackage.json",)


def compute_fingerprint() -> str:
    """Hash the pipeline's code, schemas and tokenizer versions: a change redoes every document."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")) + sorted(PACKAGE_DIR.rglob("*.csv")) + sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(path.relative_to(path.parent if path.suffix == ".yaml" else PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    for dist in ("sudachipy", "sudachidict_core", "pdfplumber", "pypdfium2"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()[:16]


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


def encode_analysis_files(rows_by_doc: list[dict]) -> tuple[dict[str, bytes], dict[str, int]]:
    """Encode the outputs built from all documents: ``budget_history`` and ``datapackage.json``.

    Return the file bytes by name (written in the same change as the tables) and the row counts.
    """
    documents = [row for rows in rows_by_doc for row in rows["documents"]]
    programs = [row for rows in rows_by_doc for row in rows["programs"]]
    history = make_history_rows(documents, programs)
    files = {
        "budget_history.parquet": encode_parquet("budget_history", history),
        "datapackage.json": encode_json(build_datapackage()),
    }
    return files, {"budget_history": len(history)}


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


def run_extract(raw: Path, out: Path, max_bytes: int | None = None, use_cache: bool = True,
                limits: Limits | None = None, verbosity: int = 1, pdf_engine: str = DEFAULT_PDF_ENGINE) -> int:
    """Extract every file under ``raw`` into ``out`` (PDFs read by ``pdf_engine``); return the exit status (0, 1 or 2).

    Refused with status 2, and nothing written: a missing input folder, an output folder that
    is the input folder or lies inside it, and an input folder holding no file that a reader
    takes (empty, or only hidden files or files of other formats), which would replace good
    tables with empty ones.
    """
    limits = limits or Limits()
    if max_bytes is not None:
        limits = Limits(max_bytes, limits.timeout, limits.max_memory)
    problem = check_folders(raw, out)
    if problem is None:
        paths, unlisted = scan_inputs(raw)
        if any(folder == raw.resolve() for folder, _ in unlisted):
            problem = f"cannot list input folder {raw}: {unlisted[0][1]}"
        elif not any(find_reader(path)[1] is not None for path in paths):
            problem = describe_nothing(raw, paths, unlisted)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        with lock_output(out):
            return extract_folder(raw.resolve(), out, use_cache, limits, verbosity, pdf_engine)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write the tables to {out}: {exc.strerror or exc}; the previous tables are "
              "left as they were", file=sys.stderr)
        return 2


def extract_folder(raw: Path, out: Path, use_cache: bool, limits: Limits, verbosity: int = 1,
                   pdf_engine: str = DEFAULT_PDF_ENGINE) -> int:
    """The run itself, with ``out`` locked: extract or reuse each document, then write the tables.

    ``verbosity`` 0 prints only failed documents; 1 adds a progress line per document (stderr),
    the ``ok`` lines and the totals.
    """
    for table in complete_pending(out):
        if verbosity:
            print(f"replaced {table}, as an interrupted run had begun to", file=sys.stderr)
    for leftover in remove_temp_files(out, OUTPUT_FILES):
        if verbosity:
            print(f"removed {leftover.name}, left by an interrupted run", file=sys.stderr)
    paths, unlisted = scan_inputs(raw, exclude=(out,))
    manifest = read_manifest(raw, {name_source(path, raw) for path in paths})
    for problem in manifest.problems if manifest else ():
        print(f"warning: {make_printable(problem)}", file=sys.stderr)
    fingerprint = compute_fingerprint()
    cache_dir = find_cache_folder(out)
    if cache_dir is None:
        print(f"warning: {out / '.cache'} is a link or not a folder: running without the cache", file=sys.stderr)
    used: set[Path] = set()
    rows_by_doc = []
    redone = 0
    for n, path in enumerate(paths, start=1):
        source = name_source(path, raw)
        digest = hash_input(path, raw)
        cache_path = None
        rows = None
        if digest is not None and cache_dir is not None:
            key = hashlib.sha256(
                f"{fingerprint}\0{source}\0{limits.max_bytes}\0{pdf_engine}\0{digest}".encode("utf-8", "surrogateescape")
            ).hexdigest()[:24]
            cache_path = cache_dir / f"{key}.json"
            used.add(cache_path)
            if use_cache:
                rows = load_cache(cache_path, source)
        state = "cached"
        if rows is None:
            doc_id = digest[:16] if digest else ""
            try:
                rows, cacheable = extract_limited(path, raw, doc_id, limits, pdf_engine)
            except OSError as exc:
                rows, cacheable = make_failure_rows(path, raw, doc_id, "unreadable", str(exc)), False
            if cache_path is not None and cacheable:
                try:
                    save_cache(cache_path, rows)
                except OSError as exc:
                    print(f"warning: cannot cache {make_printable(source)}: {exc.strerror or exc}", file=sys.stderr)
            state = "extracted"
            redone += 1
        if verbosity:
            print(f"[{n}/{len(paths)}] {state:9} {make_printable(source)}", file=sys.stderr, flush=True)
        rows_by_doc.append(apply_manifest(rows, manifest))
    for folder, reason in unlisted:
        rows_by_doc.append(make_unlisted_rows(folder, raw, reason))
    analysis_files, analysis_counts = encode_analysis_files(rows_by_doc)
    counts = write_tables(out, rows_by_doc, analysis_files)
    counts.update(analysis_counts)
    if cache_dir is not None:
        prune_cache(cache_dir, used)
    failed = 0
    for rows in rows_by_doc:
        doc_row = rows["documents"][0]
        failed += doc_row["status"] != "ok"
        if verbosity or doc_row["status"] != "ok":
            print(format_summary(doc_row))
    if verbosity:
        print(
            f"{len(rows_by_doc)} documents ({redone} extracted, {len(paths) - redone} unchanged"
            + (f", {len(unlisted)} folder{'s' if len(unlisted) != 1 else ''} not listed" if unlisted else "") + "), "
            f"{counts['programs']} programs, {counts['program_items']} items, {failed} failed → {out}"
        )
    return 1 if failed else 0
