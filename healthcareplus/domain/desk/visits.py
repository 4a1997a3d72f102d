"""Visits at the front desk: booking, moving and cancelling for a patient, and taking
the fee (Pay at Clinic, or paid at the counter in cash, by card or UPI, with a receipt).

Each is the patient's own booking operation run by the desk (``by``): the same slot
rule, the same lifecycle transitions and the same news to the patient. The desk reaches
only its hospitals (``staff.acting_desk``); an admin reaches every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Hospital,
    Payment,
    PaymentMethod,
    PaymentStatus,
    User,
)
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking.views import time_status
from healthcareplus.domain.desk.patients import desk_patient
from healthcareplus.domain.desk.staff import DeskActor, acting_desk
from healthcareplus.domain.payments.checkout import confirm_pay_at_clinic
from healthcareplus.domain.payments.clinic_payment import COUNTER_METHODS, receive_clinic_payment
from healthcareplus.domain.scheduling import lifecycle

VISITS_SHOWN = 50
COUNTER_LABELS = {"cash": "Cash", "card": "Card", "upi": "UPI"}
CHOOSE_PAYMENT = "Choose how the fee is paid: Pay at Clinic, cash, card or UPI."
NO_RECEIPT = "This visit has no payment received at the clinic."
STATUS_LABELS = {
    "upcoming": "Confirmed",
    "pending_payment": "Held: confirm it",
    "awaiting_doctor": "Waiting for the doctor",
    "completed": "Completed",
    "missed": "No-show",
    "cancelled": "Cancelled",
    "expired": "Expired",
}


@dataclass(frozen=True)
class DoctorChoice:
    id: int
    name: str
    specialization: str
    fee: str


@dataclass(frozen=True)
class DeskVisit:
    id: str
    when: str  # clinic time
    doctor: str
    hospital: str
    for_name: str  # the family member it is for ("" for the patient)
    time_status: str  # upcoming, pending_payment, awaiting_doctor, completed, missed, ...
    status_label: str  # as the desk reads it: "Confirmed", "Held: confirm it", ...
    payment: str  # "Paid · Cash", "Pay at Clinic · due", ...
    fee: str
    can_confirm: bool  # a held booking: confirm it (Pay at Clinic or paid now)
    can_take_payment: bool  # confirmed, Pay at Clinic, not paid yet
    can_reschedule: bool  # confirmed and ahead
    can_cancel: bool  # held or confirmed, and ahead
    has_receipt: bool


@dataclass(frozen=True)
class Receipt:
    number: str  # the transaction id
    paid_at: str
    patient: str
    for_name: str
    doctor: str
    hospital: str
    hospital_address: str
    visit: str
    amount: str
    method: str  # "Cash", "Card", "UPI" (at the counter) or "At the clinic"


def _when(instant: datetime) -> str:
    return f"{format_local_date(instant)} · {format_local_time(instant)}"


def desk_doctors(
    session: Session, *, actor_id: object, hospital_id: object, now: datetime
) -> list[DoctorChoice]:
    """The active doctors of a hospital the desk serves, by name."""
    desk = acting_desk(session, actor_id, now=now)
    hospital = desk.require(hospital_id if type(hospital_id) is int else None)
    rows = session.exec(
        select(Doctor)
        .where(col(Doctor.hospital_id) == hospital, col(Doctor.is_active).is_(True))
        .order_by(col(Doctor.name))
    ).all()
    return [
        DoctorChoice(d.id or 0, d.name, d.specialization, format_rupees(d.fee_paise)) for d in rows
    ]


def _payment_label(appointment: Appointment, counter: str | None) -> str:
    if appointment.payment_status == PaymentStatus.SUCCESS:
        how = COUNTER_LABELS.get(counter or "", "")
        return f"Paid · {how}" if how else "Paid"
    if appointment.payment_status == PaymentStatus.REFUNDED:
        return "Refunded"
    if appointment.payment_method == PaymentMethod.PAY_AT_CLINIC:
        return "Pay at Clinic · due"
    return "Not paid"


def _visit(appointment: Appointment, doctor: str, hospital: str, member: str | None,
           counter: str | None, now: datetime) -> DeskVisit:  # fmt: skip
    status = time_status(appointment, now)
    waiting = status == "pending_payment" and appointment.awaiting_doctor
    shown = "awaiting_doctor" if waiting else status
    held = status == "pending_payment" and not waiting
    due = (
        appointment.status == lifecycle.CONFIRMED
        and appointment.payment_method == PaymentMethod.PAY_AT_CLINIC
        and appointment.payment_status == PaymentStatus.PENDING
    )
    ahead = appointment.start_at > now
    return DeskVisit(
        id=appointment.id,
        when=_when(appointment.start_at),
        doctor=doctor,
        hospital=hospital,
        for_name=member or "",
        time_status=shown,
        status_label=STATUS_LABELS.get(shown, shown),
        payment=_payment_label(appointment, counter),
        fee=format_rupees(appointment.fee_paise),
        can_confirm=held,
        can_take_payment=due,
        can_reschedule=ahead and status == "upcoming",
        can_cancel=ahead and status in ("upcoming", "pending_payment"),
        has_receipt=appointment.payment_status == PaymentStatus.SUCCESS
        and appointment.payment_method == PaymentMethod.PAY_AT_CLINIC,
    )


def _counter_of(session: Session, ids: list[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    rows = session.exec(
        select(Payment.appointment_id, Payment.counter_method).where(
            col(Payment.appointment_id).in_(ids),
            col(Payment.status) == PaymentStatus.SUCCESS.value,
            col(Payment.method) == PaymentMethod.PAY_AT_CLINIC.value,
        )
    ).all()
    return {appointment_id: counter for appointment_id, counter in rows}


def patient_visits(
    session: Session, *, actor_id: object, patient_id: object, now: datetime
) -> list[DeskVisit]:
    """The patient's visits at the hospitals the desk serves, latest first."""
    desk = acting_desk(session, actor_id, now=now)
    patient = desk_patient(session, actor_id=actor_id, patient_id=patient_id, now=now)
    query: Any = (
        select(Appointment, Doctor.name, Hospital.name, Dependant.name)
        .join(Doctor, col(Doctor.id) == col(Appointment.doctor_id))
        .join(Hospital, col(Hospital.id) == col(Appointment.hospital_id))
        .outerjoin(Dependant, col(Dependant.id) == col(Appointment.dependant_id))
        .where(col(Appointment.patient_id) == patient.id)
        .order_by(col(Appointment.start_at).desc())
        .limit(VISITS_SHOWN)
    )
    if desk.hospital_ids is not None:
        query = query.where(col(Appointment.hospital_id).in_(sorted(desk.hospital_ids)))
    rows = session.exec(query).all()
    counters = _counter_of(session, [row[0].id for row in rows])
    at = desk.actor.now
    return [
        _visit(a, doctor, hospital, member, counters.get(a.id), at)
        for a, doctor, hospital, member in rows
    ]


