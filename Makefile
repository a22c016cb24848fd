# evetrader developer commands. `make run` and `make test` are all a fresh machine needs (python3 >= 3.11).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCAL_PG    ?= postgresql://postgres@127.0.0.1:5432/test
LOCAL_REDIS ?= redis://127.0.0.1:6379/0
CHROMIUM    := /usr/bin/chromium

.PHONY: install browser run test test-integration test-e2e lint format migrate seed bench clean lock

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "evetrader needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml fakes/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e ./fakes
	touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install evetrader with its dev/test extras, and the fakes (fakes/)

lock: install ## refresh requirements.lock: the runtime dependencies, pinned with hashes (`make lock LOCK_FLAGS=--upgrade` to upgrade)
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command 'make lock' --output-file requirements.lock $(LOCK_FLAGS)

browser: ## Debian's chromium for the Playwright browser test (apt, only when missing and root; never downloaded by Playwright)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } || \
	    echo "chromium could not be installed: the browser test will be skipped"; \
	  else \
	    echo "no $(CHROMIUM) (installing it needs root and apt): the browser test will be skipped"; \
	  fi; \
	fi

run: install ## start evetrader: migrate, import static data if empty, scheduler ingesting the hubs, /healthz
	$(BIN)/evetrader run

test: install browser ## the whole test suite, against embedded Postgres/Redis unless TEST_DATABASE_URL/TEST_REDIS_URL are set
	$(BIN)/python -m pytest

test-integration: install ## the tests needing Postgres/Redis, against the servers at LOCAL_PG / LOCAL_REDIS
	TEST_DATABASE_URL=$(LOCAL_PG) TEST_REDIS_URL=$(LOCAL_REDIS) $(BIN)/python -m pytest -m integration

test-e2e: install browser ## end-to-end tests (real client libraries against local fakes)
	$(BIN)/python -m pytest -m e2e

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: install ## apply database migrations
	$(BIN)/evetrader migrate

seed: install ## demo data: ingest the hub regions and their history from the bundled ESI fake
	$(BIN)/evetrader seed

bench: install ## performance figures as JSON, one object per benchmark (benchmarks/)
	$(BIN)/python -m benchmarks.ingest
	$(BIN)/python -m benchmarks.commands
	$(BIN)/python -m benchmarks.appraisal
	$(BIN)/python -m benchmarks.alerts
	$(BIN)/python -m benchmarks.cli
	$(BIN)/python -m benchmarks.profit
	$(BIN)/python -m benchmarks.load

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info

# Deployment: the package, the image and the Kubernetes overlays (see README "Deploying").
IMAGE   ?= evetrader:latest
KUBECTL ?= kubectl

.PHONY: build docker deploy-staging deploy-production

build: install ## wheel and sdist of evetrader into dist/
	rm -rf dist
	$(BIN)/uv build --out-dir dist .

docker: requirements.lock ## the service image from the Dockerfile (dependencies from requirements.lock), tagged $(IMAGE)
	docker build --tag $(IMAGE) .

# kubectl diff exits 1 when the cluster differs (shown above the apply), above 1 when it failed.
define deploy_overlay
	$(KUBECTL) diff -k k8s/overlays/$(1); status=$$?; [ $$status -le 1 ] || exit $$status
	$(KUBECTL) apply -k k8s/overlays/$(1)
endef

deploy-staging: ## show what changes in the cluster (kubectl diff), then kubectl apply -k k8s/overlays/staging
	$(call deploy_overlay,staging)

deploy-production: ## show what changes in the cluster (kubectl diff), then kubectl apply -k k8s/overlays/production
	$(call deploy_overlay,production)
