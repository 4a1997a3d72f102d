"""The docs page in a real browser (Debian's chromium through Playwright): Swagger UI loads
from this app alone, lists the operations, shows the schema of a model and breaks no rule
of the page's Content-Security-Policy. Offline: any request off this server fails the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.api.v1.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium to drive")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Any:
    port = _free_port()
    env = {**os.environ, "REFLEX_DB_URL": db_url, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "granian.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "1", "tests.api.v1.docs_server:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((tmp_path / "granian.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def _browse(base: str, found: dict[str, Any]) -> None:
    """Runs in its own thread: Playwright's sync API then keeps no event loop in the
    test's thread (async tests run after this one)."""
    try:
        _drive(base, found)
    except BaseException as exc:  # reported by the test, in its own thread
        found["error"] = exc


def _drive(base: str, found: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        off_site: list[str] = []
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base)
                else (off_site.append(route.request.url), route.abort())
            ),
        )
        messages: list[str] = []
        page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        response = page.goto(f"{base}/api/v1/docs")
        found["csp"] = response.headers.get("content-security-policy", "") if response else ""
        expect(page.locator(".information-container .title")).to_contain_text(
            "HealthCarePlus API", timeout=30_000
        )
        expect(page.locator(".opblock")).to_have_count(found["operations"], timeout=30_000)
        page.locator(".opblock-summary-path", has_text="/doctors/{doctor_id}/slots").first.click()
        expect(page.locator(".opblock-body").first).to_contain_text("date")
        # Sign in through the Authorize dialog (the OAuth2 password flow) ...
        page.locator("button.authorize").first.click()
        expect(page.locator(".auth-container", has_text="X-API-Key")).to_have_count(1)
        oauth = page.locator(".auth-container", has_text="/api/v1/auth/token")
        oauth.locator("input#oauth_username").fill(found["email"])
        oauth.locator("input#oauth_password").fill(found["password"])
        oauth.locator("button.authorize").click()
        expect(oauth.locator("button", has_text="Logout")).to_be_visible()
        page.get_by_role("button", name="Close").first.click()
        # ... and call GET /me with the token it got ("Try it out").
        path = page.locator(".opblock-summary-path").get_by_text("/me", exact=True)
        me = page.locator(".opblock-get", has=path)
        me.locator(".opblock-summary").click()
        me.get_by_role("button", name="Try it out").click()
        me.get_by_role("button", name="Execute").click()
        expect(me.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")
        expect(me.locator(".live-responses-table")).to_contain_text(found["email"])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        me.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
        found["messages"], found["off_site"] = messages, off_site
        browser.close()


def test_the_docs_page_runs_in_a_browser_under_the_policy(server: str, client: Any, db) -> None:
    make_user(db, email="asha@example.in")
    document = client.get("/api/v1/openapi.json").json()
    methods = {"get", "post", "put", "patch", "delete"}
    found: dict[str, Any] = {
        "operations": sum(m in methods for item in document["paths"].values() for m in item),
        "email": "asha@example.in",
        "password": PASSWORD,
    }
    worker = threading.Thread(target=_browse, args=(server, found))
    worker.start()
    worker.join(180)
    assert not worker.is_alive()
    if "error" in found:
        raise found["error"]
    assert "script-src 'self' 'unsafe-eval'" in found["csp"]
    assert found["off_site"] == []  # nothing from a CDN: it works offline
    problems = [m for m in found["messages"] if m.startswith(("error", "pageerror"))]
    assert problems == []  # no CSP violation, no script error
