"""Reminders 24 h and 2 h before a visit, checked against the lifecycle when they fall
due: never for a cancelled, moved or completed visit; a move brings its own. Fixed clock:
booked on Friday 09:00 for Monday 10:00 (clinic time)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.models import Appointment, Notification, Role
from healthcareplus.domain.booking.appointments import cancel, reschedule
from healthcareplus.domain.notifications.centre import list_notifications, unread_count
from healthcareplus.domain.notifications.delivery import InAppSender, deliver_due
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.reminders import reminder_hours
from tests.factories import create_booking, create_doctor, create_patient, local

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(MONDAY, "10:00")
SENDERS = {"in_app": InAppSender()}  # email is covered by the delivery tests


def letters_written(session: Session, now: datetime) -> None:
    """What the job worker does seconds after a change: write its letters (and reminders)."""
    write_pending_news(session, now=now)
    session.commit()


def reminders(session: Session, appointment: Appointment) -> list[Notification]:
    session.expire_all()
    return list(
        session.exec(
            select(Notification)
            .where(Notification.appointment_id == appointment.id, Notification.event == "reminder")
            .order_by(col(Notification.due_at), col(Notification.channel))
        ).all()
    )


@pytest.fixture
def booked(session: Session) -> Appointment:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW)
    letters_written(session, NOW)
    return booked


def test_a_confirmation_queues_the_reminders_in_the_app_and_by_email(
    session: Session, booked: Appointment
) -> None:
    queued = reminders(session, booked)
    assert [(r.due_at, r.channel, r.status) for r in queued] == [
        (SLOT - timedelta(hours=24), "email", "queued"),
        (SLOT - timedelta(hours=24), "in_app", "queued"),
        (SLOT - timedelta(hours=2), "email", "queued"),
        (SLOT - timedelta(hours=2), "in_app", "queued"),
    ]
    assert queued[0].subject == "Reminder: Dr. Meera Iyer tomorrow, Mon, 23 Nov 2026, 10:00 AM"
    assert queued[2].subject.startswith("Reminder: Dr. Meera Iyer in 2 hours")
    assert all(r.about_start_at == SLOT and r.user_id == booked.patient_id for r in queued)
    # Not in the bell before its time.
    assert unread_count(session, user_id=booked.patient_id) == 1  # the confirmation only


def test_a_due_reminder_reaches_the_bell_and_a_later_one_waits(
    db_url: str, session: Session, booked: Appointment
) -> None:
    report = deliver_due(now=SLOT - timedelta(hours=23), senders=SENDERS, url=db_url)
    assert report.sent == 1
    assert [r.status for r in reminders(session, booked)] == ["kept", "sent", "queued", "queued"]
    page = list_notifications(session, user_id=booked.patient_id)
    assert page.items[0].subject.startswith("Reminder: Dr. Meera Iyer tomorrow")


def test_no_reminder_after_a_cancellation(
    db_url: str, session: Session, booked: Appointment
) -> None:
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=booked.patient_id,
        actor_role=Role.PATIENT,
        reason=None,
        now=NOW + timedelta(hours=1),
    )
    session.commit()
    for hours in (23, 1):
        deliver_due(now=SLOT - timedelta(hours=hours), senders=SENDERS, url=db_url)
    assert {r.status for r in reminders(session, booked)} == {"skipped"}
    assert all(not i.subject.startswith("Reminder") for i in list_notifications(
        session, user_id=booked.patient_id
    ).items)  # fmt: skip


def test_a_reschedule_moves_the_reminders(
    db_url: str, session: Session, booked: Appointment
) -> None:
    later = local(MONDAY, "12:00")
    reschedule(
        session,
        appointment_id=booked.id,
        patient_id=booked.patient_id,
        new_start_at=later,
        now=NOW + timedelta(hours=1),
    )
    session.commit()
    letters_written(session, NOW + timedelta(hours=1))

    # 10:00 minus 2 h has passed, 12:00 minus 2 h has too: the old one is skipped.
    deliver_due(now=later - timedelta(hours=2), senders=SENDERS, url=db_url)
    by_start = {
        (r.about_start_at, r.due_at, r.channel): r.status for r in reminders(session, booked)
    }
    assert by_start[(SLOT, SLOT - timedelta(hours=2), "in_app")] == "skipped"
    assert by_start[(later, later - timedelta(hours=2), "in_app")] == "sent"
    assert by_start[(later, later - timedelta(hours=24), "in_app")] == "sent"


def test_reminders_already_past_are_not_written(session: Session) -> None:
    doctor = create_doctor(session)
    soon = create_booking(
        session,
        doctor=doctor,
        start_at=SLOT,
        now=SLOT - timedelta(hours=5),
        patient=create_patient(session),
    )
    letters_written(session, SLOT - timedelta(hours=5))
    assert [r.due_at for r in reminders(session, soon) if r.channel == "in_app"] == [
        SLOT - timedelta(hours=2)
    ]


@pytest.mark.parametrize(
    ("setting", "hours"),
    [("24,2", (24, 2)), ("2, 48 ,x,0,-3", (48, 2)), ("", ())],
)
def test_reminder_hours_come_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, setting: str, hours: tuple[int, ...]
) -> None:
    from healthcareplus.core.config import get_settings

    monkeypatch.setenv("HCP_REMINDER_HOURS", setting)
    get_settings.cache_clear()
    try:
        assert reminder_hours() == hours
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def nudges(session: Session, appointment: Appointment) -> list[Notification]:
    session.expire_all()
    return list(
        session.exec(
            select(Notification).where(
                Notification.appointment_id == appointment.id, Notification.event == "hold_nudge"
            )
        ).all()
    )


def test_an_unpaid_hold_gets_one_nudge_before_it_lapses(db_url: str, session: Session) -> None:
    held = create_booking(
        session, doctor=create_doctor(session), start_at=SLOT, now=NOW, method=None
    )
    (nudge,) = nudges(session, held)
    assert held.hold_expires_at is not None
    assert (nudge.channel, nudge.status, nudge.link) == ("in_app", "queued", f"/pay/{held.id}")
    assert nudge.due_at == held.hold_expires_at - timedelta(minutes=3)

    deliver_due(now=nudge.due_at, senders=SENDERS, url=db_url)
    assert [n.status for n in nudges(session, held)] == ["sent"]
    assert (
        list_notifications(session, user_id=held.patient_id)
        .items[0]
        .subject.startswith("Your slot at 10:00 AM is held")
    )


def test_a_hold_paid_in_time_is_not_nudged(db_url: str, session: Session) -> None:
    paid = create_booking(session, doctor=create_doctor(session), start_at=SLOT, now=NOW)
    (nudge,) = nudges(session, paid)
    deliver_due(now=nudge.due_at, senders=SENDERS, url=db_url)
    assert [n.status for n in nudges(session, paid)] == ["skipped"]


def test_reminders_follow_the_patients_choices(session: Session) -> None:
    from healthcareplus.domain.notifications.preferences import update_preferences

    patient = create_patient(session)
    update_preferences(
        session,
        user_id=patient.id or 0,
        now=NOW,
        choices={"reminders_in_app": False, "reminders_email": False, "reminders_sms": True},
    )
    session.commit()
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    letters_written(session, NOW)

    queued = reminders(session, booked)
    assert [(r.channel, r.to_address, r.due_at) for r in queued] == [
        ("sms", patient.phone, SLOT - timedelta(hours=24)),
        ("sms", patient.phone, SLOT - timedelta(hours=2)),
    ]
    assert queued[0].body.startswith("HealthCarePlus: Reminder: Dr. Meera Iyer tomorrow")
    assert queued[0].body.endswith(f"/appointments/{booked.id}")


def test_no_reminders_at_all_when_every_channel_is_off(session: Session) -> None:
    from healthcareplus.domain.notifications.preferences import update_preferences

    patient = create_patient(session)
    update_preferences(
        session,
        user_id=patient.id or 0,
        now=NOW,
        choices={"reminders_in_app": False, "reminders_email": False},
    )
    session.commit()
    booked = create_booking(
        session, doctor=create_doctor(session), start_at=SLOT, now=NOW, patient=patient
    )
    assert reminders(session, booked) == []


def test_a_late_worker_writes_only_the_reminders_still_ahead(session: Session) -> None:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW)
    letters_written(session, SLOT - timedelta(hours=23))  # the worker was down for a day
    assert {r.due_at for r in reminders(session, booked)} == {SLOT - timedelta(hours=2)}
