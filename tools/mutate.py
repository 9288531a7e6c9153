#!/usr/bin/env python3
"""Mutation testing for the rule modules: does the test suite notice when a rule is removed?

    python tools/mutate.py [MODULE ...] [--list] [--diff] [--limit N] [--match REGEX]
                           [--jobs N] [--timeout SECONDS] [--tests FILE ...]
                           [--equivalent FILE]

MODULE is a path from the repository root (default: the rule modules of DEFAULT_MODULES that
exist: fields, money, ledger and table_rows of pipeline/parse/, and pipeline/text/vocab.py). The
tests run are the fast rule and form tests of DEFAULT_TESTS (never the real-PDF tests: too slow
to run once per mutant). Each mutant changes one thing in one module:

  alt    one alternative of a regex alternation removed (string literals passed to a ``re``
         function, joined into one with an f-string, or module-level ``NAME = "a|b"`` patterns)
  elem   one element of a tuple, list or set of strings removed (or of records that open
         with a string: ``(("令和", "R", 2018), …)``)
  key    one entry of a dict with string keys removed
  num    a numeric constant plus one
  cmp    a comparison flipped: < and <=, > and >=, == and !=
  bool   ``and`` and ``or`` swapped
  return ``return True`` and ``return False`` swapped

A mutant's id is ``file:line:col:kind:detail`` (line and column 1-based, the column counted in
characters), so the same source gives the same ids on every run. The real files are never
edited: the package holding the module is copied into a temporary folder, the mutant is
written there, and the tests run with that folder first on the import path (the rest of the
repository is linked in). A mutant is killed when the tests fail or time out.

``tools/mutate-equivalent.txt`` lists mutants that no test can kill because they do not change
what the code does: one line per mutant, ``<id> # <reason>``; blank lines and lines starting
with ``#`` are ignored. They are reported apart and not counted as survivors.

Exit status: 0 no survivors, 1 survivors, 2 the unmutated code fails the tests (or bad usage).
Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODULES = (
    "pipeline/parse/fields.py",
    "pipeline/text/vocab.py",
    "pipeline/parse/money.py",
    "pipeline/parse/ledger.py",
    "pipeline/parse/table_rows.py",
)
DEFAULT_TESTS = (
    "tests/test_rules.py",
    "tests/test_golden.py",
    "tests/test_seeds.py",
    "tests/test_segment_rules.py",
    "tests/test_forms.py",
    "tests/test_money.py",
    "tests/test_ledger.py",
)
DEFAULT_EQUIVALENT = ROOT / "tools" / "mutate-equivalent.txt"
# Functions of ``re`` whose first argument is a pattern.
RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
CMP_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
CMP_TEXT = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
# Stands for an f-string's ``{…}`` inside a pattern while its alternatives are found.
HOLE = 0xE000
# Not linked into the work folder: the package is copied, the rest is not needed.
NOT_LINKED = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis"}


@dataclass(frozen=True)
class Mutant:
    """One change to one module: the source span it replaces and the text put there."""

    file: str  # path from the repository root, POSIX
    line: int
    col: int
    kind: str
    detail: str
    start: int  # character offsets into the module's source
    end: int
    replacement: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}:{self.col}:{self.kind}:{self.detail}"

    def apply(self, source: str) -> str:
        return source[:self.start] + self.replacement + source[self.end:]


# -- regex alternations ----------------------------------------------------------------

def alternations(pattern: str) -> list[list[tuple[int, int]]]:
    """Return the alternatives of every alternation in ``pattern``: for each group (and the
    whole pattern) holding a ``|``, the (start, end) of each alternative, in pattern order.
    Escapes and character classes are skipped."""
    found: list[tuple[int, list[tuple[int, int]]]] = []
    stack: list[tuple[int, list[int]]] = [(0, [])]  # (content start, positions of "|")
    i, n = 0, len(pattern)

    def close(start: int, bars: list[int], end: int) -> None:
        if bars:
            edges = [start - 1] + bars + [end]
            found.append((start, [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]))

    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            j = i + 1
            if pattern.startswith("?P<", j) or (pattern.startswith("?<", j) and pattern[j + 2:j + 3] not in "=!"):
                j = pattern.index(">", j) + 1
            elif pattern.startswith("?P=", j):
                j = pattern.index(")", j)
            elif pattern.startswith("?<=", j) or pattern.startswith("?<!", j):
                j += 3
            elif pattern.startswith("?", j) and j + 1 < n and pattern[j + 1] in ":=!>":
                j += 2
            elif pattern.startswith("?", j):  # inline flags "(?i)" or "(?i:...)"
                while j < n and pattern[j] not in ":)":
                    j += 1
                if j < n and pattern[j] == ":":
                    j += 1
            stack.append((j, []))
            i = j
            continue
        if ch == ")" and len(stack) > 1:
            start, bars = stack.pop()
            close(start, bars, i)
        elif ch == "|":
            stack[-1][1].append(i)
        i += 1
    while stack:
        start, bars = stack.pop()
        close(start, bars, n)
    found.sort(key=lambda x: x[0])
    return [alts for _, alts in found]


def without_alternative(pattern: str, alts: list[tuple[int, int]], k: int) -> str:
    """``pattern`` with alternative ``k`` of one alternation and one of its ``|`` removed."""
    start, end = alts[k]
    if k + 1 < len(alts):
        return pattern[:start] + pattern[alts[k + 1][0]:]
    return pattern[:alts[k - 1][1]] + pattern[end:]


# -- finding what to mutate -------------------------------------------------------------

def is_re_call(node: ast.AST) -> bool:
    """``re.compile(...)``, ``re.sub(...)``, …"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
            and node.func.attr in RE_FUNCTIONS)


