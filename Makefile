# The README's two commands: `make run` serves the dashboard, `make test` runs every test.
# Each does its own set-up on a fresh machine: a .venv in the repo, the pinned packages,
# and the warehouse, rebuilt whenever a curated CSV or the ETL is newer than it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/warehouse.duckdb
CURATED := $(wildcard data/curated/*.csv)
ETL_CODE := $(wildcard etl/*.py)

.PHONY: run test setup warehouse check clean browser bench

run: $(DB)
	VOCDASH_DB=$(DB) $(BIN)/streamlit run app.py \
		--server.headless true --server.address 127.0.0.1 \
		$(if $(STREAMLIT_SERVER_PORT),--server.port $(STREAMLIT_SERVER_PORT))

test: $(DB) browser
	VOCDASH_DB=$(DB) $(BIN)/python -m pytest

# National-scale speed and memory against the budgets; writes docs/benchmarks.md (about 15 min).
bench: $(VENV)/.installed browser
	$(BIN)/python -m benchmarks.bench

# Debian's chromium and a CJK font for the browser tests (apt when root, else the command).
browser:
	@bash scripts/ensure-browser.sh

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

warehouse: $(DB)

$(DB): $(CURATED) $(ETL_CODE) $(VENV)/.installed
	$(BIN)/python -m etl build --data-dir data/curated --db $(DB)

check: $(VENV)/.installed
	$(BIN)/python -m etl check --data-dir data/curated

clean:
	rm -f $(DB) $(DB).*.building*
