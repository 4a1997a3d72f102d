from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlmodel import Session

from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import format_clock
from healthcareplus.core.models import AppointmentStatus
from healthcareplus.domain.scheduling import slot_times, slots
from healthcareplus.domain.scheduling.availability import (
    BADGE_ALMOST_FULL,
    BADGE_AVAILABLE,
    BADGE_FILLING_FAST,
    BADGE_FULL,
    BADGE_NOT_AVAILABLE,
    available_doctor_ids,
    calendar,
    day_slots,
    next_free_slots,
    weekly_schedule,
)
from healthcareplus.domain.scheduling.time_off import MAX_TIME_OFF_DAYS
from tests.factories import (
    IST,
    WEEKDAYS_WITH_BREAK,
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    local,
)

MONDAY = date(2026, 11, 23)
# Friday before, 09:00 IST: every slot of MONDAY is in the future.
EARLIER = local(date(2026, 11, 20), "09:00")
EVERY_DAY_9_TO_10 = tuple((d, "09:00", "10:00", 15) for d in range(7))


@contextmanager
def count_queries(session: Session) -> Iterator[list[str]]:
    """Collect the SQL statements the session's engine runs inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def states(slots) -> list[str]:
    return [s.state for s in slots]


# --- one day -----------------------------------------------------------------------------


def test_normal_morning_gives_sixteen_quarter_hour_slots(session):
    doctor = create_doctor(session)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert len(slots) == 16
    assert slots[0].label == "09:00 AM" and slots[-1].label == "12:45 PM"
    assert slots[0].start_at == datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    assert all(s.end_at - s.start_at == timedelta(minutes=15) for s in slots)
    assert all(s.local_date == MONDAY for s in slots)
    assert states(slots) == ["free"] * 16
    assert all(s.start_at.tzinfo is not None for s in slots)


def test_break_between_blocks_has_no_slots(session):
    doctor = create_doctor(session, schedule=WEEKDAYS_WITH_BREAK)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    labels = [s.label for s in slots]
    assert len(slots) == 32
    assert labels[15:17] == ["12:45 PM", "02:00 PM"]
    lunch_start, lunch_end = local(MONDAY, "13:00"), local(MONDAY, "14:00")
    assert not any(lunch_start <= s.start_at < lunch_end for s in slots)


def test_slot_length_follows_block_and_never_runs_past_its_end(session):
    doctor = create_doctor(session, schedule=[(0, "09:00", "10:00", 15), (0, "14:00", "15:10", 20)])
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    afternoon = [s for s in slots if "PM" in s.label]
    assert [s.label for s in afternoon] == ["02:00 PM", "02:20 PM", "02:40 PM"]
    assert all(s.end_at - s.start_at == timedelta(minutes=20) for s in afternoon)
    assert afternoon[-1].end_at <= local(MONDAY, "15:10")


def test_day_without_schedule_has_no_slots(session):
    doctor = create_doctor(session)
    sunday = MONDAY - timedelta(days=1)
    assert day_slots(session, doctor_id=doctor.id, day=sunday, now=EARLIER, zone=IST) == []


def test_time_off_blocks_every_overlapping_slot(session):
    doctor = create_doctor(session)
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "00:00"), end_at=local(MONDAY, "23:59")
    )
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert states(slots) == ["blocked"] * 16


def test_single_blocked_slot_and_partial_overlap(session):
    doctor = create_doctor(session)
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "09:30"), end_at=local(MONDAY, "09:45")
    )
    # Ends exactly when 11:00 starts: [10:40, 11:00) blocks 10:30 and 10:45 only.
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "10:40"), end_at=local(MONDAY, "11:00")
    )
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    blocked = [s.label for s in slots if s.state == "blocked"]
    assert blocked == ["09:30 AM", "10:30 AM", "10:45 AM"]
    assert len(slots) == 16


def test_time_off_of_another_doctor_or_day_does_not_block(session):
    doctor = create_doctor(session)
    other = create_doctor(session)
    create_time_off(
        session, doctor=other, start_at=local(MONDAY, "09:00"), end_at=local(MONDAY, "13:00")
    )
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(MONDAY + timedelta(days=1), "09:00"),
        end_at=local(MONDAY + timedelta(days=1), "13:00"),
    )
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert set(states(slots)) == {"free"}


def test_taken_free_past_and_min_notice(session):
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=local(MONDAY, "11:00"))
    # A completed visit earlier in the day stays "taken", not "past".
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "09:00"),
        status=AppointmentStatus.COMPLETED,
    )
    now = local(MONDAY, "09:20")
    slots = day_slots(
        session, doctor_id=doctor.id, day=MONDAY, now=now, zone=IST, min_notice_minutes=60
    )
    by_label = {s.label: s.state for s in slots}
    assert by_label["09:00 AM"] == "taken"
    assert by_label["09:15 AM"] == "past"  # already started
    for label in ("09:30 AM", "09:45 AM", "10:00 AM", "10:15 AM"):
        assert by_label[label] == "past"  # within the 60 min notice
    assert by_label["10:30 AM"] == "free"
    assert by_label["11:00 AM"] == "taken"

    no_notice = day_slots(
        session, doctor_id=doctor.id, day=MONDAY, now=now, zone=IST, min_notice_minutes=0
    )
    assert {s.label: s.state for s in no_notice}["09:30 AM"] == "free"


def test_slot_starting_exactly_now_is_past(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "10:00")
    slots = day_slots(
        session, doctor_id=doctor.id, day=MONDAY, now=now, zone=IST, min_notice_minutes=0
    )
    assert {s.label: s.state for s in slots}["10:00 AM"] == "past"


def test_min_notice_defaults_to_settings(session, monkeypatch):
    from healthcareplus.core.config import get_settings

    monkeypatch.setenv("HCP_MIN_NOTICE_MINUTES", "30")
    get_settings.cache_clear()
    doctor = create_doctor(session)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=local(MONDAY, "09:50"))
    by_label = {s.label: s.state for s in slots}
    assert by_label["10:15 AM"] == "past" and by_label["10:30 AM"] == "free"
    get_settings.cache_clear()


def test_pending_holds_count_only_until_they_expire(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "08:00")
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:00"),
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=now + timedelta(minutes=5),
    )
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:15"),
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=now - timedelta(seconds=1),
    )
    create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:30"),
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=now,  # expires at this very instant: no longer held
    )
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=now, zone=IST)
    by_label = {s.label: s.state for s in slots}
    assert by_label["10:00 AM"] == "taken"
    assert by_label["10:15 AM"] == "free"
    assert by_label["10:30 AM"] == "free"
    # Ten minutes later the live hold has expired too.
    later = day_slots(
        session, doctor_id=doctor.id, day=MONDAY, now=now + timedelta(minutes=10), zone=IST
    )
    assert {s.label: s.state for s in later}["10:00 AM"] == "free"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (AppointmentStatus.CONFIRMED, "taken"),
        (AppointmentStatus.COMPLETED, "taken"),
        (AppointmentStatus.NO_SHOW, "taken"),
        (AppointmentStatus.CANCELLED, "free"),
        (AppointmentStatus.EXPIRED, "free"),
    ],
)
def test_status_decides_whether_a_slot_is_taken(session, status, expected):
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=local(MONDAY, "11:30"), status=status)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert {s.label: s.state for s in slots}["11:30 AM"] == expected
    assert states(slots).count("taken") == (1 if expected == "taken" else 0)


def test_cancelled_then_rebooked_slot_is_taken_once(session):
    doctor = create_doctor(session)
    start = local(MONDAY, "12:00")
    create_appointment(session, doctor=doctor, start_at=start, status=AppointmentStatus.CANCELLED)
    create_appointment(session, doctor=doctor, start_at=start)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert states(slots).count("taken") == 1


def test_appointment_off_the_grid_takes_the_slots_it_overlaps(session):
    """After a schedule change an old appointment may straddle two new slots."""
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=local(MONDAY, "09:10"), minutes=15)
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    taken = [s.label for s in slots if s.state == "taken"]
    assert taken == ["09:00 AM", "09:15 AM"]


def test_blocked_wins_over_taken(session):
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, start_at=local(MONDAY, "09:00"))
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "09:00"), end_at=local(MONDAY, "09:15")
    )
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert slots[0].state == "blocked"


def test_unknown_or_inactive_doctor_is_not_found(session):
    inactive = create_doctor(session, is_active=False)
    for doctor_id in (inactive.id, 999_999):
        with pytest.raises(NotFound):
            day_slots(session, doctor_id=doctor_id, day=MONDAY, now=EARLIER, zone=IST)
        with pytest.raises(NotFound):
            calendar(session, doctor_id=doctor_id, now=EARLIER, zone=IST)
        with pytest.raises(NotFound):
            next_free_slots(session, doctor_id=doctor_id, now=EARLIER, zone=IST)
        with pytest.raises(NotFound):
            weekly_schedule(session, doctor_id=doctor_id)


def test_naive_now_is_refused(session):
    doctor = create_doctor(session)
    with pytest.raises(ValueError):
        day_slots(session, doctor_id=doctor.id, day=MONDAY, now=datetime(2026, 11, 20), zone=IST)


# --- DST ---------------------------------------------------------------------------------


def assert_strictly_increasing(slots) -> None:
    starts = [s.start_at for s in slots]
    assert starts == sorted(set(starts))
    assert all(a.end_at <= b.start_at for a, b in zip(slots, slots[1:], strict=False))


@pytest.mark.parametrize(
    ("zone_name", "day", "expected"),
    [
        ("Europe/London", date(2026, 3, 29), 4),  # 01:00 and 01:30 do not exist
        ("Europe/London", date(2026, 10, 25), 8),  # 01:00 and 01:30 happen twice
        ("Europe/London", date(2026, 3, 22), 6),  # an ordinary Sunday
    ],
)
def test_night_block_across_dst_changes(session, zone_name, day, expected):
    zone = ZoneInfo(zone_name)
    doctor = create_doctor(session, schedule=[(6, "00:00", "03:00", 30)])
    now = datetime(2026, 3, 1, tzinfo=UTC)
    slots = day_slots(session, doctor_id=doctor.id, day=day, now=now, zone=zone)
    assert len(slots) == expected
    assert_strictly_increasing(slots)
    assert all(s.end_at - s.start_at == timedelta(minutes=30) for s in slots)
    assert all(s.local_date == day for s in slots)
    for slot in slots:  # every start is a real wall-clock time of that day in the zone
        assert slot.start_at.astimezone(zone).date() == day


def test_fall_back_gives_both_instants_of_an_ambiguous_time(session):
    zone = ZoneInfo("Europe/London")
    day = date(2026, 10, 25)
    doctor = create_doctor(session, schedule=[(6, "00:00", "03:00", 30)])
    slots = day_slots(
        session, doctor_id=doctor.id, day=day, now=datetime(2026, 3, 1, tzinfo=UTC), zone=zone
    )
    one_am = [s for s in slots if s.label.startswith("01:00 AM")]
    assert [s.start_at for s in one_am] == [
        datetime(2026, 10, 25, 0, 0, tzinfo=UTC),  # 01:00 BST
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # 01:00 GMT
    ]
    assert [s.label for s in one_am] == ["01:00 AM BST", "01:00 AM GMT"]
    # Booking one of them leaves the other free.
    create_appointment(session, doctor=doctor, start_at=one_am[1].start_at, minutes=30)
    again = day_slots(
        session, doctor_id=doctor.id, day=day, now=datetime(2026, 3, 1, tzinfo=UTC), zone=zone
    )
    assert [s.state for s in again if s.label.startswith("01:00 AM")] == ["free", "taken"]


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 8), 23), (date(2026, 11, 1), 25), (date(2026, 3, 15), 24)],
)
def test_whole_day_in_new_york_has_one_slot_per_real_hour(session, day, hours):
    zone = ZoneInfo("America/New_York")
    doctor = create_doctor(session, schedule=[(6, "00:00", "00:00", 60)])  # to midnight
    slots = day_slots(
        session, doctor_id=doctor.id, day=day, now=datetime(2026, 1, 1, tzinfo=UTC), zone=zone
    )
    assert len(slots) == hours
    assert_strictly_increasing(slots)
    assert slots[-1].end_at == datetime.combine(
        day + timedelta(days=1), datetime.min.time(), tzinfo=zone
    ).astimezone(UTC)


def test_calendar_across_dst_week(session):
    zone = ZoneInfo("Europe/London")
    doctor = create_doctor(session, schedule=[(d, "00:00", "03:00", 30) for d in range(7)])
    now = datetime(2026, 10, 22, 12, tzinfo=UTC)  # Thursday noon
    days = calendar(session, doctor_id=doctor.id, now=now, days=5, zone=zone)
    assert [d.date.isoformat() for d in days][3] == "2026-10-25"
    assert [d.total for d in days] == [6, 6, 6, 8, 6]
    assert days[0].badge == BADGE_NOT_AVAILABLE  # all of Thursday's slots are past


def _reference_candidates(day, blocks, zone):
    """Every slot start of the day, each wall time converted on its own (the slow, sure
    way): (start, end, label) in time order, overlaps dropped as ``day_candidates`` does."""
    found = []
    for block in blocks:
        if block.weekday != day.weekday():
            continue
        step = timedelta(minutes=block.slot_minutes)
        wall = datetime.combine(day, block.start_time)
        end_day = day + timedelta(days=1) if block.end_time == time(0) else day
        while wall + step <= datetime.combine(end_day, block.end_time):
            instants = slot_times.wall_instants(wall, zone)
            for instant in instants:
                label = format_clock(wall)
                if len(instants) > 1:
                    label = f"{label} {instant.astimezone(zone).tzname()}"
                found.append((instant, instant + step, label))
            wall += step
    found.sort(key=lambda c: c[:2])
    kept = []
    for cand in found:
        if not kept or cand[0] >= kept[-1][1]:
            kept.append(cand)
    return kept


@pytest.mark.parametrize(
    "zone_name", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
)
def test_day_candidates_match_wall_time_conversion_every_day_of_a_year(zone_name):
    """The quick path (one offset for a block that no offset change touches) gives what
    converting every wall time does, through every DST change of a year; Lord Howe moves
    by half an hour."""
    zone = ZoneInfo(zone_name)
    blocks = [
        slot_times.WorkBlock(d, time.fromisoformat(s), time.fromisoformat(e), minutes)
        for d in range(7)
        for s, e, minutes in (
            ("00:00", "03:00", 30),
            ("09:00", "13:00", 15),
            ("22:00", "00:00", 60),
        )
    ]
    for n in range(366):
        day = date(2026, 1, 1) + timedelta(days=n)
        got = [
            (c.start_at, c.end_at, c.label) for c in slot_times.day_candidates(1, day, blocks, zone)
        ]
        assert got == _reference_candidates(day, blocks, zone), day


def test_longest_time_off_bound_covers_the_longest_allowed():
    assert timedelta(days=MAX_TIME_OFF_DAYS + 1) <= slots.LONGEST_TIME_OFF


def test_time_off_that_began_long_ago_still_blocks(session):
    """Time off is read from at most ``LONGEST_TIME_OFF`` before the range: a year's leave
    that began 300 days before still blocks, in the calendar and in a day's slots."""
    doctor = create_doctor(session)
    create_time_off(
        session,
        doctor=doctor,
        start_at=local(MONDAY - timedelta(days=300), "00:00"),
        end_at=local(MONDAY - timedelta(days=300 - MAX_TIME_OFF_DAYS), "00:00"),
    )
    now = local(MONDAY, "07:00")
    days = calendar(session, doctor_id=doctor.id, now=now, days=7, zone=IST)
    assert [d.total for d in days] == [0] * 5 + [0, 0]  # weekdays blocked, weekend closed
    assert [d.badge for d in days] == [BADGE_NOT_AVAILABLE] * 7
    assert set(states(day_slots(session, doctor_id=doctor.id, day=MONDAY, now=now, zone=IST))) == {
        "blocked"
    }


