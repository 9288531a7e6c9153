"""Per-document limits: documents extracted in long-lived worker processes, each within its limits.

Input: ``Task`` records (one input file's source name, format and bytes, or its path for the
worker to read, the PDF engine that reads it, and what the input folder's ``sources.csv`` states
of it) and the ``Limits``.
Output: one ``Result`` per task: the document's rows, the manifest applied
(``output.metadata.apply_manifest``), as a cache entry (``run.cache.encode_entry``, which the run
reads back to write them), its status and whether the rows may be cached. A document that hangs, runs out of memory or
kills its process costs that document (status ``timeout``, ``too_large`` or ``crashed``), never
the run, and never another document.

A ``Sandbox`` is one worker process, forked once and then given documents one at a time; the
Sudachi dictionary and the run's PDF engine (``--pdf-engine``) are loaded before it is forked
(``warm_up``), so no document pays for them; each task names the engine its PDF is read with. For each document the worker caps its address space at what it uses
then plus ``max_memory`` (a ``MemoryError`` is ``too_large``, and the worker is replaced after
answering), and arms a timer that ends it should its parent vanish; the parent kills a worker
whose document is past its time, and a worker that dies takes only its document with it. Either
way a new worker is forked for the documents left. A worker asks the kernel for SIGKILL should
its parent die (Linux), ignores Ctrl-C (the parent's to handle) and ends when its parent's end
of the pipe closes. While it reads a PDF it reports each page (``Page``).

``LocalEngine`` runs up to ``jobs`` sandboxes at once, each sent its next document (a small one)
while it extracts the one before, so that it never waits for the run in between (a new one is given
its first few at once, so that the run may load its table writers meanwhile); ``InProcessEngine`` runs documents in
this process, one at a time, with no time limit (``--timeout 0``, or where ``fork`` is missing).
``run.cluster`` runs the same sandboxes on Dask workers.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
import stat
import sys
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import read as read_package
from ..output.metadata import apply_manifest
from ..output.rows import make_rows
from ..parse.document import extract_document
from ..read.engines import DEFAULT_PDF_ENGINE
from ..read.files import describe_link, find_reader, name_source, read_document, read_pdf
from ..records import Limits, Manifest, ReadFailure, SourceDocument
from .cache import encode_columns, to_columns

# Seconds past the timeout after which an orphaned worker ends itself.
ORPHAN_GRACE = 30
MAX_FD = 1 << 20  # file descriptors a worker closes above its pipe (``os.closerange``: close_range on Linux)
# A document of at most this many bytes is sent to a busy worker as its next (``LocalEngine``): one
# sent with its bytes, the pipe holds whole (it takes some 180 KiB), so sending it never waits for the
# worker; and a larger one, which takes long, waits for the first worker that is free.
QUEUE_BYTES = 64 * 1024
# A new worker is given its first documents at once, in one message it reads whole (it is idle): enough
# to keep it busy while the run loads its table writers (``map``'s ``ready``: a third of a second, some
# 30 documents of the bench's), at most this many and this many bytes, and a quarter of its share of
# the documents left, so that the workers still end together.
START_DOCS = 32
START_BYTES = 4 * 1024 * 1024
# A worker collects cycles less often than Python's default (700 allocations): parsing a document
# makes many short-lived objects, few cycles; a few percent of the time, for a few MiB.
WORKER_GC_THRESHOLDS = (50_000, 20, 100)

Rows = dict[str, list[dict[str, Any]]]
# Statuses that say more about this run (its load, memory, permissions) than about the
# file: never cached, so the next run tries the document again.
TRANSIENT = {"timeout", "crashed", "internal_error", "unreadable"}


class EngineError(RuntimeError):
    """The engine asked for cannot be used (Dask missing, its scheduler out of reach)."""


@dataclass(frozen=True)
class Task:
    """One document to extract: what its rows need to say about the file, and its bytes; or, for an
    engine whose workers read the input folder themselves (``reads_files``), the file to read
    (``path``: ``read_task`` takes it in, as the run would, in the worker)."""

    index: int  # the document's place in the run
    source: str
    suffix: str  # picks the reader (``read.files.READERS``)
    fmt: str
    digest: str  # SHA-256 of ``data`` (of the file as the run hashed it, for a file to read): the cache key and the doc id come from it
    data: bytes
    pdf_engine: str = DEFAULT_PDF_ENGINE  # reads a PDF (``read.engines.PDF_ENGINES``)
    sources: Manifest | None = None  # the input folder's sources.csv as the file sees it (``read.manifest.select_entry``)
    path: str | None = None  # a file of the input folder ``root`` to read, at most ``max_bytes`` of it (``data`` is then empty)
    root: str = ""
    max_bytes: int = 0
    file_size: int = 0  # its size as the run found it

    @property
    def doc_id(self) -> str:
        return self.digest[:16]

    @property
    def size(self) -> int:
        """The document's bytes: those sent, or the file's."""
        return len(self.data) if self.path is None else self.file_size


@dataclass(frozen=True)
class Result:
    """What became of one task: its rows (as a cache entry when a worker extracted them, else as row
    dicts), its status, and whether they may be cached. A worker sends the entry alone: the run reads
    it back in less than half the time it takes to unpickle the rows, and appends it to the journal
    as it is."""

    index: int
    status: str
    cacheable: bool
    entry: bytes | None = None  # ``run.cache.encode_entry``
    rows: Rows | None = None
    pages: int = 0  # pages read (PDF)
    recycle: bool = False  # the worker should not be given another document (it ran out of memory)
    digest: str | None = None  # SHA-256 of the bytes a worker read (a task's ``path``): the cache key comes from it


@dataclass(frozen=True)
class Page:
    """A worker's report: it is reading page ``number`` of ``total`` of task ``index``."""

    index: int
    number: int
    total: int


