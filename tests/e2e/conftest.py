"""Browser tests against the real compiled app.

One server per test run: ``reflex run --env prod`` on a free port, over a migrated and
seeded throwaway database, in its own process group (killed at the end). Playwright
drives Debian's chromium when present, else the browser `playwright install` fetched.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".e2e"

VENV_BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
    or shutil.which("google-chrome")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS, "headless": True}
    if CHROMIUM:
        args["executable_path"] = CHROMIUM
    return args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app server exited early ({proc.returncode}); see .e2e/server.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout}s; see .e2e/server.log")


@pytest.fixture(scope="session")
def e2e_db_url() -> str:
    """A migrated, seeded database that only the e2e server uses."""
    path = WORK / "e2e.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    env = {**os.environ, "REFLEX_DB_URL": url}
    for cmd in (["migrate"], ["seed"]):
        subprocess.run(
            [sys.executable, "-m", "healthcareplus", *cmd],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return url


E2E_REDIS_URL = os.environ.get("HCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis_url() -> str | None:
    """The Redis the e2e server keeps its state in; required in CI, optional elsewhere."""
    import redis

    try:
        redis.Redis.from_url(E2E_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") or os.environ.get("HCP_REQUIRE_SERVICES"):
            message = f"Redis is required here but {E2E_REDIS_URL} does not answer"
            raise RuntimeError(message) from exc
        return None
    return E2E_REDIS_URL


@pytest.fixture(scope="session")
def app_url(e2e_db_url: str) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "REFLEX_DB_URL": e2e_db_url,
        "HCP_ENV": "test",
        # Deterministic payments: only the gateway's test instruments decline
        # (card 4000 0000 0000 0002, UPI ids starting with "fail").
        "HCP_PAYMENT_SUCCESS_RATE": "1.0",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
    }
    redis_url = _redis_url()
    if redis_url:
        # Reflex keeps every client's state in Redis, as it must with several workers.
        env["REFLEX_REDIS_URL"] = redis_url
    log = open(WORK / "server.log", "wb")  # noqa: SIM115 (closed in finally)
    proc = subprocess.Popen(
        [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--frontend-port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/ping", 600, proc)
        _wait_http(f"http://127.0.0.1:{port}/", 120, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


class Journey:
    """A page plus helpers shared by the journeys: navigation that waits for the app to be
    live, and a numbered screenshot per step saved under artifacts/e2e/<journey>/."""

    def __init__(self, page: Page, base_url: str, name: str) -> None:
        self.page, self.base_url = page, base_url
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.step = 0

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.ready()

    def ready(self) -> None:
        expect(self.page.get_by_test_id("app-ready")).to_be_attached(timeout=30_000)

    def shot(self, label: str) -> None:
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)


@pytest.fixture
def open_journey(
    browser: Browser, app_url: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Journey]]:
    """Open a fresh browser context (own storage, so its own login) at a viewport size."""
    contexts = []

    def open_(viewport: dict[str, int] = DESKTOP, name: str = "") -> Journey:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Journey(page, app_url, name or request.node.name)

    yield open_
    for context in contexts:
        context.close()


PATIENT_PASSWORD = "Journey#2026"


@pytest.fixture(scope="session")
def _patient_hash() -> str:
    from healthcareplus.domain.accounts.passwords import hash_password

    return hash_password(PATIENT_PASSWORD)


@pytest.fixture
def new_patient(e2e_db_url: str, _patient_hash: str) -> Callable[[str], str]:
    """Create a patient straight in the app's database; returns the email."""
    import uuid

    from sqlmodel import Session

    from healthcareplus.core.db import get_engine
    from healthcareplus.core.models import User

    def create(name: str = "Riya Menon") -> str:
        email = f"riya.{uuid.uuid4().hex[:10]}@example.in"
        with Session(get_engine(e2e_db_url)) as session:
            session.add(
                User(name=name, email=email, phone="+91 98450 22222", password_hash=_patient_hash)
            )
            session.commit()
        return email

    return create


def log_in(j: Journey, email: str, password: str = PATIENT_PASSWORD) -> None:
    j.goto("/login")
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(password)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).not_to_have_url(re.compile(r"/login"))
