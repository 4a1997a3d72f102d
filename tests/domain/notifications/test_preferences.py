"""Each user's choice of channels: saved with checks, and obeyed by the news, the
reminders and the refund messages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Forbidden, ValidationFailed
from healthcareplus.core.models import Appointment, Doctor, Notification, User
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.preferences import (
    NO_PHONE,
    Preferences,
    channels_for,
    preferences_of,
    update_preferences,
)
from tests.factories import create_booking, create_doctor, create_patient, link_doctor_user, local

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(MONDAY, "10:00")


@pytest.fixture
def doctor(session: Session) -> Doctor:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    link_doctor_user(session, doctor)
    return doctor


@pytest.fixture
def patient(session: Session) -> User:
    return create_patient(session)


def choose(session: Session, user: User, **choices: Any) -> Preferences:
    chosen = update_preferences(session, user_id=user.id or 0, now=NOW, choices=choices)
    session.commit()
    return chosen


def channels_of(session: Session, appointment: Appointment, user_id: int | None) -> list[str]:
    write_pending_news(session, now=NOW)  # the worker's letters
    session.expire_all()
    rows = session.exec(
        select(Notification.channel)
        .where(Notification.appointment_id == appointment.id, Notification.user_id == user_id)
        .order_by(col(Notification.id))
    ).all()
    return list(rows)


def test_a_user_who_never_chose_gets_the_app_and_email(session: Session, patient: User) -> None:
    assert preferences_of(session, patient.id or 0) == Preferences()
    assert channels_for(session, patient, "updates") == [("email", patient.email)]
    assert channels_for(session, patient, "reminders") == [
        ("in_app", ""),
        ("email", patient.email),
    ]


def test_choices_are_saved_and_only_the_named_ones_change(session: Session, patient: User) -> None:
    choose(session, patient, updates_sms=True, reminders_email=False)
    choose(session, patient, reminders_whatsapp=True)

    assert preferences_of(session, patient.id or 0) == Preferences(
        updates_sms=True, reminders_email=False, reminders_whatsapp=True
    )
    assert channels_for(session, patient, "updates") == [
        ("email", patient.email),
        ("sms", patient.phone),
    ]
    assert channels_for(session, patient, "reminders") == [
        ("in_app", ""),
        ("whatsapp", patient.phone),
    ]


@pytest.mark.parametrize(
    "choices",
    [
        {"updates_in_app": False},  # news in the app cannot be turned off
        {"password_hash": True},
        {"reminders_email": "false"},
        {"reminders_email": 0},
        {"reminders_email": None},
    ],
)
def test_unknown_choices_and_non_booleans_are_refused(
    session: Session, patient: User, choices: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        update_preferences(session, user_id=patient.id or 0, now=NOW, choices=choices)
    assert set(refused.value.fields) == set(choices)
    session.rollback()
    assert preferences_of(session, patient.id or 0) == Preferences()


def test_texts_need_a_mobile_number(session: Session, doctor: Doctor) -> None:
    user = session.get(User, doctor.user_id)
    assert user is not None
    user.phone = ""
    session.add(user)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        update_preferences(session, user_id=user.id or 0, now=NOW, choices={"reminders_sms": True})
    assert refused.value.fields == {"reminders_sms": NO_PHONE}
    session.rollback()
    choose(session, user, reminders_email=False)  # other choices still save
    assert channels_for(session, user, "reminders") == [("in_app", "")]


def test_a_blocked_or_unknown_user_cannot_change_choices(session: Session, patient: User) -> None:
    patient.is_blocked = True
    session.add(patient)
    session.commit()
    for user_id in (patient.id or 0, 999_999):
        with pytest.raises(Forbidden):
            update_preferences(session, user_id=user_id, now=NOW, choices={"updates_sms": True})


def test_news_goes_only_where_each_side_chose(
    session: Session, doctor: Doctor, patient: User
) -> None:
    choose(session, patient, updates_email=False, updates_whatsapp=True)
    doctor_user = session.get(User, doctor.user_id)
    assert doctor_user is not None
    doctor_user.phone = "+91 98450 22222"
    choose(session, doctor_user, updates_sms=True)

    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)

    assert sorted(channels_of(session, booked, patient.id)) == ["in_app", "whatsapp"]
    assert sorted(channels_of(session, booked, doctor.user_id)) == ["email", "in_app", "sms"]
    text = session.exec(
        select(Notification).where(
            Notification.appointment_id == booked.id, Notification.channel == "whatsapp"
        )
    ).one()
    assert text.to_address == patient.phone and text.status == "queued"
    assert text.body.startswith("HealthCarePlus: Appointment confirmed: Dr. Meera Iyer")
    assert text.body.endswith(f"/appointments/{booked.id}") and len(text.body) <= 320
    assert (text.body_html, text.attachment) == ("", "")  # no invitation in a text


def test_cancellation_news_follows_the_choices_too(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    choose(session, patient, updates_email=False, updates_sms=True)
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=patient.id,
        actor_role="patient",
        reason="Feeling better",
        now=NOW,
    )
    session.commit()
    write_pending_news(session, now=NOW)
    cancelled = session.exec(
        select(Notification.channel).where(
            Notification.appointment_id == booked.id,
            Notification.user_id == patient.id,
            Notification.event == "cancelled",
        )
    ).all()
    assert sorted(cancelled) == ["in_app", "sms"]
