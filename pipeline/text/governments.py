"""Local governments: the 全国地方公共団体コード (JIS X 0402) and the names it gives.

Input: ``local_governments.csv`` beside this module (its header comment names the source:
総務省's code list, 47 prefectures and 1,741 municipalities). Output: ``Government`` records,
the check digit of a code, the governments a printed name may stand for, and a regex piece
that matches any name in the table.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Final

from .vocab import join_as_trie

TABLE_FILE: Final = "local_governments.csv"
# The weights of the check digit, first digit to fifth (JIS X 0402).
CHECK_WEIGHTS: Final = (6, 5, 4, 3, 2)
# A code as printed in a manifest: six digits, "132063"
CODE_FORM: Final = re.compile(r"[0-9]{6}")
# Names of Tokyo's special wards that are also wards of 政令指定都市 (札幌市中央区, 大阪市北区,
# 名古屋市港区): those wards have no code of their own in the table, so the name alone is no
# evidence of the special ward.
SHARED_WARD_NAMES: Final = frozenset({"中央区", "北区", "港区"})
TOKYO: Final = "東京都"


@dataclass(frozen=True)
class Government:
    """One entry of the code list: a prefecture (``city`` empty) or a municipality."""

    code: str
    prefecture: str
    city: str

    @property
    def name(self) -> str:
        """The name the government goes by: ``富士市``, ``東京都``."""
        return self.city or self.prefecture

    @property
    def full_name(self) -> str:
        """The name with its prefecture: ``静岡県富士市``; a prefecture's own name."""
        return self.prefecture + self.city


def compute_check_digit(first_five: str) -> int:
    """Return the check digit of a code's first five digits (JIS X 0402).

    The digits times 6, 5, 4, 3, 2, summed and divided by 11: the last digit of 11 less the
    remainder (``13206`` → 3, ``01213`` → 1).
    """
    total = sum(int(d) * w for d, w in zip(first_five, CHECK_WEIGHTS))
    return (11 - total % 11) % 10


def check_code(code: str) -> str | None:
    """Say what is wrong with a code (not six digits, a wrong check digit, not in the list), or return None."""
    if not CODE_FORM.fullmatch(code):
        return f"'{code}' is not six digits (JIS X 0402, with its check digit)"
    if compute_check_digit(code[:5]) != int(code[5]):
        return f"'{code}' has a wrong check digit (expected {compute_check_digit(code[:5])})"
    if code not in index_codes():
        return f"'{code}' is not in the code list of local governments"
    return None


@functools.lru_cache(maxsize=None)
def load_governments() -> tuple[Government, ...]:
    """Return every government of the table, in its order (by code)."""
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(Government(row["code"], row["prefecture"], row["city"]) for row in rows)


@functools.lru_cache(maxsize=None)
def index_codes() -> dict[str, Government]:
    return {g.code: g for g in load_governments()}


@functools.lru_cache(maxsize=None)
def index_names() -> dict[str, tuple[Government, ...]]:
    """Map each name (``府中市``) to every government that bears it."""
    out: dict[str, list[Government]] = {}
    for g in load_governments():
        out.setdefault(g.name, []).append(g)
    return {name: tuple(gs) for name, gs in out.items()}


def find_government(code: str) -> Government | None:
    """Return the government of a code, or None."""
    return index_codes().get(code)


def find_governments(name: str, prefecture: str | None = None) -> tuple[Government, ...]:
    """Return the governments ``name`` may stand for, within ``prefecture`` when it is printed.

    ``府中市`` alone gives two (東京都 and 広島県), ``広島県`` ``府中市`` one. A special ward whose
    name a designated city's ward shares (``北区``) stands for none unless 東京都 is printed with it.
    """
    found = index_names().get(name, ())
    if prefecture:
        return tuple(g for g in found if g.prefecture == prefecture and g.city)
    if name in SHARED_WARD_NAMES:
        return ()
    return found


@functools.lru_cache(maxsize=None)
def build_name_pattern() -> str:
    """Return a regex alternation of every name in the table, the longest first (``富士見市`` before
    ``富士市``), as a tree of their characters (``vocab.join_as_trie``)."""
    return join_as_trie(index_names())


def find_name_starts() -> frozenset[str]:
    """Return the characters a government's or a prefecture's name begins with: a line that begins
    with none of them begins with no name ``build_name_pattern`` or ``build_prefecture_pattern`` lists."""
    return frozenset(name[0] for name in index_names()) | frozenset(g.prefecture[0] for g in load_governments())


@functools.lru_cache(maxsize=None)
def build_prefecture_pattern() -> str:
    """Return a regex alternation of the 47 prefectures' names (``vocab.join_as_trie``)."""
    return join_as_trie({g.prefecture for g in load_governments()})
