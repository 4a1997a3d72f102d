"""A change's letters: the change writes its in-app notices and one pending row; the job
worker writes the email, texts, webhooks and reminders from it, as the change left the
visit, once. On SQLite and PostgreSQL (the worker takes the rows with DELETE ...
RETURNING)."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from sqlmodel import Session, col, func, select

from healthcareplus.core.models import Appointment, Doctor, Notification, PendingNews
from healthcareplus.domain.booking.appointments import reschedule
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.pending_news import MAX_ATTEMPTS
from tests.factories import create_booking, create_doctor, create_patient, link_doctor_user, local

MONDAY = date(2026, 11, 23)
NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(MONDAY, "10:00")


def messages(session: Session, appointment: Appointment) -> list[tuple[str, str, int]]:
    """(event, channel, recipient) of the appointment's messages, oldest first."""
    session.expire_all()
    rows = session.exec(
        select(Notification)
        .where(Notification.appointment_id == appointment.id)
        .order_by(col(Notification.id))
    ).all()
    return [(r.event, r.channel, r.user_id) for r in rows]


def pending(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(PendingNews)).one())


def booked(session: Session) -> Appointment:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    link_doctor_user(session, doctor)
    patient = create_patient(session, name="Asha Rao")
    return create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)


def test_the_change_writes_the_notices_and_the_worker_the_letters_once(
    either_db: Session,
) -> None:
    visit = booked(either_db)
    doctor = either_db.get(Doctor, visit.doctor_id)
    assert doctor is not None and doctor.user_id is not None
    patient, doctor_user = visit.patient_id, doctor.user_id
    told = [("payment_succeeded", "in_app", patient), ("payment_succeeded", "in_app", doctor_user)]
    assert messages(either_db, visit) == told  # with the change
    assert pending(either_db) == 1

    assert write_pending_news(either_db, now=NOW) == 1
    either_db.commit()
    written = messages(either_db, visit)
    emails = [("payment_succeeded", "email", patient), ("payment_succeeded", "email", doctor_user)]
    assert written == told + emails  # reminders are off in these tests (conftest)
    assert pending(either_db) == 0
    assert write_pending_news(either_db, now=NOW) == 0  # nothing is written twice
    assert messages(either_db, visit) == written


def test_the_letters_tell_of_the_visit_as_each_change_left_it(either_db: Session) -> None:
    visit = booked(either_db)
    later = local(MONDAY, "12:00")
    reschedule(
        either_db, appointment_id=visit.id, patient_id=visit.patient_id, new_start_at=later, now=NOW
    )
    either_db.commit()
    assert pending(either_db) == 2  # the worker has not run yet: the visit moved meanwhile

    assert write_pending_news(either_db, now=NOW) == 2
    either_db.commit()
    emails = either_db.exec(
        select(Notification)
        .where(
            Notification.appointment_id == visit.id,
            Notification.channel == "email",
            Notification.user_id == visit.patient_id,
        )
        .order_by(col(Notification.id))
    ).all()
    assert [e.event for e in emails] == ["payment_succeeded", "rescheduled"]
    confirmed, moved = emails
    assert "Mon, 23 Nov 2026, 10:00 AM" in confirmed.body  # the time it was confirmed for
    assert "Mon, 23 Nov 2026, 12:00 PM" in moved.body
    sequences = []
    for email in emails:
        calendar = Calendar.from_ical(email.attachment)
        (event,) = calendar.walk("VEVENT")
        sequences.append((event.decoded("dtstart"), int(event["sequence"])))
    assert sequences == [(SLOT, 0), (later, 1)]


def test_a_change_whose_letters_fail_is_put_back_and_the_others_go_on(
    either_db: Session,
) -> None:
    visit = booked(either_db)
    (good_id,) = either_db.exec(select(PendingNews.id)).all()
    broken = PendingNews(
        event="cancelled", appointment_id=visit.id, occurrence=1, moves=0,
        appointment='{"start_at": "not a time"}', created_at=NOW,
    )  # fmt: skip
    either_db.add(broken)
    either_db.commit()
    broken_id = broken.id

    assert write_pending_news(either_db, now=NOW) == 1  # the good one, despite the other
    either_db.commit()
    assert [e for e, channel, _ in messages(either_db, visit) if channel == "email"] == [
        "payment_succeeded",
        "payment_succeeded",
    ]
    (left,) = either_db.exec(select(PendingNews)).all()
    assert (left.id, left.attempts) == (broken_id, 1)
    assert left.last_error.startswith("ValueError")
    assert good_id != broken_id  # the good one is gone: written

    for _ in range(MAX_ATTEMPTS - 1):
        assert write_pending_news(either_db, now=NOW) == 0
        either_db.commit()
    either_db.expire_all()
    (left,) = either_db.exec(select(PendingNews)).all()
    assert left.attempts == MAX_ATTEMPTS  # kept as a record, no longer tried
    assert write_pending_news(either_db, now=NOW) == 0
    either_db.commit()
    assert either_db.exec(select(PendingNews.attempts)).all() == [MAX_ATTEMPTS]
