# cbkg — two commands on a fresh machine:
#   make run    set up, build the graph from the bundled sources (data/), validate it, serve it
#   make test   set up and run the linter, the type checker and the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup build validate run serve test lint typecheck bench clean lock

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/cbkg load data/

validate: setup
	$(BIN)/cbkg validate --fail-on never

run: build validate
	$(BIN)/cbkg stats
	$(BIN)/cbkg query @api/examples/03-programs-citing-cs-basic-law.rq
	$(BIN)/cbkg dumps
	$(BIN)/cbkg serve

serve: setup
	$(BIN)/cbkg serve

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

test: setup lint typecheck
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/ingest.py --json bench/results/ingest.json

clean:
	rm -rf var/store

lock: setup  # after changing dependencies: install without the lock, then record what was installed
	$(BIN)/pip install --quiet -e ".[test]"
	(echo "# Versions the test suite last passed with; make lock rewrites this file from .venv."; \
	 $(BIN)/pip freeze --exclude-editable | grep -v '^cbkg') > requirements.lock
