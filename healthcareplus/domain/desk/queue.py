"""The day's queue per doctor: check-in at the front desk, a token in arrival order, the
stages (waiting, with the doctor, done), and the waiting-room screen.

A confirmed visit of today (clinic time) is checked in once; its token is the next number
for its doctor on that clinic day. Two desks checking in at once never share a token: the
token is computed inside the INSERT (``MAX + 1``) and the unique index on (doctor, day,
token) refuses a duplicate, which is retried in a savepoint with the new maximum.

A stage moves forward only from the stage it is in (compare-and-set): a desk acting on a
stale page gets ``Conflict``. The lifecycle is never asked here: a visit the doctor marks
completed or a no-show reads as done, a cancelled one leaves the queue (its token is not
given again).

What the desk and the waiting-room screen read of the queue is in ``queue_views``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from healthcareplus.core.audit import write_audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    to_local,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    QueueEntry,
    QueueStage,
    User,
)
from healthcareplus.domain.desk.staff import DeskActor, acting_desk

CHECK_IN_ATTEMPTS = 5

NO_VISIT = "Appointment not found."
NO_ENTRY = "That visit is not in today's queue."
NOT_CONFIRMED = "Only a confirmed visit can be checked in."
NOT_TODAY = "Only today's visits can be checked in."
ALREADY_IN = "Already checked in: token {token}."
BUSY = "Too many check-ins at once. Please try again."
NOT_WAITING = "This patient is no longer waiting."
NOT_WITH_DOCTOR = "This patient is not with the doctor."
VISITCLOSED = "This visit is no longer confirmed."

STAGE_LABELS = {
    QueueStage.WAITING.value: "Waiting",
    QueueStage.WITH_DOCTOR.value: "With the doctor",
    QueueStage.DONE.value: "Done",
}
_CONFIRMED = AppointmentStatus.CONFIRMED.value
# Closed by the doctor (or an admin) through the lifecycle: the queue shows them done.
CLOSED = (AppointmentStatus.COMPLETED.value, AppointmentStatus.NO_SHOW.value)
_QUEUE = table_of(QueueEntry)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedIn:
    appointment_id: str
    doctor_id: int
    clinic_date: date
    token: int
    patient_name: str


@dataclass(frozen=True)
class StageChange:
    appointment_id: str
    token: int
    stage: str


# --- helpers ---------------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants of the clinic day's first and the next day's first moment."""
    zone = get_settings().clinic_zone

    def midnight(d: date) -> datetime:
        return datetime.combine(d, time(0)).replace(tzinfo=zone).astimezone(UTC)

    return midnight(day), midnight(day + timedelta(days=1))


def shown_stage(stage: str, status: str) -> str:
    """The stage the queue shows: a visit closed through the lifecycle is done."""
    return QueueStage.DONE.value if status in CLOSED else stage


def _desk_visit(session: Session, desk: DeskActor, appointment_id: object) -> Appointment:
    appointment = (
        session.get(Appointment, appointment_id) if isinstance(appointment_id, str) else None
    )
    if appointment is None or not desk.reaches(appointment.hospital_id):
        raise NotFound(NO_VISIT)
    return appointment


def _desk_entry(
    session: Session, desk: DeskActor, appointment_id: object
) -> tuple[QueueEntry, Appointment]:
    entry = session.get(QueueEntry, appointment_id) if isinstance(appointment_id, str) else None
    if entry is None or not desk.reaches(entry.hospital_id):
        raise NotFound(NO_ENTRY)
    appointment = session.get(Appointment, entry.appointment_id)
    assert appointment is not None  # a foreign key
    return entry, appointment


def _person_name(session: Session, appointment: Appointment) -> str:
    if appointment.dependant_id is not None:
        dependant = session.get(Dependant, appointment.dependant_id)
        if dependant is not None:
            return dependant.name
    patient = session.get(User, appointment.patient_id)
    return patient.name if patient is not None else ""


def _insert_entry(
    session: Session, appointment: Appointment, day: date, now: datetime, by_user_id: int
) -> int:
    """INSERT the entry with the next token for its doctor and day, computed by the
    statement itself; returns the token. ``IntegrityError`` when a concurrent check-in took
    that token (or checked in this visit) first."""
    q = _QUEUE.c
    next_token = (
        select(func.coalesce(func.max(q.token), 0) + 1)
        .where(q.doctor_id == appointment.doctor_id, q.clinic_date == day)
        .scalar_subquery()
    )
    session.execute(
        _QUEUE.insert().values(
            appointment_id=appointment.id,
            doctor_id=appointment.doctor_id,
            hospital_id=appointment.hospital_id,
            clinic_date=day,
            token=next_token,
            stage=QueueStage.WAITING.value,
            arrived_at=now,
            checked_in_by_user_id=by_user_id,
        )
    )
    token = session.execute(select(q.token).where(q.appointment_id == appointment.id)).scalar_one()
    return int(token)


