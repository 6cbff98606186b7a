"""The examples run: `examples/quickstart.py` (what `make demo` runs) and
`examples/notebook.ipynb`, executed headless with nbclient."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_quickstart_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "Balances (accounts.balances)",
        "Quote: buy 0.1 BTC",
        "WaitingForApproval",
        "WaitingForConfirmation",
        "Completed",
        "BTC balance now: 2.55",
        "Transaction_Blocked",
        "Signed in as sandbox-api-user (login id 1004)",
        "Outcome unknown (TransportError)",
        "it did execute as exchange",
    ):
        assert expected in out, out


def test_notebook_runs_headless() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table>" in h and "total_balance" in h for h in html), "a page renders as a table"
    text = "".join(o.get("text", "") for o in outputs)
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        assert "ibanera[arrow]" in text, "the export cell names the extra it needs"
    else:
        assert "transactions from" in text, "the export over all pages ran"
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            pass
        else:
            assert any("image/png" in o.get("data", {}) for o in outputs), "the daily plot"
