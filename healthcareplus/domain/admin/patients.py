"""The admin's patient management: search, profile and appointment history, block and
unblock (a blocked patient cannot book; ``booking.book`` refuses them), edit details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import (
    format_local_date,
    format_local_time,
    format_rupees,
    utc,
)
from healthcareplus.core.models import Appointment, City, Doctor, Hospital, Role, User
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.domain.accounts.admins import PAGE_SIZE, Paging, offset_of, paging
from healthcareplus.domain.booking.views import time_status
from healthcareplus.domain.payments.ledger import entity_audit
from healthcareplus.domain.payments.methods import method_label

STATUSES = ("all", "active", "blocked")
REASON_MIN, REASON_MAX = 3, 500
_MAX_TERMS = 6
_NOT_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class PatientRow:
    id: int
    name: str
    email: str
    phone: str
    is_blocked: bool
    joined_label: str
    appointments: int


@dataclass(frozen=True)
class PatientListPage:
    items: tuple[PatientRow, ...]
    paging: Paging


@dataclass(frozen=True)
class PatientDetail:
    id: int
    name: str
    email: str
    phone: str
    date_of_birth: str  # "1991-08-14" or ""
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    is_active: bool
    is_blocked: bool
    blocked_reason: str
    joined_label: str


@dataclass(frozen=True)
class HistoryItem:
    id: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    date_label: str
    time_label: str
    status: str
    time_status: str
    payment_status: str
    payment_method: str
    fee_label: str
    transaction_id: str


@dataclass(frozen=True)
class HistoryPage:
    items: tuple[HistoryItem, ...]
    paging: Paging


def _search_conditions(q: str, status: str) -> list[ColumnElement]:
    where: list[ColumnElement] = [col(User.role) == Role.PATIENT.value]
    for term in " ".join(str(q or "").split())[:100].lower().split()[:_MAX_TERMS]:
        options = [
            func.lower(User.name).contains(term, autoescape=True),
            func.lower(User.email).contains(term, autoescape=True),
        ]
        digits = _NOT_DIGITS.sub("", term)
        if len(digits) >= 3:  # phones are stored as "+91 98450 12345"
            options.append(func.replace(User.phone, " ", "").contains(digits, autoescape=True))
        where.append(or_(*options))
    if status == "blocked":
        where.append(col(User.is_blocked).is_(True))
    elif status == "active":
        where.append(col(User.is_blocked).is_(False))
    return where


def search_patients(
    session: Session,
    *,
    q: str = "",
    status: str = "all",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> PatientListPage:
    """Patients matching every word of ``q`` in name, email or phone; newest first."""
    where = _search_conditions(q, status if status in STATUSES else "all")
    total = session.exec(select(func.count(col(User.id))).where(*where)).one()
    p = paging(total, page, page_size)
    users = session.exec(
        select(User)
        .where(*where)
        .order_by(col(User.created_at).desc(), col(User.id).desc())
        .limit(p.page_size)
        .offset(offset_of(p))
    ).all()
    ids = [u.id for u in users]
    counts = dict(
        session.exec(
            select(Appointment.patient_id, func.count(col(Appointment.id)))
            .where(col(Appointment.patient_id).in_(ids))
            .group_by(col(Appointment.patient_id))
        ).all()
    )
    items = tuple(
        PatientRow(
            id=u.id or 0,
            name=u.name,
            email=u.email,
            phone=u.phone,
            is_blocked=u.is_blocked,
            joined_label=format_local_date(u.created_at),
            appointments=counts.get(u.id, 0),
        )
        for u in users
    )
    return PatientListPage(items=items, paging=p)


def _require(session: Session, patient_id: int) -> User:
    user = session.get(User, patient_id) if type(patient_id) is int else None
    if user is None or user.role != Role.PATIENT:
        raise NotFound("Patient not found.")
    return user


def _detail(user: User) -> PatientDetail:
    return PatientDetail(
        id=user.id or 0,
        name=user.name,
        email=user.email,
        phone=user.phone,
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else "",
        gender=user.gender or "",
        blood_group=user.blood_group or "",
        allergies=user.allergies,
        medical_history=user.medical_history,
        is_active=user.is_active,
        is_blocked=user.is_blocked,
        blocked_reason=user.blocked_reason or "",
        joined_label=format_local_date(user.created_at),
    )


def get_patient(session: Session, *, patient_id: int) -> PatientDetail:
    return _detail(_require(session, patient_id))


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
    _require(session, patient_id)
    where = col(Appointment.patient_id) == patient_id
    total = session.exec(select(func.count(col(Appointment.id))).where(where)).one()
    p = paging(total, page, page_size)
    rows = session.exec(
        select(Appointment, Doctor.name, Doctor.specialization, Hospital.name, City.name)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(where)
        .order_by(col(Appointment.start_at).desc(), col(Appointment.id))
        .limit(p.page_size)
        .offset(offset_of(p))
    ).all()
    items = tuple(
        HistoryItem(
            id=a.id,
            doctor_id=a.doctor_id,
            doctor_name=doctor_name,
            specialization=specialization,
            hospital_name=hospital_name,
            city_name=city_name,
            date_label=format_local_date(a.start_at),
            time_label=format_local_time(a.start_at),
            status=a.status,
            time_status=time_status(a, now),
            payment_status=a.payment_status,
            payment_method=method_label(a.payment_method),
            fee_label=format_rupees(a.fee_paise),
            transaction_id=a.transaction_id or "",
        )
        for a, doctor_name, specialization, hospital_name, city_name in rows
    )
    return HistoryPage(items=items, paging=p)


def _clean_reason(reason: Any, *, required: bool) -> str:
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if required and len(text) < REASON_MIN:
        raise v.FieldError("Give a reason of at least 3 characters")
    if len(text) > REASON_MAX:
        raise v.FieldError("Keep the reason under 500 characters")
    return text


def block_patient(
    session: Session,
    *,
    patient_id: int,
    reason: str,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> PatientDetail:
    """Stop the patient from booking (existing appointments stay); the reason is kept."""
    now = utc(now)
    user = _require(session, patient_id)
    text = v.collect({"reason": lambda: _clean_reason(reason, required=True)})["reason"]
    if user.is_blocked:
        raise Conflict(f"{user.name} is already blocked.")
    user.is_blocked, user.blocked_reason, user.updated_at = True, text, now
    session.add(user)
    entity_audit(
        session,
        entity="patient",
        entity_id=patient_id,
        action="patient_blocked",
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=text,
    )
    session.commit()
    return _detail(user)


def unblock_patient(
    session: Session,
    *,
    patient_id: int,
    reason: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> PatientDetail:
    now = utc(now)
    user = _require(session, patient_id)
    text = v.collect({"reason": lambda: _clean_reason(reason, required=False)})["reason"]
    if not user.is_blocked:
        raise Conflict(f"{user.name} is not blocked.")
    previous = user.blocked_reason or ""
    user.is_blocked, user.blocked_reason, user.updated_at = False, None, now
    session.add(user)
    entity_audit(
        session,
        entity="patient",
        entity_id=patient_id,
        action="patient_unblocked",
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=text,
        detail={"was_blocked_for": previous},
    )
    session.commit()
    return _detail(user)


PROFILE_FIELDS = (
    "name",
    "phone",
    "date_of_birth",
    "gender",
    "blood_group",
    "allergies",
    "medical_history",
)


def update_patient(
    session: Session,
    *,
    patient_id: int,
    name: str,
    phone: str,
    date_of_birth: str,
    gender: str,
    blood_group: str,
    allergies: str,
    medical_history: str,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> PatientDetail:
    """Edit the patient's details with the same rules as their own profile page. The audit
    entry names the fields that changed, not their (medical) values."""
    now = utc(now)
    user = _require(session, patient_id)
    before = accounts.get_profile(session, user_id=patient_id)
    after = accounts.update_profile(
        session,
        user_id=patient_id,
        name=name,
        phone=phone,
        date_of_birth=date_of_birth,
        gender=gender,
        blood_group=blood_group,
        allergies=allergies,
        medical_history=medical_history,
        now=now,
    )
    changed = [f for f in PROFILE_FIELDS if getattr(before, f) != getattr(after, f)]
    if changed:
        entity_audit(
            session,
            entity="patient",
            entity_id=patient_id,
            action="patient_updated",
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"fields": changed},
        )
        session.commit()
    session.refresh(user)
    return _detail(user)


__all__ = [
    "STATUSES",
    "HistoryItem",
    "HistoryPage",
    "PatientDetail",
    "PatientListPage",
    "PatientRow",
    "block_patient",
    "get_patient",
    "patient_history",
    "search_patients",
    "unblock_patient",
    "update_patient",
]
