"""The job worker: its queue (SQLite or Redis), the periodic tasks, retries, the lock that
keeps two runs apart, and ``python -m healthcareplus worker`` as a real process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from huey import RedisHuey, SqliteHuey  # type: ignore[import-untyped]
from huey.exceptions import TaskLockedException  # type: ignore[import-untyped]
from sqlmodel import Session, select

from healthcareplus import jobs, worker
from healthcareplus.core.config import Settings, get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment, Notification
from healthcareplus.domain.notifications import delivery
from tests.factories import create_lapsed_hold, create_patient
from tests.services import require_redis

ROOT = Path(__file__).resolve().parents[1]
# The unit tests' own Redis database: not the e2e server's (5), never a developer's (0).
TEST_REDIS_URL = os.environ.get("HCP_TEST_WORKER_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The worker's Huey on a fresh SQLite queue of its own (real locks, real storage)."""
    fresh = SqliteHuey(worker.QUEUE_NAME, filename=str(tmp_path / "queue.db"))
    monkeypatch.setattr(worker.huey, "storage", fresh.storage)
    return worker.huey


@pytest.fixture
def immediate() -> Iterator[Any]:
    """Huey's immediate mode: calling a task runs it here, on an in-memory queue."""
    worker.huey.immediate = True
    try:
        yield worker.huey
    finally:
        worker.huey.immediate = False


@pytest.fixture
def redis_url() -> str:
    require_redis(TEST_REDIS_URL)
    return TEST_REDIS_URL