def _doctor_in_reach(session: Session, desk: DeskActor, doctor_id: object) -> Doctor:
    doctor = session.get(Doctor, doctor_id) if type(doctor_id) is int else None
    if doctor is None or not doctor.is_active or not desk.reaches(doctor.hospital_id):
        raise NotFound("Doctor not found.")
    return doctor


def book_for_patient(
    session: Session,
    *,
    actor_id: object,
    patient_id: object,
    doctor_id: object,
    start_at: datetime,
    reason: str,
    now: datetime,
    dependant_id: int | None = None,
) -> Appointment:
    """Hold the slot for the patient, booked by the desk: then confirm it with
    :func:`confirm_at_desk` (the hold lasts ``HCP_HOLD_MINUTES`` like the patient's own)."""
    desk = acting_desk(session, actor_id, now=now)
    patient = desk_patient(session, actor_id=actor_id, patient_id=patient_id, now=now)
    doctor = _doctor_in_reach(session, desk, doctor_id)
    return booking.book(
        session,
        patient_id=patient.id or 0,
        doctor_id=doctor.id or 0,
        start_at=start_at,
        reason=reason,
        now=desk.actor.now,
        dependant_id=dependant_id,
        by=desk.actor,
    )


def _clean_counter(counter: object, *, allow_clinic: bool) -> str | None:
    if allow_clinic and counter == PaymentMethod.PAY_AT_CLINIC.value:
        return None
    if isinstance(counter, str) and counter in COUNTER_METHODS:
        return counter
    raise ValidationFailed({"payment": CHOOSE_PAYMENT})


