"""The doctor's patients: everyone they have seen (a completed visit), and one person's
whole history of visits with them, each with its full treatment record.

A person is an account holder or one of their family members (``Dependant``): a family
member is a patient of their own, with their own profile and visits, named by the key
"<holder id>-<dependant id>" (the holder's own: "<holder id>"). The doctor reaches only
people they have had an appointment with; anyone else is ``NotFound``, exactly like a
person who does not exist, so keys reveal nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    format_local_date,
    format_local_time,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    PrescriptionItem,
    Treatment,
    User,
)
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.domain.accounts.dependants import relation_label
from healthcareplus.domain.booking.views import visit_labels
from healthcareplus.domain.clinical.doctor_appointments import person_matches
from healthcareplus.domain.clinical.doctor_day import PatientProfile, patient_key, status_label
from healthcareplus.domain.clinical.records import PrescriptionLine, age_label
from healthcareplus.domain.clinical.treatment_fields import VISIT_TYPE_LABELS
from healthcareplus.domain.scheduling import lifecycle

NOT_FOUND = "Patient not found."
HISTORY_LIMIT = 200  # visits shown of one person (latest first)
_KEY = re.compile(r"([1-9][0-9]{0,9})(?:-([1-9][0-9]{0,9}))?")
_COMPLETED = AppointmentStatus.COMPLETED.value


@dataclass(frozen=True)
class SeenPatient:
    key: str  # "12" (the account holder) or "12-3" (their family member 3)
    name: str
    relation: str  # "Child", ... for a family member, else ""
    booked_by: str  # the account holder, for a family member
    age_label: str
    phone: str  # the account holder's
    visits: int  # completed visits with this doctor
    last_visit_label: str  # "Mon, 23 Nov 2026" (clinic time)
    last_visit_at: datetime


@dataclass(frozen=True)
class RecordedVisit:
    """One appointment with the doctor and the treatment record written for it."""

    appointment_id: str
    start_at: datetime
    date_label: str
    time_label: str
    reason: str
    status: str
    time_status: str
    status_label: str
    payment_status: str
    fee_label: str
    cancel_reason: str
    has_record: bool
    visit_type_label: str  # the record's, "" without one
    diagnosis: str
    notes: str
    updated_label: str
    items: tuple[PrescriptionLine, ...]


@dataclass(frozen=True)
class PatientHistory:
    key: str
    patient: PatientProfile
    visits: tuple[RecordedVisit, ...]  # latest first
    completed: int
    more: bool  # older visits beyond ``HISTORY_LIMIT`` are not shown


def parse_patient_key(value: object) -> tuple[int, int | None]:
    """(holder id, family member id or None) from a key; ``NotFound`` for anything else."""
    text = value.strip() if isinstance(value, str) else ""
    found = _KEY.fullmatch(text)
    if found is None:
        raise NotFound(NOT_FOUND)
    holder, member = int(found[1]), found[2]
    if holder >= 2**31 or (member is not None and int(member) >= 2**31):
        raise NotFound(NOT_FOUND)
    return holder, int(member) if member is not None else None


def _person(patient_id: int, dependant_id: int | None) -> ColumnElement[bool]:
    member = (
        col(Appointment.dependant_id) == dependant_id
        if dependant_id is not None
        else col(Appointment.dependant_id).is_(None)
    )
    return and_(col(Appointment.patient_id) == patient_id, member)


# --- everyone the doctor has seen ----------------------------------------------------------


def doctor_patients(
    session: Session,
    *,
    doctor_id: int,
    now: datetime,
    query: str = "",
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Page[SeenPatient]:
    """Everyone the doctor has completed a visit with (each family member apart from
    their account holder), with the number of those visits and the latest, most recent
    first; ``query`` narrows them by name or phone. One grouped query for the page."""
    today = clinic_today(utc(now))
    seen = (
        sa.select(
            col(Appointment.patient_id).label("patient_id"),
            col(Appointment.dependant_id).label("dependant_id"),
            func.count(col(Appointment.id)).label("visits"),
            func.max(col(Appointment.start_at)).label("last_at"),
        )
        .where(col(Appointment.doctor_id) == doctor_id, col(Appointment.status) == _COMPLETED)
        .group_by(col(Appointment.patient_id), col(Appointment.dependant_id))
        .subquery("seen")
    )
    holder = col(User.id) == seen.c.patient_id
    member = col(Dependant.id) == seen.c.dependant_id
    where = person_matches(query)
    people = (
        sa.select(
            seen.c.patient_id,
            seen.c.dependant_id,
            seen.c.visits,
            seen.c.last_at,
            col(User.name),
            col(User.phone),
            col(User.date_of_birth),
            col(Dependant.name),
            col(Dependant.relation),
            col(Dependant.date_of_birth),
        )
        .select_from(seen)
        .join(User, holder)
        .outerjoin(Dependant, member)
        .where(*where)
        .order_by(seen.c.last_at.desc(), seen.c.patient_id, seen.c.dependant_id)
    )
    count = (
        select(func.count())
        .select_from(seen)
        .join(User, holder)
        .outerjoin(Dependant, member)
        .where(*where)
    )
    rows, paging = fetch_page(session, people, count=count, page=page, page_size=per_page)
    items = []
    for (
        patient_id,
        dependant_id,
        visits,
        last_at,
        name,
        phone,
        born,
        m_name,
        relation,
        m_born,
    ) in rows:
        items.append(
            SeenPatient(
                key=patient_key(patient_id, dependant_id),
                name=m_name if dependant_id is not None else name,
                relation=relation_label(relation) if dependant_id is not None else "",
                booked_by=name if dependant_id is not None else "",
                age_label=age_label(m_born if dependant_id is not None else born, today),
                phone=phone,
                visits=int(visits),
                last_visit_label=format_local_date(last_at),
                last_visit_at=last_at,
            )
        )
    return Page(items=tuple(items), paging=paging)


# --- one person's history with the doctor --------------------------------------------------


def _profile(holder: User, dependant: Dependant | None, now: datetime) -> PatientProfile:
    person: User | Dependant = dependant or holder
    return PatientProfile(
        name=person.name,
        age_label=age_label(person.date_of_birth, clinic_today(now)),
        gender=person.gender or "",
        blood_group=person.blood_group or "",
        allergies=person.allergies,
        medical_history=person.medical_history,
        phone=holder.phone,
        booked_by=holder.name if dependant else "",
        relation=relation_label(dependant.relation) if dependant else "",
    )


def _records(
    session: Session, doctor_id: int, appointment_ids: list[str]
) -> tuple[dict[str, Treatment], dict[int, list[PrescriptionLine]]]:
    """The treatment records of those appointments (by appointment) and their
    prescription lines (by record), in two queries."""
    if not appointment_ids:
        return {}, {}
    treatments = session.exec(
        select(Treatment).where(
            col(Treatment.appointment_id).in_(appointment_ids),
            col(Treatment.doctor_id) == doctor_id,
        )
    ).all()
    by_visit = {t.appointment_id: t for t in treatments}
    lines: dict[int, list[PrescriptionLine]] = defaultdict(list)
    ids = [t.id for t in treatments if t.id is not None]
    if ids:
        items = session.exec(
            select(PrescriptionItem)
            .where(col(PrescriptionItem.treatment_id).in_(ids))
            .order_by(col(PrescriptionItem.treatment_id), col(PrescriptionItem.position))
        ).all()
        for i in items:
            lines[i.treatment_id].append(
                PrescriptionLine(i.position, i.medicine, i.dose, i.frequency, i.duration)
            )
    return by_visit, lines


def _visit(
    appointment: Appointment,
    record: Treatment | None,
    lines: list[PrescriptionLine],
    now: datetime,
) -> RecordedVisit:
    labels = visit_labels(appointment, now)
    updated = (
        f"{format_local_date(record.updated_at)}, {format_local_time(record.updated_at)}"
        if record
        else ""
    )
    return RecordedVisit(
        appointment_id=appointment.id,
        start_at=appointment.start_at,
        date_label=labels["date_label"],
        time_label=labels["time_label"],
        reason=appointment.reason,
        status=appointment.status,
        time_status=labels["time_status"],
        status_label=status_label(appointment, labels["time_status"]),
        payment_status=appointment.payment_status,
        fee_label=labels["fee_label"],
        cancel_reason=appointment.cancel_reason or "",
        has_record=record is not None,
        visit_type_label=(
            VISIT_TYPE_LABELS.get(record.visit_type, record.visit_type) if record else ""
        ),
        diagnosis=record.diagnosis if record else "",
        notes=record.notes if record else "",
        updated_label=updated,
        items=tuple(lines),
    )


def patient_history(
    session: Session,
    *,
    doctor_id: int,
    patient_id: int,
    dependant_id: int | None = None,
    now: datetime,
) -> PatientHistory:
    """The person's profile and every appointment they had with this doctor, latest
    first (but holds that lapsed unpaid), each with its whole treatment record: visit
    type, diagnosis, prescription and notes. ``NotFound`` unless the doctor has had an
    appointment with this person."""
    now = utc(now)
    if type(patient_id) is not int or not (dependant_id is None or type(dependant_id) is int):
        raise NotFound(NOT_FOUND)
    person = _person(patient_id, dependant_id)
    mine = col(Appointment.doctor_id) == doctor_id
    known = session.exec(select(Appointment.id).where(mine, person).limit(1)).first()
    holder = session.get(User, patient_id)
    dependant = session.get(Dependant, dependant_id) if dependant_id is not None else None
    if known is None or holder is None or (dependant_id is not None and dependant is None):
        raise NotFound(NOT_FOUND)
    shown = or_(lifecycle.holds_slot_clause(now), col(Appointment.status) == lifecycle.CANCELLED)
    appointments = session.exec(
        select(Appointment)
        .where(mine, person, shown)
        .order_by(col(Appointment.start_at).desc(), col(Appointment.id))
        .limit(HISTORY_LIMIT + 1)
    ).all()
    more = len(appointments) > HISTORY_LIMIT
    appointments = appointments[:HISTORY_LIMIT]
    records, lines = _records(session, doctor_id, [a.id for a in appointments])
    completed = session.exec(
        select(func.count(col(Appointment.id))).where(
            mine, person, col(Appointment.status) == _COMPLETED
        )
    ).one()
    visits = []
    for appointment in appointments:
        record = records.get(appointment.id)
        items = lines.get(record.id, []) if record is not None and record.id is not None else []
        visits.append(_visit(appointment, record, items, now))
    return PatientHistory(
        key=patient_key(patient_id, dependant_id),
        patient=_profile(holder, dependant, now),
        visits=tuple(visits),
        completed=int(completed),
        more=more,
    )


__all__ = [
    "HISTORY_LIMIT",
    "NOT_FOUND",
    "PatientHistory",
    "RecordedVisit",
    "SeenPatient",
    "doctor_patients",
    "parse_patient_key",
    "patient_history",
    "patient_key",
]