# ---------------------------------------------------------------- one document


def make_failure_result(task: Task, status: str, error: str, recycle: bool = False) -> Result:
    """Return the result of a document that could not be extracted (one ``documents`` row), as row dicts:
    made in the run's own process too (a timeout, a crash), where pyarrow is not loaded before a fork."""
    failure = ReadFailure(task.source, task.fmt, task.doc_id, task.size, status, error)
    rows = apply_manifest(make_rows(extract_document(failure)), task.sources)
    return Result(task.index, status, False, rows=rows, recycle=recycle)


def make_rows_result(index: int, rows: Rows, pages: int = 0, encode: bool = False) -> Result:
    """Return the result of a document's rows, encoded as a cache entry when ``encode`` (in a worker)."""
    status = rows["documents"][0]["status"]
    if encode:
        return Result(index, status, status not in TRANSIENT, entry=encode_columns(to_columns(rows)), pages=pages)
    return Result(index, status, status not in TRANSIENT, rows=rows, pages=pages)


def make_too_large_result(task: Task, limits: Limits) -> Result:
    return make_failure_result(task, "too_large", f"needed more than the {limits.max_memory // 2**20:,} MiB of "
                               "memory one document may use (--max-memory)", recycle=True)


def read_task(task: Task) -> Task | Rows:
    """The task of a file (``path``) with its bytes, read as ``take_in`` reads it for the run, or the rows
    of a file settled without extracting anything (gone, no longer a regular file, grown past the limit)."""
    assert task.path is not None
    return take_in(Path(task.path), Path(task.root), task.index, task.max_bytes, task.pdf_engine, task.sources,
                   scanned=True)