# --- calendar ----------------------------------------------------------------------------


def book(session, doctor, day, labels) -> None:
    patient = create_patient(session)
    for hhmm in labels:
        create_appointment(session, doctor=doctor, patient=patient, start_at=local(day, hhmm))


def test_calendar_badges(session):
    doctor = create_doctor(session, schedule=EVERY_DAY_9_TO_10)  # 4 slots a day
    now = local(MONDAY, "12:00")  # Monday's slots are all past
    tue, wed, thu, fri, sat, sun = (MONDAY + timedelta(days=i) for i in range(1, 7))
    book(session, doctor, wed, ["09:00"])
    book(session, doctor, thu, ["09:00", "09:15"])
    book(session, doctor, fri, ["09:00", "09:15", "09:30"])
    book(session, doctor, sat, ["09:00", "09:15", "09:30", "09:45"])
    create_time_off(
        session, doctor=doctor, start_at=local(sun, "00:00"), end_at=local(sun, "23:00")
    )

    days = calendar(session, doctor_id=doctor.id, now=now, days=8, zone=IST)
    assert [d.date for d in days] == [MONDAY + timedelta(days=i) for i in range(8)]
    summary = [(d.weekday_label, d.total, d.taken, d.free, d.badge, d.bookable) for d in days]
    assert summary == [
        ("Mon", 4, 0, 0, BADGE_NOT_AVAILABLE, False),  # everything past
        ("Tue", 4, 0, 4, BADGE_AVAILABLE, True),  # 0 %
        ("Wed", 4, 1, 3, BADGE_AVAILABLE, True),  # 25 %
        ("Thu", 4, 2, 2, BADGE_FILLING_FAST, True),  # 50 %
        ("Fri", 4, 3, 1, BADGE_ALMOST_FULL, True),  # 75 %
        ("Sat", 4, 4, 0, BADGE_FULL, False),  # 100 %
        ("Sun", 0, 0, 0, BADGE_NOT_AVAILABLE, False),  # all blocked
        ("Mon", 4, 0, 4, BADGE_AVAILABLE, True),
    ]
    assert days[1].iso == "2026-11-24" and days[1].date_label == "Tue, 24 Nov 2026"
    assert days[1].day_label == "24 Nov"


