"""The appointment lifecycle: its statuses, the transitions between them (who may make
each one, and when), the one definition of "holds its slot", hold expiry and refunds.

Every change of an appointment's status goes through :func:`apply` (or, for lapsed
holds, :func:`expire_lapsed_holds`): a compare-and-set UPDATE on the row as the caller
read it, the refund the transition owes, and the transition's audit event, all in the
caller's transaction (flushed here; the unit of work commits). A change that lets a slot
go also records it as freed (``freed_slots``) for the waitlist, in the same transaction.

The slot rule is written once, as data (:data:`HOLDS_SLOT`), and rendered both as a SQL
expression for queries and as a Python predicate for loaded rows; a test checks that the
two agree on every combination of status, payment status, hold expiry and time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from healthcareplus.core.audit import Actor, audit, write_audit
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import Conflict
from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    AppointmentStatus,
    Role,
)
from healthcareplus.domain.notifications.outbox import appointment_news
from healthcareplus.domain.scheduling import tallies
from healthcareplus.domain.scheduling.conditions import (
    AllOf,
    AnyOf,
    HoldOpen,
    Not,
    PaymentIs,
    StatusIn,
)
from healthcareplus.domain.scheduling.freed_slots import record_freed_slots
from healthcareplus.domain.scheduling.refunds import refund, refund_due, tell_if_settled

PENDING = AppointmentStatus.PENDING_PAYMENT.value
CONFIRMED = AppointmentStatus.CONFIRMED.value
COMPLETED = AppointmentStatus.COMPLETED.value
NO_SHOW = AppointmentStatus.NO_SHOW.value
CANCELLED = AppointmentStatus.CANCELLED.value
EXPIRED = AppointmentStatus.EXPIRED.value
# The payment status while a gateway call for the appointment's current attempt is open.
PROCESSING = "Processing"
SYSTEM = "system"  # the actor of the background sweeps
CHANGED = "This appointment was just changed. Please reload and try again."
_APPOINTMENTS = table_of(Appointment)

# Statuses that keep the slot for good (the visit is booked, happened or was missed).
SETTLED_STATUSES = frozenset({CONFIRMED, COMPLETED, NO_SHOW})
# A pending booking keeps its slot while its hold lasts, and while a payment for it is
# being processed (the bank may still say yes: the slot must not be given away under it).
PENDING_HOLDS = AllOf((StatusIn(frozenset({PENDING})), AnyOf((PaymentIs(PROCESSING), HoldOpen()))))
HOLDS_SLOT = AnyOf((StatusIn(SETTLED_STATUSES), PENDING_HOLDS))
HOLD_LAPSED = AllOf((StatusIn(frozenset({PENDING})), Not(PENDING_HOLDS)))
# The statuses the unique slot index covers: every status in which a row may hold a slot.
INDEXED_STATUSES = SETTLED_STATUSES | {PENDING}
assert {s.value for s in SLOT_TAKING_STATUSES} == INDEXED_STATUSES


def holds_slot_clause(now: datetime) -> ColumnElement[bool]:
    """SQL: the appointment occupies its (doctor, start) slot at ``now``."""
    return HOLDS_SLOT.sql(now)


def holds_slot(appointment: Appointment, now: datetime) -> bool:
    """Python: the loaded appointment occupies its slot at ``now``."""
    return HOLDS_SLOT.test(appointment, now)


def hold_lapsed(appointment: Appointment, now: datetime) -> bool:
    """A pending booking whose hold ran out (and no payment is being processed)."""
    return HOLD_LAPSED.test(appointment, now)


def expire_lapsed_holds(
    session: Session, *, now: datetime, where: tuple[Any, ...] = (), claiming: bool = False
) -> int:
    """The one expiry statement: lapsed pending bookings become ``expired`` (each audited,
    each slot recorded as freed for the waitlist). A lapsed request (the doctor did not
    answer in time) is audited as such and its patient is told.

    ``where`` narrows it (e.g. to one slot before claiming it); ``claiming``: the caller
    takes the slot in this transaction, so it is not recorded as freed. Returns how many
    expired.
    """
    rows = session.execute(
        update(Appointment)
        .where(HOLD_LAPSED.sql(now), *where)
        .values(status=EXPIRED)
        .returning(col(Appointment.id), col(Appointment.awaiting_doctor), *tallies.COUNTED_COLUMNS)
        .execution_options(synchronize_session=False)
    ).all()
    tallies.count_updated(session, rows, status=PENDING)
    if not claiming:
        record_freed_slots(session, [(row.doctor_id, row.start_at) for row in rows], now=now)
    system = Actor(None, SYSTEM, now)
    for row in rows:
        action = LAPSE_REQUEST.action if row.awaiting_doctor else EXPIRE.action
        audit(session, system, action, appointment_id=row.id)
    session.flush()
    for row in (row for row in rows if row.awaiting_doctor):  # the patient is told
        lapsed = session.get(Appointment, row.id, populate_existing=True)
        if lapsed is not None:
            appointment_news(session, LAPSE_REQUEST.action, lapsed, now=now)
    return len(rows)


# --- transitions, declared as data --------------------------------------------------------


class Timing(StrEnum):
    ANYTIME = "anytime"
    BEFORE_START = "before_start"  # only while the visit is still ahead
    AFTER_START = "after_start"  # only once the visit's start time has come


@dataclass(frozen=True)
class Transition:
    action: str  # the audit action it writes
    verb: str  # for messages: "cancel", "mark as a no-show", ...
    sources: frozenset[str]
    target: str
    roles: Mapping[str, Timing]  # who may make it, and when
    refunds: bool = False  # a successful payment is refunded
    while_processing: bool = False  # allowed while a payment is being processed
    # Only for (True) or never for (False) a request waiting for the doctor; None: either.
    awaiting: bool | None = None


_ANY = Timing.ANYTIME
_BEFORE = Timing.BEFORE_START
DESK = Role.FRONT_DESK.value
BOOK = Transition(
    "booked", "book", frozenset(), PENDING, {Role.PATIENT: _ANY, DESK: _ANY, Role.ADMIN: _ANY}
)
CONFIRM_PAID = Transition(
    "payment_succeeded",
    "confirm",
    frozenset({PENDING}),
    CONFIRMED,
    {Role.PATIENT: _ANY, SYSTEM: _ANY},
    while_processing=True,
    awaiting=False,
)
CONFIRM_AT_CLINIC = Transition(
    "pay_at_clinic",
    "confirm",
    frozenset({PENDING}),
    CONFIRMED,
    {Role.PATIENT: _ANY, DESK: _ANY, Role.ADMIN: _ANY},
    awaiting=False,
)
EXPIRE = Transition("expired", "expire", frozenset({PENDING}), EXPIRED, {SYSTEM: _ANY})
# A request the doctor did not answer in time: the expiry sweep, which tells the patient.
LAPSE_REQUEST = Transition(
    "request_lapsed", "expire", frozenset({PENDING}), EXPIRED, {SYSTEM: _ANY}, awaiting=True
)
ABANDON = Transition("abandoned", "cancel", frozenset({PENDING}), CANCELLED, {Role.PATIENT: _ANY})
CANCEL = Transition(
    "cancelled",
    "cancel",
    frozenset({PENDING, CONFIRMED}),
    CANCELLED,
    {Role.PATIENT: _BEFORE, Role.DOCTOR: _BEFORE, DESK: _BEFORE, Role.ADMIN: _ANY},
    refunds=True,
)
COMPLETE = Transition(
    "completed",
    "mark as completed",
    frozenset({CONFIRMED}),
    COMPLETED,
    {Role.DOCTOR: Timing.AFTER_START},
)
MARK_NO_SHOW = Transition(
    "no_show",
    "mark as a no-show",
    frozenset({CONFIRMED}),
    NO_SHOW,
    {Role.DOCTOR: Timing.AFTER_START, Role.ADMIN: Timing.AFTER_START},
)
RESCHEDULE = Transition(
    "rescheduled",
    "reschedule",
    frozenset({CONFIRMED}),
    CONFIRMED,
    {Role.PATIENT: _BEFORE, Role.DOCTOR: _BEFORE, DESK: _BEFORE, Role.ADMIN: _BEFORE},
)
# "Confirm bookings myself": the doctor answers a request (it then awaits payment as usual).
ACCEPT_REQUEST = Transition(
    "request_accepted",
    "accept",
    frozenset({PENDING}),
    PENDING,
    {Role.DOCTOR: _BEFORE},
    awaiting=True,
)
DECLINE_REQUEST = Transition(
    "request_declined",
    "decline",
    frozenset({PENDING}),
    CANCELLED,
    {Role.DOCTOR: _ANY},
    awaiting=True,
)
TRANSITIONS = (
    BOOK,
    CONFIRM_PAID,
    CONFIRM_AT_CLINIC,
    EXPIRE,
    LAPSE_REQUEST,
    ABANDON,
    CANCEL,
    COMPLETE,
    MARK_NO_SHOW,
    RESCHEDULE,
    ACCEPT_REQUEST,
    DECLINE_REQUEST,
)

_STATUS_NOUNS = {
    PENDING: "A booking awaiting payment",
    CONFIRMED: "A confirmed appointment",
    COMPLETED: "A completed appointment",
    NO_SHOW: "A no-show",
    CANCELLED: "A cancelled appointment",
    EXPIRED: "An expired booking",
}


def refusal(transition: Transition, appointment: Appointment, *, role: str, now: datetime) -> str:
    """Why ``role`` may not make ``transition`` on this appointment now ("" when it may)."""
    timing = transition.roles.get(role)
    if timing is None:
        return f"You are not allowed to {transition.verb} this appointment."
    status = appointment.status
    awaiting = status == PENDING and appointment.awaiting_doctor
    if status == PENDING and hold_lapsed(appointment, now):
        if awaiting:
            return "The doctor did not answer this request in time; its slot is free again."
        return "This booking's payment hold has expired; its slot is free again."
    if status not in transition.sources:
        return f"{_STATUS_NOUNS.get(status, status)} cannot be {_past(transition.verb)}."
    if transition.awaiting is not None and awaiting != transition.awaiting:
        if awaiting:
            return "This booking is waiting for the doctor to accept it."
        return "This booking is not a request waiting for the doctor."
    processing = status == PENDING and appointment.payment_status == PROCESSING
    if processing and not transition.while_processing:
        return "A payment for this booking is in progress. Please try again shortly."
    started = appointment.start_at <= now
    if timing == Timing.BEFORE_START and started:
        return f"This appointment has already started, so it cannot be {_past(transition.verb)}."
    if timing == Timing.AFTER_START and not started:
        return f"This appointment has not started yet, so it cannot be {_past(transition.verb)}."
    return ""


def _past(verb: str) -> str:
    words = verb.split(" ", 1)
    head = {"cancel": "cancelled", "mark": "marked", "book": "booked", "accept": "accepted"}.get(
        words[0], f"{words[0]}d" if words[0].endswith("e") else f"{words[0]}ed"
    )
    return " ".join([head, *words[1:]])


def allowed(transition: Transition, appointment: Appointment, *, role: str, now: datetime) -> bool:
    return not refusal(transition, appointment, role=role, now=now)


def apply(
    session: Session,
    appointment: Appointment,
    transition: Transition,
    by: Actor,
    *,
    values: Mapping[str, Any] | None = None,
    where: tuple[Any, ...] = (),
    reason: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Appointment:
    """Make ``transition`` on the appointment as read, or raise ``Conflict`` saying why not.

    The UPDATE only matches the row as the caller saw it (status, payment status and start),
    so a concurrent change makes it match nothing and the caller is told to reload.
    """
    refused = refusal(transition, appointment, role=by.role or "", now=by.now)
    if refused:
        raise Conflict(refused)
    was = tallies.Counted.of(appointment)
    held = holds_slot(appointment, by.now)
    old_slot = (appointment.doctor_id, appointment.start_at)
    changed = session.execute(
        update(Appointment)
        .where(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == appointment.status,
            col(Appointment.payment_status) == appointment.payment_status,
            col(Appointment.start_at) == appointment.start_at,
            *where,
        )
        .values(status=transition.target, **dict(values or {}))
        .returning(*_APPOINTMENTS.columns)
        .execution_options(synchronize_session=False)
    ).all()
    if len(changed) != 1:
        raise Conflict(CHANGED)
    now_is = changed[0]._mapping
    tallies.count_change(session, was, tallies.Counted.of(now_is))
    refunded = transition.refunds and refund_due(appointment)
    refund_row = refund(session, appointment, by, reason=reason) if refunded else None
    refund_paise = refund_row.amount_paise if refund_row else 0
    before = {"from_status": appointment.status, "refunded": refunded} if transition.refunds else {}
    write_audit(
        session,
        by,
        transition.action,
        appointment_id=appointment.id,
        reason=reason,
        detail={**before, **dict(detail or {})},
    )
    if refunded:  # the refund changed the row again
        session.flush()
        session.refresh(appointment)
    else:  # the row as the UPDATE returned it: no SELECT
        for column in _APPOINTMENTS.columns:
            set_committed_value(appointment, column.key, now_is[column])
    if held and (not holds_slot(appointment, by.now) or appointment.start_at != old_slot[1]):
        record_freed_slots(session, [old_slot], now=by.now)  # for the waitlist, same transaction
    appointment_news(
        session,
        transition.action,
        appointment,
        now=by.now,
        reason=reason,
        refund_paise=refund_paise,
    )
    if refund_row is not None:
        tell_if_settled(session, refund_row, now=by.now)
    return appointment


__all__ = [
    "ABANDON",
    "ACCEPT_REQUEST",
    "BOOK",
    "CANCEL",
    "CANCELLED",
    "CHANGED",
    "COMPLETE",
    "COMPLETED",
    "CONFIRMED",
    "CONFIRM_AT_CLINIC",
    "CONFIRM_PAID",
    "DECLINE_REQUEST",
    "EXPIRE",
    "EXPIRED",
    "HOLDS_SLOT",
    "HOLD_LAPSED",
    "LAPSE_REQUEST",
    "MARK_NO_SHOW",
    "NO_SHOW",
    "PENDING",
    "PROCESSING",
    "RESCHEDULE",
    "SETTLED_STATUSES",
    "SYSTEM",
    "TRANSITIONS",
    "Timing",
    "Transition",
    "allowed",
    "apply",
    "expire_lapsed_holds",
    "hold_lapsed",
    "holds_slot",
    "holds_slot_clause",
    "refusal",
]
