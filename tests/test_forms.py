"""Documents of our own making, one per printed form: each gives exactly the programs its
``.jsonl`` twin lists (only the keys listed there are compared).

A form the pipeline still reads wrongly is listed in ``KNOWN_BUGS`` with what goes wrong: its
twin says what a reader finds on the page, and the case is expected to fail until it is fixed."""

from __future__ import annotations

import json

import pytest
from fixture_cases import FORMS, list_forms

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.files import read_document

KNOWN_BUGS: dict[str, str] = {}


@pytest.mark.parametrize("path", list_forms(KNOWN_BUGS))
def test_a_form_gives_the_programs_it_prints(path):
    expected = [json.loads(line) for line in path.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    rows = make_rows(extract_document(read_document(path, FORMS)))["programs"]
    got = [{key: row[key] for key in want} for row, want in zip(rows, expected)]
    assert (len(rows), got) == (len(expected), expected)


def test_every_known_bug_names_a_form():
    assert set(KNOWN_BUGS) <= {path.stem for path in FORMS.glob("*.txt")}
