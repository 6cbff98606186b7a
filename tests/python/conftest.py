"""Fixtures of the Python suite: one embedded sandbox for the session (reset before every
test), sync and async clients on it, a `call` fixture that runs a method through either
client (so each endpoint test runs twice, sync and async), and a recording HTTP server for
replaying the shared vectors."""

from __future__ import annotations

import http.server
import json
import logging
import socket
import threading
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

import ibanera

# `pytester` runs the pytest plugin's tests in fresh processes (test_pytest_plugin.py).
pytest_plugins = ["pytester"]

# A user's test file, run by test_pytest_plugin.py in a clean directory rather than here.
collect_ignore = ["plugin_user"]

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"

# Seeded world (sandbox/README.md).
MANAGER = 1004
MANAGEE = 1005
UNVERIFIED = 1006
PAYEE = 1011
USD, USDC, BTC, ETH = 1055, 1056, 1057, 1058
UNVERIFIED_USD = 1062
SCREENED = "bc1qscreened0000000000000000000000000000"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[ibanera.Sandbox]:
    with ibanera.Sandbox() as sb:
        yield sb


@pytest.fixture(autouse=True)
def _fresh_world(request: pytest.FixtureRequest) -> None:
    if "sandbox" in request.fixturenames:
        request.getfixturevalue("sandbox").reset()


@pytest.fixture(scope="session")
def client(sandbox: ibanera.Sandbox) -> ibanera.Client:
    return sandbox.client(max_retries=0)


@pytest.fixture
def aclient(sandbox: ibanera.Sandbox) -> ibanera.AsyncClient:
    return sandbox.async_client(max_retries=0)


def resolve(client: Any, name: str) -> Callable[..., Any]:
    area, method = name.split(".")
    return getattr(getattr(client, area), method)


Call = Callable[..., Awaitable[Any]]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def call(mode: str, client: ibanera.Client, aclient: ibanera.AsyncClient) -> Call:
    """`await call("accounts.get", 1055)` through the blocking client (called directly, in the
    running loop) or the async client, per `mode`."""

    async def run(op: str, /, *args: Any, **kwargs: Any) -> Any:
        if mode == "sync":
            return resolve(client, op)(*args, **kwargs)
        return await resolve(aclient, op)(*args, **kwargs)

    return run


async def collect(page: Any, limit: int | None = None) -> list[Any]:
    """Every item through `auto_paging_iter`, for `Page` and `AsyncPage` alike."""
    out: list[Any] = []
    if isinstance(page, ibanera.AsyncPage):
        async for item in page.auto_paging_iter():
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    else:
        for item in page.auto_paging_iter():
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    return out


async def next_page(page: Any) -> Any:
    if isinstance(page, ibanera.AsyncPage):
        return await page.next_page()
    return page.next_page()


class RequestLog(logging.Handler):
    """Collects the `ibanera` logger's request lines (one per attempt)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def requests(self, path_part: str = "") -> list[logging.LogRecord]:
        return [
            r
            for r in self.records
            if getattr(r, "http_method", None) and path_part in getattr(r, "http_path", "")
        ]


@pytest.fixture
def request_log() -> Iterator[RequestLog]:
    logger = logging.getLogger("ibanera")
    handler = RequestLog()
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


# --------------------------------------------------------------------------------------------
# A recording HTTP server for the vectors


LOGIN_PATH = "/api/v1/public/auth/login"
SERVER_TOKEN = "recording-server-token-5e1f"


class Recorded:
    def __init__(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]],
        body: str,
        headers: list[tuple[str, str]],
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class RecordingServer:
    """Answers every request with the scripted (status, body) and records what it got. Logins
    (`POST /api/v1/public/auth/login`) are answered with a token and recorded apart, in
    `logins`, so `requests` holds the API calls alone."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.logins: list[Recorded] = []
        self.status = 200
        self.body = "{}"
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out as separate writes: without this, Nagle's algorithm
                # and delayed ACKs add 40 ms to every response.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                recorded = Recorded(
                    self.command,
                    parsed.path,
                    urllib.parse.parse_qsl(parsed.query, keep_blank_values=True),
                    body,
                    list(self.headers.items()),
                )
                status, text = owner.status, owner.body
                if parsed.path == LOGIN_PATH:
                    owner.logins.append(recorded)
                    status, text = 200, owner.login_body
                else:
                    owner.requests.append(recorded)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    login_body = json.dumps(
        {
            "id": 1004,
            "details": {"accessToken": SERVER_TOKEN, "expiresIn": 3600},
            "status": "1",
            "errors": [],
        }
    )

    def respond(self, status: int, body: str) -> None:
        self.status, self.body = status, body
        self.requests.clear()
        self.logins.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


VECTOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def server_client(server: RecordingServer, **kwargs: Any) -> ibanera.Client:
    """A blocking client of a recording server (it answers the login itself)."""
    kwargs.setdefault("max_retries", 0)
    return ibanera.Client(
        username="vector-user",
        password="vector-password",
        totp_secret=VECTOR_SECRET,
        base_url=server.url,
        **kwargs,
    )


def server_async_client(server: RecordingServer, **kwargs: Any) -> ibanera.AsyncClient:
    kwargs.setdefault("max_retries", 0)
    return ibanera.AsyncClient(
        username="vector-user",
        password="vector-password",
        totp_secret=VECTOR_SECRET,
        base_url=server.url,
        **kwargs,
    )


def load_vectors() -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(), parse_float=str, parse_int=int)
        for p in sorted(VECTORS.glob("*.json"))
    ]


def load_webhook_example() -> Any:
    """examples/webhook_server.py as a module (it imports Flask: call after importorskip)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "webhook_server", ROOT / "examples" / "webhook_server.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def aiter_list(it: AsyncIterator[Any]) -> list[Any]:
    return [x async for x in it]