def _existing_token(session: Session, appointment_id: str) -> int | None:
    token = session.execute(
        select(_QUEUE.c.token).where(_QUEUE.c.appointment_id == appointment_id)
    ).scalar_one_or_none()
    return None if token is None else int(token)


# --- check-in and stages ---------------------------------------------------------------------


def check_in(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> CheckedIn:
    """The patient of a confirmed visit of today has arrived: the next token for the
    visit's doctor today, in arrival order. ``Conflict`` when already checked in (with
    that token), not confirmed or not today; ``NotFound`` outside the desk's hospitals."""
    desk = acting_desk(session, actor_id, now=now)
    now = desk.actor.now
    appointment = _desk_visit(session, desk, appointment_id)
    if appointment.status != _CONFIRMED:
        raise Conflict(NOT_CONFIRMED)
    day = to_local(appointment.start_at).date()
    if day != clinic_today(now):
        raise Conflict(NOT_TODAY)
    token: int | None = None
    for _ in range(CHECK_IN_ATTEMPTS):
        already = _existing_token(session, appointment.id)
        if already is not None:
            raise Conflict(ALREADY_IN.format(token=already))
        try:
            with session.begin_nested():
                token = _insert_entry(session, appointment, day, now, desk.user_id)
            break
        except IntegrityError:  # another desk took the token (or this visit) first
            continue
    if token is None:
        raise Conflict(BUSY)
    write_audit(
        session,
        desk.actor,
        "queue_check_in",
        appointment_id=appointment.id,
        detail={"token": token, "doctor_id": appointment.doctor_id, "day": day.isoformat()},
    )
    return CheckedIn(
        appointment_id=appointment.id,
        doctor_id=appointment.doctor_id,
        clinic_date=day,
        token=token,
        patient_name=_person_name(session, appointment),
    )


def _move(
    session: Session,
    entry: QueueEntry,
    source: QueueStage,
    values: dict[str, object],
    refusal: str,
) -> None:
    """Compare-and-set: the entry leaves ``source`` only if it is still there."""
    moved = session.execute(
        update(_QUEUE)
        .where(_QUEUE.c.appointment_id == entry.appointment_id, _QUEUE.c.stage == source.value)
        .values(**values)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(refusal)
    session.expire(entry)


def call_in(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> StageChange:
    """The waiting patient goes in to the doctor (``Conflict`` if no longer waiting)."""
    desk = acting_desk(session, actor_id, now=now)
    entry, appointment = _desk_entry(session, desk, appointment_id)
    if appointment.status != _CONFIRMED:
        raise Conflict(VISITCLOSED)
    stage = QueueStage.WITH_DOCTOR.value
    _move(
        session,
        entry,
        QueueStage.WAITING,
        {"stage": stage, "called_at": desk.actor.now},
        NOT_WAITING,
    )
    write_audit(
        session,
        desk.actor,
        "queue_call_in",
        appointment_id=entry.appointment_id,
        detail={"token": entry.token},
    )
    return StageChange(entry.appointment_id, entry.token, stage)


def finish(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> StageChange:
    """The patient is done with the doctor (``Conflict`` unless with the doctor)."""
    desk = acting_desk(session, actor_id, now=now)
    entry, _ = _desk_entry(session, desk, appointment_id)
    stage = QueueStage.DONE.value
    _move(
        session,
        entry,
        QueueStage.WITH_DOCTOR,
        {"stage": stage, "done_at": desk.actor.now},
        NOT_WITH_DOCTOR,
    )
    write_audit(
        session,
        desk.actor,
        "queue_done",
        appointment_id=entry.appointment_id,
        detail={"token": entry.token},
    )
    return StageChange(entry.appointment_id, entry.token, stage)


def undo_check_in(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> StageChange:
    """Take back a mistaken check-in while the patient is still waiting (``Conflict``
    once called in). The token is freed: the last one is given to the next arrival."""
    desk = acting_desk(session, actor_id, now=now)
    entry, _ = _desk_entry(session, desk, appointment_id)
    token = entry.token
    removed = session.execute(
        _QUEUE.delete().where(
            _QUEUE.c.appointment_id == entry.appointment_id,
            _QUEUE.c.stage == QueueStage.WAITING.value,
        )
    )
    if removed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(NOT_WAITING)
    session.expunge(entry)
    write_audit(
        session,
        desk.actor,
        "queue_check_in_undone",
        appointment_id=entry.appointment_id,
        detail={"token": token},
    )
    return StageChange(entry.appointment_id, token, "")


__all__ = [
    "STAGE_LABELS",
    "CLOSED",
    "CheckedIn",
    "StageChange",
    "call_in",
    "check_in",
    "day_bounds",
    "finish",
    "shown_stage",
    "undo_check_in",
]
