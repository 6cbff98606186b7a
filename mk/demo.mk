# `make demo`: the main job, a tour against the embedded sandbox (examples/quickstart.py:
# balances, a quote, a buy through approval, a sell through review and confirm, an unknown
# outcome checked, transactions). It builds the release wheel (mk/dist.mk) and installs it, and
# nothing else, into a venv of its own: what a user of the package would have.
DEMO_VENV := target/demo-venv

.PHONY: demo
demo: dist-python
	@echo "==> Installing the wheel into $(DEMO_VENV) (the package alone: the demo needs nothing else)"
	@test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(DIST)/ibanera-*.whl
	@echo "==> Running examples/quickstart.py against the embedded sandbox"
	@echo
	$(DEMO_VENV)/bin/python examples/quickstart.py
	@echo
	@echo "Next:"
	@echo "  notebook   $(DEMO_VENV)/bin/pip install jupyterlab pyarrow pandas polars matplotlib && $(DEMO_VENV)/bin/jupyter lab examples/notebook.ipynb"
	@echo "  shell      cargo install --path cli && ibanera sandbox   (then: ibanera --help)"
	@echo "  Node       make dist && npm install ./dist/ibanera-*.tgz, then see examples/server.mjs"
	@echo "  your tests make test-dist shows the packages installed from dist/; README.md 'Testing your code'"