def is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def pattern_arg(call: ast.Call) -> ast.AST | None:
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg == "pattern"), None)


def has_alternation(value: str) -> bool:
    return bool(alternations(value))


def pattern_text(node: ast.AST) -> str:
    """The text of a string or f-string, each ``{…}`` a placeholder character."""
    if is_str(node):
        return node.value
    return "".join(part.value if is_str(part) else chr(HOLE + k) for k, part in enumerate(node.values))


class Finder:
    """Walks one module and lists its mutants."""

    def __init__(self, source: str, file: str):
        self.source = source
        self.file = file
        self.tree = ast.parse(source)
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.lines = source.splitlines(keepends=True)
        self.skip: set[int] = set()  # ids of nodes not to mutate (docstrings, f-string parts)
        self.patterns: list[ast.AST] = []  # str constants and f-strings holding regexes
        self.mutants: list[Mutant] = []

    # positions: ast gives UTF-8 byte columns; ids and splices use characters
    def offset(self, lineno: int, col_byte: int) -> int:
        line = self.lines[lineno - 1]
        return self.line_starts[lineno - 1] + len(line.encode("utf-8")[:col_byte].decode("utf-8"))

    def char_col(self, node: ast.AST) -> int:
        return len(self.lines[node.lineno - 1].encode("utf-8")[:node.col_offset].decode("utf-8")) + 1

    def add(self, at: ast.AST, kind: str, detail: str, node: ast.AST, replacement: str) -> None:
        """A mutant at ``at``'s position that replaces ``node``'s source with ``replacement``."""
        start = self.offset(node.lineno, node.col_offset)
        end = self.offset(node.end_lineno, node.end_col_offset)
        self.mutants.append(Mutant(self.file, at.lineno, self.char_col(at), kind, detail, start, end, replacement))

    def add_expr(self, at: ast.AST, kind: str, detail: str, node: ast.AST, new: ast.AST) -> None:
        """Replace expression ``node`` by ``new`` (unparsed, in parentheses so it binds as one)."""
        self.add(at, kind, detail, node, "(" + ast.unparse(ast.fix_missing_locations(new)) + ")")

    def find(self) -> list[Mutant]:
        self.mark_skipped()
        self.mark_patterns()
        for node in ast.walk(self.tree):
            if id(node) in self.skip:
                continue
            stored = isinstance(getattr(node, "ctx", None), ast.Store)  # "a, b = …" is no vocabulary
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and not stored:
                self.containers(node)
            elif isinstance(node, ast.Dict):
                self.dicts(node)
            elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
                self.add(node, "num", f"{node.value!r}→{node.value + 1!r}", node, repr(node.value + 1))
            elif isinstance(node, ast.Compare):
                self.compares(node)
            elif isinstance(node, ast.BoolOp):
                new = copy.deepcopy(node)
                new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
                old, flipped = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
                self.add_expr(node, "bool", f"{old}→{flipped}", node, new)
            elif isinstance(node, ast.Return) and isinstance(getattr(node.value, "value", None), bool):
                value = node.value.value
                self.add(node.value, "return", f"{value}→{not value}", node.value, repr(not value))
        for node in self.patterns:
            self.alternatives(node)
        self.mutants.sort(key=lambda m: (m.line, m.col))  # stable: the walk's order within one place
        return dedupe(self.mutants)

    def mark_skipped(self) -> None:
        for node in ast.walk(self.tree):
            body = getattr(node, "body", None)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
                first = body[0]
                if isinstance(first, ast.Expr) and is_str(first.value):
                    self.skip.add(id(first.value))
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if inner is not node:
                        self.skip.add(id(inner))
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in {"__all__", "__slots__"}
                                                    for t in node.targets):
                for inner in ast.walk(node.value):
                    self.skip.add(id(inner))

    def mark_patterns(self) -> None:
        """Find the string literals that are regexes: a ``re`` function's pattern argument, the
        module-level names such a pattern takes in (``rf"…{UNIT}…"``), and module-level
        ``NAME = "a|b"`` strings that other modules join into their patterns."""
        assigned: dict[str, ast.AST] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    if isinstance(t, ast.Name) and (is_str(stmt.value) or isinstance(stmt.value, ast.JoinedStr)):
                        assigned[t.id] = stmt.value
        chosen: dict[int, ast.AST] = {}
        todo: list[ast.AST] = [pattern_arg(n) for n in ast.walk(self.tree) if is_re_call(n)]
        for name, value in assigned.items():
            if name.isupper() and has_alternation(pattern_text(value)):
                todo.append(value)
        while todo:
            expr = todo.pop()
            if expr is None:
                continue
            for node in ast.walk(expr):
                if (is_str(node) and id(node) not in self.skip) or isinstance(node, ast.JoinedStr):
                    chosen.setdefault(id(node), node)
                if isinstance(node, ast.Name) and node.id in assigned and id(assigned[node.id]) not in chosen:
                    todo.append(assigned[node.id])
        self.patterns = sorted(chosen.values(), key=lambda n: (n.lineno, n.col_offset))

    def alternatives(self, node: ast.AST) -> None:
        """One mutant per alternative of every alternation in the pattern ``node``."""
        if isinstance(node, ast.JoinedStr):
            holes: list[ast.AST] = []
            text = ""
            for part in node.values:
                if is_str(part):
                    text += part.value
                else:
                    text += chr(HOLE + len(holes))
                    holes.append(part)
        else:
            text, holes = node.value, []
        seen: dict[str, int] = {}
        for alts in alternations(text):
            for k, (a, b) in enumerate(alts):
                shown = self.show(text[a:b], holes)
                seen[shown] = seen.get(shown, 0) + 1
                detail = "-" + shown + (f"@{seen[shown]}" if seen[shown] > 1 else "")
                new_text = without_alternative(text, alts, k)
                self.add(node, "alt", detail, node, self.literal(new_text, holes, node))

    def show(self, text: str, holes: list[ast.AST]) -> str:
        out = ""
        for ch in text:
            if HOLE <= ord(ch) < HOLE + len(holes):
                out += "{" + ast.unparse(holes[ord(ch) - HOLE].value) + "}"
            else:
                out += ch
        return out.replace("\n", "\\n") or "(empty)"

    def literal(self, text: str, holes: list[ast.AST], node: ast.AST) -> str:
        """Source for the string (or f-string) ``text``, its holes the original ``{…}``."""
        if not holes:
            return "(" + raw_literal(text) + ")"
        values: list[ast.AST] = []
        piece = ""
        for ch in text:
            if HOLE <= ord(ch) < HOLE + len(holes):
                if piece:
                    values.append(ast.Constant(piece))
                piece = ""
                values.append(copy.deepcopy(holes[ord(ch) - HOLE]))
            else:
                piece += ch
        if piece:
            values.append(ast.Constant(piece))
        return "(" + ast.unparse(ast.fix_missing_locations(ast.JoinedStr(values))) + ")"

    def containers(self, node: ast.AST) -> None:
        """Strings (``("新規", "拡充")``) or records that open with one (``(("令和", "R", 2018), …)``)."""
        elts = node.elts
        words = all(is_str(e) for e in elts)
        records = all(isinstance(e, ast.Tuple) and e.elts and is_str(e.elts[0]) for e in elts)
        if not elts or not (words or records):
            return
        for k, e in enumerate(elts):
            new = copy.deepcopy(node)
            del new.elts[k]
            if isinstance(node, ast.Set) and not new.elts:
                new = ast.Call(ast.Name("set", ast.Load()), [], [])
            self.add_expr(e, "elem", "-" + (e.value if words else ast.unparse(e)), node, new)

    def dicts(self, node: ast.Dict) -> None:
        if not node.keys or not all(k is not None and is_str(k) for k in node.keys):
            return
        for k, key in enumerate(node.keys):
            new = copy.deepcopy(node)
            del new.keys[k]
            del new.values[k]
            self.add_expr(key, "key", "-" + key.value, node, new)

    def compares(self, node: ast.Compare) -> None:
        for k, op in enumerate(node.ops):
            if type(op) not in CMP_FLIP:
                continue
            new = copy.deepcopy(node)
            new.ops[k] = CMP_FLIP[type(op)]()
            left = node.left if k == 0 else node.comparators[k - 1]
            detail = f"{CMP_TEXT[type(op)]}→{CMP_TEXT[CMP_FLIP[type(op)]]}"
            self.add_expr(left, "cmp", detail, node, new)


