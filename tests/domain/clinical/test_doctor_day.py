"""The doctor's portal: who gets in, the dashboard, one visit, and closing visits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import Appointment, AuditEvent, Role
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.clinical import doctor_day as portal
from healthcareplus.domain.clinical.records import save_treatment
from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds as expire_holds
from tests.factories import (
    create_appointment,
    create_booking,
    create_doctor,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

EVERY_DAY = tuple((d, "09:00", "18:00", 15) for d in range(7))
MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "11:00")
BOOKED_AT = NOW - timedelta(days=1)


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Nithya Subramanian", schedule=EVERY_DAY)


@pytest.fixture
def user(session: Session, doctor):
    return link_doctor_user(session, doctor)


def patient(session: Session, name: str, born: date | None = None):
    row = create_patient(session, name=name)
    row.date_of_birth, row.gender, row.blood_group = born, "Female", "O+"
    row.allergies, row.medical_history = "Penicillin", "Asthma since 2010"
    session.add(row)
    session.commit()
    return row


def at(session: Session, doctor, day: date, hhmm: str, who, **kwargs) -> Appointment:
    options = {"booked_at": BOOKED_AT, "reason": "Chest pain", **kwargs}
    return create_appointment(
        session, doctor=doctor, patient=who, start_at=local(day, hhmm), **options
    )


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    found = session.get(Appointment, appointment_id)
    assert found is not None
    return found


# --- who gets in ---------------------------------------------------------------------------


def test_doctor_for_user(session: Session, doctor, user) -> None:
    assert portal.doctor_for_user(session, user_id=user.id).id == doctor.id
    unlinked = create_user(session, role=Role.DOCTOR)
    a_patient = create_patient(session)
    for user_id in (unlinked.id, a_patient.id, 999_999, "1", None):
        with pytest.raises(Forbidden):
            portal.doctor_for_user(session, user_id=user_id)  # type: ignore[arg-type]
    for change in ({"is_blocked": True}, {"is_active": False}):
        for key, value in change.items():
            setattr(user, key, value)
        session.add(user)
        session.commit()
        with pytest.raises(Forbidden):
            portal.doctor_for_user(session, user_id=user.id)
        user.is_blocked, user.is_active = False, True
        session.add(user)
        session.commit()
    doctor.is_active = False
    session.add(doctor)
    session.commit()
    with pytest.raises(Forbidden):
        portal.doctor_for_user(session, user_id=user.id)


# --- the dashboard -------------------------------------------------------------------------


def test_dashboard_lists_today_upcoming_and_visits_to_close(session: Session, doctor) -> None:
    asha = patient(session, "Asha Patel", born=date(1990, 12, 1))
    ravi = patient(session, "Ravi Kumar", born=date(1980, 1, 15))
    meena = patient(session, "Meena Iyer")
    friday = MONDAY - timedelta(days=3)
    seen_before = at(session, doctor, friday, "10:00", meena, status="completed")
    at(session, doctor, MONDAY, "09:00", asha, status="completed")
    started = at(session, doctor, MONDAY, "10:00", ravi)
    later = at(session, doctor, MONDAY, "12:00", asha, reason="Follow-up on ECG")
    at(
        session,
        doctor,
        MONDAY,
        "12:15",
        meena,
        status="pending_payment",
        hold_expires_at=NOW + timedelta(minutes=5),
    )
    at(
        session,
        doctor,
        MONDAY,
        "12:30",
        meena,
        status="pending_payment",
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    at(session, doctor, MONDAY, "12:45", meena, status="cancelled")
    tuesday = at(session, doctor, MONDAY + timedelta(days=1), "09:00", ravi)
    next_monday = at(session, doctor, MONDAY + timedelta(days=7), "17:45", asha)
    at(session, doctor, MONDAY + timedelta(days=8), "09:00", asha)  # beyond seven days
    left_open = at(session, doctor, friday, "11:00", asha)
    at(session, doctor, MONDAY - timedelta(days=20), "11:00", asha)  # too old to list
    at(session, create_doctor(session, schedule=EVERY_DAY), MONDAY, "10:30", asha)

    board = portal.dashboard(session, doctor_id=doctor.id, now=NOW)

    assert (board.doctor_name, board.today_label) == ("Dr. Nithya Subramanian", "Mon, 23 Nov 2026")
    assert [(r.time_label, r.patient_name, r.status_label) for r in board.today] == [
        ("09:00 AM", "Asha Patel", "Completed"),
        ("10:00 AM", "Ravi Kumar", "To close"),
        ("12:00 PM", "Asha Patel", "Upcoming"),
        ("12:15 PM", "Meena Iyer", "Awaiting payment"),
    ]
    first_later = board.today[2]
    assert (first_later.appointment_id, first_later.reason, first_later.age_label) == (
        later.id,
        "Follow-up on ECG",
        "35 years",
    )
    assert board.today[1].appointment_id == started.id
    assert board.today[1].age_label == "46 years" and board.today[3].age_label == ""
    assert [r.appointment_id for r in board.upcoming] == [tuesday.id, next_monday.id]
    assert board.upcoming[0].date_label == "Tue, 24 Nov 2026"
    assert [r.appointment_id for r in board.to_close] == [left_open.id]
    assert board.counts == portal.DashboardCounts(today=4, this_week=5, patients_seen=2)
    assert seen_before.status == "completed"


def test_change_marker_moves_only_when_the_dashboard_would(session: Session, doctor, user) -> None:
    asha = patient(session, "Asha Patel")
    paid = create_booking(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "15:00"),
        now=NOW - timedelta(hours=2),
        patient=asha,
    )
    marker = portal.change_marker(session, doctor_id=doctor.id, now=NOW)
    assert portal.change_marker(session, doctor_id=doctor.id, now=NOW) == marker

    held = create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "16:00"), now=NOW, method=None
    )
    booked = portal.change_marker(session, doctor_id=doctor.id, now=NOW)
    assert booked != marker

    later = NOW + timedelta(minutes=11)  # the hold ran out: no audit entry, status changes
    assert portal.change_marker(session, doctor_id=doctor.id, now=later) == booked
    expire_holds(session, now=later)
    expired = portal.change_marker(session, doctor_id=doctor.id, now=later)
    assert expired != booked and fresh(session, held.id).status == "expired"

    started = portal.change_marker(session, doctor_id=doctor.id, now=local(MONDAY, "15:00"))
    assert started != expired  # the 15:00 visit has begun: its actions change

    cancel(
        session,
        appointment_id=paid.id,
        actor_id=user.id,
        actor_role=Role.DOCTOR,
        reason="Emergency surgery",
        now=later,
    )
    assert portal.change_marker(session, doctor_id=doctor.id, now=later) != expired


# --- one visit -----------------------------------------------------------------------------


def test_visit_shows_the_patient_history_and_record(session: Session, doctor, user) -> None:
    asha = patient(session, "Asha Patel", born=date(1990, 12, 1))
    earlier = at(session, doctor, MONDAY - timedelta(days=30), "10:00", asha)
    save_treatment(
        session,
        doctor_id=doctor.id,
        appointment_id=earlier.id,
        visit_type="consultation",
        diagnosis="Stable angina",
        notes="",
        items=[],
        actor_id=user.id,
        now=earlier.start_at,
    )
    earlier.status = "completed"
    session.add(earlier)
    missed = at(session, doctor, MONDAY - timedelta(days=10), "10:00", asha, status="no_show")
    at(
        session,
        create_doctor(session, schedule=EVERY_DAY),
        MONDAY - timedelta(days=5),
        "10:00",
        asha,
    )
    today = at(session, doctor, MONDAY, "10:30", asha, payment_status="Success")
    at(session, doctor, MONDAY + timedelta(days=2), "10:00", asha)  # later: not history

    detail = portal.visit(session, doctor_id=doctor.id, appointment_id=today.id, now=NOW)

    assert (detail.date_label, detail.time_label, detail.reason, detail.fee_label) == (
        "Mon, 23 Nov 2026",
        "10:30 AM",
        "Chest pain",
        "₹500",
    )
    assert detail.patient == portal.PatientProfile(
        name="Asha Patel",
        age_label="35 years",
        gender="Female",
        blood_group="O+",
        allergies="Penicillin",
        medical_history="Asthma since 2010",
        phone="98450 11111",
        history_key=str(asha.id),
    )
    assert [(h.appointment_id, h.status_label, h.diagnosis) for h in detail.history] == [
        (missed.id, "No-show", ""),
        (earlier.id, "Completed", "Stable angina"),
    ]
    assert (detail.can_complete, detail.can_no_show, detail.can_cancel, detail.can_treat) == (
        True,
        True,
        False,
        True,
    )
    assert detail.treatment is None
    ahead = portal.visit(
        session, doctor_id=doctor.id, appointment_id=today.id, now=NOW - timedelta(hours=2)
    )
    assert (ahead.can_complete, ahead.can_cancel, ahead.can_treat) == (False, True, False)
    old = portal.visit(session, doctor_id=doctor.id, appointment_id=earlier.id, now=NOW)
    assert old.treatment is not None and old.treatment.diagnosis == "Stable angina"
    assert old.history == ()


def test_a_doctor_cannot_open_another_doctors_visit(session: Session, doctor, user) -> None:
    other = create_doctor(session, schedule=EVERY_DAY)
    theirs = at(session, other, MONDAY, "10:00", patient(session, "Asha Patel"))
    for appointment_id in (theirs.id, "00000000-0000-4000-8000-000000000000", "'; --", None):
        with pytest.raises(NotFound):
            portal.visit(session, doctor_id=doctor.id, appointment_id=appointment_id, now=NOW)  # type: ignore[arg-type]
    for action in (portal.mark_completed, portal.mark_no_show):
        with pytest.raises(NotFound):
            action(
                session, doctor_id=doctor.id, appointment_id=theirs.id, actor_id=user.id, now=NOW
            )
    with pytest.raises(NotFound):
        portal.cancel_visit(
            session,
            doctor_id=doctor.id,
            appointment_id=theirs.id,
            actor_id=user.id,
            reason="Not mine",
            now=NOW,
        )
    # Claiming to be the other doctor does not work either: the actor is checked.
    with pytest.raises(Forbidden):
        portal.mark_completed(
            session, doctor_id=other.id, appointment_id=theirs.id, actor_id=user.id, now=NOW
        )
    assert fresh(session, theirs.id).status == "confirmed"


# --- closing visits ------------------------------------------------------------------------


def test_mark_completed(session: Session, doctor, user) -> None:
    visit = at(session, doctor, MONDAY, "11:00", patient(session, "Asha Patel"))
    with pytest.raises(Conflict, match="has not started yet"):
        portal.mark_completed(
            session,
            doctor_id=doctor.id,
            appointment_id=visit.id,
            actor_id=user.id,
            now=NOW - timedelta(minutes=1),
        )

    outcome = portal.mark_completed(
        session, doctor_id=doctor.id, appointment_id=visit.id, actor_id=user.id, now=NOW
    )

    assert (outcome.status, outcome.message) == ("completed", "Visit marked completed.")
    row = fresh(session, visit.id)
    assert (row.status, row.completed_at) == ("completed", NOW)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "completed")).one()
    assert (event.appointment_id, event.actor_user_id, event.actor_role) == (
        visit.id,
        user.id,
        "doctor",
    )
    for action in (portal.mark_completed, portal.mark_no_show):
        with pytest.raises(Conflict, match="A completed appointment cannot be marked"):
            action(session, doctor_id=doctor.id, appointment_id=visit.id, actor_id=user.id, now=NOW)


def test_mark_no_show(session: Session, doctor, user) -> None:
    asha = patient(session, "Asha Patel")
    visit = at(session, doctor, MONDAY, "10:00", asha)
    gone = at(session, doctor, MONDAY, "10:15", asha, status="cancelled")

    outcome = portal.mark_no_show(
        session, doctor_id=doctor.id, appointment_id=visit.id, actor_id=user.id, now=NOW
    )

    assert outcome.status == "no_show"
    row = fresh(session, visit.id)
    assert (row.status, row.no_show_at) == ("no_show", NOW)
    assert session.exec(select(AuditEvent.action)).all() == ["no_show"]
    with pytest.raises(Conflict, match="A cancelled appointment cannot be marked as a no-show"):
        portal.mark_no_show(
            session, doctor_id=doctor.id, appointment_id=gone.id, actor_id=user.id, now=NOW
        )


def test_cancel_a_visit_ahead_with_a_reason_and_refund(session: Session, doctor, user) -> None:
    asha = patient(session, "Asha Patel")
    paid = create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "15:00"), now=NOW, patient=asha
    )
    for reason in ("", "  ", "no", "x" * 501, None):
        with pytest.raises(ValidationFailed):
            portal.cancel_visit(
                session,
                doctor_id=doctor.id,
                appointment_id=paid.id,
                actor_id=user.id,
                reason=reason,  # type: ignore[arg-type]
                now=NOW,
            )

    outcome = portal.cancel_visit(
        session,
        doctor_id=doctor.id,
        appointment_id=paid.id,
        actor_id=user.id,
        reason="Called away for an emergency surgery",
        now=NOW,
    )

    assert outcome.message == "Appointment cancelled. The payment is refunded."
    row = fresh(session, paid.id)
    assert (row.status, row.payment_status, row.cancel_reason) == (
        "cancelled",
        "Refunded",
        "Called away for an emergency surgery",
    )
    started = at(session, doctor, MONDAY, "10:00", asha)
    with pytest.raises(Conflict, match="already started"):
        portal.cancel_visit(
            session,
            doctor_id=doctor.id,
            appointment_id=started.id,
            actor_id=user.id,
            reason="Too late",
            now=NOW,
        )


@pytest.mark.parametrize(
    ("status", "awaiting", "time_status", "label"),
    [
        ("pending_payment", True, "pending_payment", "Request"),
        ("pending_payment", False, "pending_payment", portal.STATUS_LABELS["pending_payment"]),
        ("confirmed", False, "completed", "To close"),
        ("confirmed", False, "upcoming", portal.STATUS_LABELS["upcoming"]),
    ],
)
def test_status_label_names_requests_and_visits_to_close(
    status: str, awaiting: bool, time_status: str, label: str
) -> None:
    appointment = Appointment(status=status, awaiting_doctor=awaiting)
    assert portal.status_label(appointment, time_status) == label
