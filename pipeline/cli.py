"""Command line: ``kaigi-extract COMMAND`` (or ``python -m pipeline COMMAND``); the only module that knows argparse.

Input: command-line arguments. Output: the exit status of the command run.
Commands: ``extract`` (``run.folder``), ``show`` and ``diff`` (``review.show``,
``review.diff``), ``export`` (``output.csv``), ``review`` (``review.report``) and
``dictionary`` (``review.dictionary``), ``score`` (``review.score``). Each command's module is imported when the command
runs, so ``--help`` does not load pyarrow, pdfplumber or the Sudachi dictionary.

Exit status (``EXIT_STATUS``, printed by ``--help``): 0 done; 1 some documents failed
(``extract``) or the tables differ (``diff``); 2 the command could not be done (bad
arguments, unreadable tables, a destination that cannot be written or is in use); 70 an
internal error (a bug); 128 + the signal's number when stopped by SIGINT, SIGTERM or SIGHUP.
Errors are one line on stderr; ``-v`` adds the traceback of an internal error, ``-q`` keeps
only problems.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .read.engines import DEFAULT_PDF_ENGINE, OCR_ENV, PDF_ENGINES
from .records import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, Limits

DEFAULT_MAX_MEMORY_MIB = DEFAULT_MAX_MEMORY // 2**20
# Exit status of an uncaught exception (sysexits' EX_SOFTWARE): a bug, not a document that failed.
INTERNAL_ERROR = 70
PROG = "kaigi-extract"

STATUS_STOPPED = (
    "  130  stopped by SIGINT (Ctrl-C)\n"
    "  143  stopped by SIGTERM\n"
    "  129  stopped by SIGHUP\n"
)
STATUS_COMMON = (
    "  2    the command could not be done: bad arguments, tables that cannot be read (or that a killed\n"
    "       run left half-replaced), a destination that cannot be written; nothing was changed\n"
    "  70   internal error: a bug to report (-v prints the traceback)\n"
) + STATUS_STOPPED
EXIT_STATUS = {
    "": "exit status:\n  0    done (extract: every document extracted; diff: no differences)\n"
        "  1    extract: some documents failed, the tables were written all the same; diff: the tables differ\n"
        + STATUS_COMMON,
    "extract": "exit status:\n  0    every document was extracted (status ok)\n"
               "  1    some documents failed: the tables were written with every document, failed ones included\n"
               "  2    the run could not be done: no input folder or nothing to extract in it, an output folder that\n"
               "       is or lies in the input folder, bad arguments, output folder not writable or in use by\n"
               "       another run; the previous tables are untouched\n"
               "  70   internal error: a bug to report (-v prints the traceback); the previous tables are untouched\n"
               + STATUS_STOPPED,
    "diff": "exit status:\n  0    identical\n  1    the tables differ\n" + STATUS_COMMON,
}


def parse_positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def parse_seconds(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 or more, not {text}")
    return value


class Stopped(BaseException):
    """The process got SIGTERM or SIGHUP: unwound like Ctrl-C, so every ``finally`` runs (workers are
    killed, temporary files removed) and the exit status is 128 + the signal's number."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def raise_stopped(signum: int, frame: Any) -> None:
    raise Stopped(signum)


def handle_stop_signals() -> None:
    """Turn SIGTERM and SIGHUP into ``Stopped`` (SIGINT is Python's ``KeyboardInterrupt`` already)."""
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, raise_stopped)


def report_stop(signum: int) -> int:
    """Say which signal stopped the command; return 128 + its number, as a shell does."""
    print(f"stopped by {signal.Signals(signum).name}: no file was left half-written (the previous tables stay "
          "until a run completes)", file=sys.stderr)
    return 128 + signum


