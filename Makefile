# The single entry point for people: `make help`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
# No data leaves the deployment: every Rasa command runs with telemetry and error reporting (Sentry) off.
NO_TELEMETRY := RASA_TELEMETRY_ENABLED=false
RASA := $(NO_TELEMETRY) $(RASA_VENV)/bin/rasa
MODEL := models/quelvanti.tar.gz
# `make run RASA_REPLICAS=2`: Rasa processes behind the API (about 1.2 GB each).
RASA_REPLICAS ?= 1
# Compliance artefacts, generated and committed; rebuilt only when their sources change (deterministic).
COMPLIANCE_VOCAB := compliance/vocab/terminology/events.tsv compliance/vocab/terminology/drugs.tsv \
	compliance/vocab/terminology/places.tsv
COMPLIANCE_MODEL := compliance/model/report_classifier/meta.json
CONTENT := $(wildcard content_library/items/*.yml)
NLU_GENERATED := bot/data/nlu/content.yml bot/data/rules/content.yml bot/data/nlu/off_domain.yml \
	bot/data/nlu/off_domain_traps.yml
TRAINING_DATA := $(filter-out $(NLU_GENERATED),$(wildcard bot/data/*/*.yml))

.DEFAULT_GOAL := help
.PHONY: help run test train bot-eval bot-calibrate bench lint migrate validate compliance-eval compliance-external compliance-vocab compliance-model setup browser clean demo-users demo-data

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	@echo "==> Creating $(VENV) (API, worker, tests)"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q pip==24.2
	$(VENV)/bin/pip install -q -r requirements.lock
	@touch $@

