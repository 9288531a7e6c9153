"""Reader stage: files in the input folder to ``SourceDocument`` records.

Input: a folder path. Output: one ``SourceDocument`` (lines with their source line
numbers) or one ``ReadFailure`` per file. Formats plug in through ``READERS``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..records import (
    DEFAULT_MAX_BYTES,
    ReadFailure,
    SourceDocument,
    SourceLine,
    compute_doc_id,
)
from .engines import DEFAULT_PDF_ENGINE
from .manifest import MANIFEST_NAME

# Physical line ends: LF, CRLF and lone CR all end a line.
LINE_END = re.compile(r"\r\n|\r|\n")


# Byte-order marks, longest first (a UTF-32-LE mark starts like a UTF-16-LE one).
BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# ISO-2022-JP switches character sets with escapes: ESC $ B (JIS X 0208), ESC $ @, ESC ( J.
ISO2022_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\([BJ])")
# Legacy Japanese encodings tried, strictly, after UTF-8. ``euc_jis_2004`` decodes every
# ``euc_jp`` byte sequence the same way and adds the NEC row 13 (①, ②) that EUC-JP files
# written on Windows (eucJP-ms, CP51932) carry; it is tried only when ``euc_jp`` fails.
LEGACY_ENCODINGS = (("cp932",), ("euc_jp", "euc_jis_2004"))

# Signatures of files that are not text, whatever their name says.
MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx, .xlsx, .pptx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls, .ppt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"{\\rtf", "an RTF document"),
)
# The start of a web page: "<!DOCTYPE html>", "<html lang=\"ja\">", "<?xml version=\"1.0\"?>", "<head>"
HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b", re.I | re.S)
# "<title>404 Not Found</title>"
HTML_TITLE = re.compile(rb"<title[^>]*>(?P<title>.*?)</title>", re.I | re.S)
# Control characters that never occur in a text document (tab, line and form feeds do).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# Above this share of control characters a decoded file is binary data, not text.
MAX_CONTROL_SHARE = 0.01


class DecodeError(ValueError):
    """The bytes are not text in any encoding the reader accepts."""


def hash_file(path: str | Path) -> str:
    """Return the SHA-256 (hex) of a file's bytes, read in chunks (its first 16 digits are the doc id)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_input(path: Path, root: Path) -> str | None:
    """Return ``hash_file`` of an input file, or None when ``read_document`` will not read it
    (a link out of ``root`` or to nothing, a FIFO or device, a file that cannot be opened)."""
    try:
        if describe_link(path, root.resolve()) or not stat.S_ISREG(path.stat().st_mode):
            return None
        return hash_file(path)
    except OSError:
        return None


def score_japanese(text: str) -> tuple[int, int]:
    """Rank a decoding of legacy bytes: more kana and fewer half-width katakana read as Japanese.

    EUC-JP bytes read as CP932 give half-width katakana and no hiragana; CP932 bytes that
    happen to be valid EUC-JP give rare kanji and no hiragana either.
    """
    kana = sum(1 for ch in text if "\u3041" <= ch <= "\u30ff")
    halfwidth = sum(1 for ch in text if "\uff61" <= ch <= "\uff9f")
    return kana, -halfwidth


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes; return (text, canonical encoding name). Raises ``DecodeError``.

    Order: a byte-order mark (``utf-32``, ``utf-8-sig``, ``utf-16``); ISO-2022-JP escapes
    (``iso2022_jp``); strict UTF-8 (``utf-8``); then CP932 and EUC-JP, strictly, and when
    both decode, the reading with more kana (``cp932``, ``euc_jp`` or ``euc_jis_2004``).
    No detector guesses: short texts fool detectors, strict decoding does not.
    """
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode("utf-8") if name == "utf-8-sig" else data.decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {name} byte-order mark but is not valid {name} "
                                  f"at byte {exc.start}: {exc.reason}") from None
            return text, name
    if ISO2022_ESCAPE.search(data) and data.isascii():
        try:
            return data.decode("iso2022_jp"), "iso2022_jp"
        except UnicodeDecodeError as exc:
            raise DecodeError(f"holds ISO-2022-JP escapes but is not valid ISO-2022-JP at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"not valid UTF-8 at byte {exc.start} ({exc.reason})"
    found: list[tuple[str, str]] = []
    for family in LEGACY_ENCODINGS:
        for name in family:
            try:
                found.append((data.decode(name), name))
                break
            except UnicodeDecodeError:
                continue
    if not found:
        raise DecodeError(f"{utf8_error}, nor CP932 (Shift_JIS), EUC-JP or ISO-2022-JP")
    # max keeps the first of equal scores: CP932, the encoding Japanese offices write most.
    return max(found, key=lambda pair: score_japanese(pair[0]))


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of a non-text file from its first bytes (``a PDF document``), or None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return None


def sniff_html(data: bytes) -> str | None:
    """Describe a web page saved under another name (``an HTML page titled '404 Not Found'``), or None."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if not HTML_START.match(head):
        return None
    kind = "an XML document" if head.lstrip().lower().startswith(b"<?xml") and b"<html" not in head.lower() \
        else "an HTML page"
    match = HTML_TITLE.search(data[:65536])
    if match:
        title = re.sub(r"\s+", " ", match.group("title").decode("utf-8", "replace")).strip()[:80]
        if title:
            return f"{kind} titled '{title}'"
    return kind


