# Two commands for a fresh machine: `make demo` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo

.PHONY: demo test lint bench mutate clean web-catalog

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	$(BYTECODE)
	touch $(STAMP)

# consign's own bytecode, written once (where PYTHONDONTWRITEBYTECODE is set, as in many
# containers, Python would otherwise compile every module again at each command's start)
BYTECODE = $(BIN)/python -m compileall -q consign reports > /dev/null

demo: $(STAMP)
	$(BYTECODE)
	$(BIN)/consign demo --out $(DEMO_DIR)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto
	$(BIN)/ruff check .

lint: $(STAMP)
	$(BIN)/ruff check .

# Re-extract every msg() sentence, update the Indonesian catalog (consign/translations)
# and compile it; lists the sentences still to translate.
.PHONY: catalog
catalog: $(STAMP)
	$(BIN)/python tools/catalog.py

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/settlement.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/web.py

# Mutation testing of the pure rule modules ([mutmut] in setup.cfg): every surviving mutant
# is killed by a test or named as equivalent in mutmut-equivalent.txt.
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut==3.8.1'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 > /dev/null || true
	$(BIN)/python tools/mutation_score.py

# The web app's Indonesian catalog: web.po is written by hand, web.mo compiled from it (both
# are kept in the tree; a test holds web.mo to web.po).
web-catalog: $(STAMP)
	$(BIN)/pybabel compile --domain web --directory consign/web/translations --locale id

clean:
	rm -rf $(VENV) $(DEMO_DIR) mutants *.egg-info
