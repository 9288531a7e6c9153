"""Patterns: what a guarded pattern answers, and the characters a pattern's match begins with."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.parse import fields, segment
from pipeline.text.patterns import GuardedPattern, find_first_chars


@pytest.mark.parametrize("pattern, admitted, refused", [
    (r"^■\s*", "■", "○ 1"),  # 「■在宅療養研修事業」
    (r"^(?:\((?P<sub>[0-9]{1,2})\)\s*|(?P<top>[0-9]{1,2})\s+)", "(019", "（１a"),  # 「(1) 訪問看護…」, 「1 開 会」
    (r"^\s*\(前年度", "( \u3000\t", "前"),  # white space first: any of it
    (r"^(?:R|令和)?[0-9]+年度", "R令09", "平H９"),  # an optional prefix lets its follower in
    (r"^[^【]", "a■", "【"),
    (r"^(?=【)【新規】", "【", "a"),
    (r"^\d", "1９", "a一"),
    (r"^(?a:\d)", "1", "a"),
    (r"^(?a:\D)", "a９", "1"),  # ASCII within the group: a full-width digit is no \d there
    (r"^No|^№", "N№", "n"),
])
def test_first_characters_of_a_pattern(pattern, admitted, refused):
    chars = find_first_chars(re.compile(pattern))
    assert chars is not None
    assert all(chars.admits(c) for c in admitted)
    assert not any(chars.admits(c) for c in refused)


@pytest.mark.parametrize("pattern", [
    r"^.*事業",  # any character
    r"^(?:■)?",  # may match nothing: every line
    r"^[0-9]*",
    r"(?i)^no",  # case-blind: not read
    r"^(a)?\1",  # a back reference
])
def test_first_characters_unknown(pattern):
    assert find_first_chars(re.compile(pattern)) is None


def test_a_guarded_pattern_reads_through():
    guarded = GuardedPattern(re.compile(r"^(?P<name>.+?) (?P<amount>[0-9,]+円)$"), "円")
    assert find_first_chars(guarded) is None
    assert guarded.match("在宅療養研修事業 1,470円")["amount"] == "1,470円"
    assert guarded.match("在宅療養研修事業") is None


# Every pattern a rule declares its lines begin with (``segment.needs``), and the anchored patterns of the fields
# the rules read (``parse.fields``)
ANCHORED = {name: value for module in (fields, segment) for name, value in vars(module).items()
            if isinstance(value, re.Pattern) and name.isupper()
            and find_first_chars(value) is not None and value.pattern.startswith("^")}
DECLARED = sorted(ANCHORED)


@pytest.mark.parametrize("name", DECLARED)
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_begins_with_a_character_admitted(name, data):
    pattern = ANCHORED[name]
    text = data.draw(st.from_regex(pattern))
    if pattern.match(text) and text:
        assert find_first_chars(pattern).admits(text[0])


def test_a_trie_of_words_matches_as_their_alternation_longest_first():
    """``vocab.join_as_trie``: the same words, tried in the same order, as ``join_alternatives``; over the
    names of every local government (one beginning another: 富士市, 富士見市), and with what follows them."""
    from pipeline.text.governments import build_name_pattern, index_names
    from pipeline.text.vocab import join_alternatives, join_as_trie

    assert join_as_trie(["予算", "予算額(案)", "予算額"]) == r"予算(?:額(?:\(案\)|)|)"
    names = sorted(index_names())
    flat = join_alternatives(sorted(names, key=lambda n: (-len(n), n)))
    assert build_name_pattern() == join_as_trie(names) != flat
    for rest in ("", "市", "長 中山義隆", "福祉局"):
        as_flat, as_trie = (re.compile(f"^(?P<name>{p})(?P<rest>{re.escape(rest)}.*)$") for p in (flat, join_as_trie(names)))
        for name in names:
            for text in (name + rest, name[:-1] + rest, name + name[:2] + rest):
                a, b = as_flat.match(text), as_trie.match(text)
                assert (a and a.groupdict()) == (b and b.groupdict()), text


def find_guarded_patterns() -> list[str]:
    """Every ``GuardedPattern`` of the pipeline's modules, by module and name."""
    import importlib
    import pkgutil

    import pipeline

    found: dict[int, str] = {}  # one name for each pattern, however many modules import it
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, GuardedPattern):
                found.setdefault(id(value), f"{info.name}:{name}")
    return sorted(found.values())


GUARDED = find_guarded_patterns()


def test_the_guarded_patterns_are_found():
    assert {"pipeline.parse.metadata:BOOK_LINE", "pipeline.parse.metadata:SUMMARY_LINE",
            "pipeline.parse.metadata:BUDGET_TITLE"} <= set(GUARDED)


@pytest.mark.parametrize("where", GUARDED)
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_of_a_guarded_pattern_holds_a_needle(where, data):
    """A guarded pattern answers None at once for text without its needles: so every text it matches holds one."""
    import importlib

    module, name = where.split(":")
    guarded = getattr(importlib.import_module(module), name)
    text = data.draw(st.from_regex(guarded.pattern))
    if guarded.pattern.search(text):
        assert any(needle in text for needle in guarded.needles), (text, guarded.needles)
    if guarded.starts is not None and guarded.pattern.match(text):
        assert text[:1] in guarded.starts, (text, guarded.starts)


def test_a_line_opening_with_a_name_is_asked_of_every_pattern_that_reads_names():
    """The metadata patterns that begin with a government's name (``starts``) read every name of the code
    list and every prefecture, with an era year and a meeting's number before it, as they do unguarded."""
    from pipeline.parse import metadata
    from pipeline.text.governments import index_names, load_governments

    names = sorted(set(index_names()) | {g.prefecture + g.city for g in load_governments() if g.city})
    patterns = [value for value in vars(metadata).values() if isinstance(value, GuardedPattern) and value.starts]
    assert len(patterns) >= 5
    for name in names:
        for text in (name, f"{name}長 中山義隆", f"{name}福祉局", f"令和7年度{name}一般会計補正予算",
                     f"令和6年度第2回{name}在宅介護部会次第", f"第3回{name}審議会"):
            for pattern in patterns:
                found, unguarded = pattern.match(text), pattern.pattern.match(text)
                assert (found and found.groupdict()) == (unguarded and unguarded.groupdict()), (text, pattern.pattern.pattern[:40])
