# `make demo`: the main job, a tour against the embedded sandbox (examples/quickstart.py:
# balances, a quote, a buy through approval, a sell through review and confirm, transactions).
.PHONY: demo
demo: python-dev
	$(VENV_PY) examples/quickstart.py
