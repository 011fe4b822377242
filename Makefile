# coalition-bot: `make run` and `make test` install everything they need first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint index eval bench clean

install: $(STAMP)

# CPU torch first (a local wheel here); an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

index: install
	$(PY) -m retrieval index

# Index if needed (incremental: nothing is re-embedded when nothing changed), then start the bot:
# on Discord when DISCORD_TOKEN is set, otherwise the offline terminal session.
run: install
	$(PY) -m retrieval index
	$(PY) -m bot --auto

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not model and not chroma_server"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

eval: install
	$(PY) -m retrieval index
	$(PY) -m retrieval eval

# Benchmarks (about 35 minutes on 2 cores): tables and plots in bench/results.
bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) data
