"""Security headers on every HTTP response the app serves (pages, files, the API).

Pages get a Content-Security-Policy that lets the compiled app run and nothing else:
scripts from this origin plus the page's own inline scripts, allowed by their SHA-256
hashes computed from the page as served (the build writes them; the only data in the
HTML is the public pages' first view of the catalogue, as text React escaped, never
inside a script); ``'unsafe-eval'`` because Reflex runs the
server's client-side actions (toasts, downloads, focus) as code; styles inline because
the component library writes them; the websocket to this host; no plugins, no framing,
forms and ``<base>`` only to this origin. HSTS is sent only over HTTPS (directly, or
per ``X-Forwarded-Proto`` when the app trusts a proxy).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Iterable

import anyio
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from healthcareplus.core.config import get_settings

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
NOT_MODIFIED = 304
HSTS = "max-age=31536000; includeSubDomains"
# Files and API answers: nothing in them may run or be framed.
NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'"
GZIP_MAGIC = b"\x1f\x8b"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def script_hashes(html: bytes) -> list[str]:
    """The CSP sources (``'sha256-…'``) of the inline scripts in ``html``."""
    if html.startswith(GZIP_MAGIC):  # the build's precompressed pages (.html.gz)
        html = gzip.decompress(html)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def page_policy(host: str, hashes: Iterable[str]) -> str:
    sockets = f" ws://{host} wss://{host}" if host else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' " + " ".join(hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _over_https(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    if get_settings().trusted_proxy_hops > 0:  # a proxy we trust terminated TLS
        return _header(scope, b"x-forwarded-proto").split(",")[0].strip().lower() == "https"
    return False


def _host(scope: Scope) -> str:
    host = _header(scope, b"host")
    return (
        host
        if re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host)
        else ""
    )


class SecurityHeaders:
    """ASGI middleware adding the headers above; buffers only HTML pages (to hash them),
    reading a page the server would send straight from disk (``pathsend``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https, host = _over_https(scope), _host(scope)
        start: Message | None = None
        page: list[bytes] = []

        def finish(message: Message, policy: str) -> Message:
            headers = MutableHeaders(scope=message)
            for name, value in ALWAYS.items():
                headers.setdefault(name, value)
            if https:
                headers.setdefault("Strict-Transport-Security", HSTS)
            # A 304 updates the browser's cached headers: it keeps the cached page's policy.
            if message.get("status") != NOT_MODIFIED:
                headers["Content-Security-Policy"] = policy
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = MutableHeaders(scope=message).get("content-type", "")
                if content_type.startswith("text/html"):
                    start = message  # held until the page is complete
                    return
                await send(finish(message, NON_PAGE_POLICY))
                return
            if start is None:
                await send(message)
                return
            if message["type"] == "http.response.pathsend":  # a file the server would send
                page.append(await anyio.Path(message["path"]).read_bytes())
            elif message["type"] == "http.response.body":
                page.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
            else:
                await send(message)
                return
            html = b"".join(page)
            held = finish(start, page_policy(host, script_hashes(html)))
            MutableHeaders(scope=held)["content-length"] = str(len(html))
            await send(held)
            await send({"type": "http.response.body", "body": html, "more_body": False})

        await self.app(scope, receive, send_with_headers)


__all__ = ["SecurityHeaders", "page_policy", "script_hashes"]
