"""The admin's cities and hospitals as lists, pickers and single rows, each with its
doctor counts (SQL aggregates). Adding and editing them is ``location_edits``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Subquery, case, func
from sqlmodel import Session, col, select

from healthcareplus.core.db import require_row
from healthcareplus.core.models import City, Doctor, Hospital
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.domain.catalog.discovery import hospital_fields


@dataclass(frozen=True)
class CityRow:
    id: int
    name: str
    state: str
    hospital_count: int
    doctor_count: int  # all doctors of its hospitals
    active_doctor_count: int


@dataclass(frozen=True)
class HospitalRow:
    id: int
    city_id: int
    city_name: str
    name: str
    address: str
    phone: str
    specialties: tuple[str, ...]
    doctor_count: int
    active_doctor_count: int


HospitalListPage = Page[HospitalRow]
CityListPage = Page[CityRow]


@dataclass(frozen=True)
class HospitalChoice:
    id: int
    label: str  # "Apollo Hospital, Bannerghatta Road · Bangalore"
    city_name: str


def _active_doctors() -> Any:
    """How many of the counted doctors are active (an aggregate)."""
    return func.sum(case((col(Doctor.is_active).is_(True), 1), else_=0))


def _doctor_counts() -> Subquery:
    return (
        select(
            Doctor.hospital_id,
            func.count(col(Doctor.id)).label("total"),
            _active_doctors().label("active"),
        )
        .group_by(col(Doctor.hospital_id))
        .subquery()
    )


@dataclass(frozen=True)
class CityChoice:
    id: int
    name: str


def list_cities(session: Session, *, page: int = 1, page_size: int = PAGE_SIZE) -> CityListPage:
    """One page of cities by name, each with its hospital and doctor counts."""
    rows, p = fetch_page(
        session,
        _city_query(),
        count=select(func.count(col(City.id))),
        page=page,
        page_size=page_size,
    )
    return CityListPage(items=tuple(_city_row(*row) for row in rows), paging=p)


def city_choices(session: Session) -> tuple[CityChoice, ...]:
    """Every city for a picker (ids and names only), by name."""
    rows = session.exec(select(City.id, City.name).order_by(func.lower(City.name))).all()
    return tuple(CityChoice(id=cid or 0, name=name) for cid, name in rows)


def _city_query(*where: ColumnElement[bool]) -> Any:
    """Cities by name with their hospital, doctor and active doctor counts."""
    counts = _doctor_counts()
    hospitals = (
        select(
            Hospital.city_id,
            func.count(col(Hospital.id)).label("hospitals"),
            func.coalesce(func.sum(counts.c.total), 0).label("doctors"),
            func.coalesce(func.sum(counts.c.active), 0).label("active"),
        )
        .outerjoin(counts, counts.c.hospital_id == Hospital.id)
        .group_by(col(Hospital.city_id))
        .subquery()
    )
    return (
        select(City, hospitals.c.hospitals, hospitals.c.doctors, hospitals.c.active)
        .outerjoin(hospitals, hospitals.c.city_id == City.id)
        .where(*where)
        .order_by(func.lower(City.name), col(City.id))
    )


def _city_row(city: City, n_hospitals: Any, n_doctors: Any, n_active: Any) -> CityRow:
    return CityRow(
        id=city.id or 0,
        name=city.name,
        state=city.state,
        hospital_count=int(n_hospitals or 0),
        doctor_count=int(n_doctors or 0),
        active_doctor_count=int(n_active or 0),
    )


def list_hospitals(
    session: Session,
    *,
    city_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> HospitalListPage:
    where = [col(Hospital.city_id) == city_id] if city_id is not None else []
    counts = _doctor_counts()
    rows, p = fetch_page(
        session,
        select(Hospital, City.name, counts.c.total, counts.c.active)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(counts, counts.c.hospital_id == Hospital.id)
        .where(*where)
        .order_by(func.lower(City.name), func.lower(Hospital.name), col(Hospital.id)),
        count=select(func.count(col(Hospital.id))).where(*where),
        page=page,
        page_size=page_size,
    )
    items = tuple(_hospital_row(h, city, total_, active) for h, city, total_, active in rows)
    return HospitalListPage(items=items, paging=p)


def _hospital_row(h: Hospital, city_name: str, total: Any, active: Any) -> HospitalRow:
    return HospitalRow(
        **hospital_fields(h),
        city_name=city_name,
        doctor_count=int(total or 0),
        active_doctor_count=int(active or 0),
    )


def require_city(session: Session, city_id: Any) -> City:
    """The city row, or ``NotFound`` (also for an id that is not an int)."""
    return require_row(session, City, city_id, "City not found.")


def require_hospital(session: Session, hospital_id: Any) -> Hospital:
    """The hospital row, or ``NotFound`` (also for an id that is not an int)."""
    return require_row(session, Hospital, hospital_id, "Hospital not found.")


def get_city(session: Session, *, city_id: int) -> CityRow:
    require_city(session, city_id)
    return _city_row(*session.exec(_city_query(col(City.id) == city_id)).one())


def get_hospital(session: Session, *, hospital_id: int) -> HospitalRow:
    hospital = require_hospital(session, hospital_id)
    city = session.get(City, hospital.city_id)
    total, n_active = session.exec(
        select(func.count(col(Doctor.id)), _active_doctors()).where(
            Doctor.hospital_id == hospital.id
        )
    ).one()
    return _hospital_row(hospital, city.name if city else "", total, n_active)


def hospital_choices(session: Session) -> tuple[HospitalChoice, ...]:
    """Hospitals for a picker (one row each, a few dozen at most), by city then name."""
    rows = session.exec(
        select(Hospital.id, Hospital.name, City.name)
        .join(City, col(City.id) == Hospital.city_id)
        .order_by(func.lower(City.name), func.lower(Hospital.name))
    ).all()
    return tuple(
        HospitalChoice(id=hid or 0, label=f"{name} · {city}", city_name=city)
        for hid, name, city in rows
    )


__all__ = [
    "CityChoice",
    "CityListPage",
    "CityRow",
    "HospitalChoice",
    "HospitalListPage",
    "HospitalRow",
    "city_choices",
    "get_city",
    "get_hospital",
    "hospital_choices",
    "list_cities",
    "list_hospitals",
    "require_city",
    "require_hospital",
]