def test_calendar_day_without_working_hours_is_not_available(session):
    doctor = create_doctor(session)  # Monday–Friday only
    days = calendar(session, doctor_id=doctor.id, now=EARLIER, days=7, zone=IST)
    weekend = [d for d in days if d.weekday_label in ("Sat", "Sun")]
    assert [(d.total, d.badge, d.bookable) for d in weekend] == [
        (0, BADGE_NOT_AVAILABLE, False),
        (0, BADGE_NOT_AVAILABLE, False),
    ]


def test_calendar_today_with_remaining_slots_all_taken_is_full(session):
    doctor = create_doctor(session, schedule=EVERY_DAY_9_TO_10)
    book(session, doctor, MONDAY, ["09:30", "09:45"])
    now = local(MONDAY, "09:20")
    today = calendar(session, doctor_id=doctor.id, now=now, days=1, zone=IST, min_notice_minutes=0)[
        0
    ]
    assert (today.total, today.taken, today.free, today.badge) == (4, 2, 0, BADGE_FULL)


def test_calendar_default_horizon_and_clinic_today(session):
    doctor = create_doctor(session)
    # 20:00 UTC on the 22nd is already the 23rd in Kolkata.
    now = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    days = calendar(session, doctor_id=doctor.id, now=now, zone=IST)
    assert len(days) == 30
    assert days[0].date == MONDAY


