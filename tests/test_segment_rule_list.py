"""The segmenter's rules: each says in its docstring which line it takes, and takes it.

``segment.RULES`` lists every form a line can take; each rule quotes, in 「」, a line of
``raw/`` it handles. Walking the seeds rule by rule shows which rule took each line.
"""

from __future__ import annotations

import functools
import inspect
import re

import pytest
from conftest import RAW, raw_files

from pipeline.parse import segment
from pipeline.parse.lines import build_lines
from pipeline.parse.segment import (
    RULE_NEEDS,
    RULES,
    SegmentState,
    choose_rules,
    finish_outline,
    read_flag_heading,
    read_marked_heading,
    read_prose,
    segment_document,
    take_line,
)
from pipeline.read.files import read_document
from pipeline.records import Line, SourceDocument
from pipeline.text.forms import to_parse_form

# Documents of our own making, one per form the seeds lack (a table of programs, …)
FORMS = RAW.parent / "tests" / "fixtures" / "forms"
PDF_FIXTURES = RAW.parent / "tests" / "fixtures" / "pdf"
# A quoted line in a rule's docstring: 「■在宅療養研修事業」
QUOTE = re.compile(r"「(.+?)」")


def find_quote(rule) -> str:
    """Return the first line a rule's docstring quotes in 「」."""
    doc = inspect.getdoc(rule) or ""
    match = QUOTE.search(doc)
    assert match, f"{rule.__name__} quotes no line in 「」"
    return match.group(1)


@functools.lru_cache(maxsize=1)
def walk_seeds() -> dict[str, list[Line]]:
    """Walk every seed of raw/, every form document and the PDF fixture of slides (a form only slides
    print) as ``segment_document`` does and return the lines each rule took."""
    taken: dict[str, list[Line]] = {rule.__name__: [] for rule in RULES}
    paths = [(p, RAW) for p in raw_files()] + [(p, FORMS) for p in sorted(FORMS.glob("*.txt"))]
    for path, root in paths + [(PDF_FIXTURES / "program_slides.pdf", PDF_FIXTURES)]:
        doc = read_document(path, root)
        lines = segment.split_joined_lines(build_lines(doc))
        state = SegmentState.start(lines, doc.format)
        state.slides = segment.is_slide_deck(doc.page_sizes)
        for index, line in enumerate(lines):
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            taken[take_line(state, line, nxt).__name__].append(line)
        # the walk above is the segmenter's own: it gives the same outline
        assert finish_outline(state, lines) == segment_document(lines, doc.format, doc.page_sizes)
    return taken


def is_quoted_line(quote: str, line: Line) -> bool:
    """Tell whether ``quote`` is the line (or one of its physical lines), in the parse form; a
    quote writes the cells of a table row apart by a space, the line by a tab."""
    def squeeze(text: str) -> str:
        return re.sub(r"\s+", " ", to_parse_form(text)).strip()

    wanted = squeeze(quote)
    physical = [squeeze(part) for part in line.raw.split("\n")]
    return wanted == squeeze(line.text) or wanted in physical


@pytest.mark.source_only
def test_every_rule_has_a_docstring_quoting_a_line():
    for rule in RULES:
        assert inspect.getdoc(rule), f"{rule.__name__} has no docstring"
        find_quote(rule)


def test_rules_are_distinct_and_prose_comes_last():
    names = [rule.__name__ for rule in RULES]
    assert len(names) == len(set(names))
    assert RULES[-1] is read_prose


@pytest.mark.source_only
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_each_rule_takes_the_line_it_quotes(rule):
    quote = find_quote(rule)
    taken = walk_seeds()
    assert any(is_quoted_line(quote, line) for line in taken[rule.__name__]), (
        f"{rule.__name__} took no line 「{quote}」 in raw/; "
        f"other rules took it: {[name for name, lines in taken.items() if any(is_quoted_line(quote, x) for x in lines)]}"
    )


def test_the_readme_lists_every_rule_in_order():
    readme = (RAW.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Forms read"):]
    section = section[:section.index("\n## ", 1)]
    listed = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
    assert listed == [rule.__name__ for rule in RULES]


def ask_every_rule(first: str, length: int) -> tuple:
    """``choose_rules`` as if no rule said what it needs: every rule is asked of every line."""
    return tuple((rule, None) for rule in RULES)


def test_the_rules_a_line_is_asked_of_give_the_outline_every_rule_gives(monkeypatch):
    """A rule's ``needs`` leaves out only lines it would not have taken: asking only the rules a
    line's first character lets in gives the outline that asking all of them gives, on the seeds, the
    form documents and the PDF fixtures."""
    paths = [(p, RAW) for p in raw_files()] + [(p, FORMS) for p in sorted(FORMS.glob("*.txt"))]
    texts = len(paths)
    paths += [(p, PDF_FIXTURES) for p in sorted(PDF_FIXTURES.glob("*.pdf"))]
    docs = [read_document(path, root) for path, root in paths]
    docs = [(build_lines(doc), doc.format) for doc in docs if isinstance(doc, SourceDocument) and doc.lines]
    assert len(docs) > texts  # the PDFs with a text layer too
    chosen = [segment_document(lines, fmt) for lines, fmt in docs]
    monkeypatch.setattr(segment, "choose_rules", ask_every_rule)
    assert [segment_document(lines, fmt) for lines, fmt in docs] == chosen


def test_most_rules_are_told_by_a_line_s_first_character_and_length():
    long = 40
    prose, program, item = (len(choose_rules(c, long)) for c in ("地", "■", "○"))
    assert prose < len(RULES) - 10 and program < len(RULES) - 10 and item < len(RULES) - 10
    assert choose_rules("地", long)[-1] == (read_prose, None)
    assert [rule for rule, _ in choose_rules(" ", 5)] == list(RULES)  # white space first, short: every rule
    assert all(rule in [r for r, _ in choose_rules(first, length)] for first in "地■○(1【#" for length in (5, long)
               for rule in RULES if rule not in RULE_NEEDS)
    # a plain short line may be a group heading (``read_marked_heading``), a long one not
    assert read_marked_heading in [r for r, _ in choose_rules("地", 12)]
    assert read_marked_heading not in [r for r, _ in choose_rules("地", long)]
    assert read_flag_heading not in [r for r, _ in choose_rules("【", 20)]
