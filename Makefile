# The README's two commands: `make run` serves the dashboard, `make test` runs every test.
# Each does its own set-up on a fresh machine: a .venv in the repo, the pinned packages,
# and the warehouse, rebuilt whenever a curated CSV or the ETL is newer than it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/warehouse.duckdb
CURATED := $(wildcard data/curated/*.csv)
ETL_CODE := $(wildcard etl/*.py)

.PHONY: run test setup warehouse check clean browser bench load eval-extract bench-extract

# `VOCDASH_DB=path make run` serves that warehouse as it is (never rebuilt from the curated
# data); without it, make run serves $(DB), rebuilt when the curated data is newer.
run: $(if $(VOCDASH_DB),$(VENV)/.installed,$(DB))
	VOCDASH_DB=$(or $(VOCDASH_DB),$(DB)) $(BIN)/streamlit run app.py \
		--server.headless true --server.address 127.0.0.1 \
		$(if $(STREAMLIT_SERVER_PORT),--server.port $(STREAMLIT_SERVER_PORT))

test: $(DB) browser
	VOCDASH_DB=$(DB) $(BIN)/python -m pytest

# National-scale speed and memory against the budgets; writes docs/benchmarks.md (about 15 min).
bench: $(VENV)/.installed browser
	$(BIN)/python -m benchmarks.bench
	$(BIN)/python -m benchmarks.extract_speed

# The extractor against the curated rows of the five reports (../shared/sources); the
# scores go into docs/curation.md, the unmatched candidates into test-artifacts/.
SOURCES ?= ../shared/sources
eval-extract: $(VENV)/.installed
	$(BIN)/python -m etl.extract.evaluate --data-dir data/curated --sources $(SOURCES) \
		--doc docs/curation.md --unmatched test-artifacts/eval-extract-unmatched.txt

# A 40-page report as .txt, .docx and .pdf through the extractor (budget: 5 s each).
bench-extract: $(VENV)/.installed
	$(BIN)/python -m benchmarks.extract_speed

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

# `make load`: 20 simultaneous Chromium users on the curated and on the national synthetic
# data (11,000 colleges x 10 years, generated once into benchmarks/out/; point NAT_DB at an
# existing warehouse to skip that). Results go to benchmarks/out/load-*.json, into the
# results table of docs/reliability.md and docs/load-results/, the p95 into docs/benchmarks.md. LOAD_USERS / LOAD_ROUNDS
# override the defaults.
LOAD_USERS ?= 20
LOAD_ROUNDS ?= 1
NAT_DIR := benchmarks/out/national
NAT_DB ?= $(NAT_DIR)/warehouse.duckdb

load: $(DB) $(NAT_DB) browser
	rm -f benchmarks/out/load-curated.json benchmarks/out/load-national.json
	$(BIN)/python -m benchmarks.load --users $(LOAD_USERS) --rounds $(LOAD_ROUNDS) --db $(DB) \
		--label curated --out benchmarks/out/load-curated.json; curated=$$?; \
	$(BIN)/python -m benchmarks.load --users $(LOAD_USERS) --rounds $(LOAD_ROUNDS) --db $(NAT_DB) \
		--label national --out benchmarks/out/load-national.json; national=$$?; \
	$(BIN)/python -m benchmarks.load_report benchmarks/out/load-curated.json benchmarks/out/load-national.json; \
	$(BIN)/python -m benchmarks.load_summary benchmarks/out/load-curated.json benchmarks/out/load-national.json; \
	test $$curated -eq 0 && test $$national -eq 0

$(NAT_DIR)/warehouse.duckdb: $(ETL_CODE) $(VENV)/.installed
	$(BIN)/python -m etl.synth --institutions 11000 --years 10 --out $(NAT_DIR)/csv
	$(BIN)/python -m etl build --data-dir $(NAT_DIR)/csv --db $@

check: $(VENV)/.installed
	$(BIN)/python -m etl check --data-dir data/curated

clean:
	rm -f $(DB) $(DB).*.building*
