# Bangfu — the two set-up commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DEMO_COUNTY ?= 341122
DEMO_HOUSEHOLDS ?= 3000
BENCH_PERSONS ?= 1000000
export BANGFU_DEBUG ?= 1

.PHONY: demo serve install install-test test test-fast bench bench-quick clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	bash scripts/ensure-fonts

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	bash scripts/ensure-fonts

install-bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	bash scripts/ensure-fonts

## make demo: install, migrate the SQLite file under var/, load regions and demo data, print the
## demo logins, then serve on http://127.0.0.1:$(PORT) (or the next free port, printed) with the task
## worker beside it.
demo: install
	mkdir -p var
	$(BIN)/bangfu migrate --no-input
	$(BIN)/bangfu demo-setup --county $(DEMO_COUNTY) --households $(DEMO_HOUSEHOLDS)
	$(MAKE) serve

serve:
	@port=$$($(BIN)/python scripts/free_port.py $(PORT)) || exit 1; \
	$(BIN)/bangfu db_worker --interval 1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo; echo "Bangfu 演示已启动：请用浏览器打开 http://127.0.0.1:$$port/ （Ctrl+C 停止）"; echo; \
	$(BIN)/bangfu runserver 127.0.0.1:$$port

## make test: install the test extras and run the whole suite (browser tests included).
test: install-test
	bash scripts/ensure-chromium
	BANGFU_TESTING=1 $(BIN)/pytest

test-fast: install-test
	BANGFU_TESTING=1 $(BIN)/pytest -m "not browser"

bench: install-bench
	$(BIN)/python benchmarks/run.py --size full

bench-quick: install-bench
	$(BIN)/python benchmarks/run.py --size quick

## make messages: refresh the English catalogues after changing interface strings, then translate
## the new entries and run it again to compile. The apps added after issue 3 keep their own
## catalogue (made without settings so that makemessages writes into the app's own locale/).
APP_CATALOGUES := cases benefits matching outreach rescue
messages:
	cd src/bangfu && ../../$(BIN)/bangfu makemessages -l en --no-obsolete --ignore "*/tests/*" --ignore "*/migrations/*" $(foreach app,$(APP_CATALOGUES),--ignore "$(app)/*")
	for app in $(APP_CATALOGUES); do (cd src/bangfu/$$app && env -u DJANGO_SETTINGS_MODULE ../../../$(BIN)/django-admin makemessages -l en --no-obsolete --ignore "tests/*" --ignore "migrations/*") || exit 1; done
	cd src/bangfu && ../../$(BIN)/bangfu compilemessages
	for app in $(APP_CATALOGUES); do (cd src/bangfu/$$app && env -u DJANGO_SETTINGS_MODULE ../../../$(BIN)/django-admin compilemessages) || exit 1; done

clean:
	rm -rf var build *.egg-info src/*.egg-info