@pytest.fixture
def delivered(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace ``delivery.deliver_due`` (one message sent by the first call, nothing left
    after it) and ``senders_from_settings``; returns the calls (the first entry holds the
    fake senders)."""
    sender = type("FakeSender", (), {"channel": "email"})()
    calls: list[dict[str, Any]] = [{"senders": {"email": sender}}]

    def deliver_due(**kwargs: Any) -> delivery.DeliveryReport:
        calls.append(kwargs)
        return delivery.DeliveryReport(sent=1 if len(calls) == 2 else 0)

    monkeypatch.setattr(delivery, "deliver_due", deliver_due)
    monkeypatch.setattr(delivery, "senders_from_settings", lambda: calls[0]["senders"])
    return calls


# --- the queue ------------------------------------------------------------------------------


def test_without_a_redis_url_the_queue_is_a_sqlite_file_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "PROJECT_ROOT", tmp_path)
    relative = worker.make_huey(Settings(redis_url="", instance_dir="inst"))
    assert isinstance(relative, SqliteHuey)
    assert relative.storage.filename == str(tmp_path / "inst" / "queue.db")

    absolute = tmp_path / "elsewhere" / "instance"
    huey = worker.make_huey(Settings(redis_url="", instance_dir=str(absolute)))
    assert huey.storage.filename == str(absolute / "queue.db")
    assert absolute.is_dir()  # made on the first start
    huey.put("probe", 42)
    assert huey.get("probe") == 42


def test_with_a_redis_url_the_queue_is_redis_and_shared_by_workers(redis_url: str) -> None:
    one = worker.make_huey(Settings(redis_url=redis_url))
    other = worker.make_huey(Settings(redis_url=redis_url))  # another machine's worker
    assert isinstance(one, RedisHuey)
    assert one.storage.conn.connection_pool.connection_kwargs["db"] == 7
    one.flush()
    try:
        one.put("probe", 42)
        assert other.get("probe") == 42
        with one.lock_task("sweep"):
            assert other.is_locked("sweep")
            with pytest.raises(TaskLockedException), other.lock_task("sweep"):
                pass
        assert not other.is_locked("sweep")
    finally:
        one.flush()
        one.flush_locks("sweep")


def test_periodic_schedules_fall_on_wall_clock_windows() -> None:
    sweep_due = worker.every(30)
    at = datetime(2026, 1, 5, 10, 0, 0)
    due = [s for s in range(60) if sweep_due(at + timedelta(seconds=s))]
    assert due == [0, 1, 2, 3, 4, 30, 31, 32, 33, 34]  # one 5-second tick in each half
    assert all(worker.every(5)(at + timedelta(seconds=s)) for s in range(60))
    with pytest.raises(ValueError):
        worker.every(7)


# --- the tasks ------------------------------------------------------------------------------


def test_the_sweep_task_expires_a_lapsed_hold(session: Session, immediate: Any) -> None:
    now = utcnow()
    lapsed = create_lapsed_hold(session, now=now)

    worker.sweep()

    session.refresh(lapsed)
    assert lapsed.status == "expired"


def test_the_delivery_task_delivers_what_is_due_with_the_configured_senders(
    db_url: str,
    immediate: Any,
    delivered: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=worker.__name__)
    worker.deliver_messages()

    senders, first, second = delivered[0]["senders"], delivered[1], delivered[2]
    # Each configured sender, behind the guard that keeps a send within its claim.
    assert set(first["senders"]) == set(senders)
    assert all(isinstance(s, worker.WithinLease) for s in first["senders"].values())
    assert {n: s.sender for n, s in first["senders"].items()} == senders
    assert first["batch"] == worker.DELIVER_BATCH
    assert abs(first["now"] - datetime.now(UTC)) < timedelta(seconds=5)
    # A pass that sent something is followed by another, until one finds nothing left.
    assert second["now"] >= first["now"] and len(delivered) == 3
    assert "messages: 1 sent, 0 to retry, 0 failed" in caplog.text


def test_a_pass_that_only_wrote_letters_is_followed_by_another(
    db_url: str, immediate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letters a pass writes are sent by the next pass of the same run."""
    reports = [delivery.DeliveryReport(news=3), delivery.DeliveryReport()]
    calls: list[datetime] = []

    def deliver_due(**kwargs: Any) -> delivery.DeliveryReport:
        calls.append(kwargs["now"])
        return reports[len(calls) - 1]

    monkeypatch.setattr(delivery, "deliver_due", deliver_due)
    monkeypatch.setattr(delivery, "senders_from_settings", lambda: {})
    worker.deliver_messages()
    assert len(calls) == 2


def queue_messages(
    session: Session, count: int, *, channel: str = "in_app", due_ago: int = 60
) -> list[int]:
    """``count`` queued messages to one patient, due ``due_ago`` seconds ago; their ids."""
    patient = create_patient(session)
    now = utcnow()
    rows = [
        Notification(
            key=f"worker-test:{patient.id}:{channel}:{n}",
            event="test",
            user_id=patient.id or 0,
            channel=channel,
            to_address=patient.email if channel == "email" else "",
            subject=f"Message {n}",
            body="Hello",
            status="queued",
            created_at=now,
            due_at=now - timedelta(seconds=due_ago),
        )
        for n in range(count)
    ]
    session.add_all(rows)
    session.commit()
    return [r.id or 0 for r in rows]


def statuses(session: Session) -> Counter[str]:
    session.expire_all()
    return Counter(session.exec(select(Notification.status)).all())


@pytest.fixture
def no_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the in-app sender is configured (it delivers by marking sent)."""
    monkeypatch.delenv("HCP_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_one_delivery_run_drains_the_due_queue_pass_after_pass(
    session: Session, immediate: Any, no_smtp: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=worker.__name__)
    queue_messages(session, 2 * worker.DELIVER_BATCH + 7)  # three passes' worth

    assert worker.deliver_messages.call_local() is True

    assert statuses(session) == Counter({"sent": 2 * worker.DELIVER_BATCH + 7})
    assert f"messages: {2 * worker.DELIVER_BATCH + 7} sent, 0 to retry" in caplog.text
    assert worker.huey.get(f"periodic.{worker.DELIVER_TASK}.done", peek=True) is not None


def test_a_run_that_spends_its_budget_hands_over_to_a_new_run_at_once(
    session: Session,
    immediate: Any,
    no_smtp: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=worker.__name__)
    monkeypatch.setattr(worker, "DELIVER_BUDGET_SECONDS", 0)  # one pass per run
    queue_messages(session, 2 * worker.DELIVER_BATCH + 7)

    worker.deliver_messages()  # not the next period's: each run enqueues the next

    assert statuses(session) == Counter({"sent": 2 * worker.DELIVER_BATCH + 7})
    runs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("messages:")]
    assert [int(line.split()[1]) for line in runs] == [worker.DELIVER_BATCH] * 2 + [7]


def test_a_stopping_worker_ends_its_delivery_run_after_the_current_pass(
    session: Session, immediate: Any, no_smtp: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_messages(session, 2 * worker.DELIVER_BATCH)
    in_app = delivery.InAppSender()

    class StopsTheWorker:
        """The in-app sender, while SIGTERM arrives (what WorkerConsumer.stop does)."""

        channel = in_app.channel

        def send(self, message: Notification) -> None:
            worker._stopping.set()
            in_app.send(message)

    monkeypatch.setattr(delivery, "senders_from_settings", lambda: {"in_app": StopsTheWorker()})
    try:
        worker.deliver_messages()
    finally:
        worker._stopping.clear()

    # The pass under way finished (every claimed message recorded); no other began.
    assert statuses(session) == Counter(
        {"sent": worker.DELIVER_BATCH, "queued": worker.DELIVER_BATCH}
    )


def test_delivery_takes_no_queue_lock_and_runs_one_loop_per_process(
    session: Session, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    [row_id] = queue_messages(session, 1, channel="email")
    sending, release = threading.Event(), threading.Event()

    class SlowSender:
        channel = "email"

        def send(self, message: Notification) -> None:
            sending.set()
            release.wait(30)

    monkeypatch.setattr(delivery, "senders_from_settings", lambda: {"email": SlowSender()})
    results: list[bool] = []
    running = threading.Thread(target=lambda: results.append(worker.deliver_messages.call_local()))
    running.start()
    try:
        assert sending.wait(30)
        # Other workers are not kept out (the claims keep them off this message) ...
        assert not queue.is_locked(worker.DELIVER_TASK)
        # ... but this process runs one delivery loop at a time.
        assert worker.deliver_messages.call_local() is False
    finally:
        release.set()
        running.join(30)

    assert results == [True]
    sent = session.get(Notification, row_id, populate_existing=True)
    assert sent is not None and (sent.status, sent.attempts) == ("sent", 1)


def test_a_send_is_not_begun_once_its_claim_is_about_to_lapse(
    session: Session, no_smtp: None
) -> None:
    ids = queue_messages(session, 2, channel="email", due_ago=600)
    begun: list[int] = []

    class Recorder:
        channel = "email"
        outcome = "recorded"

        def send(self, message: Notification) -> None:
            begun.append(message.id or 0)

    guarded = worker.WithinLease(Recorder(), timedelta(seconds=30))
    # A pass that started 100 s ago with a 120 s lease: 20 s left, less than the margin
    # (another worker may claim these messages 20 s from now).
    report = delivery.deliver_due(
        now=utcnow() - timedelta(seconds=100), senders={"email": guarded}, lease_seconds=120
    )

    assert (report.sent, report.retried, begun) == (0, 2, [])
    session.expire_all()
    rows = [session.get(Notification, i) for i in ids]
    assert all(r is not None and "LeaseLapsed" in r.last_error for r in rows)
    assert {(r.status, r.attempts) for r in rows if r is not None} == {("queued", 1)}

    # Anything else delivery reads off a sender (what a sent message becomes) is the
    # wrapped sender's.
    assert guarded.outcome == "recorded"

    # With the whole lease ahead, the same guard lets the send begin.
    fresh = Notification(
        id=99, key="x", event="test", user_id=1, subject="s", body="b", due_at=utcnow()
    )
    fresh.claimed_until = utcnow() + timedelta(seconds=120)
    guarded.send(fresh)
    assert begun == [99]


def test_a_failing_sweep_is_logged_and_retried_later_not_fatal(
    immediate: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes: list[BaseException | int] = [RuntimeError("database is locked"), 0]

    def flaky_sweep() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(jobs, "sweep_once", flaky_sweep)

    worker.sweep()  # raises nothing: Huey catches, logs and schedules a retry

    assert "sweep failed (RuntimeError('database is locked')); 3 retries left" in caplog.text
    assert "database is locked" in caplog.text  # with the traceback, from Huey
    [retry] = immediate.scheduled()
    assert retry.retries == 2
    assert timedelta(seconds=3) < retry.eta - immediate._get_timestamp() <= timedelta(seconds=5)
    assert not worker.huey.is_locked("sweep")  # a failed run releases the lock

    [due] = immediate.read_schedule(retry.eta)  # what the scheduler hands on when due
    immediate.execute(due, timestamp=retry.eta)

    assert outcomes == []  # it ran the sweep again, which succeeded
    assert immediate.scheduled() == []


def test_the_lock_keeps_two_concurrent_runs_apart(
    queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    running, most_at_once, runs = 0, 0, 0

    def slow_sweep() -> int:
        nonlocal running, most_at_once, runs
        running += 1
        runs += 1
        most_at_once = max(most_at_once, running)
        entered.set()
        release.wait(30)
        running -= 1
        return 0

    monkeypatch.setattr(jobs, "sweep_once", slow_sweep)
    results: list[bool] = []
    first = threading.Thread(target=lambda: results.append(worker.sweep.call_local()))
    first.start()
    assert entered.wait(30)

    assert worker.sweep.call_local() is False  # another worker's run: skipped, not queued
    release.set()
    first.join(30)

    assert results == [True]
    assert (runs, most_at_once) == (1, 1)
    assert not queue.is_locked("sweep")
    # Every worker's scheduler enqueues the period's run: the one that just ran is enough.
    assert worker.sweep.call_local() is False
    assert runs == 1


def test_a_lock_left_by_a_killed_worker_is_cleared(
    queue: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(jobs, "sweep_once", lambda: 0)
    queue.lock_task("sweep").acquire()  # a worker took it, then died
    queue.put("periodic.sweep.started", time.time() - worker.STALE_LOCK_SECONDS - 1)

    assert worker.sweep.call_local() is False  # this period: clears the lock
    assert "clearing the lock of sweep" in caplog.text
    assert worker.sweep.call_local() is True  # the next period runs


# --- the process ----------------------------------------------------------------------------


def test_the_worker_command_sweeps_a_real_database_and_stops_on_sigterm(
    session: Session, db_url: str, tmp_path: Path
) -> None:
    now = utcnow()
    lapsed = create_lapsed_hold(session, now=now)
    env = {**os.environ, "REFLEX_DB_URL": db_url, "HCP_INSTANCE_DIR": str(tmp_path / "inst")}
    env.pop("HCP_REDIS_URL", None)
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "healthcareplus", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            status = lapsed.status
            while status != "expired" and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.2)
                status = session.exec(
                    select(Appointment.status)
                    .where(Appointment.id == lapsed.id)
                    .execution_options(populate_existing=True)
                ).one()
                session.rollback()  # a fresh snapshot on the next read
            assert status == "expired", log_path.read_text()

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=40) == 0, log_path.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = log_path.read_text()
    assert "job worker: 2 threads, queue " + str(tmp_path / "inst" / "queue.db") in output
    assert "expired 1 payment holds" in output
    assert "Consumer exiting" in output
