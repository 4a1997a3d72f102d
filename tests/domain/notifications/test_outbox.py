"""The news an appointment's change sends: written by the lifecycle in its own
transaction, to the patient and the doctor, once per change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import Conflict
from healthcareplus.core.models import Appointment, Doctor, Notification, Role, User
from healthcareplus.domain.booking.appointments import cancel, cancel_by, reschedule
from healthcareplus.domain.notifications import outbox
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.scheduling import lifecycle
from tests.factories import create_booking, create_doctor, create_patient, link_doctor_user, local

MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 20)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")


@pytest.fixture
def doctor(session: Session) -> Doctor:
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    link_doctor_user(session, doctor)
    return doctor


@pytest.fixture
def patient(session: Session) -> User:
    return create_patient(session)


def news(
    session: Session, appointment: Appointment, channel: str | None = "in_app"
) -> list[Notification]:
    """The appointment's messages on ``channel`` (None: every channel), oldest first, once
    the worker has written the letters."""
    write_pending_news(session, now=NOW)
    session.expire_all()
    query = select(Notification).where(Notification.appointment_id == appointment.id)
    if channel is not None:
        query = query.where(Notification.channel == channel)
    return list(session.exec(query.order_by(col(Notification.id))).all())


def to(messages: list[Notification], user_id: int | None) -> list[Notification]:
    return [m for m in messages if m.user_id == user_id]


def test_a_paid_booking_tells_the_patient_and_the_doctor(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)

    messages = news(session, booked)
    (mine,) = to(messages, patient.id)
    (theirs,) = to(messages, doctor.user_id)
    assert mine.subject == "Appointment confirmed: Dr. Meera Iyer, Mon, 23 Nov 2026 · 10:00 AM"
    assert "₹500" in mine.body and booked.transaction_id and booked.transaction_id in mine.body
    assert mine.link == f"/appointments/{booked.id}"
    assert theirs.link == f"/doctor-portal/visits/{booked.id}"
    assert "Fever and headache" in theirs.body
    assert {m.channel for m in messages} == {"in_app"} and {m.status for m in messages} == {"sent"}
    assert all(m.created_at == NOW and m.read_at is None for m in messages)


def test_pay_at_clinic_says_the_fee_is_due_at_the_clinic(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(
        session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient, method="pay_at_clinic"
    )
    (mine,) = to(news(session, booked), patient.id)
    assert "to be paid at the clinic" in mine.body


def test_a_hold_that_is_never_paid_tells_nobody(session: Session, doctor: Doctor) -> None:
    held = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, method=None)
    assert news(session, held, channel=None) == []
    expired = lifecycle.expire_lapsed_holds(session, now=local(MONDAY, "09:00"))
    session.commit()
    assert expired == 1 and news(session, held, channel=None) == []


def test_a_paid_cancellation_gives_the_reason_and_the_refund_line(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="Feeling better",
        now=NOW,
    )
    session.commit()

    messages = [m for m in news(session, booked) if m.event == "cancelled"]
    (mine,) = to(messages, patient.id)
    (theirs,) = to(messages, doctor.user_id)
    assert mine.subject.startswith("Appointment cancelled: Dr. Meera Iyer")
    assert "Reason: Feeling better." in mine.body
    assert "₹500 is being refunded to the way you paid" in mine.body
    assert "Reason: Feeling better." in theirs.body and "refunded" not in theirs.body


def test_an_unpaid_cancellation_promises_no_refund(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(
        session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient, method="pay_at_clinic"
    )
    doctor_actor = Actor(doctor.user_id, Role.DOCTOR, NOW)
    cancel_by(session, doctor_actor, booked.id, "Doctor unwell", action=None)
    session.commit()
    (mine,) = to([m for m in news(session, booked) if m.event == "cancelled"], patient.id)
    assert "Reason: Doctor unwell." in mine.body and "refund" not in mine.body


def test_each_reschedule_is_news_of_its_own(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    for hhmm in ("11:00", "10:00"):  # there and back: the second move is news too
        reschedule(
            session,
            appointment_id=booked.id,
            patient_id=patient.id,
            new_start_at=local(MONDAY, hhmm),
            now=NOW,
        )
        session.commit()

    moves = to([m for m in news(session, booked) if m.event == "rescheduled"], patient.id)
    assert [m.subject.rsplit("now ", 1)[1] for m in moves] == [
        "Mon, 23 Nov 2026 · 11:00 AM",
        "Mon, 23 Nov 2026 · 10:00 AM",
    ]
    assert len({m.key for m in moves}) == 2
    emails = [m for m in news(session, booked, "email") if m.event == "rescheduled"]
    assert len({m.key for m in to(emails, patient.id)}) == 2


def test_a_doctor_without_an_account_is_not_written_to(session: Session, patient: User) -> None:
    doctor = create_doctor(session)
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    assert [m.user_id for m in news(session, booked)] == [patient.id]
    assert [m.to_address for m in news(session, booked, "email")] == [patient.email]


def test_the_news_and_the_change_commit_together(
    db_url: str, session: Session, doctor: Doctor, patient: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)

    def broken(*args: object, **kwargs: object) -> list[Notification]:
        raise RuntimeError("the outbox could not be written")

    monkeypatch.setattr(lifecycle, "appointment_news", broken)
    with pytest.raises(RuntimeError), session_scope(db_url) as db:
        cancel(
            db,
            appointment_id=booked.id,
            actor_id=patient.id,
            actor_role=Role.PATIENT,
            reason=None,
            now=NOW,
        )
    session.expire_all()
    assert session.get(Appointment, booked.id).status == "confirmed"  # type: ignore[union-attr]
    assert [m.event for m in news(session, booked, channel=None) if m.event == "cancelled"] == []


def test_a_confirmation_queues_an_email_to_each_recipient_with_an_address(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)

    emails = news(session, booked, "email")
    (mine,) = to(emails, patient.id)
    (theirs,) = to(emails, doctor.user_id)
    doctor_user = session.get(User, doctor.user_id)
    assert mine.to_address == patient.email and theirs.to_address == doctor_user.email  # type: ignore[union-attr]
    assert {m.status for m in emails} == {"queued"}
    assert all(m.due_at == NOW and m.sent_at is None and m.attempts == 0 for m in emails)
    assert mine.key == f"payment_succeeded:{booked.id}:1:{patient.id}:email"
    assert mine.subject == "Appointment confirmed: Dr. Meera Iyer, Mon, 23 Nov 2026, 10:00 AM"
    assert "₹500" in mine.body and booked.transaction_id in mine.body  # type: ignore[operator]
    assert f"/appointments/{booked.id}" in mine.body_html
    assert "METHOD:REQUEST" in mine.attachment and "METHOD:REQUEST" in theirs.attachment
    assert "Fever and headache" in theirs.body and "Fever and headache" not in mine.body


def test_news_without_an_invitation_has_no_attachment(
    session: Session, doctor: Doctor, patient: User
) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    lifecycle.apply(
        session,
        booked,
        lifecycle.MARK_NO_SHOW,
        Actor(doctor.user_id, Role.DOCTOR, local(MONDAY, "10:30")),
    )
    session.commit()
    (mine,) = to([m for m in news(session, booked, "email") if m.event == "no_show"], patient.id)
    assert mine.attachment == "" and mine.subject.startswith("Missed appointment")


def test_a_refused_change_writes_no_news(session: Session, doctor: Doctor, patient: User) -> None:
    booked = create_booking(session, doctor=doctor, start_at=SLOT, now=NOW, patient=patient)
    before = news(session, booked, channel=None)
    session.commit()
    with pytest.raises(Conflict):
        cancel(
            session,
            appointment_id=booked.id,
            actor_id=patient.id,
            actor_role=Role.PATIENT,
            reason=None,
            now=local(MONDAY, "10:30"),  # after the start: a patient may no longer cancel
        )
    session.rollback()
    assert news(session, booked, channel=None) == before


@pytest.mark.parametrize("event", sorted(outbox.NEWS))
def test_every_newsworthy_action_is_a_lifecycle_action(event: str) -> None:
    # A request's news is the booking's own (``booking.appointments.REQUEST_MADE``).
    assert event in {t.action for t in lifecycle.TRANSITIONS} | {"request_made"}
