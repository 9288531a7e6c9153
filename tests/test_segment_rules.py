"""Segmentation rule cases: item marks (≪例≫, ＜対象＞ in every spelling) and Markdown detail pages."""

from __future__ import annotations

import pytest
from fixture_cases import params

from pipeline.parse.lines import build_lines
from pipeline.parse.segment import find_detail_pages, segment_document
from pipeline.read.files import split_lines
from pipeline.records import SourceDocument


def lines_of(text: str, fmt: str):
    name = "case.md" if fmt == "markdown" else "case.txt"
    return build_lines(SourceDocument(name, fmt, "0", len(text), "utf-8", split_lines(text)))


@pytest.mark.parametrize("text,expected", params("item_marks.txt"))
def test_item_marks(text, expected):
    outline = segment_document(lines_of(text, "text"), "text")
    assert len(outline.blocks) == 1
    assert [[i.kind, i.text, i.parent] for i in outline.blocks[0].items] == expected


@pytest.mark.parametrize("text,expected", params("detail_pages.txt"))
def test_detail_pages(text, expected):
    lines = lines_of(text, "markdown")
    pages = find_detail_pages(lines)
    assert [[p.name, p.span.line_start, p.span.line_end] for p in pages] == expected
    assert segment_document(lines, "markdown").detail_pages == pages
    for page in pages:
        assert page.lines[0].text == f"# {page.name}"
        first, last = page.lines[0].span, page.lines[-1].span
        assert (first.line_start, last.line_end) == (page.span.line_start, page.span.line_end)
