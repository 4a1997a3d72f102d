"""The job worker: the app's background work as Huey tasks, run once per deployment.

Web processes only serve requests; ``python -m healthcareplus worker`` runs the Huey
consumer, whose scheduler enqueues the periodic tasks and whose threads run them:

* ``sweep`` (every 30 s): ``jobs.sweep_once`` reconciles stuck payments, pushes refunds,
  prunes old rows and expires lapsed holds;
* ``deliver_messages`` (every 5 s): sends the queued notifications that are due.

The queue is Redis when ``HCP_REDIS_URL`` is set (several workers on several machines share
it), else a SQLite file in the instance folder (workers on one machine). Every worker's
scheduler enqueues the periodic tasks, so each task runs under a lock shared through the
queue (never two at once) and skips a run that another worker has just done (once per
period for the whole deployment). A failed run is retried with back-off.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey  # type: ignore[import-untyped]
from huey import signals as huey_signals
from huey.api import Huey, TaskLock  # type: ignore[import-untyped]
from huey.consumer import Consumer, Scheduler  # type: ignore[import-untyped]
from huey.exceptions import TaskLockedException  # type: ignore[import-untyped]

from healthcareplus import jobs
from healthcareplus.core.config import PROJECT_ROOT, Settings, get_settings
from healthcareplus.core.dbtypes import utcnow

log = logging.getLogger(__name__)

QUEUE_NAME = "healthcareplus"
# Huey's scheduler looks for due periodic tasks once a minute; ours every TICK_SECONDS.
TICK_SECONDS = 5
SWEEP_SECONDS = 30
DELIVER_SECONDS = 5
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
# Made here, not only when a task runs, so that the consumer knows the locks' names and
# clears them when it starts (a killed worker never releases its lock).
LOCKS: tuple[TaskLock, ...] = (huey.lock_task("sweep"), huey.lock_task("deliver_messages"))


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


def _deliver() -> None:
    # Imported when run: the web app never loads the senders (SMTP and the like).
    from healthcareplus.domain.notifications.delivery import deliver_due, senders_from_settings

    report = deliver_due(now=utcnow(), senders=senders_from_settings())
    if report.sent or report.retried or report.failed:
        log.info(
            "messages: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed
        )


@huey.periodic_task(every(SWEEP_SECONDS), retries=3, retry_delay=5, retry_backoff=2, name="sweep")
def sweep() -> bool:
    """Reads treat lapsed holds as free at once; the sweep keeps stored statuses honest for
    lists and dashboards, and settles what the payment gateway left open."""
    return run_exclusively("sweep", _sweep, min_gap=SWEEP_SECONDS - TICK_SECONDS)


@huey.periodic_task(
    every(DELIVER_SECONDS), retries=3, retry_delay=2, retry_backoff=2, name="deliver_messages"
)
def deliver_messages() -> bool:
    """Send the queued messages that are due (each message counts its own attempts)."""
    return run_exclusively("deliver_messages", _deliver, min_gap=DELIVER_SECONDS / 2)


@huey.signal(huey_signals.SIGNAL_ERROR)
def _log_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    if task.retries:
        log.warning("%s failed (%r); %d retries left", task.name, exc, task.retries)
    else:
        log.error("%s failed (%r); no retries left, the next period runs it", task.name, exc)


class _TickScheduler(Scheduler):
    periodic_task_seconds = TICK_SECONDS


class WorkerConsumer(Consumer):
    """Huey's consumer with a scheduler that checks the periodic tasks every tick."""

    scheduler_class = _TickScheduler


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
