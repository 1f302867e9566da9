# pilotkg: `make run` builds the knowledge graph and prints its statistics;
# `make test` installs what the tests need and runs them. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := $(shell find src ontology queries data -type f 2>/dev/null) pyproject.toml constraints.txt

NODE_READERS := tests/js/node_modules/.installed

.PHONY: run test system-deps venv clean lock vendor dev bench

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
	$(BIN)/pilotkg validate --dataset out/pilotkg.trig --output out/report.html --output out/report.md --output out/report.ttl --output out/compliance.svg --worksheet out/gaps.csv
	$(BIN)/pilotkg analyze cooperation --dataset out/pilotkg.trig --output out/cooperation.txt
	$(BIN)/pilotkg export --view cooperation --dataset out/pilotkg.trig --output out/cooperation.html --output out/cooperation.graphml --output out/cooperation.svg
	$(BIN)/pilotkg docs --output out/docs

system-deps:
	bash .ci/system-deps.sh

# The independent readers some tests use (graphology-gexf under Node), at the versions locked in
# tests/js/package-lock.json.
$(NODE_READERS): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	@touch $(NODE_READERS)

# Two workers (CI has two cores); each test file stays on one worker, with its servers.
test: system-deps $(STAMP) $(NODE_READERS)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=15

# For development: an editable install in .venv-dev. The assets (ontology, queries, data) reach
# the package through symlinks in src/pilotkg/assets (ignored by git and left out of the wheel).
dev:
	mkdir -p src/pilotkg/assets
	for d in ontology queries data; do ln -sfn ../../../$$d src/pilotkg/assets/$$d; done
	test -x .venv-dev/bin/python || $(PYTHON) -m venv .venv-dev
	.venv-dev/bin/python -m pip install --quiet -c constraints.txt -e ".[test]"

# The benchmarks (bench/run.py): synthetic data at 10k, 100k and 1M statements by default
# (BENCH_SIZES=10k,100k,1m,10m for 10M), the CLI's code paths beside the plain libraries.
BENCH_SIZES ?= 10k,100k,1m
BENCH_CAP ?= 120
bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --cap $(BENCH_CAP)

clean:
	rm -rf $(VENV) .venv-dev out build dist .pytest_cache tests/js/node_modules

# Regenerate constraints.txt from a fresh environment (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	{ echo "# Exact versions that CI installs (pip install -c constraints.txt '.[test]'); tested on Python 3.11."; \
	  echo "# Regenerate: make lock (a fresh venv, then pip freeze)."; \
	  .lock-venv/bin/python -m pip freeze | grep -v -i '^pilotkg'; } > constraints.txt
	rm -rf .lock-venv

# Refresh the vendored Cytoscape.js (src/pilotkg/vendor): npm pack checks the registry's
# integrity; record the printed SHA-256 in src/pilotkg/vendor/README.md and tests/test_export.py.
CYTOSCAPE ?= 3.35.0
vendor:
	rm -rf .vendor-tmp && mkdir .vendor-tmp
	cd .vendor-tmp && npm pack cytoscape@$(CYTOSCAPE) --silent && tar xzf cytoscape-$(CYTOSCAPE).tgz
	cp .vendor-tmp/package/dist/cytoscape.min.js .vendor-tmp/package/LICENSE src/pilotkg/vendor/cytoscape/
	sha256sum src/pilotkg/vendor/cytoscape/cytoscape.min.js
	rm -rf .vendor-tmp
