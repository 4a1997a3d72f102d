"""Browser tests against the real compiled app.

One server per test run: ``reflex run --env prod`` on a free port, over a migrated and
seeded throwaway database, in its own process group (killed at the end), next to the job
worker (``python -m healthcareplus worker``: hold expiry, payment sweep, message delivery).
Playwright drives Debian's chromium when present, else the browser `playwright install`
fetched.

Determinism: journeys wait on what the page shows (Playwright's auto-waiting ``expect``,
with a generous timeout, ``HCP_E2E_TIMEOUT_MS``, for a loaded machine), never on fixed
sleeps; and they book on days whose slots all lie ahead whatever the hour (``choose_slot``:
a day at least ``DAYS_AHEAD`` days away, read from the booking page).

The clinic clock can be moved for a whole run, to show that the journeys do not depend on
the hour: ``HCP_E2E_NOW=2026-11-30T23:50:00+05:30`` (an ISO instant; without an offset it
is clinic time) runs the app server, its migrations and seed under libfaketime (shifted by
a fixed offset, so the clock keeps running), gives every browser context the same clock
(Playwright's clock), and ``now()`` is the test process's view of it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

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

# --- waiting: on the page, with room for a loaded machine ----------------------------------

# Every expect() and every action waits up to this long for the page to get there; a
# passing step costs only the time the page really takes.
TIMEOUT_MS = int(os.environ.get("HCP_E2E_TIMEOUT_MS", "30000"))
expect.set_options(timeout=TIMEOUT_MS)

# --- the clock: real, or shifted for the whole run -----------------------------------------

CLINIC_ZONE = ZoneInfo("Asia/Kolkata")
FAKETIME_LIBS = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
)


def _clock_offset() -> timedelta:
    raw = os.environ.get("HCP_E2E_NOW", "").strip()
    if not raw:
        return timedelta(0)
    target = datetime.fromisoformat(raw)
    if target.tzinfo is None:
        target = target.replace(tzinfo=CLINIC_ZONE)
    return timedelta(seconds=round((target - datetime.now(UTC)).total_seconds()))


CLOCK_OFFSET = _clock_offset()


def now() -> datetime:
    """The app's current instant (aware, UTC): the real clock, or the shifted one."""
    return datetime.now(UTC) + CLOCK_OFFSET


def keep_within_one_clinic_day(needed: timedelta) -> None:
    """For a journey whose visit today must still be today when it ends (the desk's queue
    is the clinic's calendar day): if less than ``needed`` is left of the clinic day, wait
    for the next one (at most ``needed``), so the journey runs at any hour. The one wait on
    the clock in the journeys: what it waits for is the date itself, not anything a page
    shows."""
    here = now().astimezone(CLINIC_ZONE)
    if (here + needed).date() == here.date():
        return
    midnight = datetime.combine(here.date() + timedelta(days=1), datetime.min.time(), CLINIC_ZONE)
    wait = (midnight - here).total_seconds() + 5
    print(f"\ne2e: {wait:.0f} s left of the clinic day: waiting for the next", file=sys.stderr)
    time.sleep(wait)


def _clock_env() -> dict[str, str]:
    """Environment that gives a child process the same (shifted) clock."""
    if not CLOCK_OFFSET:
        return {}
    lib = os.environ.get("HCP_E2E_FAKETIME_LIB") or next(
        (p for p in FAKETIME_LIBS if Path(p).exists()), None
    )
    if not lib:
        raise RuntimeError("HCP_E2E_NOW needs libfaketime (apt-get install faketime)")
    preload = os.environ.get("LD_PRELOAD", "")
    return {
        "LD_PRELOAD": f"{lib} {preload}".strip(),
        "FAKETIME": f"{int(CLOCK_OFFSET.total_seconds()):+d}",  # seconds, relative: it runs on
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",  # timeouts and event loops keep the real pace
        "NO_FAKE_STAT": "1",  # file times stay real (the frontend build compares them)
    }


def pytest_report_header() -> list[str]:
    lines = [f"e2e: expect/action timeout {TIMEOUT_MS} ms"]
    if CLOCK_OFFSET:
        shown = now().astimezone(CLINIC_ZONE).strftime("%a %d %b %Y %H:%M:%S IST")
        lines.append(f"e2e: clinic clock shifted by {CLOCK_OFFSET} (now {shown})")
    return lines


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
    migrate_and_seed({**os.environ, "REFLEX_DB_URL": url, **_clock_env()})
    return url


