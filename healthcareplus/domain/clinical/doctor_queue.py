"""Who of the doctor's patients has arrived today: the front desk checks them in
(``domain.desk.queue``) and the doctor's day shows each one's token and where they are."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from healthcareplus.core.desk_models import QueueEntry, QueueStage
from healthcareplus.core.models import Appointment, AppointmentStatus

STAGE_WORDS = {
    QueueStage.WAITING.value: "waiting",
    QueueStage.WITH_DOCTOR.value: "with you",
    QueueStage.DONE.value: "done",
}
# A visit closed in the treatment record is done, whatever the desk last pressed.
_CLOSED = frozenset({AppointmentStatus.COMPLETED.value, AppointmentStatus.NO_SHOW.value})


def arrivals(session: Session, *, doctor_id: int, day: date) -> dict[str, str]:
    """Appointment id -> "Token 3 · waiting" (or "with you", "done") for each visit of the
    doctor checked in on the clinic day ``day`` (one probe of the queue's own index)."""
    rows = session.exec(
        select(QueueEntry.appointment_id, QueueEntry.token, QueueEntry.stage, Appointment.status)
        .join(Appointment, col(Appointment.id) == col(QueueEntry.appointment_id))
        .where(col(QueueEntry.doctor_id) == doctor_id, col(QueueEntry.clinic_date) == day)
    ).all()
    return {
        appointment_id: f"Token {token} · "
        + ("done" if status in _CLOSED else STAGE_WORDS.get(stage, stage))
        for appointment_id, token, stage, status in rows
    }


__all__ = ["arrivals"]
