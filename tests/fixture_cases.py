"""Read rule cases from ``tests/fixtures/*.txt`` (markdown-it-py's fixture style).

Each case is a title line, then ``.``, the input, ``.``, the expected JSON, ``.``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMS = FIXTURES / "forms"


def list_forms(known: dict[str, str]) -> list:
    """The forms fixtures (``fixtures/forms/*.txt``) as test parameters, those ``known`` names expected to fail
    (strictly: one that passes fails the run), with its reason."""
    out = []
    for path in sorted(FORMS.glob("*.txt")):
        reason = known.get(path.stem)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


def read_cases(name: str) -> list[tuple[str, str, object]]:
    """Return (title, input, expected) for every case of one fixture file."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    cases = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{name}: case '{title}' must be followed by a line '.'"
        j = i + 2
        body = []
        while lines[j] != ".":
            body.append(lines[j])
            j += 1
        k = j + 1
        expected = []
        while lines[k] != ".":
            expected.append(lines[k])
            k += 1
        cases.append((title, "\n".join(body), json.loads("\n".join(expected))))
        i = k + 1
    assert cases, f"{name} holds no cases"
    return cases


def params(name: str):
    import pytest

    return [pytest.param(inp, exp, id=title) for title, inp, exp in read_cases(name)]
