# Two-command set-up: `make demo` and `make test` create the environment first
# when it is missing. PYTHON picks the interpreter the venv is made from.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYNTHETIC := data/synthetic
REQUIREMENTS := requirements/runtime.txt requirements/mmcv.txt requirements/tests.txt

.PHONY: install test demo synthetic clean browser

install: $(STAMP)

$(STAMP): $(REQUIREMENTS) setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(foreach r,$(REQUIREMENTS),-r $(r))
	$(PY) -m pip install --no-deps --no-build-isolation -e .
	touch $(STAMP)

synthetic: $(SYNTHETIC)/.complete

$(SYNTHETIC)/.complete: | $(STAMP)
	$(PY) tools/data/make_synthetic.py --out $(SYNTHETIC) --seed 0

# The search page's browser test drives Debian's chromium; installed here
# where it is missing (needs root and the Debian archive; where it cannot
# be installed the test is skipped and says why).
browser:
	@command -v chromium >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium >/dev/null; } || \
	  echo "make: could not install chromium; the browser test will be skipped"

test: $(STAMP) browser
	$(PY) -m pytest tests

demo: $(STAMP) $(SYNTHETIC)/.complete
	$(PY) tools/demo.py

clean:
	rm -rf $(VENV) $(SYNTHETIC) work_dirs
