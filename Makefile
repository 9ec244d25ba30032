# The two commands a new machine needs: `make dev` runs the platform, `make test` the suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

UI_STAMP := ui/node_modules/.installed

.PHONY: dev test e2e install ui lint format clean compose-tool chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# CPU torch first (it is on disk here), so nothing later pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

ui:
	@if [ -f ui/package.json ]; then \
		cd ui && npm ci --no-audit --no-fund && npm run build; \
	else echo "no ui/ package yet: skipping the UI build"; fi

## Set up everything and run the platform (PostgreSQL, Temporal, API, worker, UI).
dev: install ui
	$(BIN)/agentpaas dev

## Set up everything and run the whole test suite: Python, the UI's unit tests, the browser journeys.
test: install compose-tool chromium $(UI_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider
	cd ui && npm run test && npm run build && npm run e2e

## The browser journeys alone (ui/e2e/: Playwright and Debian's Chromium against the real platform).
e2e: install chromium $(UI_STAMP)
	cd ui && npm run build && npm run e2e

$(UI_STAMP): ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $(UI_STAMP)

# The browser journeys drive Debian's Chromium at /usr/bin/chromium; never a downloaded browser.
# A CJK font, so screenshots of the zh-CN pages show Chinese, not empty boxes.
chromium:
	@{ test -x /usr/bin/chromium && test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; } || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

# The tests validate docker-compose.yml with `docker-compose config` (no Docker engine needed).
compose-tool:
	@command -v docker-compose >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) ui/node_modules ui/dist
