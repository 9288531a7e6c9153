"""Guarded patterns: a compiled regex asked only of text that holds a string every match holds.

Input: a compiled pattern and the strings one of which every text it matches contains (a word
the pattern spells out, ``予算`` of a budget title; or any of a few characters, ``局部課``).
Output: ``GuardedPattern``, whose ``match`` and ``search`` give what the pattern's give, but
answer None at once for a line without any of them: a long alternation (every government's
name) or a lazy scan of the line is then not run on every line of a document.

Also the characters a pattern's match can begin with (``find_first_chars``, read from its parse
tree): the segmenter asks a line only the rules whose patterns may open it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

try:  # the standard library's own reading of a pattern: re._parser from Python 3.11, sre_parse before
    from re import _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _constants
    import sre_parse as _parser


class GuardedPattern:
    """``pattern``, asked only of text holding one of ``needles`` (each match holds one of them); ``match``
    asks it only of text beginning with one of ``starts``, when given (each match at a text's start begins
    with one of them: the first characters of the names a long alternation lists)."""

    __slots__ = ("pattern", "needles", "starts")

    def __init__(self, pattern: re.Pattern[str], needles: str | tuple[str, ...], starts: Iterable[str] | None = None):
        self.pattern = pattern
        self.needles = (needles,) if isinstance(needles, str) else needles
        self.starts = frozenset(starts) if starts is not None else None

    def match(self, text: str) -> re.Match[str] | None:
        if self.starts is not None and text[:1] not in self.starts:
            return None
        for needle in self.needles:
            if needle in text:
                return self.pattern.match(text)
        return None

    def search(self, text: str) -> re.Match[str] | None:
        for needle in self.needles:
            if needle in text:
                return self.pattern.search(text)
        return None


# -- the characters a match begins with --------------------------------------------------------
# Read from the pattern's parse tree (``re._parser``, the standard library's own): a literal, a class
# of characters, or the first items of a group, a branch or a repeat; a look-around or an anchor is
# passed over, which only lets more characters in. A class the reading does not know (``.``, a back
# reference, a case-blind pattern) lets every character in.
CATEGORY_TESTS: dict[Any, Callable[[str], bool]] = {
    _constants.CATEGORY_DIGIT: str.isdecimal,  # ``\d`` of a str pattern: Unicode decimal digits
    _constants.CATEGORY_SPACE: str.isspace,  # ``\s``
    _constants.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",  # ``\w``
}
CATEGORY_TESTS.update({
    _constants.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    _constants.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    _constants.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
})
ASCII_TESTS: dict[Any, Callable[[str], bool]] = {
    _constants.CATEGORY_DIGIT: lambda c: "0" <= c <= "9",
    _constants.CATEGORY_SPACE: lambda c: c in " \t\n\r\f\v",
    _constants.CATEGORY_WORD: lambda c: c.isascii() and (c.isalnum() or c == "_"),
}
ASCII_TESTS.update({
    _constants.CATEGORY_NOT_DIGIT: lambda c: not ASCII_TESTS[_constants.CATEGORY_DIGIT](c),
    _constants.CATEGORY_NOT_SPACE: lambda c: not ASCII_TESTS[_constants.CATEGORY_SPACE](c),
    _constants.CATEGORY_NOT_WORD: lambda c: not ASCII_TESTS[_constants.CATEGORY_WORD](c),
})


@dataclass(frozen=True)
class CharClass:
    """One class of characters: code-point ranges and categories, or all characters but those."""

    ranges: tuple[tuple[int, int], ...]
    categories: tuple[Callable[[str], bool], ...] = ()
    negated: bool = False

    def admits(self, char: str) -> bool:
        point = ord(char)
        inside = any(low <= point <= high for low, high in self.ranges) or any(test(char) for test in self.categories)
        return inside != self.negated


@dataclass(frozen=True)
class FirstChars:
    """The characters a pattern's match can begin with: those of any of ``classes``."""

    classes: tuple[CharClass, ...]

    def admits(self, char: str) -> bool:
        """Tell whether a match can begin with ``char``."""
        return any(cls.admits(char) for cls in self.classes)


Tree = Any  # ``re._parser.SubPattern`` or a list of its items


def find_first_chars(pattern: re.Pattern[str] | GuardedPattern) -> FirstChars | None:
    """Return the characters every match of ``pattern`` at a string's start begins with, or None when
    that is not known (any character may begin one, or it may match the empty string)."""
    compiled = pattern.pattern if isinstance(pattern, GuardedPattern) else pattern
    if compiled.flags & re.IGNORECASE:
        return None
    tests = ASCII_TESTS if compiled.flags & re.ASCII else CATEGORY_TESTS
    classes, empty = read_first(_parser.parse(compiled.pattern, compiled.flags), tests)
    if classes is None or empty:
        return None
    return FirstChars(tuple(classes))


def read_first(items: Tree, tests: dict[Any, Callable[[str], bool]]) -> tuple[list[CharClass] | None, bool]:
    """Return the classes a sequence's first character is of (None: any) and whether it may match nothing."""
    found: list[CharClass] = []
    for op, av in items:
        classes, empty = read_first_item(op, av, tests)
        if classes is None:
            return None, False
        found += classes
        if not empty:
            return found, False
    return found, True


def read_first_item(op: Any, av: Any, tests: dict[Any, Callable[[str], bool]]) -> tuple[list[CharClass] | None, bool]:
    """``read_first`` of one item of a parse tree."""
    c = _constants
    if op is c.LITERAL:
        return [CharClass(((av, av),))], False
    if op is c.NOT_LITERAL:
        return [CharClass(((av, av),), negated=True)], False
    if op is c.IN:
        ranges, categories, negated = [], [], False
        for kind, value in av:
            if kind is c.NEGATE:
                negated = True
            elif kind is c.LITERAL:
                ranges.append((value, value))
            elif kind is c.RANGE:
                ranges.append(value)
            elif kind is c.CATEGORY and value in tests:
                categories.append(tests[value])
            else:
                return None, False
        return [CharClass(tuple(ranges), tuple(categories), negated)], False
    if op is c.SUBPATTERN:
        _, add_flags, _, sub = av
        if add_flags & re.IGNORECASE:
            return None, False
        if add_flags & re.ASCII:  # 「(?a:\d)」: the classes within read as ASCII
            tests = ASCII_TESTS
        elif add_flags & re.UNICODE:
            tests = CATEGORY_TESTS
        return read_first(sub, tests)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return read_first(av, tests)
    if op is c.BRANCH:
        found: list[CharClass] = []
        any_empty = False
        for branch in av[1]:
            classes, empty = read_first(branch, tests)
            if classes is None:
                return None, False
            found += classes
            any_empty = any_empty or empty
        return found, any_empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        low, _, sub = av
        classes, empty = read_first(sub, tests)
        return classes, empty or low == 0
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: passing over one only lets more in
        return [], True
    return None, False  # ``.``, a back reference, a conditional group
