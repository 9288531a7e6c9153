"""Progress of a run on stderr: a bar on a terminal, plain lines elsewhere, nothing with ``-q``.

Input: what the run reports as it goes (documents found in the cache, documents extracted, the
page a worker is reading) and the clock. Output: lines on stderr (or the terminal's bar).

On a terminal (``-v`` aside) a ``rich`` progress bar shows the documents extracted out of those
to extract, documents per second, the time left and the page of the PDF being read. Elsewhere
(a log, a pipe) a plain line says the same every ``KAIGI_PROGRESS_SECONDS`` seconds (10 unless
set), with a line when the extraction starts and one when it ends. Before, while the run checks its
files for changes, a line says how many it has checked, as often (``Checking``). ``-v`` prints a line per
document instead (``[n/N] extracted source``), ``-q`` nothing. The bar is redrawn by the run's
own thread (``tick``), never by a thread of its own: worker processes may be forked at any time.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, Callable, TextIO

DEFAULT_INTERVAL = 10.0
INTERVAL_VARIABLE = "KAIGI_PROGRESS_SECONDS"


def format_duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``2 h 07 min``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def read_interval() -> float:
    try:
        value = float(os.environ.get(INTERVAL_VARIABLE, DEFAULT_INTERVAL))
    except ValueError:
        return DEFAULT_INTERVAL
    return value if value > 0 else DEFAULT_INTERVAL


class Checking:
    """What the run says while it checks its files for changes, before it extracts anything: a line every
    ``KAIGI_PROGRESS_SECONDS`` (none with ``-q``), for a first run hashes every file, which over many large
    PDFs takes a while."""

    def __init__(self, total: int, verbosity: int = 1, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, interval: float | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.verbosity = verbosity
        self.clock = clock
        self.interval = interval if interval is not None else read_interval()
        self.last = clock()

    def note_checked(self, done: int) -> None:
        """``done`` files of ``total`` checked."""
        if self.verbosity > 0 and self.clock() - self.last >= self.interval:
            self.stream.write(f"extract: {done:,} of {self.total:,} files checked for changes\n")
            self.stream.flush()
            self.last = self.clock()


class Progress:
    """What the run says about itself while it extracts (see the module notes)."""

    def __init__(self, total: int, verbosity: int = 1, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, printable: Callable[[str], str] = str,
                 terminal: bool | None = None, interval: float | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.clock = clock
        self.printable = printable
        self.interval = interval if interval is not None else read_interval()
        if terminal is None:
            terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.mode = "none" if verbosity <= 0 else "documents" if verbosity >= 2 else "bar" if terminal else "lines"
        self.done = 0  # documents accounted for: cached or extracted
        self.cached = 0
        self.extracted = 0
        self.to_extract = 0
        self.pages = 0
        self.reading: tuple[str, int, int] | None = None  # source, page, pages of the PDF last reported
        self.started = 0.0
        self.last_line = 0.0
        self.bar: Any = None
        self.bar_task: Any = None
        self.last_draw = 0.0
        self.ended = False

    # -- events

    def note_cached(self, source: str) -> None:
        """A document whose rows come from the cache."""
        self.done += 1
        self.cached += 1
        if self.mode == "documents":
            self.write(f"[{self.done}/{self.total}] cached    {self.printable(source)}")

    def begin(self, to_extract: int, workers: int, engine: str) -> None:
        """The extraction starts: ``to_extract`` documents on ``workers`` workers of ``engine``."""
        self.to_extract = to_extract
        self.started = self.last_line = self.clock()
        if not to_extract:
            return
        where = f"{workers} worker{'s' if workers != 1 else ''}" + (f", {engine}" if engine != "local" else "")
        if self.mode == "lines":
            self.write(f"extract: {to_extract:,} of {self.total:,} documents to extract ({where}); "
                       f"{self.cached:,} from the cache")
        elif self.mode == "bar":
            self.start_bar(where)

    def note_page(self, source: str, number: int, pages: int) -> None:
        """A worker started reading page ``number`` of ``pages`` of a PDF."""
        self.reading = (source, number, pages)
        self.tick()

    def note_extracted(self, source: str, status: str, pages: int = 0) -> None:
        """A document was extracted (whatever its status)."""
        self.done += 1
        self.extracted += 1
        self.pages += pages
        if self.reading is not None and self.reading[0] == source:
            self.reading = None
        if self.mode == "documents":
            failed = f": {status}" if status != "ok" else ""
            self.write(f"[{self.done}/{self.total}] extracted {self.printable(source)}{failed}")
        self.tick()

    def tick(self) -> None:
        """Redraw the bar, or print the periodic line when it is due."""
        if self.mode == "bar" and self.bar is not None:
            if self.clock() - self.last_draw >= 0.1:
                self.update_bar()
        elif self.mode == "lines" and self.to_extract and self.clock() - self.last_line >= self.interval:
            self.last_line = self.clock()
            self.write(self.describe_rate())

    def end(self) -> None:
        """The extraction is over (documents or a stop): close the bar, say how long it took."""
        if self.ended:
            return
        self.ended = True
        if self.bar is not None:
            self.update_bar()
            self.bar.stop()
            self.bar = None
        if self.mode in ("lines", "documents") and self.extracted:
            elapsed = max(self.clock() - self.started, 1e-9)
            pages = f", {self.pages / elapsed:,.1f} pages/s" if self.pages else ""
            self.write(f"extract: {self.extracted:,} document{'s' if self.extracted != 1 else ''} extracted in "
                       f"{format_duration(elapsed)} ({self.extracted / elapsed:,.1f} documents/s{pages})")

    # -- what is said

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.extracted / elapsed if elapsed > 0 else 0.0

    def eta(self) -> str:
        rate = self.rate()
        left = self.to_extract - self.extracted
        return format_duration(left / rate) if rate > 0 else "unknown"

    def describe_reading(self) -> str:
        if self.reading is None:
            return ""
        source, number, pages = self.reading
        return f"{self.printable(source)}: page {number}" + (f" of {pages}" if pages else "")

    def describe_rate(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        pages = f", {self.pages / elapsed:,.1f} pages/s" if self.pages else ""
        reading = self.describe_reading()
        return (f"extract: {self.extracted:,}/{self.to_extract:,} extracted, {self.rate():,.1f} documents/s{pages}, "
                f"ETA {self.eta()}" + (f"; reading {reading}" if reading else ""))

    def write(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    # -- the terminal's bar

    def start_bar(self, where: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        self.bar = Bar(
            TextColumn("extract"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[reading]}"),
            console=console, auto_refresh=False, transient=False,
        )
        self.bar.start()
        self.bar_task = self.bar.add_task("extract", total=self.to_extract, rate="", reading=where)
        self.bar.refresh()

    def update_bar(self) -> None:
        pages = f" {self.pages / max(self.clock() - self.started, 1e-9):,.1f} pages/s" if self.pages else ""
        self.bar.update(self.bar_task, completed=self.extracted, rate=f"{self.rate():,.1f} documents/s{pages}",
                        reading=self.describe_reading())
        self.bar.refresh()
        self.last_draw = self.clock()
