"""Booking, cancelling and rescheduling appointments.

The database guarantees one taken appointment per slot: the partial unique index
``uq_appointments_taken_slot`` on (doctor_id, start_at) over the slot-taking statuses.
Every write that claims a slot first reads whether it may (``slot_claims``: two
statements), expires a lapsed hold on it if one sits there (the lifecycle's one expiry
statement, in the same transaction), then relies on that index: a conflict means someone
else won and becomes ``SlotUnavailable``. Status changes go through
``scheduling.lifecycle``; views for the pages live in ``booking.views``.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, write_audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import (
    SLOT_TAKING_SQL,
    Appointment,
    Doctor,
    PaymentStatus,
    Role,
    StaffHospital,
    User,
    new_uuid,
)
from healthcareplus.core.validation import REASON_MAX, reason_text
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.dependants import own_dependant
from healthcareplus.domain.booking.slot_claims import (
    SLOT_JUST_TAKEN,
    BookingDoctor,
    Parties,
    claimable_slot,
    read_parties,
)
from healthcareplus.domain.booking.views import (
    AppointmentView,
    get_appointment,
    list_appointments,
    time_status,
)
from healthcareplus.domain.notifications.outbox import appointment_news
from healthcareplus.domain.notifications.reminders import schedule_hold_nudge
from healthcareplus.domain.scheduling import lifecycle, tallies
from healthcareplus.domain.scheduling.slots import Slot

SLOT_INDEX_WHERE = sql_text(SLOT_TAKING_SQL)  # the unique slot index's own condition
PATIENT_CANCEL_REASON = "Cancelled by patient"
REQUEST_MADE = "request_made"  # the news a request sends (to the doctor and the patient)


def clean_reason(reason: str | None) -> str:
    return reason_text(reason, missing="Please tell us the reason for your visit.")


def _require_patient(session: Session, parties: Parties, patient_id: int) -> User:
    """The booking patient: an active, unblocked patient account (``acting_user``; the
    account was read with the doctor, so this runs no query)."""
    if parties.patient is None:
        raise NotFound("Account not found.")
    if parties.patient.is_blocked:
        raise Forbidden("Your account is blocked from booking. Please contact the clinic.")
    return acting_user(
        session, patient_id, Role.PATIENT, refusal="Only an active patient account can book."
    )


def _require_doctor(parties: Parties) -> BookingDoctor:
    if parties.doctor is None:
        raise NotFound("Doctor not found.")
    return parties.doctor


def _expire_lapsed_hold(session: Session, doctor_id: int, slot: Slot, now: datetime) -> None:
    """Before a slot is claimed: a lapsed hold on it expires (then the slot index decides)."""
    on_slot = (col(Appointment.doctor_id) == doctor_id, col(Appointment.start_at) == slot.start_at)
    lifecycle.expire_lapsed_holds(session, now=now, where=on_slot, claiming=True)


def _hold_statement(insert: Any) -> Any:
    return (
        insert(_APPOINTMENTS)
        .on_conflict_do_nothing(
            index_elements=["doctor_id", "start_at"], index_where=SLOT_INDEX_WHERE
        )
        .returning(_APPOINTMENTS.c.id)
    )


_APPOINTMENTS = table_of(Appointment)
_HOLD = {"postgresql": _hold_statement(postgresql_insert), "sqlite": _hold_statement(sqlite_insert)}
# Every column a new booking leaves empty, so its object needs no reload.
_EMPTY = {column.name: None for column in _APPOINTMENTS.columns}
_NEW_INSTANCE = inspect(Appointment).class_manager.new_instance


def _insert_hold(session: Session, values: dict[str, Any]) -> bool:
    """INSERT the pending booking unless the slot index already holds (doctor, start)."""
    statement = _HOLD[session.get_bind().dialect.name]
    return session.execute(statement, values).first() is not None


def _as_loaded(session: Session, values: dict[str, Any]) -> Appointment:
    """The just-inserted row as a persistent object built from the values it was written
    with, as a load from the database builds one (no SELECT: nothing else has touched it)."""
    appointment: Appointment = _NEW_INSTANCE()
    for name, value in {**_EMPTY, **values}.items():
        set_committed_value(appointment, name, value)
    make_transient_to_detached(appointment)
    session.add(appointment)
    return appointment


def book(
    session: Session,
    *,
    patient_id: int,
    doctor_id: int,
    start_at: datetime,
    reason: str,
    now: datetime,
    dependant_id: int | None = None,
    hold_minutes: int | None = None,
    by: Actor | None = None,
) -> Appointment:
    """Hold a free slot for the patient: a ``pending_payment`` booking until paid.

    ``hold_minutes``: how long the hold lasts (default ``HCP_HOLD_MINUTES``; a waitlist
    offer holds its slot for ``HCP_WAITLIST_OFFER_MINUTES``). ``by``: the front desk or
    an admin booking on the patient's behalf (the caller has checked them and their reach);
    None: the patient.

    A patient's own booking with a doctor who confirms bookings himself is a request: it
    holds the slot until he answers (``HCP_REQUEST_ANSWER_HOURS``, at most until the visit)
    and cannot be paid before he accepts (``booking.requests``). Bookings made by the
    clinic's own staff, and waitlist offers, are not requests.

    ``dependant_id``: the patient's own family member the visit is for (None: the patient);
    the patient stays the booking's contact and payer. Two reads (``slot_claims``), the
    expiry of a lapsed hold on the slot if there is one, the INSERT, its audit entry and
    its hold nudge: five statements (one more for a family member), then the counters at
    commit.
    """
    now, start_at = utc(now), utc(start_at)
    text = clean_reason(reason)
    parties = read_parties(session, patient_id=patient_id, doctor_id=doctor_id, start_at=start_at)
    _require_patient(session, parties, patient_id)
    if dependant_id is not None:
        own_dependant(session, holder_id=patient_id, dependant_id=dependant_id)
    doctor = _require_doctor(parties)
    claim = claimable_slot(
        session,
        doctor,
        parties.blocks,
        patient_id=patient_id,
        start_at=start_at,
        now=now,
        dependant_id=dependant_id,
    )
    slot = claim.slot
    if claim.lapsed_hold:
        _expire_lapsed_hold(session, doctor.doctor_id, slot, now)
    booker = by or Actor(patient_id, Role.PATIENT, now)
    request = doctor.confirms_bookings and by is None and hold_minutes is None
    settings = get_settings()
    if request:
        hold_until = min(now + timedelta(hours=settings.request_answer_hours), slot.start_at)
    else:
        hold_until = now + timedelta(minutes=hold_minutes or settings.hold_minutes)
    values: dict[str, Any] = {
        "id": new_uuid(),
        "patient_id": patient_id,
        "dependant_id": dependant_id,
        "doctor_id": doctor.doctor_id,
        "hospital_id": doctor.hospital_id,
        "start_at": slot.start_at,
        "end_at": slot.end_at,
        "reason": text,
        "status": lifecycle.BOOK.target,
        "payment_status": PaymentStatus.PENDING.value,
        "fee_paise": doctor.fee_paise,
        "booked_at": now,
        "hold_expires_at": hold_until,
        "awaiting_doctor": request,
    }
    if not _insert_hold(session, values):
        raise SlotUnavailable(SLOT_JUST_TAKEN)
    tallies.count_new(session, values)
    detail: dict[str, Any] = {"doctor_id": doctor.doctor_id, "start_at": slot.start_at.isoformat()}
    if dependant_id is not None:
        detail["dependant_id"] = dependant_id
    if by is not None:
        detail["for_patient_id"] = patient_id
    write_audit(session, booker, lifecycle.BOOK.action, appointment_id=values["id"], detail=detail)
    appointment = _as_loaded(session, values)
    if request:
        appointment_news(session, REQUEST_MADE, appointment, now=now)
    else:
        schedule_hold_nudge(session, appointment, now=now)
    return appointment


def appointment_for_actor(
    session: Session, appointment_id: str, actor_id: int | None, actor_role: str
) -> Appointment:
    """The appointment if this actor may act on it; ``NotFound`` hides the others.

    The one ownership rule: an admin any appointment, a patient their own, a doctor their
    own patients', the front desk those at its hospitals. The actor must be an active,
    unblocked user of that role.
    """
    acting_user(
        session, actor_id, actor_role, refusal="You are not allowed to change this appointment."
    )
    appointment = session.get(Appointment, str(appointment_id)[:36], populate_existing=True)
    if appointment is None:
        raise NotFound("Appointment not found.")
    if actor_role == Role.ADMIN:
        return appointment
    if actor_role == Role.PATIENT and appointment.patient_id == actor_id:
        return appointment
    if actor_role == Role.DOCTOR:
        own = session.exec(select(Doctor.id).where(Doctor.user_id == actor_id)).first()
        if own is not None and own == appointment.doctor_id:
            return appointment
    if actor_role == Role.FRONT_DESK:
        serves = select(StaffHospital.hospital_id).where(
            StaffHospital.user_id == actor_id, StaffHospital.hospital_id == appointment.hospital_id
        )
        if session.exec(serves).first() is not None:
            return appointment
    raise NotFound("Appointment not found.")


def _cancel_reason(reason: str | None, actor_role: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": f"Keep the reason under {REASON_MAX} characters."})
    if text:
        return text
    if actor_role == Role.PATIENT:
        return PATIENT_CANCEL_REASON
    raise ValidationFailed({"reason": "Please give a reason for the cancellation."})


def cancel(
    session: Session,
    *,
    appointment_id: str,
    actor_id: int,
    actor_role: str,
    reason: str | None,
    now: datetime,
    action: str | None = None,
) -> Appointment:
    """Cancel a pending or confirmed appointment, refunding a successful payment.

    Who may, and when, is the lifecycle's ``CANCEL`` transition: patients their own future
    appointments, a doctor their own patients' future ones, an admin any (doctors and
    admins must give a reason). ``action`` relabels the audit entry (e.g. admin_cancelled).
    """
    appointment = appointment_for_actor(session, appointment_id, actor_id, actor_role)
    return _cancel(session, appointment, Actor(actor_id, actor_role, utc(now)), reason, action)


def cancel_by(
    session: Session,
    by: Actor,
    appointment_id: str,
    reason: str | None,
    *,
    action: str | None = None,
) -> Appointment:
    """``cancel`` for a caller that names its actor already."""
    appointment = appointment_for_actor(session, appointment_id, by.id, by.role or "")
    return _cancel(session, appointment, by, reason, action)


def _cancel(
    session: Session, appointment: Appointment, by: Actor, reason: str | None, action: str | None
) -> Appointment:
    text = _cancel_reason(reason, by.role or "")
    transition = lifecycle.CANCEL
    if action:
        transition = dataclasses.replace(transition, action=action)
    stamps = {"cancelled_at": by.now, "cancelled_by_user_id": by.id, "cancel_reason": text}
    return lifecycle.apply(session, appointment, transition, by, values=stamps, reason=text)


def reschedule(
    session: Session,
    *,
    appointment_id: str,
    patient_id: int,
    new_start_at: datetime,
    now: datetime,
    by: Actor | None = None,
) -> Appointment:
    """Move the patient's confirmed future appointment to another free slot of its doctor,
    for the same person (the patient or their family member), whose other visits must not
    overlap the new time. ``by``: the doctor, front desk or admin moving it (None: the
    patient ``patient_id``); the patient is told either way.

    One UPDATE of the same row: the slot index accepts the new (doctor, start) and lets go
    of the old one in the same statement, so the old slot is never freed before the new
    one is held. The payment stays with the appointment.
    """
    now, new_start = utc(now), utc(new_start_at)
    mover = by or Actor(patient_id, Role.PATIENT, now)
    appointment = appointment_for_actor(session, appointment_id, mover.id, mover.role or "")
    patient_id = appointment.patient_id
    if appointment.status == lifecycle.PENDING and not lifecycle.hold_lapsed(appointment, now):
        raise Conflict("Complete the payment first, then you can reschedule.")
    refused = lifecycle.refusal(lifecycle.RESCHEDULE, appointment, role=mover.role or "", now=now)
    if refused:
        raise Conflict(refused)
    if new_start == appointment.start_at:
        raise SlotUnavailable("Your appointment is already at that time.")
    doctor_id, old_start = appointment.doctor_id, appointment.start_at
    parties = read_parties(session, patient_id=patient_id, doctor_id=doctor_id, start_at=new_start)
    _require_patient(session, parties, patient_id)
    doctor = _require_doctor(parties)
    claim = claimable_slot(
        session,
        doctor,
        parties.blocks,
        patient_id=patient_id,
        start_at=new_start,
        now=now,
        ignore_id=appointment.id,
        dependant_id=appointment.dependant_id,
    )
    slot = claim.slot
    if claim.lapsed_hold:
        _expire_lapsed_hold(session, doctor_id, slot, now)
    try:
        return lifecycle.apply(
            session,
            appointment,
            lifecycle.RESCHEDULE,
            mover,
            values={"start_at": slot.start_at, "end_at": slot.end_at},
            detail={"from": old_start.isoformat(), "to": slot.start_at.isoformat()},
        )
    except IntegrityError:
        # The new slot was taken meanwhile: the failed statement leaves the transaction
        # unusable, so it is rolled back here (nothing else was written in it).
        session.rollback()
        raise SlotUnavailable(SLOT_JUST_TAKEN) from None


__all__ = [
    "PATIENT_CANCEL_REASON",
    "SLOT_JUST_TAKEN",
    "AppointmentView",
    "appointment_for_actor",
    "book",
    "cancel",
    "cancel_by",
    "clean_reason",
    "get_appointment",
    "list_appointments",
    "reschedule",
    "time_status",
]
