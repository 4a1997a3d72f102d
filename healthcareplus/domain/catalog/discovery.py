"""Browsing the network: cities, hospitals, specializations and doctor profiles.

Counts are SQL aggregates over grouped subqueries (only active doctors count). Doctor
search lives in ``doctor_search`` and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Subquery, func
from sqlmodel import Session, col, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.models import City, Doctor, Hospital
from healthcareplus.domain.catalog.reviews import doctor_rating
from healthcareplus.domain.catalog.search import (
    SORTS,
    DoctorCard,
    DoctorFilters,
    DoctorPage,
    card_fields,
    search_doctors,
)
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.domain.scheduling.availability import (
    Slot,
    WeekdayHours,
    next_free_slots,
    weekly_schedule,
)

PROFILE_NEXT_SLOTS = 6


@dataclass(frozen=True)
class CityCard:
    id: int
    name: str
    state: str
    hospital_count: int
    doctor_count: int  # active doctors


@dataclass(frozen=True)
class HospitalCard:
    id: int
    name: str
    address: str
    phone: str
    city_id: int
    city_name: str
    specialties: tuple[str, ...]
    doctor_count: int  # active doctors


@dataclass(frozen=True)
class SpecializationCount:
    name: str
    department: str
    doctor_count: int  # active doctors


@dataclass(frozen=True)
class DoctorProfile(DoctorCard):
    email: str
    phone: str
    about: str
    hospital_address: str
    hospital_phone: str
    city_state: str
    weekly_schedule: tuple[WeekdayHours, ...]
    next_slots: tuple[Slot, ...]
    confirms_bookings: bool = False  # a patient's booking waits for the doctor to accept it


def _active_doctors_per_hospital() -> Subquery:
    return (
        select(Doctor.hospital_id, func.count(col(Doctor.id)).label("n"))
        .where(col(Doctor.is_active).is_(True))
        .group_by(col(Doctor.hospital_id))
        .subquery()
    )


def _city_query() -> Any:
    hospitals = (
        select(Hospital.city_id, func.count(col(Hospital.id)).label("n"))
        .group_by(col(Hospital.city_id))
        .subquery()
    )
    doctors = (
        select(Hospital.city_id, func.count(col(Doctor.id)).label("n"))
        .join(Doctor, col(Doctor.hospital_id) == Hospital.id)
        .where(col(Doctor.is_active).is_(True))
        .group_by(col(Hospital.city_id))
        .subquery()
    )
    # Five columns: sqlmodel's select() is typed for at most four, SQLAlchemy's for more.
    return (
        sa.select(
            col(City.id),
            col(City.name),
            col(City.state),
            func.coalesce(hospitals.c.n, 0),
            func.coalesce(doctors.c.n, 0),
        )
        .outerjoin(hospitals, hospitals.c.city_id == City.id)
        .outerjoin(doctors, doctors.c.city_id == City.id)
    )


def _city_card(row: Any) -> CityCard:
    city_id, name, state, hospital_count, doctor_count = row
    return CityCard(city_id, name, state, int(hospital_count), int(doctor_count))


def list_cities(session: Session) -> list[CityCard]:
    rows = session.exec(_city_query().order_by(col(City.name), col(City.id)))
    return [_city_card(row) for row in rows]


def get_city(session: Session, *, city_id: int) -> CityCard:
    row = session.exec(_city_query().where(col(City.id) == city_id)).first()
    if row is None:
        raise NotFound("City not found")
    return _city_card(row)


def _hospital_query() -> Any:
    doctors = _active_doctors_per_hospital()
    return (
        select(Hospital, City.name, func.coalesce(doctors.c.n, 0))
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(doctors, doctors.c.hospital_id == Hospital.id)
    )


def hospital_fields(hospital: Hospital) -> dict[str, Any]:
    """A hospital row's fields as the hospital cards and the admin's rows show them."""
    return {
        "id": hospital.id or 0,
        "city_id": hospital.city_id,
        "name": hospital.name,
        "address": hospital.address,
        "phone": hospital.phone,
        "specialties": tuple(hospital.specialties or ()),
    }


def _hospital_card(row: Any) -> HospitalCard:
    hospital, city_name, doctor_count = row
    return HospitalCard(
        **hospital_fields(hospital), city_name=city_name, doctor_count=int(doctor_count)
    )


def list_hospitals(session: Session, *, city_id: int | None = None) -> list[HospitalCard]:
    """Hospitals by city name then hospital name (one city's when ``city_id`` is given)."""
    query = _hospital_query().order_by(col(City.name), col(Hospital.name), col(Hospital.id))
    if city_id is not None:
        query = query.where(col(Hospital.city_id) == city_id)
    return [_hospital_card(row) for row in session.exec(query)]


def get_hospital(session: Session, *, hospital_id: int) -> HospitalCard:
    row = session.exec(_hospital_query().where(col(Hospital.id) == hospital_id)).first()
    if row is None:
        raise NotFound("Hospital not found")
    return _hospital_card(row)


def list_specializations(session: Session) -> list[SpecializationCount]:
    """Every catalogue specialization (even with no doctors) plus any other in use."""
    rows = session.exec(
        select(Doctor.specialization, func.min(Doctor.department), func.count(col(Doctor.id)))
        .where(col(Doctor.is_active).is_(True))
        .group_by(col(Doctor.specialization))
    )
    counts = {name: (department, int(n)) for name, department, n in rows}
    names = set(DEPARTMENTS) | set(counts)
    return [
        SpecializationCount(
            name=name,
            department=DEPARTMENTS.get(name) or counts[name][0],
            doctor_count=counts.get(name, ("", 0))[1],
        )
        for name in sorted(names, key=str.lower)
    ]


def get_doctor_profile(session: Session, *, doctor_id: int, now: datetime) -> DoctorProfile:
    """Everything the profile page shows; NotFound for an unknown or inactive doctor."""
    row = session.exec(
        select(Doctor, Hospital, City)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(col(Doctor.id) == doctor_id, col(Doctor.is_active).is_(True))
    ).first()
    if row is None:
        raise NotFound("Doctor not found")
    doctor, hospital, city = row
    return DoctorProfile(
        **card_fields(doctor, hospital, city, doctor_rating(session, doctor_id=doctor_id)),
        email=doctor.email,
        phone=doctor.phone,
        about=doctor.about,
        hospital_address=hospital.address,
        hospital_phone=hospital.phone,
        city_state=city.state,
        weekly_schedule=tuple(weekly_schedule(session, doctor_id=doctor_id)),
        next_slots=tuple(
            next_free_slots(session, doctor_id=doctor_id, now=now, limit=PROFILE_NEXT_SLOTS)
        ),
        confirms_bookings=doctor.confirms_bookings,
    )


__all__ = [
    "SORTS",
    "CityCard",
    "DoctorCard",
    "DoctorFilters",
    "DoctorPage",
    "DoctorProfile",
    "HospitalCard",
    "SpecializationCount",
    "get_city",
    "get_doctor_profile",
    "get_hospital",
    "hospital_fields",
    "list_cities",
    "list_hospitals",
    "list_specializations",
    "search_doctors",
]
