# cimo: the two commands a new user needs are `make demo` and `make test`.
# Both create the virtual environment in .venv and install cimo into it first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO   ?= work-focused-group-cbt

.PHONY: help demo test lint typecheck pytest notebooks docs cli-docs graphviz chromium pdflatex libreoffice poppler consumers js-lint js-format bench bench-full gallery fuzz clean

help:
	@echo "make demo   - set up, then print the bundled '$(DEMO)' theory's summary, render it to $(DEMO).svg and write its explorer $(DEMO).html"
	@echo "make test   - set up, then run ruff, mypy --strict and pytest (doctests included)"
	@echo "make docs   - build the documentation site into site/ (warnings are errors)"
	@echo "make bench  - run the speed and memory benchmarks at 1k and 10k rules (writes bench.json and docs/performance.md)"
	@echo "make bench-full - the same, and at 100k rules too (slow)"
	@echo "make fuzz   - fuzz every file reader for a few minutes (make test runs a quick pass)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Graphviz's `dot` renders diagrams; install it from Debian when it is missing and we are root.
graphviz:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Graphviz (dot) from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
		echo "Graphviz's dot is missing: install it (e.g. 'sudo apt-get install graphviz'), or run 'make test PYTEST_ARGS=--skip-exe'"; \
	fi

# The explorer's browser tests drive Debian's chromium (Playwright's own download is not used).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Chromium from Debian (for the explorer's browser tests)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: install it (e.g. 'sudo apt-get install chromium'), or run 'make test PYTEST_ARGS=--skip-browser'"; \
	fi

# The table tests compile the LaTeX table with Debian's pdflatex, open the .docx table in
# LibreOffice (headless, converted to PDF) and read the PDFs with poppler's pdftotext.
# Install each from Debian when it is missing and we are root (else those tests skip, saying
# which program is missing; --skip-office skips them anyway).
pdflatex:
	@$(call debian,pdflatex,texlive-latex-recommended,pdflatex (TeX Live))
libreoffice:
	@$(call debian,soffice,libreoffice-writer-nogui,LibreOffice Writer (soffice))
poppler:
	@$(call debian,pdftotext,poppler-utils,poppler's pdftotext and pdftoppm)

# $(call debian,PROGRAM,PACKAGE,WHAT): install PACKAGE when PROGRAM is missing and we are root.
define debian
if command -v $(1) >/dev/null 2>&1; then :; \
elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	echo "installing $(3) from Debian ($(2))..."; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
else \
	echo "$(3) is missing: install it (e.g. 'sudo apt-get install $(2)'); the tests that need it skip, saying so"; \
fi
endef

# The real consumers the exchange tests run (tests/test_consumers.py):
# - JavaScript ones (graphology, graphology-gexf, d3-force, Cytoscape.js, mermaid under jsdom,
#   mxGraph for draw.io) and Microsoft's SARIF Multitool (a self-contained binary on npm),
#   pinned in tests/js/package-lock.json, installed with the machine's npm (npm does not run
#   the Multitool's install script, so its binary is made executable here);
# - networkx 3.2 beside the current one, in .venv-nx32 (pip --target), to read node-link JSON
#   as networkx before 3.6 does.
# Without node/npm or the registries the tests that need them fail saying what is missing.
JS_STAMP   := tests/js/node_modules/.installed-$(shell cat tests/js/package-lock.json | cksum | cut -d' ' -f1)
NX32_STAMP := .venv-nx32/.installed-3.2.1

$(JS_STAMP): tests/js/package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Node.js and npm from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/js && npm ci --no-audit --no-fund --loglevel=error \
		&& chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool \
		&& touch node_modules/$(notdir $(JS_STAMP)); \
	else echo "npm is missing: the JavaScript consumer tests will fail (install nodejs and npm)"; fi

$(NX32_STAMP): $(STAMP)
	rm -rf .venv-nx32
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target .venv-nx32 networkx==3.2.1
	touch $(NX32_STAMP)

consumers: $(JS_STAMP) $(NX32_STAMP)

demo: $(STAMP) graphviz
	$(BIN)/cimo show $(DEMO)
	$(BIN)/cimo check $(DEMO)
	$(BIN)/cimo render $(DEMO) -o $(DEMO).svg
	$(BIN)/cimo explore $(DEMO) -o $(DEMO).html
	@echo "the interactive explorer was written to $(CURDIR)/$(DEMO).html: open it in a browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The tests run on every core (pytest-xdist; each file on one worker). PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= auto
pytest: $(STAMP) graphviz chromium consumers pdflatex libreoffice poppler
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Run every notebook top to bottom (nbmake); outputs are not kept in the files.
notebooks: $(STAMP) graphviz
	$(BIN)/pytest --nbmake notebooks -q -p no:cacheprovider

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d site

# Regenerate the command-line reference from the Typer app (a test checks it is current).
cli-docs: $(STAMP)
	$(BIN)/typer cimo.cli utils docs --name cimo --output docs/cli.md

# The explorer's JavaScript and CSS (cimo/render/_explorer/web): ESLint and Prettier from npm,
# pinned in js/package.json (dev tools only; nothing from npm ships in cimo).
js-lint:
	@if command -v npm >/dev/null 2>&1; then \
		cd js && npm ci --no-audit --no-fund --silent && npm run -s lint; \
	else \
		echo "npm is missing: the explorer's JavaScript is not linted (install Node.js and npm)"; exit 1; \
	fi

js-format:
	cd js && npm ci --no-audit --no-fund --silent && npm run -s format

test: lint js-lint typecheck pytest notebooks docs

BENCH_SIZES ?= 1000,10000
BENCH_NOTE ?=
BENCH_CLOCK ?= wall

bench: $(STAMP) graphviz
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES) --json bench.json --markdown docs/performance.md --clock $(BENCH_CLOCK) $(if $(BENCH_NOTE),--note "$(BENCH_NOTE)")

bench-full: $(STAMP) graphviz
	$(MAKE) bench BENCH_SIZES=1000,10000,100000

# The fuzz tests of tests/test_fuzz.py with many more examples (random, not the fixed seed).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	CIMO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_fuzz.py -q -p no:cacheprovider \
		--hypothesis-show-statistics

gallery: $(STAMP) graphviz chromium
	$(BIN)/python docs/gallery/build.py
	$(BIN)/python docs/gallery/explorer_shots.py

clean:
	rm -rf $(VENV) .venv-nx32 tests/js/node_modules .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
