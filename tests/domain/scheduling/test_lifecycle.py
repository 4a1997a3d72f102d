"""The lifecycle's rules: "holds the slot" agrees in SQL and Python on every combination,
the unique slot index covers exactly the statuses that may hold a slot, and the declared
transitions refuse what they must."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    AppointmentStatus,
    PaymentStatus,
    Role,
)
from healthcareplus.domain.scheduling import lifecycle
from tests.factories import create_appointment, create_doctor, create_patient

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
STATUSES = [s.value for s in AppointmentStatus]
PAYMENTS = [*[p.value for p in PaymentStatus], lifecycle.PROCESSING]
HOLDS = [None, NOW - timedelta(minutes=1), NOW, NOW + timedelta(minutes=1)]


def test_the_slot_index_covers_exactly_the_statuses_that_may_hold_a_slot() -> None:
    assert {s.value for s in SLOT_TAKING_STATUSES} == lifecycle.INDEXED_STATUSES
    may_hold = {
        status
        for status, payment, hold in itertools.product(STATUSES, PAYMENTS, HOLDS)
        if lifecycle.holds_slot(
            Appointment(status=status, payment_status=payment, hold_expires_at=hold), NOW
        )
    }
    assert may_hold == lifecycle.INDEXED_STATUSES


def test_holds_slot_in_sql_and_python_agree_on_every_combination(session: Session) -> None:
    doctor, patient = create_doctor(session), create_patient(session)
    cases = list(itertools.product(STATUSES, PAYMENTS, HOLDS))
    ids = {}
    for n, (status, payment, hold) in enumerate(cases):
        # each case on its own slot, inserted as cancelled then set (the index allows it)
        row = create_appointment(
            session,
            doctor=doctor,
            patient=patient,
            start_at=NOW + timedelta(days=1, minutes=15 * n),
            status=AppointmentStatus.CANCELLED,
        )
        session.exec(
            update(Appointment)
            .where(col(Appointment.id) == row.id)
            .values(status=status, payment_status=payment, hold_expires_at=hold)
        )
        ids[row.id] = (status, payment, hold)
    session.flush()
    for now in (NOW - timedelta(minutes=5), NOW, NOW + timedelta(minutes=5)):
        in_sql = set(session.exec(select(Appointment.id).where(lifecycle.holds_slot_clause(now))))
        lapsed_sql = set(session.exec(select(Appointment.id).where(lifecycle.HOLD_LAPSED.sql(now))))
        for appointment_id, (status, payment, hold) in ids.items():
            row = Appointment(status=status, payment_status=payment, hold_expires_at=hold)
            assert (appointment_id in in_sql) == lifecycle.holds_slot(row, now), (
                status,
                payment,
                hold,
                now,
            )
            assert (appointment_id in lapsed_sql) == lifecycle.hold_lapsed(row, now)


@pytest.mark.parametrize(
    ("status", "payment", "hold", "holds"),
    [
        ("confirmed", "Success", None, True),
        ("completed", "Pending", None, True),
        ("no_show", "Refunded", None, True),
        ("cancelled", "Refunded", None, False),
        ("expired", "Failed", NOW - timedelta(minutes=1), False),
        ("pending_payment", "Pending", NOW + timedelta(seconds=1), True),
        ("pending_payment", "Pending", NOW, False),  # the hold ends at its expiry instant
        ("pending_payment", "Failed", NOW - timedelta(minutes=1), False),
        ("pending_payment", lifecycle.PROCESSING, NOW - timedelta(minutes=1), True),
        ("pending_payment", "Pending", None, True),
    ],
)
def test_holds_slot_cases(status: str, payment: str, hold: datetime | None, holds: bool) -> None:
    row = Appointment(status=status, payment_status=payment, hold_expires_at=hold)
    assert lifecycle.holds_slot(row, NOW) is holds


def _row(status: str, *, start: datetime, payment: str = "Success") -> Appointment:
    return Appointment(
        status=status,
        payment_status=payment,
        start_at=start,
        hold_expires_at=NOW + timedelta(minutes=5) if status == "pending_payment" else None,
    )


AHEAD, PAST = NOW + timedelta(hours=2), NOW - timedelta(hours=2)


@pytest.mark.parametrize(
    ("transition", "role", "status", "start", "allowed"),
    [
        (lifecycle.CANCEL, Role.PATIENT, "confirmed", AHEAD, True),
        (lifecycle.CANCEL, Role.PATIENT, "confirmed", PAST, False),
        (lifecycle.CANCEL, Role.DOCTOR, "confirmed", PAST, False),
        (lifecycle.CANCEL, Role.ADMIN, "confirmed", PAST, True),
        (lifecycle.CANCEL, Role.PATIENT, "pending_payment", AHEAD, True),
        (lifecycle.CANCEL, Role.ADMIN, "completed", PAST, False),
        (lifecycle.CANCEL, Role.ADMIN, "no_show", PAST, False),
        (lifecycle.CANCEL, Role.ADMIN, "cancelled", AHEAD, False),
        (lifecycle.CANCEL, Role.ADMIN, "expired", AHEAD, False),
        (lifecycle.CANCEL, lifecycle.SYSTEM, "confirmed", AHEAD, False),
        (lifecycle.MARK_NO_SHOW, Role.DOCTOR, "confirmed", PAST, True),
        (lifecycle.MARK_NO_SHOW, Role.ADMIN, "confirmed", PAST, True),
        (lifecycle.MARK_NO_SHOW, Role.ADMIN, "confirmed", AHEAD, False),
        (lifecycle.MARK_NO_SHOW, Role.PATIENT, "confirmed", PAST, False),
        (lifecycle.MARK_NO_SHOW, Role.DOCTOR, "pending_payment", PAST, False),
        (lifecycle.COMPLETE, Role.DOCTOR, "confirmed", PAST, True),
        (lifecycle.COMPLETE, Role.DOCTOR, "confirmed", AHEAD, False),
        (lifecycle.COMPLETE, Role.ADMIN, "confirmed", PAST, False),
        (lifecycle.RESCHEDULE, Role.PATIENT, "confirmed", AHEAD, True),
        (lifecycle.RESCHEDULE, Role.PATIENT, "confirmed", PAST, False),
        (lifecycle.RESCHEDULE, Role.PATIENT, "pending_payment", AHEAD, False),
        (lifecycle.ABANDON, Role.PATIENT, "pending_payment", AHEAD, True),
        (lifecycle.ABANDON, Role.PATIENT, "confirmed", AHEAD, False),
    ],
)
def test_transitions_say_who_may_and_when(
    transition: lifecycle.Transition, role: str, status: str, start: datetime, allowed: bool
) -> None:
    row = _row(status, start=start)
    refusal = lifecycle.refusal(transition, row, role=role, now=NOW)
    assert (refusal == "") is allowed, refusal


def _request(*, start: datetime = AHEAD, awaiting: bool = True) -> Appointment:
    """A pending booking of a doctor who confirms bookings himself (a request while
    ``awaiting``; accepted, it awaits payment as usual)."""
    row = _row("pending_payment", start=start, payment="Pending")
    row.awaiting_doctor = awaiting
    return row


NOT_A_REQUEST = "This booking is not a request waiting for the doctor."
WAITING = "This booking is waiting for the doctor to accept it."


@pytest.mark.parametrize(
    ("transition", "role", "awaiting", "start", "refusal"),
    [
        (lifecycle.ACCEPT_REQUEST, Role.DOCTOR, True, AHEAD, ""),
        (lifecycle.ACCEPT_REQUEST, Role.DOCTOR, False, AHEAD, NOT_A_REQUEST),
        (
            lifecycle.ACCEPT_REQUEST,
            Role.DOCTOR,
            True,
            PAST,
            "This appointment has already started, so it cannot be accepted.",
        ),
        *(
            (
                lifecycle.ACCEPT_REQUEST,
                role,
                True,
                AHEAD,
                "You are not allowed to accept this appointment.",
            )
            for role in (Role.PATIENT, Role.ADMIN, Role.FRONT_DESK, lifecycle.SYSTEM)
        ),
        (lifecycle.DECLINE_REQUEST, Role.DOCTOR, True, AHEAD, ""),
        (lifecycle.DECLINE_REQUEST, Role.DOCTOR, True, PAST, ""),
        (lifecycle.DECLINE_REQUEST, Role.DOCTOR, False, AHEAD, NOT_A_REQUEST),
        *(
            (
                lifecycle.DECLINE_REQUEST,
                role,
                True,
                AHEAD,
                "You are not allowed to decline this appointment.",
            )
            for role in (Role.PATIENT, Role.ADMIN, Role.FRONT_DESK, lifecycle.SYSTEM)
        ),
        (lifecycle.CONFIRM_PAID, Role.PATIENT, True, AHEAD, WAITING),
        (lifecycle.CONFIRM_PAID, lifecycle.SYSTEM, True, AHEAD, WAITING),
        (lifecycle.CONFIRM_AT_CLINIC, Role.PATIENT, True, AHEAD, WAITING),
        (lifecycle.CONFIRM_AT_CLINIC, Role.FRONT_DESK, True, AHEAD, WAITING),
        (lifecycle.CONFIRM_AT_CLINIC, Role.PATIENT, False, AHEAD, ""),
        (lifecycle.LAPSE_REQUEST, lifecycle.SYSTEM, True, AHEAD, ""),
        (lifecycle.LAPSE_REQUEST, lifecycle.SYSTEM, False, AHEAD, NOT_A_REQUEST),
        (lifecycle.CANCEL, Role.PATIENT, True, AHEAD, ""),  # the patient may withdraw it
        (lifecycle.ABANDON, Role.PATIENT, True, AHEAD, ""),
    ],
)
def test_a_request_is_answered_by_its_doctor_only(
    transition: lifecycle.Transition, role: str, awaiting: bool, start: datetime, refusal: str
) -> None:
    row = _request(start=start, awaiting=awaiting)
    assert lifecycle.refusal(transition, row, role=role, now=NOW) == refusal


@pytest.mark.parametrize(
    ("status", "transition", "refusal"),
    [
        ("confirmed", lifecycle.ACCEPT_REQUEST, "A confirmed appointment cannot be accepted."),
        ("cancelled", lifecycle.DECLINE_REQUEST, "A cancelled appointment cannot be declined."),
        ("expired", lifecycle.ACCEPT_REQUEST, "An expired booking cannot be accepted."),
    ],
)
def test_only_a_pending_request_can_be_answered(
    status: str, transition: lifecycle.Transition, refusal: str
) -> None:
    row = _row(status, start=AHEAD)
    row.awaiting_doctor = True
    assert lifecycle.refusal(transition, row, role=Role.DOCTOR, now=NOW) == refusal


def test_a_lapsed_request_says_the_doctor_did_not_answer() -> None:
    row = _request()
    row.hold_expires_at = NOW
    for transition in (lifecycle.ACCEPT_REQUEST, lifecycle.DECLINE_REQUEST):
        refusal = lifecycle.refusal(transition, row, role=Role.DOCTOR, now=NOW)
        assert refusal == "The doctor did not answer this request in time; its slot is free again."


def test_a_payment_in_progress_blocks_everything_but_its_own_confirmation() -> None:
    row = _row("pending_payment", start=AHEAD, payment=lifecycle.PROCESSING)
    row.hold_expires_at = NOW - timedelta(minutes=1)  # lapsed, but the bank may still say yes
    for transition in (lifecycle.CANCEL, lifecycle.ABANDON, lifecycle.CONFIRM_AT_CLINIC):
        assert "in progress" in lifecycle.refusal(transition, row, role=Role.PATIENT, now=NOW)
    assert lifecycle.allowed(lifecycle.CONFIRM_PAID, row, role=lifecycle.SYSTEM, now=NOW)


def test_a_lapsed_hold_can_only_expire() -> None:
    row = _row("pending_payment", start=AHEAD, payment="Failed")
    row.hold_expires_at = NOW
    for transition in lifecycle.TRANSITIONS:
        for role in transition.roles:
            refusal = lifecycle.refusal(transition, row, role=role, now=NOW)
            assert "hold has expired" in refusal


def test_every_transition_is_declared_once_with_known_statuses() -> None:
    actions = [t.action for t in lifecycle.TRANSITIONS]
    assert len(actions) == len(set(actions))
    for t in lifecycle.TRANSITIONS:
        assert t.sources <= set(STATUSES) and t.target in STATUSES
        assert t.roles


def test_expiry_is_one_audited_statement(session: Session) -> None:
    doctor, patient = create_doctor(session), create_patient(session)
    lapsed = create_appointment(
        session, doctor=doctor, patient=patient, start_at=AHEAD, status="pending_payment"
    )
    live = create_appointment(
        session,
        doctor=doctor,
        patient=patient,
        start_at=AHEAD + timedelta(hours=1),
        status="pending_payment",
    )
    session.exec(
        update(Appointment)
        .where(col(Appointment.id) == lapsed.id)
        .values(hold_expires_at=NOW - timedelta(seconds=1))
    )
    session.exec(
        update(Appointment)
        .where(col(Appointment.id) == live.id)
        .values(hold_expires_at=NOW + timedelta(minutes=1))
    )
    assert lifecycle.expire_lapsed_holds(session, now=NOW) == 1
    assert lifecycle.expire_lapsed_holds(session, now=NOW) == 0
    statuses = {
        a.id: a.status
        for a in session.exec(select(Appointment).execution_options(populate_existing=True))
    }
    assert statuses == {lapsed.id: "expired", live.id: "pending_payment"}