def make_busy_doctor(session, appointments: int):
    """Works 08:00–20:00 every day (48 slots); ``appointments`` spread over 30 days."""
    doctor = create_doctor(session, schedule=[(d, "08:00", "20:00", 15) for d in range(7)])
    patient = create_patient(session)
    slots_per_day = 48
    for i in range(appointments):
        day = MONDAY + timedelta(days=i // slots_per_day)
        start = local(day, "08:00") + timedelta(minutes=15 * (i % slots_per_day))
        create_appointment(session, doctor=doctor, patient=patient, start_at=start, commit=False)
    session.commit()
    return doctor


def test_calendar_query_count_does_not_grow_with_appointments(session):
    few = make_busy_doctor(session, 10)
    many = make_busy_doctor(session, 500)
    now = local(MONDAY, "07:00")
    counts = []
    results = {}
    for doctor in (few, many):
        session.expunge_all()  # no identity-map shortcut for either doctor
        with count_queries(session) as statements:
            results[doctor.id] = calendar(session, doctor_id=doctor.id, now=now, zone=IST)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 2  # the doctor with the weekly blocks; time off and appointments
    assert sum(d.taken for d in results[few.id]) == 10
    assert sum(d.taken for d in results[many.id]) == 500
    assert results[many.id][0].badge == BADGE_FULL  # 48 of 48 on the first day
    day_ten = results[many.id][10]  # 500 - 10 * 48 = 20 of 48 taken
    assert (day_ten.taken, day_ten.free, day_ten.badge) == (20, 28, BADGE_AVAILABLE)


def test_day_slots_query_count(session):
    doctor = create_doctor(session)
    book(session, doctor, MONDAY, ["09:00", "09:15", "10:00"])
    session.expunge_all()
    with count_queries(session) as statements:
        day_slots(session, doctor_id=doctor.id, day=MONDAY, now=EARLIER, zone=IST)
    assert len(statements) <= 2


# --- next free slots ---------------------------------------------------------------------


def test_next_free_slots_skip_taken_past_and_blocked(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "09:10")
    book(session, doctor, MONDAY, ["10:15", "10:30"])
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "10:45"), end_at=local(MONDAY, "11:15")
    )
    slots = next_free_slots(session, doctor_id=doctor.id, now=now, zone=IST, min_notice_minutes=60)
    assert [s.label for s in slots] == [
        "11:15 AM",
        "11:30 AM",
        "11:45 AM",
        "12:00 PM",
        "12:15 PM",
        "12:30 PM",
    ]
    assert all(s.state == "free" for s in slots)
    three = next_free_slots(session, doctor_id=doctor.id, now=now, limit=3, zone=IST)
    assert len(three) == 3


