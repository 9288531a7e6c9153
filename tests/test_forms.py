"""Documents of our own making, one per printed form: each gives exactly the programs its
``.jsonl`` twin lists (only the keys listed there are compared)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from pipeline.output.rows import make_rows
from pipeline.parse.document import extract_document
from pipeline.read.files import read_document

FORMS = ROOT / "tests" / "fixtures" / "forms"


@pytest.mark.parametrize("path", sorted(FORMS.glob("*.txt")), ids=lambda p: p.stem)
def test_a_form_gives_the_programs_it_prints(path):
    expected = [json.loads(line) for line in path.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()]
    rows = make_rows(extract_document(read_document(path, FORMS)))["programs"]
    got = [{key: row[key] for key in want} for row, want in zip(rows, expected)]
    assert (len(rows), got) == (len(expected), expected)
