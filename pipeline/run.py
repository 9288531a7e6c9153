"""Extract a folder: read every file, run the stages, write the tables and a summary.

Input: an input folder. Output: Parquet tables in the output folder, a progress line
per document on stderr and a summary on stdout. Unchanged documents are taken from the
cache in ``<out>/.cache`` (keyed by file bytes, path and pipeline version).
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from .data import ReadFailure
from .extract import extract_document
from .reader import DEFAULT_MAX_BYTES, list_inputs, read_document
from .writer import SCHEMA_DIR, encode_json, load_cache, make_rows, save_cache, write_atomic, write_table, write_tables

PACKAGE_DIR = Path(__file__).resolve().parent


def compute_fingerprint() -> str:
    """Hash the pipeline's code, schemas and tokenizer versions: a change redoes every document."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")) + sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for dist in ("sudachipy", "sudachidict_core", "pdfplumber"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()[:16]


def format_summary(row: dict) -> str:
    """One line per document: status, source, programs, fiscal year, warnings or error."""
    if row["status"] != "ok":
        return f"FAIL {row['source']}: {row['status']}: {row['error']}"
    fy = f"FY{row['fiscal_year']}" if row["fiscal_year"] else "FY?"
    basis = row["budget_basis"] or "-"
    warn = "; ".join(row["warnings"])
    return (
        f"ok   {row['source']}: {row['n_programs']} programs, {row['n_items']} items, {fy} {basis}"
        + (f" | warnings: {warn}" if warn else "")
    )


def write_analysis_tables(out: Path, rows_by_doc: list[dict]) -> dict[str, int]:
    """Write the tables built from all documents (``budget_history``) and ``datapackage.json``."""
    from .datapackage import build_datapackage
    from .history import make_history_rows

    documents = [row for rows in rows_by_doc for row in rows["documents"]]
    programs = [row for rows in rows_by_doc for row in rows["programs"]]
    counts = {"budget_history": write_table(out, "budget_history", make_history_rows(documents, programs))}
    write_atomic(out / "datapackage.json", encode_json(build_datapackage()))
    return counts


def run_extract(raw: Path, out: Path, max_bytes: int = DEFAULT_MAX_BYTES, use_cache: bool = True) -> int:
    """Extract every file under ``raw`` into ``out``; return the exit status."""
    if not raw.is_dir():
        print(f"error: input folder {raw} does not exist", file=sys.stderr)
        return 2
    raw = raw.resolve()
    paths = list_inputs(raw)
    fingerprint = compute_fingerprint()
    cache_dir = out / ".cache"
    used: set[Path] = set()
    rows_by_doc = []
    redone = 0
    for n, path in enumerate(paths, start=1):
        source = path.relative_to(raw).as_posix()
        try:
            key_bytes = path.read_bytes() if path.stat().st_size <= max_bytes else str(path.stat().st_size).encode()
        except OSError as exc:
            key_bytes = str(exc).encode()
        key = hashlib.sha256(fingerprint.encode() + source.encode() + b"\0" + key_bytes).hexdigest()[:24]
        cache_path = cache_dir / f"{key}.json"
        used.add(cache_path)
        rows = load_cache(cache_path) if use_cache else None
        state = "cached"
        if rows is None:
            try:
                doc = read_document(path, raw, max_bytes=max_bytes)
            except OSError as exc:
                doc = ReadFailure(source, path.suffix.lstrip("."), "", 0, "unreadable", str(exc))
            rows = make_rows(extract_document(doc))
            save_cache(cache_path, rows)
            state = "extracted"
            redone += 1
        print(f"[{n}/{len(paths)}] {state:9} {source}", file=sys.stderr, flush=True)
        rows_by_doc.append(rows)
    counts = write_tables(out, rows_by_doc)
    counts.update(write_analysis_tables(out, rows_by_doc))
    if cache_dir.is_dir():
        for stale in cache_dir.glob("*.json"):
            if stale not in used:
                stale.unlink()
    failed = 0
    for rows in rows_by_doc:
        doc_row = rows["documents"][0]
        failed += doc_row["status"] != "ok"
        print(format_summary(doc_row))
    print(
        f"{len(paths)} documents ({redone} extracted, {len(paths) - redone} unchanged), "
        f"{counts['programs']} programs, {counts['program_items']} items, {failed} failed → {out}"
    )
    return 1 if failed else 0
