"""A cheap fingerprint of one patient's appointments, for "My appointments" to notice a
change made elsewhere (the clinic cancelling or moving a visit, a refund, a hold that
lapsed, a booking from another device) without reloading the list on every tick."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, col

from healthcareplus.core.models import Appointment


def patient_change_marker(session: Session, *, patient_id: int) -> str:
    """Per status and payment status: how many, and the newest booking, payment,
    cancellation and refund instants (one indexed GROUP BY over the patient's rows). Any
    change a list shows moves it; an unchanged list gives the same text."""
    rows = session.execute(
        select(
            col(Appointment.status),
            col(Appointment.payment_status),
            func.count(),
            func.max(Appointment.booked_at),
            func.max(Appointment.paid_at),
            func.max(Appointment.cancelled_at),
            func.max(Appointment.refunded_at),
            func.max(Appointment.start_at),
        )
        .where(col(Appointment.patient_id) == patient_id)
        .group_by(col(Appointment.status), col(Appointment.payment_status))
        .order_by(col(Appointment.status), col(Appointment.payment_status))
    ).all()
    return ";".join(":".join(str(value) for value in row) for row in rows)


__all__ = ["patient_change_marker"]
