"""The next free slots of many doctors at once (doctor cards): the earliest day with a
free slot and its first few, by the same rules as the calendar, in a fixed number of
statements whatever the number of doctors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.models import AppointmentStatus
from healthcareplus.domain.scheduling.availability import next_free_slots
from healthcareplus.domain.scheduling.next_slots import (
    FIRST_WINDOW_DAYS,
    next_free_slots_by_doctor,
)
from tests.factories import (
    IST,
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    local,
)

MONDAY = date(2026, 11, 23)
BEFORE_OPENING = local(MONDAY, "07:00")  # Monday's slots (09:00-13:00) are all ahead
EVERY_DAY_9_TO_10 = tuple((d, "09:00", "10:00", 15) for d in range(7))


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def nxt(session, doctors, now=BEFORE_OPENING, **kwargs):
    """The function under test for ``doctors`` (rows), clinic zone IST, 60 min notice."""
    kwargs.setdefault("min_notice_minutes", 60)
    return next_free_slots_by_doctor(
        session, doctor_ids=[d.id for d in doctors], now=now, zone=IST, **kwargs
    )


def labels(found, doctor) -> list[str]:
    return [s.label for s in found[doctor.id].slots]


def test_first_three_slots_of_the_first_working_day(session):
    doctor = create_doctor(session)  # Monday-Friday 09:00-13:00, 15 min
    found = nxt(session, [doctor])
    first = found[doctor.id]
    assert (first.doctor_id, first.day, first.free_that_day) == (doctor.id, MONDAY, 16)
    assert labels(found, doctor) == ["09:00 AM", "09:15 AM", "09:30 AM"]
    assert all(s.state == "free" and s.local_date == MONDAY for s in first.slots)
    assert first.slots[0].start_at == local(MONDAY, "09:00")
    assert labels(nxt(session, [doctor], per_doctor=5), doctor)[-1] == "10:00 AM"
    assert len(nxt(session, [doctor], per_doctor=0)[doctor.id].slots) == 1


def test_days_without_working_hours_are_skipped(session):
    doctor = create_doctor(session)
    saturday = MONDAY - timedelta(days=2)
    found = nxt(session, [doctor], now=local(saturday, "08:00"))
    assert found[doctor.id].day == MONDAY


def test_a_day_off_moves_to_the_next_working_day(session):
    doctor = create_doctor(session)
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "00:00"), end_at=local(MONDAY, "23:59")
    )
    found = nxt(session, [doctor])
    assert found[doctor.id].day == MONDAY + timedelta(days=1)
    assert labels(found, doctor)[0] == "09:00 AM"


def test_blocked_and_taken_slots_are_skipped(session):
    doctor = create_doctor(session)
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "09:00"), end_at=local(MONDAY, "09:30")
    )
    create_appointment(session, doctor=doctor, start_at=local(MONDAY, "09:45"))
    found = nxt(session, [doctor])
    assert labels(found, doctor) == ["09:30 AM", "10:00 AM", "10:15 AM"]
    assert found[doctor.id].free_that_day == 16 - 3


def test_a_live_hold_takes_its_slot_and_a_lapsed_one_does_not(session):
    doctor = create_doctor(session)
    for hhmm, lapses_in in (("09:00", timedelta(minutes=5)), ("09:15", timedelta(seconds=-1))):
        create_appointment(
            session,
            doctor=doctor,
            start_at=local(MONDAY, hhmm),
            status=AppointmentStatus.PENDING_PAYMENT,
            hold_expires_at=BEFORE_OPENING + lapses_in,
        )
    assert labels(nxt(session, [doctor]), doctor) == ["09:15 AM", "09:30 AM", "09:45 AM"]
    later = BEFORE_OPENING + timedelta(minutes=6)  # the live hold has lapsed too
    assert labels(nxt(session, [doctor], now=later), doctor)[0] == "09:00 AM"


def test_minimum_notice_and_slots_already_begun(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "09:10")
    assert labels(nxt(session, [doctor], now=now), doctor)[0] == "10:15 AM"
    assert labels(nxt(session, [doctor], now=now, min_notice_minutes=0), doctor)[0] == "09:15 AM"
    # Past the last slot of the day (within notice): the next working day.
    late = nxt(session, [doctor], now=local(MONDAY, "12:00"))
    assert late[doctor.id].day == MONDAY + timedelta(days=1)


def test_only_the_earliest_day_even_when_it_has_fewer_slots_than_asked(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "11:20")  # 60 min notice: only 12:30 and 12:45 are left today
    found = nxt(session, [doctor], now=now)
    assert (found[doctor.id].day, labels(found, doctor)) == (MONDAY, ["12:30 PM", "12:45 PM"])
    assert found[doctor.id].free_that_day == 2


def test_the_booking_horizon_bounds_the_search(session):
    doctor = create_doctor(session)
    # On leave for the first ten days: beyond a first window of days, within the horizon.
    leave_days = FIRST_WINDOW_DAYS + 3
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "00:00"),
        end_at=local(MONDAY + timedelta(days=leave_days), "00:00"),
    )
    found = nxt(session, [doctor], days=30)
    assert found[doctor.id].day == MONDAY + timedelta(days=leave_days)  # a Thursday
    assert nxt(session, [doctor], days=leave_days) == {}
    assert nxt(session, [doctor], days=leave_days + 1)[doctor.id].day == found[doctor.id].day


@pytest.mark.parametrize(
    ("last_day", "days"), [(FIRST_WINDOW_DAYS - 1, 30), (9, 10)], ids=["first window", "horizon"]
)
def test_the_last_day_of_each_search_still_sees_its_bookings(session, last_day, days):
    doctor = create_doctor(session, schedule=EVERY_DAY_9_TO_10)
    day = MONDAY + timedelta(days=last_day)
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "00:00"), end_at=local(day, "00:00")
    )
    create_appointment(session, doctor=doctor, start_at=local(day, "09:00"))
    create_time_off(
        session, doctor=doctor, start_at=local(day, "09:30"), end_at=local(day, "09:45")
    )
    found = nxt(session, [doctor], days=days)
    assert (found[doctor.id].day, labels(found, doctor)) == (day, ["09:15 AM", "09:45 AM"])


def test_each_doctor_by_their_own_schedule_and_bookings(session):
    hospital = create_hospital(session)
    weekdays = create_doctor(session, hospital=hospital)
    every_day = create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10)
    full_today = create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10)
    patient = create_patient(session)
    for hhmm in ("09:00", "09:15", "09:30", "09:45"):
        create_appointment(
            session, doctor=full_today, patient=patient, start_at=local(MONDAY, hhmm)
        )
    # Time off of one doctor blocks nobody else.
    create_time_off(
        session, doctor=weekdays, start_at=local(MONDAY, "09:00"), end_at=local(MONDAY, "10:00")
    )
    inactive = create_doctor(session, hospital=hospital, is_active=False)
    no_hours = create_doctor(session, hospital=hospital, schedule=())
    saturday = MONDAY - timedelta(days=2)
    found = nxt(session, [weekdays, every_day, full_today, inactive, no_hours])
    assert set(found) == {weekdays.id, every_day.id, full_today.id}
    assert labels(found, weekdays) == ["10:00 AM", "10:15 AM", "10:30 AM"]
    assert (found[every_day.id].day, labels(found, every_day)[0]) == (MONDAY, "09:00 AM")
    assert found[full_today.id].day == MONDAY + timedelta(days=1)
    on_saturday = nxt(session, [weekdays, every_day], now=local(saturday, "07:00"))
    assert (on_saturday[weekdays.id].day, on_saturday[every_day.id].day) == (MONDAY, saturday)
    assert nxt(session, []) == {}
    assert next_free_slots_by_doctor(session, doctor_ids=[10**6], now=BEFORE_OPENING) == {}


def test_agrees_with_one_doctors_next_free_slots(session):
    """The set-based answer is the single-doctor one, cut at the end of its first day."""
    doctors = [create_doctor(session, schedule=EVERY_DAY_9_TO_10) for _ in range(3)]
    create_appointment(session, doctor=doctors[1], start_at=local(MONDAY, "09:15"))
    create_time_off(
        session,
        doctor=doctors[2],
        start_at=local(MONDAY, "09:00"),
        end_at=local(MONDAY + timedelta(days=1), "09:30"),
    )
    now = local(MONDAY, "07:50")
    found = nxt(session, doctors, now=now)
    for doctor in doctors:
        single = next_free_slots(
            session, doctor_id=doctor.id, now=now, limit=10, zone=IST, min_notice_minutes=60
        )
        first_day = [s for s in single if s.local_date == single[0].local_date]
        assert list(found[doctor.id].slots) == first_day[:3]


def make_doctors(session: Session, count: int) -> list:
    """``count`` doctors, every other one with a booking; the last on leave for ten days,
    so the rest of the horizon is read for that one."""
    hospital = create_hospital(session, commit=False)
    patient = create_patient(session, commit=False)
    doctors = [
        create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10, commit=False)
        for _ in range(count)
    ]
    for doctor in doctors[::2]:
        create_appointment(
            session, doctor=doctor, patient=patient, start_at=local(MONDAY, "09:00"), commit=False
        )
    create_time_off(
        session,
        doctor=doctors[-1],
        start_at=local(MONDAY, "00:00"),
        end_at=local(MONDAY + timedelta(days=10), "00:00"),
        commit=False,
    )
    session.commit()
    return doctors


@pytest.mark.parametrize("count", [1, 30])
def test_statements_do_not_grow_with_the_number_of_doctors(either_db: Session, count: int):
    doctors = make_doctors(either_db, count)
    either_db.expunge_all()
    with count_statements(either_db) as statements:
        found = nxt(either_db, doctors)
    # The doctors' weekly blocks; time off and appointments over the first window; the
    # same over the rest of the horizon for the doctor on leave.
    assert len(statements) == 3, statements
    assert len(found) == count
    assert found[doctors[-1].id].day == MONDAY + timedelta(days=10)
    with count_statements(either_db) as statements:
        nxt(either_db, doctors[:-1] or doctors, days=FIRST_WINDOW_DAYS)
    assert len(statements) <= 2
    with count_statements(either_db) as statements:
        assert nxt(either_db, []) == {}
    assert statements == []
