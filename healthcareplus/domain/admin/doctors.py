"""The admin's doctor management: list, add (with a login and a default timetable), edit
the profile, deactivate and reactivate. Profile validation lives in ``admin_doctor_fields``
and the weekly schedule editor in ``admin_doctor_schedule`` (re-exported here).

Deactivation is a flag: patient search, profiles and booking already filter on
``Doctor.is_active``, so an inactive doctor vanishes for patients at once. Appointments
already booked stay; the admin gets the future ones back to follow up with the patients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    format_rupees,
    utc,
)
from healthcareplus.core.models import (
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Role,
    User,
)
from healthcareplus.domain.accounts.admins import (
    DUPLICATE_EMAIL,
    PAGE_SIZE,
    Paging,
    email_in_use,
    generate_password,
    offset_of,
    paging,
)
from healthcareplus.domain.accounts.passwords import hash_password
from healthcareplus.domain.admin.doctor_fields import (
    DOCTOR_GENDERS,
    clean_doctor_name,
    clean_languages,
    profile_fields,
)
from healthcareplus.domain.admin.doctor_follow_ups import FollowUp, future_appointments
from healthcareplus.domain.admin.doctor_schedule import BlockInput, set_schedule
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.domain.payments.ledger import entity_audit

STATUSES = ("all", "active", "inactive")
_MAX_TERMS = 8
# Mon–Sat 09:00–13:00 and 14:00–17:00 in 15-minute slots.
DEFAULT_SCHEDULE: tuple[tuple[int, str, str, int], ...] = tuple(
    block
    for day in range(6)
    for block in ((day, "09:00", "13:00", 15), (day, "14:00", "17:00", 15))
)


@dataclass(frozen=True)
class DoctorRow:
    id: int
    name: str
    specialization: str
    hospital_name: str
    city_name: str
    fee_label: str
    experience_years: int
    email: str
    phone: str
    is_active: bool


@dataclass(frozen=True)
class DoctorListPage:
    items: tuple[DoctorRow, ...]
    paging: Paging


@dataclass(frozen=True)
class DoctorDetail:
    id: int
    name: str
    specialization: str
    department: str
    qualification: str
    experience_years: int
    fee_rupees: int
    fee_label: str
    gender: str
    languages: tuple[str, ...]
    hospital_id: int
    hospital_name: str
    city_name: str
    email: str
    phone: str
    about: str
    is_active: bool
    login_email: str  # "" when the doctor has no login account


@dataclass(frozen=True)
class CreatedDoctor:
    doctor: DoctorDetail
    login_email: str
    one_time_password: str  # shown once to the admin; only its hash is stored


@dataclass(frozen=True)
class ActivationResult:
    doctor: DoctorDetail
    follow_ups: tuple[FollowUp, ...]
    follow_up_total: int


# --- reading ----------------------------------------------------------------------------


def _search_conditions(q: str, hospital_id: int | None, status: str) -> list[ColumnElement]:
    where: list[ColumnElement] = []
    for term in " ".join(str(q or "").split())[:100].lower().split()[:_MAX_TERMS]:
        where.append(
            or_(
                func.lower(Doctor.name).contains(term, autoescape=True),
                func.lower(Doctor.specialization).contains(term, autoescape=True),
            )
        )
    if hospital_id is not None:
        where.append(col(Doctor.hospital_id) == hospital_id)
    if status == "active":
        where.append(col(Doctor.is_active).is_(True))
    elif status == "inactive":
        where.append(col(Doctor.is_active).is_(False))
    return where


def list_doctors(
    session: Session,
    *,
    q: str = "",
    hospital_id: int | None = None,
    status: str = "all",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> DoctorListPage:
    """One page of doctors (active and inactive), by name; search covers name and
    specialization."""
    where = _search_conditions(q, hospital_id, status if status in STATUSES else "all")
    total = session.exec(select(func.count(col(Doctor.id))).where(*where)).one()
    p = paging(total, page, page_size)
    rows = session.exec(
        select(Doctor, Hospital.name, City.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(*where)
        .order_by(func.lower(Doctor.name), col(Doctor.id))
        .limit(p.page_size)
        .offset(offset_of(p))
    ).all()
    items = tuple(
        DoctorRow(
            id=d.id or 0,
            name=d.name,
            specialization=d.specialization,
            hospital_name=hospital_name,
            city_name=city_name,
            fee_label=format_rupees(d.fee_paise),
            experience_years=d.experience_years,
            email=d.email,
            phone=d.phone,
            is_active=d.is_active,
        )
        for d, hospital_name, city_name in rows
    )
    return DoctorListPage(items=items, paging=p)


def _require(session: Session, doctor_id: int) -> Doctor:
    doctor = session.get(Doctor, doctor_id) if type(doctor_id) is int else None
    if doctor is None:
        raise NotFound("Doctor not found.")
    return doctor


def _detail(session: Session, doctor: Doctor) -> DoctorDetail:
    hospital = session.get(Hospital, doctor.hospital_id)
    city = session.get(City, hospital.city_id) if hospital else None
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    return DoctorDetail(
        id=doctor.id or 0,
        name=doctor.name,
        specialization=doctor.specialization,
        department=doctor.department,
        qualification=doctor.qualification,
        experience_years=doctor.experience_years,
        fee_rupees=doctor.fee_paise // 100,
        fee_label=format_rupees(doctor.fee_paise),
        gender=doctor.gender,
        languages=tuple(doctor.languages or ()),
        hospital_id=doctor.hospital_id,
        hospital_name=hospital.name if hospital else "",
        city_name=city.name if city else "",
        email=doctor.email,
        phone=doctor.phone,
        about=doctor.about,
        is_active=doctor.is_active,
        login_email=login.email if login else "",
    )


def get_doctor(session: Session, *, doctor_id: int) -> DoctorDetail:
    return _detail(session, _require(session, doctor_id))


# --- writing ----------------------------------------------------------------------------


def create_doctor(
    session: Session,
    *,
    name: str,
    specialization: str,
    qualification: str,
    experience_years: Any,
    fee_rupees: Any,
    gender: str,
    languages: str | Sequence[str],
    hospital_id: Any,
    email: str,
    phone: str,
    about: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> CreatedDoctor:
    """A doctor profile, its login (role doctor, generated one-time password) and the
    default weekly schedule, in one transaction."""
    now = utc(now)
    values = {
        "name": name,
        "specialization": specialization,
        "qualification": qualification,
        "experience_years": experience_years,
        "fee_rupees": fee_rupees,
        "gender": gender,
        "languages": languages,
        "hospital_id": hospital_id,
        "phone": phone,
        "about": about,
    }
    checks_failed: dict[str, str] = {}
    try:
        fields = profile_fields(session, values)
    except ValidationFailed as exc:
        checks_failed, fields = dict(exc.fields), {}
    try:
        clean_email = v.clean_email(email if isinstance(email, str) else "")
        if email_in_use(session, clean_email):
            checks_failed["email"] = DUPLICATE_EMAIL
    except v.FieldError as exc:
        checks_failed["email"] = str(exc)
    if checks_failed:
        raise ValidationFailed(checks_failed)
    password = generate_password()
    user = User(
        role=Role.DOCTOR,
        name=fields["name"],
        email=clean_email,
        phone=fields["phone"],
        password_hash=hash_password(password),
        created_at=now,
    )
    doctor = Doctor(
        name=fields["name"],
        specialization=fields["specialization"],
        department=DEPARTMENTS[fields["specialization"]],
        qualification=fields["qualification"],
        experience_years=fields["experience_years"],
        fee_paise=fields["fee_rupees"] * 100,
        gender=fields["gender"],
        languages=fields["languages"],
        hospital_id=fields["hospital_id"],
        email=clean_email,
        phone=fields["phone"],
        about=fields["about"],
        is_active=True,
    )
    try:
        session.add(user)
        session.flush()
        doctor.user_id = user.id
        session.add(doctor)
        session.flush()
        assert doctor.id is not None
        session.add_all(
            DoctorSchedule(
                doctor_id=doctor.id,
                weekday=w,
                start_time=time.fromisoformat(s),
                end_time=time.fromisoformat(e),
                slot_minutes=m,
            )
            for w, s, e, m in DEFAULT_SCHEDULE
        )
        entity_audit(
            session,
            entity="doctor",
            entity_id=doctor.id,
            action="doctor_created",
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"name": doctor.name, "email": clean_email, "hospital_id": doctor.hospital_id},
        )
        session.commit()
    except IntegrityError as exc:  # a concurrent registration took the email
        session.rollback()
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    return CreatedDoctor(
        doctor=_detail(session, doctor), login_email=clean_email, one_time_password=password
    )


_EDITABLE = (
    "name",
    "specialization",
    "qualification",
    "experience_years",
    "fee_paise",
    "gender",
    "languages",
    "hospital_id",
    "phone",
    "about",
)


def update_doctor(
    session: Session,
    *,
    doctor_id: int,
    name: str,
    specialization: str,
    qualification: str,
    experience_years: Any,
    fee_rupees: Any,
    gender: str,
    languages: str | Sequence[str],
    hospital_id: Any,
    phone: str,
    about: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> DoctorDetail:
    """Edit the profile, fee and hospital; the linked login keeps the same name and phone.
    Appointments already booked keep their fee and hospital."""
    now = utc(now)
    doctor = _require(session, doctor_id)
    values = {
        "name": name,
        "specialization": specialization,
        "qualification": qualification,
        "experience_years": experience_years,
        "fee_rupees": fee_rupees,
        "gender": gender,
        "languages": languages,
        "hospital_id": hospital_id,
        "phone": phone,
        "about": about,
    }
    fields = profile_fields(session, values)
    fields["fee_paise"] = fields.pop("fee_rupees") * 100
    fields["department"] = DEPARTMENTS[fields["specialization"]]
    changes = {
        key: {"from": getattr(doctor, key), "to": fields[key]}
        for key in _EDITABLE
        if getattr(doctor, key) != fields[key]
    }
    for key, value in fields.items():
        setattr(doctor, key, value)
    session.add(doctor)
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is not None:
        login.name, login.phone, login.updated_at = doctor.name, doctor.phone, now
        session.add(login)
    if changes:
        entity_audit(
            session,
            entity="doctor",
            entity_id=doctor_id,
            action="doctor_updated",
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"changes": changes},
        )
    session.commit()
    return _detail(session, doctor)


def set_active(
    session: Session,
    *,
    doctor_id: int,
    active: bool,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    reason: str = "",
    now: datetime,
) -> ActivationResult:
    """Deactivate (hidden from patients, not bookable) or reactivate a doctor. Deactivating
    returns the future confirmed and held bookings so the clinic can call the patients."""
    now = utc(now)
    if type(active) is not bool:
        raise ValidationFailed({"active": "Say whether the doctor should be active"})
    doctor = _require(session, doctor_id)
    note = v.collect(
        {
            "reason": lambda: v.clean_text(
                reason if isinstance(reason, str) else "", max_length=500, label="Reason"
            )
        }
    )["reason"]
    if doctor.is_active == active:
        state = "active" if active else "inactive"
        raise Conflict(f"{doctor.name} is already {state}.")
    doctor.is_active = active
    session.add(doctor)
    follow_ups, total = (
        ((), 0) if active else future_appointments(session, doctor_id=doctor_id, now=now)
    )
    entity_audit(
        session,
        entity="doctor",
        entity_id=doctor_id,
        action="doctor_reactivated" if active else "doctor_deactivated",
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=note,
        detail={} if active else {"future_appointments": total},
    )
    session.commit()
    return ActivationResult(
        doctor=_detail(session, doctor), follow_ups=follow_ups, follow_up_total=total
    )


__all__ = [
    "DEFAULT_SCHEDULE",
    "DOCTOR_GENDERS",
    "STATUSES",
    "ActivationResult",
    "BlockInput",
    "CreatedDoctor",
    "DoctorDetail",
    "DoctorListPage",
    "DoctorRow",
    "FollowUp",
    "clean_doctor_name",
    "clean_languages",
    "create_doctor",
    "future_appointments",
    "get_doctor",
    "list_doctors",
    "set_active",
    "set_schedule",
    "update_doctor",
]
