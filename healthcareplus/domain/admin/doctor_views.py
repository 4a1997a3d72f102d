"""What the admin reads about doctors: the searchable list (active and inactive, one page
at a time) and one doctor's full profile with its hospital and login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from healthcareplus.core.db import require_row
from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import City, Doctor, Hospital, User
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page, ordering
from healthcareplus.core.search_text import contains_any, flag_is, search_terms
from healthcareplus.domain.booking.waitlist import waiting_counts

STATUSES = ("all", "active", "inactive")
_MAX_TERMS = 8


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
    waiting: int = 0  # patients on the doctor's waitlist


DoctorListPage = Page[DoctorRow]


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


def _search_conditions(q: str, hospital_id: int | None, status: str) -> list[ColumnElement[bool]]:
    terms = search_terms(q, max_terms=_MAX_TERMS)
    where = [contains_any(term, Doctor.name, Doctor.specialization) for term in terms]
    if hospital_id is not None:
        where.append(col(Doctor.hospital_id) == hospital_id)
    return where + flag_is(Doctor.is_active, {"active": True, "inactive": False}.get(status))


# The list's columns it may be sorted by (``ordering``; by name unless told). The waitlist
# count and the sign-in column are not columns of a table, so they do not sort.
SORTS: dict[str, Any] = {
    "name": func.lower(Doctor.name),
    "specialization": func.lower(Doctor.specialization),
    "hospital": func.lower(Hospital.name),
    "fee": col(Doctor.fee_paise),
    "status": col(Doctor.is_active),
}
DEFAULT_SORT = "name"


def list_doctors(
    session: Session,
    *,
    q: str = "",
    hospital_id: int | None = None,
    status: str = "all",
    sort: str = DEFAULT_SORT,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> DoctorListPage:
    """One page of doctors (active and inactive), by name unless ``sort`` names another
    of ``SORTS``; search covers name and specialization."""
    where = _search_conditions(q, hospital_id, status if status in STATUSES else "all")
    _, order = ordering(sort, SORTS, DEFAULT_SORT)
    rows, p = fetch_page(
        session,
        select(Doctor, Hospital.name, City.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(*where)
        .order_by(order, col(Doctor.id)),
        count=select(func.count(col(Doctor.id))).where(*where),
        page=page,
        page_size=page_size,
    )
    waiting = waiting_counts(session, [d.id or 0 for d, _, _ in rows])
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
            waiting=waiting.get(d.id or 0, 0),
        )
        for d, hospital_name, city_name in rows
    )
    return DoctorListPage(items=items, paging=p)


def require_doctor(session: Session, doctor_id: int) -> Doctor:
    """The doctor row, or ``NotFound`` (also for an id that is not an int)."""
    return require_row(session, Doctor, doctor_id, "Doctor not found.")


def doctor_detail(session: Session, doctor: Doctor) -> DoctorDetail:
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
    return doctor_detail(session, require_doctor(session, doctor_id))


__all__ = [
    "DEFAULT_SORT",
    "SORTS",
    "STATUSES",
    "DoctorDetail",
    "DoctorListPage",
    "DoctorRow",
    "doctor_detail",
    "get_doctor",
    "list_doctors",
    "require_doctor",
]