# Rasa 3.6 declares Python <3.11 but runs on 3.11: the lock pins every dependency, so install without resolving.
$(RASA_VENV)/.installed: bot/requirements.lock
	@echo "==> Creating $(RASA_VENV) (Rasa 3.6, action server)"
	$(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q pip==24.2
	$(RASA_VENV)/bin/pip install -q --no-deps --ignore-requires-python -r bot/requirements.lock
	@touch $@

setup: $(VENV)/.installed $(RASA_VENV)/.installed ## Create both virtualenvs

$(NLU_GENERATED) &: $(CONTENT) bot/generate_nlu.py bot/offdomain.py bot/offdomain_templates.yml bot/routing.py bot/reference.py bot/reference/*.yml content_library/*.py compliance/detectors/*.py | $(VENV)/.installed
	$(PY) -m bot.generate_nlu

NLU_COMPONENTS := $(wildcard bot/nlu/*.py)

$(MODEL): $(NLU_GENERATED) $(TRAINING_DATA) $(NLU_COMPONENTS) config.yml domain.yml | $(RASA_VENV)/.installed
	@echo "==> Training the Rasa model (a few minutes)"
	$(RASA) train --config config.yml --domain domain.yml --data bot/data --out models \
		--fixed-model-name quelvanti

train: $(MODEL) ## Train the Rasa model if training data or content changed

validate: $(NLU_GENERATED) | $(VENV)/.installed $(RASA_VENV)/.installed ## Validate content and Rasa data
	$(PY) -m content_library validate
	$(RASA) data validate --config config.yml --domain domain.yml --data bot/data --fail-on-warnings

migrate: $(VENV)/.installed ## Apply database migrations
	@mkdir -p var
	$(VENV)/bin/alembic -c api/alembic.ini upgrade head

run: setup $(MODEL) migrate $(COMPLIANCE_VOCAB) $(COMPLIANCE_MODEL) ## Set up on first use, then start the whole service
	$(PY) -m scripts.run --rasa-replicas $(RASA_REPLICAS)

demo-users: migrate ## Create one staff user per role with known passwords (ENVIRONMENT=dev only)
	$(PY) -m scripts.demo_users

demo-data: migrate ## Realistic HCP traffic through the running service's chat API (run `make run` first; ENVIRONMENT=dev only)
	$(PY) -m scripts.demo_data

browser: ## Install Debian's chromium and chromedriver for the web tests (if missing)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ echo "==> Installing chromium"; apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }

test: setup $(MODEL) browser $(COMPLIANCE_VOCAB) $(COMPLIANCE_MODEL) ## Run every test (starts what the tests need)
	$(RASA_VENV)/bin/python -m pytest tests/bot/actions -q -p no:cacheprovider --confcutdir=tests/bot/actions
	$(PY) -m pytest tests -q --ignore=tests/bot/actions

# Held-out sets the operating point is chosen on; bot/eval/heldout3.yml is the untouched test set.
BOT_CALIBRATION := bot/eval/heldout.yml bot/eval/heldout2.yml bot/eval/calibration.yml bot/reference

bot-calibrate: setup $(MODEL) ## Choose the abstention thresholds (bot/thresholds.yml) on the calibration sets
	$(NO_TELEMETRY) $(RASA_VENV)/bin/python -m bot.evaluate --model $(MODEL) --cases $(BOT_CALIBRATION) --calibrate

bot-eval: setup $(MODEL) ## Held-out questions: the model alone, then through the whole service
	$(NO_TELEMETRY) $(RASA_VENV)/bin/python -m bot.evaluate --model $(MODEL) --cases $(BOT_CALIBRATION) bot/eval/heldout4.yml bot/eval/heldout3.yml
	$(PY) -m scripts.chat_eval

compliance-eval: $(VENV)/.installed $(COMPLIANCE_VOCAB) $(COMPLIANCE_MODEL) ## Precision/recall of every compliance detector
	$(PY) -m compliance evaluate evals/compliance/labelled.jsonl

compliance-external: $(VENV)/.installed $(COMPLIANCE_VOCAB) $(COMPLIANCE_MODEL) ## Issue-8 bar on the external-style sets, rounds 1-4 (dev, then held-back)
	$(PY) -m compliance external dev --quiet
	$(PY) -m compliance external held --quiet
	$(PY) -m compliance external dev --suite round2 --quiet
	$(PY) -m compliance external held --suite round2 --quiet
	$(PY) -m compliance external dev --suite round3 --quiet
	$(PY) -m compliance external held --suite round3 --quiet
	$(PY) -m compliance external dev --suite round4 --quiet
	$(PY) -m compliance external held --suite round4 --quiet

# Event and drug vocabularies from the pinned terminology packages (HPO, ICD-10-CM, drug dictionary).
$(COMPLIANCE_VOCAB) &: compliance/tools/build_vocab.py compliance/vocab/terminology_filter.yaml \
		compliance/vocab/off_label.yaml compliance/vocab/brand_profile.yaml | $(VENV)/.installed
	$(PY) -m compliance.tools.build_vocab

compliance-vocab: $(COMPLIANCE_VOCAB) ## Generate the compliance event/drug vocabularies from the terminologies

# The report classifier: generated training data, then spaCy textcat (seeded; writes model/CARD.md).
$(COMPLIANCE_MODEL): compliance/model/generate_data.py compliance/model/train.py compliance/model/templates.yaml \
		$(COMPLIANCE_VOCAB) | $(VENV)/.installed
	$(PY) -m compliance.model.generate_data
	$(PY) -m compliance.model.train > /dev/null

compliance-model: $(COMPLIANCE_MODEL) ## Train the compliance report classifier (held-out figures in its card)

bench: setup $(MODEL) $(COMPLIANCE_VOCAB) $(COMPLIANCE_MODEL) ## Chat latency and scaling, compliance speed, content approval-to-live, insights dashboard
	$(PY) -m scripts.bench
	$(PY) -m scripts.bench_content
	$(PY) -m scripts.bench_insights

lint: $(VENV)/.installed ## Ruff and mypy
	$(VENV)/bin/ruff check api bot content_library compliance scripts tests
	$(VENV)/bin/ruff format --check api bot content_library compliance scripts tests
	$(VENV)/bin/mypy api content_library compliance scripts

clean: ## Remove runtime files (databases, logs, models)
	rm -rf var models .pytest_cache
