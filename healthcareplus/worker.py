"""The job worker: the app's background work as Huey tasks, run once per deployment.

Web processes only serve requests; ``python -m healthcareplus worker`` runs the Huey
consumer, whose scheduler enqueues the periodic tasks and whose threads run them:

* ``sweep`` (every 30 s): ``jobs.sweep_once`` reconciles stuck payments, pushes refunds,
  prunes old rows and expires lapsed holds;
* ``deliver_messages`` (every 5 s): sends the queued notifications that are due, pass
  after pass until none is left.

The queue is Redis when ``HCP_REDIS_URL`` is set (several workers on several machines share
it), else a SQLite file in the instance folder (workers on one machine). Every worker's
scheduler enqueues the periodic tasks. The sweep runs under a lock shared through the queue
(never two at once) and skips a run that another worker has just done (once per period for
the whole deployment). Delivery is not exclusive: every worker delivers at the same time
(one loop per process), and each message is claimed with a committed compare-and-set and a
lease before it is sent, so two workers never send the same one. A failed run is retried
with back-off.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huey import RedisHuey, SqliteHuey  # type: ignore[import-untyped]
from huey import signals as huey_signals
from huey.api import Huey, TaskLock  # type: ignore[import-untyped]
from huey.consumer import Consumer, Scheduler  # type: ignore[import-untyped]
from huey.exceptions import TaskLockedException  # type: ignore[import-untyped]

from healthcareplus import jobs
from healthcareplus.core.config import PROJECT_ROOT, Settings, get_settings
from healthcareplus.core.dbtypes import utcnow

if TYPE_CHECKING:
    from healthcareplus.core.models import Notification
    from healthcareplus.domain.notifications.delivery import DeliveryReport, Sender

log = logging.getLogger(__name__)

QUEUE_NAME = "healthcareplus"
# Huey's scheduler looks for due periodic tasks once a minute; ours every TICK_SECONDS.
TICK_SECONDS = 5
SWEEP_SECONDS = 30
DELIVER_SECONDS = 5
WAITLIST_SECONDS = 5
DELIVER_TASK = "deliver_messages"
# Messages claimed per pass: small enough that a pass ends well within a claim's lease.
DELIVER_BATCH = 50
# One run's passes stop after this: the run logs what it did, and the next period (or
# another worker) carries on with what is left.
DELIVER_BUDGET_SECONDS = 60
# A send begins only while at least this share of its claim's lease is left: past the
# lease another worker may claim and send the message too.
LEASE_SHARE_TO_SEND = 0.25
# A lock older than this belongs to a worker that died mid-run (a killed process never
# releases it): the next run clears it. Overlapping sweeps are safe, only wasteful.
STALE_LOCK_SECONDS = 15 * 60


def queue_path(settings: Settings) -> Path:
    """The SQLite queue file: ``queue.db`` in the instance folder (absolute paths win)."""
    folder = PROJECT_ROOT / settings.instance_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "queue.db"


def make_huey(settings: Settings) -> Huey:
    """Redis when the settings name one (a queue shared by several machines), else SQLite."""
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url)
    return SqliteHuey(QUEUE_NAME, filename=str(queue_path(settings)))


huey: Huey = make_huey(get_settings())
# Made here, not only when a task runs, so that the consumer knows the lock's name and
# clears it when it starts (a killed worker never releases its lock).
LOCKS: tuple[TaskLock, ...] = (huey.lock_task("sweep"),)
# Delivery: one loop per process (more would only race each other for the same rows), and
# the consumer's stop (SIGTERM) ends a loop after its current pass.
_delivering = threading.Lock()
_stopping = threading.Event()


def every(seconds: int) -> Callable[[datetime], bool]:
    """A periodic task's schedule: due on the tick that falls in each ``seconds`` window
    of the wall clock (so workers on several machines agree on the windows)."""
    if seconds % TICK_SECONDS or 60 % seconds:
        raise ValueError(f"{seconds} s is not a multiple of {TICK_SECONDS} s dividing a minute")

    def due(timestamp: datetime) -> bool:
        return (timestamp.minute * 60 + timestamp.second) % seconds < TICK_SECONDS

    return due


def run_exclusively(name: str, work: Callable[[], Any], *, min_gap: float) -> bool:
    """Run ``work`` under the lock ``name`` unless another run holds it or finished less
    than ``min_gap`` seconds ago. Returns whether it ran; its errors propagate (to Huey,
    which retries the task)."""
    lock = huey.lock_task(name)
    started_key, done_key = f"periodic.{name}.started", f"periodic.{name}.done"
    try:
        lock.acquire()
    except TaskLockedException:
        started = huey.get(started_key, peek=True)
        if started is not None and time.time() - started > STALE_LOCK_SECONDS:
            log.warning("clearing the lock of %s, held since %s", name, time.ctime(started))
            lock.clear()
        else:
            log.debug("%s is running elsewhere; skipped", name)
        return False
    try:
        done = huey.get(done_key, peek=True)
        if done is not None and time.time() - done < min_gap:
            return False  # another worker's scheduler enqueued the same period
        huey.put(started_key, time.time())
        work()
        huey.put(done_key, time.time())
        return True
    finally:
        lock.release()


def _sweep() -> None:
    expired = jobs.sweep_once()
    if expired:
        log.info("expired %d payment holds", expired)


class LeaseLapsed(RuntimeError):
    """A send that did not begin because the message's claim (nearly) lapsed."""


