# The two commands a new user runs: `make generate` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.docgen-installed
# `generate` and `check` need only the generator's own dependencies: a first `make generate` does not wait
# for the test tools.
RUN_STAMP := $(VENV)/.docgen-installed-run

.PHONY: setup generate check test lint snapshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUN_STAMP)

setup: $(STAMP)

generate: $(RUN_STAMP)
	$(PY) -m generator generate

check: $(RUN_STAMP)
	$(PY) -m generator check

# The suite runs on TEST_JOBS processes (pytest-xdist; `make test TEST_JOBS=0` runs it in one). The modules
# whose tests share an expensive fixture each run in one process (ONE_PROCESS in tests/conftest.py).
TEST_JOBS ?= 2

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --dist loadgroup

lint: $(STAMP)
	$(PY) -m mypy
	$(PY) -m ruff check generator tests

# Rewrites the IR snapshot the tests compare against; review the diff before committing.
snapshots: $(STAMP)
	$(PY) -m tests.snapshot

clean:
	rm -rf $(VENV) *.egg-info

# Long fuzzing runs (tests/test_fuzz*.py): FUZZ_EXAMPLES examples per page property, three times as many
# per signature parser, a twentieth for whole pages: about 12 x FUZZ_EXAMPLES cases in all, an hour or
# so at the default on one core. The exact count is printed at the end and appended to FUZZ_REPORT.
# `fuzz-atheris` needs `$(PY) -m pip install atheris`.
FUZZ_EXAMPLES ?= 10000
FUZZ_SECONDS ?= 600
FUZZ_REPORT ?= fuzz-report.jsonl
.PHONY: fuzz fuzz-atheris

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=$(FUZZ_REPORT) $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py tests/test_fuzz_flavours.py

# The SIGKILL test of tests/test_interrupt.py with many more kills (INTERRUPT_KILLS, default 200).
INTERRUPT_KILLS ?= 200
.PHONY: fuzz-interrupt

fuzz-interrupt: $(STAMP)
	INTERRUPT_KILLS=$(INTERRUPT_KILLS) $(PY) -m pytest -q -p no:cacheprovider tests/test_interrupt.py -k sigkilled

fuzz-atheris: $(STAMP)
	$(PY) -m tests.fuzz_atheris -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096

# Performance figures for issue 6 (not part of `make test`): one table, every figure from the same run.
# Installs datamodel-code-generator into the venv on first use. `make bench BENCH_ARGS=--quick` is shorter.
BENCH_ARGS ?=
.PHONY: bench

bench: $(STAMP)
	$(PY) -m tests.bench $(BENCH_ARGS)
