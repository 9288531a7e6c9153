"""Per-document limits: read and extract one file in a child process that is stopped past its time.

Input: a file path, its input folder and the ``Limits``. Output: that document's table rows
(``output.rows.make_rows``) and whether they may be cached. A document that hangs, runs out of
memory or kills its process costs that document (status ``timeout``, ``too_large`` or
``crashed``), never the run.

Each document runs in a forked child: the parent waits at most ``timeout`` seconds for its
rows, then kills it (a stuck pure-Python loop in a PDF parser cannot ignore SIGKILL); a
parent stopped by a signal kills it on the way out. The child also caps its own address
space (``max_memory`` more than it started with), asks the kernel for SIGKILL should its
parent die (Linux), and else ends itself shortly after the timeout. Where ``fork`` is missing, or
with ``timeout`` 0, documents run in this process with no time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from pathlib import Path
from typing import Any

from ..output.rows import make_rows
from ..parse.document import extract_document
from ..read.engines import DEFAULT_PDF_ENGINE
from ..read.files import find_reader, name_source, read_document
from ..records import Limits, ReadFailure

# Seconds past the timeout after which an orphaned child ends itself.
ORPHAN_GRACE = 30

Rows = dict[str, list[dict[str, Any]]]
# Statuses that say more about this run (its load, memory, permissions) than about the
# file: never cached, so the next run tries the document again.
TRANSIENT = {"timeout", "crashed", "internal_error", "unreadable"}


def make_failure_rows(path: Path, root: Path, doc_id: str, status: str, error: str) -> Rows:
    """Return the rows of a document that could not be extracted (one ``documents`` row)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    fmt, _ = find_reader(path)
    failure = ReadFailure(name_source(path, root.resolve()), fmt, doc_id, size, status, error)
    return make_rows(extract_document(failure))


def extract_file(path: Path, root: Path, doc_id: str, limits: Limits,
                 pdf_engine: str = DEFAULT_PDF_ENGINE) -> tuple[Rows, bool]:
    """Read and extract one file in this process; return its rows and whether they may be cached.

    A reader bug or a lack of memory costs this document only.
    """
    try:
        rows = make_rows(extract_document(read_document(path, root, max_bytes=limits.max_bytes, pdf_engine=pdf_engine)))
    except MemoryError:
        return make_failure_rows(path, root, doc_id, "too_large",
                                 f"needed more than the {limits.max_memory // 2**20:,} MiB of memory "
                                 "one document may use (--max-memory)"), False
    except Exception as exc:  # a reader bug (parser bugs are caught by extract_document)
        return make_failure_rows(path, root, doc_id, "internal_error", f"{type(exc).__name__}: {exc}"), False
    return rows, rows["documents"][0]["status"] not in TRANSIENT


def read_address_space() -> int | None:
    """Return this process's virtual memory size in bytes (Linux), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def set_memory_limit(extra: int) -> None:
    """Cap this process's address space at its current size plus ``extra`` bytes, where the system can."""
    try:
        import resource
    except ImportError:
        return
    current = read_address_space()
    if current is None or extra <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def die_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGKILL when its parent ends (Linux ``PR_SET_PDEATHSIG``);
    end now if the parent is already gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def run_child(conn, path: Path, root: Path, doc_id: str, limits: Limits, parent: int, pdf_engine: str) -> None:
    """Child process body: extract one document and send its rows to the parent."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for signum in (signal.SIGTERM, signal.SIGHUP):  # not the parent's handlers: the default, to end
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, limits.timeout + ORPHAN_GRACE)  # ends an orphan
    set_memory_limit(limits.max_memory)
    conn.send(extract_file(path, root, doc_id, limits, pdf_engine))
    conn.close()


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def extract_limited(path: Path, root: Path, doc_id: str, limits: Limits,
                    pdf_engine: str = DEFAULT_PDF_ENGINE) -> tuple[Rows, bool]:
    """Extract one file within ``limits`` (a PDF read by ``pdf_engine``); return its rows and whether
    they may be cached.

    Rows of a document stopped for time, memory or a crash (a PDF parser's segmentation
    fault included) are not cached: the next run tries it again.
    """
    if limits.timeout <= 0 or not can_fork():
        return extract_file(path, root, doc_id, limits, pdf_engine)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=run_child, args=(sender, path, root, doc_id, limits, os.getpid(), pdf_engine),
                        daemon=True)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        child.start()
    except OSError:  # no process to be had (EAGAIN, ENOMEM): run here, without a time limit
        receiver.close()
        sender.close()
        return extract_file(path, root, doc_id, limits, pdf_engine)
    sender.close()
    result: tuple[Rows, bool] | None = None
    timed_out = False
    try:
        if receiver.poll(limits.timeout):
            try:
                result = receiver.recv()
            except (EOFError, OSError):
                result = None  # the child ended without an answer
        else:
            timed_out = True
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if timed_out:
        return make_failure_rows(path, root, doc_id, "timeout",
                                 f"extraction took longer than {limits.timeout:g} s and was stopped (--timeout)"), False
    if result is None:
        code = child.exitcode
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        return make_failure_rows(path, root, doc_id, "crashed",
                                 f"the process extracting this document ended ({how}) without a result"), False
    return result
