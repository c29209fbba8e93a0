# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim antiword catdoc fonts-wqy-zenhei poppler-utils

.PHONY: setup system-packages demo test lint bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	touch $@

# System converters and OCR (Debian packages). Installed where we may (root with apt-get);
# elsewhere the readers report the missing tool in each item's warnings instead.
system-packages:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	else echo "note: not root or no apt-get; install $(SYSTEM_PACKAGES) by hand for DOC/WPS and OCR"; fi

setup: $(VENV)/.installed system-packages

demo: setup
	$(VENV)/bin/govreports demo

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) output/*.jsonl .pytest_cache
