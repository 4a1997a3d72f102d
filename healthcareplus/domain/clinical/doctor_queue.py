"""Who of the doctor's patients has arrived today: the front desk checks them in
(``domain.desk.queue``) and the doctor's day shows each one's token and where they are;
the doctor calls in the next one himself ("Call next patient")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, write_audit
from healthcareplus.core.db import table_of
from healthcareplus.core.desk_models import QueueEntry, QueueStage
from healthcareplus.core.errors import Conflict
from healthcareplus.core.formatting import clinic_today, utc
from healthcareplus.core.models import Appointment, AppointmentStatus, Role
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.clinical.visit_closing import NOT_A_DOCTOR, doctor_for_user

NOBODY_WAITING = "Nobody checked in is waiting for you."
CALL_ATTEMPTS = 3  # the desk may call the same patient in at the same moment
_QUEUE = table_of(QueueEntry)

WAITING = "waiting"
STAGE_WORDS = {
    QueueStage.WAITING.value: WAITING,
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


@dataclass(frozen=True)
class CalledIn:
    appointment_id: str
    token: int


def call_next(session: Session, *, actor_id: object, now: datetime) -> CalledIn:
    """The doctor calls in the next patient: whoever is with him now is done, and the
    waiting patient with the lowest token of today comes in. Both moves are
    compare-and-set, as the desk may press at the same moment. ``Conflict`` when nobody
    is waiting (and nothing changes: the caller's unit of work rolls back)."""
    user = acting_user(session, actor_id, Role.DOCTOR, refusal=NOT_A_DOCTOR)
    assert user.id is not None
    doctor = doctor_for_user(session, user_id=user.id)
    by = Actor(user.id, Role.DOCTOR, utc(now))
    q = _QUEUE.c
    mine_today = (q.doctor_id == doctor.id, q.clinic_date == clinic_today(by.now))
    finished = session.execute(
        update(_QUEUE)
        .where(*mine_today, q.stage == QueueStage.WITH_DOCTOR.value)
        .values(stage=QueueStage.DONE.value, done_at=by.now)
        .returning(q.appointment_id, q.token)
    ).all()
    for appointment_id, token in finished:
        detail = {"token": token}
        write_audit(session, by, "queue_done", appointment_id=appointment_id, detail=detail)
    for _ in range(CALL_ATTEMPTS):
        waiting = session.execute(
            select(q.appointment_id, q.token)
            .join(Appointment, col(Appointment.id) == q.appointment_id)
            .where(
                *mine_today,
                q.stage == QueueStage.WAITING.value,
                col(Appointment.status) == AppointmentStatus.CONFIRMED.value,
            )
            .order_by(q.token)
            .limit(1)
        ).first()
        if waiting is None:
            break
        moved = session.execute(
            update(_QUEUE)
            .where(q.appointment_id == waiting.appointment_id, q.stage == QueueStage.WAITING.value)
            .values(stage=QueueStage.WITH_DOCTOR.value, called_at=by.now)
        )
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            detail = {"token": waiting.token}
            write_audit(
                session, by, "queue_call_in", appointment_id=waiting.appointment_id, detail=detail
            )
            return CalledIn(waiting.appointment_id, int(waiting.token))
    raise Conflict(NOBODY_WAITING)


__all__ = ["NOBODY_WAITING", "WAITING", "CalledIn", "arrivals", "call_next"]