def print_error(message: str) -> int:
    """Print ``error: message`` on stderr and return exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def describe_os_error(exc: OSError) -> str:
    """One line for an operating-system error: the file and the reason (``x: Permission denied``)."""
    if exc.strerror and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc.strerror or exc)


def write_stdout(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


# ---------------------------------------------------------------- the commands


def run_extract(args: argparse.Namespace) -> int:
    from .run.folder import run_extract as extract

    if args.scheduler is not None and args.engine != "dask":
        return print_error("--scheduler goes with --engine dask")
    if args.no_ocr:  # read by every worker process, started after this
        os.environ[OCR_ENV] = "0"
    limits = Limits(args.max_bytes, args.timeout, args.max_memory * 1024 * 1024)
    return extract(args.raw, args.out, use_cache=not args.no_cache, limits=limits, verbosity=args.verbosity,
                   jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, pdf_engine=args.pdf_engine,
                   manifest=args.manifest)


def run_show(args: argparse.Namespace) -> int:
    from .output.tables import TableReadError, read_parquet_file
    from .review.show import format_records

    try:
        rows = read_parquet_file(Path(args.file))
    except TableReadError as exc:
        return print_error(str(exc))
    write_stdout(format_records(rows))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from .output.tables import TableReadError, read_folder, read_git_revision
    from .review.diff import compare_extractions, render_markdown

    try:
        if args.rev and not args.folders and len(args.rev) == 2:
            old = read_git_revision(args.rev[0], args.folder)
            new = read_git_revision(args.rev[1], args.folder)
            labels = (args.rev[0], args.rev[1])
        elif len(args.folders) == 2 and not args.rev:
            old, new = read_folder(Path(args.folders[0])), read_folder(Path(args.folders[1]))
            labels = (args.folders[0], args.folders[1])
        else:
            return print_error("give two folders (diff OLD NEW) or two revisions (diff --rev A --rev B)")
    except TableReadError as exc:
        return print_error(str(exc))
    diff = compare_extractions(old, new, *labels)
    write_stdout(render_markdown(diff))
    return 1 if diff.differs else 0


def run_export(args: argparse.Namespace) -> int:
    from .output.csv import write_csv_folder
    from .output.tables import TableReadError

    try:
        written = write_csv_folder(args.out, args.csv, formula_guard=not args.no_formula_guard)
    except TableReadError as exc:
        return print_error(str(exc))
    for name, n_rows in written if args.verbosity else []:
        print(f"{name}: {n_rows} rows → {args.csv / name}" if n_rows is not None else f"{name} → {args.csv / name}")
    return 0


def run_review(args: argparse.Namespace) -> int:
    from .output.tables import TableReadError
    from .review.report import generate_report

    dest = args.dest if args.dest is not None else args.out / "review"
    if not args.raw.is_dir():
        return print_error(f"input folder {args.raw} does not exist (--raw: where the documents were extracted from)")
    try:
        files = generate_report(args.raw, args.out, dest)
    except TableReadError as exc:
        return print_error(str(exc))
    pages = sum(1 for f in files if f.path.endswith(".html"))
    if args.verbosity:
        print(f"{pages} pages, {len(files) - pages} images → {dest / 'index.html'}")
    return 0


def run_dictionary(args: argparse.Namespace) -> int:
    from .output.files import write_atomic
    from .review.dictionary import render_dictionary

    text = render_dictionary()
    if args.output is None:
        write_stdout(text)
    else:
        write_atomic(args.output, text.encode("utf-8"))
        if args.verbosity:
            print(f"{args.output}")
    return 0


def run_score(args: argparse.Namespace) -> int:
    from .output.tables import TableReadError, read_folder
    from .review.score import read_goldens, render_details, render_scores, score_extraction

    try:
        tables = read_folder(args.out)
    except TableReadError as exc:
        return print_error(str(exc))
    goldens = read_goldens(args.golden)
    if not goldens:
        return print_error(f"no goldens in {args.golden / 'documents'}")
    scores = score_extraction(goldens, tables)
    text = render_scores(scores)
    if args.details:
        text += "\n" + render_details(scores, held_out=args.held_out_details)
    write_stdout(text)
    return 0


# ---------------------------------------------------------------- the parsers


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``kaigi-extract extract: error: … (see … --help)``."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def add_parser(sub: Any, name: str, summary: str, examples: str, description: str = "") -> argparse.ArgumentParser:
    """Add a sub-command whose ``--help`` ends with its examples and its exit status."""
    status = EXIT_STATUS.get(name, "exit status:\n  0    done\n" + STATUS_COMMON)
    return sub.add_parser(
        name, help=summary, description=(description or summary),
        epilog="examples:\n" + examples + "\n" + status, formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_extract(sub: Any) -> None:
    cmd = add_parser(sub, "extract", "extract an input folder into Parquet tables", (
        "  kaigi-extract extract                          # raw/ into extracted/\n"
        "  kaigi-extract extract --raw raw --out extracted\n"
        "  kaigi-extract extract --raw raw --out /tmp/x --no-cache --timeout 60\n"
        "  kaigi-extract extract --raw raw --out /tmp/y --pdf-engine pdfplumber\n"
        "  kaigi-extract extract --no-ocr                 # scanned pages are not read by OCR\n"
        "  kaigi-extract extract --jobs 4                 # four worker processes\n"
        "  kaigi-extract extract --engine dask --scheduler tcp://10.0.0.5:8786\n"
        "  kaigi-extract extract --raw /mnt/share/pdfs --out /tmp/z --manifest notes/sources.csv\n"
    ), "Extract every file under --raw into tables in --out; unchanged documents are reused. "
       "Exit status: 0 all documents extracted, 1 some failed (tables written all the same), "
       "2 the run could not be done.")
    cmd.add_argument("--raw", type=Path, default=Path("raw"), help="input folder (default raw/)")
    cmd.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (default extracted/)")
    cmd.add_argument("--max-bytes", type=parse_positive_int, default=DEFAULT_MAX_BYTES,
                     help=f"files larger than this many bytes get status too_large (default {DEFAULT_MAX_BYTES:,})")
    cmd.add_argument("--timeout", type=parse_seconds, default=DEFAULT_TIMEOUT,
                     help=f"stop a document after this many seconds, status timeout (default {DEFAULT_TIMEOUT:g}; "
                          "0 runs every document in this process, with no limit)")
    cmd.add_argument("--max-memory", type=parse_positive_int, default=DEFAULT_MAX_MEMORY_MIB, metavar="MIB",
                     help=f"memory one document may use, in MiB, status too_large past it (default {DEFAULT_MAX_MEMORY_MIB})")
    cmd.add_argument("--no-cache", action="store_true", help="extract every document again")
    cmd.add_argument("--no-ocr", action="store_true",
                     help=f"do not read pages without a text layer by OCR (tesseract): a scan is no_text_layer "
                          f"(the same as {OCR_ENV}=0 in the environment)")
    cmd.add_argument("--pdf-engine", choices=PDF_ENGINES, default=DEFAULT_PDF_ENGINE,
                     help=f"library that reads PDFs: pdfium (pypdfium2, fast) or pdfplumber (pdfminer, the reference); "
                          f"the tables are the same but for boxes a fraction of a point apart (default {DEFAULT_PDF_ENGINE})")
    cmd.add_argument("--jobs", "-j", type=parse_positive_int, default=None, metavar="N",
                     help="documents extracted at once, each in a worker process (default: the machine's cores; "
                          "with --engine dask and no --scheduler, the local cluster's workers)")
    cmd.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="where documents are extracted: worker processes of this machine (local, the default) or "
                          "a Dask cluster (dask: needs the dask extra, pip install 'kaigi-extract[dask]')")
    cmd.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="with --engine dask, the address of the cluster's scheduler (tcp://host:8786); "
                          "without it, a local cluster of --jobs workers is started for the run")
    cmd.add_argument("--manifest", type=Path, default=None, metavar="FILE",
                     help="what the publisher states of each file (source URL, government, fiscal year…), as CSV "
                          "(default: the input folder's sources.csv, if any)")
    cmd.set_defaults(func=run_extract)


def add_show(sub: Any) -> None:
    cmd = add_parser(sub, "show", "print a Parquet table as sorted JSON Lines (git textconv)", (
        "  kaigi-extract show extracted/programs.parquet\n"
        "  git config diff.parquet.textconv \".venv/bin/python -m pipeline show\"\n"
    ))
    cmd.add_argument("file", help="a Parquet file")
    cmd.set_defaults(func=run_show)


def add_diff(sub: Any) -> None:
    cmd = add_parser(sub, "diff", "compare two extractions (folders or git revisions of extracted/) as Markdown", (
        "  kaigi-extract diff old-extracted/ extracted/\n"
        "  kaigi-extract diff --rev main --rev HEAD\n"
    ), "Exit status: 0 when identical, 1 when anything differs, 2 when a table cannot be read.")
    cmd.add_argument("folders", nargs="*", metavar="FOLDER", help="OLD and NEW extraction folders")
    cmd.add_argument("--rev", action="append", default=[], metavar="REV",
                     help="a git revision; give two (--rev main --rev HEAD) to compare extracted/ at each")
    cmd.add_argument("--folder", default="extracted", help="folder inside the repository for --rev (default extracted)")
    cmd.set_defaults(func=run_diff)


def add_export(sub: Any) -> None:
    cmd = add_parser(sub, "export", "write every table as Excel-ready CSV (UTF-8 with BOM, CRLF)", (
        "  kaigi-extract export --csv csv/\n"
        "  kaigi-extract export --csv csv/ --out extracted --no-formula-guard\n"
    ))
    cmd.add_argument("--csv", type=Path, required=True, metavar="DIR", help="folder to write <table>.csv into")
    cmd.add_argument("--out", type=Path, default=Path("extracted"), help="extraction folder to read (default extracted/)")
    cmd.add_argument("--no-formula-guard", action="store_true",
                     help="write text cells that begin with = + - @ as they are")
    cmd.set_defaults(func=run_export)


def add_review(sub: Any) -> None:
    cmd = add_parser(sub, "review", "write the static HTML review report (extracted/review/)", (
        "  kaigi-extract review\n"
        "  kaigi-extract review --raw raw --out extracted --dest /tmp/review\n"
    ))
    cmd.add_argument("--raw", type=Path, default=Path("raw"), help="input folder the sources are read from (default raw/)")
    cmd.add_argument("--out", type=Path, default=Path("extracted"), help="extraction folder (default extracted/)")
    cmd.add_argument("--dest", type=Path, default=None, help="report folder (default OUT/review)")
    cmd.set_defaults(func=run_review)


def add_dictionary(sub: Any) -> None:
    cmd = add_parser(sub, "dictionary", "render schemas/ as the Markdown data dictionary", (
        "  kaigi-extract dictionary\n"
        "  kaigi-extract dictionary --output docs/data-dictionary.md\n"
    ))
    cmd.add_argument("--output", type=Path, default=None, help="file to write (default: print)")
    cmd.set_defaults(func=run_dictionary)


def add_score(sub: Any) -> None:
    cmd = add_parser(sub, "score", "measure an extraction against hand-checked goldens (precision, recall, fields)", (
        "  kaigi-extract score --golden tests/real --out build/real\n"
        "  kaigi-extract score --golden tests/real --out build/real --details\n"
    ), "Prints a Markdown table per document: programs expected, found and matched, precision, recall, "
       "F1, the share of matched programs with each field right, and wrong budgets; held-out documents "
       "apart. The goldens' format is in tests/real/README.md.")
    cmd.add_argument("--golden", type=Path, default=Path("tests/real"), help="goldens folder (default tests/real/)")
    cmd.add_argument("--out", type=Path, default=Path("build/real"), help="extraction folder (default build/real/)")
    cmd.add_argument("--details", action="store_true", help="list missed and extra programs and wrong budgets")
    cmd.add_argument("--held-out-details", action="store_true",
                     help="with --details, list them for held-out documents too (for the final report only)")
    cmd.set_defaults(func=run_score)


COMMANDS: list[Callable[[Any], None]] = [add_extract, add_show, add_diff, add_export, add_review, add_dictionary,
                                         add_score]


def add_verbosity(parser: argparse.ArgumentParser, default: Any) -> None:
    """``-q``/``-v``, accepted before the command and after it (``kaigi-extract -q extract``, ``extract -q``)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=0, default=default,
                       help="print only problems: failed documents and errors")
    group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=2, default=default,
                       help="also print a line per document (extract) and the traceback of an internal error")


