"""Reader stage: files in the input folder to ``SourceDocument`` records.

Input: a folder path. Output: one ``SourceDocument`` (lines with their source line
numbers) or one ``ReadFailure`` per file. Formats plug in through ``READERS``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable

from .data import ReadFailure, SourceDocument, SourceLine

# Physical line ends: LF, CRLF and lone CR all end a line.
LINE_END = re.compile(r"\r\n|\r|\n")

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def compute_doc_id(data: bytes) -> str:
    """Return the stable document id: the first 16 hex digits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes; return (text, encoding name). Raises ``UnicodeDecodeError``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    return data.decode("utf-8"), "utf-8"


def split_lines(text: str) -> tuple[SourceLine, ...]:
    """Split text into physical lines numbered from 1."""
    parts = LINE_END.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return tuple(SourceLine(number=i, text=t) for i, t in enumerate(parts, start=1))


def read_text(source: str, fmt: str, data: bytes) -> SourceDocument | ReadFailure:
    """Read a plain-text or Markdown file."""
    doc_id = compute_doc_id(data)
    if not data.strip():
        return ReadFailure(source, fmt, doc_id, len(data), "empty", "file is empty")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ReadFailure(source, fmt, doc_id, len(data), "not_text", "file holds NUL bytes: not a text file")
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:
        return ReadFailure(
            source, fmt, doc_id, len(data), "bad_encoding",
            f"not valid UTF-8 at byte {exc.start}: {exc.reason}",
        )
    return SourceDocument(source, fmt, doc_id, len(data), encoding, split_lines(text))


def read_pdf(source: str, fmt: str, data: bytes) -> SourceDocument | ReadFailure:
    """Read a PDF (layout-aware reading lives in ``pdf.py``)."""
    from .pdf import read_pdf_bytes

    return read_pdf_bytes(source, fmt, data)


# Suffix → (format name, reader). A reader turns bytes into lines or a ReadFailure.
READERS: dict[str, tuple[str, Callable[[str, str, bytes], SourceDocument | ReadFailure]]] = {
    ".txt": ("text", read_text),
    ".md": ("markdown", read_text),
    ".markdown": ("markdown", read_text),
    ".pdf": ("pdf", read_pdf),
}


def list_inputs(root: Path) -> list[Path]:
    """List the input files under ``root`` in a stable order.

    Hidden files and folders are skipped; symbolic links are never followed out of ``root``.
    """
    root = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                real = path.resolve()
            except OSError:
                continue
            if path.is_symlink() and not real.is_relative_to(root):
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_document(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument | ReadFailure:
    """Read one input file into lines, or describe why it cannot be read."""
    source = path.relative_to(root.resolve()).as_posix()
    suffix = path.suffix.lower()
    fmt, reader = READERS.get(suffix, (suffix.lstrip(".") or "unknown", None))
    size = path.stat().st_size
    if size > max_bytes:
        return ReadFailure(source, fmt, "", size, "too_large", f"{size} bytes is over the limit of {max_bytes}")
    data = path.read_bytes()
    if reader is None:
        return ReadFailure(source, fmt, compute_doc_id(data), len(data), "unsupported_format",
                           f"no reader for '{suffix or path.name}' files")
    return reader(source, fmt, data)
