"""Reconciliation with the gateway: attempts left without an answer, and refunds the
gateway has not acknowledged yet.

An attempt still ``Processing`` after the stuck window is never simply failed: the
gateway is asked what became of its idempotency key first. Charged -> recorded (and
refunded if the booking no longer waits on it); declined or never received -> failed;
still pending at the bank -> the booking stops waiting on it (the patient may retry, the
hold may lapse) while the attempt itself is asked about again at every sweep, so a late
charge is still found and refunded.

Each function handles one row so the caller can give each its own unit of work (a gateway
call is slow and may fail; one failure must not undo the others).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Appointment, Payment, PaymentStatus
from healthcareplus.domain.notifications.payment_news import refund_processed
from healthcareplus.domain.payments.gateway import ChargeState, PaymentGateway
from healthcareplus.domain.payments.ledger import PROCESSING, settle_attempt
from healthcareplus.domain.scheduling import lifecycle, tallies

NEVER_REACHED = "The payment did not reach the bank."
NO_ANSWER = "The bank has not answered yet."


def stuck_attempt_keys(session: Session, *, now: datetime) -> list[str]:
    """Attempts still processing after the stuck window, oldest first."""
    cutoff = utc(now) - timedelta(minutes=get_settings().payment_stuck_minutes)
    keys = session.exec(
        select(Payment.idempotency_key)
        .where(Payment.status == PROCESSING, col(Payment.created_at) <= cutoff)
        .order_by(col(Payment.created_at))
    ).all()
    return [k for k in keys if k]


def reconcile_attempt(session: Session, *, key: str, gateway: PaymentGateway, now: datetime) -> str:
    """Ask the gateway about one stuck attempt and record what it says; returns its state."""
    now = utc(now)
    status = gateway.status(idempotency_key=key)
    if status.state == ChargeState.SUCCEEDED:
        settle_attempt(session, key=key, succeeded=True, actor_role=lifecycle.SYSTEM, now=now)
    elif status.state in (ChargeState.FAILED, ChargeState.UNKNOWN):
        reason = status.failure_reason if status.state == ChargeState.FAILED else NEVER_REACHED
        settle_attempt(
            session,
            key=key,
            succeeded=False,
            failure_reason=reason or NEVER_REACHED,
            actor_role=lifecycle.SYSTEM,
            now=now,
        )
    else:  # still pending at the bank: stop making the booking wait on it
        stopped = session.execute(
            update(Appointment)
            .where(
                col(Appointment.payment_attempt_key) == key,
                col(Appointment.payment_status) == PROCESSING,
            )
            .values(payment_status=PaymentStatus.FAILED.value)
            .returning(*tallies.COUNTED_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        tallies.count_updated(session, stopped, payment_status=PROCESSING)
        session.flush()
    return status.state.value


def unsettled_refund_ids(session: Session) -> list[int]:
    """Refunds of online charges that the gateway has not acknowledged yet."""
    ids = session.exec(
        select(Payment.id).where(
            Payment.status == PaymentStatus.REFUNDED.value,
            col(Payment.settled_at).is_(None),
            col(Payment.refund_of_key).is_not(None),
        )
    ).all()
    return [i for i in ids if i is not None]


def push_refund(
    session: Session, *, payment_id: int, gateway: PaymentGateway, now: datetime
) -> bool:
    """Tell the gateway to give back one refunded charge; True once it has acknowledged
    (then, in the same unit of work, the patient is told the refund was processed)."""
    row = session.get(Payment, payment_id, populate_existing=True)
    if row is None or row.settled_at is not None or not row.refund_of_key:
        return row is not None
    if not gateway.refund(idempotency_key=row.refund_of_key, amount_paise=row.amount_paise):
        return False
    row.settled_at = utc(now)
    session.add(row)
    session.flush()
    refund_processed(session, row, now=row.settled_at)
    return True


__all__ = [
    "NEVER_REACHED",
    "push_refund",
    "reconcile_attempt",
    "stuck_attempt_keys",
    "unsettled_refund_ids",
]
