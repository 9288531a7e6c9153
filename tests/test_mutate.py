"""tools/mutate.py on a tiny module: the mutants it makes, and a killed one told from a survivor."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("mutate", ROOT / "tools" / "mutate.py")
mutate = importlib.util.module_from_spec(spec)
sys.modules["mutate"] = mutate  # dataclasses look the module up by name
spec.loader.exec_module(mutate)

TOY = '''\
"""A toy rule module."""
import re

UNIT = r"千円|万円"
BUDGET = re.compile(rf"【(?P<n>[0-9]+)(?:{UNIT})】")
FLAGS = ("新規", "拡充")
LIMIT = 3


def is_flag(word):
    if word in FLAGS and len(word) <= LIMIT:
        return True
    return False
'''

TOY_TESTS = '''\
from toy.words import BUDGET, is_flag


def test_budget():
    assert BUDGET.search("【5千円】")


def test_flag():
    assert is_flag("新規")
'''


def make_repo(tmp_path):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "toy" / "words.py").write_text(TOY, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_toy.py").write_text(TOY_TESTS, encoding="utf-8")
    return tmp_path


def test_mutants_of_a_tiny_module(tmp_path):
    root = make_repo(tmp_path)
    ids = [m.id for m in mutate.find_mutants(root, ["toy/words.py"])]
    assert ids == [
        "toy/words.py:4:8:alt:-千円",
        "toy/words.py:4:8:alt:-万円",
        "toy/words.py:6:10:elem:-新規",
        "toy/words.py:6:16:elem:-拡充",
        "toy/words.py:7:9:num:3→4",
        "toy/words.py:11:8:bool:and→or",
        "toy/words.py:11:26:cmp:<=→<",
        "toy/words.py:12:16:return:True→False",
        "toy/words.py:13:12:return:False→True",
    ]
    assert ids == [m.id for m in mutate.find_mutants(root, ["toy/words.py"])]  # the same every time
    source = (root / "toy" / "words.py").read_text(encoding="utf-8")
    by_id = {m.id: m for m in mutate.find_mutants(root, ["toy/words.py"])}
    assert 'UNIT = (r"万円")' in by_id["toy/words.py:4:8:alt:-千円"].apply(source)
    assert "len(word) < LIMIT" in by_id["toy/words.py:11:26:cmp:<=→<"].apply(source)


def test_alternatives_inside_groups_and_classes():
    pattern = r"(?P<era>令和|平成|[R|H])\s*(?:[0-9]+|元)"
    alts = mutate.alternations(pattern)
    assert [[pattern[a:b] for a, b in group] for group in alts] == [["令和", "平成", "[R|H]"], ["[0-9]+", "元"]]
    assert mutate.without_alternative(pattern, alts[0], 2) == r"(?P<era>令和|平成)\s*(?:[0-9]+|元)"


def test_killed_and_surviving_mutants(tmp_path):
    root = make_repo(tmp_path)
    mutants = [m for m in mutate.find_mutants(root, ["toy/words.py"]) if m.kind == "alt"]
    results = mutate.run_all(root, mutants, ["toy/words.py"], ["tests/test_toy.py"], sys.executable,
                             jobs=1, timeout=60, log=lambda *a: None)
    assert results == {"toy/words.py:4:8:alt:-千円": "killed", "toy/words.py:4:8:alt:-万円": "survived"}
    assert (root / "toy" / "words.py").read_text(encoding="utf-8") == TOY  # the real file is untouched
    lines = []
    status = mutate.report(mutants, results, {"toy/words.py:4:8:alt:-万円": "no test prints 万円"}, log=lines.append)
    assert status == 0
    assert "kill rate:  1/1 = 100.0%" in lines