def raw_literal(text: str) -> str:
    """A raw string literal for ``text`` when one can spell it, else ``repr``."""
    if "\n" not in text and "\r" not in text and not text.endswith("\\"):
        for quote in ('"', "'"):
            if quote not in text:
                candidate = "r" + quote + text + quote
                try:
                    if ast.literal_eval(candidate) == text:
                        return candidate
                except (SyntaxError, ValueError):
                    pass
    return repr(text)


def dedupe(mutants: list[Mutant]) -> list[Mutant]:
    """Give mutants that would share an id (``a and b or c``: two BoolOps at one column) ``@n``."""
    counts: dict[str, int] = {}
    out = []
    for m in mutants:
        counts[m.id] = counts.get(m.id, 0) + 1
        if counts[m.id] > 1:
            m = Mutant(m.file, m.line, m.col, m.kind, f"{m.detail}@{counts[m.id]}", m.start, m.end, m.replacement)
        out.append(m)
    return out


def find_mutants(root: Path, modules: list[str]) -> list[Mutant]:
    mutants: list[Mutant] = []
    for module in modules:
        source = (root / module).read_text(encoding="utf-8")
        for m in Finder(source, module).find():
            try:
                compile(m.apply(source), module, "exec")
            except SyntaxError as exc:  # a bug of this tool: say so rather than count it killed
                raise SystemExit(f"mutate: mutant {m.id} is not valid Python: {exc}") from exc
            mutants.append(m)
    return mutants