def run_task(task: Task, limits: Limits) -> Result:
    """Read and extract one document in this process (the body of a worker's loop).

    A reader bug or a lack of memory costs this document only (parser bugs are caught by
    ``extract_document``). A task that names its file is read here first (``read_task``): the result
    says the digest of what was read.
    """
    if task.path is not None:
        try:
            item = read_task(task)
        except MemoryError:
            return make_too_large_result(task, limits)
        if not isinstance(item, Task):
            return make_rows_result(task.index, item)  # settled as the run settles such a file: never cached
        result = run_task(item, limits)
        return replace(result, digest=item.digest)
    _, reader = find_reader(Path("x" + task.suffix))
    if reader is None:  # the caller settles files without a reader (``take_in``)
        return make_failure_result(task, "internal_error", f"no reader for '{task.suffix}' files")
    try:
        if reader is read_pdf:
            doc = read_pdf(task.source, task.fmt, task.data, task.pdf_engine)
        else:
            doc = reader(task.source, task.fmt, task.data)
        pages = max((line.page or 0 for line in doc.lines), default=0) if isinstance(doc, SourceDocument) else 0
        rows = apply_manifest(make_rows(extract_document(doc)), task.sources)
    except MemoryError:
        return make_too_large_result(task, limits)
    except Exception as exc:  # noqa: BLE001 - a reader bug costs one document
        return make_failure_result(task, "internal_error", f"{type(exc).__name__}: {exc}")
    return make_rows_result(task.index, rows, pages, encode=True)


def read_at_most(fh: Any, limit: int, expected: int) -> bytes:
    """Read ``limit`` bytes of an open file, or all of it if shorter, asking first for the ``expected``
    (its size and one byte more, as a stat said it): a read of ``limit`` at once sets that much aside."""
    data = fh.read(min(expected, limit))
    if len(data) == min(expected, limit) < limit:  # it grew since: read on, to the limit
        data += fh.read(limit - len(data))
    return data


def take_in(path: Path, root: Path, index: int, max_bytes: int, pdf_engine: str = DEFAULT_PDF_ENGINE,
            sources: Manifest | None = None, scanned: bool = False) -> Task | Rows:
    """Read an input file for a worker: a ``Task`` with its bytes (a PDF to be read by ``pdf_engine``), or the rows of a file that is
    settled without extracting anything (a link out of ``root``, not a regular file, too large, no
    reader for its suffix, unreadable: ``read.files.read_document`` says which, as it always does).
    ``sources`` (what the folder's sources.csv states of the file) is applied to its rows, there or in the worker.
    A path ``read.files.scan_inputs`` listed (``scanned``) lies in ``root`` through no linked folder: only a
    link at its end is resolved to tell whether it leads out; any other path is resolved whole."""
    source = name_source(path, root)
    fmt, reader = find_reader(path)
    data = None
    try:
        if reader is not None:
            info = path.lstat() if scanned else None
            if info is None or not stat.S_ISREG(info.st_mode):
                info = path.stat() if describe_link(path, root) is None else None  # a link: its target, if within
            if info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes:
                with open(path, "rb") as fh:
                    data = read_at_most(fh, max_bytes + 1, info.st_size + 1)
    except OSError:
        data = None
    if data is None or len(data) > max_bytes:
        doc = read_document(path, root, max_bytes=max_bytes, pdf_engine=pdf_engine)
        if isinstance(doc, ReadFailure):
            return apply_manifest(make_rows(extract_document(doc)), sources)
        data = path.read_bytes()  # it became readable in between: extract it as any other
    return Task(index, source, path.suffix, fmt, hashlib.sha256(data).hexdigest(), data, pdf_engine, sources)


# ---------------------------------------------------------------- the worker process

# A one-page PDF without text: reading it loads the PDF engine's library.
BLANK_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def warm_up(pdf_engine: str | None = DEFAULT_PDF_ENGINE) -> None:
    """Load what every document needs, once per process: the Sudachi dictionary and the PDF engine's
    library (``pdf_engine``; None when there are no PDFs to read)."""
    from ..text.japanese import get_tokenizer

    get_tokenizer()
    if pdf_engine is not None:
        try:
            read_pdf("warm-up.pdf", "pdf", BLANK_PDF, pdf_engine)
        except Exception:  # noqa: BLE001 - only the imports matter here
            pass
    gc.collect()
    gc.freeze()  # what is loaded stays: the collector never walks it again, and forked workers share its pages


