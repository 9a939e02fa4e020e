# The two commands a newcomer needs: `make demo` and `make test`. Both set up what is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EMB    := graph/embedded
PY_STAMP   := $(VENV)/.installed
JAVA_STAMP := $(EMB)/target/.built
DEMO_DIR   ?= out/baoshan
SCALE      ?= 1
# the day the demo's report and explorer show (the seed's figures are of the end of 2020)
DEMO_DAY   ?= 2020-12-31

.PHONY: setup demo test lint bench bench-scale bench-api bench-viz bench-web clean help compose-tool browser-tool vis-network
help:
	@echo "make demo   set up, generate the Baoshan dataset, load it into Neo4j, print its figures and serve the explorer"
	@echo "make test   set up and run the tests (unit + integration against embedded Neo4j)"
	@echo "make bench  run the loading benchmark and write bench/RESULTS.md"
	@echo "make bench-scale  time the home page, analytics and every worklist cold and warm at scale 10 (bench/SCALE_RESULTS_s10.md)"
	@echo "make bench-api  run the API benchmark (latency, throughput) and write bench/API_RESULTS.md"
	@echo "make bench-viz  run the network page benchmark and write bench/VIZ_RESULTS.md"
	@echo "make bench-web  time the explorer's networks in Chromium and write bench/WEB_RESULTS.md"
	@echo "make lint   ruff, mypy and import-linter (the floors import one way)"

setup: $(PY_STAMP) $(JAVA_STAMP)

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Neo4j 5.26 (Community) jars from Maven Central, and the small launcher that embeds it.
$(JAVA_STAMP): $(EMB)/pom.xml $(EMB)/KgNeo4j.java
	mvn --quiet --batch-mode -f $(EMB)/pom.xml dependency:copy-dependencies \
	    -DoutputDirectory=target/lib -DincludeScope=runtime
	mkdir -p $(EMB)/target/classes
	javac -nowarn -cp '$(EMB)/target/lib/*' -d $(EMB)/target/classes $(EMB)/KgNeo4j.java
	touch $@

demo: setup
	$(BIN)/kg generate --profile baoshan --scale $(SCALE) --out $(DEMO_DIR)
	KG_WEB_AS_OF=$(DEMO_DAY) $(BIN)/kg load $(DEMO_DIR); test $$? -le 1
	$(BIN)/kg report --as-of $(DEMO_DAY)
	@token=$$($(BIN)/kg token create --role analyst --name demo | tail -n 1) && \
	echo "Explorer: http://127.0.0.1:5000/  token: $$token" && \
	echo "(Ctrl-C stops the explorer; the embedded Neo4j keeps running for the next kg command:" \
	     "'.venv/bin/kg db stop' stops it.)" && \
	KG_WEB_AS_OF=$(DEMO_DAY) exec $(BIN)/kg serve

# KG_REQUIRE_BROWSER=1: the browser tests fail (not skip) when chromium cannot be had
test: setup compose-tool browser-tool
	KG_REQUIRE_BROWSER=1 $(BIN)/pytest -q

# docker-compose v1 (Debian package) validates docker-compose.yml without a Docker engine
# (tests/unit/test_deploy.py); installed only when missing. CI runs as root.
compose-tool:
	@command -v docker-compose >/dev/null 2>&1 || { \
	    if ! command -v apt-get >/dev/null 2>&1; then \
	        echo "make compose-tool: docker-compose is missing and apt-get is unavailable;" \
	             "install docker-compose (1.29+) by hand, then rerun" >&2; \
	        exit 1; \
	    fi; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-compose; \
	}

# Debian's Chromium (and CJK fonts) for the browser tests of the kg viz pages
# (tests/unit/test_viz_browser.py, driven by the playwright package with this browser);
# installed only when missing.
browser-tool:
	@command -v chromium >/dev/null 2>&1 || { \
	    if ! command -v apt-get >/dev/null 2>&1; then \
	        echo "make browser-tool: chromium is missing and apt-get is unavailable;" \
	             "install chromium by hand (make test fails the browser tests without it)" >&2; \
	        exit 0; \
	    fi; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	        chromium fonts-noto-cjk; \
	}

# Refresh the vis-network copy that kg viz inlines into its pages (viz/static/README.md).
VIS_VERSION ?= 10.1.5
vis-network:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent vis-network@$(VIS_VERSION) >/dev/null && \
	tar xzf vis-network-$(VIS_VERSION).tgz && \
	sed '/^\/\/# sourceMappingURL=/d' package/standalone/umd/vis-network.min.js \
	    > $(CURDIR)/viz/static/vis-network.min.js && \
	cp package/LICENSE-MIT $(CURDIR)/viz/static/LICENSE-vis-network-MIT && rm -rf $$tmp

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# py2neo (the bench extra) only for the driver comparison in bench/driver_bench.py
bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load_bench.py --repeat 3 --scale10
	$(BIN)/python bench/driver_bench.py

# not part of make test: generates ~9.4 M rows and takes the better part of an hour
bench-scale: setup
	$(BIN)/python bench/scale_bench.py --scale 10 --repeat $(or $(REPEAT),1)

bench-api: setup
	$(BIN)/python bench/api_bench.py

bench-viz: setup browser-tool
	$(BIN)/python bench/viz_bench.py --repeat 5 --browser

bench-web: setup browser-tool
	$(BIN)/python bench/web_bench.py --repeat 3

clean:
	-$(BIN)/kg db stop
	rm -rf $(VENV) $(EMB)/target .kg out