def confirm_at_desk(
    session: Session, *, actor_id: object, appointment_id: object, payment: object, now: datetime
) -> Appointment:
    """Confirm a held booking at the desk: ``payment`` "pay_at_clinic" (paid later, at
    the visit) or "cash" / "card" / "upi" (paid now at the counter: a receipt)."""
    desk = acting_desk(session, actor_id, now=now)
    counter = _clean_counter(payment, allow_clinic=True)
    appointment = booking.appointment_for_actor(
        session, str(appointment_id), desk.user_id, desk.actor.role or ""
    )
    confirm_pay_at_clinic(session, appointment, desk.actor)
    if counter is not None:
        receive_clinic_payment(session, appointment, desk.actor, counter=counter)
    return appointment


def take_payment(
    session: Session, *, actor_id: object, appointment_id: object, payment: object, now: datetime
) -> Appointment:
    """Record a Pay-at-Clinic fee paid at the counter ("cash", "card" or "upi")."""
    desk = acting_desk(session, actor_id, now=now)
    counter = _clean_counter(payment, allow_clinic=False)
    appointment = booking.appointment_for_actor(
        session, str(appointment_id), desk.user_id, desk.actor.role or ""
    )
    return receive_clinic_payment(session, appointment, desk.actor, counter=counter)


def cancel_for_patient(
    session: Session, *, actor_id: object, appointment_id: object, reason: object, now: datetime
) -> Appointment:
    """Cancel the patient's visit at the desk (a reason is required; a paid fee is refunded)."""
    desk = acting_desk(session, actor_id, now=now)
    text = reason if isinstance(reason, str) else ""
    return booking.cancel_by(session, desk.actor, str(appointment_id), text)


def reschedule_for_patient(
    session: Session, *, actor_id: object, appointment_id: object, new_start_at: datetime,
    now: datetime,
) -> Appointment:  # fmt: skip
    """Move the patient's confirmed visit to another free slot of its doctor."""
    desk = acting_desk(session, actor_id, now=now)
    appointment = booking.appointment_for_actor(
        session, str(appointment_id), desk.user_id, desk.actor.role or ""
    )
    return booking.reschedule(
        session,
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        new_start_at=new_start_at,
        now=desk.actor.now,
        by=desk.actor,
    )


def receipt(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> Receipt:
    """The receipt of a fee received at the clinic, for printing."""
    desk = acting_desk(session, actor_id, now=now)
    appointment = booking.appointment_for_actor(
        session, str(appointment_id), desk.user_id, desk.actor.role or ""
    )
    paid = session.exec(
        select(Payment).where(
            col(Payment.appointment_id) == appointment.id,
            col(Payment.status) == PaymentStatus.SUCCESS.value,
            col(Payment.method) == PaymentMethod.PAY_AT_CLINIC.value,
        )
    ).first()
    if paid is None or paid.settled_at is None:
        raise Conflict(NO_RECEIPT)
    patient = session.get(User, appointment.patient_id)
    doctor = session.get(Doctor, appointment.doctor_id)
    hospital = session.get(Hospital, appointment.hospital_id)
    member = session.get(Dependant, appointment.dependant_id) if appointment.dependant_id else None
    return Receipt(
        number=paid.transaction_id or "",
        paid_at=_when(paid.settled_at),
        patient=patient.name if patient else "",
        for_name=member.name if member else "",
        doctor=doctor.name if doctor else "",
        hospital=hospital.name if hospital else "",
        hospital_address=hospital.address if hospital else "",
        visit=_when(appointment.start_at),
        amount=format_rupees(paid.amount_paise),
        method=COUNTER_LABELS.get(paid.counter_method or "", "At the clinic"),
    )


__all__ = [
    "COUNTER_LABELS",
    "DeskVisit",
    "DoctorChoice",
    "Receipt",
    "book_for_patient",
    "cancel_for_patient",
    "confirm_at_desk",
    "desk_doctors",
    "patient_visits",
    "receipt",
    "reschedule_for_patient",
    "take_payment",
]
