"""Security headers on every response, and a page policy that admits only the page's own
inline scripts (by hash)."""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from healthcareplus.api.security_headers import SecurityHeaders, script_hashes
from healthcareplus.core.config import get_settings

BOOT = b"window.__boot = {route: '/'};"
PAGE = (
    b"<!doctype html><html><head><script src='/app.js'></script>"
    b"<script type='module'>" + BOOT + b"</script></head><body></body></html>"
)


def sha(body: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


async def page(_: Request) -> Response:
    return HTMLResponse(PAGE)


async def streamed_page(_: Request) -> Response:
    async def parts() -> AsyncIterator[bytes]:
        yield PAGE[:40]
        yield PAGE[40:]

    return StreamingResponse(parts(), media_type="text/html")


async def not_modified(_: Request) -> Response:
    return Response(status_code=304)


async def data(_: Request) -> Response:
    return JSONResponse({"ok": True})


async def socket(ws: WebSocket) -> None:
    await ws.accept()
    await ws.send_text("hello")
    await ws.close()


APP = SecurityHeaders(
    Starlette(
        routes=[
            Route("/", page),
            Route("/streamed", streamed_page),
            Route("/data", data),
            Route("/cached", not_modified),
            WebSocketRoute("/ws", socket),
        ]
    )
)


def policy(response: Response) -> dict[str, str]:
    parts = (
        p.strip().split(" ", 1) for p in response.headers["content-security-policy"].split(";")
    )
    return {name: rest for name, rest in parts}


@pytest.mark.parametrize("path", ["/", "/streamed", "/data"])
def test_every_response_carries_the_headers(path: str) -> None:
    response = TestClient(APP).get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # plain HTTP


@pytest.mark.parametrize("path", ["/", "/streamed"])
def test_a_page_admits_its_own_inline_scripts_by_hash_and_nothing_inline_else(path: str) -> None:
    response = TestClient(APP).get(path)
    assert response.content == PAGE
    assert response.headers["content-length"] == str(len(PAGE))
    rules = policy(response)
    assert rules["script-src"].split() == ["'self'", "'unsafe-eval'", sha(BOOT)]
    assert "'unsafe-inline'" not in rules["script-src"]
    assert rules["connect-src"] == "'self' ws://testserver wss://testserver"
    assert rules["object-src"] == "'none'" and rules["base-uri"] == "'self'"


def test_a_not_modified_answer_keeps_the_cached_pages_policy() -> None:
    """A 304 replaces the cached response's headers: a policy on it would be the cached
    page's new policy (``default-src 'none'`` would stop the page running)."""
    response = TestClient(APP).get("/cached")
    assert response.status_code == 304
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_files_and_api_answers_may_run_nothing() -> None:
    rules = policy(TestClient(APP).get("/data"))
    assert rules["default-src"] == "'none'"


def test_hsts_only_over_https() -> None:
    assert (
        "max-age="
        in TestClient(APP, base_url="https://testserver")
        .get("/")
        .headers["strict-transport-security"]
    )


def test_forwarded_https_counts_only_behind_a_trusted_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "strict-transport-security" not in TestClient(APP).get("/", headers=forwarded).headers
    monkeypatch.setenv("HCP_TRUSTED_PROXY_HOPS", "1")
    get_settings.cache_clear()
    try:
        assert "strict-transport-security" in TestClient(APP).get("/", headers=forwarded).headers
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_forged_host_never_reaches_the_policy() -> None:
    response = TestClient(APP).get("/", headers={"Host": "evil.example; script-src *"})
    assert policy(response)["connect-src"] == "'self'"


def test_websockets_pass_through_untouched() -> None:
    with TestClient(APP).websocket_connect("/ws") as ws:
        assert ws.receive_text() == "hello"


async def test_a_page_sent_from_disk_is_read_hashed_and_sent_as_a_body(tmp_path: Path) -> None:
    """Granian lets static files go by path (``pathsend``); a page must still be hashed."""
    file = tmp_path / "index.html"
    file.write_bytes(PAGE)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/html; charset=utf-8")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.pathsend", "path": str(file)})

    sent: list[Message] = []

    async def collect(message: Message) -> None:
        sent.append(message)

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"host", b"clinic.in")]}
    await SecurityHeaders(app)(scope, nothing, collect)

    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["body"] == PAGE
    headers = dict(sent[0]["headers"])
    assert sha(BOOT).encode() in headers[b"content-security-policy"]
    assert headers[b"content-length"] == str(len(PAGE)).encode()


def test_precompressed_pages_are_hashed_as_the_browser_reads_them() -> None:
    assert script_hashes(gzip.compress(PAGE)) == script_hashes(PAGE) == [sha(BOOT)]


def test_script_hashes_skip_external_scripts() -> None:
    assert script_hashes(b"<script src=/x.js></script><SCRIPT>a()</SCRIPT>") == [sha(b"a()")]
