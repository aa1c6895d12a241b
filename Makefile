# Sangsaeng: `make demo` serves the platform with demo data; `make test` runs every check.
# Both set everything up first (virtual environment, system packages, translations).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT   ?= 8000
APT    := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: demo test lint typecheck messages makemessages system-deps browser-deps install serve clean

demo: install messages
	PORT=$(PORT) $(BIN)/sangsaeng demo --port $(PORT)

test: install messages browser-deps lint typecheck
	SANGSAENG_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@{ command -v msgfmt >/dev/null && [ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ]; } || $(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# gettext compiles the Korean translations; Nanum Gothic draws Korean in PDF certificates and agendas;
# chromium drives the browser tests.
system-deps:
	@if [ "$$(id -u)" != 0 ]; then echo "Install gettext and fonts-nanum (and chromium for tests) with your package manager, or run as root."; exit 1; fi
	apt-get update -qq
	$(APT) gettext fonts-nanum

browser-deps:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && $(APT) chromium fonts-noto-cjk; } || { echo "chromium is needed for the browser tests: apt-get install chromium"; exit 1; }

messages: install
	cd src && ../$(BIN)/django-admin compilemessages --settings=sangsaeng.settings --verbosity 0

makemessages: install
	for app in src/sangsaeng/*/; do \
	  if [ -d "$$app/templates" ] || ls $$app*.py >/dev/null 2>&1; then \
	    mkdir -p "$$app/locale" && (cd "$$app" && ../../../$(BIN)/django-admin makemessages -l ko --settings=sangsaeng.settings --no-obsolete >/dev/null); \
	  fi; \
	done

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy src

serve: install messages
	$(BIN)/sangsaeng serve --port $(PORT)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
