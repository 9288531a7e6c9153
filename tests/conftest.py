"""Shared test set-up: paths, the ``--update-golden`` option and an extraction cache."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from pipeline.extract import extract_document
from pipeline.reader import list_inputs, read_document

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from raw/")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def raw_files() -> list[Path]:
    return list_inputs(RAW)


@functools.lru_cache(maxsize=None)
def extract_raw(name: str):
    """Extract one file of raw/ (cached for the session)."""
    return extract_document(read_document(RAW / name, RAW))
