# The two commands: `make run` (install, migrate, load demo data, serve) and `make test` (install, whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := provider_dir

.PHONY: run test install assets lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) assets

# Front-end libraries come from the npm registry at install time; nothing vendored is committed.
# Leaflet (the results map) is copied into provider_dir/static/vendor/, which git ignores.
VENDOR := provider_dir/static/vendor
assets:
	@if [ -f package.json ]; then \
		if [ ! -d node_modules/leaflet ] || [ ! -d node_modules/leaflet.markercluster ] || [ ! -d node_modules/axe-core ] || [ package.json -nt node_modules ] || [ package-lock.json -nt node_modules ]; then \
			npm ci --no-audit --no-fund --silent && touch node_modules; \
		fi; \
		mkdir -p $(VENDOR)/leaflet; \
		cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
			node_modules/leaflet/LICENSE $(VENDOR)/leaflet/; \
		mkdir -p $(VENDOR)/leaflet.markercluster; \
		cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css \
			node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css node_modules/leaflet.markercluster/MIT-LICENCE.txt \
			$(VENDOR)/leaflet.markercluster/; \
	fi

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/ruff check provider_dir tests benchmarks migrations
	$(BIN)/bandit -q -r provider_dir -ll
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check provider_dir tests benchmarks migrations
	$(BIN)/bandit -q -r provider_dir -ll

bench: install
	$(BIN)/python benchmarks/seed_bench.py

clean:
	rm -rf $(VENV) node_modules provider_dir/static/vendor