def find_prog() -> str:
    """``python -m pipeline`` when run so, else the installed command's name."""
    return "python -m pipeline" if sys.argv and sys.argv[0].endswith("__main__.py") else PROG


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=find_prog(), description="Meeting materials to structured tables.",
        epilog=f"examples:\n  {PROG} extract --raw raw --out extracted\n"
               f"  {PROG} COMMAND --help\n\n" + EXIT_STATUS[""], formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_verbosity(parser, 1)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(sub)
    for command in sub.choices.values():
        add_verbosity(command, argparse.SUPPRESS)  # when not given after the command, the value before it holds
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handle_stop_signals()
    try:
        return int(args.func(args))
    except OSError as exc:  # a folder that cannot be written, a file in the way: the user's to fix
        return print_error(describe_os_error(exc))
    except KeyboardInterrupt:
        return report_stop(signal.SIGINT)
    except Stopped as stop:
        return report_stop(stop.signum)
    except Exception as exc:  # a bug: said in one line, told apart from documents that failed
        if args.verbosity >= 2:
            traceback.print_exc()
        first = (str(exc).splitlines() or [""])[0]
        print(f"internal error: {type(exc).__name__}: {first} (a bug: please report it; run again with -v for "
              f"the traceback)", file=sys.stderr)
        return INTERNAL_ERROR