def sniff_bomless_unicode(data: bytes) -> str | None:
    """Name UTF-16 or UTF-32 text saved without a byte-order mark (``UTF-16-LE``), or return None.

    Such text has NUL bytes between its characters (the high bytes of ASCII, line ends
    included): UTF-32 when it decodes as UTF-32 with few control characters; UTF-16 when
    nearly all NULs sit at odd offsets (little-endian) or even ones (big-endian) and it
    decodes likewise. Not a guess at an encoding to read with: it explains a refusal.
    """
    nuls = [i for i, byte in enumerate(data[:65536]) if byte == 0]
    if not nuls:
        return None

    def reads_as(codec: str) -> bool:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            return False
        return len(CONTROL.findall(text)) <= MAX_CONTROL_SHARE * len(text)

    if len(data) % 4 == 0:
        for codec, name in (("utf-32-le", "UTF-32-LE"), ("utf-32-be", "UTF-32-BE")):
            if reads_as(codec):
                return name
    if len(data) % 2 == 0:
        odd = sum(i % 2 for i in nuls)
        if odd >= 0.9 * len(nuls) and reads_as("utf-16-le"):
            return "UTF-16-LE"
        if len(nuls) - odd >= 0.9 * len(nuls) and reads_as("utf-16-be"):
            return "UTF-16-BE"
    return None


def split_lines(text: str) -> tuple[SourceLine, ...]:
    """Split text into physical lines numbered from 1."""
    parts = text.split("\n") if "\r" not in text else LINE_END.split(text)  # (without CR, LINE_END is LF alone)
    if parts and parts[-1] == "":
        parts.pop()
    return tuple(map(SourceLine, range(1, len(parts) + 1), parts))  # (number, text)


def read_text(source: str, fmt: str, data: bytes) -> SourceDocument | ReadFailure:
    """Read a plain-text or Markdown file in any encoding ``decode_text`` accepts."""
    doc_id = compute_doc_id(data)

    def fail(status: str, error: str, encoding: str | None = None) -> ReadFailure:
        return ReadFailure(source, fmt, doc_id, len(data), status, error, encoding)

    if not data.strip():
        return fail("empty", "file is empty" if not data else "file holds only white space")
    kind = sniff_binary(data) or sniff_html(data)
    if kind:
        return fail("not_text", f"file is {kind}, not text (saved with a {Path(source).suffix or 'text'} name)")
    if b"\x00" in data and not data.startswith(tuple(bom for bom, name in BOMS if name.startswith("utf-16")
                                                       or name == "utf-32")):
        unicode = sniff_bomless_unicode(data)
        if unicode:
            return fail("bad_encoding", f"file looks like {unicode} text without a byte-order mark (NUL bytes "
                                        "between its characters): UTF-16 and UTF-32 are read only with a byte-order "
                                        "mark; save it as UTF-8, or as UTF-16 with a byte-order mark")
        return fail("not_text", "file holds NUL bytes: binary data, not text")
    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        return fail("bad_encoding", str(exc))
    if not text.strip():
        return fail("empty", f"file holds only white space ({encoding})", encoding)
    controls = len(CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        return fail("not_text", f"{controls} of {len(text)} characters are control characters when read as "
                                f"{encoding}: binary data, not text", encoding)
    return SourceDocument(source, fmt, doc_id, len(data), encoding, split_lines(text))


# The field separator of a spreadsheet saved as text, by its format, and the quote around a cell that holds one
CSV_DELIMITERS = {"csv": ",", "tsv": "\t"}
CSV_QUOTE = '"'


def read_csv(source: str, fmt: str, data: bytes) -> SourceDocument | ReadFailure:
    """Read a spreadsheet saved as CSV or TSV (in any encoding ``read_text`` accepts: Excel's Shift_JIS, UTF-8 with
    its byte-order mark) as a table copied from the sheet: one line a record, its cells parted by tabs (「事業名,予算額」
    → 「事業名\t予算額」; a quoted cell keeps its commas, 「"12,345"」, and its line breaks become spaces), numbered by the
    physical line the record opens on; a record of empty cells is a blank line. A quote never closed would make
    every record after it one cell: the file is ``not_text``."""
    doc = read_text(source, fmt, data)
    if isinstance(doc, ReadFailure):
        return doc
    text = "\n".join(line.text for line in doc.lines)
    if text.count(CSV_QUOTE) % 2:  # (a quote in a cell is printed twice: 「"12""」 → 「12"」)
        return ReadFailure(source, fmt, doc.doc_id, doc.size, "not_text",
                           f"a quote (\") is never closed: the {fmt.upper()} records after it cannot be told apart",
                           doc.encoding)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=CSV_DELIMITERS[fmt], quotechar=CSV_QUOTE)
    lines: list[SourceLine] = []
    start = 1
    try:
        for record in records:
            cells = [" ".join(cell.split("\n")).strip() for cell in record]
            lines.append(SourceLine(start, "\t".join(cells) if any(cells) else ""))
            start = records.line_num + 1
    except csv.Error as exc:
        return ReadFailure(source, fmt, doc.doc_id, doc.size, "not_text",
                           f"line {records.line_num}: not a readable {fmt.upper()} record ({exc})", doc.encoding)
    return replace(doc, lines=tuple(lines))


