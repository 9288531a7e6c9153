"""Compiled patterns kept between processes (pipeline/text/compiled.py): the file ``make bytecode``
writes holds, for every pattern, exactly the code ``re`` makes of it; a process serves them from it,
and a damaged or foreign file is not read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.parse import metadata
from pipeline.text import compiled

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file written by a new process (this one has loaded the package's modules already)."""
    path = tmp_path_factory.mktemp("patterns") / "patterns.bin"
    code = "import sys; from pathlib import Path; from pipeline.text.compiled import write_cache; " \
           "print(write_cache(Path(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert int(done.stdout) == len(compiled.read_cache(path))
    return path


def test_the_file_holds_the_code_re_makes_of_every_pattern(cache_file: Path) -> None:
    table = compiled.read_cache(cache_file)
    assert (metadata.COVER_NAME.pattern.pattern, 0) in table  # every government's name, spelled out
    assert len(table) > 200
    for (pattern, flags), stored in table.items():
        assert compiled.compile_code(pattern, flags) == stored, pattern[:80]


class CompiledAgain(Exception):
    pass


def test_patterns_are_made_from_the_file_without_being_compiled(cache_file: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = metadata.BUDGET_TITLE.pattern.pattern
    expected = compiled.compile_code(pattern, 0)
    monkeypatch.setattr(compiled._compiler, "compile", compiled._compiler.compile)  # restored afterwards
    assert compiled.install(cache_file) > 200

    def refuse(*args: object) -> None:
        raise CompiledAgain

    monkeypatch.setattr(compiled._parser, "parse", refuse)
    re.purge()
    served = re.compile(pattern)
    assert served is not metadata.BUDGET_TITLE.pattern
    assert (served.flags, served.groups, dict(served.groupindex)) == (expected[0], expected[2], expected[3])
    line = "令和７年度石垣市一般会計補正予算（第１２号）".translate(str.maketrans("７１２（）", "712()"))
    assert served.match(line).groupdict() == metadata.BUDGET_TITLE.pattern.match(line).groupdict()
    with pytest.raises(CompiledAgain):  # a pattern the file lacks is compiled
        re.compile("石垣市(?P<x>[0-9]+)号")
    re.purge()


@pytest.mark.parametrize("damage", ["body", "tag", "truncated", "missing"])
def test_a_damaged_or_foreign_file_is_not_read(cache_file: Path, tmp_path: Path, damage: str) -> None:
    data = cache_file.read_bytes()
    header, _, body = data.partition(b"\n")
    target = tmp_path / "patterns.bin"
    if damage == "body":
        target.write_bytes(header + b"\n" + body[:100] + bytes([body[100] ^ 1]) + body[101:])
    elif damage == "tag":
        target.write_bytes(header.replace(b"cpython-", b"cpython-9") + b"\n" + body)
    elif damage == "truncated":
        target.write_bytes(data[:len(data) // 2])
    assert compiled.read_cache(target) == {}
    assert compiled.install(target) == 0