def test_next_free_slots_roll_over_to_later_days(session):
    doctor = create_doctor(session)
    now = local(MONDAY, "12:30")  # only 12:45 left today, within notice
    slots = next_free_slots(session, doctor_id=doctor.id, now=now, zone=IST, min_notice_minutes=60)
    assert {s.local_date for s in slots} == {MONDAY + timedelta(days=1)}
    assert slots[0].label == "09:00 AM"


# --- available doctors on a date ---------------------------------------------------------


def test_available_doctor_ids(session):
    hospital = create_hospital(session)
    free = create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10)
    full = create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10)
    on_leave = create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10)
    weekdays_only = create_doctor(session, hospital=hospital)
    inactive = create_doctor(session, hospital=hospital, is_active=False)
    book(session, full, MONDAY, ["09:00", "09:15", "09:30", "09:45"])
    create_time_off(
        session, doctor=on_leave, start_at=local(MONDAY, "00:00"), end_at=local(MONDAY, "23:00")
    )
    found = available_doctor_ids(session, day=MONDAY, now=EARLIER, zone=IST)
    assert free.id in found and weekdays_only.id in found
    assert {full.id, on_leave.id, inactive.id}.isdisjoint(found)

    sunday = MONDAY - timedelta(days=1)
    assert weekdays_only.id not in available_doctor_ids(session, day=sunday, now=EARLIER, zone=IST)
    only = available_doctor_ids(
        session, day=MONDAY, now=EARLIER, doctor_ids=[full.id, free.id], zone=IST
    )
    assert only == {free.id}
    assert available_doctor_ids(session, day=MONDAY, now=EARLIER, doctor_ids=[], zone=IST) == set()
    # Once the day's slots are gone nobody is available.
    late = local(MONDAY, "18:00")
    assert available_doctor_ids(session, day=MONDAY, now=late, zone=IST) == set()