# Where a PDF must announce itself ("%PDF-1.7" in the first 1024 bytes) and end ("%%EOF" in the last 1024).
PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"
PDF_WINDOW = 1024


def check_pdf_bytes(data: bytes) -> tuple[str, str] | None:
    """Return (status, error) when the bytes cannot be a readable PDF, else None."""
    if not data.strip():
        return "empty", "file is empty" if not data else "file holds only white space"
    if PDF_HEADER not in data[:PDF_WINDOW]:
        kind = sniff_html(data) or sniff_binary(data)
        if kind is None:
            kind = "text" if b"\x00" not in data[:PDF_WINDOW] and is_decodable(data[:PDF_WINDOW]) else "unknown data"
        return "not_pdf", f"file is {kind}, not a PDF: no '%PDF-' header in its first {PDF_WINDOW} bytes"
    if PDF_END not in data[-PDF_WINDOW:]:
        return "corrupt_pdf", (f"PDF is truncated: no '%%EOF' end marker in its last {PDF_WINDOW} bytes "
                               f"({len(data)} bytes; an interrupted download?)")
    return None


def is_decodable(data: bytes) -> bool:
    """Tell whether the start of a file reads as text (a cut multi-byte character at the end is allowed)."""
    try:
        decode_text(data)
        return True
    except DecodeError:
        try:
            decode_text(data[:-3])
            return True
        except DecodeError:
            return False


def read_pdf(source: str, fmt: str, data: bytes, engine: str = DEFAULT_PDF_ENGINE) -> SourceDocument | ReadFailure:
    """Read a PDF with ``engine`` (layout-aware reading lives in ``pdf.py``) once its bytes look like one.

    ``pdf.py`` and what it needs (numpy, the page engines) are loaded on the first PDF, so a run of
    texts never loads them: ``run.workers.warm_up`` loads them before the workers are forked when the
    run has PDFs."""
    problem = check_pdf_bytes(data)
    if problem:
        return ReadFailure(source, fmt, compute_doc_id(data), len(data), *problem)
    from .pdf import read_pdf_bytes

    return read_pdf_bytes(source, fmt, data, engine)


Reader = Callable[[str, str, bytes], "SourceDocument | ReadFailure"]

# Suffix → (format name, reader). A reader turns bytes into lines or a ReadFailure.
READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text", read_text),
    ".md": ("markdown", read_text),
    ".markdown": ("markdown", read_text),
    ".csv": ("csv", read_csv),
    ".tsv": ("tsv", read_csv),
    ".pdf": ("pdf", read_pdf),
}


def find_reader(path: Path) -> tuple[str, Reader | None]:
    """Return the format name and reader for a file's suffix (reader None when there is none)."""
    suffix = path.suffix.lower()
    fmt, reader = READERS.get(suffix, (suffix.lstrip(".") or "unknown", None))
    return fmt, reader


def name_source(path: Path, root: Path) -> str:
    """Return a file's source name: its path relative to ``root``, POSIX style, valid UTF-8 (``decode_name``)."""
    return decode_name(path.relative_to(root).as_posix())


