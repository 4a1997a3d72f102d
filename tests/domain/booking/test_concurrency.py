"""Races on real databases: the slot index, not the Python code, decides who wins.

Every test runs on a file-backed SQLite database and on a fresh PostgreSQL database.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine, make_engine, session_scope
from healthcareplus.core.errors import Conflict, SlotUnavailable
from healthcareplus.core.models import Appointment, AppointmentStatus, Payment, PaymentStatus
from healthcareplus.domain.booking.appointments import book, reschedule
from healthcareplus.domain.payments.checkout import pay
from tests.factories import create_doctor, create_patient, local
from tests.gateways import ScriptedGateway

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(MONDAY, "10:00")
UPI = {"upi_vpa": "race@okaxis"}
JOIN_TIMEOUT = 60


@pytest.fixture
def url(either_db_url: str) -> str:
    return either_db_url


def run_threads(count: int, work: Callable[[int], str]) -> list[str]:
    """Start ``count`` threads together (a barrier) and collect each one's result."""
    barrier = threading.Barrier(count)
    results: list[str] = [""] * count

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # recorded, so the assertion shows it
            results[i] = f"error: {exc!r}"

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def setup(url: str, patients: int, doctor_fee: int = 50_000) -> tuple[int, list[int]]:
    with Session(get_engine(url), expire_on_commit=False) as s:
        doctor = create_doctor(s, fee_paise=doctor_fee)
        patient_ids = [create_patient(s, commit=False).id for _ in range(patients)]
        s.commit()
        return doctor.id, patient_ids


def rows_at(url: str, doctor_id: int, start: datetime) -> list[Appointment]:
    with Session(get_engine(url)) as s:
        return list(
            s.exec(
                select(Appointment).where(
                    Appointment.doctor_id == doctor_id, Appointment.start_at == start
                )
            )
        )


def book_in_own_session(url: str, patient_id: int, doctor_id: int, start: datetime) -> str:
    with session_scope(url) as s:  # one unit of work
        try:
            book(
                s,
                patient_id=patient_id,
                doctor_id=doctor_id,
                start_at=start,
                reason="Race",
                now=NOW,
            )
        except SlotUnavailable:
            return "taken"
        return "ok"


def paid_booking(url: str, patient_id: int, doctor_id: int, start: datetime) -> str:
    with session_scope(url) as s:  # one unit of work
        appointment = book(
            s, patient_id=patient_id, doctor_id=doctor_id, start_at=start, reason="Race", now=NOW
        )
        outcome = pay(
            s,
            appointment_id=appointment.id,
            patient_id=patient_id,
            method="upi",
            form=UPI,
            gateway=ScriptedGateway([True]),
            now=NOW,
        )
        assert outcome.success
        return appointment.id


def test_fifty_threads_race_for_one_slot(url):
    doctor_id, patients = setup(url, 50)
    results = run_threads(50, lambda i: book_in_own_session(url, patients[i], doctor_id, SLOT))
    assert Counter(results) == {"ok": 1, "taken": 49}
    (row,) = rows_at(url, doctor_id, SLOT)
    assert row.status == AppointmentStatus.PENDING_PAYMENT
    assert row.patient_id == patients[results.index("ok")]


def _process_worker(
    url: str,
    doctor_id: int,
    patient_id: int,
    starts: list[str],
    offset: int,
    barrier: Any,
    queue: Any,
) -> None:
    """One OS process: its own engine, every slot in its own order."""
    engine = make_engine(url)
    outcomes: list[tuple[str, str]] = []
    try:
        barrier.wait(JOIN_TIMEOUT)
        order = starts[offset:] + starts[:offset]
        for iso in order:
            with Session(engine) as s:
                try:
                    book(
                        s,
                        patient_id=patient_id,
                        doctor_id=doctor_id,
                        start_at=datetime.fromisoformat(iso),
                        reason="Race",
                        now=NOW,
                    )
                    s.commit()  # the caller's unit of work
                    outcomes.append((iso, "ok"))
                except SlotUnavailable:
                    outcomes.append((iso, "taken"))
                except Exception as exc:
                    outcomes.append((iso, f"error: {exc!r}"))
    finally:
        engine.dispose()
        queue.put(outcomes)


