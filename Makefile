# The README's two commands: `make run` serves the dashboard, `make test` runs every test.
# `make serve` serves it with several app processes behind nginx (docs/scaling.md).
# Each does its own set-up on a fresh machine: a .venv in the repo, the pinned packages,
# and the warehouse, rebuilt whenever a curated CSV or the ETL is newer than it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/warehouse.duckdb
CURATED := $(wildcard data/curated/*.csv)
ETL_CODE := $(wildcard etl/*.py)

.PHONY: run serve test setup warehouse check clean browser nginx office bench load eval-extract bench-extract

# `VOCDASH_DB=path make run` serves that warehouse as it is (never rebuilt from the curated
# data); without it, make run serves $(DB), rebuilt when the curated data is newer.
run: $(if $(VOCDASH_DB),$(VENV)/.installed,$(DB))
	VOCDASH_DB=$(or $(VOCDASH_DB),$(DB)) $(BIN)/streamlit run app.py \
		--server.headless true --server.address 127.0.0.1 \
		$(if $(STREAMLIT_SERVER_PORT),--server.port $(STREAMLIT_SERVER_PORT))

# SERVE_PROCS app processes (default: one per core) behind nginx on STREAMLIT_SERVER_PORT
# (default 8501), each reading the same warehouse; Ctrl-C stops them all (deploy/serve.py).
SERVE_PROCS ?=
serve: $(DB) nginx
	VOCDASH_DB=$(DB) $(BIN)/python -m deploy.serve \
		$(if $(SERVE_PROCS),--procs $(SERVE_PROCS)) $(if $(STREAMLIT_SERVER_PORT),--port $(STREAMLIT_SERVER_PORT))

test: $(DB) browser nginx office
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

# Debian's nginx for `make serve` and its tests (apt when root, else the command).
nginx:
	@bash scripts/ensure-nginx.sh

# LibreOffice Impress and Calc and poppler, to render the decks and workbooks the tests make.
office:
	@bash scripts/ensure-office.sh

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
# override the defaults; LOAD_DATA="curated" skips the national data; LOAD_ARGS passes more
# options to benchmarks.load (e.g. "--browser-nice 10 --step-timeout 400" on a busy machine).
# LOAD_TARGET=proxy runs each dataset twice, back to back: against one process, then through
# nginx to SERVE_PROCS processes (default: one per core), as `make serve` runs them.
LOAD_USERS ?= 20
LOAD_ROUNDS ?= 1
LOAD_DATA ?= curated national
LOAD_TARGET ?= single
LOAD_ARGS ?=
NAT_DIR := benchmarks/out/national
NAT_DB ?= $(NAT_DIR)/warehouse.duckdb

load: $(DB) browser $(if $(filter national,$(LOAD_DATA)),$(NAT_DB)) $(if $(filter proxy,$(LOAD_TARGET)),nginx)
	@rm -f benchmarks/out/load-*.json; status=0; results=""; \
	for data in $(LOAD_DATA); do \
	  case $$data in curated) db=$(DB);; national) db=$(NAT_DB);; *) echo "LOAD_DATA: curated or national, not $$data" >&2; exit 2;; esac; \
	  for target in single $(filter proxy,$(LOAD_TARGET)); do \
	    procs=0; if [ $$target = proxy ]; then procs=$(or $(SERVE_PROCS),$$(nproc)); fi; \
	    out=benchmarks/out/load-$$data-$$target.json; \
	    echo "== make load: $$data, $$target (--procs $$procs; 0 is one process alone)"; \
	    $(BIN)/python -m benchmarks.load --users $(LOAD_USERS) --rounds $(LOAD_ROUNDS) --db $$db \
	      --label $$data --procs $$procs --out $$out $(LOAD_ARGS) || status=1; \
	    results="$$results $$out"; \
	  done; \
	done; \
	$(BIN)/python -m benchmarks.load_report $$results; \
	$(BIN)/python -m benchmarks.load_summary $$results; exit $$status

$(NAT_DIR)/warehouse.duckdb: $(ETL_CODE) $(VENV)/.installed
	$(BIN)/python -m etl.synth --institutions 11000 --years 10 --out $(NAT_DIR)/csv
	$(BIN)/python -m etl build --data-dir $(NAT_DIR)/csv --db $@

check: $(VENV)/.installed
	$(BIN)/python -m etl check --data-dir data/curated

clean:
	rm -f $(DB) $(DB).*.building*
