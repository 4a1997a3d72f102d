"""How many statements booking, paying and the booking calendar run, on SQLite and on
PostgreSQL: counted with a listener, so robust where timings are not. The cost of a booking
is mostly per statement (the ORM and the round trip), and none of these numbers may grow
with the number of appointments (``bench/booking_floor.py`` times them from 1k to 10M)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlmodel import Session

from healthcareplus.core.models import Appointment, AuditEvent, Notification
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.notifications.reminders import HOLD_NUDGE
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.scheduling import tallies
from healthcareplus.domain.scheduling.availability import calendar
from tests.factories import IST, create_appointment, create_doctor, create_patient, local
from tests.gateways import ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")
UPI = {"upi_vpa": "asha@okaxis"}

# book: the patient with the doctor and the day's blocks; the slot's surroundings; the
# INSERT; its audit entry; its hold nudge. Its commit adds the counters' one upsert.
BOOK_STATEMENTS = 5
CALENDAR_STATEMENTS = 2  # the doctor with the weekly blocks; time off and appointments


@pytest.fixture
def db(either_db: Session) -> Session:
    return either_db


@contextmanager
def statements(db: Session) -> Iterator[list[str]]:
    """The SQL statements the session's engine runs inside the block."""
    seen: list[str] = []
    engine = db.get_bind()

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _book(db: Session, patient_id: int, doctor_id: int, start=SLOT) -> Appointment:  # type: ignore[no-untyped-def]
    return book(
        db, patient_id=patient_id, doctor_id=doctor_id, start_at=start, reason="Fever", now=NOW
    )


def test_book_runs_five_statements_and_its_commit_one(db: Session) -> None:
    doctor, patient = create_doctor(db), create_patient(db)
    db.expunge_all()  # nothing for the identity map to answer
    with statements(db) as during:
        held = _book(db, patient.id, doctor.id)
    with statements(db) as committing:
        db.commit()
    assert len(during) == BOOK_STATEMENTS, during
    assert len(committing) == 1  # the counters
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 1
    nudge = db.scalars(select(Notification).where(Notification.appointment_id == held.id)).one()
    assert nudge.event == HOLD_NUDGE
    db.expire_all()
    assert tallies.check(db).ok


def test_book_returns_the_row_as_stored(db: Session) -> None:
    doctor, patient = create_doctor(db, fee_paise=61_000), create_patient(db)
    held = _book(db, patient.id, doctor.id)
    db.commit()
    as_returned = {c: getattr(held, c) for c in Appointment.model_fields}
    db.expire_all()
    stored = db.get(Appointment, held.id)
    assert stored is held  # the same object, in the session
    assert {c: getattr(stored, c) for c in Appointment.model_fields} == as_returned


def test_book_over_a_lapsed_hold_expires_it_first(db: Session) -> None:
    doctor, patient = create_doctor(db), create_patient(db)
    lapsed = create_appointment(
        db,
        doctor=doctor,
        start_at=SLOT,
        status="pending_payment",
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    db.expunge_all()
    with statements(db) as during:
        held = _book(db, patient.id, doctor.id)
    db.commit()
    # The expiry: its UPDATE and its audit entry.
    assert len(during) == BOOK_STATEMENTS + 2, during
    assert db.get(Appointment, lapsed.id).status == "expired"
    assert held.status == "pending_payment"
    db.expire_all()
    assert tallies.check(db).ok


def test_book_and_pay_statements(db: Session) -> None:
    doctor, patient = create_doctor(db), create_patient(db)
    held = _book(db, patient.id, doctor.id)
    db.commit()
    db.expunge_all()
    with statements(db) as paying:
        outcome = pay(
            db,
            appointment_id=held.id,
            patient_id=patient.id,
            method="upi",
            form=UPI,
            gateway=ScriptedGateway([True]),
            now=NOW + timedelta(minutes=1),
        )
        db.commit()
    assert outcome.success
    # Checkout's own: the patient with the booking; the claim; the attempt; then the
    # attempt with everything the messages name; the transaction id; the attempt settled;
    # and the counters at each of the two commits. The lifecycle's confirmation: its
    # UPDATE and audit entry, then its news: the notices' count, their one INSERT and the
    # pending row from which the job worker writes the email, texts and reminders.
    kinds = [" ".join(sql.split()[:3]) for sql in paying]
    assert len(paying) == 13, kinds
    assert kinds[-5:-2] == [
        "SELECT count(*) FILTER",
        "INSERT INTO notifications",
        "INSERT INTO pending_news",
    ]


def test_calendar_statements_do_not_grow_with_appointments(db: Session) -> None:
    few = create_doctor(db, schedule=[(d, "08:00", "20:00", 15) for d in range(7)])
    many = create_doctor(db, schedule=[(d, "08:00", "20:00", 15) for d in range(7)])
    patient = create_patient(db)
    for i in range(200):  # four busy days, and as many in the past
        for offset in (timedelta(0), timedelta(days=-30)):
            start = local(MONDAY + timedelta(days=i // 48) + offset, "08:00")
            start += timedelta(minutes=15 * (i % 48))
            create_appointment(db, doctor=many, patient=patient, start_at=start, commit=False)
    db.commit()
    now = local(MONDAY, "07:00")
    counts = []
    for doctor in (few, many):
        db.expunge_all()
        with statements(db) as seen:
            days = calendar(db, doctor_id=doctor.id, now=now, zone=IST)
        counts.append(len(seen))
        assert len(days) == 30
    assert counts == [CALENDAR_STATEMENTS, CALENDAR_STATEMENTS]
    assert sum(d.taken for d in days) == 200
