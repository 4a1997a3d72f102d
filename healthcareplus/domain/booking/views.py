"""What the patient's pages show of an appointment: one flat, frozen view per row.

Each list is one SQL query: ``appointment_query``, the appointments joined with their
doctor, hospital and city (and patient), which the admin's and the doctor's lists of
appointments use too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, not_, or_
from sqlmodel import Session, col

from healthcareplus.core.errors import NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    format_local_date,
    format_local_time,
    format_rupees,
    initials,
    utc,
    when_labels,
)
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.accounts.dependants import relation_label
from healthcareplus.domain.booking.payment_wording import payment_label
from healthcareplus.domain.payments.methods import method_label
from healthcareplus.domain.scheduling import lifecycle

_APPOINTMENT_ID = re.compile(r"[0-9a-fA-F-]{1,36}")
TimeStatus = Literal["upcoming", "pending_payment", "completed", "missed", "cancelled", "expired"]
Tab = Literal["upcoming", "past", "cancelled"]
TABS: tuple[Tab, ...] = ("upcoming", "past", "cancelled")
MAX_LIMIT = 200
# The payment of a request its doctor has not accepted yet, as the patient reads it.
WAITING_FOR_DOCTOR = N_("Waiting for the doctor")


@dataclass(frozen=True)
class AppointmentView:
    id: str
    doctor_id: int
    doctor_name: str
    doctor_initials: str
    specialization: str
    hospital_id: int
    hospital_name: str
    hospital_address: str
    city_name: str
    start_at: datetime  # aware UTC
    end_at: datetime  # aware UTC
    date_label: str  # "Mon, 23 Nov 2026" (clinic time)
    time_label: str  # "09:30 AM" (clinic time)
    reason: str
    status: str  # AppointmentStatus value
    time_status: str  # TimeStatus
    payment_status: str  # PaymentStatus value (or "Processing" during a gateway call)
    payment_label: str  # as the patient reads it: "Paid", "Not charged", ... (payment_wording)
    payment_method: str  # label: "UPI", "Card", "Net Banking", "Wallet", "Pay at Clinic", ""
    payment_method_code: str  # PaymentMethod value or ""
    fee_paise: int
    fee_label: str  # "₹500"
    transaction_id: str  # "" when none
    booked_at: datetime
    hold_expires_at: datetime | None  # set while a payment hold runs
    paid_at: datetime | None
    cancel_reason: str  # "" when not cancelled
    refunded: bool
    can_cancel: bool
    can_reschedule: bool
    can_pay: bool
    # The family member the visit is for ("" when it is for the account holder).
    for_name: str = ""
    for_relation: str = ""  # "Child", "Spouse"...
    # A request waiting for its doctor to accept it ("confirm bookings myself"): it cannot
    # be paid yet; ``answer_by`` is his deadline, clinic time ("" when not waiting).
    awaiting_doctor: bool = False
    answer_by: str = ""


def clean_appointment_id(value: object) -> str:
    """A well-formed appointment id (lower case), else ``NotFound``: crafted values never
    reach SQL."""
    text = value.strip() if isinstance(value, str) else ""
    if not _APPOINTMENT_ID.fullmatch(text):
        raise NotFound("Appointment not found.")
    return text.lower()


def fresh_appointment(session: Session, appointment_id: object) -> Appointment | None:
    """The appointment as the database has it now (``populate_existing``), or None;
    ``NotFound`` for a malformed id."""
    return session.get(Appointment, clean_appointment_id(appointment_id), populate_existing=True)


def time_status(appointment: Appointment, now: datetime) -> TimeStatus:
    """Where the appointment stands for lists and the dashboard (see docs/domain.md)."""
    status = appointment.status
    if status == AppointmentStatus.CONFIRMED:
        return "upcoming" if appointment.end_at > now else "completed"
    if status == AppointmentStatus.COMPLETED:
        return "completed"
    if status == AppointmentStatus.NO_SHOW:
        return "missed"
    if status == AppointmentStatus.CANCELLED:
        return "cancelled"
    if status == AppointmentStatus.PENDING_PAYMENT and lifecycle.holds_slot(appointment, now):
        return "pending_payment"
    return "expired"


def visit_labels(appointment: Appointment, now: datetime) -> dict[str, Any]:
    """What every list of appointments shows of one alike: when (clinic time), its status
    and where it stands (``time_status``), and its payment."""
    return {
        **when_labels(appointment.start_at),
        "status": appointment.status,
        "time_status": time_status(appointment, now),
        "payment_status": appointment.payment_status,
        "payment_method": method_label(appointment.payment_method),
        "fee_label": format_rupees(appointment.fee_paise),
        "transaction_id": appointment.transaction_id or "",
    }


def _view(row: Any, now: datetime) -> AppointmentView:
    appointment, address, for_name, for_relation, *names = row
    labels = visit_labels(appointment, now)
    pending_live = labels["time_status"] == "pending_payment"
    awaiting = pending_live and appointment.awaiting_doctor
    deadline = appointment.hold_expires_at
    return AppointmentView(
        **dict(zip(DOCTOR_AND_PLACE, names, strict=True)),
        **labels,
        id=appointment.id,
        doctor_id=appointment.doctor_id,
        doctor_initials=initials(names[0]),
        hospital_id=appointment.hospital_id,
        hospital_address=address,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        reason=appointment.reason,
        payment_method_code=appointment.payment_method or "",
        fee_paise=appointment.fee_paise,
        booked_at=appointment.booked_at,
        hold_expires_at=appointment.hold_expires_at,
        paid_at=appointment.paid_at,
        cancel_reason=appointment.cancel_reason or "",
        payment_label=WAITING_FOR_DOCTOR
        if awaiting
        else payment_label(
            time_status=labels["time_status"],
            payment_status=appointment.payment_status,
            payment_method=appointment.payment_method,
        ),
        refunded=appointment.payment_status == PaymentStatus.REFUNDED,
        can_cancel=lifecycle.allowed(lifecycle.CANCEL, appointment, role=Role.PATIENT, now=now),
        can_reschedule=lifecycle.allowed(
            lifecycle.RESCHEDULE, appointment, role=Role.PATIENT, now=now
        ),
        can_pay=pending_live
        and not awaiting
        and appointment.payment_status != lifecycle.PROCESSING,
        for_name=for_name or "",
        for_relation=relation_label(for_relation),
        awaiting_doctor=awaiting,
        answer_by=f"{format_local_date(deadline)} · {format_local_time(deadline)}"
        if awaiting and deadline is not None
        else "",
    )


# The names of an appointment's doctor and place, by the field the rows show them in.
DOCTOR_AND_PLACE = {
    "doctor_name": col(Doctor.name),
    "specialization": col(Doctor.specialization),
    "hospital_name": col(Hospital.name),
    "city_name": col(City.name),
}


def appointment_query(*columns: Any, patient: bool = False, dependant: bool = False) -> Any:
    """``select(*columns)`` over the appointments joined with their doctor, hospital and
    city (and their patient as ``User`` when ``patient``, and the family member the visit
    is for as ``Dependant``, if any, when ``dependant``), so the columns may name them.

    SQLAlchemy's select: sqlmodel's is typed for at most four columns, and sqlmodel's
    exec() for its own selects only, hence the Any."""
    query = sa.select(*columns).select_from(Appointment)
    if patient:
        query = query.join(User, col(User.id) == Appointment.patient_id)
    if dependant:
        query = query.outerjoin(Dependant, col(Dependant.id) == Appointment.dependant_id)
    return (
        query.join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
    )


def _query() -> Any:
    person = (col(Dependant.name), col(Dependant.relation))
    return appointment_query(
        Appointment, col(Hospital.address), *person, *DOCTOR_AND_PLACE.values(), dependant=True
    )


def _upcoming(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(Appointment.end_at) > now,
        col(Appointment.status).in_([lifecycle.CONFIRMED, lifecycle.PENDING]),
        lifecycle.holds_slot_clause(now),
    )


def _cancelled(now: datetime) -> ColumnElement[bool]:
    """Called off or never completed: cancelled, expired, or a hold that lapsed unpaid."""
    return or_(
        col(Appointment.status).in_([lifecycle.CANCELLED, lifecycle.EXPIRED]),
        lifecycle.HOLD_LAPSED.sql(now),
    )


def _in_tab(tab: Tab, now: datetime) -> ColumnElement[bool]:
    """The tabs split every appointment: upcoming, cancelled, and past (the rest: visits
    whose time has passed, whether completed, missed or still marked confirmed)."""
    if tab == "upcoming":
        return _upcoming(now)
    if tab == "cancelled":
        return _cancelled(now)
    return and_(not_(_upcoming(now)), not_(_cancelled(now)))


def get_appointment(
    session: Session, *, appointment_id: str, patient_id: int, now: datetime
) -> AppointmentView:
    """One of the patient's appointments; ``NotFound`` for anyone else's."""
    row = session.exec(
        _query().where(
            col(Appointment.id) == str(appointment_id),
            col(Appointment.patient_id) == patient_id,
        )
    ).first()
    if row is None:
        raise NotFound("Appointment not found.")
    return _view(row, utc(now))


def list_appointments(
    session: Session,
    *,
    patient_id: int,
    tab: Tab,
    now: datetime,
    limit: int = 50,
    after: tuple[datetime, str] | None = None,
) -> list[AppointmentView]:
    """The patient's upcoming appointments (soonest first), past or cancelled ones (latest
    visit first).

    Upcoming: confirmed, or pending with a live hold, and not yet over. Cancelled:
    cancelled, expired, or a hold that lapsed unpaid. Past: the rest (completed, missed,
    confirmed but over). ``after`` (the ``start_at`` and ``id`` of the last one seen)
    continues the list.
    """
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}")
    now = utc(now)
    limit = min(max(int(limit), 0), MAX_LIMIT)
    query = _query().where(col(Appointment.patient_id) == patient_id, _in_tab(tab, now))
    start, later = col(Appointment.start_at), tab == "upcoming"
    if after is not None:
        beyond = start > utc(after[0]) if later else start < utc(after[0])
        tie = and_(start == utc(after[0]), col(Appointment.id) > after[1])
        query = query.where(or_(beyond, tie))
    order = start if later else start.desc()
    return [
        _view(row, now)
        for row in session.exec(query.order_by(order, col(Appointment.id)).limit(limit))
    ]


__all__ = [
    "AppointmentView",
    "TABS",
    "Tab",
    "TimeStatus",
    "DOCTOR_AND_PLACE",
    "appointment_query",
    "clean_appointment_id",
    "fresh_appointment",
    "visit_labels",
    "get_appointment",
    "list_appointments",
    "time_status",
]
