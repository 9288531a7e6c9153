"""Compiled patterns kept between processes, as Python keeps compiled modules in ``__pycache__``.

Input: the regular expressions the package compiles as it loads (``re.compile`` at module level: the
names of every government, spelled out in six of the metadata's patterns, take a tenth of a second
to compile each time a process starts). Output: ``pipeline/__pycache__/patterns.bin``, written by
``make bytecode`` (``write_cache``): the code the ``re`` module made of each pattern; and, in a
process that finds that file (``install``, called as the package loads), the same patterns made
from that code, without parsing and compiling them again.

A pattern is looked up by its exact text and flags, so a pattern changed since the file was written
is compiled as before; a file written by another Python (its tag, ``cpython-311``, in the file's
first line), for another regular-expression engine (``_sre.MAGIC``) or damaged (its checksum) is
not read at all. The engine checks every code it is given as it checks its compiler's (``invalid
SRE code`` otherwise).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Callable

try:  # the standard library's compiler: re._compiler from Python 3.11, sre_compile before
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    _compiler = _parser = None

PACKAGE = Path(__file__).resolve().parent.parent
HEADER = b"kaigi-patterns 1 %s %d %d %s\n"
Compiled = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def find_cache_file() -> Path:
    """The file of the package's compiled patterns, beside its bytecode (its header names the Python
    that wrote it)."""
    return PACKAGE / "__pycache__" / "patterns.bin"


def make_header(body: bytes) -> bytes:
    """The first line of a file of ``body``: the Python, the engine and the body's checksum."""
    return HEADER % (sys.implementation.cache_tag.encode(), _sre.MAGIC, _sre.CODESIZE,
                     hashlib.sha256(body).hexdigest().encode())


def read_cache(path: Path) -> dict[tuple[str, int], Compiled]:
    """The compiled patterns of ``path`` by text and flags; none when the file is missing, of another
    Python or engine, or damaged."""
    if _compiler is None:
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header, newline, body = data.partition(b"\n")
    if not newline or header + newline != make_header(body):
        return {}
    try:
        table = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def compile_code(pattern: str, flags: int) -> Compiled:
    """What ``re``'s compiler makes of ``pattern`` (``re._compiler.compile``, taken apart): the flags,
    the code, the number of groups and their names."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def make_compiler(table: dict[tuple[str, int], Compiled], compile_pattern: Callable[..., Any],
                  made: dict[tuple[str, int], Compiled] | None = None) -> Callable[..., Any]:
    """A stand-in for ``re._compiler.compile`` that makes the patterns of ``table`` from their code and
    gives any other to ``compile_pattern`` (keeping its code in ``made``, when given)."""

    def compile(pattern: Any, flags: int = 0) -> Any:  # noqa: A001 - the name re's own module calls
        if type(pattern) is not str:  # a bytes pattern, or a parse tree
            return compile_pattern(pattern, flags)
        key = (pattern, int(flags))
        compiled = table.get(key)
        if compiled is None:
            if made is None:
                return compile_pattern(pattern, flags)
            compiled = made[key] = compile_code(pattern, int(flags))
        return _sre.compile(pattern, *compiled)

    compile.original = compile_pattern  # type: ignore[attr-defined]
    return compile


def install(path: Path | None = None) -> int:
    """Have ``re`` make the patterns of the file (``find_cache_file``) from their code; return how many
    it holds (0: nothing is changed)."""
    table = read_cache(path or find_cache_file())
    if not table:
        return 0
    current = getattr(_compiler.compile, "original", _compiler.compile)
    _compiler.compile = make_compiler(table, current)
    return len(table)


def write_cache(path: Path | None = None) -> int:
    """Compile the patterns of every module of the package (importing them), write the file through a
    temporary one and a rename; return how many patterns it holds."""
    import importlib
    import pkgutil

    path = path or find_cache_file()
    made: dict[tuple[str, int], Compiled] = {}
    current = getattr(_compiler.compile, "original", _compiler.compile)
    _compiler.compile = make_compiler({}, current, made)
    try:
        package = importlib.import_module(PACKAGE.name)
        for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE.name}."):
            if not module.name.endswith(".__main__"):  # (which would run the command line)
                importlib.import_module(module.name)
    finally:
        _compiler.compile = current
    body = marshal.dumps(made)
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(make_header(body) + body)
    os.replace(temporary, path)
    return len(made)

