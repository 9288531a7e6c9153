"""Command line: ``python -m pipeline COMMAND``.

Input: command-line arguments. Output: the exit status of the command run.
Commands: ``extract`` (see ``run.py``); ``show``, ``diff``, ``export``, ``review`` and
``dictionary`` (each registered by its own module).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import diff, dictionary, export, review, show
from .isolate import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, Limits
from .reader import DEFAULT_MAX_BYTES


def command_extract(args: argparse.Namespace) -> int:
    from .run import run_extract

    limits = Limits(args.max_bytes, args.timeout, args.max_memory * 1024 * 1024)
    return run_extract(args.raw, args.out, use_cache=not args.no_cache, limits=limits)


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


def add_extract(sub) -> None:
    ext = sub.add_parser("extract", help="extract an input folder into Parquet tables")
    ext.add_argument("--raw", type=Path, default=Path("raw"), help="input folder (default raw/)")
    ext.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (default extracted/)")
    ext.add_argument("--max-bytes", type=parse_positive_int, default=DEFAULT_MAX_BYTES,
                     help=f"files larger than this many bytes get status too_large (default {DEFAULT_MAX_BYTES:,})")
    ext.add_argument("--timeout", type=parse_seconds, default=DEFAULT_TIMEOUT,
                     help=f"stop a document after this many seconds, status timeout (default {DEFAULT_TIMEOUT:g}; "
                          "0 runs every document in this process, with no limit)")
    ext.add_argument("--max-memory", type=parse_positive_int, default=DEFAULT_MAX_MEMORY // 2**20, metavar="MIB",
                     help="memory one document may use, in MiB, status too_large past it "
                          f"(default {DEFAULT_MAX_MEMORY // 2**20})")
    ext.add_argument("--no-cache", action="store_true", help="extract every document again")
    ext.set_defaults(func=command_extract)


# Each command registers its own sub-parser here.
COMMANDS = [add_extract, show.add_command, diff.add_command, export.add_command, review.add_command, dictionary.add_command]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Meeting materials to structured tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: the previous tables are left as they were", file=sys.stderr)
        return 130