class WithinLease:
    """A sender that begins a send only while enough of the message's claim is left.

    Workers deliver concurrently; a claim that lapses in the middle of a slow pass lets
    another worker claim the message and send it too. Refusing is an ordinary failure:
    delivery records it and retries later (after the claim lapsed, unless another worker
    has already taken the message, which then is that worker's to send)."""

    def __init__(self, sender: Sender, margin: timedelta) -> None:
        self.sender = sender
        self.channel = sender.channel
        self.margin = margin

    def __getattr__(self, name: str) -> Any:
        """Whatever else delivery asks of a sender (``outcome``, say) is the wrapped one's."""
        if name == "sender":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.sender, name)

    def send(self, message: Notification) -> None:
        until = message.claimed_until
        if until is None or utcnow() + self.margin >= until:
            raise LeaseLapsed(f"the claim (until {until}) lapsed before the send began")
        self.sender.send(message)


def _claimable(channels: list[str]) -> bool:
    """Whether a due message is left that no live claim holds (a pass that found nothing
    may have lost the race for its candidates to another worker's claim)."""
    from sqlalchemy import or_
    from sqlmodel import col, select

    from healthcareplus.core.db import session_scope
    from healthcareplus.core.models import Notification
    from healthcareplus.domain.notifications.delivery import QUEUED

    now = utcnow()
    claimed = col(Notification.claimed_until)
    with session_scope() as session:
        found = session.exec(
            select(Notification.id)
            .where(
                col(Notification.status) == QUEUED,
                col(Notification.due_at) <= now,
                or_(claimed.is_(None), claimed <= now),
                col(Notification.channel).in_(channels),
            )
            .limit(1)
        ).first()
    return found is not None


def _deliver() -> tuple[DeliveryReport, bool]:
    """Pass after pass (each claims up to DELIVER_BATCH, sends, records) until no due
    message is left to claim, the budget is spent or the worker is stopping. Returns
    what it did and whether it stopped for the budget with messages left."""
    # Imported when run: the web app never loads the senders (SMTP and the like).
    from healthcareplus.domain.notifications.delivery import (
        DeliveryReport,
        deliver_due,
        senders_from_settings,
    )

    margin = timedelta(seconds=get_settings().delivery_lease_seconds * LEASE_SHARE_TO_SEND)
    senders = {name: WithinLease(s, margin) for name, s in senders_from_settings().items()}
    deadline = time.monotonic() + DELIVER_BUDGET_SECONDS
    sent = retried = failed = kept = 0
    more = False
    while not _stopping.is_set():
        report = deliver_due(now=utcnow(), senders=senders, batch=DELIVER_BATCH)
        sent, retried = sent + report.sent, retried + report.retried
        failed, kept = failed + report.failed, kept + report.kept
        busy = bool(report.news or report.sent or report.retried or report.failed)
        if not busy and not _claimable(sorted(senders)):
            break
        if time.monotonic() >= deadline:
            more = True
            break
    if sent or retried or failed:
        log.info("messages: %d sent, %d to retry, %d failed", sent, retried, failed)
    return DeliveryReport(sent=sent, retried=retried, failed=failed, kept=kept), more


