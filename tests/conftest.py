"""Shared test set-up: paths, the ``--update-golden`` option and an extraction cache."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite tests the modules as written: those compiled by `make native` are loaded only with KAIGI_NATIVE=1
# (`make test-native`), and the tests that reach into a compiled module's functions (patch them, read their
# docstrings: marked ``source_only``) are then skipped. Set before the package is first imported.
os.environ.setdefault("KAIGI_NATIVE", "0")

from pipeline.output.metadata import apply_manifest  # noqa: E402
from pipeline.output.rows import make_rows  # noqa: E402
from pipeline.parse import segment  # noqa: E402
from pipeline.parse.document import extract_document  # noqa: E402
from pipeline.read.files import list_inputs, name_source, read_document  # noqa: E402
from pipeline.read.manifest import read_manifest  # noqa: E402
from pipeline.text.native import is_native  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from raw/")


# The test files that take longest (from half a minute to more than a minute each, on two cores), longest first.
# They run before the others: `make test` gives each file to one process (pytest-xdist, --dist loadfile, in the
# order collected), and the many short files then fill the other cores beside them instead of one long file
# running alone at the end.
LONGEST_FILES = ("test_cli_readme.py", "test_readme_benchmarks.py", "test_pdf_engines.py", "test_real.py",
                 "test_dask.py", "test_adversarial.py")


def pytest_collection_modifyitems(items):
    """Put the tests of ``LONGEST_FILES`` first, in that order; each file's tests keep theirs. Skip the tests
    marked ``source_only`` where the parse stage was loaded compiled."""
    rank = {name: n for n, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
    if is_native(segment):
        skip = pytest.mark.skip(reason="reaches into a module's functions: the modules were loaded compiled (make native)")
        for item in items:
            if item.get_closest_marker("source_only"):
                item.add_marker(skip)


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def raw_files() -> list[Path]:
    return list_inputs(RAW)


@functools.lru_cache(maxsize=None)
def extract_raw(name: str):
    """Extract one file of raw/ (cached for the session)."""
    return extract_document(read_document(RAW / name, RAW))


def extract_raw_rows(name: str) -> dict:
    """One file of raw/ as its table rows, raw/sources.csv applied, as ``make extract`` writes them."""
    manifest = read_manifest(RAW, {name_source(p, RAW) for p in raw_files()})
    return apply_manifest(make_rows(extract_raw(name)), manifest)


# Hypothesis: `make test` runs a small derandomized set (reproducible in CI); `make fuzz`
# sets HYPOTHESIS_PROFILE=fuzz for a long randomized session.
settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=4000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
