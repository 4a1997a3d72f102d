"""Admin actions on one appointment: cancel, no-show, refund, mark paid, and their refusals.

Bookings are made through the real booking and payment services with an injected clock
(Friday), and the admin acts on Monday before or after the 10:00 visit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    Payment,
    Role,
    User,
)
from healthcareplus.domain.admin.actions import (
    CANCEL_INSTEAD,
    NOT_ADMIN,
    cancel_appointment,
    mark_no_show,
    mark_paid,
    process_refund,
)
from healthcareplus.domain.scheduling import lifecycle
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
BEFORE = local(MONDAY, "08:00")  # the visit is still ahead
AFTER = local(MONDAY, "12:00")  # the visit's start has passed
FEE = 80_000


@pytest.fixture
def doctor(session: Session) -> Doctor:
    return create_doctor(session, name="Dr. Meera Rao", fee_paise=FEE)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Ana Admin")


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    found = session.get(Appointment, appointment_id)
    assert found is not None
    return found


def payments_of(session: Session, appointment_id: str) -> list[tuple[str, str, int, str | None]]:
    rows = session.exec(
        select(Payment).where(Payment.appointment_id == appointment_id).order_by(col(Payment.id))
    )
    return [(p.method, p.status, p.amount_paise, p.transaction_id) for p in rows]


def audit_of(session: Session, appointment_id: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.appointment_id == appointment_id)
    return list(session.exec(query.order_by(col(AuditEvent.id))))


def snapshot(session: Session) -> dict[str, list[dict[str, Any]]]:
    session.expire_all()
    return {
        table.__name__: [r.model_dump() for r in session.exec(select(table).order_by(table.id))]
        for table in (Appointment, Payment, AuditEvent)
    }


def clinic_booking(session: Session, doctor: Doctor, start=VISIT) -> Appointment:
    return create_booking(
        session, doctor=doctor, start_at=start, now=BOOKED, method="pay_at_clinic"
    )


def paid_booking(session: Session, doctor: Doctor, start=VISIT) -> Appointment:
    return create_booking(session, doctor=doctor, start_at=start, now=BOOKED, method="upi")


# --- mark paid -------------------------------------------------------------------------------


def test_mark_paid_settles_a_pay_at_clinic_booking(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    assert (booking.status, booking.payment_status) == ("confirmed", "Pending")

    result = mark_paid(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)

    row = fresh(session, booking.id)
    assert (row.status, row.payment_status, row.paid_at) == ("confirmed", "Success", AFTER)
    assert row.transaction_id and row.transaction_id.startswith("HCP-20261123-")
    assert result.transaction_id == row.transaction_id
    assert (result.action, result.payment_status) == ("marked_paid", "Success")
    assert result.message == f"Marked paid ({row.transaction_id})."
    # The ledger keeps the Pay-at-Clinic choice and adds the money received.
    assert payments_of(session, booking.id) == [
        ("pay_at_clinic", "Pending", FEE, None),
        ("pay_at_clinic", "Success", FEE, row.transaction_id),
    ]
    event = audit_of(session, booking.id)[-1]
    assert (event.action, event.actor_user_id, event.actor_role, event.at) == (
        "marked_paid",
        admin.id,
        "admin",
        AFTER,
    )
    assert event.entity == "payment"
    assert event.detail == {"transaction_id": row.transaction_id, "amount": FEE}


def test_mark_paid_works_on_a_completed_visit(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    booking.status = AppointmentStatus.COMPLETED
    session.add(booking)
    session.commit()
    mark_paid(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("completed", "Success")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("upi", "Only Pay-at-Clinic bookings can be marked paid."),
        ("held", "Only Pay-at-Clinic bookings can be marked paid."),
        ("already_paid", "This booking is not awaiting payment."),
        ("cancelled", "Only confirmed or completed visits can be marked paid."),
        ("no_show", "Only confirmed or completed visits can be marked paid."),
    ],
)
def test_mark_paid_refusals_change_nothing(session, doctor, admin, setup, message):
    if setup == "upi":
        booking = paid_booking(session, doctor)
    elif setup == "held":
        booking = create_booking(session, doctor=doctor, start_at=VISIT, now=BOOKED, method=None)
    else:
        booking = clinic_booking(session, doctor)
        if setup == "already_paid":
            mark_paid(session, appointment_id=booking.id, admin_id=admin.id, now=BEFORE)
        elif setup == "cancelled":
            cancel_appointment(
                session, appointment_id=booking.id, admin_id=admin.id, reason="Clash", now=BEFORE
            )
        else:
            mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    before = snapshot(session)
    with pytest.raises(Conflict, match=message):
        mark_paid(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    assert snapshot(session) == before


# --- no-show ---------------------------------------------------------------------------------


def test_mark_no_show_after_the_start(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    result = mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    row = fresh(session, booking.id)
    assert (row.status, row.no_show_at, row.payment_status) == ("no_show", AFTER, "Pending")
    assert (result.status, result.message) == ("no_show", "Marked as a no-show.")
    event = audit_of(session, booking.id)[-1]
    assert (event.action, event.actor_user_id, event.actor_role) == ("no_show", admin.id, "admin")
    assert event.detail == {"start_at": VISIT.isoformat()}


def test_no_show_is_allowed_exactly_at_the_start(session, doctor, admin):
    booking = paid_booking(session, doctor)
    mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=VISIT)
    assert fresh(session, booking.id).status == "no_show"


@pytest.mark.parametrize(
    ("setup", "now", "message"),
    [
        ("confirmed", BEFORE, "has not started yet, so it cannot be marked as a no-show."),
        ("held", BOOKED + timedelta(minutes=1), "A booking awaiting payment cannot be marked"),
        ("no_show", AFTER, "A no-show cannot be marked as a no-show."),
        ("cancelled", AFTER, "A cancelled appointment cannot be marked as a no-show."),
    ],
)
def test_no_show_refusals_change_nothing(session, doctor, admin, setup, now, message):
    method = None if setup == "held" else "upi"
    booking = create_booking(session, doctor=doctor, start_at=VISIT, now=BOOKED, method=method)
    if setup == "no_show":
        mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    elif setup == "cancelled":
        cancel_appointment(
            session, appointment_id=booking.id, admin_id=admin.id, reason="Clash", now=BEFORE
        )
    before = snapshot(session)
    with pytest.raises(Conflict, match=message):
        mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=now)
    assert snapshot(session) == before


# --- refund ----------------------------------------------------------------------------------


def test_refund_of_a_past_paid_visit_keeps_its_status(session, doctor, admin):
    booking = paid_booking(session, doctor)
    txn = booking.transaction_id
    result = process_refund(
        session,
        appointment_id=booking.id,
        admin_id=admin.id,
        reason="  Doctor  arrived late ",
        now=AFTER,
    )
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status, row.refunded_at) == ("confirmed", "Refunded", AFTER)
    assert (result.action, result.message) == ("refunded", "Refunded ₹800 to the patient.")
    assert payments_of(session, booking.id) == [
        ("upi", "Success", FEE, txn),
        ("upi", "Refunded", FEE, None),
    ]
    event = audit_of(session, booking.id)[-1]
    assert (event.action, event.actor_user_id, event.actor_role, event.reason) == (
        "refunded",
        admin.id,
        "admin",
        "Doctor arrived late",
    )
    assert event.detail == {"amount": FEE, "transaction_id": txn}


def test_refund_after_mark_paid_goes_back_to_the_clinic_payment(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    mark_paid(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    process_refund(
        session, appointment_id=booking.id, admin_id=admin.id, reason="Goodwill", now=AFTER
    )
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("no_show", "Refunded")
    assert [p[:2] for p in payments_of(session, booking.id)] == [
        ("pay_at_clinic", "Pending"),
        ("pay_at_clinic", "Success"),
        ("pay_at_clinic", "Refunded"),
    ]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("unpaid", "Only successful payments can be refunded."),
        ("refunded", "Only successful payments can be refunded."),
        ("future", CANCEL_INSTEAD),
    ],
)
def test_refund_refusals_change_nothing(session, doctor, admin, setup, message):
    booking = (
        clinic_booking(session, doctor) if setup == "unpaid" else paid_booking(session, doctor)
    )
    if setup == "refunded":
        process_refund(
            session, appointment_id=booking.id, admin_id=admin.id, reason="First", now=AFTER
        )
    before = snapshot(session)
    now = BEFORE if setup == "future" else AFTER
    with pytest.raises(Conflict, match=message):
        process_refund(
            session, appointment_id=booking.id, admin_id=admin.id, reason="Again", now=now
        )
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Please give a reason for the refund."),
        ("   ", "Please give a reason for the refund."),
        ("ok", "Describe the reason in at least 3 characters."),
        ("x" * 501, "Keep the reason under 500 characters."),
        (None, "Please give a reason for the refund."),
    ],
)
def test_refund_needs_a_reason(session, doctor, admin, reason, message):
    booking = paid_booking(session, doctor)
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as error:
        process_refund(
            session, appointment_id=booking.id, admin_id=admin.id, reason=reason, now=AFTER
        )
    assert error.value.fields == {"reason": message}
    assert snapshot(session) == before


# --- cancel ----------------------------------------------------------------------------------


def test_cancel_a_paid_future_visit_refunds_and_records_one_admin_entry(session, doctor, admin):
    booking = paid_booking(session, doctor)
    result = cancel_appointment(
        session,
        appointment_id=booking.id,
        admin_id=admin.id,
        reason="Doctor on emergency duty",
        now=BEFORE,
    )
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("cancelled", "Refunded")
    assert (row.cancelled_at, row.cancelled_by_user_id, row.cancel_reason) == (
        BEFORE,
        admin.id,
        "Doctor on emergency duty",
    )
    assert result.message == "Appointment cancelled. ₹800 refunded to the patient."
    assert [p[1] for p in payments_of(session, booking.id)] == ["Success", "Refunded"]
    events = audit_of(session, booking.id)
    assert [e.action for e in events] == [
        "booked",
        "payment_succeeded",
        "refunded",
        "admin_cancelled",
    ]
    cancelled = events[-1]
    assert (cancelled.actor_user_id, cancelled.actor_role, cancelled.reason, cancelled.at) == (
        admin.id,
        "admin",
        "Doctor on emergency duty",
        BEFORE,
    )
    assert cancelled.detail == {"from_status": "confirmed", "refunded": True}


def test_cancel_frees_the_slot_and_a_held_booking_can_be_cancelled(session, doctor, admin):
    held = create_booking(session, doctor=doctor, start_at=VISIT, now=BOOKED, method=None)
    result = cancel_appointment(
        session,
        appointment_id=held.id,
        admin_id=admin.id,
        reason="Duplicate booking",
        now=BOOKED + timedelta(minutes=2),
    )
    assert (result.status, result.payment_status) == ("cancelled", "Pending")
    assert result.message == "Appointment cancelled."
    # The slot can be booked again.
    again = create_booking(
        session, doctor=doctor, start_at=VISIT, now=BOOKED + timedelta(minutes=3)
    )
    assert again.status == "confirmed"


def test_admin_may_cancel_a_visit_that_already_started(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    cancel_appointment(
        session, appointment_id=booking.id, admin_id=admin.id, reason="Entered in error", now=AFTER
    )
    assert fresh(session, booking.id).status == "cancelled"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("cancelled", "A cancelled appointment cannot be cancelled."),
        ("completed", "A completed appointment cannot be cancelled."),
        ("no_show", "A no-show cannot be cancelled."),
        ("expired_hold", "payment hold has expired"),
    ],
)
def test_cancel_refusals_change_nothing(session, doctor, admin, setup, message):
    if setup == "expired_hold":
        booking = create_booking(session, doctor=doctor, start_at=VISIT, now=BOOKED, method=None)
    else:
        booking = paid_booking(session, doctor)
    if setup == "cancelled":
        cancel_appointment(
            session, appointment_id=booking.id, admin_id=admin.id, reason="First", now=BEFORE
        )
    elif setup == "completed":
        booking.status = AppointmentStatus.COMPLETED
        session.add(booking)
        session.commit()
    elif setup == "no_show":
        mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    before = snapshot(session)
    with pytest.raises(Conflict, match=message):
        cancel_appointment(
            session, appointment_id=booking.id, admin_id=admin.id, reason="Again", now=AFTER
        )
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Please give a reason for the cancellation."),
        ("no", "Describe the reason in at least 3 characters."),
        ("y" * 501, "Keep the reason under 500 characters."),
        ({"reason": "x"}, "Please give a reason for the cancellation."),
    ],
)
def test_cancel_needs_a_reason(session, doctor, admin, reason, message):
    booking = paid_booking(session, doctor)
    before = snapshot(session)
    with pytest.raises(ValidationFailed) as error:
        cancel_appointment(
            session, appointment_id=booking.id, admin_id=admin.id, reason=reason, now=BEFORE
        )
    assert error.value.fields == {"reason": message}
    assert snapshot(session) == before


def test_a_500_character_reason_is_accepted(session, doctor, admin):
    booking = paid_booking(session, doctor)
    cancel_appointment(
        session, appointment_id=booking.id, admin_id=admin.id, reason="r" * 500, now=BEFORE
    )
    assert fresh(session, booking.id).cancel_reason == "r" * 500


# --- who may act, on what --------------------------------------------------------------------

ACTIONS: dict[str, Callable[..., Any]] = {
    "cancel": lambda s, **kw: cancel_appointment(s, reason="Because", now=BEFORE, **kw),
    "no_show": lambda s, **kw: mark_no_show(s, now=AFTER, **kw),
    "refund": lambda s, **kw: process_refund(s, reason="Because", now=AFTER, **kw),
    "mark_paid": lambda s, **kw: mark_paid(s, now=AFTER, **kw),
}


def _actor(session: Session, who: str, doctor: Doctor) -> object:
    if who == "patient":
        return create_patient(session).id
    if who == "doctor":
        return link_doctor_user(session, doctor).id
    if who in ("inactive_admin", "blocked_admin"):
        user = create_user(session, role=Role.ADMIN)
        user.is_active = who != "inactive_admin"
        user.is_blocked = who == "blocked_admin"
        session.add(user)
        session.commit()
        return user.id
    return {"unknown": 999_999, "text": "1", "none": None, "bool": True}[who]


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    "who",
    ["patient", "doctor", "inactive_admin", "blocked_admin", "unknown", "text", "none", "bool"],
)
def test_only_an_active_admin_may_act(session, doctor, action, who):
    booking = clinic_booking(session, doctor)
    if action == "refund":
        booking = paid_booking(session, doctor, start=local(MONDAY, "11:00"))
    actor = _actor(session, who, doctor)
    before = snapshot(session)
    with pytest.raises(Forbidden, match=NOT_ADMIN):
        ACTIONS[action](session, appointment_id=booking.id, admin_id=actor)
    assert snapshot(session) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    "appointment_id",
    ["00000000-0000-4000-8000-000000000000", "", "x' OR 1=1 --", "a" * 10_000, 42, None],
)
def test_unknown_or_malformed_appointment_is_not_found(
    session, doctor, admin, action, appointment_id
):
    clinic_booking(session, doctor)
    before = snapshot(session)
    with pytest.raises(NotFound, match="Appointment not found."):
        ACTIONS[action](session, appointment_id=appointment_id, admin_id=admin.id)
    assert snapshot(session) == before


def test_an_uppercase_id_finds_the_appointment(session, doctor, admin):
    booking = clinic_booking(session, doctor)
    mark_paid(session, appointment_id=booking.id.upper(), admin_id=admin.id, now=AFTER)
    assert fresh(session, booking.id).payment_status == "Success"


def test_a_lost_race_is_a_conflict_not_a_double_change(session, doctor, admin, db_url, monkeypatch):
    """Another admin marks the visit a no-show between this one's read and write."""
    booking = paid_booking(session, doctor)
    session.commit()
    real_refusal = lifecycle.refusal
    interfered: list[str] = []

    def refusal_then_interfere(transition, appointment: Appointment, *, role, now):
        refused = real_refusal(transition, appointment, role=role, now=now)
        if not interfered:
            interfered.append(appointment.id)
            with Session(get_engine(db_url)) as other:
                mark_no_show(other, appointment_id=appointment.id, admin_id=admin.id, now=now)
                other.commit()
        return refused

    monkeypatch.setattr(lifecycle, "refusal", refusal_then_interfere)
    with pytest.raises(Conflict, match="just changed"):
        mark_no_show(session, appointment_id=booking.id, admin_id=admin.id, now=AFTER)
    assert interfered == [booking.id]
    no_shows = [e for e in audit_of(session, booking.id) if e.action == "no_show"]
    assert len(no_shows) == 1