def read_equivalent(path: Path) -> dict[str, str]:
    """``<id> # <reason>`` lines: the known-equivalent mutants and why."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        mutant_id, sep, reason = line.partition(" # ")
        if not sep or not reason.strip():
            raise SystemExit(f"mutate: {path}:{number}: expected '<id> # <reason>'")
        out[mutant_id.strip()] = reason.strip()
    return out


# -- running the tests --------------------------------------------------------------------

class Workspace:
    """A temporary copy of the package the modules live in, the rest of the repository linked."""

    def __init__(self, root: Path, modules: list[str], base: Path):
        self.root = root
        self.dir = Path(tempfile.mkdtemp(prefix="work-", dir=base))
        packages = sorted({Path(m).parts[0] for m in modules})
        for entry in sorted(root.iterdir()):
            if entry.name in NOT_LINKED:
                continue
            if entry.name in packages:
                shutil.copytree(entry, self.dir / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                (self.dir / entry.name).symlink_to(entry)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        paths = [str(self.dir)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant of the same size and mtime must not load a stale .pyc
        env["PYTHONHASHSEED"] = "0"
        return env

    def write(self, module: str, source: str) -> None:
        (self.dir / module).write_text(source, encoding="utf-8")

    def restore(self, module: str) -> None:
        shutil.copyfile(self.root / module, self.dir / module)

    def run_tests(self, python: str, tests: list[str], timeout: float) -> tuple[str, float, str]:
        """Run the tests here: ("passed" | "failed" | "timeout", seconds, output)."""
        cmd = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=self.dir, env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            return "timeout", time.monotonic() - started, out.decode("utf-8", "replace")
        status = "passed" if proc.returncode == 0 else "failed"
        return status, time.monotonic() - started, out.decode("utf-8", "replace")

    def imports_from_here(self, python: str, module: str) -> bool:
        name = ".".join(Path(module).with_suffix("").parts)
        probe = f"import {name} as m; print(m.__file__)"
        out = subprocess.run([python, "-c", probe], cwd=self.dir, env=self.env(), capture_output=True, text=True,
                             check=False)
        return out.returncode == 0 and Path(out.stdout.strip()).resolve() == (self.dir / module).resolve()


def run_all(root: Path, mutants: list[Mutant], modules: list[str], tests: list[str], python: str,
            jobs: int, timeout: float | None, log=print) -> dict[str, str]:
    """Run the tests against every mutant; return {id: "killed" | "timeout" | "survived"}."""
    results: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="mutate-") as base:
        spaces = [Workspace(root, modules, Path(base)) for _ in range(max(1, min(jobs, len(mutants) or 1)))]
        for module in modules:
            if not spaces[0].imports_from_here(python, module):
                raise SystemExit(f"mutate: {module} is not imported from the work copy; check PYTHONPATH")
        status, seconds, out = spaces[0].run_tests(python, tests, timeout or 600)
        if status != "passed":
            log(out)
            log("mutate: the tests fail on the unmutated code; nothing to measure")
            raise SystemExit(2)
        limit = timeout or max(30.0, 5 * seconds)
        log(f"baseline: tests pass in {seconds:.1f}s; per-mutant timeout {limit:.0f}s; "
            f"{len(mutants)} mutants, {len(spaces)} job(s)")
        sources = {m: (root / m).read_text(encoding="utf-8") for m in modules}
        free = list(spaces)

        def one(m: Mutant) -> tuple[Mutant, str]:
            space = free.pop()
            try:
                space.write(m.file, m.apply(sources[m.file]))
                status, _, _ = space.run_tests(python, tests, limit)
            finally:
                space.restore(m.file)
                free.append(space)
            return m, {"passed": "survived", "failed": "killed", "timeout": "timeout"}[status]

        with ThreadPoolExecutor(max_workers=len(spaces)) as pool:
            for done, (m, result) in enumerate(pool.map(one, mutants), 1):
                results[m.id] = result
                log(f"[{done}/{len(mutants)}] {result:8} {m.id}")
    return results


def report(mutants: list[Mutant], results: dict[str, str], equivalent: dict[str, str], log=print) -> int:
    counted = [m for m in mutants if m.id not in equivalent]
    killed = [m for m in counted if results[m.id] in {"killed", "timeout"}]
    survived = [m for m in counted if results[m.id] == "survived"]
    equiv = [m for m in mutants if m.id in equivalent]
    rate = 100.0 * len(killed) / len(counted) if counted else 100.0
    log("")
    log(f"mutants:    {len(mutants)} ({len(equiv)} known equivalent, not counted)")
    timeouts = sum(results[m.id] == "timeout" for m in killed)
    log(f"killed:     {len(killed)}" + (f" ({timeouts} by timeout)" if timeouts else ""))
    log(f"survived:   {len(survived)}")
    log(f"kill rate:  {len(killed)}/{len(counted)} = {rate:.1f}%")
    if survived:
        log("\nsurvivors:")
        for m in survived:
            log(f"  {m.file}:{m.line}  {m.kind} {m.detail}    [{m.id}]")
    if equiv:
        log("\nknown equivalent:")
        for m in equiv:
            stale = "  (but the tests kill it now: take it off the list)" if results[m.id] != "survived" else ""
            log(f"  {m.file}:{m.line}  {m.kind} {m.detail}: {equivalent[m.id]}{stale}")
    return 1 if survived else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation testing of rule modules (see the module docstring).")
    parser.add_argument("modules", nargs="*", help="module paths from the repository root")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--diff", action="store_true", help="with --list, show each mutant as a diff")
    parser.add_argument("--limit", type=int, help="only the first N mutants")
    parser.add_argument("--match", help="only mutants whose id matches this regular expression")
    parser.add_argument("--jobs", "-j", type=int, default=min(4, os.cpu_count() or 1), help="mutants run at once")
    parser.add_argument("--timeout", type=float,
                        help="seconds per mutant (default: 5 × the unmutated run, at least 30)")
    parser.add_argument("--tests", nargs="+", help=f"test files to run (default: {' '.join(DEFAULT_TESTS)})")
    parser.add_argument("--equivalent", type=Path, default=DEFAULT_EQUIVALENT, help="known-equivalent mutants file")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs pytest")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    root = args.root.resolve()
    modules = args.modules or [m for m in DEFAULT_MODULES if (root / m).exists()]
    for module in modules:
        if not (root / module).is_file():
            parser.error(f"no module {module} under {root}")
    modules = [Path(m).as_posix() for m in modules]
    tests = args.tests or [t for t in DEFAULT_TESTS if (root / t).exists()]
    equivalent = read_equivalent(args.equivalent)

    every = find_mutants(root, modules)
    mutants = [m for m in every if not args.match or re.search(args.match, m.id)]
    if args.limit is not None:
        mutants = mutants[:args.limit]
    ids = {m.id for m in every}
    stale = sorted(i for i in equivalent if i not in ids and any(i.startswith(m + ":") for m in modules))
    for i in stale:
        print(f"warning: {args.equivalent.name} lists {i}, which is no mutant of the current source")

    if args.list:
        sources = {m: (root / m).read_text(encoding="utf-8") for m in modules}
        for m in mutants:
            print(m.id + ("    [equivalent]" if m.id in equivalent else ""))
            if args.diff:
                diff = difflib.unified_diff(sources[m.file].splitlines(), m.apply(sources[m.file]).splitlines(),
                                            lineterm="", n=0)
                print("\n".join("    " + d for d in list(diff)[2:]))
        print(f"{len(mutants)} mutants ({sum(m.id in equivalent for m in mutants)} known equivalent)")
        return 0

    results = run_all(root, mutants, modules, tests, args.python, args.jobs, args.timeout)
    return report(mutants, results, equivalent)


if __name__ == "__main__":
    sys.exit(main())
