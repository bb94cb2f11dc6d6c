# nigraph: `make run` builds dist/ and serves it, `make test` runs the tests; both set up .venv first.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nigraph-installed.stamp

.PHONY: run test clean venv

HOST   ?= 127.0.0.1
PORT   ?= 8000

run: $(STAMP)
	@echo "nigraph is installed at $(BIN)/nigraph; run it from anywhere as $(CURDIR)/$(BIN)/nigraph, or '. $(BIN)/activate' and then 'nigraph'"
	$(BIN)/nigraph build
	$(BIN)/nigraph export
	$(BIN)/nigraph report
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --quiet   # the documentation site, served at /docs/
	$(BIN)/nigraph serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -q

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@
	@echo "nigraph is installed at $(BIN)/nigraph ('. $(BIN)/activate' puts it on your PATH)"

clean:
	rm -rf $(VENV) dist build site .pytest_cache src/*.egg-info
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
