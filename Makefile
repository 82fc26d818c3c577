# Two commands (see README): `make run` sets up and starts the app,
# `make test` sets up and runs every check. Both work on a fresh Debian
# machine with Python 3.11; neither fetches anything at run time.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The events dev set (eval/events/GUIDELINE.md); empty until its files exist.
EVENTS_GOLD := $(wildcard eval/events/*.jsonl)

.PHONY: run test setup setup-test system-test-deps lint bench eval compile translations clean

# The feed worker runs beside the web server and stops with it; both keep their state in
# the database, so either may be restarted on its own.
run: setup
	$(BIN)/kharita index
	$(BIN)/kharita worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(BIN)/kharita serve --host $(HOST) --port $(PORT)

# The geoparse tests run a second time on the pure-Python geoparser, the fallback
# where the compiled one is not built (geo/compiled.py); the 10 MB test once is enough.
test: setup-test lint
	$(BIN)/kharita index
	$(BIN)/pytest
	KHARITA_PURE_PYTHON=1 $(BIN)/pytest -q tests/geo/test_geoparse.py -k "not ten_megabytes"

lint: $(BIN)/.installed-test
	$(BIN)/ruff check geo webapp tests bench scripts
	$(BIN)/mypy

setup: $(BIN)/.installed

setup-test: $(BIN)/.installed-test system-test-deps

$(BIN)/.installed: pyproject.toml setup.py
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" ""
	touch $@

$(BIN)/.installed-test: pyproject.toml setup.py
	bash scripts/bootstrap.sh "$(PYTHON)" "$(VENV)" "[test]"
	touch $@ $(BIN)/.installed

# Real-browser tests drive Debian's chromium; GDAL comes with pyogrio's wheel.
system-test-deps:
	bash scripts/system-deps.sh

# Rebuild the compiled geoparser after editing its modules (until then, an
# edited module runs from its source: see geo/compiled.py).
compile: setup
	$(BIN)/python -m pip install --quiet --no-deps --editable .

bench: setup-test
	$(BIN)/python bench/bench_geoparse.py

eval: setup
	$(BIN)/kharita eval ../shared/eval/anercorp_train.jsonl ../shared/eval/idrisi_d_ar.jsonl \
		../shared/eval/lgl.jsonl ../shared/eval/hipe2020_fr.jsonl
	$(BIN)/kharita eval --demonyms ../shared/eval/tr_news.jsonl ../shared/eval/lgl.jsonl
ifneq ($(EVENTS_GOLD),)
	$(BIN)/kharita eval $(EVENTS_GOLD)
	$(BIN)/kharita eval --events $(EVENTS_GOLD)
else
	@echo "eval/events/*.jsonl: no gold event files yet; event scoring skipped"
endif

# UI strings (README "Translating the interface"): collect them from the code (babel.cfg;
# `translate` is Kharita's gettext with an explicit language), merge them into the ar and fr
# catalogs (new strings empty, changed ones marked fuzzy), compile the catalogs.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k translate -c Translators: --add-location=file \
		--sort-output --project=Kharita --copyright-holder="Kharita contributors" \
		-o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations
	$(BIN)/pybabel compile -d webapp/translations --statistics

clean:
	rm -rf $(VENV) build *.egg-info geo/*.so geo/*/*.so geo/*.c geo/*/*.c .pytest_cache .ruff_cache .mypy_cache test-artifacts
