"""How fast the job workers empty the outbox, and that they send each message exactly once.

On PostgreSQL (a private database, ``hcp_bench_notifications``, dropped and recreated on
each run and left behind for inspection): N confirmed appointments and, for each, its due
24-hour reminder email (two set-based INSERTs, then VACUUM ANALYZE), so delivery does the
real work of a reminder, including the check that the visit is still on. A real SMTP
server in this process (aiosmtpd) records every Message-ID it accepts; W real workers
(``python -m healthcareplus worker``) share one Huey queue in Redis (a database flushed
first). When no row is queued any more the workers are stopped with SIGTERM (they finish
what they are sending) and the bench prints the throughput, the duplicates (Message-IDs
received more than once), the losses (rows never received) and the rows not ``sent``.
Exits 1 if any message was duplicated or lost.

    .venv/bin/python bench/notification_delivery.py                  # 10,000, 2 workers
    .venv/bin/python bench/notification_delivery.py --messages 2000 --workers 4
    make bench-notifications BENCH_ARGS="--messages 2000"

Needs PostgreSQL (``HCP_BENCH_POSTGRES_URL``, default postgres@127.0.0.1:5432, trust
auth) and Redis (``HCP_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/9``, flushed);
``HCP_BENCH_DATABASE`` renames the database. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ is on the path, the app is not
    sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from healthcareplus.core.db import dispose_engines, get_engine  # noqa: E402
from healthcareplus.core.dbtypes import utcnow  # noqa: E402
from healthcareplus.core.migrations import upgrade  # noqa: E402
from healthcareplus.core.models import AppointmentStatus, PaymentStatus  # noqa: E402
from healthcareplus.domain.notifications.smtp import message_id  # noqa: E402
from tests.factories import create_doctor, create_patient  # noqa: E402

ADMIN_URL = os.environ.get(
    "HCP_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("HCP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DATABASE = os.environ.get("HCP_BENCH_DATABASE", "hcp_bench_notifications")
PATIENTS = 100
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)
SENT_LOG = re.compile(r"messages: (\d+) sent")


class Inbox:
    """An aiosmtpd handler counting the Message-IDs it accepts (the header only: parsing
    10,000 whole messages would make the server the bottleneck)."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.first_at: float | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = MESSAGE_ID.search(envelope.content.split(b"\r\n\r\n", 1)[0])
        with self._lock:
            self.first_at = self.first_at or time.monotonic()
            self.received[found.group(1).decode() if found else "<none>"] += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def recreate_database() -> str:
    """A new, migrated, empty database for this run (the last run's is dropped)."""
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=DATABASE).render_as_string(hide_password=False)
    upgrade(url)
    return url


