"""The admin's cities and hospitals: lists with counts (SQL aggregates), add and edit.

A city's name is unique (any case); a hospital's name is unique within its city. A
hospital's specialties come from the catalogue in ``healthcareplus.domain.catalog.specializations``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, case, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import City, Doctor, Hospital, Role
from healthcareplus.domain.accounts.admins import (
    PAGE_SIZE,
    Paging,
    clean_contact_phone,
    offset_of,
    paging,
    string_set,
)
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.domain.payments.ledger import entity_audit

DUPLICATE_CITY = "A city with this name already exists"
DUPLICATE_HOSPITAL = "This city already has a hospital with this name"
_PLACE = re.compile(r"^[^\W\d_]+([ .'\-]+[^\W\d_]+)*\.?$")
_HOSPITAL_NAME = re.compile(r"^[\w][\w .,'&()\-/]*$")


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


@dataclass(frozen=True)
class HospitalListPage:
    items: tuple[HospitalRow, ...]
    paging: Paging


@dataclass(frozen=True)
class HospitalChoice:
    id: int
    label: str  # "Apollo Hospital, Bannerghatta Road · Bangalore"
    city_name: str


def _doctor_counts() -> Subquery:
    active = func.sum(case((col(Doctor.is_active).is_(True), 1), else_=0))
    return (
        select(
            Doctor.hospital_id,
            func.count(col(Doctor.id)).label("total"),
            active.label("active"),
        )
        .group_by(col(Doctor.hospital_id))
        .subquery()
    )


@dataclass(frozen=True)
class CityListPage:
    items: tuple[CityRow, ...]
    paging: Paging


@dataclass(frozen=True)
class CityChoice:
    id: int
    name: str


def list_cities(session: Session, *, page: int = 1, page_size: int = PAGE_SIZE) -> CityListPage:
    """One page of cities by name, each with its hospital and doctor counts."""
    total = session.exec(select(func.count(col(City.id)))).one()
    p = paging(total, page, page_size)
    return CityListPage(items=_city_rows(session, page=p), paging=p)


def city_choices(session: Session) -> tuple[CityChoice, ...]:
    """Every city for a picker (ids and names only), by name."""
    rows = session.exec(select(City.id, City.name).order_by(func.lower(City.name))).all()
    return tuple(CityChoice(id=cid, name=name) for cid, name in rows)


def _city_rows(
    session: Session, *where: ColumnElement, page: Paging | None = None
) -> tuple[CityRow, ...]:
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
    query = (
        select(City, hospitals.c.hospitals, hospitals.c.doctors, hospitals.c.active)
        .outerjoin(hospitals, hospitals.c.city_id == City.id)
        .where(*where)
        .order_by(func.lower(City.name), col(City.id))
    )
    if page is not None:
        query = query.limit(page.page_size).offset(offset_of(page))
    rows = session.exec(query).all()
    return tuple(
        CityRow(
            id=city.id or 0,
            name=city.name,
            state=city.state,
            hospital_count=int(n_hospitals or 0),
            doctor_count=int(n_doctors or 0),
            active_doctor_count=int(n_active or 0),
        )
        for city, n_hospitals, n_doctors, n_active in rows
    )


def list_hospitals(
    session: Session,
    *,
    city_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> HospitalListPage:
    where = [col(Hospital.city_id) == city_id] if city_id is not None else []
    total = session.exec(select(func.count(col(Hospital.id))).where(*where)).one()
    p = paging(total, page, page_size)
    counts = _doctor_counts()
    rows = session.exec(
        select(Hospital, City.name, counts.c.total, counts.c.active)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(counts, counts.c.hospital_id == Hospital.id)
        .where(*where)
        .order_by(func.lower(City.name), func.lower(Hospital.name), col(Hospital.id))
        .limit(p.page_size)
        .offset(offset_of(p))
    ).all()
    items = tuple(_hospital_row(h, city, total_, active) for h, city, total_, active in rows)
    return HospitalListPage(items=items, paging=p)


def _hospital_row(h: Hospital, city_name: str, total: Any, active: Any) -> HospitalRow:
    return HospitalRow(
        id=h.id or 0,
        city_id=h.city_id,
        city_name=city_name,
        name=h.name,
        address=h.address,
        phone=h.phone,
        specialties=tuple(h.specialties or ()),
        doctor_count=int(total or 0),
        active_doctor_count=int(active or 0),
    )


def _require_city(session: Session, city_id: Any) -> City:
    city = session.get(City, city_id) if type(city_id) is int else None
    if city is None:
        raise NotFound("City not found.")
    return city


def get_city(session: Session, *, city_id: int) -> CityRow:
    _require_city(session, city_id)
    return _city_rows(session, col(City.id) == city_id)[0]


def get_hospital(session: Session, *, hospital_id: int) -> HospitalRow:
    hospital = session.get(Hospital, hospital_id) if type(hospital_id) is int else None
    if hospital is None:
        raise NotFound("Hospital not found.")
    city = session.get(City, hospital.city_id)
    active = func.sum(case((col(Doctor.is_active).is_(True), 1), else_=0))
    total, n_active = session.exec(
        select(func.count(col(Doctor.id)), active).where(Doctor.hospital_id == hospital.id)
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
        HospitalChoice(id=hid, label=f"{name} · {city}", city_name=city) for hid, name, city in rows
    )


# --- validation and writes --------------------------------------------------------------


def _clean_place(value: Any, label: str) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if len(text) < 2:
        raise v.FieldError(f"Enter the {label}")
    if len(text) > 80:
        raise v.FieldError(f"The {label} must be at most 80 characters")
    if not _PLACE.match(text):
        raise v.FieldError("Use letters, spaces, dots, apostrophes and hyphens only")
    return text


def _clean_hospital_name(value: Any) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if len(text) < 2:
        raise v.FieldError("Enter the hospital's name")
    if len(text) > 120:
        raise v.FieldError("The name must be at most 120 characters")
    if not _HOSPITAL_NAME.match(text):
        raise v.FieldError("Use letters, digits, spaces and . , ' & ( ) - / only")
    return text


def clean_specialties(value: str | Sequence[str]) -> list[str]:
    chosen = string_set(value if isinstance(value, str | list | tuple) else "")
    unknown = [s for s in chosen if s not in SPECIALIZATIONS]
    if unknown:
        raise v.FieldError(f"Unknown specialty: {unknown[0][:60]}")
    if not chosen:
        raise v.FieldError("Choose at least one specialty")
    picked = set(chosen)
    return [s for s in SPECIALIZATIONS if s in picked]  # catalogue order, no repeats


def _city_name_taken(session: Session, name: str, except_id: int | None) -> bool:
    query = select(City.id).where(func.lower(City.name) == name.lower())
    if except_id is not None:
        query = query.where(col(City.id) != except_id)
    return session.exec(query.limit(1)).first() is not None


def save_city(
    session: Session,
    *,
    city_id: int | None = None,
    name: str,
    state: str,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> CityRow:
    """Add a city (``city_id=None``) or rename / re-state an existing one."""
    now = utc(now)
    city = _require_city(session, city_id) if city_id is not None else None
    fields = v.collect(
        {
            "name": lambda: _clean_place(name, "city name"),
            "state": lambda: _clean_place(state, "state"),
        }
    )
    if _city_name_taken(session, fields["name"], city_id):
        raise ValidationFailed({"name": DUPLICATE_CITY})
    before = {"name": city.name, "state": city.state} if city else {}
    if city is None:
        city = City(**fields)
    else:
        city.name, city.state = fields["name"], fields["state"]
    session.add(city)
    try:
        session.flush()
        entity_audit(
            session,
            action="city_updated" if before else "city_created",
            entity="city",
            entity_id=city.id or 0,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={"before": before, "after": fields},
        )
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ValidationFailed({"name": DUPLICATE_CITY}) from exc
    return get_city(session, city_id=city.id or 0)


def _city_id(session: Session, value: Any) -> int:
    number = value if type(value) is int else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 10:
        number = int(value.strip())
    if number is None or session.get(City, number) is None:
        raise v.FieldError("Choose a city")
    return number


def save_hospital(
    session: Session,
    *,
    hospital_id: int | None = None,
    city_id: Any,
    name: str,
    address: str,
    phone: str,
    specialties: str | Sequence[str],
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> HospitalRow:
    """Add a hospital (``hospital_id=None``) or edit one. Moving a hospital to another city
    moves its doctors with it; booked appointments keep their hospital."""
    now = utc(now)
    hospital = None
    if hospital_id is not None:
        hospital = session.get(Hospital, hospital_id) if type(hospital_id) is int else None
        if hospital is None:
            raise NotFound("Hospital not found.")

    def clean_address() -> str:
        text = v.clean_text(
            address if isinstance(address, str) else "", max_length=300, label="Address"
        )
        if len(text) < 5:
            raise v.FieldError("Enter the full address")
        return " ".join(text.split())

    fields = v.collect(
        {
            "city_id": lambda: _city_id(session, city_id),
            "name": lambda: _clean_hospital_name(name),
            "address": clean_address,
            "phone": lambda: clean_contact_phone(phone if isinstance(phone, str) else ""),
            "specialties": lambda: clean_specialties(specialties),
        }
    )
    taken = select(Hospital.id).where(
        Hospital.city_id == fields["city_id"], func.lower(Hospital.name) == fields["name"].lower()
    )
    if hospital_id is not None:
        taken = taken.where(col(Hospital.id) != hospital_id)
    if session.exec(taken.limit(1)).first() is not None:
        raise ValidationFailed({"name": DUPLICATE_HOSPITAL})
    before = {k: getattr(hospital, k) for k in fields} if hospital is not None else {}
    if hospital is None:
        hospital = Hospital(**fields)
    else:
        for key, value in fields.items():
            setattr(hospital, key, value)
    session.add(hospital)
    try:
        session.flush()
        entity_audit(
            session,
            action="hospital_updated" if before else "hospital_created",
            entity="hospital",
            entity_id=hospital.id or 0,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            detail={
                "changes": {
                    k: {"from": before.get(k), "to": fields[k]}
                    for k in fields
                    if before.get(k) != fields[k]
                }
            },
        )
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ValidationFailed({"name": DUPLICATE_HOSPITAL}) from exc
    return get_hospital(session, hospital_id=hospital.id or 0)


__all__ = [
    "DUPLICATE_CITY",
    "DUPLICATE_HOSPITAL",
    "CityChoice",
    "CityListPage",
    "CityRow",
    "HospitalChoice",
    "HospitalListPage",
    "HospitalRow",
    "city_choices",
    "clean_specialties",
    "get_city",
    "get_hospital",
    "hospital_choices",
    "list_cities",
    "list_hospitals",
    "save_city",
    "save_hospital",
]
