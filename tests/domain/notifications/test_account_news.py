"""News that is not a visit's change: an account blocked or unblocked, a refund processed
(when the gateway acknowledges it, or cash handed back at the counter)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import Appointment, Notification, Payment, PaymentStatus, Role, User
from healthcareplus.domain.admin import patients as admin_patients
from healthcareplus.domain.admin.actions import mark_paid, process_refund
from healthcareplus.domain.booking.appointments import book, cancel
from healthcareplus.domain.notifications.account_news import AccountNote, account_message
from healthcareplus.domain.notifications.preferences import update_preferences
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.payments.reconciliation import push_refund, unsettled_refund_ids
from tests.factories import create_booking, create_doctor, create_patient, create_user, local
from tests.gateways import ScriptedGateway

NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(date(2026, 11, 23), "10:00")
AFTER = SLOT + timedelta(hours=2)


def messages(session: Session, user: User, event: str) -> list[Notification]:
    session.expire_all()
    query = select(Notification).where(Notification.user_id == user.id, Notification.event == event)
    return list(session.exec(query.order_by(col(Notification.id))).all())


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Ana Admin")


def test_blocking_and_unblocking_tell_the_patient(session: Session, admin: User) -> None:
    patient = create_patient(session, name="Asha Rao")
    admin_patients.block_patient(
        session, patient_id=patient.id, reason="Abusive calls", actor_id=admin.id, now=NOW
    )
    session.commit()
    (email, in_app) = messages(session, patient, "account_blocked")
    assert (email.channel, email.to_address, email.status) == ("email", patient.email, "queued")
    assert email.subject == "Your HealthCarePlus account has been blocked"
    assert "Reason: Abusive calls" in email.body and "Dear Asha Rao" in email.body
    assert "Reason: Abusive calls" in email.body_html
    assert (in_app.channel, in_app.status) == ("in_app", "sent")

    admin_patients.unblock_patient(session, patient_id=patient.id, actor_id=admin.id, now=AFTER)
    session.commit()
    (email, _) = messages(session, patient, "account_unblocked")
    assert "sign in and book again" in email.body
    assert "http://localhost:3000/login" in email.body

    # Blocked again later: a second message, not a clash with the first one's key.
    admin_patients.block_patient(
        session, patient_id=patient.id, reason="Again", actor_id=admin.id, now=AFTER
    )
    session.commit()
    assert len(messages(session, patient, "account_blocked")) == 4


def test_a_refused_block_tells_nobody(session: Session, admin: User) -> None:
    patient = create_patient(session)
    with pytest.raises(ValidationFailed):  # a block needs a reason
        admin_patients.block_patient(
            session, patient_id=patient.id, reason="", actor_id=admin.id, now=NOW
        )
    session.rollback()
    assert messages(session, patient, "account_blocked") == []


def test_a_secret_link_reaches_only_the_mailbox(session: Session) -> None:
    user = create_patient(session)
    note = AccountNote(
        event="password_reset",
        subject="Reset your password",
        paragraphs=("Use the link below.",),
        action_label="Choose a new password",
        action_path="/set-password?token=secret",
        in_app=False,
    )
    (email,) = account_message(session, user, note, now=NOW)
    assert "http://localhost:3000/set-password?token=secret" in email.body
    assert email.link == ""  # the admin's message list never shows the secret as a link


def paid_booking(session: Session, gateway: ScriptedGateway) -> tuple[Appointment, User]:
    patient = create_patient(session, name="Asha Rao")
    doctor = create_doctor(session, name="Dr. Meera Iyer")
    held = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    pay(
        session,
        appointment_id=held.id,
        patient_id=patient.id,
        method="upi",
        form={"upi_vpa": "asha@okaxis"},
        gateway=gateway,
        now=NOW,
    )
    session.commit()
    return held, patient


def cancel_as(session: Session, booked: Appointment, user: User, reason: str | None = None) -> None:
    """``user`` cancels the booking (the patient, or an admin with a reason)."""
    cancel(
        session,
        appointment_id=booked.id,
        actor_id=user.id,
        actor_role=user.role,
        reason=reason,
        now=NOW,
    )


def test_a_refund_is_news_once_the_gateway_has_processed_it(session: Session) -> None:
    gateway = ScriptedGateway([True])
    booked, patient = paid_booking(session, gateway)
    update_preferences(session, user_id=patient.id or 0, now=NOW, choices={"updates_sms": True})
    cancel_as(session, booked, patient)
    session.commit()
    assert messages(session, patient, "refund_processed") == []  # asked for, not yet done

    (refund_id,) = unsettled_refund_ids(session)
    assert push_refund(session, payment_id=refund_id, gateway=gateway, now=AFTER)
    session.commit()
    news = messages(session, patient, "refund_processed")
    assert sorted(m.channel for m in news) == ["email", "in_app", "sms"]
    email = next(m for m in news if m.channel == "email")
    assert email.subject == "Refund processed: ₹500"
    assert "to your UPI ID asha@okaxis" in email.body
    assert "Dr. Meera Iyer on Mon, 23 Nov 2026, 10:00 AM" in email.body
    assert email.appointment_id == booked.id and email.created_at == AFTER
    # Pushed again (a second worker, a retry): no second message.
    assert push_refund(session, payment_id=refund_id, gateway=gateway, now=AFTER)
    session.commit()
    assert len(messages(session, patient, "refund_processed")) == 3


def test_a_refund_the_gateway_has_not_acknowledged_tells_nothing_yet(session: Session) -> None:
    gateway = ScriptedGateway([True])
    booked, patient = paid_booking(session, gateway)
    cancel_as(session, booked, patient)
    session.commit()
    (refund_id,) = unsettled_refund_ids(session)
    assert not push_refund(
        session, payment_id=refund_id, gateway=ScriptedGateway([]), now=AFTER
    )  # a gateway that never saw the charge refuses
    session.commit()
    assert messages(session, patient, "refund_processed") == []


def paid_at_the_counter(session: Session, admin: User, *, at: datetime) -> tuple[Appointment, User]:
    """A visit to pay at the clinic, marked paid in cash by ``admin`` at ``at``."""
    patient = create_patient(session)
    booked = create_booking(
        session,
        doctor=create_doctor(session),
        start_at=SLOT,
        now=NOW,
        patient=patient,
        method="pay_at_clinic",
    )
    mark_paid(session, appointment_id=booked.id, admin_id=admin.id, now=at)
    return booked, patient


def test_cash_handed_back_at_the_counter_is_news_at_once(session: Session, admin: User) -> None:
    booked, patient = paid_at_the_counter(session, admin, at=AFTER)
    process_refund(
        session, appointment_id=booked.id, admin_id=admin.id, reason="Charged twice", now=AFTER
    )
    session.commit()
    refund_row = session.exec(
        select(Payment).where(
            Payment.appointment_id == booked.id, Payment.status == PaymentStatus.REFUNDED.value
        )
    ).one()
    assert refund_row.settled_at == AFTER
    news = messages(session, patient, "refund_processed")
    assert sorted(m.channel for m in news) == ["email", "in_app"]
    assert "refunded to you in cash at the clinic" in news[0].body


class CapturingSender:
    """An email channel that keeps what it was given."""

    channel = "email"

    def __init__(self) -> None:
        self.bodies: list[tuple[str, str]] = []

    def send(self, message: Notification) -> None:
        self.bodies.append((message.body, message.body_html))


def test_a_secret_link_leaves_the_outbox_once_it_is_sent(db_url: str, session: Session) -> None:
    from healthcareplus.domain.notifications.delivery import deliver_due

    user = create_patient(session)
    note = AccountNote(
        event="account_invite",
        subject="Set your HealthCarePlus password",
        paragraphs=("Welcome.",),
        action_label="Set your password",
        action_path="/set-password?token=Abc-123_xyz",
        in_app=False,
    )
    account_message(session, user, note, now=NOW)
    session.commit()
    sender = CapturingSender()

    assert deliver_due(now=NOW, senders={"email": sender}, url=db_url).sent == 1

    ((text, html),) = sender.bodies
    assert "/set-password?token=Abc-123_xyz" in text and "token=Abc-123_xyz" in html
    (stored,) = messages(session, user, "account_invite")
    assert stored.status == "sent"
    assert "Abc-123_xyz" not in stored.body + stored.body_html
    assert "/set-password?token=(sent-by-email)" in stored.body


def test_a_hindi_patient_reads_account_news_in_hindi_and_staff_in_english(
    session: Session, admin: User
) -> None:
    patient = create_patient(session, name="Asha Rao")
    patient.language = "hi"
    session.add(patient)
    session.commit()
    admin_patients.block_patient(
        session, patient_id=patient.id, reason="Abusive calls", actor_id=admin.id, now=NOW
    )
    session.commit()
    email, in_app = messages(session, patient, "account_blocked")
    assert email.subject == "आपका HealthCarePlus खाता ब्लॉक कर दिया गया है"
    assert "कारण: Abusive calls" in email.body and "कारण: Abusive calls" in email.body_html
    assert "स्वचालित संदेश" in email.body and 'lang="hi-IN"' in email.body_html
    assert "क्लिनिक ने आपका खाता ब्लॉक" in in_app.body

    staff = create_user(session, role=Role.DOCTOR, name="Dr. Rao")
    staff.language = "hi"  # staff read their portals, and their messages, in English
    session.add(staff)
    note = AccountNote(
        event="account_blocked", subject="Your HealthCarePlus account has been blocked",
        paragraphs=("The clinic has blocked your account. Reason: {reason}",),
        values={"reason": "Test"},
    )  # fmt: skip
    [email, _] = account_message(session, staff, note, now=NOW)
    assert email.subject == "Your HealthCarePlus account has been blocked"
    assert "Reason: Test" in email.body and "automatic message about your" in email.body


def emails_of(session: Session, user: User) -> list[str]:
    """The events of the user's emails in the order they are sent (the order written)."""
    session.expire_all()
    query = select(Notification.event).where(
        Notification.user_id == user.id, Notification.channel == "email"
    )
    return list(session.exec(query.order_by(col(Notification.id))).all())