def test_every_action_on_postgresql(pg_url):
    """The same flow on PostgreSQL: mark paid, refund, no-show and cancel."""
    with Session(get_engine(pg_url), expire_on_commit=False) as db:
        doctor = create_doctor(db, fee_paise=FEE)
        admin = create_user(db, role=Role.ADMIN)
        clinic = clinic_booking(db, doctor)
        paid = paid_booking(db, doctor, start=local(MONDAY, "11:00"))
        future = paid_booking(db, doctor, start=local(MONDAY, "12:30"))
        mark_paid(db, appointment_id=clinic.id, admin_id=admin.id, now=AFTER)
        mark_no_show(db, appointment_id=clinic.id, admin_id=admin.id, now=AFTER)
        process_refund(db, appointment_id=paid.id, admin_id=admin.id, reason="Late", now=AFTER)
        cancel_appointment(db, appointment_id=future.id, admin_id=admin.id, reason="Ill", now=AFTER)
        db.expire_all()
        got = {a.id: (a.status, a.payment_status) for a in db.exec(select(Appointment))}
        assert got == {
            clinic.id: ("no_show", "Success"),
            paid.id: ("confirmed", "Refunded"),
            future.id: ("cancelled", "Refunded"),
        }
        admin_actions_written = db.exec(
            select(AuditEvent.action)
            .where(AuditEvent.actor_user_id == admin.id)
            .order_by(col(AuditEvent.id))
        ).all()
        assert admin_actions_written == [
            "marked_paid",
            "no_show",
            "refunded",
            "refunded",
            "admin_cancelled",
        ]
