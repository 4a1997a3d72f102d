"""News about money: a refund processed (the gateway acknowledged giving it back, or the
clinic handed cash back at the counter), told to the patient in the app and where they
get news, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees
from healthcareplus.core.i18n import N_, gettext, translate, use_language
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Notification,
    Payment,
    PaymentMethod,
    User,
)
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.notifications.account_news import AccountNote, account_message
from healthcareplus.domain.notifications.email import REFUND_WAIT
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.preferences import channels_for
from healthcareplus.domain.notifications.webhook_outbox import refund_webhooks

REFUND_PROCESSED = "refund_processed"


def _method_words(payment: Payment) -> str:
    """How the money goes back, as the patient paid: "to your card ending 4242" (in the
    current language)."""
    if payment.card_last4:
        card = payment.card_brand or gettext("card")
        return translate(N_("to your {card} ending {last4}"), card=card, last4=payment.card_last4)
    if payment.upi_vpa:
        return translate(N_("to your UPI ID {vpa}"), vpa=payment.upi_vpa)
    if payment.bank:
        return translate(N_("to your {bank} account"), bank=payment.bank)
    if payment.wallet:
        return translate(N_("to your {wallet} wallet"), wallet=payment.wallet)
    return gettext(N_("the way you paid"))


def refund_processed(session: Session, payment: Payment, *, now: datetime) -> list[Notification]:
    """Tell the patient that the refund ``payment`` (a refund row, now settled) has been
    processed, and the endpoints subscribed to ``payment.refunded``; once per refund row
    (its id names the messages). Written in the patient's language.

    The visit's own letters still waiting for the worker (its cancellation, in the same
    transaction for cash handed back) are written first: messages leave in the order they
    were written, so nobody reads of a refund before the cancellation that caused it."""
    appointment = session.get(Appointment, payment.appointment_id)
    patient = session.get(User, appointment.patient_id) if appointment else None
    if appointment is None or patient is None or payment.id is None:
        return []
    write_pending_news(session, now=now, appointment_id=appointment.id)
    doctor = session.get(Doctor, appointment.doctor_id)
    with use_language(language_of(patient)):
        values = {
            "amount": format_rupees(payment.amount_paise),
            "doctor": doctor.name if doctor else gettext("the doctor"),
            "when": f"{format_local_date(appointment.start_at)}, "
            f"{format_local_time(appointment.start_at)}",
            "method": _method_words(payment),
            "wait": gettext(REFUND_WAIT),
            "transaction": appointment.transaction_id or "",
        }
    paragraphs: tuple[str, ...]
    if payment.method == PaymentMethod.PAY_AT_CLINIC:
        paragraphs = (
            N_(
                "{amount} for your appointment with {doctor} on {when} was refunded to you "
                "in cash at the clinic."
            ),
        )
    else:
        paragraphs = (
            N_(
                "Your refund of {amount} for your appointment with {doctor} on {when} has "
                "been processed and sent back {method}."
            ),
            N_("Banks usually take {wait} to show it in your account (transaction {transaction}).")
            if appointment.transaction_id
            else N_("Banks usually take {wait} to show it in your account."),
        )
    note = AccountNote(
        event=REFUND_PROCESSED,
        subject=N_("Refund processed: {amount}"),
        paragraphs=paragraphs,
        action_label=N_("View the appointment"),
        action_path=routes.appointment_url(appointment.id),
        about=N_("a payment"),
        values=values,
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
