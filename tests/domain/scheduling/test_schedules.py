"""The doctor's weekly schedule and time off: validation, what patients can book after a
change, the refusal that lists booked appointments, and the cancel-and-refund path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    DoctorSchedule,
    Payment,
    PaymentStatus,
    Role,
    TimeOff,
)
from healthcareplus.core.waitlist_models import FreedSlot
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.availability import calendar, day_slots
from healthcareplus.domain.scheduling.schedules import (
    MISSING_DAY,
    ScheduleConflict,
    add_time_off,
    blocks_from_form,
    clean_blocks,
    list_time_off,
    remove_time_off,
    replace_weekly_schedule,
    time_off_span,
    weekly_blocks,
    weekly_form,
)
from tests.factories import (
    WEEKDAYS_WITH_BREAK,
    create_appointment,
    create_booking,
    create_doctor,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)
NOW = local(FRIDAY, "09:00")
MORNINGS = [(d, "09:00", "13:00", 15) for d in range(5)]


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Meera Rao", schedule=WEEKDAYS_WITH_BREAK)


@pytest.fixture
def doctor_user(session: Session, doctor):
    return link_doctor_user(session, doctor)


DAYS_OFF = {f"hours-{day}": "" for day in range(7)}


def slot_states(session: Session, doctor, day: date) -> dict[str, str]:
    return {s.label: s.state for s in day_slots(session, doctor_id=doctor.id, day=day, now=NOW)}


def replace(session: Session, doctor, user, blocks, **kwargs):
    options = {"cancel_affected": False, "reason": "", "now": NOW, **kwargs}
    return replace_weekly_schedule(
        session,
        doctor_id=doctor.id,
        blocks=blocks,
        actor_id=user.id,
        actor_role=user.role,
        **options,
    )


def block_time(session: Session, doctor, user, start, end, **kwargs):
    options = {"reason": "Conference", "cancel_affected": False, "now": NOW, **kwargs}
    return add_time_off(
        session,
        doctor_id=doctor.id,
        start_at=start,
        end_at=end,
        actor_id=user.id,
        actor_role=user.role,
        **options,
    )


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    found = session.get(Appointment, appointment_id)
    assert found is not None
    return found


# --- the weekly schedule -------------------------------------------------------------------


def test_weekly_blocks_and_the_editor_rows(session: Session, doctor) -> None:
    blocks = weekly_blocks(session, doctor_id=doctor.id)
    assert [(b.weekday, b.start, b.end, b.slot_minutes) for b in blocks[:2]] == [
        (0, "09:00", "13:00", 15),
        (0, "14:00", "18:00", 15),
    ]
    assert blocks[0].label == "09:00 AM – 01:00 PM"
    rows = weekly_form(blocks)
    assert (rows[0].day_name, rows[0].hours, rows[0].slot_minutes) == (
        "Monday",
        "09:00-13:00, 14:00-18:00",
        "15",
    )
    assert (rows[6].day_name, rows[6].hours, rows[6].slot_minutes) == ("Sunday", "", "")
    # The editor's text turns back into the same blocks.
    form = {f"hours-{r.weekday}": r.hours for r in rows} | {
        f"slot-{r.weekday}": r.slot_minutes for r in rows
    }
    assert blocks_from_form(form) == [(b.weekday, b.start, b.end, b.slot_minutes) for b in blocks]


def test_a_new_schedule_changes_the_patients_slots_at_once(
    session: Session, doctor, doctor_user
) -> None:
    assert len(slot_states(session, doctor, MONDAY)) == 32
    blocks = [(0, "10:00", "12:00", 30), (1, "17:00", "20:00", 20)]

    change = replace(session, doctor, doctor_user, blocks)

    assert change.cancelled == ()
    assert [(b.weekday, b.start, b.end) for b in change.blocks] == [
        (0, "10:00", "12:00"),
        (1, "17:00", "20:00"),
    ]
    assert slot_states(session, doctor, MONDAY) == {
        "10:00 AM": "free",
        "10:30 AM": "free",
        "11:00 AM": "free",
        "11:30 AM": "free",
    }
    assert list(slot_states(session, doctor, TUESDAY))[:2] == ["05:00 PM", "05:20 PM"]
    days = {d.date: d for d in calendar(session, doctor_id=doctor.id, now=NOW, days=7)}
    assert days[MONDAY + timedelta(days=2)].badge == "Not available"  # Wednesday: closed
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "schedule_updated")).one()
    assert (event.actor_user_id, event.actor_role, event.entity, event.entity_id) == (
        doctor_user.id,
        "doctor",
        "doctor",
        str(doctor.id),
    )
    assert event.detail["after"] == ["0 10:00-12:00/30", "1 17:00-20:00/20"]


def _booked_week(session: Session, doctor) -> dict[str, Appointment]:
    """Monday afternoon: a paid visit, a live hold, an expired hold and a cancelled one;
    a Monday morning visit; a paid visit last week (already past)."""
    asha, ravi = create_patient(session, name="Asha Patel"), create_patient(session, name="Ravi")
    paid = create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "15:00"), now=NOW, patient=asha
    )
    held = create_booking(
        session, doctor=doctor, start_at=local(MONDAY, "16:00"), now=NOW, patient=ravi, method=None
    )
    expired = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "17:00"),
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    cancelled = create_appointment(
        session, doctor=doctor, start_at=local(MONDAY, "17:15"), status="cancelled"
    )
    morning = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:30"), now=NOW)
    past = create_appointment(
        session, doctor=doctor, start_at=local(FRIDAY, "15:00") - timedelta(days=7)
    )
    return {
        "paid": paid,
        "held": held,
        "expired": expired,
        "cancelled": cancelled,
        "morning": morning,
        "past": past,
    }


def test_removing_booked_hours_is_refused_with_the_appointments_listed(
    session: Session, doctor, doctor_user
) -> None:
    booked = _booked_week(session, doctor)

    with pytest.raises(ScheduleConflict) as refused:
        replace(session, doctor, doctor_user, MORNINGS)

    affected = refused.value.affected
    assert [(a.id, a.patient_name, a.date_label, a.time_label) for a in affected] == [
        (booked["paid"].id, "Asha Patel", "Mon, 23 Nov 2026", "03:00 PM"),
        (booked["held"].id, "Ravi", "Mon, 23 Nov 2026", "04:00 PM"),
    ]
    assert [(a.status, a.paid) for a in affected] == [
        ("confirmed", True),
        ("pending_payment", False),
    ]
    assert "remove 2 booked appointments" in str(refused.value)
    assert isinstance(refused.value, Conflict)
    # Nothing changed.
    assert len(weekly_blocks(session, doctor_id=doctor.id)) == 10
    assert fresh(session, booked["paid"].id).status == "confirmed"
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "schedule_updated")).all() == []
    )


def test_a_new_slot_length_keeps_visits_inside_working_hours(
    session: Session, doctor, doctor_user
) -> None:
    paid = create_booking(session, doctor=doctor, start_at=local(MONDAY, "09:15"), now=NOW)
    longer = [(d, s, e, 20) for d, s, e, _ in WEEKDAYS_WITH_BREAK]

    change = replace(session, doctor, doctor_user, longer)

    assert change.cancelled == ()
    assert fresh(session, paid.id).status == "confirmed"
    states = slot_states(session, doctor, MONDAY)
    # 09:00-09:20 and 09:20-09:40 both overlap the 09:15-09:30 visit.
    assert (states["09:00 AM"], states["09:20 AM"], states["09:40 AM"]) == (
        "taken",
        "taken",
        "free",
    )


def test_cancel_affected_cancels_refunds_and_tells_the_patients(
    session: Session, doctor, doctor_user
) -> None:
    booked = _booked_week(session, doctor)
    with pytest.raises(ValidationFailed) as no_reason:
        replace(session, doctor, doctor_user, MORNINGS, cancel_affected=True, reason=" ")
    assert "cancel_reason" in no_reason.value.fields

    change = replace(
        session,
        doctor,
        doctor_user,
        MORNINGS,
        cancel_affected=True,
        reason="Afternoon clinic closed for renovation",
    )

    assert [a.id for a in change.cancelled] == [booked["paid"].id, booked["held"].id]
    paid, held = fresh(session, booked["paid"].id), fresh(session, booked["held"].id)
    assert (paid.status, paid.payment_status, paid.cancel_reason, paid.cancelled_by_user_id) == (
        "cancelled",
        "Refunded",
        "Afternoon clinic closed for renovation",
        doctor_user.id,
    )
    assert (held.status, held.payment_status) == ("cancelled", "Pending")
    refund = session.exec(
        select(Payment).where(
            Payment.appointment_id == paid.id, Payment.status == PaymentStatus.REFUNDED
        )
    ).one()
    assert refund.amount_paise == paid.fee_paise
    # The patient reads the reason on their appointment.
    view = booking.get_appointment(
        session, appointment_id=paid.id, patient_id=paid.patient_id, now=NOW
    )
    assert (view.time_status, view.cancel_reason, view.refunded) == (
        "cancelled",
        "Afternoon clinic closed for renovation",
        True,
    )
    # Untouched: the morning visit, the past one, the expired and cancelled bookings.
    for key in ("morning", "past"):
        assert fresh(session, booked[key].id).status == "confirmed"
    assert fresh(session, booked["expired"].id).status == "pending_payment"
    assert [b.end for b in weekly_blocks(session, doctor_id=doctor.id)] == ["13:00"] * 5
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-4:] == ["schedule_updated", "refunded", "cancelled", "cancelled"]


def test_cancelling_refuses_when_more_were_booked_than_the_doctor_saw(
    session: Session, doctor, doctor_user
) -> None:
    booked = _booked_week(session, doctor)
    with pytest.raises(ScheduleConflict) as refused:
        replace(
            session,
            doctor,
            doctor_user,
            MORNINGS,
            cancel_affected=True,
            reason="Clinic closed",
            expected_affected=[booked["paid"].id],
        )
    assert len(refused.value.affected) == 2
    assert fresh(session, booked["paid"].id).status == "confirmed"


def _all_or_nothing(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    doctor = create_doctor(session, schedule=WEEKDAYS_WITH_BREAK)
    user = link_doctor_user(session, doctor)
    first = create_booking(session, doctor=doctor, start_at=local(MONDAY, "15:00"), now=NOW)
    second = create_booking(session, doctor=doctor, start_at=local(MONDAY, "16:00"), now=NOW)
    session.commit()
    real_apply = lifecycle.apply

    def flaky(db: Session, appointment, transition, by, **kwargs):
        if appointment.id == second.id:
            raise Conflict("This appointment was just changed. Please reload and try again.")
        return real_apply(db, appointment, transition, by, **kwargs)

    monkeypatch.setattr(lifecycle, "apply", flaky)
    with pytest.raises(Conflict, match="just changed"):
        replace(session, doctor, user, MORNINGS, cancel_affected=True, reason="Closed")
    session.rollback()  # what the unit of work does with an error

    session.expire_all()
    assert len(weekly_blocks(session, doctor_id=doctor.id)) == 10
    first_now = fresh(session, first.id)
    assert (first_now.status, first_now.payment_status) == ("confirmed", "Success")
    assert session.exec(select(Payment).where(Payment.status == PaymentStatus.REFUNDED)).all() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "cancelled")).all() == []


def test_a_failed_cancellation_undoes_the_whole_change_on_sqlite(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _all_or_nothing(session, monkeypatch)


@pytest.mark.postgres
def test_a_failed_cancellation_undoes_the_whole_change_on_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        _all_or_nothing(session, monkeypatch)


@pytest.mark.postgres
def test_cancel_affected_on_postgres(pg_url: str) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        doctor = create_doctor(session, schedule=WEEKDAYS_WITH_BREAK)
        user = link_doctor_user(session, doctor)
        paid = create_booking(session, doctor=doctor, start_at=local(MONDAY, "15:00"), now=NOW)
        change = replace(session, doctor, user, MORNINGS, cancel_affected=True, reason="Closed")
        assert [a.id for a in change.cancelled] == [paid.id]
        assert fresh(session, paid.id).payment_status == "Refunded"
        assert len(weekly_blocks(session, doctor_id=doctor.id)) == 5


@pytest.mark.parametrize(
    ("blocks", "field", "message"),
    [
        ([(0, "13:00", "09:00", 15)], "day-0", "end time must be after"),
        ([(1, "09:00", "09:00", 15)], "day-1", "end time must be after"),
        ([(2, "05:30", "09:00", 15)], "day-2", "between 06:00 and 23:00"),
        ([(2, "20:00", "23:30", 15)], "day-2", "between 06:00 and 23:00"),
        ([(3, "09:00", "12:00", 25)], "day-3", "10, 15, 20 or 30"),
        ([(3, "09:00", "12:00", "15")], "day-3", "10, 15, 20 or 30"),
        ([(4, "9am", "12:00", 15)], "day-4", "HH:MM"),
        ([(4, "09:00", "09:10", 15)], "day-4", "at least one 15-minute slot"),
        ([(0, "09:00", "13:00", 15), (0, "12:00", "14:00", 15)], "day-0", "overlaps"),
        ([(7, "09:00", "13:00", 15)], "blocks", "day of the week"),
        ([("0", "09:00", "13:00", 15)], "blocks", "day of the week"),
        ([None], "blocks", "day of the week"),
        ("0 09:00 13:00 15", "blocks", "at most six"),
        ([(0, "06:00", "07:00", 10)] * 50, "blocks", "at most six"),
    ],
)
def test_invalid_blocks_are_refused(blocks, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        clean_blocks(blocks)
    assert message in refused.value.fields[field]


def test_adjacent_blocks_and_an_empty_week_are_fine(session: Session, doctor, doctor_user) -> None:
    assert len(clean_blocks([(0, "09:00", "13:00", 15), (0, "13:00", "14:00", 30)])) == 2
    change = replace(session, doctor, doctor_user, [])
    assert change.blocks == ()
    assert slot_states(session, doctor, MONDAY) == {}
    assert session.exec(select(DoctorSchedule)).all() == []


def test_editor_text_that_is_not_hours_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        blocks_from_form({**DAYS_OFF, "hours-0": "mornings", "slot-0": "15", "hours-2": "9-5"})
    assert set(refused.value.fields) == {"day-0", "day-2"}
    assert blocks_from_form(
        {**DAYS_OFF, "hours-1": " 09:00 – 12:00 ,14:00 to 15:00", "slot-1": "20"}
    ) == [(1, "09:00", "12:00", 20), (1, "14:00", "15:00", 20)]
    assert blocks_from_form(DAYS_OFF) == []


@pytest.mark.parametrize(
    "form",
    [
        {},  # a crafted form with no hour fields: not "closed all week"
        {"slot-0": "15"},
        {**DAYS_OFF, "hours-3": 42},
        {k: v for k, v in DAYS_OFF.items() if k != "hours-6"},
    ],
)
def test_a_form_missing_days_is_refused_not_read_as_days_off(form: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        blocks_from_form(form)
    missing = {f"day-{d}" for d in range(7) if not isinstance(form.get(f"hours-{d}"), str)}
    assert set(refused.value.fields) == missing
    assert set(refused.value.fields.values()) == {MISSING_DAY}


def test_only_the_doctor_or_an_admin_may_change_the_schedule(
    session: Session, doctor, doctor_user
) -> None:
    other_doctor_user = link_doctor_user(session, create_doctor(session))
    patient = create_patient(session)
    for actor in (other_doctor_user, patient):
        with pytest.raises(Forbidden):
            replace(session, doctor, actor, MORNINGS)
    with pytest.raises(Forbidden):  # a role the account does not have
        replace_weekly_schedule(
            session,
            doctor_id=doctor.id,
            blocks=MORNINGS,
            actor_id=patient.id,
            actor_role=Role.ADMIN,
            cancel_affected=False,
            reason="",
            now=NOW,
        )
    with pytest.raises(NotFound):
        replace_weekly_schedule(
            session,
            doctor_id=999_999,
            blocks=MORNINGS,
            actor_id=doctor_user.id,
            actor_role=Role.DOCTOR,
            cancel_affected=False,
            reason="",
            now=NOW,
        )
    admin = create_user(session, role=Role.ADMIN)
    assert len(replace(session, doctor, admin, MORNINGS).blocks) == 5
    assert len(weekly_blocks(session, doctor_id=doctor.id)) == 5


# --- time off ------------------------------------------------------------------------------


def span(session: Session, doctor, kind: str, **form: str):
    return time_off_span(session, doctor_id=doctor.id, kind=kind, now=NOW, **form)


def test_an_afternoon_off_blocks_only_the_afternoon(session: Session, doctor, doctor_user) -> None:
    start, end = span(
        session, doctor, "hours", date_from="2026-11-23", time_from="14:00", time_to="18:00"
    )
    assert (start, end) == (local(MONDAY, "14:00"), local(MONDAY, "18:00"))

    change = block_time(session, doctor, doctor_user, start, end, reason="School event")

    assert change.cancelled == ()
    assert change.entry.label == "Mon, 23 Nov 2026, 02:00 PM – 06:00 PM"
    states = slot_states(session, doctor, MONDAY)
    assert {states[k] for k in states if k.endswith("PM") and not k.startswith("12")} == {"blocked"}
    assert states["09:00 AM"] == "free" and states["12:45 PM"] == "free"
    row = session.exec(select(TimeOff)).one()
    assert (row.reason, row.created_by_user_id) == ("School event", doctor_user.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "time_off_added")).one()
    assert (event.entity, event.entity_id, event.reason) == (
        "time_off",
        str(row.id),
        "School event",
    )


def test_a_single_day_and_a_date_range(session: Session, doctor, doctor_user) -> None:
    day = span(session, doctor, "day", date_from="2026-11-23")
    assert day == (local(MONDAY, "00:00"), local(TUESDAY, "00:00"))
    days = span(session, doctor, "range", date_from="2026-11-24", date_to="2026-11-25")
    assert days == (local(TUESDAY, "00:00"), local(TUESDAY + timedelta(days=2), "00:00"))

    one = block_time(session, doctor, doctor_user, *day)
    two = block_time(session, doctor, doctor_user, *days, reason="Leave")

    assert one.entry.label == "Mon, 23 Nov 2026 (whole day)"
    assert two.entry.label == "Tue, 24 Nov 2026 – Wed, 25 Nov 2026"
    badges = {d.date: d.badge for d in calendar(session, doctor_id=doctor.id, now=NOW, days=7)}
    assert [badges[MONDAY + timedelta(days=i)] for i in range(4)] == [
        "Not available",
        "Not available",
        "Not available",
        "Available",
    ]
    listed = list_time_off(session, doctor_id=doctor.id, now=NOW)
    assert [e.reason for e in listed] == ["Conference", "Leave"]


def test_a_single_slot(session: Session, doctor, doctor_user) -> None:
    start, end = span(session, doctor, "slot", date_from="2026-11-23", time_from="10:15")
    assert (start, end) == (local(MONDAY, "10:15"), local(MONDAY, "10:30"))
    block_time(session, doctor, doctor_user, start, end, reason="Staff meeting")
    states = slot_states(session, doctor, MONDAY)
    assert [k for k, v in states.items() if v == "blocked"] == ["10:15 AM"]
    with pytest.raises(ValidationFailed) as no_slot:
        span(session, doctor, "slot", date_from="2026-11-23", time_from="10:20")
    assert "no slot" in no_slot.value.fields["time_from"]


@pytest.mark.parametrize(
    ("kind", "form", "field"),
    [
        ("week", {"date_from": "2026-11-23"}, "kind"),
        ("day", {"date_from": "23/11/2026"}, "date_from"),
        ("day", {"date_from": "2026-02-30"}, "date_from"),
        ("range", {"date_from": "2026-11-25", "date_to": "2026-11-23"}, "date_to"),
        ("range", {"date_from": "2026-11-25"}, "date_to"),
        ("hours", {"date_from": "2026-11-23", "time_from": "18:00", "time_to": "14:00"}, "time_to"),
        (
            "hours",
            {"date_from": "2026-11-23", "time_from": "25:00", "time_to": "26:00"},
            "time_from",
        ),
    ],
)
def test_a_time_off_form_that_makes_no_sense_is_refused(
    session: Session, doctor, kind: str, form: dict, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        span(session, doctor, kind, **form)
    assert field in refused.value.fields


def test_time_off_validation(session: Session, doctor, doctor_user) -> None:
    start, end = local(MONDAY, "14:00"), local(MONDAY, "18:00")
    cases = [
        ({"reason": "  "}, start, end, "reason"),
        ({"reason": "x" * 301}, start, end, "reason"),
        ({}, end, start, "end"),
        ({}, start, start, "end"),
        ({}, local(FRIDAY, "06:00"), local(FRIDAY, "08:00"), "start"),
        ({}, start, start + timedelta(days=400), "end"),
    ]
    for extra, a, b, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            block_time(session, doctor, doctor_user, a, b, **extra)
        assert field in refused.value.fields
    assert session.exec(select(TimeOff)).all() == []
    # Time off that began earlier today still blocks what is left of it.
    change = block_time(
        session, doctor, doctor_user, local(FRIDAY, "08:00"), local(FRIDAY, "12:00")
    )
    assert change.entry.start_at == local(FRIDAY, "08:00")


def test_time_off_over_booked_visits_is_refused_then_cancels_them(
    session: Session, doctor, doctor_user
) -> None:
    booked = _booked_week(session, doctor)
    start, end = local(MONDAY, "14:00"), local(MONDAY, "18:00")

    with pytest.raises(ScheduleConflict) as refused:
        block_time(session, doctor, doctor_user, start, end, reason="Medical conference")
    assert [a.id for a in refused.value.affected] == [booked["paid"].id, booked["held"].id]
    assert session.exec(select(TimeOff)).all() == []

    change = block_time(
        session,
        doctor,
        doctor_user,
        start,
        end,
        reason="Medical conference",
        cancel_affected=True,
        expected_affected=[a.id for a in refused.value.affected],
    )

    assert len(change.cancelled) == 2
    paid = fresh(session, booked["paid"].id)
    assert (paid.status, paid.payment_status, paid.cancel_reason) == (
        "cancelled",
        "Refunded",
        "Medical conference",
    )
    assert fresh(session, booked["morning"].id).status == "confirmed"
    states = slot_states(session, doctor, MONDAY)
    assert states["03:00 PM"] == "blocked" and states["09:30 AM"] == "taken"


def test_removing_time_off_gives_the_slots_back(session: Session, doctor, doctor_user) -> None:
    change = block_time(
        session, doctor, doctor_user, local(MONDAY, "14:00"), local(MONDAY, "18:00")
    )
    stranger = link_doctor_user(session, create_doctor(session))
    with pytest.raises(Forbidden):
        remove_time_off(
            session,
            doctor_id=doctor.id,
            time_off_id=change.entry.id,
            actor_id=stranger.id,
            actor_role=Role.DOCTOR,
            now=NOW,
        )
    for crafted in (change.entry.id + 1, str(change.entry.id), None):
        with pytest.raises(NotFound):
            remove_time_off(
                session,
                doctor_id=doctor.id,
                time_off_id=crafted,  # type: ignore[arg-type]
                actor_id=doctor_user.id,
                actor_role=Role.DOCTOR,
                now=NOW,
            )

    removed = remove_time_off(
        session,
        doctor_id=doctor.id,
        time_off_id=change.entry.id,
        actor_id=doctor_user.id,
        actor_role=Role.DOCTOR,
        now=NOW,
    )

    assert removed.id == change.entry.id
    assert set(slot_states(session, doctor, MONDAY).values()) == {"free"}
    assert list_time_off(session, doctor_id=doctor.id, now=NOW) == ()
    assert session.exec(select(AuditEvent.action).where(AuditEvent.entity == "time_off")).all() == [
        "time_off_added",
        "time_off_removed",
    ]


def test_list_time_off_skips_what_has_ended(session: Session, doctor, doctor_user) -> None:
    block_time(session, doctor, doctor_user, local(FRIDAY, "08:00"), local(FRIDAY, "10:00"))
    block_time(session, doctor, doctor_user, local(MONDAY, "08:00"), local(MONDAY, "10:00"))
    later = local(FRIDAY, "11:00")
    assert [e.start_at for e in list_time_off(session, doctor_id=doctor.id, now=later)] == [
        local(MONDAY, "08:00")
    ]


def _remove(session: Session, doctor, user, time_off_id: int) -> None:
    remove_time_off(
        session,
        doctor_id=doctor.id,
        time_off_id=time_off_id,
        actor_id=user.id,
        actor_role=user.role,
        now=NOW,
    )


def _freed(session: Session) -> list[tuple[int, object]]:
    rows = session.exec(select(FreedSlot).order_by(FreedSlot.start_at)).all()
    return [(row.doctor_id, row.start_at) for row in rows]


def test_removed_time_off_records_the_slots_it_gives_back_for_the_waitlist(
    session: Session, doctor, doctor_user
) -> None:
    still_off = block_time(
        session, doctor, doctor_user, local(MONDAY, "14:30"), local(MONDAY, "14:45")
    )
    change = block_time(
        session, doctor, doctor_user, local(MONDAY, "14:00"), local(MONDAY, "16:00")
    )
    assert _freed(session) == []

    _remove(session, doctor, doctor_user, change.entry.id)

    given_back = ["14:00", "14:15", "14:45", "15:00", "15:15", "15:30", "15:45"]
    assert _freed(session) == [(doctor.id, local(MONDAY, clock)) for clock in given_back]
    _remove(session, doctor, doctor_user, still_off.entry.id)
    assert _freed(session)[1:3] == [(doctor.id, local(MONDAY, c)) for c in ("14:15", "14:30")]


def test_long_time_off_gives_back_only_future_slots_within_the_booking_horizon(
    session: Session, doctor, doctor_user
) -> None:
    change = block_time(
        session, doctor, doctor_user, local(FRIDAY, "00:00"), local(FRIDAY + timedelta(60), "00:00")
    )
    _remove(session, doctor, doctor_user, change.entry.id)

    horizon_days = [FRIDAY + timedelta(days=i) for i in range(30)]
    expected = [
        (doctor.id, slot.start_at)
        for day in horizon_days
        for slot in day_slots(session, doctor_id=doctor.id, day=day, now=NOW)
        if slot.state == "free"
    ]
    assert len(expected) > 300 and _freed(session) == expected
    assert min(start for _, start in expected) > NOW