def migrate_and_seed(env: dict[str, str]) -> None:
    """Migrate and seed the database ``env`` names, as ``make db`` does."""
    for cmd in (["migrate"], ["seed"]):
        subprocess.run(
            [sys.executable, "-m", "healthcareplus", *cmd],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


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


class Inbox:
    """A real SMTP server in the test process (aiosmtpd): what the job worker emails."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._lock = threading.Lock()
        self._received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        with self._lock:
            self._received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            received = list(self._received)
        parser = BytesParser(policy=email_policy.default)
        return [
            parser.parsebytes(content)  # type: ignore[misc]
            for recipients, content in received
            if address in recipients
        ]

    def wait_for(
        self, address: str, subject_start: str, timeout_s: float = TIMEOUT_MS / 1000
    ) -> EmailMessage:
        """The first email to ``address`` whose subject starts so, waiting for the worker
        (up to the suite's timeout; it sends within seconds)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for message in self.to(address):
                if str(message["Subject"]).startswith(subject_start):
                    return message
            time.sleep(0.2)
        subjects = [str(m["Subject"]) for m in self.to(address)]
        raise AssertionError(f"no email {subject_start!r} to {address}; got {subjects}")


@pytest.fixture(scope="session")
def smtp_inbox() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = Inbox(_free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def app_url(e2e_db_url: str, smtp_inbox: Inbox) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "REFLEX_DB_URL": e2e_db_url,
        "HCP_ENV": "test",
        # The worker emails through the test's own SMTP server.
        "HCP_SMTP_URL": f"smtp://127.0.0.1:{smtp_inbox.port}",
        # Deterministic payments: only the gateway's test instruments decline
        # (card 4000 0000 0000 0002, UPI ids starting with "fail").
        "HCP_PAYMENT_SUCCESS_RATE": "1.0",
        "HCP_MOCK_GATEWAY_PATH": str(WORK / "mock-gateway-e2e.db"),
        # Uploaded files (doctors' photos) in the scratch folder, not the checkout's.
        "REFLEX_UPLOADED_FILES_DIR": str(WORK / "uploaded_files"),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        **_clock_env(),
    }
    redis_url = _redis_url()
    if redis_url:
        # Reflex keeps every client's state in Redis, as it must with several workers; the
        # job worker's queue is there too, as in a deployment on several machines.
        env["REFLEX_REDIS_URL"] = redis_url
        env["HCP_REDIS_URL"] = redis_url
    server_log = open(WORK / "server.log", "wb")  # noqa: SIM115 (closed in finally)
    worker_log = open(WORK / "worker.log", "wb")  # noqa: SIM115 (closed in finally)
    started: list[subprocess.Popen] = []
    try:
        # The job worker: sweeps (hold expiry, payments) and message delivery.
        worker = _start([sys.executable, "-m", "healthcareplus", "worker"], env, worker_log)
        started.append(worker)
        proc = _start(
            [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--frontend-port", str(port)],
            env,
            server_log,
        )
        started.append(proc)
        _wait_http(f"http://127.0.0.1:{port}/ping", 600, proc)
        _wait_http(f"http://127.0.0.1:{port}/", 120, proc)
        if worker.poll() is not None:
            raise RuntimeError(f"job worker exited ({worker.returncode}); see .e2e/worker.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        for started_proc in reversed(started):
            _stop(started_proc)
        server_log.close()
        worker_log.close()


def _start(cmd: list[str], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen:
    """A child in its own process group (so stopping it stops its children too)."""
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


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
        """The app is hydrated and the page's on-load handlers ran. Reliable after a full
        load (``goto``, ``reload``); after an in-app navigation the marker of the previous
        URL may still be there for a moment, so wait on the new page's content as well."""
        expect(self.page.get_by_test_id("app-ready")).to_be_attached()

    def mark_page(self) -> None:
        """Tag the loaded document, to prove later that it was never reloaded."""
        self.page.evaluate("window.__hcpSameDocument = true")

    def assert_not_reloaded(self) -> None:
        assert self.page.evaluate("window.__hcpSameDocument === true"), "the page was reloaded"

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
        if CLOCK_OFFSET:
            # The browser's clock (the hold countdown) agrees with the shifted server's.
            context.clock.install(time=now())
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(2 * TIMEOUT_MS)
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


def add_doctor_with_login(
    db: Any, password_hash: str, name: str, email: str, **profile: Any
) -> Any:
    """A doctor of the first seeded hospital with a doctor's login (``password_hash``),
    added to the session ``db`` and flushed (the caller commits); ``profile`` overrides the
    ``Doctor`` fields' defaults below."""
    from sqlmodel import col, select

    from healthcareplus.core.models import Doctor, Hospital, Role, User

    hospital = db.exec(select(Hospital).order_by(col(Hospital.id))).first()
    assert hospital is not None and hospital.id is not None
    login = User(role=Role.DOCTOR, name=name, email=email, password_hash=password_hash)
    db.add(login)
    db.flush()
    fields = {
        "specialization": "General Physician",
        "department": "General Medicine",
        "qualification": "MBBS",
        "experience_years": 10,
        "fee_paise": 50_000,
        "gender": "Female",
        "languages": ["English"],
        **profile,
    }
    doctor = Doctor(name=name, hospital_id=hospital.id, email=email, user_id=login.id, **fields)
    db.add(doctor)
    db.flush()
    assert doctor.id is not None
    return doctor


def log_in(j: Journey, email: str, password: str = PATIENT_PASSWORD) -> None:
    j.goto("/login")
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(password)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).not_to_have_url(re.compile(r"/login"))


# --- booking: days and times that exist whatever the hour ----------------------------------

# The booking calendar starts today (clinic time). Today and tomorrow may have few or no
# slots left (the evening, the last minutes before midnight, the hour of notice); every
# slot of a day this far ahead is still to come at any hour, so its free slots are the
# doctor's schedule minus bookings, the same at 09:00 as at 23:59.
DAYS_AHEAD = 2


@dataclass(frozen=True)
class Chosen:
    day: str  # "Mon, 30 Nov 2026", as the wizard, the cards and the details show it
    time: str  # "09:30 AM"

    @property
    def when(self) -> str:
        return f"{self.day} · {self.time}"  # the appointment card's and details' wording


def _day_buttons(page: Page):  # noqa: ANN202 (a Locator)
    """The date strip's days (buttons named "Mon, 30 Nov 2026: 16 free", "…: Full")."""
    days = page.get_by_test_id("day")
    expect(days.nth(DAYS_AHEAD)).to_be_attached()
    return days


def _open_day(page: Page, label: str) -> None:
    day = page.get_by_role("button", name=re.compile(rf"^{re.escape(label)}: "))
    day.click()
    expect(day).to_have_attribute("aria-pressed", "true")
    # That day's slots, beside or below the strip (its heading and slots arrive together).
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    expect(page.get_by_test_id("slot").first).to_be_visible()


def _free_count(name: str) -> int:
    count = re.search(r": (\d+) free", name)
    return int(count.group(1)) if count else 0


def choose_day(page: Page, *, min_free: int = 1, avoid: tuple[str, ...] = ()) -> str:
    """On the wizard's date-and-time screen, open the first day at least ``DAYS_AHEAD``
    days ahead with ``min_free`` free slots or more (skipping days in ``avoid``), as the
    strip counts them; returns its label ("Mon, 30 Nov 2026")."""
    days = _day_buttons(page)
    names = days.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    for name in names[DAYS_AHEAD:]:
        label = name.split(": ")[0]
        if label in avoid or _free_count(name) < min_free:
            continue
        _open_day(page, label)
        expect(
            page.locator("[data-testid=slot][data-state=free]").nth(min_free - 1)
        ).to_be_visible()
        return label
    raise AssertionError(f"no day from {DAYS_AHEAD} days ahead has {min_free} free slots")


def choose_time(page: Page, day: str, slot_index: int = 0, time_label: str = "") -> Chosen:
    """On the open day, click the ``slot_index``-th free time (or ``time_label``) and
    check that the summary shows that day and time."""
    free = page.locator("[data-testid=slot][data-state=free]")
    slot = (
        free.filter(has_text=re.compile(rf"^{re.escape(time_label)}$"))
        if time_label
        else free.nth(slot_index)
    )
    label = slot.inner_text().strip()
    slot.click()
    expect(page.get_by_text(f"{label} (India time)", exact=True)).to_be_visible()
    expect(page.get_by_text(day, exact=True)).to_be_visible()
    return Chosen(day, label)


def choose_slot(
    j: Journey,
    doctor_id: int,
    slot_index: int = 0,
    *,
    same_as: Chosen | None = None,
    path: str = "",
) -> Chosen:
    """Open the booking wizard (or ``path``, e.g. a reschedule page) and pick a free time
    on a day at least ``DAYS_AHEAD`` days ahead with enough free slots; ``same_as`` picks
    that exact day and time. Returns what was chosen."""
    j.goto(path or f"/book/{doctor_id}")
    page = j.page
    if same_as:
        _day_buttons(page)
        _open_day(page, same_as.day)
        day = same_as.day
    else:
        day = choose_day(page, min_free=slot_index + 1)
    j.shot("pick a time")
    return choose_time(page, day, slot_index, same_as.time if same_as else "")
