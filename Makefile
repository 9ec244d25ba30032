# The two commands a new machine needs: `make dev` runs the platform, `make test` the suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: dev test install ui lint format clean compose-tool

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

## Set up everything and run the whole test suite (Python, then the UI's unit tests).
test: install compose-tool
	$(BIN)/python -m pytest -q -p no:cacheprovider
	@if [ -f ui/package.json ]; then \
		cd ui && npm ci --no-audit --no-fund && npm run test; \
	fi

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
