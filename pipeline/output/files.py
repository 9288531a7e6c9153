"""Output files: atomic writes, a staged rename plan for several files, and the folder lock.

Input: bytes and an output folder. Output: files replaced whole (temporary file, fsync,
rename), ``<out>/.pending`` for a change of several files that a killed run leaves half
done, and ``<out>/.lock`` held while a run writes. Nothing outside the folder is touched.

A folder that other files may share (the review report's ``--dest``, the CSV export's
folder) gets a record of the files written there (``replace_owned_files``): only those are
ever replaced or removed; a file of the same name that the record does not list is refused.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import re
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Mapping


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


def open_temp(path: Path) -> tuple[BinaryIO, Path]:
    """Open a new hidden temporary file beside ``path`` (``.name.XXXX.tmp``) for writing; return it and its path.

    The file gets the mode of any new file, ``0o666`` less the umask (``mkstemp`` alone
    would leave it ``0o600``, unreadable to the other users of a shared folder).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        fh = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fh.fileno(), 0o666 & ~read_umask())
    except BaseException:
        fh.close()
        os.unlink(tmp)
        raise
    return fh, Path(tmp)


def write_temp(path: Path, data: bytes, sync: bool = True) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` (``.name.XXXX.tmp``), synced to disk
    unless ``sync`` is false (see ``open_temp``)."""
    fh, tmp = open_temp(path)
    try:
        with fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    ``sync`` false skips the fsyncs: the file is still never seen half-written, but a power cut
    may lose it (for files that are checked when read back, as cache entries are).
    """
    tmp = write_temp(path, data, sync)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        sync_folder(path.parent)


def is_unchanged(path: Path, data: bytes | Path) -> bool:
    """Tell whether ``path`` already holds exactly ``data`` (bytes, or the bytes of a file), as a regular
    file, not a link."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        if isinstance(data, Path):
            return filecmp.cmp(path, data, shallow=False)
        return path.read_bytes() == data
    except OSError:
        return False


PENDING = ".pending"
# Signals held back while a set of files is renamed into place (the renames take milliseconds).
HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block ends: a set of renames is then done
    whole, and the signal acts right after it, with the handler it had.

    The handlers are swapped for ones that only note the signal (blocking it with
    ``pthread_sigmask`` would not do: a process-directed signal then goes to another thread,
    and Python runs its handler in the main thread all the same). Only the main thread can
    set handlers; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: Any) -> None:
        received.append(signum)

    previous = {}
    for signum in HELD_SIGNALS:
        handler = signal.getsignal(signum)
        if handler is not None and handler is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, note)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])


def replace_files(out_dir: Path, files: Mapping[str, bytes | Path]) -> None:
    """Replace several files of ``out_dir`` as one change: a kill leaves all old or, once recorded, all new.

    A file is given as its bytes, or as the temporary file it was already written to (``open_temp``
    beside it, synced: a table streamed to disk); such a file is renamed or removed here, whatever
    happens. Every file is written to a temporary file first, and the renames still to do are
    recorded in ``<out>/.pending``; only then are the files renamed into place. A kill
    before the record leaves every old file as it was; a kill between two renames leaves
    the record, and ``complete_pending`` (run first by the next run) finishes the renames,
    so the files always end up from one run. SIGINT, SIGTERM and SIGHUP are held back from
    the record to the last rename, so only SIGKILL (or a crash) can leave the record. A file
    whose bytes did not change is not rewritten.
    """
    staged: list[tuple[Path, Path]] = []
    given = [data for data in files.values() if isinstance(data, Path)]
    try:
        for name, data in files.items():
            path = out_dir / name
            if isinstance(data, Path) and (data.parent.resolve() != out_dir.resolve()
                                           or not is_temp_file_of(data.name, re.escape(name))):
                raise ValueError(f"{data} is not a temporary file for {path}")
            if is_unchanged(path, data):
                continue
            staged.append((data if isinstance(data, Path) else write_temp(path, data), path))
        if staged:
            plan = [[tmp.name, path.name] for tmp, path in staged]
            with signals_held():  # a signal stops the run before the record or after the last rename
                write_atomic(out_dir / PENDING, json.dumps(plan).encode("utf-8"))
                complete_pending(out_dir)
    finally:
        for tmp in [tmp for tmp, _ in staged] + given:
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


def is_temp_file_of(file_name: str, name_pattern: str) -> bool:
    """Tell whether ``file_name`` is a temporary file ``write_temp`` made for a file whose name
    matches ``name_pattern`` (``.programs.parquet.k2j4x9ab.tmp``)."""
    return re.fullmatch(rf"\.(?:{name_pattern})\.[A-Za-z0-9_]+\.tmp", file_name) is not None


def remove_temp_files(out_dir: Path, names: tuple[str, ...], cache_pattern: str = r"[0-9a-f]+\.json") -> list[Path]:
    """Remove the temporary files a killed run left in ``out_dir`` (for the files ``names`` and
    ``.pending``) and in its cache (for entries matching ``cache_pattern``); return them. No
    other file is touched, hidden or not: the folder may hold files of others."""
    removed = []
    own = "|".join(re.escape(name) for name in (*names, PENDING))
    for folder, pattern in ((out_dir, own), (out_dir / ".cache", cache_pattern)):
        if folder.is_dir() and not folder.is_symlink():
            for tmp in sorted(folder.glob(".*.tmp")):
                if tmp.is_file() and not tmp.is_symlink() and is_temp_file_of(tmp.name, pattern):
                    tmp.unlink(missing_ok=True)
                    removed.append(tmp)
    return removed


def is_plain_name(name: str) -> bool:
    """Tell whether ``name`` is a relative POSIX path of plain parts (no ``..``, ``.``, empty or hidden part)."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p and not p.startswith(".") for p in parts)


def find_link_or_file_on_path(folder: Path, name: str) -> str | None:
    """Return the first part of ``folder/name`` (below ``folder``) that is a link, or a file where a
    folder must be, or None: writing ``name`` would then leave ``folder`` or replace that file."""
    parts = name.split("/")
    current = folder
    for i, part in enumerate(parts):
        current = current / part
        if current.is_symlink():
            return "/".join(parts[: i + 1])
        if i < len(parts) - 1 and current.exists() and not current.is_dir():
            return "/".join(parts[: i + 1])
    return None


def read_owned_files(folder: Path, record: str) -> set[str]:
    """Return the files ``folder/record`` says an earlier write put there: plain relative names only,
    of regular files that are not links (a record that names anything else is not acted on for it)."""
    path = folder / record
    if path.is_symlink() or not path.is_file():
        return set()
    try:
        names = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return set()
    owned = set()
    for name in names if isinstance(names, list) else []:
        if isinstance(name, str) and is_plain_name(name) and find_link_or_file_on_path(folder, name) is None:
            owned.add(name)
    return owned


def replace_owned_files(folder: Path, files: dict[str, bytes], record: str) -> None:
    """Write ``files`` (relative POSIX names) under ``folder``, which may hold files of others.

    ``folder/record`` lists the files an earlier call wrote. A file of the new set that
    exists and is not listed (or that a link or a file stands in the way of) is not ours:
    ``OutputError`` is raised and nothing is written. Files listed and not in the new set are
    removed; nothing else in the folder is ever touched. The record is written first with
    the old and the new names, so a run killed half way leaves every file it wrote listed.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is not a folder")
    owned = read_owned_files(folder, record)
    foreign = []
    for name in sorted(files):
        if not is_plain_name(name):
            raise ValueError(f"not a plain relative file name: {name!r}")
        blocker = find_link_or_file_on_path(folder, name)
        if blocker is not None or ((folder / name).exists() and name not in owned):
            foreign.append(blocker or name)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(f"{folder} holds {shown}, which this command did not write: nothing was written "
                          "(remove them or choose another folder)")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / record, json.dumps(sorted(owned | set(files)), ensure_ascii=False).encode("utf-8"))
    for name, data in sorted(files.items()):
        write_atomic(folder / name, data)
    for name in sorted(owned - set(files)):
        stale = folder / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    write_atomic(folder / record, json.dumps(sorted(files), ensure_ascii=False).encode("utf-8"))


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

