"""Guarded patterns: a compiled regex asked only of text that holds a string every match holds.

Input: a compiled pattern and the strings one of which every text it matches contains (a word
the pattern spells out, ``予算`` of a budget title; or any of a few characters, ``局部課``).
Output: ``GuardedPattern``, whose ``match`` and ``search`` give what the pattern's give, but
answer None at once for a line without any of them: a long alternation (every government's
name) or a lazy scan of the line is then not run on every line of a document.
"""

from __future__ import annotations

import re


class GuardedPattern:
    """``pattern``, asked only of text holding one of ``needles`` (each match holds one of them)."""

    __slots__ = ("pattern", "needles")

    def __init__(self, pattern: re.Pattern[str], needles: str | tuple[str, ...]):
        self.pattern = pattern
        self.needles = (needles,) if isinstance(needles, str) else needles

    def match(self, text: str) -> re.Match[str] | None:
        for needle in self.needles:
            if needle in text:
                return self.pattern.match(text)
        return None

    def search(self, text: str) -> re.Match[str] | None:
        for needle in self.needles:
            if needle in text:
                return self.pattern.search(text)
        return None
