"""News in the reader's language: a Hindi patient's emails and in-app messages are in
Hindi (dates and ₹ amounts too), the doctor's stay English, and an English patient's
are exactly as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import Appointment, Notification, User
from healthcareplus.domain.notifications.email import render_email
from healthcareplus.domain.notifications.news_letters import write_pending_news
from tests.domain.notifications.test_email import LETTER, hrefs
from tests.factories import create_booking, create_doctor, create_patient, link_doctor_user, local

SLOT = local(date(2026, 11, 23), "10:00")  # Monday 23 Nov 2026
NOW = local(date(2026, 11, 20), "09:00")


def test_a_hindi_letter_is_in_hindi_in_both_parts() -> None:
    email = render_email(replace(LETTER, language="hi", when="सोम, 23 नव॰ 2026, 10:30 am"))
    assert email.subject == "अपॉइंटमेंट पक्का: Dr. Meera Iyer, सोम, 23 नव॰ 2026, 10:30 am"
    for body in (email.text, email.html):
        assert "प्रिय Asha Rao," in body
        assert "आपका अपॉइंटमेंट" in body and "Dear" not in body
        assert "₹1,25,000" in body and "TXN-20261120-0042" in body
        assert "(क्लिनिक का समय)" in body
        assert "यह एक अपॉइंटमेंट के बारे में स्वचालित संदेश है" in body
    assert '<html lang="hi-IN">' in email.html
    assert "<strong>पक्का</strong>" in email.html
    assert "अपनी बुकिंग सँभालें: http" in email.text
    assert hrefs(email.html) == hrefs(render_email(LETTER).html)


def test_values_stay_escaped_in_a_hindi_letter() -> None:
    letter = replace(LETTER, language="hi", recipient_name="<i>Asha</i>", event="cancelled")
    email = render_email(replace(letter, cancel_reason="<img src=x>", refund="₹500"))
    assert "प्रिय &lt;i&gt;Asha&lt;/i&gt;," in email.html
    assert "<img" not in email.html and "&lt;img src=x&gt;" in email.html
    assert "<strong>₹500</strong> उसी तरीके से वापस किए जा रहे हैं" in email.html


def test_an_unsupported_language_renders_english() -> None:
    assert render_email(replace(LETTER, language="xx")) == render_email(LETTER)


def _messages(session: Session, booked: Appointment, user_id: int | None) -> list[Notification]:
    write_pending_news(session, now=NOW)  # the worker's letters
    session.expire_all()
    query = select(Notification).where(
        Notification.appointment_id == booked.id, Notification.user_id == user_id
    )
    return list(session.exec(query.order_by(col(Notification.id))).all())


def test_a_hindi_patients_news_is_in_hindi_and_the_doctors_in_english(
    session: Session,
) -> None:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    link_doctor_user(session, doctor)
    patient = create_patient(session, name="Asha Rao")
    patient.language = "hi"
    session.add(patient)
    session.commit()
    booked = create_booking(
        session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient, method="pay_at_clinic"
    )
    mine = {m.channel: m for m in _messages(session, booked, patient.id)}
    theirs = {m.channel: m for m in _messages(session, booked, doctor.user_id)}
    assert mine["in_app"].subject == "अपॉइंटमेंट पक्का: Dr. Meera Iyer, सोम, 23 नव॰ 2026 · 10:00 am"
    assert "फ़ीस ₹500, क्लिनिक पर देनी है।" in mine["in_app"].body
    assert mine["email"].subject.startswith("अपॉइंटमेंट पक्का: Dr. Meera Iyer, सोम, 23 नव॰ 2026")
    assert "प्रिय Asha Rao," in mine["email"].body and 'lang="hi-IN"' in mine["email"].body_html
    assert theirs["in_app"].subject == "New appointment: Mon, 23 Nov 2026 · 10:00 AM"
    assert all("Dear" in m.body for c, m in theirs.items() if c == "email")


def test_an_english_patients_news_is_unchanged(session: Session) -> None:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    patient: User = create_patient(session, name="Asha Rao")
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    (mine,) = [m for m in _messages(session, booked, patient.id) if m.channel == "in_app"]
    assert mine.subject == "Appointment confirmed: Dr. Meera Iyer, Mon, 23 Nov 2026 · 10:00 AM"


def test_a_hindi_patients_reminders_are_in_hindi(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCP_REMINDER_HOURS", "24,2")  # this folder turns them off by default
    get_settings.cache_clear()
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    patient = create_patient(session, name="Asha Rao")
    patient.language = "hi"
    session.add(patient)
    session.commit()
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    reminders = [m for m in _messages(session, booked, patient.id) if m.event == "reminder"]
    assert reminders
    subjects = {m.subject for m in reminders}
    assert "रिमाइंडर: Dr. Meera Iyer कल, सोम, 23 नव॰ 2026, 10:00 am" in subjects
    assert "रिमाइंडर: Dr. Meera Iyer 2 घंटों में, सोम, 23 नव॰ 2026, 10:00 am" in subjects
    assert all("दस मिनट पहले" in m.body for m in reminders if m.channel in ("in_app", "email"))
