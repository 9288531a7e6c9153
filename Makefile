# Build, extract and test. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help install extract test fuzz golden clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with its pinned dependencies

extract: $(STAMP) ## extract raw/ into extracted/ (unchanged documents are reused)
	$(PY) -m pipeline extract --raw raw --out extracted

test: $(STAMP) ## run the test suite
	$(PY) -m pytest -q

fuzz: $(STAMP) ## long randomized invariant session (hypothesis, a few minutes; FUZZ_SEED=n to replay)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_properties.py --hypothesis-show-statistics \
		$(if $(FUZZ_SEED),--hypothesis-seed=$(FUZZ_SEED))

golden: $(STAMP) ## regenerate tests/golden/ from raw/ (review the diff before committing)
	$(PY) -m pytest -q tests/test_golden.py --update-golden

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) extracted/.cache .pytest_cache
