"""pytest fixtures for code that uses the SDK: a fresh sandbox per test.

Installed with the package and registered with pytest through its ``pytest11`` entry point
(named ``ibanera``), so a test suite needs no ``conftest.py`` line to use them::

    def test_buy(ibanera_client, ibanera_sandbox):
        exchange = ibanera_client.exchanges.buy(customers_id=1004, asset_pair="BTC/USDC",
                                                quantity_type="Amount", amount="0.1")
        ibanera_sandbox.approve(exchange.id)

Fixtures (each test gets its own, shut down after it):

- ``ibanera_sandbox``: a new ``ibanera.Sandbox`` (its own port, seeded world, random
  password and TOTP secret). ``@pytest.mark.ibanera_sandbox(token_ttl=2, strict_otp=True)``
  passes keyword arguments to ``Sandbox(...)`` for one test.
- ``ibanera_client``: an ``ibanera.Client`` logged in to that sandbox.
- ``ibanera_async_client``: an ``ibanera.AsyncClient`` logged in to that sandbox (for async
  tests: pytest-asyncio, anyio, ...).

HTTP mocking libraries (respx, responses, pytest-httpx, ...) cannot intercept these clients:
requests go through the SDK's Rust transport, not through a Python HTTP library. The sandbox
is a real server on 127.0.0.1 instead; its helpers inject faults, credit deposits, approve
exchanges and send callbacks. Disable the plugin with ``-p no:ibanera``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._client import AsyncClient, Client
from ._sandbox import Sandbox

__all__ = ["ibanera_async_client", "ibanera_client", "ibanera_sandbox"]

MARKER = "ibanera_sandbox"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): keyword arguments for the test's ibanera.Sandbox(...) "
        "(token_ttl=, strict_otp=, webhook_url=, ...).",
    )


def _settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    # The closest marker wins (a test's over its class's over its module's).
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes keyword arguments only (Sandbox settings)"
            )
        settings.update(marker.kwargs)
    return settings


@pytest.fixture
def ibanera_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh ``ibanera.Sandbox`` for this test, stopped after it."""
    with Sandbox(**_settings(request)) as sandbox:
        yield sandbox


@pytest.fixture
def ibanera_client(ibanera_sandbox: Sandbox) -> Client:
    """An ``ibanera.Client`` of this test's sandbox (its username, password, TOTP secret)."""
    return ibanera_sandbox.client()


@pytest.fixture
def ibanera_async_client(ibanera_sandbox: Sandbox) -> AsyncClient:
    """An ``ibanera.AsyncClient`` of this test's sandbox."""
    return ibanera_sandbox.async_client()