def test_the_cancellation_is_written_before_the_refund_it_caused(session: Session) -> None:
    gateway = ScriptedGateway([True, True])
    booked, patient = paid_booking(session, gateway)
    other = create_booking(
        session, doctor=create_doctor(session), start_at=SLOT, now=NOW, method="pay_at_clinic"
    )
    cancel_as(session, booked, patient)
    session.commit()
    # The gateway acknowledges the refund before the worker has written the cancellation.
    (refund_id,) = unsettled_refund_ids(session)
    assert push_refund(session, payment_id=refund_id, gateway=gateway, now=AFTER)
    session.commit()
    assert emails_of(session, patient)[-2:] == ["cancelled", "refund_processed"]
    # Another visit's letters are left to the worker.
    other_emails = select(Notification).where(
        Notification.appointment_id == other.id, Notification.channel == "email"
    )
    assert session.exec(other_emails).all() == []


def test_cash_handed_back_on_cancelling_is_told_after_the_cancellation(
    session: Session, admin: User
) -> None:
    booked, patient = paid_at_the_counter(session, admin, at=NOW)
    session.commit()
    cancel_as(session, booked, admin, reason="Doctor on leave")
    session.commit()
    assert emails_of(session, patient)[-2:] == ["cancelled", "refund_processed"]