@huey.periodic_task(every(SWEEP_SECONDS), retries=3, retry_delay=5, retry_backoff=2, name="sweep")
def sweep() -> bool:
    """Reads treat lapsed holds as free at once; the sweep keeps stored statuses honest for
    lists and dashboards, and settles what the payment gateway left open."""
    return run_exclusively("sweep", _sweep, min_gap=SWEEP_SECONDS - TICK_SECONDS)


@huey.periodic_task(
    every(DELIVER_SECONDS), retries=3, retry_delay=2, retry_backoff=2, name=DELIVER_TASK
)
def deliver_messages() -> bool:
    """Send the queued messages that are due (each message counts its own attempts).

    Not under the queue's lock: every worker delivers at once, which is what spreads a
    backlog over the workers, and the per-message claim already keeps two workers from
    sending the same message. A worker killed mid-send leaves no lock behind, only its
    claims, which lapse after ``HCP_DELIVERY_LEASE_SECONDS``. Returns whether it ran (not
    when this process is delivering already)."""
    if not _delivering.acquire(blocking=False):
        return False
    try:
        _, more = _deliver()
    finally:
        _delivering.release()
    # When this worker last finished a delivery run: for operators and the tests.
    huey.put(f"periodic.{DELIVER_TASK}.done", time.time())
    if more:  # a backlog: the next run starts now, not at the next period
        deliver_messages()
    return True


@huey.periodic_task(every(WAITLIST_SECONDS), retries=3, retry_delay=2, name="waitlist")
def offer_freed_slots() -> bool:
    """Turn freed slots into offers to waiting patients (``jobs.waitlist_once``), and close
    offers whose hold ended. Under the queue's lock; two runs at once would still make
    one offer per slot and per waiter (the database's unique indexes)."""
    return run_exclusively("waitlist", jobs.waitlist_once, min_gap=WAITLIST_SECONDS - 1)


@huey.signal(huey_signals.SIGNAL_ERROR)
def _log_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    if task.retries:
        log.warning("%s failed (%r); %d retries left", task.name, exc, task.retries)
    else:
        log.error("%s failed (%r); no retries left, the next period runs it", task.name, exc)


class _TickScheduler(Scheduler):
    periodic_task_seconds = TICK_SECONDS


class WorkerConsumer(Consumer):
    """Huey's consumer with a scheduler that checks the periodic tasks every tick, and
    whose stop also ends a delivery loop after its current pass (so SIGTERM stops the
    worker within one pass, not one budget)."""

    scheduler_class = _TickScheduler

    def stop(self, graceful: bool = False) -> None:
        _stopping.set()
        super().stop(graceful=graceful)


def configure_logging(verbose: bool = False) -> None:
    """One line per event on stdout; Huey's per-task chatter only when ``verbose``."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stdout,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    quiet = logging.INFO if verbose else logging.WARNING
    logging.getLogger("huey").setLevel(quiet)  # "Executing ..." for every task
    logging.getLogger("huey.consumer").setLevel(logging.INFO)  # start and stop
    logging.getLogger("huey.consumer.Scheduler").setLevel(quiet)  # "Enqueueing ..."


def run_consumer(workers: int = 2, verbose: bool = False) -> int:
    """Run the worker until SIGTERM (finishes the running tasks, up to 30 s) or SIGINT
    (stops at once). Sweeps and delivers straight away rather than at the next period."""
    configure_logging(verbose)
    get_settings().check_safe_for_env()
    _stopping.clear()
    consumer = WorkerConsumer(
        huey,
        workers=workers,
        periodic=True,
        max_delay=1.0,  # an idle thread looks at the queue at least once a second
        # A lock left by a killed worker. With several machines this may free a lock another
        # worker holds: one overlapping run at worst, which is safe (see STALE_LOCK_SECONDS).
        flush_locks=True,
        graceful_signal="TERM",
        shutdown_timeout=30,
    )
    settings = get_settings()
    where = "Redis" if settings.redis_url else str(queue_path(settings))
    log.info("job worker: %d threads, queue %s", workers, where)
    sweep()
    deliver_messages()
    consumer.run()
    return 0
