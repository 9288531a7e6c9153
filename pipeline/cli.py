"""Command line: ``python -m pipeline COMMAND``.

Input: command-line arguments. Output: the exit status of the command run.
Commands: ``extract`` (see ``run.py``); ``show``, ``diff``, ``export``, ``review`` and
``dictionary`` (each registered by its own module).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import diff, dictionary, export, review, show
from .reader import DEFAULT_MAX_BYTES


def command_extract(args: argparse.Namespace) -> int:
    from .run import run_extract

    return run_extract(args.raw, args.out, args.max_bytes, use_cache=not args.no_cache)


def add_extract(sub) -> None:
    ext = sub.add_parser("extract", help="extract an input folder into Parquet tables")
    ext.add_argument("--raw", type=Path, default=Path("raw"), help="input folder (default raw/)")
    ext.add_argument("--out", type=Path, default=Path("extracted"), help="output folder (default extracted/)")
    ext.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="skip files larger than this")
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
    return args.func(args)