def seed(engine: Engine, messages: int) -> None:
    """One doctor, PATIENTS patients, ``messages`` confirmed appointments 15 minutes apart
    starting tomorrow, and for each its 24-hour reminder email, due a minute ago (the
    worker catching up): rows exactly as ``reminders.schedule_reminders`` writes them."""
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        doctor = create_doctor(session, name="Dr. Bench Iyer", commit=False)
        patients = [
            create_patient(session, email=f"bench.patient{i}@example.in", commit=False)
            for i in range(PATIENTS)
        ]
        session.commit()
    first = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    params = {
        "n": messages,
        "doctor": doctor.id,
        "hospital": doctor.hospital_id,
        "fee": doctor.fee_paise,
        "first": first,
        "now": now,
        "due": now - timedelta(minutes=1),
        "patients": [p.id for p in patients],
        "confirmed": AppointmentStatus.CONFIRMED.value,
        "paid": PaymentStatus.SUCCESS.value,
    }
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                """
                INSERT INTO appointments (id, patient_id, doctor_id, hospital_id, start_at,
                    end_at, reason, status, payment_status, payment_method, fee_paise,
                    booked_at, paid_at)
                SELECT gen_random_uuid()::text,
                    (:patients)[1 + i % cardinality(:patients)], :doctor, :hospital,
                    :first + i * interval '15 minutes', :first + (i + 1) * interval '15 minutes',
                    'Check-up', :confirmed, :paid, 'upi', :fee, :now, :now
                FROM generate_series(0, :n - 1) AS i
                """
            ),
            params,
        )
        conn.execute(
            sa.text(
                """
                INSERT INTO notifications (key, event, user_id, appointment_id, channel,
                    to_address, subject, body, body_html, attachment, link, status, attempts,
                    last_error, created_at, due_at, about_start_at)
                SELECT 'reminder:24h:' || a.id || ':' || a.start_at || ':' || a.patient_id
                        || ':' || 'email',
                    'reminder', a.patient_id, a.id, 'email', u.email,
                    'Reminder: Dr. Bench Iyer tomorrow',
                    'Your appointment with Dr. Bench Iyer is tomorrow. Please arrive ten '
                        || 'minutes early. To cancel or move it, open My appointments.',
                    '', '', '/appointments/' || a.id, 'queued', 0, '', :now, :due, a.start_at
                FROM appointments a JOIN users u ON u.id = a.patient_id
                """
            ),
            params,
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


def count(engine: Engine, where: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(sa.text(f"SELECT count(*) FROM notifications {where}")).scalar_one()
        )


def start_workers(how_many: int, env: dict[str, str], logs: Path) -> list[subprocess.Popen[bytes]]:
    workers = []
    for n in range(how_many):
        with (logs / f"worker{n}.log").open("wb") as log:
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "healthcareplus", "worker"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    return workers


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> list[int | None]:
    """SIGTERM: each finishes what it is sending (Huey's graceful shutdown, <= 30 s)."""
    for proc in workers:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    codes: list[int | None] = []
    for proc in workers:
        try:
            codes.append(proc.wait(timeout=60))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            codes.append(None)
    return codes


def run(messages: int, workers: int, timeout: float) -> int:
    url = recreate_database()
    engine = get_engine(url)
    started = time.perf_counter()
    seed(engine, messages)
    print(f"seeded {messages:,} due reminder emails in {time.perf_counter() - started:.1f} s")
    keys = {str(k) for k in sa_keys(engine)}

    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="hcp-bench-notifications-"))
    env = {
        **os.environ,
        "REFLEX_DB_URL": url,
        "HCP_REDIS_URL": REDIS_URL,
        "HCP_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "HCP_INSTANCE_DIR": str(folder / "instance"),
    }
    env.pop("HCP_DATABASE_URL", None)

    began = time.monotonic()
    procs = start_workers(workers, env, folder)
    queued, drained = messages, False
    last_report = began
    try:
        while time.monotonic() - began < timeout:
            queued = count(engine, "WHERE status = 'queued'")
            if queued == 0:
                drained = True
                break
            if any(p.poll() is not None for p in procs):
                print("a worker exited early; see its log")
                break
            if time.monotonic() - last_report >= 10:
                last_report = time.monotonic()
                done = messages - queued
                print(f"  {time.monotonic() - began:6.0f} s: {done:,} delivered", flush=True)
            time.sleep(0.5)
        elapsed = time.monotonic() - began
    finally:
        codes = stop_workers(procs)
        smtp.stop()
    first = (inbox.first_at - began) if inbox.first_at else float("nan")

    wanted = {message_id(k) for k in keys}
    duplicates = sum(1 for mid, n in inbox.received.items() if n > 1)
    copies = sum(n - 1 for n in inbox.received.values() if n > 1)
    losses = len(wanted - set(inbox.received))
    strays = len(set(inbox.received) - wanted)
    not_sent = count(engine, "WHERE status <> 'sent'")
    per_worker = [
        sum(int(n) for n in SENT_LOG.findall((folder / f"worker{i}.log").read_text()))
        for i in range(workers)
    ]
    dispose_engines()

    print(f"messages:        {messages:,}")
    print(f"workers:         {workers} (sent per worker: {', '.join(map(str, per_worker))})")
    print(f"elapsed:         {elapsed:.1f} s (first message after {first:.1f} s)")
    print(f"messages/second: {messages / elapsed:,.1f}" if drained else "messages/second: -")
    print(f"duplicates:      {duplicates} ({copies} extra copies)")
    print(f"losses:          {losses}" + (f" (+{strays} unknown Message-IDs)" if strays else ""))
    print(f"rows not sent:   {not_sent}")
    print(f"drained:         {'yes' if drained else f'no, {queued:,} still queued'}")
    print(f"worker exits:    {codes}; logs in {folder}")
    return 1 if duplicates or losses or not drained else 0


def sa_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT key FROM notifications")).scalars())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--messages", type=int, default=10_000, help="due emails to send")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--timeout", type=float, default=3600, help="give up after this many seconds"
    )
    args = parser.parse_args()
    if args.messages < 1 or args.workers < 1:
        parser.error("--messages and --workers must be >= 1")
    return run(args.messages, args.workers, args.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
