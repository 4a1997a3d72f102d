"""The appointment counters stay equal to a full recount through every kind of change
(booking, payments that succeed, fail or stay unanswered, Pay at Clinic, cancellations
with refunds, reschedules across days, visits closed, holds expiring), on SQLite and on
PostgreSQL; rolled-back work counts nothing; rebuild and check find what drifted."""

from __future__ import annotations

import threading
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from healthcareplus.cli import main as cli
from healthcareplus.core.db import get_engine
from healthcareplus.core.models import Appointment, AppointmentTally, Doctor, User
from healthcareplus.core.tally_models import ALL_DAYS, EVERY, Grain
from healthcareplus.domain.admin import actions
from healthcareplus.domain.booking.appointments import book, cancel, reschedule
from healthcareplus.domain.clinical.visit_closing import mark_completed
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.payments.reconciliation import reconcile_attempt
from healthcareplus.domain.scheduling import lifecycle, tallies
from tests.factories import (
    add_schedule,
    create_booking,
    create_doctor,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)
from tests.gateways import BlockingGateway, ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")


def counted(db: Session, grain: Grain, **where: object) -> dict[tuple[str, str, str], int]:
    """The bookings counted in ``grain`` per (status, payment status, method), non-zero."""
    t = AppointmentTally
    query = select(t.status, t.payment_status, t.payment_method, t.bookings).where(
        t.grain == grain, *(getattr(t, k) == v for k, v in where.items())
    )
    return {(s, p, m): n for s, p, m, n in db.execute(query) if n}


def assert_exact(db: Session) -> None:
    db.expire_all()
    result = tallies.check(db)
    assert result.ok, result.differences


@pytest.fixture
def db(either_db: Session) -> Session:
    return either_db


def test_every_change_keeps_the_counters_exact(db: Session) -> None:
    doctor = create_doctor(db, fee_paise=50_000)
    doctor_user = link_doctor_user(db, doctor)
    admin = create_user(db)
    asha, ravi = create_patient(db), create_patient(db)

    held = book(
        db,
        patient_id=asha.id,
        doctor_id=doctor.id,
        start_at=local(MONDAY, "10:00"),
        reason="Fever",
        now=NOW,
    )
    db.commit()
    assert_exact(db)
    assert counted(db, Grain.TOTAL) == {("pending_payment", "Pending", ""): 1}

    declined = pay(
        db,
        appointment_id=held.id,
        patient_id=asha.id,
        method="upi",
        form={"upi_vpa": "asha@okaxis"},
        gateway=ScriptedGateway([False]),
        now=NOW,
    )
    db.commit()
    assert not declined.success
    assert_exact(db)
    assert counted(db, Grain.TOTAL) == {("pending_payment", "Failed", "upi"): 1}

    pay(
        db,
        appointment_id=held.id,
        patient_id=asha.id,
        method="upi",
        form={"upi_vpa": "asha@okaxis"},
        gateway=ScriptedGateway([True]),
        now=NOW,
    )
    db.commit()
    assert_exact(db)
    assert counted(db, Grain.TOTAL) == {("confirmed", "Success", "upi"): 1}

    # Moved to the next day: the per-day counters follow, the all-time ones stay.
    moved = reschedule(
        db,
        appointment_id=held.id,
        patient_id=asha.id,
        new_start_at=local(MONDAY + timedelta(days=1), "11:00"),
        now=NOW,
    )
    db.commit()
    assert_exact(db)
    assert counted(db, Grain.DAY, day=MONDAY) == {}
    assert counted(db, Grain.DAY, day=MONDAY + timedelta(days=1)) == {
        ("confirmed", "Success", "upi"): 1
    }

    cancel(
        db,
        appointment_id=moved.id,
        actor_id=asha.id,
        actor_role="patient",
        reason="Travelling",
        now=NOW,
    )
    db.commit()
    assert_exact(db)
    assert counted(db, Grain.DOCTOR, doctor_id=doctor.id) == {("cancelled", "Refunded", "upi"): 1}

    at_clinic = create_booking(
        db,
        doctor=doctor,
        patient=ravi,
        start_at=local(MONDAY, "10:30"),
        now=NOW,
        method="pay_at_clinic",
    )
    assert_exact(db)
    later = local(MONDAY, "11:00")
    mark_completed(
        db, doctor_id=doctor.id, appointment_id=at_clinic.id, actor_id=doctor_user.id, now=later
    )
    db.commit()
    actions.mark_paid(db, appointment_id=at_clinic.id, admin_id=admin.id, now=later)
    db.commit()
    assert_exact(db)
    assert counted(db, Grain.HOSPITAL, hospital_id=doctor.hospital_id) == {
        ("cancelled", "Refunded", "upi"): 1,
        ("completed", "Success", "pay_at_clinic"): 1,
    }
    fees = db.execute(
        select(AppointmentTally.fee_paise).where(
            AppointmentTally.grain == Grain.TOTAL,
            AppointmentTally.status == "completed",
            AppointmentTally.bookings > 0,
        )
    ).scalar_one()
    assert fees == 50_000


