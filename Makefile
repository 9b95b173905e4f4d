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
	$(PY) -m ui.cli models fetch
	VENV=$(VENV) bash scripts/install_llama.sh

# The demo: KOC_DEMO=1 is the only mode in which demo data is written and demo tokens derived or
# printed; `koc demo-data` refuses a KOC_HOME whose ledger is not the demo's (see README, Security).
run: models
	KOC_DEMO=1 $(PY) -m ui.cli setup-demo
	KOC_DEMO=1 $(PY) -m ui.cli serve

# The gate: the shipped eval sets with the offline provider must stay at or above evals/thresholds.yaml.
# Its state lives in EVAL_HOME; the embedding cache outside the checkout, so a re-run embeds nothing.
EVAL_SETS  := evals/datasets/sample.jsonl evals/datasets/heldout.jsonl
EVAL_HOME  ?= .koc/eval
EVAL_CACHE ?= $(HOME)/.cache/koc-copilot/eval_embed_cache.sqlite

test: models
	$(VENV)/bin/lint-imports
	bash scripts/test_prereqs.sh
	mkdir -p $(dir $(EVAL_CACHE))
	KOC_HOME=$(EVAL_HOME) KOC_EMBED_CACHE=$(EVAL_CACHE) $(KOC) eval run $(EVAL_SETS) --provider offline --gate
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not real_model and not browser and not postgres and not slow"

SQUAD ?= ../shared/benchmarks/cmrc2018_dev.json
# the local model answers the first paragraphs only: the whole dev set would take hours on 2 cores
SQUAD_LOCAL_PARAGRAPHS ?= 12
KOC   := $(PY) -m ui.cli

# Each benchmark prints its own table; docs/benchmarks.md records a run of each.
bench: models
	$(KOC) bench retrieval --squad $(SQUAD)
	$(KOC) bench retrieval --squad $(SQUAD) --provider fast
	$(KOC) bench scale --chunks 100000
	$(KOC) bench tools --seconds 60
	$(KOC) bench latency

# Every evaluation: both shipped sets offline (with the gate) and with the bundled local model, and
# cmrc2018 dev as an answer set (every 4th paragraph held out of the index). Reports: docs/evals.md.
eval: models
	KOC_HOME=$(EVAL_HOME) KOC_EMBED_CACHE=$(EVAL_CACHE) $(KOC) eval run $(EVAL_SETS) --provider offline --gate
	KOC_HOME=$(EVAL_HOME) KOC_EMBED_CACHE=$(EVAL_CACHE) $(KOC) eval run $(EVAL_SETS) --provider local
	KOC_HOME=$(EVAL_HOME) KOC_EMBED_CACHE=$(EVAL_CACHE) $(KOC) eval run --squad $(SQUAD) --holdout-every 4 --provider offline
	KOC_HOME=$(EVAL_HOME) KOC_EMBED_CACHE=$(EVAL_CACHE) $(KOC) eval run --squad $(SQUAD) --holdout-every 4 --limit $(SQUAD_LOCAL_PARAGRAPHS) --provider local

clean:
	rm -rf .koc .pytest_cache