def test_eight_processes_race_for_five_slots(url):
    doctor_id, patients = setup(url, 8)
    starts = [(SLOT + timedelta(minutes=15 * i)).isoformat() for i in range(5)]
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(8), ctx.Queue()
    procs = [
        ctx.Process(
            target=_process_worker,
            args=(url, doctor_id, patients[i], starts, i % 5, barrier, queue),
        )
        for i in range(8)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=JOIN_TIMEOUT) for _ in procs]
    for p in procs:
        p.join(JOIN_TIMEOUT)
    assert all(p.exitcode == 0 for p in procs)
    flat = [outcome for per_process in results for outcome in per_process]
    assert len(flat) == 40
    assert not [o for o in flat if o[1].startswith("error")], flat
    winners = Counter(iso for iso, outcome in flat if outcome == "ok")
    assert winners == dict.fromkeys(starts, 1)
    with Session(get_engine(url)) as s:
        count = s.exec(
            select(func.count()).select_from(Appointment).where(Appointment.doctor_id == doctor_id)
        ).one()
    assert count == 5


def test_two_patients_reschedule_into_the_same_slot(url):
    doctor_id, patients = setup(url, 6)
    for round_ in range(3):
        target = local(MONDAY, "12:00") + timedelta(minutes=15 * round_)
        starts = [local(MONDAY, "09:00") + timedelta(minutes=15 * (2 * round_ + k)) for k in (0, 1)]
        pair = patients[2 * round_ : 2 * round_ + 2]
        ids = [paid_booking(url, pair[k], doctor_id, starts[k]) for k in (0, 1)]

        def move(i: int, ids: list[str] = ids, pair: list[int] = pair, target=target) -> str:
            with session_scope(url) as s:  # one unit of work
                try:
                    reschedule(
                        s,
                        appointment_id=ids[i],
                        patient_id=pair[i],
                        new_start_at=target,
                        now=NOW,
                    )
                except SlotUnavailable:
                    return "taken"
                return "ok"

        results = run_threads(2, move)
        assert sorted(results) == ["ok", "taken"], results
        winner, loser = (0, 1) if results[0] == "ok" else (1, 0)
        (row,) = rows_at(url, doctor_id, target)
        assert row.id == ids[winner]
        with Session(get_engine(url)) as s:
            unchanged = s.get(Appointment, ids[loser])
            assert unchanged.start_at == starts[loser]
            assert unchanged.end_at == starts[loser] + timedelta(minutes=15)
            assert unchanged.status == AppointmentStatus.CONFIRMED
            assert unchanged.payment_status == PaymentStatus.SUCCESS
        assert rows_at(url, doctor_id, starts[winner]) == []  # its old slot is free


def test_two_threads_pay_the_same_booking(url):
    doctor_id, patients = setup(url, 3)
    for round_, patient_id in enumerate(patients):
        start = SLOT + timedelta(minutes=15 * round_)
        with session_scope(url) as s:  # one unit of work
            appointment_id = book(
                s,
                patient_id=patient_id,
                doctor_id=doctor_id,
                start_at=start,
                reason="Race",
                now=NOW,
            ).id
        gateway = ScriptedGateway([True, True], delay=0.05)

        def attempt(_i: int, appointment_id=appointment_id, patient_id=patient_id, gw=gateway):
            with session_scope(url) as s:  # one unit of work
                try:
                    outcome = pay(
                        s,
                        appointment_id=appointment_id,
                        patient_id=patient_id,
                        method="upi",
                        form=UPI,
                        gateway=gw,
                        now=NOW,
                    )
                except Conflict as exc:
                    assert "in progress" in str(exc)
                    return "in progress"
                assert outcome.success
                return outcome.transaction_id

        results = run_threads(2, attempt)
        assert not [r for r in results if r.startswith("error")], results
        txns = {r for r in results if r.startswith("HCP-")}
        assert len(txns) == 1, results
        assert len(gateway.charged) == 1
        with Session(get_engine(url)) as s:
            row = s.get(Appointment, appointment_id)
            assert (row.status, row.payment_status) == ("confirmed", "Success")
            assert row.transaction_id in txns
            payments = s.exec(select(Payment).where(Payment.appointment_id == appointment_id))
            assert [(p.status, p.transaction_id) for p in payments] == [
                (PaymentStatus.SUCCESS, row.transaction_id)
            ]
