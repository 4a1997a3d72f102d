"""Which admin actions make sense for an appointment in its current state.

One pure function, used both to show only the sensible buttons and (by the action
services) to refuse the others with a reason. Cancel and no-show come from the lifecycle's
transitions, refunds from the refund policy, "mark paid" (a payment-status change of a
Pay-at-Clinic visit) from ``payments.clinic_payment``, whose rule the doctor shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict, cast

from healthcareplus.core.models import Appointment, Role
from healthcareplus.domain.payments.clinic_payment import clinic_payment_refusal
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.refunds import admin_refund_refusal


class ActionFlags(TypedDict):
    """The yes/no answers, as the rows that offer the actions carry them."""

    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool


NO_ACTIONS = ActionFlags(can_cancel=False, can_no_show=False, can_refund=False, can_mark_paid=False)


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

    def flags(self) -> ActionFlags:
        """The answers alone, by name."""
        return cast(
            ActionFlags, {name: getattr(self, name) for name in ActionFlags.__annotations__}
        )


def allowed_actions(
    *,
    status: str,
    payment_status: str,
    payment_method: str | None,
    start_at: datetime,
    hold_expires_at: datetime | None,
    now: datetime,
) -> AllowedActions:
    """``rules_for`` an appointment in this state."""
    # A transient row for the lifecycle's and refund policy's checks, which read only the
    # fields above; the other required columns get placeholders (it is never saved).
    appointment = Appointment(
        status=status,
        payment_status=payment_status,
        payment_method=payment_method,
        start_at=start_at,
        hold_expires_at=hold_expires_at,
        patient_id=0,
        doctor_id=0,
        hospital_id=0,
        end_at=start_at,
        reason="",
        fee_paise=0,
    )
    return rules_for(appointment, now)


def rules_for(appointment: Appointment, now: datetime) -> AllowedActions:
    """What an admin may do to the appointment now, and why not the rest."""
    cancel_refusal = lifecycle.refusal(lifecycle.CANCEL, appointment, role=Role.ADMIN, now=now)
    no_show_refusal = lifecycle.refusal(
        lifecycle.MARK_NO_SHOW, appointment, role=Role.ADMIN, now=now
    )
    refund_refusal = admin_refund_refusal(appointment, now)
    mark_paid_refusal = clinic_payment_refusal(appointment)
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
