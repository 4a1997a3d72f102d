"""Two desks check in two patients of one doctor at the same moment: the unique index on
(doctor, day, token) and the retry in a savepoint, not the Python code, give them tokens
1 and 2, never the same one. Each desk is its own OS process; runs on SQLite and on
PostgreSQL. The same visit checked in from both desks at once is in the queue once."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine, make_engine
from healthcareplus.core.models import QueueEntry
from healthcareplus.domain.desk.queue import check_in
from tests.factories import (
    create_appointment,
    create_desk_user,
    create_doctor,
    create_hospital,
    local,
)

MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "10:00")
JOIN_TIMEOUT = 60
ROUNDS = 4


def _check_in_process(
    url: str, desk_id: int, appointment_id: str, now: str, barrier: Any, queue: Any
) -> None:
    """One desk: its own engine, one check-in, one unit of work."""
    engine = make_engine(url)
    try:
        barrier.wait(JOIN_TIMEOUT)
        with Session(engine) as s:
            done = check_in(
                s, actor_id=desk_id, appointment_id=appointment_id, now=datetime.fromisoformat(now)
            )
            s.commit()
            queue.put(f"token {done.token}")
    except Exception as exc:
        queue.put(f"error: {type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def _setup(url: str, visits: int) -> tuple[list[int], list[str]]:
    """Two desk users of one hospital and ``visits`` confirmed visits of one new doctor."""
    with Session(get_engine(url), expire_on_commit=False) as s:
        hospital = create_hospital(s)
        doctor = create_doctor(s, hospital=hospital)
        desks = [create_desk_user(s, hospitals=[hospital]) for _ in range(2)]
        appointments = [
            create_appointment(s, doctor=doctor, start_at=local(MONDAY, f"09:{15 * n:02d}"))
            for n in range(visits)
        ]
        return [d.id for d in desks if d.id], [a.id for a in appointments]


def _race(url: str, desk_ids: list[int], appointment_ids: list[str]) -> list[str]:
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_check_in_process,
            args=(url, desk_id, appointment_id, NOW.isoformat(), barrier, queue),
        )
        for desk_id, appointment_id in zip(desk_ids, appointment_ids, strict=True)
    ]
    for p in procs:
        p.start()
    results = sorted(queue.get(timeout=JOIN_TIMEOUT) for _ in procs)
    for p in procs:
        p.join(JOIN_TIMEOUT)
    assert all(p.exitcode == 0 for p in procs)
    return results


def _tokens(url: str, appointment_ids: list[str]) -> list[int]:
    with Session(get_engine(url)) as s:
        rows = s.exec(
            select(QueueEntry.token)
            .where(col(QueueEntry.appointment_id).in_(appointment_ids))
            .order_by(col(QueueEntry.token))
        ).all()
        return list(rows)


def test_two_desks_at_once_never_share_a_token(either_db_url: str) -> None:
    url = either_db_url
    for _ in range(ROUNDS):
        desk_ids, appointment_ids = _setup(url, 2)
        results = _race(url, desk_ids, appointment_ids)
        assert results == ["token 1", "token 2"], results
        assert _tokens(url, appointment_ids) == [1, 2]


def test_one_visit_checked_in_from_two_desks_at_once_is_queued_once(
    either_db_url: str,
) -> None:
    url = either_db_url
    for _ in range(ROUNDS):
        desk_ids, (appointment_id,) = _setup(url, 1)
        results = _race(url, desk_ids, [appointment_id, appointment_id])
        assert results == ["error: Conflict: Already checked in: token 1.", "token 1"], results
        assert _tokens(url, [appointment_id]) == [1]
