# pilotkg: `make run` builds the knowledge graph and prints its statistics;
# `make test` installs what the tests need and runs them. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := $(shell find src ontology queries data -type f 2>/dev/null) pyproject.toml constraints.txt

.PHONY: run test system-deps venv clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A regular (not editable) install: the tests exercise the package as users get it,
# with the ontology, queries and data carried as package data.
$(STAMP): $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet -c constraints.txt ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/pilotkg build --output out
	$(BIN)/pilotkg stats --dataset out/pilotkg.trig
	$(BIN)/pilotkg validate --dataset out/pilotkg.trig --output out/report.html --output out/report.md --output out/report.ttl --worksheet out/gaps.csv
	$(BIN)/pilotkg analyze cooperation --dataset out/pilotkg.trig --output out/cooperation.txt

system-deps:
	bash .ci/system-deps.sh

test: system-deps $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) out build dist .pytest_cache

# Regenerate constraints.txt from a fresh environment (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	{ echo "# Exact versions that CI installs (pip install -c constraints.txt '.[test]'); tested on Python 3.11."; \
	  echo "# Regenerate: make lock (a fresh venv, then pip freeze)."; \
	  .lock-venv/bin/python -m pip freeze | grep -v -i '^pilotkg'; } > constraints.txt
	rm -rf .lock-venv
