"""Calendar invitations: one event per appointment (stable UID), updated by each
reschedule (a higher SEQUENCE) and removed by a cancellation (METHOD:CANCEL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from healthcareplus.core.models import Doctor, Hospital, Notification, Role, User
from healthcareplus.domain.booking.appointments import cancel, reschedule
from healthcareplus.domain.notifications import calendar
from healthcareplus.domain.notifications.news_letters import write_pending_news
from tests.factories import (
    create_booking,
    create_doctor,
    create_hospital,
    create_patient,
    link_doctor_user,
    local,
)

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(MONDAY, "10:00")


def parsed(ics: str) -> tuple[Calendar, Any]:
    cal = Calendar.from_ical(ics)
    assert isinstance(cal, Calendar)
    (event,) = cal.walk("VEVENT")
    return cal, event


def invitations(session: Session, appointment_id: str, user_id: int) -> list[str]:
    """The patient's email attachments of the appointment, oldest first (once the worker
    has written them)."""
    write_pending_news(session, now=NOW)
    session.expire_all()
    rows = session.exec(
        select(Notification)
        .where(
            Notification.appointment_id == appointment_id,
            Notification.channel == "email",
            Notification.user_id == user_id,
        )
        .order_by(col(Notification.id))
    ).all()
    return [row.attachment for row in rows]


@pytest.fixture
def booked(session: Session) -> tuple[Any, User, Doctor, Hospital]:
    hospital = create_hospital(
        session, name="Apollo Greams Road", address="21 Greams Lane, Chennai"
    )
    doctor = create_doctor(session, name="Dr. Meera Iyer", hospital=hospital)
    link_doctor_user(session, doctor)
    patient = create_patient(session, name="Asha Rao")
    appointment = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    return appointment, patient, doctor, hospital


def test_a_confirmation_invites_to_the_visit_in_utc_with_a_reminder(
    session: Session, booked: tuple[Any, User, Doctor, Hospital]
) -> None:
    appointment, patient, _, hospital = booked
    (ics,) = invitations(session, appointment.id, patient.id)
    cal, event = parsed(ics)

    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{appointment.id}@healthcareplus.in"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == "Appointment with Dr. Meera Iyer"
    assert str(event["LOCATION"]) == "Apollo Greams Road, 21 Greams Lane, Chennai"
    assert str(event["STATUS"]) == "CONFIRMED"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == SLOT and end == appointment.end_at
    assert start.utcoffset() == timedelta(0) and "Z" in ics.split("DTSTART:", 1)[1][:17]
    assert str(event["ORGANIZER"]) == "mailto:no-reply@healthcareplus.in"
    assert event["ORGANIZER"].params["CN"] == hospital.name
    assert str(event["ATTENDEE"]) == f"mailto:{patient.email}"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    assert str(alarm["ACTION"]) == "DISPLAY"


def test_each_reschedule_updates_the_same_event_and_a_cancellation_removes_it(
    session: Session, booked: tuple[Any, User, Doctor, Hospital]
) -> None:
    appointment, patient, _, _ = booked
    for hhmm in ("11:00", "11:30"):
        reschedule(
            session,
            appointment_id=appointment.id,
            patient_id=patient.id,
            new_start_at=local(MONDAY, hhmm),
            now=NOW,
        )
        session.commit()
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW,
    )
    session.commit()

    calendars = [parsed(ics) for ics in invitations(session, appointment.id, patient.id)]
    assert [str(cal["METHOD"]) for cal, _ in calendars] == [
        "REQUEST",
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert {str(event["UID"]) for _, event in calendars} == {f"{appointment.id}@healthcareplus.in"}
    assert [int(event["SEQUENCE"]) for _, event in calendars] == [0, 1, 2, 3]
    assert [event.decoded("DTSTART") for _, event in calendars[:3]] == [
        SLOT,
        local(MONDAY, "11:00"),
        local(MONDAY, "11:30"),
    ]
    _, cancelled = calendars[-1]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.walk("VALARM") == []


def test_the_doctor_gets_the_same_event(
    session: Session, booked: tuple[Any, User, Doctor, Hospital]
) -> None:
    appointment, patient, doctor, _ = booked
    (mine,) = invitations(session, appointment.id, patient.id)
    (theirs,) = invitations(session, appointment.id, doctor.user_id)
    doctor_user = session.get(User, doctor.user_id)
    _, event = parsed(theirs)
    assert str(event["UID"]) == str(parsed(mine)[1]["UID"])
    assert str(event["ATTENDEE"]) == f"mailto:{doctor_user.email}"


def test_method_of_reads_the_method() -> None:
    invite = calendar.Invitation(
        appointment_id="a1",
        start_at=datetime(2026, 11, 23, 4, 30, tzinfo=UTC),
        end_at=datetime(2026, 11, 23, 4, 45, tzinfo=UTC),
        doctor="Meera Iyer",
        hospital="Apollo",
        hospital_address="",
        attendee_email="asha@example.com",
        attendee_name="Asha",
        sequence=4,
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)
    request = calendar.invitation_ics(invite, method=calendar.REQUEST, now=now)
    cancelled = calendar.invitation_ics(invite, method=calendar.CANCEL, now=now)
    assert (calendar.method_of(request), calendar.method_of(cancelled)) == ("REQUEST", "CANCEL")
    assert calendar.method_of("") == ""
    assert str(parsed(request)[1]["SUMMARY"]) == "Appointment with Dr. Meera Iyer"
    assert str(parsed(request)[1]["LOCATION"]) == "Apollo"
