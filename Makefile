# StatusMonitor developer entry points. `make run` and `make test` bootstrap what they need.
# `make run` builds the dashboard first when its sources changed (deploy/frontend.py).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR := .data

.PHONY: install run test lint clean reset-data

install:
	bash deploy/install.sh

run: install
	$(BIN)/python -m deploy.frontend build
	$(BIN)/python -m deploy.run

test: install
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python -m deploy.frontend lint

# Forget the install stamp, so the next `make install` reinstalls the Python packages.
clean:
	rm -f $(VENV)/.statusmonitor-install-stamp

# Delete every local database, stream and metric of `make run`; refuses while it runs.
reset-data:
	@if [ -e $(DATA_DIR)/run.lock ] && ! flock -n $(DATA_DIR)/run.lock true; then \
		echo "make run is still using $(DATA_DIR); stop it first" >&2; exit 1; fi
	rm -rf $(DATA_DIR)
