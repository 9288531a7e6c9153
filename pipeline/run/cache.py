"""Extraction cache: one checksummed JSON file of rows per document in ``<out>/.cache``.

Input: a document's rows (``output.rows``) and a cache key. Output: cache files, and rows
read back only when their checksum, columns and source all hold.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from ..output.files import write_atomic
from ..output.rows import fits_int64
from ..output.schema import TABLES, SchemaDriftError, check_columns

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
    the schema's columns and integers the tables can hold, and its one document row names ``source``: a damaged or foreign
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
            if not all(fits_int64(r) for r in rows[table]):  # written before figures were fitted
                return None
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


# A cache entry's file name: the first 24 hex digits of its key (``run.folder``), ``.json``.
ENTRY_NAME = re.compile(r"[0-9a-f]{24}\.json")


def prune_cache(cache_dir: Path, keep: set[Path]) -> None:
    """Remove cache entries of documents that are gone or changed (only files named as entries are:
    ``<out>/.cache`` may be a folder of others, ``~/.cache`` for an ``--out`` of ``~``)."""
    if not cache_dir.is_dir():
        return
    for entry in cache_dir.glob("*.json"):
        if entry not in keep and ENTRY_NAME.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)

