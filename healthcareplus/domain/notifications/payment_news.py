"""News about money: a refund processed (the gateway acknowledged giving it back, or the
clinic handed cash back at the counter), told to the patient in the app and where they
get news, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Notification,
    Payment,
    PaymentMethod,
    User,
)
from healthcareplus.domain.notifications.account_news import AccountNote, account_message
from healthcareplus.domain.notifications.preferences import channels_for
from healthcareplus.domain.notifications.webhook_outbox import refund_webhooks

REFUND_PROCESSED = "refund_processed"

REFUND_WAIT = N_("5–7 working days")  # how long banks usually take to show a refund


def _method_words(payment: Payment) -> str:
    """How the money goes back, as the patient paid: "to your card ending 4242"."""
    if payment.card_last4:
        return f"to your {payment.card_brand or 'card'} ending {payment.card_last4}"
    if payment.upi_vpa:
        return f"to your UPI ID {payment.upi_vpa}"
    if payment.bank:
        return f"to your {payment.bank} account"
    if payment.wallet:
        return f"to your {payment.wallet} wallet"
    return "the way you paid"


def refund_processed(session: Session, payment: Payment, *, now: datetime) -> list[Notification]:
    """Tell the patient that the refund ``payment`` (a refund row, now settled) has been
    processed, and the endpoints subscribed to ``payment.refunded``; once per refund row
    (its id names the messages)."""
    appointment = session.get(Appointment, payment.appointment_id)
    patient = session.get(User, appointment.patient_id) if appointment else None
    if appointment is None or patient is None or payment.id is None:
        return []
    doctor = session.get(Doctor, appointment.doctor_id)
    visit = (
        f"your appointment with {doctor.name if doctor else 'the doctor'} on "
        f"{format_local_date(appointment.start_at)}, {format_local_time(appointment.start_at)}"
    )
    amount = format_rupees(payment.amount_paise)
    paragraphs: tuple[str, ...]
    if payment.method == PaymentMethod.PAY_AT_CLINIC:
        paragraphs = (f"{amount} for {visit} was refunded to you in cash at the clinic.",)
    else:
        paragraphs = (
            f"Your refund of {amount} for {visit} has been processed and sent back "
            f"{_method_words(payment)}.",
            f"Banks usually take {REFUND_WAIT} to show it in your account"
            + (
                f" (transaction {appointment.transaction_id})."
                if appointment.transaction_id
                else "."
            ),
        )
    note = AccountNote(
        event=REFUND_PROCESSED,
        subject=f"Refund processed: {amount}",
        paragraphs=paragraphs,
        action_label="View the appointment",
        action_path=routes.appointment_url(appointment.id),
        about="a payment",
    )
    hooks = refund_webhooks(session, appointment, payment, now=now)
    return hooks + account_message(
        session,
        patient,
        note,
        now=now,
        channels=channels_for(session, patient, "updates"),
        ref=f"payment{payment.id}",
        appointment_id=appointment.id,
    )


__all__ = ["REFUND_PROCESSED", "refund_processed"]