def test_available_doctor_ids_query_count_is_bounded(session):
    hospital = create_hospital(session)
    doctors = [
        create_doctor(session, hospital=hospital, schedule=EVERY_DAY_9_TO_10, commit=False)
        for _ in range(25)
    ]
    for doctor in doctors[::2]:
        create_appointment(session, doctor=doctor, start_at=local(MONDAY, "09:00"), commit=False)
    session.commit()
    with count_queries(session) as statements:
        found = available_doctor_ids(session, day=MONDAY, now=EARLIER, zone=IST)
    assert len(found) == 25
    assert len(statements) <= 2  # the blocks of the doctors; time off and appointments


# --- weekly schedule ---------------------------------------------------------------------


def test_weekly_schedule(session):
    doctor = create_doctor(
        session,
        schedule=[*WEEKDAYS_WITH_BREAK, (5, "10:00", "12:00", 30), (5, "13:00", "14:00", 20)],
    )
    week = weekly_schedule(session, doctor_id=doctor.id)
    assert [d.day_name for d in week] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    monday = week[0]
    assert monday.blocks == ("09:00 AM – 01:00 PM", "02:00 PM – 06:00 PM")
    assert monday.hours_label == "09:00 AM – 01:00 PM, 02:00 PM – 06:00 PM"
    assert (monday.slot_minutes, monday.slot_label, monday.closed) == (15, "15 min slots", False)
    assert week[5].slot_label == "20–30 min slots"
    sunday = week[6]
    assert (sunday.closed, sunday.hours_label, sunday.blocks, sunday.slot_minutes) == (
        True,
        "Closed",
        (),
        None,
    )