def decode_name(name: str) -> str:
    """Return a relative path as the file system spells it (``os.fsdecode``) as valid UTF-8.

    A file name that is not UTF-8 (a CP932 name from a ZIP made on Windows) is read as
    CP932 when it decodes, otherwise its odd bytes are written as ``\\xNN``.
    """
    try:
        name.encode("utf-8")  # no undecodable byte (``surrogateescape``): the name as it is
        return name
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(name)
    try:
        decoded = raw.decode("cp932")
        if not any(unicodedata.category(ch) in {"Co", "Cc"} for ch in decoded):
            return decoded
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "backslashreplace")


def describe_link(path: Path, root: Path) -> str | None:
    """Say why ``path`` is a link that is not followed, or return None when it may be read.

    A link is followed only to a file inside ``root`` (already resolved); one that leads out
    of it, to nothing or round in a loop is described, and its target is never opened.
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        if not path.is_symlink():
            return None  # not a link: reading it says what is wrong
        if isinstance(exc, FileNotFoundError):
            return "a broken link (its target does not exist): not followed"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop"
        return f"a link that cannot be resolved ({reason}): not followed"
    if not target.is_relative_to(root):
        return "a link to a file outside the input folder: not followed"
    return None


def scan_inputs(root: Path, exclude: tuple[Path, ...] = ()) -> tuple[list[tuple[str, str]], list[tuple[Path, str]]]:
    """List the input files under ``root`` in a stable order (of their paths relative to ``root``), each as
    its path and its source name (``decode_name``), and the folders that could not be listed.

    Hidden files and folders are skipped, and so are the folders in ``exclude`` and the folder's
    manifest (``sources.csv`` at its top, ``read.manifest``: no document). Links to
    files are listed wherever they lead, so that ``read_document`` reports one out of ``root``
    or to nothing as ``unreadable``; links to folders are not followed at all. A folder that
    cannot be listed (no permission) comes back with the reason, never skipped in silence.
    Paths are strings: a ``Path`` takes some 500 bytes more, and ten times as long to make and compare.
    """
    top = str(root.resolve())
    skip = {os.path.realpath(p) for p in exclude}
    found: list[tuple[str, str]] = []  # (its path relative to the top, POSIX style; its path)
    unlisted: list[tuple[Path, str]] = []

    def note(exc: OSError) -> None:
        unlisted.append((Path(exc.filename) if exc.filename else Path(top), exc.strerror or str(exc)))

    for dirpath, dirnames, filenames in os.walk(top, onerror=note, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and os.path.realpath(os.path.join(dirpath, d)) not in skip)
        folder = dirpath[len(top):].lstrip(os.sep).replace(os.sep, "/")
        prefix = folder + "/" if folder else ""
        for name in filenames:
            if name.startswith(".") or (name == MANIFEST_NAME and not folder):
                continue
            found.append((prefix + name, os.path.join(dirpath, name)))
    found.sort()
    return [(path, decode_name(name)) for name, path in found], sorted(unlisted)


def list_inputs(root: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """List the input files under ``root`` in a stable order (see ``scan_inputs``)."""
    return [Path(path) for path, _ in scan_inputs(root, exclude)[0]]


def read_document(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                  pdf_engine: str = DEFAULT_PDF_ENGINE) -> SourceDocument | ReadFailure:
    """Read one input file into lines, or describe why it cannot be read (a PDF with ``pdf_engine``).

    Never reads more than ``max_bytes + 1`` bytes, never reads through a link that leads
    out of ``root`` and never opens anything but a regular file (a FIFO would block).
    """
    path = Path(os.path.abspath(path))  # "raw/a.txt" with root "raw" works too
    source = name_source(path, Path(os.path.abspath(root)))
    root = root.resolve()
    fmt, reader = find_reader(path)

    def fail(status: str, error: str, doc_id: str = "", size: int = 0) -> ReadFailure:
        return ReadFailure(source, fmt, doc_id, size, status, error)

    link_problem = describe_link(path, root)
    if link_problem:
        return fail("unreadable", link_problem)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return fail("unreadable", "not a regular file (a folder link, FIFO or device): not read")
        if info.st_size > max_bytes:
            return fail("too_large", f"{info.st_size:,} bytes is over the limit of {max_bytes:,} (--max-bytes)",
                        hash_file(path)[:16], info.st_size)
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return fail("unreadable", f"cannot be read: {exc.strerror or exc}")
    if len(data) > max_bytes:  # the file grew after it was measured
        return fail("too_large", f"over the limit of {max_bytes:,} bytes (--max-bytes)", compute_doc_id(data),
                    len(data))
    if reader is None:
        return fail("unsupported_format", f"no reader for '{path.suffix or path.name}' files",
                    compute_doc_id(data), len(data))
    if reader is read_pdf:
        return read_pdf(source, fmt, data, pdf_engine)
    return reader(source, fmt, data)
