"""A patient's appointments as the admin sees them: latest first, one page at a time,
with the doctor, the status and the payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Appointment
from healthcareplus.core.paging import Page, fetch_page
from healthcareplus.domain.accounts.dependants import relation_label
from healthcareplus.domain.admin.patients import require_patient
from healthcareplus.domain.booking.views import DOCTOR_AND_PLACE, appointment_query, visit_labels


@dataclass(frozen=True)
class HistoryItem:
    id: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    start_at: datetime
    date_label: str
    time_label: str
    status: str
    time_status: str
    payment_status: str
    payment_method: str
    fee_label: str
    transaction_id: str
    for_name: str = ""  # the family member the visit was for ("" for the patient)
    for_relation: str = ""


HistoryPage = Page[HistoryItem]


def patient_history(
    session: Session,
    *,
    patient_id: int,
    now: datetime,
    page: int = 1,
    page_size: int = 10,
) -> HistoryPage:
    """The patient's appointments, latest first, with doctor, status and payment."""
    now = utc(now)
    require_patient(session, patient_id)
    where = col(Appointment.patient_id) == patient_id
    rows, p = fetch_page(
        session,
        appointment_query(
            Appointment,
            col(Dependant.name),
            col(Dependant.relation),
            *DOCTOR_AND_PLACE.values(),
            dependant=True,
        )
        .where(where)
        .order_by(col(Appointment.start_at).desc(), col(Appointment.id)),
        count=select(func.count(col(Appointment.id))).where(where),
        page=page,
        page_size=page_size,
    )
    items = tuple(
        HistoryItem(
            id=a.id,
            doctor_id=a.doctor_id,
            start_at=a.start_at,
            **dict(zip(DOCTOR_AND_PLACE, names, strict=True)),
            **visit_labels(a, now),
            for_name=for_name or "",
            for_relation=relation_label(for_relation),
        )
        for a, for_name, for_relation, *names in rows
    )
    return HistoryPage(items=items, paging=p)


__all__ = ["HistoryItem", "HistoryPage", "patient_history"]
