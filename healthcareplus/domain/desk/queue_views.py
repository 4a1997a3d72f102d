"""What is read of the day's queue: the desk's view of a hospital's day (who has arrived,
with token and stage, and who is still expected), and the waiting-room screen.

The screen (a TV in the waiting room) is public by an unguessable key per hospital
(``Hospital.queue_screen_key``) and shows tokens and first names only.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlmodel import Session, col

from healthcareplus.core.audit import write_audit
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_local_time,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    Hospital,
    QueueEntry,
    QueueStage,
    User,
)
from healthcareplus.domain.desk.queue import CLOSED, STAGE_LABELS, day_bounds, shown_stage
from healthcareplus.domain.desk.staff import acting_desk

SCREEN_KEY_BYTES = 24  # 32 URL-safe characters
SCREEN_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
SCREEN_KEY_MAX = 64
FIRST_NAME_MAX = 20
DAY_LIMIT = 1000  # visits of one hospital on one day a page lists, at most
NO_SCREEN = "This screen address is not valid."
BAD_DAY = "Choose a valid day."
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "shri", "sri", "smt", "kumari", "master", "baby"}
)

_CONFIRMED_STATUS = AppointmentStatus.CONFIRMED.value


@dataclass(frozen=True)
class QueueRow:
    """One visit of the day: arrived (``token`` > 0, a ``stage``) or still expected."""

    appointment_id: str
    token: int  # 0: not checked in yet
    patient_name: str  # the family member's own name for a dependant's visit
    stage: str  # "" (expected), "waiting", "with_doctor" or "done"
    stage_label: str
    time_label: str  # the booked time, clinic time
    arrived_label: str  # "" until checked in


@dataclass(frozen=True)
class DoctorQueue:
    doctor_id: int
    doctor_name: str
    specialization: str
    arrived: tuple[QueueRow, ...]  # by token
    expected: tuple[QueueRow, ...]  # confirmed, not checked in, by time
    waiting: int
    with_doctor: int
    done: int


@dataclass(frozen=True)
class DayQueue:
    hospital_id: int
    hospital_name: str
    day: date
    day_label: str
    is_today: bool  # check-in is only possible today
    doctors: tuple[DoctorQueue, ...]


@dataclass(frozen=True)
class ScreenToken:
    token: int
    first_name: str


@dataclass(frozen=True)
class ScreenDoctor:
    doctor_name: str
    now_calling: tuple[ScreenToken, ...]
    waiting: tuple[ScreenToken, ...]


@dataclass(frozen=True)
class QueueScreen:
    hospital_name: str
    day_label: str
    doctors: tuple[ScreenDoctor, ...]


def first_name(name: str) -> str:
    """The first word of a name, titles skipped ("Mrs. Asha Rao" -> "Asha"): all the
    waiting-room screen says of a patient."""
    words = [w for w in name.replace(".", ". ").split() if w.strip(".")]
    while len(words) > 1 and words[0].strip(".").lower() in _TITLES:
        words = words[1:]
    return words[0].strip(".")[:FIRST_NAME_MAX] if words else ""


# --- the desk's view of the day --------------------------------------------------------------


def day_queue(
    session: Session, *, actor_id: object, hospital_id: object, day: object, now: datetime
) -> DayQueue:
    """Per active doctor of the hospital: the visits checked in on ``day`` by token (with
    their stage; a visit closed by the doctor reads as done, a cancelled one is gone) and
    the confirmed visits not checked in yet, by time. Two queries."""
    desk = acting_desk(session, actor_id, now=now)
    if type(hospital_id) is not int:
        raise NotFound("Hospital not found.")
    desk.require(hospital_id, "Hospital not found.")
    if type(day) is not date:
        raise ValidationFailed({"day": BAD_DAY})
    hospital = session.get(Hospital, hospital_id)
    if hospital is None:
        raise NotFound("Hospital not found.")
    doctors = session.execute(
        select(col(Doctor.id), col(Doctor.name), col(Doctor.specialization))
        .where(col(Doctor.hospital_id) == hospital_id, col(Doctor.is_active).is_(True))
        .order_by(col(Doctor.name))
    ).all()
    start, end = day_bounds(day)
    rows = session.execute(
        select(
            col(Appointment.id),
            col(Appointment.doctor_id),
            col(Appointment.start_at),
            col(Appointment.status),
            col(User.name),
            col(Dependant.name),
            col(QueueEntry.token),
            col(QueueEntry.stage),
            col(QueueEntry.arrived_at),
        )
        .select_from(Appointment)
        .join(User, col(User.id) == col(Appointment.patient_id))
        .outerjoin(Dependant, col(Dependant.id) == col(Appointment.dependant_id))
        .outerjoin(QueueEntry, col(QueueEntry.appointment_id) == col(Appointment.id))
        .where(
            col(Appointment.hospital_id) == hospital_id,
            col(Appointment.start_at) >= start,
            col(Appointment.start_at) < end,
            (col(Appointment.status) == _CONFIRMED_STATUS)
            | (col(QueueEntry.token).is_not(None) & col(Appointment.status).in_(CLOSED)),
        )
        .order_by(col(Appointment.start_at), col(Appointment.id))
        .limit(DAY_LIMIT)
    ).all()
    arrived: dict[int, list[QueueRow]] = {}
    expected: dict[int, list[QueueRow]] = {}
    for visit_id, doctor_id, start_at, status, holder, dependant, token, stage, arrived_at in rows:
        name = dependant or holder
        if token is None:
            row = QueueRow(visit_id, 0, name, "", "Expected", format_local_time(start_at), "")
            expected.setdefault(doctor_id, []).append(row)
            continue
        shown = shown_stage(stage, status)
        row = QueueRow(
            visit_id,
            int(token),
            name,
            shown,
            STAGE_LABELS.get(shown, shown),
            format_local_time(start_at),
            format_local_time(arrived_at),
        )
        arrived.setdefault(doctor_id, []).append(row)
    queues = []
    for doctor_id, doctor_name, specialization in doctors:
        mine = sorted(arrived.get(doctor_id, []), key=lambda r: r.token)
        stages = [r.stage for r in mine]
        queues.append(
            DoctorQueue(
                doctor_id=int(doctor_id),
                doctor_name=doctor_name,
                specialization=specialization,
                arrived=tuple(mine),
                expected=tuple(expected.get(doctor_id, [])),
                waiting=stages.count(QueueStage.WAITING.value),
                with_doctor=stages.count(QueueStage.WITH_DOCTOR.value),
                done=stages.count(QueueStage.DONE.value),
            )
        )
    return DayQueue(
        hospital_id=hospital_id,
        hospital_name=hospital.name,
        day=day,
        day_label=format_date(day),
        is_today=day == clinic_today(desk.actor.now),
        doctors=tuple(queues),
    )


# --- the waiting-room screen -----------------------------------------------------------------


def screen_key_for(
    session: Session, *, actor_id: object, hospital_id: object, now: datetime, rotate: bool = False
) -> str:
    """The hospital's screen key: made on first use, or replaced when ``rotate`` (the old
    address stops working at once). Audited when made or replaced, the key itself not."""
    desk = acting_desk(session, actor_id, now=now)
    if type(hospital_id) is not int:
        raise NotFound("Hospital not found.")
    desk.require(hospital_id, "Hospital not found.")
    hospital = session.get(Hospital, hospital_id)
    if hospital is None:
        raise NotFound("Hospital not found.")
    if hospital.queue_screen_key and not rotate:
        return hospital.queue_screen_key
    key = secrets.token_urlsafe(SCREEN_KEY_BYTES)
    current = col(Hospital.queue_screen_key)
    session.execute(
        update(Hospital)
        .where(
            col(Hospital.id) == hospital_id,
            # Two desks opening the screen at once agree on one key (the first one's).
            current.is_(None) if hospital.queue_screen_key is None else current.is_not(None),
        )
        .values(queue_screen_key=key)
    )
    session.refresh(hospital)
    assert hospital.queue_screen_key is not None
    if hospital.queue_screen_key == key:
        write_audit(
            session,
            desk.actor,
            "queue_screen_rotated" if rotate else "queue_screen_created",
            entity="hospital",
            entity_id=hospital_id,
        )
    return hospital.queue_screen_key


def valid_screen_key(value: object) -> bool:
    """Whether ``value`` could be a screen key (URL-safe text of a sane length)."""
    return (
        isinstance(value, str)
        and 16 <= len(value) <= SCREEN_KEY_MAX
        and all(ch in SCREEN_KEY_CHARS for ch in value)
    )


def queue_screen(session: Session, *, screen_key: object, now: datetime) -> QueueScreen:
    """What the waiting-room screen of the hospital with ``screen_key`` shows today: per
    doctor with patients checked in today, the tokens with the doctor ("now calling") and
    the waiting tokens in order, each with the patient's first name only. Public (the key
    is the credential); ``NotFound`` for an unknown key."""
    if not valid_screen_key(screen_key):
        raise NotFound(NO_SCREEN)
    hospital = session.execute(
        select(col(Hospital.id), col(Hospital.name)).where(
            col(Hospital.queue_screen_key) == screen_key
        )
    ).first()
    if hospital is None:
        raise NotFound(NO_SCREEN)
    today = clinic_today(utc(now))
    rows = session.execute(
        select(
            col(QueueEntry.doctor_id),
            col(Doctor.name),
            col(QueueEntry.token),
            col(QueueEntry.stage),
            col(Appointment.status),
            col(User.name),
            col(Dependant.name),
        )
        .select_from(QueueEntry)
        .join(Appointment, col(Appointment.id) == col(QueueEntry.appointment_id))
        .join(Doctor, col(Doctor.id) == col(QueueEntry.doctor_id))
        .join(User, col(User.id) == col(Appointment.patient_id))
        .outerjoin(Dependant, col(Dependant.id) == col(Appointment.dependant_id))
        .where(col(QueueEntry.hospital_id) == hospital.id, col(QueueEntry.clinic_date) == today)
        .order_by(col(Doctor.name), col(QueueEntry.doctor_id), col(QueueEntry.token))
    ).all()
    names: dict[int, str] = {}
    calling: dict[int, list[ScreenToken]] = {}
    waiting: dict[int, list[ScreenToken]] = {}
    for doctor_id, doctor_name, token, stage, status, holder, dependant in rows:
        names.setdefault(doctor_id, doctor_name)
        if status != _CONFIRMED_STATUS:
            continue  # closed by the doctor (done) or cancelled (gone)
        shown = ScreenToken(int(token), first_name(dependant or holder))
        if stage == QueueStage.WITH_DOCTOR.value:
            calling.setdefault(doctor_id, []).append(shown)
        elif stage == QueueStage.WAITING.value:
            waiting.setdefault(doctor_id, []).append(shown)
    return QueueScreen(
        hospital_name=hospital.name,
        day_label=format_date(today),
        doctors=tuple(
            ScreenDoctor(name, tuple(calling.get(d, ())), tuple(waiting.get(d, ())))
            for d, name in names.items()
        ),
    )


__all__ = [
    "DayQueue",
    "DoctorQueue",
    "QueueRow",
    "QueueScreen",
    "ScreenDoctor",
    "ScreenToken",
    "day_queue",
    "first_name",
    "queue_screen",
    "screen_key_for",
    "valid_screen_key",
]
