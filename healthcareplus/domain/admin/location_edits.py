"""The admin adds and edits cities and hospitals: the fields' validation, the uniqueness
of names (a city's in any case; a hospital's within its city) and the audit entry.

A hospital's specialties come from the catalogue in
``healthcareplus.domain.catalog.specializations``. These functions flush; the caller's
unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit, changes
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import City, Hospital, Role
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.admins import chosen_id, clean_contact_phone, string_set
from healthcareplus.domain.admin.locations import (
    CityRow,
    HospitalRow,
    get_city,
    get_hospital,
    require_city,
    require_hospital,
)
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS

DUPLICATE_CITY = "A city with this name already exists"
DUPLICATE_HOSPITAL = "This city already has a hospital with this name"
_PLACE = re.compile(r"^[^\W\d_]+([ .'\-]+[^\W\d_]+)*\.?$")
_HOSPITAL_NAME = re.compile(r"^[\w][\w .,'&()\-/]*$")


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


def _clean_address(value: Any) -> str:
    text = v.clean_text(value if isinstance(value, str) else "", max_length=300, label="Address")
    if len(text) < 5:
        raise v.FieldError("Enter the full address")
    return " ".join(text.split())


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


def _hospital_name_taken(session: Session, city_id: int, name: str, except_id: int | None) -> bool:
    query = select(Hospital.id).where(
        Hospital.city_id == city_id, func.lower(Hospital.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(col(Hospital.id) != except_id)
    return session.exec(query.limit(1)).first() is not None


def _write(
    session: Session,
    by: Actor,
    model: type[City] | type[Hospital],
    row: City | Hospital | None,
    fields: dict[str, Any],
    *,
    entity: str,
    duplicate: str,
    detail: dict[str, Any],
) -> int:
    """Insert ``model(**fields)`` (``row`` None) or set ``fields`` on ``row``, with the
    audit entry ``<entity>_created`` / ``<entity>_updated``; the row's id.

    When a concurrent save took the name, the flush fails and the name is refused with
    ``duplicate`` (the caller's unit of work rolls back)."""
    try:
        if row is None:
            row, action = model(**fields), f"{entity}_created"
        else:
            for key, value in fields.items():
                setattr(row, key, value)
            action = f"{entity}_updated"
        session.add(row)
        session.flush()
        audit(session, by, action, entity=entity, entity_id=row.id or 0, detail=detail)
    except IntegrityError as exc:
        raise ValidationFailed({"name": duplicate}) from exc
    return row.id or 0


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
    by = acting_admin(session, actor_id, actor_role, now)
    city = require_city(session, city_id) if city_id is not None else None
    fields = v.collect(
        {
            "name": lambda: _clean_place(name, "city name"),
            "state": lambda: _clean_place(state, "state"),
        }
    )
    if _city_name_taken(session, fields["name"], city_id):
        raise ValidationFailed({"name": DUPLICATE_CITY})
    before = {"name": city.name, "state": city.state} if city else {}
    detail = {"before": before, "after": fields}
    saved = _write(
        session, by, City, city, fields, entity="city", duplicate=DUPLICATE_CITY, detail=detail
    )
    return get_city(session, city_id=saved)


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
    by = acting_admin(session, actor_id, actor_role, now)
    hospital = require_hospital(session, hospital_id) if hospital_id is not None else None
    fields = v.collect(
        {
            "city_id": lambda: chosen_id(session, City, city_id, missing="Choose a city"),
            "name": lambda: _clean_hospital_name(name),
            "address": lambda: _clean_address(address),
            "phone": lambda: clean_contact_phone(phone if isinstance(phone, str) else ""),
            "specialties": lambda: clean_specialties(specialties),
        }
    )
    if _hospital_name_taken(session, fields["city_id"], fields["name"], hospital_id):
        raise ValidationFailed({"name": DUPLICATE_HOSPITAL})
    detail = {"changes": changes(hospital, fields)}
    saved = _write(
        session,
        by,
        Hospital,
        hospital,
        fields,
        entity="hospital",
        duplicate=DUPLICATE_HOSPITAL,
        detail=detail,
    )
    return get_hospital(session, hospital_id=saved)


__all__ = [
    "DUPLICATE_CITY",
    "DUPLICATE_HOSPITAL",
    "clean_specialties",
    "save_city",
    "save_hospital",
]