def test_expired_holds_and_unanswered_payments_are_counted(db: Session) -> None:
    doctor = create_doctor(db)
    patient = create_patient(db)
    lapsing = create_booking(
        db, doctor=doctor, patient=patient, start_at=local(MONDAY, "10:00"), now=NOW, method=None
    )
    stuck = book(
        db,
        patient_id=create_patient(db).id,
        doctor_id=doctor.id,
        start_at=local(MONDAY, "11:00"),
        reason="Cough",
        now=NOW,
    )
    db.commit()
    gateway = BlockingGateway()
    unanswered = pay(
        db,
        appointment_id=stuck.id,
        patient_id=stuck.patient_id,
        method="upi",
        form={"upi_vpa": "ravi@okicici"},
        gateway=gateway,
        now=NOW,
        timeout=0.01,
    )
    db.commit()
    assert unanswered.pending
    assert_exact(db)
    assert counted(db, Grain.TOTAL)[("pending_payment", lifecycle.PROCESSING, "")] == 1

    key = db.get(Appointment, stuck.id).payment_attempt_key
    reconcile_attempt(db, key=key, gateway=gateway, now=NOW + timedelta(minutes=5))
    db.commit()
    assert_exact(db)

    assert lifecycle.expire_lapsed_holds(db, now=NOW + timedelta(hours=1)) == 2
    db.commit()
    assert_exact(db)
    assert lapsing.id != stuck.id
    assert set(counted(db, Grain.TOTAL)) == {
        ("expired", "Pending", ""),
        ("expired", "Failed", ""),
    }
    gateway.release()


def test_a_rolled_back_change_counts_nothing(db: Session) -> None:
    doctor = create_doctor(db)
    book(
        db,
        patient_id=create_patient(db).id,
        doctor_id=doctor.id,
        start_at=local(MONDAY, "10:00"),
        reason="Fever",
        now=NOW,
    )
    db.rollback()
    db.commit()  # an empty commit after the rollback writes nothing either
    assert db.execute(select(func.count()).select_from(AppointmentTally)).scalar_one() == 0
    assert_exact(db)


def test_an_appointment_counts_on_its_clinic_day_not_its_utc_day(db: Session) -> None:
    doctor = create_doctor(db)
    add_schedule(db, doctor, [(MONDAY.weekday(), "00:00", "02:00", 15)])
    early = local(MONDAY, "00:15")  # Sunday 18:45 in UTC
    assert early.astimezone(UTC).date() == MONDAY - timedelta(days=1)
    create_booking(db, doctor=doctor, start_at=early, now=NOW)
    assert counted(db, Grain.DAY, day=MONDAY) == {("confirmed", "Success", "upi"): 1}
    assert counted(db, Grain.DAY, day=MONDAY - timedelta(days=1)) == {}
    tallies.rebuild(db)
    assert counted(db, Grain.DAY, day=MONDAY) == {("confirmed", "Success", "upi"): 1}
    assert_exact(db)


def test_rebuild_and_check_find_and_mend_a_drift(
    db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    doctor = create_doctor(db)
    for hhmm in ("10:00", "10:30", "11:00"):
        create_booking(db, doctor=doctor, start_at=local(MONDAY, hhmm), now=NOW)
    db.execute(
        update(AppointmentTally)
        .where(AppointmentTally.grain == Grain.TOTAL, AppointmentTally.status == "confirmed")
        .values(bookings=AppointmentTally.bookings + 1)
    )
    db.commit()
    result = tallies.check(db)
    assert not result.ok and result.appointments == 3
    fee = doctor.fee_paise
    assert result.differences == [
        f"grain 6, doctor {EVERY}, hospital {EVERY}, {ALL_DAYS}, confirmed/Success/upi: "
        f"[4, {3 * fee}] counted, [3, {3 * fee}] found"
    ]
    assert cli(["counters", "check"]) == 1
    assert "Counters differ" in capsys.readouterr().out
    assert cli(["counters", "rebuild"]) == 0
    assert cli(["counters", "check"]) == 0
    assert "match a full recount: 3 appointments" in capsys.readouterr().out
    assert_exact(db)


@pytest.mark.postgres
def test_concurrent_bookings_count_every_one_without_deadlock(pg_url: str) -> None:
    """Twelve patients book, pay and some cancel at once: every transaction upserts the
    same all-time rows, in key order, so none deadlocks and none is lost."""
    engine = get_engine(pg_url)
    with Session(engine) as setup:
        doctor = create_doctor(setup)
        patients = [create_patient(setup).id for _ in range(12)]
        doctor_id = doctor.id
    errors: list[BaseException] = []
    start = threading.Barrier(len(patients))

    def journey(n: int, patient_id: int) -> None:
        try:
            with Session(engine) as db:
                start.wait()
                slot = local(MONDAY, "09:00") + timedelta(minutes=15 * n)
                made = create_booking(
                    db,
                    doctor=db.get_one(Doctor, doctor_id),
                    patient=db.get_one(User, patient_id),
                    start_at=slot,
                    now=NOW,
                )
                if n % 3 == 0:
                    cancel(
                        db,
                        appointment_id=made.id,
                        actor_id=patient_id,
                        actor_role="patient",
                        reason="Away",
                        now=NOW,
                    )
                    db.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=journey, args=(n, p)) for n, p in enumerate(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with Session(engine) as db:
        assert_exact(db)
        assert counted(db, Grain.TOTAL) == {
            ("confirmed", "Success", "upi"): 8,
            ("cancelled", "Refunded", "upi"): 4,
        }
