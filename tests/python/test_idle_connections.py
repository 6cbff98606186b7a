"""Servers close keep-alive connections that sit idle (the sandbox after 30 s, load balancers
after a minute or so). A pooled connection the server has closed must never be handed to the
next request: a read would fail with "connection closed before message completed", and a
payment would leave the caller unsure whether it ran. A proxy in front of the sandbox closes
every connection 0.2 s after its last byte, so each call below follows such a close."""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlparse

import pytest

import ibanera

from conftest import MANAGER, USD

IDLE_CLOSE_S = 0.2


class IdleClosingProxy:
    """Forwards TCP to `upstream` and closes a connection once it has been idle a while."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed_idle = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(list(peers), [], [], IDLE_CLOSE_S)
                if not readable:
                    self.closed_idle += 1
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        finally:
            client.close()
            upstream.close()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()


@pytest.fixture
def proxy(sandbox: ibanera.Sandbox) -> Iterator[IdleClosingProxy]:
    url = urlparse(sandbox.base_url)
    p = IdleClosingProxy((url.hostname or "127.0.0.1", url.port or 80))
    yield p
    p.close()


def client_kwargs(sandbox: ibanera.Sandbox, proxy: IdleClosingProxy) -> dict[str, object]:
    return {
        "username": sandbox.username,
        "password": sandbox.password,
        "totp_secret": sandbox.totp_secret,
        "base_url": f"http://127.0.0.1:{proxy.port}",
        "max_retries": 0,  # no retry may hide a dead connection
    }


def test_blocking_calls_after_the_server_closed_idle_connections(
    sandbox: ibanera.Sandbox, proxy: IdleClosingProxy
) -> None:
    client = ibanera.Client(**client_kwargs(sandbox, proxy))  # type: ignore[arg-type]
    for _ in range(3):
        assert client.accounts.get(USD).total_balance == Decimal("100000")
        time.sleep(IDLE_CLOSE_S * 3)
    buy = client.exchanges.buy(
        customers_id=MANAGER, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01"
    )
    assert buy.status == "WaitingForApproval"
    assert sandbox.executions() == {"POST /api/v1/customer/crypto-exchanges/buy": 1}
    assert proxy.closed_idle >= 3


def test_async_calls_after_the_server_closed_idle_connections(
    sandbox: ibanera.Sandbox, proxy: IdleClosingProxy
) -> None:
    client = ibanera.AsyncClient(**client_kwargs(sandbox, proxy))  # type: ignore[arg-type]

    async def main() -> None:
        for _ in range(3):
            assert (await client.accounts.get(USD)).total_balance == Decimal("100000")
            await asyncio.sleep(IDLE_CLOSE_S * 3)
        buy = await client.exchanges.buy(
            customers_id=MANAGER, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01"
        )
        assert buy.status == "WaitingForApproval"

    asyncio.run(main())
    assert sandbox.executions() == {"POST /api/v1/customer/crypto-exchanges/buy": 1}
    assert proxy.closed_idle >= 3
