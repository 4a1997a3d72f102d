"""Two workers, two freed slots, one waiter: the offers' unique indexes, not the Python
code, decide that the waiter gets one offer and one held booking, never two. Each worker
is its own OS process; runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine, make_engine
from healthcareplus.core.models import Appointment
from healthcareplus.core.waitlist_models import FreedSlot, SlotOffer
from healthcareplus.domain.booking.waitlist import join_waitlist
from healthcareplus.domain.booking.waitlist_offers import accept_offer, offer_freed_slot
from tests.factories import create_doctor, create_patient, local

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOTS = (local(MONDAY, "10:00"), local(MONDAY, "11:00"))
JOIN_TIMEOUT = 60
ROUNDS = 3


def _offer_in_process(url: str, freed_id: int, now: str, barrier: Any, queue: Any) -> None:
    """One worker process: its own engine, one freed slot, one unit of work."""
    engine = make_engine(url)
    try:
        barrier.wait(JOIN_TIMEOUT)
        with Session(engine) as s:
            offer = offer_freed_slot(s, freed_id=freed_id, now=datetime.fromisoformat(now))
            s.commit()
            queue.put("offer" if offer is not None else "none")
    except Exception as exc:
        queue.put(f"error: {exc!r}")
    finally:
        engine.dispose()


def _setup(url: str) -> tuple[int, int, list[int]]:
    with Session(get_engine(url), expire_on_commit=False) as s:
        doctor = create_doctor(s)
        waiter = create_patient(s)
        join_waitlist(
            s, patient_id=waiter.id, doctor_id=doctor.id, from_day=MONDAY, to_day=MONDAY, now=NOW
        )
        freed = [FreedSlot(doctor_id=doctor.id, start_at=start, freed_at=NOW) for start in SLOTS]
        s.add_all(freed)
        s.commit()
        return doctor.id, waiter.id, [f.id for f in freed]


def test_two_workers_two_freed_slots_one_waiter_one_offer(either_db_url: str) -> None:
    url = either_db_url
    ctx = multiprocessing.get_context("spawn")
    for _ in range(ROUNDS):
        doctor_id, waiter_id, freed_ids = _setup(url)
        barrier, queue = ctx.Barrier(2), ctx.Queue()
        procs = [
            ctx.Process(
                target=_offer_in_process, args=(url, freed_id, NOW.isoformat(), barrier, queue)
            )
            for freed_id in freed_ids
        ]
        for p in procs:
            p.start()
        results = sorted(queue.get(timeout=JOIN_TIMEOUT) for _ in procs)
        for p in procs:
            p.join(JOIN_TIMEOUT)
        assert all(p.exitcode == 0 for p in procs)
        assert results == ["none", "offer"], results
        with Session(get_engine(url)) as s:
            offers = s.exec(select(SlotOffer).where(SlotOffer.patient_id == waiter_id)).all()
            assert [o.status for o in offers] == ["open"]
            held = s.exec(
                select(func.count())
                .select_from(Appointment)
                .where(col(Appointment.patient_id) == waiter_id)
            ).one()
            assert held == 1
            handled = s.exec(
                select(func.count())
                .select_from(FreedSlot)
                .where(col(FreedSlot.id).in_(freed_ids), col(FreedSlot.handled_at).is_not(None))
            ).one()
            assert handled == 2
            accept_offer(s, patient_id=waiter_id, offer_id=offers[0].id, now=NOW)
            s.commit()
            taken = s.exec(
                select(func.count())
                .select_from(Appointment)
                .where(col(Appointment.doctor_id) == doctor_id)
            ).one()
            assert taken == 1  # the other slot stayed free