def install_page_reports(report: Callable[[int, int], None]) -> Callable[[], None]:
    """Call ``report(page number, pages)`` as the PDF reader starts each page; return a function that
    stops the reports (the reader as it was).

    The reader (``read.pdf.read_pages``) calls its module's ``read_page(page, number)`` for every
    page; it is wrapped here, in a worker, or for the run's own process while an ``InProcessEngine``
    runs (a wrapper left by another run is replaced, never wrapped again). Should the reader not be loaded
    in this process (a run of texts: ``read.files.read_pdf`` loads it on the first PDF), or read pages
    otherwise, pages are simply not reported.
    """
    pdf: Any = sys.modules.get(f"{read_package.__name__}.pdf")
    current = getattr(pdf, "read_page", None)
    if current is None:
        return do_nothing
    original = getattr(current, "reported_page_reader", current)

    def read_page(page: Any, number: int) -> Any:
        report(number, getattr(page, "page_count", 0))
        return original(page, number)

    read_page.reported_page_reader = original  # type: ignore[attr-defined]
    pdf.read_page = read_page

    def stop() -> None:
        if getattr(pdf, "read_page", None) is read_page:
            pdf.read_page = original
    return stop


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


def serve(conn: Connection, limits: Limits, parent: int) -> None:
    """Worker process body: extract the documents the parent sends, one at a time, until it closes the pipe."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for signum in (signal.SIGTERM, signal.SIGHUP):  # not the parent's handlers: the default, to end
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    current = [0]

    def report(number: int, total: int) -> None:
        conn.send(Page(current[0], number, total))

    install_page_reports(report)
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        for task in message if isinstance(message, list) else (message,):  # a list: a new worker's first ones
            current[0] = task.index
            signal.setitimer(signal.ITIMER_REAL, limits.timeout + ORPHAN_GRACE)  # ends an orphan
            set_memory_limit(limits.max_memory)
            result = run_task(task, limits)
            signal.setitimer(signal.ITIMER_REAL, 0)
            conn.send(result)
            if result.recycle:
                os._exit(0)


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


class Sandbox:
    """One worker process (see the module notes) and the document it is working on.

    The process is forked with ``os.fork`` (not ``multiprocessing.Process``, which a daemonic
    process such as a Dask worker may not use) and talks over a ``multiprocessing`` pipe.
    """

    def __init__(self, limits: Limits):
        """Fork the worker."""
        self.limits = limits
        self.conn, child_end = multiprocessing.Pipe(duplex=True)
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        try:
            pid = os.fork()
        except BaseException:
            self.conn.close()
            child_end.close()
            raise
        if pid == 0:  # the worker: never returns
            code = 0
            try:
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                os.close(devnull)
                # Only the pipe and stdio stay open: not the run's files, other workers' pipes or, on a
                # Dask worker, its sockets (a connection the worker closes must close at once).
                keep = child_end.fileno()
                os.closerange(3, keep)
                os.closerange(keep + 1, MAX_FD)
                serve(child_end, limits, parent)
            except BaseException:  # noqa: BLE001 - whatever happens, the worker ends here
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        self.pid = pid
        self.exitcode: int | None = None
        self.task: Task | None = None
        # Sent after ``task``, in order: the worker takes each as it answers for the one before (``queue``,
        # ``give_many``).
        self.queued: list[Task] = []
        self.fresh = True  # given no document yet
        self.deadline = 0.0

    def is_alive(self) -> bool:
        if self.exitcode is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            self.exitcode = -1
            return False
        if pid == 0:
            return True
        self.exitcode = os.waitstatus_to_exitcode(status)
        return False

    def join(self) -> None:
        if self.exitcode is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self.exitcode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.exitcode = -1

    def give(self, task: Task) -> None:
        self.give_many([task])

    def give_many(self, tasks: list[Task]) -> None:
        """Give an idle worker documents to extract one after the other (more than one: in one message, which
        it reads whole); the first one's time runs from now, each other's from its turn (``take_queued``)."""
        self.conn.send(tasks if len(tasks) > 1 else tasks[0])
        self.fresh = False
        self.task, self.queued = tasks[0], list(tasks[1:])
        self.deadline = time.monotonic() + self.limits.timeout

    def queue(self, task: Task) -> None:
        """Send the document after the one the worker is extracting (at most ``QUEUE_BYTES``: see there),
        so that it starts it as soon as it has answered; its time runs from then (``take_queued``)."""
        self.queued.append(task)
        self.conn.send(task)

    def take_queued(self) -> None:
        """The worker answered for its document: the next one queued, if any, is now the one it works on."""
        self.task = self.queued.pop(0) if self.queued else None
        if self.task is not None:
            self.deadline = time.monotonic() + self.limits.timeout

    def stop(self) -> None:
        """Kill the worker (it may be inside a document) and reap it."""
        if self.is_alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.join()
        self.conn.close()

    def describe_death(self) -> str:
        self.join()
        code = self.exitcode
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        return f"the process extracting this document ended ({how}) without a result"

    def timeout_result(self, task: Task) -> Result:
        return make_failure_result(task, "timeout", f"extraction took longer than {self.limits.timeout:g} s and was "
                                                    "stopped (--timeout)")


# ---------------------------------------------------------------- engines

PageReport = Callable[[Page], None]
# How often an engine waiting for its workers gives the run's thread a turn (``tick``: the progress bar).
TICK_SECONDS = 0.5


def do_nothing() -> None:
    pass


class InProcessEngine:
    """Documents extracted in this process, one at a time, with no time limit."""

    name = "in-process"
    reads_files = True  # given a file's path, not its bytes (``Task.path``)

    def __init__(self, limits: Limits, on_page: PageReport | None = None, tick: Callable[[], None] = do_nothing,
                 pdf_engine: str | None = DEFAULT_PDF_ENGINE):
        self.limits = limits
        self.workers = 1
        warm_up(pdf_engine)
        self.current = 0
        self.stop_reports = do_nothing
        if on_page is not None:
            self.stop_reports = install_page_reports(lambda number, total: on_page(Page(self.current, number, total)))

    def start(self, count: int) -> None:
        pass

    def map(self, tasks: Iterable[Task], count: int, ready: Callable[[], None] = do_nothing) -> Iterator[Result]:
        ready()
        for task in tasks:
            self.current = task.index
            yield run_task(task, self.limits)

    def close(self) -> None:
        self.stop_reports()  # the run's pages are reported to it alone


class LocalEngine:
    """Up to ``jobs`` sandboxes on this machine, each given the next document as it finishes one."""

    name = "local"
    reads_files = True  # its workers read the files they are given (``Task.path``): the run does not send their bytes

    def __init__(self, jobs: int, limits: Limits, on_page: PageReport | None = None,
                 tick: Callable[[], None] = do_nothing, pdf_engine: str | None = DEFAULT_PDF_ENGINE):
        self.jobs = max(1, jobs)
        self.limits = limits
        self.on_page = on_page
        self.tick = tick
        self.sandboxes: list[Sandbox] = []
        warm_up(pdf_engine)  # before the first fork: every worker starts with the dictionary and the PDF engine loaded

    @property
    def workers(self) -> int:
        return self.jobs

    def start_sandbox(self) -> Sandbox | None:
        try:
            sandbox = Sandbox(self.limits)
        except OSError:  # no process to be had (EAGAIN, ENOMEM)
            return None
        self.sandboxes.append(sandbox)
        return sandbox

    def start(self, count: int) -> None:
        """Fork the workers ``count`` documents need (up to ``jobs``) now, before the run loads more."""
        while len(self.sandboxes) < min(self.jobs, count) and self.start_sandbox() is not None:
            pass

    def retire(self, sandbox: Sandbox) -> list[Task]:
        """Stop a worker; return the documents queued for it, which it never began."""
        sandbox.stop()
        self.sandboxes.remove(sandbox)
        queued, sandbox.queued = sandbox.queued, []
        return queued

    def map(self, tasks: Iterable[Task], count: int, ready: Callable[[], None] = do_nothing) -> Iterator[Result]:
        """Extract ``tasks`` (``count`` of them); yield each result as it comes, in any order.

        A new worker is given its first few documents at once (``START_DOCS``), then ``ready`` is called:
        the caller's own start-up, done while the workers work. A worker is given its next document
        before the results are yielded: it works while the caller writes what came back. A busy worker
        is sent the document after its own when that is small (``QUEUE_BYTES``), so it does not wait for
        the run between the two; should the worker end first (a crash, a timeout, out of memory), the
        documents queued for it go to another as if never given.
        """
        pending = iter(tasks)
        given = 0
        returned: list[Task] = []  # tasks a worker could not take (it died while idle, or before its queued ones)

        def retire(sandbox: Sandbox) -> None:
            nonlocal given
            queued = self.retire(sandbox)
            returned.extend(reversed(queued))  # taken back from the end: in their order
            given -= len(queued)

        def take_first(sandbox: Sandbox, task: Task) -> list[Task]:
            """The documents a worker is given at once: ``task``, and more for a new one (``START_DOCS``)."""
            first = [task]
            if not sandbox.fresh:
                return first
            size = task.size
            share = -(-(count - given) // (4 * self.jobs))  # a quarter of its share of the documents left
            while len(first) < min(START_DOCS, share):
                nxt = returned.pop() if returned else next(pending, None)
                if nxt is None:
                    break
                if size + nxt.size > START_BYTES:
                    returned.append(nxt)
                    break
                first.append(nxt)
                size += nxt.size
            return first

        def fill() -> list[Result]:
            """Give every idle worker a document, starting workers up to ``jobs``; return the results of
            documents run here, should no process be had."""
            nonlocal given
            here: list[Result] = []
            while True:
                sandbox = next((s for s in self.sandboxes if s.task is None), None)
                if sandbox is None and len(self.sandboxes) < min(self.jobs, max(count - given, len(returned))):
                    sandbox = self.start_sandbox()
                    if sandbox is None and not self.sandboxes:  # no process to be had: here, without a time limit
                        task = returned.pop() if returned else next(pending, None)
                        if task is None:
                            return here
                        given += 1
                        here.append(run_task(task, self.limits))
                        continue
                if sandbox is None:
                    queue_next()
                    return here
                task = returned.pop() if returned else next(pending, None)
                if task is None:
                    return here
                first = take_first(sandbox, task)
                given += len(first)
                try:
                    sandbox.give_many(first)
                except OSError:
                    retire(sandbox)
                    returned.extend(reversed(first))
                    given -= len(first)

        def queue_next() -> None:
            """Send each busy worker the next document, when it has none queued and that one is small."""
            nonlocal given
            for sandbox in list(self.sandboxes):
                if sandbox.task is None or sandbox.queued:
                    continue
                task = returned.pop() if returned else next(pending, None)
                if task is None:
                    return
                if task.size > QUEUE_BYTES:
                    returned.append(task)  # given to the first worker that is idle
                    return
                given += 1
                try:
                    sandbox.queue(task)
                except OSError:
                    sandbox.queued.remove(task)
                    returned.append(task)
                    given -= 1
                    return

        yield from fill()
        ready()
        while True:
            busy = [s for s in self.sandboxes if s.task is not None]
            if not busy:
                if not returned:
                    return
                yield from fill()
                continue
            until = min(s.deadline for s in busy) - time.monotonic()
            answered = wait([s.conn for s in busy], timeout=min(max(0.0, until), TICK_SECONDS))
            self.tick()
            finished: list[Result] = []
            for sandbox in busy:
                task = sandbox.task
                assert task is not None
                if sandbox.conn in answered:
                    try:
                        message = sandbox.conn.recv()
                    except (EOFError, OSError):
                        finished.append(make_failure_result(task, "crashed", sandbox.describe_death()))
                        retire(sandbox)
                        continue
                    if not isinstance(message, Page):
                        if message.recycle:  # the worker ends: its queued document goes to another
                            sandbox.task = None
                            retire(sandbox)
                        else:
                            sandbox.take_queued()
                        finished.append(message)
                        continue
                    if self.on_page is not None:
                        self.on_page(message)
                if time.monotonic() >= sandbox.deadline:  # pages reported or not, its time is up
                    retire(sandbox)
                    finished.append(sandbox.timeout_result(task))
            finished += fill()
            yield from finished

    def close(self) -> None:
        for sandbox in list(self.sandboxes):
            self.retire(sandbox)


Engine = InProcessEngine | LocalEngine


def make_local_engine(jobs: int, limits: Limits, on_page: PageReport | None = None,
                      tick: Callable[[], None] = do_nothing,
                      pdf_engine: str | None = DEFAULT_PDF_ENGINE) -> InProcessEngine | LocalEngine:
    """The engine ``--jobs`` and ``--timeout`` ask for: in this process when the timeout is 0 or
    ``fork`` is missing, else ``jobs`` worker processes (``pdf_engine``: the engine that reads the PDFs
    among the documents, loaded once; None when there are none)."""
    if limits.timeout <= 0 or not can_fork():
        return InProcessEngine(limits, on_page, tick, pdf_engine)
    return LocalEngine(jobs, limits, on_page, tick, pdf_engine)


def result_rows(result: Result) -> Rows:
    """The row dicts of a result (decoded from its cache entry when a worker encoded them)."""
    from .cache import decode_entry, to_rows

    if result.rows is not None:
        return result.rows
    assert result.entry is not None
    columns = decode_entry(result.entry)
    assert columns is not None
    return to_rows(columns)


def extract_file(path: Path, root: Path, doc_id: str, limits: Limits,
                 pdf_engine: str = DEFAULT_PDF_ENGINE) -> tuple[Rows, bool]:
    """Read and extract one file in this process (a PDF read by ``pdf_engine``), with no time limit; return
    its rows and whether they may be cached (``doc_id`` is kept for callers of old: the id comes from the
    file's bytes)."""
    item = take_in(path, root, 0, limits.max_bytes, pdf_engine)
    if not isinstance(item, Task):
        return item, item["documents"][0]["status"] not in TRANSIENT
    result = run_task(item, limits)
    return result_rows(result), result.cacheable


def extract_limited(path: Path, root: Path, doc_id: str, limits: Limits,
                    pdf_engine: str = DEFAULT_PDF_ENGINE) -> tuple[Rows, bool]:
    """Extract one file within ``limits`` in a worker of its own (a PDF read by ``pdf_engine``); return its
    rows and whether they may be cached (``doc_id`` as in ``extract_file``).

    Rows of a document stopped for time, memory or a crash (a PDF parser's segmentation fault
    included) are not cached: the next run tries it again.
    """
    item = take_in(path, root, 0, limits.max_bytes, pdf_engine)
    if not isinstance(item, Task):
        return item, item["documents"][0]["status"] not in TRANSIENT
    engine = make_local_engine(1, limits, pdf_engine=pdf_engine if item.suffix.lower() == ".pdf" else None)
    try:
        [result] = list(engine.map([item], 1))
    finally:
        engine.close()
    return result_rows(result), result.cacheable
