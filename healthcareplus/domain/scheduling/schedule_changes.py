"""What a change to a doctor's working time does to booked visits, shared by ``schedules``
(the weekly hours) and ``time_off``: who may make it, the booked appointments it would
remove, and making it.

A change that takes working time away from under a confirmed (or live pending) future
appointment is refused with ``ScheduleConflict`` listing those appointments, unless the
caller asks to cancel them: then each is cancelled through the lifecycle's cancel
(refunded when paid, the reason shown to the patient) in the same database transaction as
the change, so either everything happens or nothing does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.db import require_row
from healthcareplus.core.errors import Conflict, Forbidden
from healthcareplus.core.formatting import when_labels
from healthcareplus.core.models import Appointment, Doctor, PaymentStatus, Role, User
from healthcareplus.core.validation import reason_text
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.scheduling import lifecycle

NOT_ALLOWED = "You are not allowed to change this doctor's schedule."
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class AffectedAppointment:
    id: str
    patient_name: str
    start_at: datetime
    date_label: str  # "Mon, 23 Nov 2026"
    time_label: str  # "02:15 PM"
    status: str
    paid: bool


class ScheduleConflict(Conflict):
    """The change would take away booked appointments; ``affected`` lists them."""

    def __init__(self, affected: Sequence[AffectedAppointment]) -> None:
        self.affected = tuple(affected)
        count = len(self.affected)
        noun = "appointment" if count == 1 else "appointments"
        super().__init__(
            f"This change would remove {count} booked {noun}. Keep those hours, or cancel "
            f"the {noun} (paid ones are refunded and the patients see your reason)."
        )


@dataclass(frozen=True)
class Edit:
    """A change to a doctor's working time, ready to make: ``write`` makes it (returning
    the id its audit entry names) and ``affected`` are the booked visits it removes."""

    action: str  # the audit action
    entity: str  # what the audit entry is about: "doctor", "time_off"
    write: Callable[[], int | None]
    detail: dict[str, Any]
    note: str | None  # the audit entry's reason
    affected: list[AffectedAppointment]


@dataclass(frozen=True)
class Consent:
    """What the caller agreed to: cancelling the booked visits a change removes
    (``cancel``), but only the ones it was shown (``expected``; None: any), telling the
    patients ``reason``."""

    cancel: bool
    expected: Collection[str] | None
    reason: Any


def require_schedule_actor(
    session: Session, *, doctor_id: Any, actor_id: Any, actor_role: str
) -> Doctor:
    """The doctor whose schedule changes: their own (doctor) or any (active admin)."""
    doctor = require_row(session, Doctor, doctor_id, "Doctor not found.")
    actor = acting_user(session, actor_id, actor_role, refusal=NOT_ALLOWED)
    if actor_role == Role.ADMIN or (actor_role == Role.DOCTOR and doctor.user_id == actor.id):
        return doctor
    raise Forbidden(NOT_ALLOWED)


def parse_clock(value: Any) -> time | None:
    """ "HH:MM" (24-hour) as a time, or None."""
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def booked_ahead(
    session: Session,
    doctor_id: int,
    now: datetime,
    window: tuple[datetime, datetime] | None = None,
) -> list[tuple[Appointment, str]]:
    """Confirmed and live pending appointments starting after ``now`` (overlapping
    ``window``), with the patient's name."""
    query = (
        select(Appointment, User.name)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(
            Appointment.doctor_id == doctor_id,
            col(Appointment.start_at) > now,
            col(Appointment.status).in_([lifecycle.CONFIRMED, lifecycle.PENDING]),
            lifecycle.holds_slot_clause(now),
        )
        .order_by(col(Appointment.start_at))
    )
    if window is not None:
        start, end = window
        query = query.where(
            col(Appointment.start_at) >= start - timedelta(hours=2),  # index range
            col(Appointment.start_at) < end,
            col(Appointment.end_at) > start,
        )
    return [(row[0], row[1]) for row in session.exec(query)]


def affected_appointment(appointment: Appointment, patient_name: str) -> AffectedAppointment:
    return AffectedAppointment(
        **when_labels(appointment.start_at),
        id=appointment.id,
        patient_name=patient_name,
        start_at=appointment.start_at,
        status=appointment.status,
        paid=appointment.payment_status == PaymentStatus.SUCCESS,
    )


def make_edit(
    session: Session, by: Actor, edit: Edit, consent: Consent
) -> tuple[AffectedAppointment, ...]:
    """Make the change (audited) and cancel the appointments it removes, refunding the
    paid ones, in the caller's transaction; or refuse with ``ScheduleConflict`` when they
    were not to be cancelled, or more were booked than the caller agreed to cancel."""
    affected = edit.affected
    if affected and not consent.cancel:
        raise ScheduleConflict(affected)
    if consent.expected is not None and {a.id for a in affected} - set(consent.expected):
        raise ScheduleConflict(affected)  # more were booked since the doctor looked
    why = "Tell the patients why their appointments are cancelled."
    told = consent.reason
    text = reason_text(told, missing=why, short=why, field="cancel_reason") if affected else ""
    entity_id = edit.write()
    detail = {**edit.detail, "cancelled": [a.id for a in affected]}
    audit(
        session,
        by,
        edit.action,
        entity=edit.entity,
        entity_id=entity_id,
        reason=edit.note,
        detail=detail,
    )
    session.flush()
    for item in affected:
        appointment = session.get(Appointment, item.id, populate_existing=True)
        assert appointment is not None  # listed from the table a moment ago
        lifecycle.apply(
            session,
            appointment,
            lifecycle.CANCEL,
            by,
            values={"cancelled_at": by.now, "cancelled_by_user_id": by.id, "cancel_reason": text},
            reason=text,
        )
    return tuple(affected)


__all__ = [
    "AffectedAppointment",
    "Consent",
    "Edit",
    "ScheduleConflict",
    "affected_appointment",
    "booked_ahead",
    "make_edit",
    "parse_clock",
    "require_schedule_actor",
]
