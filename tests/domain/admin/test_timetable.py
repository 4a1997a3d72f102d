"""The admin timetable: every kind of slot, blocking and unblocking single slots.

Dr. Meera Rao works Monday 09:00-11:00 and 14:00-15:00 in 30-minute slots. It is Monday
09:45 in the clinic.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.models import AppointmentStatus, AuditEvent, Doctor, Role, TimeOff, User
from healthcareplus.domain.admin.timetable import (
    DEFAULT_BLOCK_REASON,
    DayGrid,
    GridSlot,
    block_slot,
    day_grid,
    doctor_options,
    unblock_slot,
)
from healthcareplus.domain.booking.appointments import book
from tests.factories import (
    create_appointment,
    create_booking,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    create_user,
    local,
)

MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 22)
NOW = local(MONDAY, "09:45")
BOOKED = local(date(2026, 11, 20), "09:00")
SCHEDULE = ((0, "09:00", "11:00", 30), (0, "14:00", "15:00", 30))


@pytest.fixture
def doctor(session: Session) -> Doctor:
    hospital = create_hospital(session, name="Sunrise Hospital")
    return create_doctor(
        session,
        hospital=hospital,
        name="Dr. Meera Rao",
        specialization="Cardiologist",
        schedule=SCHEDULE,
        fee_paise=60_000,
    )


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Ana Admin")


def by_time(grid: DayGrid) -> dict[str, GridSlot]:
    return {s.time_label: s for s in grid.slots}


def flags(slot: GridSlot) -> tuple[bool, ...]:
    return (
        slot.can_block,
        slot.can_unblock,
        slot.can_cancel,
        slot.can_no_show,
        slot.can_refund,
        slot.can_mark_paid,
    )


@pytest.fixture
def busy_day(session: Session, doctor: Doctor) -> dict[str, str]:
    """09:00 Pay-at-Clinic visit (started), 10:00 live hold, 10:30 a run-out hold, 14:00 a
    blocked slot, 14:30 inside a longer leave, 12:00 a booking off the current schedule."""
    visit = create_booking(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "09:00"),
        now=BOOKED,
        method="pay_at_clinic",
        patient=create_patient(session, name="Asha Patel"),
    )
    held = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:00"),
        minutes=30,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW + timedelta(minutes=8),
        booked_at=NOW - timedelta(minutes=2),
        patient=create_patient(session, name="Bina Das"),
    )
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:30"),
        minutes=30,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:30"),
        minutes=30,
        status=AppointmentStatus.CANCELLED,
    )
    orphan = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "12:00"),
        minutes=30,
        patient=create_patient(session, name="Chitra Iyer"),
    )
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "14:00"),
        end_at=local(MONDAY, "14:30"),
        reason="Staff meeting",
    )
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "14:30"),
        end_at=local(MONDAY, "16:00"),
        reason="Conference",
    )
    return {"visit": visit.id, "held": held.id, "orphan": orphan.id}


# --- the grid --------------------------------------------------------------------------------


def test_day_grid_shows_every_kind_of_slot(session, doctor, busy_day):
    grid = day_grid(session, doctor_id=doctor.id, day=MONDAY, now=NOW)

    assert (grid.doctor_name, grid.specialization, grid.hospital_name) == (
        "Dr. Meera Rao",
        "Cardiologist",
        "Sunrise Hospital",
    )
    assert (grid.day, grid.day_label, grid.previous_day, grid.next_day) == (
        "2026-11-23",
        "Mon, 23 Nov 2026",
        "2026-11-22",
        "2026-11-24",
    )
    assert (grid.is_today, grid.working) == (True, True)
    slots = by_time(grid)
    assert [(label, s.state) for label, s in slots.items()] == [
        ("09:00 AM", "booked"),
        ("09:30 AM", "past"),
        ("10:00 AM", "held"),
        ("10:30 AM", "available"),
        ("12:00 PM", "booked"),
        ("02:00 PM", "blocked"),
        ("02:30 PM", "blocked"),
    ]
    assert (grid.available, grid.booked, grid.held, grid.blocked, grid.past) == (1, 2, 1, 2, 1)

    visit = slots["09:00 AM"]
    assert (visit.patient_name, visit.appointment_id, visit.short_id) == (
        "Asha Patel",
        busy_day["visit"],
        busy_day["visit"][:8],
    )
    assert (visit.appointment_status, visit.status_label, visit.payment_status) == (
        "confirmed",
        "Confirmed",
        "Pending",
    )
    assert (visit.payment_method, visit.fee_label, visit.end_label) == (
        "Pay at Clinic",
        "₹600",
        "09:30 AM",
    )
    assert visit.start == local(MONDAY, "09:00").isoformat()
    assert flags(visit) == (False, False, True, True, False, True)

    held = slots["10:00 AM"]
    assert (held.patient_name, held.status_label) == ("Bina Das", "Awaiting payment")
    assert flags(held) == (False, False, True, False, False, False)

    assert flags(slots["09:30 AM"]) == (False,) * 6
    free = slots["10:30 AM"]
    assert (free.appointment_id, free.patient_name) == ("", "")
    assert flags(free) == (True, False, False, False, False, False)

    orphan = slots["12:00 PM"]
    assert (orphan.on_schedule, orphan.patient_name) == (False, "Chitra Iyer")
    assert orphan.appointment_id == busy_day["orphan"]
    assert all(s.on_schedule for s in grid.slots if s is not orphan)

    single, in_leave = slots["02:00 PM"], slots["02:30 PM"]
    assert (single.block_reason, single.can_unblock) == ("Staff meeting", True)
    assert (in_leave.block_reason, in_leave.can_unblock) == ("Conference", False)


def test_a_hold_that_runs_out_frees_its_slot(session, doctor, busy_day):
    later = local(MONDAY, "10:05")  # the 10:00 hold was made at 09:43 for 10 minutes
    slots = by_time(day_grid(session, doctor_id=doctor.id, day=MONDAY, now=later))
    assert slots["10:00 AM"].state == "past"
    assert slots["10:30 AM"].state == "available"
    assert slots["09:00 AM"].state == "booked"  # a visit stays listed after its time


def test_blocked_slot_with_a_booking_shows_the_booking(session, doctor):
    booking = create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "10:30"), now=BOOKED, method="upi"
    )
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "09:00"), end_at=local(MONDAY, "11:00")
    )
    slots = by_time(day_grid(session, doctor_id=doctor.id, day=MONDAY, now=NOW))
    assert slots["10:30 AM"].state == "booked"
    assert slots["10:30 AM"].appointment_id == booking.id
    assert slots["10:30 AM"].can_cancel is True
    assert slots["10:30 AM"].can_refund is False  # still ahead: cancelling refunds it
    assert slots["10:00 AM"].state == "blocked"


def test_a_day_off_schedule_has_no_slots(session, doctor):
    grid = day_grid(session, doctor_id=doctor.id, day=SUNDAY, now=NOW)
    assert (grid.working, grid.slots, grid.is_today) == (False, (), False)
    assert (grid.available, grid.booked, grid.held, grid.blocked, grid.past) == (0, 0, 0, 0, 0)


def test_a_future_day_is_all_available(session, doctor):
    grid = day_grid(session, doctor_id=doctor.id, day=MONDAY + timedelta(days=7), now=NOW)
    assert [s.state for s in grid.slots] == ["available"] * 6
    assert grid.is_today is False


@pytest.mark.parametrize("which", ["unknown", "inactive"])
def test_unknown_or_inactive_doctor_is_not_found(session, which):
    doctor_id = 999_999
    if which == "inactive":
        doctor_id = create_doctor(session, is_active=False, schedule=SCHEDULE).id
    with pytest.raises(NotFound, match="Doctor not found"):
        day_grid(session, doctor_id=doctor_id, day=MONDAY, now=NOW)


# --- blocking --------------------------------------------------------------------------------


def _book(session: Session, doctor: Doctor, hhmm: str, now) -> None:
    book(
        session,
        patient_id=create_patient(session).id,
        doctor_id=doctor.id,
        start_at=local(MONDAY, hhmm),
        reason="Check-up",
        now=now,
    )


def test_block_then_unblock_a_free_slot(session, doctor, admin, busy_day):
    start = local(MONDAY, "10:30")  # free: its only booking's hold ran out
    change = block_slot(
        session,
        doctor_id=doctor.id,
        start_at=start,
        admin_id=admin.id,
        reason="  Doctor  in surgery ",
        now=NOW,
    )
    assert (change.start, change.day, change.time_label) == (
        start.isoformat(),
        "2026-11-23",
        "10:30 AM",
    )
    assert change.message == "Blocked 10:30 AM on Mon, 23 Nov 2026."
    off = session.exec(select(TimeOff).where(TimeOff.start_at == start)).one()
    assert (off.end_at, off.reason, off.created_by_user_id) == (
        local(MONDAY, "11:00"),
        "Doctor in surgery",
        admin.id,
    )
    slot = by_time(day_grid(session, doctor_id=doctor.id, day=MONDAY, now=NOW))["10:30 AM"]
    assert (slot.state, slot.can_unblock, slot.block_reason) == (
        "blocked",
        True,
        "Doctor in surgery",
    )
    with pytest.raises(SlotUnavailable, match="not available"):
        _book(session, doctor, "10:30", local(MONDAY, "08:00"))

    change = unblock_slot(session, doctor_id=doctor.id, start_at=start, admin_id=admin.id, now=NOW)
    assert change.message == "Unblocked 10:30 AM on Mon, 23 Nov 2026."
    assert session.exec(select(TimeOff).where(TimeOff.start_at == start)).first() is None
    slot = by_time(day_grid(session, doctor_id=doctor.id, day=MONDAY, now=NOW))["10:30 AM"]
    assert (slot.state, slot.can_block, slot.block_reason) == ("available", True, "")

    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "doctor").order_by(col(AuditEvent.id))
    ).all()
    assert [(e.action, e.actor_user_id, e.actor_role, e.entity_id) for e in events] == [
        ("slot_blocked", admin.id, "admin", str(doctor.id)),
        ("slot_unblocked", admin.id, "admin", str(doctor.id)),
    ]
    assert events[0].reason == events[1].reason == "Doctor in surgery"
    assert events[0].detail == {
        "doctor": "Dr. Meera Rao",
        "start_at": start.isoformat(),
        "time_off_id": off.id,
    }
    assert events[1].detail == {"doctor": "Dr. Meera Rao", "start_at": start.isoformat()}
    assert events[0].appointment_id is None


def test_block_without_a_reason_uses_the_default(session, doctor, admin):
    start = local(MONDAY, "14:30")
    block_slot(session, doctor_id=doctor.id, start_at=start, admin_id=admin.id, now=NOW)
    off = session.exec(select(TimeOff).where(TimeOff.start_at == start)).one()
    assert off.reason == DEFAULT_BLOCK_REASON


@pytest.mark.parametrize(
    ("hhmm", "error", "message"),
    [
        ("09:30", Conflict, "That slot has already passed."),
        ("09:00", Conflict, "That slot has already passed."),
        ("10:00", Conflict, "This slot is booked. Cancel the appointment first"),
        ("14:00", Conflict, "This slot is already blocked."),
        ("14:30", Conflict, "This slot is already blocked."),
        ("10:15", NotFound, "The doctor has no slot at that time."),
        ("12:00", NotFound, "The doctor has no slot at that time."),
    ],
)
def test_block_refusals_change_nothing(session, doctor, admin, busy_day, hhmm, error, message):
    before = session.exec(select(TimeOff.id)).all()
    with pytest.raises(error, match=message):
        block_slot(
            session, doctor_id=doctor.id, start_at=local(MONDAY, hhmm), admin_id=admin.id, now=NOW
        )
    assert session.exec(select(TimeOff.id)).all() == before
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "doctor")).all() == []


def test_block_a_confirmed_future_slot_is_refused_but_a_run_out_hold_is_not(session, doctor, admin):
    create_booking(session, doctor=doctor, start_at=local(MONDAY, "14:00"), now=BOOKED)
    _book(session, doctor, "14:30", local(MONDAY, "08:00"))  # held until 08:10
    with pytest.raises(Conflict, match="This slot is booked"):
        block_slot(
            session,
            doctor_id=doctor.id,
            start_at=local(MONDAY, "14:00"),
            admin_id=admin.id,
            now=NOW,
        )
    block_slot(
        session, doctor_id=doctor.id, start_at=local(MONDAY, "14:30"), admin_id=admin.id, now=NOW
    )
    assert [t.start_at for t in session.exec(select(TimeOff))] == [local(MONDAY, "14:30")]


def test_block_reason_is_at_most_300_characters(session, doctor, admin):
    with pytest.raises(ValidationFailed, match="300"):
        block_slot(
            session,
            doctor_id=doctor.id,
            start_at=local(MONDAY, "14:00"),
            admin_id=admin.id,
            reason="r" * 301,
            now=NOW,
        )
    assert session.exec(select(TimeOff)).all() == []


@pytest.mark.parametrize(
    ("hhmm", "message"),
    [
        ("10:30", "This slot is not blocked."),
        ("14:30", "This slot is part of a longer time off (Mon, 23 Nov 2026 02:30 PM – Mon, "),
        ("09:30", "That slot has already passed."),
    ],
)
def test_unblock_refusals_change_nothing(session, doctor, admin, busy_day, hhmm, message):
    before = session.exec(select(TimeOff.id)).all()
    with pytest.raises(Conflict, match=message.replace("(", r"\(")):
        unblock_slot(
            session, doctor_id=doctor.id, start_at=local(MONDAY, hhmm), admin_id=admin.id, now=NOW
        )
    assert session.exec(select(TimeOff.id)).all() == before


def test_unblock_refuses_a_single_block_inside_a_leave(session, doctor, admin):
    start = local(MONDAY, "14:00")
    create_time_off(session, doctor=doctor, start_at=start, end_at=local(MONDAY, "14:30"))
    create_time_off(session, doctor=doctor, start_at=start, end_at=local(MONDAY, "18:00"))
    with pytest.raises(Conflict, match="longer time off"):
        unblock_slot(session, doctor_id=doctor.id, start_at=start, admin_id=admin.id, now=NOW)
    assert len(session.exec(select(TimeOff)).all()) == 2


@pytest.mark.parametrize("who", [Role.PATIENT, Role.DOCTOR, "unknown"])
def test_only_admins_block_and_unblock(session, doctor, busy_day, who):
    actor = 999_999 if who == "unknown" else create_user(session, role=who).id
    with pytest.raises(Forbidden):
        block_slot(
            session, doctor_id=doctor.id, start_at=local(MONDAY, "10:30"), admin_id=actor, now=NOW
        )
    with pytest.raises(Forbidden):
        unblock_slot(
            session, doctor_id=doctor.id, start_at=local(MONDAY, "14:00"), admin_id=actor, now=NOW
        )
    assert len(session.exec(select(TimeOff)).all()) == 2


def test_block_for_an_unknown_doctor_is_not_found(session, admin):
    with pytest.raises(NotFound):
        block_slot(
            session, doctor_id=424_242, start_at=local(MONDAY, "10:30"), admin_id=admin.id, now=NOW
        )


# --- the doctor picker -----------------------------------------------------------------------


def test_doctor_options_search_name_specialization_and_hospital(session, doctor):
    other_hospital = create_hospital(session, name="Lakeside Clinic")
    create_doctor(session, hospital=other_hospital, name="Dr. Arjun Shah", specialization="ENT")
    create_doctor(session, name="Dr. Zoya Khan", is_active=False)

    everyone = doctor_options(session)
    assert [o.label for o in everyone] == [
        "Dr. Arjun Shah · ENT · Lakeside Clinic",
        "Dr. Meera Rao · Cardiologist · Sunrise Hospital",
    ]
    assert [o.id for o in doctor_options(session, query="  MEERA ")] == [doctor.id]
    assert [o.label[:14] for o in doctor_options(session, query="ent")] == ["Dr. Arjun Shah"]
    assert [o.label[:14] for o in doctor_options(session, query="lakeside")] == ["Dr. Arjun Shah"]
    assert doctor_options(session, query="zoya") == ()  # inactive
    assert doctor_options(session, query="%") == ()  # wildcards are literal
    assert len(doctor_options(session, limit=1)) == 1


def test_selected_doctor_is_offered_first_even_when_not_matching(session, doctor):
    create_doctor(session, name="Dr. Arjun Shah")
    options = doctor_options(session, query="arjun", selected_id=doctor.id)
    assert [o.label[:13] for o in options] == ["Dr. Meera Rao", "Dr. Arjun Sha"]
    assert [o.id for o in doctor_options(session, query="meera", selected_id=doctor.id)] == [
        doctor.id
    ]
    assert doctor_options(session, query="nobody", selected_id=987_654) == ()
