# The Lambda runtime's Python, for both layers' Makefiles: its version (keep it in step with
# template.yaml's Runtime; a test checks) and the bytecode compiled for it.
#
# Lambda's /opt is read-only, so a layer without bytecode has every module it imports compiled
# again at every cold start: the auth function's init took ~1.75 s of CPU that way against
# ~0.6 s with bytecode (bench/cold_start.py). The .pyc files are compiled by that Python with
# `unchecked-hash`, so they are used as they are, whatever mtimes the zip kept.
PYTHON_VERSION := 3.12
# That Python on this machine: on PATH (CI's setup-python) or a pyenv version; override with
# PYTHON_RUNTIME=... Without one the layers still work, without bytecode, and the build says so.
PYTHON_RUNTIME ?= $(firstword $(shell for p in python$(PYTHON_VERSION) \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION); do \
	$$p -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(PYTHON_VERSION)")' \
	>/dev/null 2>&1 && echo $$p; done))

# $(call compile-bytecode,DIR): every .py under DIR compiled for the runtime's Python.
define compile-bytecode
	@if [ -n "$(PYTHON_RUNTIME)" ]; then \
		$(PYTHON_RUNTIME) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(1)"; \
	else \
		echo "warning: no Python $(PYTHON_VERSION) found: $(1) ships without bytecode, so every cold start compiles it" >&2; \
	fi
endef
