"""Which admin actions make sense for an appointment in its current state.

One pure function, used both to show only the sensible buttons and (by the action
services) to refuse the others with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from healthcareplus.core.models import AppointmentStatus, PaymentMethod, PaymentStatus


@dataclass(frozen=True)
class AllowedActions:
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool
    cancel_refusal: str
    no_show_refusal: str
    refund_refusal: str
    mark_paid_refusal: str


def _with_article(status: str) -> str:
    """ "expired" -> "An expired", "no_show" -> "A no show"."""
    words = status.replace("_", " ")
    article = "An" if words[:1].lower() in ("a", "e", "i", "o", "u") else "A"
    return f"{article} {words}"


def allowed_actions(
    *,
    status: str,
    payment_status: str,
    payment_method: str | None,
    start_at: datetime,
    hold_expires_at: datetime | None,
    now: datetime,
) -> AllowedActions:
    live_hold = hold_expires_at is not None and hold_expires_at > now
    open_ = status == AppointmentStatus.CONFIRMED or (
        status == AppointmentStatus.PENDING_PAYMENT and live_hold
    )
    cancel_refusal = "" if open_ else f"{_with_article(status)} appointment cannot be cancelled."
    if status != AppointmentStatus.CONFIRMED:
        no_show_refusal = "Only confirmed appointments can be marked as no-show."
    elif start_at > now:
        no_show_refusal = "A no-show can only be recorded after the appointment's start time."
    else:
        no_show_refusal = ""
    refund_refusal = (
        ""
        if payment_status == PaymentStatus.SUCCESS
        else "Only successful payments can be refunded."
    )
    if payment_method != PaymentMethod.PAY_AT_CLINIC:
        mark_paid_refusal = "Only Pay-at-Clinic bookings can be marked paid."
    elif payment_status != PaymentStatus.PENDING:
        mark_paid_refusal = "This booking is not awaiting payment."
    elif status not in (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED):
        mark_paid_refusal = "Only confirmed or completed visits can be marked paid."
    else:
        mark_paid_refusal = ""
    return AllowedActions(
        can_cancel=not cancel_refusal,
        can_no_show=not no_show_refusal,
        can_refund=not refund_refusal,
        can_mark_paid=not mark_paid_refusal,
        cancel_refusal=cancel_refusal,
        no_show_refusal=no_show_refusal,
        refund_refusal=refund_refusal,
        mark_paid_refusal=mark_paid_refusal,
    )
