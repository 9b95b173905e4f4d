# KOC Copilot. `make run` starts the product, `make test` runs the whole suite; both set up from nothing.
SHELL := /bin/bash
PY_BOOT ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False
export TOKENIZERS_PARALLELISM=false

.PHONY: install models run test test-fast bench eval clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PY_BOOT) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first: the local CPU build. Anything that pulls torch before it drags in a CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

models: install
	$(PY) -m assistant.cli models fetch
	VENV=$(VENV) bash scripts/install_llama.sh

run: models
	$(PY) -m assistant.cli setup-demo
	$(PY) -m assistant.cli serve

test: models
	bash scripts/test_prereqs.sh
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not real_model and not browser and not postgres"

bench: models
	$(PY) -m assistant.cli bench all

eval: models
	$(PY) -m assistant.cli eval run evals/datasets/core.jsonl

clean:
	rm -rf .koc .pytest_cache
