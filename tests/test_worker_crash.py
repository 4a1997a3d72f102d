"""A job worker killed (SIGKILL) in the middle of sending an email, as real processes:
``python -m healthcareplus worker`` on a fresh SQLite database and its own SQLite queue,
sending to a real SMTP server in this process that holds the first message open. The
message stays queued, a second worker sends it once its claim's lease has lapsed, and the
inbox receives it exactly once (the first copy was never accepted)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller
from huey import SqliteHuey  # type: ignore[import-untyped]
from sqlmodel import Session, select

from healthcareplus import worker
from healthcareplus.core.db import get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.smtp import message_id
from tests.factories import create_patient

ROOT = Path(__file__).resolve().parents[1]
LEASE_SECONDS = 3
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class StallingInbox:
    """An aiosmtpd handler that holds the first DATA forever (it never accepts that copy)
    and accepts every later message, recording its Message-ID."""

    def __init__(self) -> None:
        self.first_data = threading.Event()  # the first send is in progress
        self.message_ids: list[str] = []
        self._stalled = False
        self._closing = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self._stalled:
            self._stalled = True
            self.first_data.set()
            # Await (not block): the server's loop keeps serving the next worker. The
            # client's death cancels this coroutine; teardown ends it otherwise.
            while not self._closing:
                await asyncio.sleep(0.05)
            return "421 4.3.0 closing"
        headers = BytesHeaderParser(policy=default_policy).parsebytes(envelope.content)
        self.message_ids.append(str(headers["Message-ID"]))
        return "250 Message accepted for delivery"

    def close(self) -> None:
        self._closing = True


@pytest.fixture
def inbox() -> Iterator[tuple[StallingInbox, int]]:
    handler, port = StallingInbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.close()
        controller.stop()


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, *procs: Any) -> T:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout`` seconds or
    as soon as one of ``procs`` (the workers) has exited."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"the worker exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def row(url: str, key: str) -> Notification:
    with Session(get_engine(url)) as session:
        return session.exec(select(Notification).where(Notification.key == key)).one()


def test_a_worker_killed_mid_send_leaves_the_message_to_the_next_one_sent_exactly_once(
    db_url: str, session: Session, inbox: tuple[StallingInbox, int], tmp_path: Path
) -> None:
    handler, port = inbox
    patient = create_patient(session)
    now = utcnow()
    key = f"crash-test:{patient.id}:email"
    session.add(
        Notification(
            key=key,
            event="test",
            user_id=patient.id or 0,
            channel="email",
            to_address=patient.email,
            subject="Your appointment is confirmed",
            body="See you on Monday.",
            status="queued",
            created_at=now,
            due_at=now - timedelta(minutes=1),
        )
    )
    session.commit()

    instance = tmp_path / "instance"  # this test's own queue.db
    instance.mkdir()
    env = {
        **os.environ,
        "REFLEX_DB_URL": db_url,
        "HCP_INSTANCE_DIR": str(instance),
        "HCP_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "HCP_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    env.pop("HCP_REDIS_URL", None)
    env.pop("HCP_DATABASE_URL", None)
    queue = SqliteHuey(worker.QUEUE_NAME, filename=str(instance / "queue.db"))

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "healthcareplus", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed whole
            )

    def logs() -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')}" for p in sorted(tmp_path.glob("*.log"))
        )

    first = start("first")
    second: subprocess.Popen[bytes] | None = None
    try:
        wait_for("the first send", lambda: handler.first_data.is_set(), 30, first)
        os.killpg(first.pid, signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL

        died = row(db_url, key)
        assert (died.status, died.attempts, died.sent_at) == ("queued", 1, None), logs()
        assert died.claimed_until is not None  # its claim lapses after the lease
        assert handler.message_ids == []

        second = start("second")
        wanted = message_id(key)
        wait_for("the message to arrive", lambda: wanted in handler.message_ids, 30, second)
        received_at = time.time()
        sent = wait_for("the row to be sent", lambda: _sent(db_url, key), 15, second)
        assert (sent.status, sent.attempts, sent.claimed_until) == ("sent", 2, None)

        # No second copy: the worker has since finished two more delivery runs after the
        # one that sent it (three run markers in the queue newer than the arrival, the
        # sending run's perhaps among them): longer than the lease, so a send that was
        # not recorded would have been repeated by now.
        runs_since: set[float] = set()

        def two_more_runs() -> bool:
            done = queue.get(f"periodic.{worker.DELIVER_TASK}.done", peek=True)
            if done is not None and done > received_at:
                runs_since.add(done)
            return len(runs_since) >= 3

        wait_for("two more delivery runs", two_more_runs, 25, second)
        assert handler.message_ids == [wanted], logs()
        assert _sent(db_url, key) is not None
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _sent(url: str, key: str) -> Notification | None:
    current = row(url, key)
    return current if current.status == "sent" else None
