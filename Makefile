# Build, extract and test. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Processes the test suite runs in (pytest-xdist): one a core, each test file in one of them (--dist loadfile),
# so that what a file's tests share (the real PDFs' extraction, a local cluster) is made once; the files in the
# order collected (the longest first: tests/conftest.py), not by their number of tests
TEST_JOBS ?= auto

.DEFAULT_GOAL := help
CHROMIUM := /usr/bin/chromium
# Debian's Tesseract and its Japanese model: OCR of the pages without a text layer (pipeline/read/ocr.py)
TESSERACT_JPN := /usr/share/tesseract-ocr/5/tessdata/jpn.traineddata
# Debian's pdftotext (poppler-utils): the real PDFs copied out as text (tests/test_real.py)
PDFTOTEXT := /usr/bin/pdftotext
.PHONY: help install bytecode native test-native extract test lint golden review docs browser ocr pdf-fixtures bench bench-book bench-pdf fuzz mutate real clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

# uv (pinned) installs the dependencies, compiled to bytecode as pip does, in half a minute where pip takes two;
# where uv cannot be had or fails, pip installs them (the same releases: both take the newest the ranges admit).
UV_VERSION := 0.13.8
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
$(STAMP): pyproject.toml setup.py pipeline/read/_pdfcore.c
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	( $(PIP) uv==$(UV_VERSION) && $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) --reinstall-package kaigi-extract -e '.[test,dask]' ) \
		|| $(PIP) -e '.[test,dask]'
	touch $(STAMP)

# The code of the patterns the package compiles as it loads (pipeline/text/compiled.py), written again
# when a module changes: every process then makes them from it, a quarter of a second sooner.
PATTERNS := pipeline/__pycache__/patterns.bin
$(PATTERNS): $(STAMP) $(shell find pipeline -name '*.py')
	$(PY) -c 'from pipeline.text.compiled import write_cache; write_cache()'

install: $(STAMP) bytecode ## create .venv and install the package with its pinned dependencies

# pip compiles an installed package's modules; an editable install leaves them as source, which every
# process compiles again (0.1 s) where Python writes no bytecode (PYTHONDONTWRITEBYTECODE). A module
# changed since is compiled afresh as before: Python checks each file's time and size.
bytecode: $(STAMP) $(PATTERNS) ## compile the package's modules to bytecode (only those changed since), and its patterns
	@$(PY) -m compileall -q pipeline schemas bench > /dev/null

# The parse stage compiled with mypyc (pipeline/text/native.py), built again when a module changes; the package
# loads it only where built from its modules as they are, and reads them from source otherwise (or where the build
# fails: no C compiler). NATIVE_ARGS: e.g. "--only pipeline.parse.money --into build/native-test".
native: $(STAMP) bytecode ## compile the parse stage to C (mypyc, a minute on two cores): extraction a fifth faster; same tables
	$(PY) -c 'import sys; from pipeline.text.native import main; sys.exit(main(sys.argv[1:]))' build $(NATIVE_ARGS)

test-native: native $(CHROMIUM) $(TESSERACT_JPN) $(PDFTOTEXT) ## the test suite on the compiled parse stage (make native); tests that patch its functions are skipped
	KAIGI_NATIVE=1 $(PY) -m pytest -q -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

extract: $(STAMP) bytecode ## extract raw/ into extracted/ (unchanged documents are reused)
	$(PY) -m pipeline extract --raw raw --out extracted

test: $(STAMP) bytecode $(CHROMIUM) $(TESSERACT_JPN) $(PDFTOTEXT) lint ## lint, then run the test suite on every core (installs Debian chromium, tesseract and pdftotext for their tests if missing; TEST_JOBS=1 runs it in one process)
	$(PY) -m pytest -q -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

lint: $(STAMP) ## ruff, mypy and the stage-order import contract (pyproject.toml)
	$(PY) -m ruff check pipeline tests bench tools
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache

# One apt-get run installs them all (a grouped target): a clean machine updates the package lists once.
$(CHROMIUM) $(TESSERACT_JPN) $(PDFTOTEXT) &:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium tesseract-ocr tesseract-ocr-jpn poppler-utils

browser: $(CHROMIUM) ## install Debian chromium (used by the review report test), with tesseract

ocr: $(TESSERACT_JPN) ## install Debian tesseract with its Japanese model (OCR of scanned budget books)

review: $(STAMP) bytecode ## write the HTML review report to extracted/review/index.html
	$(PY) -m pipeline review --raw raw --out extracted

docs: $(STAMP) ## regenerate docs/data-dictionary.md from schemas/
	$(PY) -m pipeline dictionary --output docs/data-dictionary.md

fuzz: $(STAMP) ## long randomized invariant session (hypothesis, a few minutes; FUZZ_SEED=n to replay)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_properties.py tests/test_adversarial.py --hypothesis-show-statistics \
		$(if $(FUZZ_SEED),--hypothesis-seed=$(FUZZ_SEED))

mutate: $(STAMP) ## mutation testing of the rule modules against the rule tests (minutes; MUTATE_ARGS=--list to only list)
	$(PY) tools/mutate.py $(MUTATE_ARGS)

golden: $(STAMP) ## regenerate tests/golden/ from raw/ (review the diff before committing)
	$(PY) -m pytest -q tests/test_golden.py --update-golden

pdf-fixtures: $(STAMP) ## regenerate the PDF fixtures and their text twins in tests/fixtures/pdf/
	$(PY) tests/make_pdf_fixtures.py

KAIGI_REAL_DIR ?= ../shared/realpdf
real: $(STAMP) bytecode $(TESSERACT_JPN) ## extract the real PDFs of KAIGI_REAL_DIR (read in place) into build/real and score them against tests/real/
	$(PY) -m pipeline extract --raw $(KAIGI_REAL_DIR) --out build/real --manifest tests/real/sources.csv || [ $$? -eq 1 ]
	$(PY) -m pipeline score --golden tests/real --out build/real

BENCH_N ?= 1000
BENCH_PDF_PAGES ?= 1000
bench: $(STAMP) bytecode ## extract at scale: documents/s and pages/s per --jobs, floor, reruns, memory, Dask → bench/results.md (BENCH_N=10000, BENCH_ROUNDS=2)
	-$(MAKE) --no-print-directory native  # (where the build fails, the bench measures the parse stage read from source)
	$(PY) bench/bench_scale.py --docs $(BENCH_N) --pdf-pages $(BENCH_PDF_PAGES)

bench-book: $(STAMP) bytecode ## a budget book of 150, 300 and 600 pages (the real books' pages repeated): seconds, pages/s and peak memory into bench/book-results.md (BOOK_ARGS="--pages 50 100")
	$(PY) bench/bench_book.py --real-dir $(KAIGI_REAL_DIR) --output bench/book-results.md $(BOOK_ARGS)

bench-pdf: $(STAMP) bytecode ## pages/second of the PDF stage on both engines against bare pypdfium2 and pdfplumber (BENCH_ARGS="--rounds 1 --repeat 1 --book-pages 10")
	$(PY) bench/bench_pdf.py --real-dir $(KAIGI_REAL_DIR) $(BENCH_ARGS)

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) extracted/.cache extracted/review .pytest_cache
