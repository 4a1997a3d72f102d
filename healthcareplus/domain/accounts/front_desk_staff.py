"""Front-desk accounts, managed by administrators: the list, creating one tied to one or
more hospitals, changing those hospitals, and deactivating or reactivating one.

A new front-desk user gets a generated one-time password, returned once to the creating
admin (who shows it once) and stored only as its bcrypt hash; the first sign-in must
replace it (``must_change_password``), as for a new administrator. Deactivating a
front-desk user signs them out everywhere at once. Which hospitals they serve is
``staff_hospitals`` (read by ``domain.desk.staff`` on every desk action, so a change
applies at once). These functions flush; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import format_local_date
from healthcareplus.core.models import City, Hospital, Role, StaffHospital, User
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page, ordering
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.admins import (
    DUPLICATE_EMAIL,
    email_in_use,
    generate_password,
    new_staff_user,
)
from healthcareplus.domain.accounts.profiles import contact_fields
from healthcareplus.domain.accounts.sessions import revoke_all_sessions

NOT_FRONT_DESK = "Front-desk user not found."
CHOOSE_HOSPITAL = "Choose at least one hospital"
UNKNOWN_HOSPITAL = "Choose hospitals from the list"
MAX_HOSPITALS = 100  # far more than the network has; a crafted list is refused


@dataclass(frozen=True)
class FrontDeskRow:
    id: int
    name: str
    email: str
    phone: str
    hospitals: str  # "Sunrise Hospital (Bangalore), City Care (Mysore)", by city then name
    hospital_ids: tuple[int, ...]  # the same hospitals' ids, in that order
    created_label: str  # "Mon, 23 Nov 2026"
    is_active: bool


FrontDeskPage = Page[FrontDeskRow]


@dataclass(frozen=True)
class HospitalOption:
    """A hospital to tick in the front-desk forms (grouped by city)."""

    id: int
    name: str
    city: str


@dataclass(frozen=True)
class CreatedFrontDesk:
    user: FrontDeskRow
    one_time_password: str  # to show once; only its hash is stored


def _first_hospital() -> Any:
    """The name of the first (alphabetically) of the user's hospitals: a correlated
    subquery the list sorts its "Hospitals" column by."""
    first = (
        select(func.min(func.lower(Hospital.name)))
        .join(StaffHospital, col(StaffHospital.hospital_id) == col(Hospital.id))
        .where(col(StaffHospital.user_id) == col(User.id))
    )
    return first.correlate(User).scalar_subquery()


# The columns the front-desk list may be sorted by (``ordering``; by name unless told).
SORTS: dict[str, Any] = {
    "name": func.lower(User.name),
    "email": col(User.email),
    "phone": col(User.phone),
    "hospitals": _first_hospital(),
    "since": col(User.created_at),
    "status": col(User.is_active),
}
DEFAULT_SORT = "name"


def _hospitals_of(session: Session, user_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """user id -> [(hospital id, "Name (City)")], by city then name."""
    ids = sorted(set(user_ids))
    found: dict[int, list[tuple[int, str]]] = {user_id: [] for user_id in ids}
    if not ids:
        return found
    rows = session.exec(
        select(StaffHospital.user_id, Hospital.id, Hospital.name, City.name)
        .join(Hospital, col(Hospital.id) == col(StaffHospital.hospital_id))
        .join(City, col(City.id) == col(Hospital.city_id))
        .where(col(StaffHospital.user_id).in_(ids))
        .order_by(func.lower(City.name), func.lower(Hospital.name), col(Hospital.id))
    ).all()
    for user_id, hospital_id, hospital, city in rows:
        found[user_id].append((hospital_id or 0, f"{hospital} ({city})"))
    return found


def _row(user: User, hospitals: list[tuple[int, str]]) -> FrontDeskRow:
    return FrontDeskRow(
        **contact_fields(user),
        hospitals=", ".join(label for _, label in hospitals),
        hospital_ids=tuple(hospital_id for hospital_id, _ in hospitals),
        created_label=format_local_date(user.created_at),
        is_active=user.is_active,
    )


def _one_row(session: Session, user: User) -> FrontDeskRow:
    return _row(user, _hospitals_of(session, [user.id or 0])[user.id or 0])


def list_front_desk_users(
    session: Session, *, sort: str = DEFAULT_SORT, page: int = 1, page_size: int = PAGE_SIZE
) -> FrontDeskPage:
    """One page of the front-desk accounts (active and inactive), by name unless ``sort``
    names another of ``SORTS``."""
    where = col(User.role) == Role.FRONT_DESK.value
    _, order = ordering(sort, SORTS, DEFAULT_SORT)
    users, p = fetch_page(
        session,
        select(User).where(where).order_by(order, col(User.id)),
        count=select(func.count(col(User.id))).where(where),
        page=page,
        page_size=page_size,
    )
    hospitals = _hospitals_of(session, [u.id or 0 for u in users])
    return FrontDeskPage(items=tuple(_row(u, hospitals[u.id or 0]) for u in users), paging=p)


def hospital_options(session: Session) -> tuple[HospitalOption, ...]:
    """Every hospital (a few dozen at most), by city then name."""
    rows = session.exec(
        select(Hospital.id, Hospital.name, City.name)
        .join(City, col(City.id) == col(Hospital.city_id))
        .order_by(func.lower(City.name), func.lower(Hospital.name), col(Hospital.id))
    ).all()
    return tuple(HospitalOption(id=h or 0, name=name, city=city) for h, name, city in rows)


def _clean_hospital_ids(session: Session, value: object) -> list[int]:
    """The distinct ids of existing hospitals (at least one) from a list of ints;
    ``FieldError`` for anything else."""
    if not isinstance(value, list | tuple | set | frozenset) or not value:
        raise v.FieldError(CHOOSE_HOSPITAL)
    if len(value) > MAX_HOSPITALS or any(type(item) is not int for item in value):
        raise v.FieldError(UNKNOWN_HOSPITAL)
    ids = sorted(set(value))
    if any(not 0 < item < 2**31 for item in ids):
        raise v.FieldError(UNKNOWN_HOSPITAL)
    known = session.exec(select(Hospital.id).where(col(Hospital.id).in_(ids))).all()
    if len(set(known)) != len(ids):
        raise v.FieldError(UNKNOWN_HOSPITAL)
    return ids


def create_front_desk_user(
    session: Session,
    *,
    actor_id: int,
    name: str,
    email: str,
    phone: str,
    hospital_ids: list[int],
    now: datetime,
    actor_role: str = Role.ADMIN,
) -> CreatedFrontDesk:
    """A new front-desk account serving ``hospital_ids``, with a generated one-time
    password (returned once) that must be replaced at the first sign-in."""
    by = acting_admin(session, actor_id, actor_role, now)
    fields = v.collect(
        {
            "name": lambda: v.clean_name(name),
            "email": lambda: v.clean_email(email),
            "phone": lambda: v.clean_phone(phone),
            "hospital_ids": lambda: _clean_hospital_ids(session, hospital_ids),
        }
    )
    if email_in_use(session, fields["email"]):
        raise ValidationFailed({"email": DUPLICATE_EMAIL})
    secret = generate_password()
    user = new_staff_user(session, Role.FRONT_DESK, fields, secret, by.now)
    assert user.id is not None
    session.add_all(StaffHospital(user_id=user.id, hospital_id=h) for h in fields["hospital_ids"])
    audit(
        session,
        by,
        "front_desk_created",
        entity="user",
        entity_id=user.id,
        detail={
            "email": user.email,
            "hospital_ids": fields["hospital_ids"],
            "password": "generated",
        },
    )
    session.flush()
    return CreatedFrontDesk(user=_one_row(session, user), one_time_password=secret)


def _front_desk_user(session: Session, user_id: object) -> User:
    user = row_by_id(session, User, user_id)
    if user is None or user.role != Role.FRONT_DESK or user.id is None:
        raise NotFound(NOT_FRONT_DESK)
    return user


def set_front_desk_hospitals(
    session: Session,
    *,
    actor_id: int,
    user_id: int,
    hospital_ids: list[int],
    now: datetime,
    actor_role: str = Role.ADMIN,
) -> FrontDeskRow:
    """Replace the hospitals a front-desk user serves (at least one). The desk reads
    them on every action, so the change applies to an open session at once."""
    by = acting_admin(session, actor_id, actor_role, now)
    target = _front_desk_user(session, user_id)
    fields = v.collect({"hospital_ids": lambda: _clean_hospital_ids(session, hospital_ids)})
    wanted = set(fields["hospital_ids"])
    current = set(
        session.exec(
            select(StaffHospital.hospital_id).where(col(StaffHospital.user_id) == target.id)
        ).all()
    )
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if added or removed:
        if removed:
            session.exec(
                delete(StaffHospital).where(
                    col(StaffHospital.user_id) == target.id,
                    col(StaffHospital.hospital_id).in_(removed),
                )
            )
        session.add_all(StaffHospital(user_id=target.id or 0, hospital_id=h) for h in added)
        target.updated_at = by.now
        session.add(target)
        audit(
            session,
            by,
            "front_desk_hospitals_changed",
            entity="user",
            entity_id=target.id,
            detail={"added": added, "removed": removed},
        )
        session.flush()
    return _one_row(session, target)


def set_front_desk_active(
    session: Session,
    *,
    actor_id: int,
    user_id: int,
    active: bool,
    now: datetime,
    actor_role: str = Role.ADMIN,
    reason: str = "",
) -> FrontDeskRow:
    """Deactivate a front-desk user (signed out everywhere at once, no sign-in until
    reactivated) or reactivate one."""
    by = acting_admin(session, actor_id, actor_role, now)
    if type(active) is not bool:
        raise ValidationFailed({"active": "Say whether the front-desk user should be active"})
    target = _front_desk_user(session, user_id)
    text = reason if isinstance(reason, str) else ""
    note = v.collect({"reason": lambda: v.clean_text(text, max_length=500, label="Reason")})
    if target.is_active == active:
        raise Conflict(f"{target.name} is already {'active' if active else 'inactive'}.")
    target.is_active, target.updated_at = active, by.now
    session.add(target)
    session.flush()
    detail = {}
    if not active:
        detail["sessions_ended"] = revoke_all_sessions(
            session, user_id=target.id or 0, now=by.now, reason="front_desk_deactivated"
        )
    action = "front_desk_reactivated" if active else "front_desk_deactivated"
    audit(
        session,
        by,
        action,
        entity="user",
        entity_id=target.id,
        reason=note["reason"],
        detail=detail,
    )
    session.flush()
    return _one_row(session, target)


__all__ = [
    "CHOOSE_HOSPITAL",
    "NOT_FRONT_DESK",
    "SORTS",
    "UNKNOWN_HOSPITAL",
    "CreatedFrontDesk",
    "FrontDeskPage",
    "FrontDeskRow",
    "HospitalOption",
    "create_front_desk_user",
    "hospital_options",
    "list_front_desk_users",
    "set_front_desk_active",
    "set_front_desk_hospitals",
]
