"""All of a doctor's appointments: the paged list (scopes, status filter, search by the
person's name or phone, family members) and the week view in clinic time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import Appointment
from healthcareplus.domain.accounts.dependants import add_dependant
from healthcareplus.domain.clinical.doctor_appointments import (
    STATUS_FILTERS,
    doctor_appointments,
    doctor_week,
)
from tests.factories import create_appointment, create_doctor, create_patient, local

EVERY_DAY = tuple((d, "08:00", "20:00", 30) for d in range(7))
MONDAY = date(2026, 11, 23)
NOW = local(MONDAY + timedelta(days=2), "11:00")  # Wednesday 11:00 IST
TODAY = MONDAY + timedelta(days=2)


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Nithya Subramanian", schedule=EVERY_DAY)


@pytest.fixture
def other(session: Session):
    return create_doctor(session, name="Dr. Rao", schedule=EVERY_DAY)


def person(session: Session, name: str, phone: str = "+91 98450 11111"):
    row = create_patient(session, name=name)
    row.phone = phone
    session.add(row)
    session.commit()
    return row


def at(session: Session, doctor, day: date, hhmm: str, who, **kw) -> Appointment:
    dependant_id = kw.pop("dependant_id", None)
    row = create_appointment(
        session, doctor=doctor, patient=who, start_at=local(day, hhmm), minutes=30, **kw
    )
    if dependant_id is not None:
        row.dependant_id = dependant_id
        session.add(row)
        session.commit()
    return row


def ids(page) -> list[str]:
    return [r.appointment_id for r in page.items]


@pytest.fixture
def practice(session: Session, doctor, other):
    asha = person(session, "Asha Patel", "+91 98450 12345")
    ravi = person(session, "Ravi Kumar", "+91 99000 55555")
    child = add_dependant(
        session,
        holder_id=asha.id,
        now=NOW,
        name="Riya Patel",
        relation="child",
        date_of_birth="2019-05-04",
    )
    session.commit()
    rows = {
        "asha_past": at(session, doctor, MONDAY, "09:00", asha, status="completed"),
        "ravi_noshow": at(session, doctor, MONDAY, "10:00", ravi, status="no_show"),
        "riya_past": at(
            session, doctor, MONDAY, "11:00", asha, status="completed", dependant_id=child.id
        ),
        "ravi_cancelled": at(session, doctor, TODAY, "09:00", ravi, status="cancelled"),
        "asha_today": at(session, doctor, TODAY, "10:00", asha),  # over, not closed yet
        "ravi_next": at(session, doctor, TODAY + timedelta(days=1), "09:00", ravi),
        "asha_next_week": at(session, doctor, MONDAY + timedelta(days=7), "09:00", asha),
        "lapsed": at(
            session,
            doctor,
            TODAY + timedelta(days=2),
            "09:00",
            ravi,
            status="pending_payment",
            hold_expires_at=NOW - timedelta(minutes=5),
        ),
        "holding": at(
            session,
            doctor,
            TODAY + timedelta(days=2),
            "10:00",
            ravi,
            status="pending_payment",
            hold_expires_at=NOW + timedelta(minutes=5),
        ),
        "theirs": at(session, other, TODAY, "10:00", asha),
    }
    return {k: v.id for k, v in rows.items()}, child


def listed(session, doctor, **kw):
    return doctor_appointments(session, doctor_id=doctor.id, now=NOW, **kw)


def test_upcoming_from_the_start_of_today_soonest_first(session, doctor, practice) -> None:
    a, _ = practice
    page = listed(session, doctor)
    assert ids(page) == [
        a["ravi_cancelled"],
        a["asha_today"],
        a["ravi_next"],
        a["holding"],
        a["asha_next_week"],
    ]
    today = page.items[1]
    assert (today.patient_name, today.date_label, today.time_label) == (
        "Asha Patel",
        "Wed, 25 Nov 2026",
        "10:00 AM",
    )
    assert [r.status_label for r in page.items][:3] == ["Cancelled", "To close", "Upcoming"]


def test_past_latest_first_and_all(session, doctor, practice) -> None:
    a, _ = practice
    assert ids(listed(session, doctor, scope="past")) == [
        a["riya_past"],
        a["ravi_noshow"],
        a["asha_past"],
    ]
    every = ids(listed(session, doctor, scope="all"))
    assert every[0] == a["asha_next_week"] and every[-1] == a["asha_past"]
    assert a["theirs"] not in every and a["lapsed"] not in every
    assert len(every) == 8


def test_the_status_filter(session, doctor, practice) -> None:
    a, _ = practice

    def by(status: str) -> list[str]:
        return ids(listed(session, doctor, scope="all", status=status))

    assert by("completed") == [a["riya_past"], a["asha_past"]]
    assert by("no_show") == [a["ravi_noshow"]]
    assert by("cancelled") == [a["ravi_cancelled"]]
    assert by("pending_payment") == [a["holding"]]
    assert by("expired") == [a["lapsed"]]  # a hold that lapsed unpaid
    assert set(by("confirmed")) == {a["asha_today"], a["ravi_next"], a["asha_next_week"]}
    assert len(by("nonsense")) == len(by("")) == 8
    assert {value for value, _ in STATUS_FILTERS} >= {"", "completed", "expired"}


def test_search_by_name_phone_and_family_member(session, doctor, practice) -> None:
    a, _ = practice

    def found(query: str) -> list[str]:
        return ids(listed(session, doctor, scope="past", query=query))

    assert found("ravi") == [a["ravi_noshow"]]
    assert found("RIYA") == [a["riya_past"]]
    riya = listed(session, doctor, scope="past", query="riya").items[0]
    assert (riya.patient_name, riya.booked_by) == ("Riya Patel", "Asha Patel")
    # The account holder's name finds the family member's visits too.
    assert found("patel") == [a["riya_past"], a["asha_past"]]
    assert found("12345") == [a["riya_past"], a["asha_past"]]  # the holder's phone
    assert found("98450 123") == [a["riya_past"], a["asha_past"]]  # words, then digits
    assert found("asha kumar") == []  # every word must match
    assert found("%") == [] and found("_") == []  # escaped, not wildcards
    assert found("x" * 5000) == []


def test_paging_clamps_and_never_overlaps(session, doctor, practice) -> None:
    first = listed(session, doctor, scope="all", per_page=3)
    second = listed(session, doctor, scope="all", per_page=3, page=2)
    last = listed(session, doctor, scope="all", per_page=3, page=99)
    junk = listed(session, doctor, scope="all", per_page=3, page="x")
    assert (first.paging.total, first.paging.pages) == (8, 3)
    assert not set(ids(first)) & set(ids(second))
    assert last.paging.page == 3 and len(last.items) == 2
    assert ids(junk) == ids(first)


def test_another_doctor_lists_none_of_them(session, other, practice) -> None:
    a, _ = practice
    page = listed(session, other, scope="all")
    assert ids(page) == [a["theirs"]]


def test_the_week_in_clinic_time(session, doctor, practice) -> None:
    a, _ = practice
    week = doctor_week(session, doctor_id=doctor.id, week_start=TODAY, now=NOW)
    assert (week.start, week.previous, week.next) == ("2026-11-23", "2026-11-16", "2026-11-30")
    assert week.is_current and week.label == "23 Nov – 29 Nov 2026"
    assert [d.label for d in week.days][:3] == ["Mon 23 Nov", "Tue 24 Nov", "Wed 25 Nov"]
    assert [d.is_today for d in week.days] == [False, False, True, False, False, False, False]
    by_day = {d.day: [v.appointment_id for v in d.visits] for d in week.days}
    assert by_day["2026-11-23"] == [a["asha_past"], a["ravi_noshow"], a["riya_past"]]
    # Cancelled visits and lapsed holds are not in the week; a live hold is.
    assert by_day["2026-11-25"] == [a["asha_today"]]
    assert by_day["2026-11-27"] == [a["holding"]]
    assert week.total == 6
    visit = week.days[0].visits[2]
    assert (visit.time_label, visit.end_label, visit.patient_name) == (
        "11:00 AM",
        "11:30 AM",
        "Riya Patel",
    )
    following = doctor_week(
        session, doctor_id=doctor.id, week_start=date.fromisoformat(week.next), now=NOW
    )
    assert [v.appointment_id for d in following.days for v in d.visits] == [a["asha_next_week"]]
    assert not following.is_current


def test_the_week_boundaries_are_clinic_midnights(session, doctor) -> None:
    """Monday 00:10 IST is Sunday evening UTC; Sunday 23:50 IST is still the same week."""
    who = person(session, "Asha Patel")
    early = at(session, doctor, MONDAY, "00:10", who)
    late = at(session, doctor, MONDAY + timedelta(days=6), "23:30", who)
    before = at(session, doctor, MONDAY - timedelta(days=1), "23:30", who)
    assert early.start_at.astimezone(UTC).date() == MONDAY - timedelta(days=1)
    week = doctor_week(session, doctor_id=doctor.id, week_start=MONDAY, now=NOW)
    assert [v.appointment_id for v in week.days[0].visits] == [early.id]
    assert [v.appointment_id for v in week.days[6].visits] == [late.id]
    earlier = doctor_week(
        session, doctor_id=doctor.id, week_start=MONDAY - timedelta(days=1), now=NOW
    )
    assert earlier.start == "2026-11-16"
    assert [v.appointment_id for v in earlier.days[6].visits] == [before.id]


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2100, 1, 4), "2026-11-23", None])
def test_a_week_out_of_range_is_refused(session, doctor, day) -> None:
    with pytest.raises(ValidationFailed):
        doctor_week(session, doctor_id=doctor.id, week_start=day, now=NOW)


def test_a_datetime_counts_as_its_day(session, doctor) -> None:
    week = doctor_week(
        session, doctor_id=doctor.id, week_start=datetime(2026, 11, 29, 23, 0), now=NOW
    )
    assert week.start == "2026-11-23"
