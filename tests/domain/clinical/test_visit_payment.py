"""The doctor records a Pay-at-Clinic fee paid at the visit: only on his own visit, only a
Pay-at-Clinic fee still pending, only a confirmed or completed visit; the same ledger
row, audit entry and counters as the admin's "mark paid", and a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.errors import Conflict, Forbidden, NotFound
from healthcareplus.core.models import (
    Appointment,
    AppointmentTally,
    AuditEvent,
    Doctor,
    Payment,
    Role,
    User,
)
from healthcareplus.core.tally_models import Grain
from healthcareplus.domain.admin.actions import mark_paid
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.clinical import doctor_day as portal
from healthcareplus.domain.payments import clinic_payment
from healthcareplus.domain.scheduling import tallies
from tests.factories import (
    create_booking,
    create_doctor,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
BOOKED = local(FRIDAY, "09:00")
VISIT = local(MONDAY, "10:00")
BEFORE = local(MONDAY, "08:00")
AFTER = local(MONDAY, "10:30")
FEE = 60_000


@pytest.fixture
def doctor(session: Session) -> Doctor:
    return create_doctor(session, name="Dr. Nithya Subramanian", fee_paise=FEE)


@pytest.fixture
def user(session: Session, doctor: Doctor) -> User:
    return link_doctor_user(session, doctor)


def booking(session: Session, doctor: Doctor, method: str | None = "pay_at_clinic", start=VISIT):
    return create_booking(session, doctor=doctor, start_at=start, now=BOOKED, method=method)


def record(session: Session, doctor: Doctor, user: User, appointment_id: Any, now=AFTER):
    return portal.record_clinic_payment(
        session, doctor_id=doctor.id, appointment_id=appointment_id, actor_id=user.id, now=now
    )


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    found = session.get(Appointment, appointment_id)
    assert found is not None
    return found


def snapshot(session: Session) -> dict[str, list[dict[str, Any]]]:
    session.expire_all()
    return {
        table.__name__: [r.model_dump() for r in session.exec(select(table).order_by(table.id))]
        for table in (Appointment, Payment, AuditEvent, AppointmentTally)
    }


def counted(session: Session) -> dict[tuple[str, str, str], int]:
    t = AppointmentTally
    query = select(t.status, t.payment_status, t.payment_method, t.bookings).where(
        t.grain == Grain.TOTAL
    )
    return {(s, p, m): n for s, p, m, n in session.execute(query) if n}


def complete(session: Session, doctor: Doctor, user: User, appointment_id: str) -> None:
    portal.mark_completed(
        session, doctor_id=doctor.id, appointment_id=appointment_id, actor_id=user.id, now=AFTER
    )
    session.commit()


def test_the_doctor_records_the_fee_of_his_completed_visit(session, doctor, user) -> None:
    visit = booking(session, doctor)
    complete(session, doctor, user, visit.id)
    assert portal.visit(
        session, doctor_id=doctor.id, appointment_id=visit.id, now=AFTER
    ).can_record_payment

    outcome = record(session, doctor, user, visit.id)
    session.commit()

    row = fresh(session, visit.id)
    assert (row.status, row.payment_status, row.paid_at) == ("completed", "Success", AFTER)
    assert row.transaction_id and row.transaction_id.startswith("HCP-20261123-")
    assert (outcome.appointment_id, outcome.status) == (visit.id, "completed")
    assert outcome.message == f"Payment recorded: ₹600 paid at the clinic ({row.transaction_id})."
    payments = session.exec(
        select(Payment).where(Payment.appointment_id == visit.id).order_by(col(Payment.id))
    ).all()
    assert [(p.method, p.status, p.amount_paise, p.transaction_id) for p in payments] == [
        ("pay_at_clinic", "Pending", FEE, None),
        ("pay_at_clinic", "Success", FEE, row.transaction_id),
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "marked_paid")).one()
    assert (event.appointment_id, event.actor_user_id, event.actor_role, event.at) == (
        visit.id,
        user.id,
        "doctor",
        AFTER,
    )
    assert (event.entity, event.detail) == (
        "payment",
        {"transaction_id": row.transaction_id, "amount": FEE},
    )
    # The counters moved with it, exactly.
    session.expire_all()
    assert tallies.check(session).ok
    assert counted(session) == {("completed", "Success", "pay_at_clinic"): 1}
    detail = portal.visit(session, doctor_id=doctor.id, appointment_id=visit.id, now=AFTER)
    assert (detail.payment_status, detail.can_record_payment) == ("Success", False)


def test_a_confirmed_visit_may_be_recorded_before_it_is_closed(session, doctor, user) -> None:
    visit = booking(session, doctor)
    assert portal.visit(
        session, doctor_id=doctor.id, appointment_id=visit.id, now=BEFORE
    ).can_record_payment
    record(session, doctor, user, visit.id, now=BEFORE)
    session.commit()
    assert (fresh(session, visit.id).status, fresh(session, visit.id).payment_status) == (
        "confirmed",
        "Success",
    )
    assert tallies.check(session).ok
    assert counted(session) == {("confirmed", "Success", "pay_at_clinic"): 1}


def _refusal_case(session: Session, doctor: Doctor, user: User, case: str) -> Appointment:
    if case == "upi":
        return booking(session, doctor, method="upi")
    if case == "held":
        return booking(session, doctor, method=None)
    visit = booking(session, doctor)
    if case == "already_paid":
        record(session, doctor, user, visit.id)
    elif case == "cancelled":
        cancel(
            session,
            appointment_id=visit.id,
            actor_id=user.id,
            actor_role=Role.DOCTOR,
            reason="Called away",
            now=BEFORE,
        )
    else:
        portal.mark_no_show(
            session, doctor_id=doctor.id, appointment_id=visit.id, actor_id=user.id, now=AFTER
        )
    session.commit()
    return visit


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("upi", clinic_payment.NOT_CLINIC),
        ("held", clinic_payment.NOT_CLINIC),
        ("already_paid", clinic_payment.NOT_AWAITING),
        ("cancelled", clinic_payment.NOT_A_VISIT),
        ("no_show", clinic_payment.NOT_A_VISIT),
    ],
)
def test_only_a_pending_clinic_fee_of_a_confirmed_or_completed_visit(
    session, doctor, user, case, message
) -> None:
    visit = _refusal_case(session, doctor, user, case)
    assert not portal.visit(
        session, doctor_id=doctor.id, appointment_id=visit.id, now=AFTER
    ).can_record_payment
    before = snapshot(session)
    with pytest.raises(Conflict, match=message):
        record(session, doctor, user, visit.id)
    session.rollback()
    assert snapshot(session) == before
    assert tallies.check(session).ok


@pytest.mark.parametrize(
    "appointment_id",
    ["theirs", "00000000-0000-4000-8000-000000000000", "", "x' OR 1=1 --", "a" * 10_000, 42, None],
)
def test_another_doctors_visit_or_a_crafted_id_is_not_found(
    session, doctor, user, appointment_id
) -> None:
    theirs = booking(session, create_doctor(session))
    booking(session, doctor)  # his own, untouched too
    before = snapshot(session)
    with pytest.raises(NotFound, match="Appointment not found."):
        record(session, doctor, user, theirs.id if appointment_id == "theirs" else appointment_id)
    session.rollback()
    assert snapshot(session) == before


def test_an_uppercase_id_is_the_same_visit(session, doctor, user) -> None:
    visit = booking(session, doctor)
    record(session, doctor, user, visit.id.upper())
    assert fresh(session, visit.id).payment_status == "Success"


@pytest.mark.parametrize("who", ["other_doctor", "patient", "admin", "blocked", "unknown", "text"])
def test_only_the_visits_own_active_doctor_may_record(session, doctor, user, who) -> None:
    visit = booking(session, doctor)
    other = create_doctor(session)
    other_user = link_doctor_user(session, other)
    if who == "blocked":
        user.is_blocked = True
        session.add(user)
        session.commit()
    actor_id = {
        "other_doctor": other_user.id,
        "patient": create_patient(session).id,
        "admin": create_user(session, role=Role.ADMIN).id,
        "unknown": 999_999,
        "text": str(user.id),
    }.get(who, user.id)
    before = snapshot(session)
    with pytest.raises(Forbidden):
        portal.record_clinic_payment(
            session, doctor_id=doctor.id, appointment_id=visit.id, actor_id=actor_id, now=AFTER
        )
    # Claiming to be the visit's doctor while signed in as another one does not work either.
    with pytest.raises(Forbidden):
        portal.record_clinic_payment(
            session, doctor_id=other.id, appointment_id=visit.id, actor_id=user.id, now=AFTER
        )
    session.rollback()
    assert snapshot(session) == before


def test_a_payment_recorded_meanwhile_is_a_conflict_not_a_second_receipt(
    session, doctor, user, db_url, monkeypatch
) -> None:
    """The admin marks the visit paid between the doctor's read and write."""
    visit = booking(session, doctor)
    admin = create_user(session, role=Role.ADMIN)
    real_refusal = clinic_payment.clinic_payment_refusal

    def refusal_then_interfere(appointment: Appointment) -> str:
        refused = real_refusal(appointment)
        monkeypatch.setattr(clinic_payment, "clinic_payment_refusal", real_refusal)
        with Session(get_engine(db_url)) as other:
            mark_paid(other, appointment_id=appointment.id, admin_id=admin.id, now=AFTER)
            other.commit()
        return refused

    monkeypatch.setattr(clinic_payment, "clinic_payment_refusal", refusal_then_interfere)
    with pytest.raises(Conflict, match="just changed"):
        record(session, doctor, user, visit.id)
    session.rollback()
    received = session.exec(
        select(Payment).where(Payment.appointment_id == visit.id, Payment.status == "Success")
    ).all()
    assert len(received) == 1
    assert tallies.check(session).ok
    assert counted(session) == {("confirmed", "Success", "pay_at_clinic"): 1}


def test_the_admins_mark_paid_goes_through_the_same_rule(session, doctor) -> None:
    visit = booking(session, doctor, start=VISIT + timedelta(minutes=15))
    cancel(
        session,
        appointment_id=visit.id,
        actor_id=visit.patient_id,
        actor_role=Role.PATIENT,
        reason="",
        now=BEFORE,
    )
    admin = create_user(session, role=Role.ADMIN)
    with pytest.raises(Conflict, match=clinic_payment.NOT_A_VISIT):
        mark_paid(session, appointment_id=visit.id, admin_id=admin.id, now=AFTER)
