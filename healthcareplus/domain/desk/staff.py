"""Who works the front desk, and where.

A front-desk user serves the hospitals an admin tied them to (``staff_hospitals``) and
sees nothing of the others; an admin can do everything a front desk can, at every
hospital. Every desk function starts with :func:`acting_desk` and asks the returned
:class:`DeskActor` whether a hospital is in reach: one rule, one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import City, Hospital, Role, StaffHospital
from healthcareplus.domain.accounts.actors import acting_user

DESK_ROLES = (Role.FRONT_DESK.value, Role.ADMIN.value)
NOT_HERE = "That is not one of your hospitals."


@dataclass(frozen=True)
class DeskActor:
    """The signed-in desk user (or admin) and the hospitals they serve (None: all)."""

    actor: Actor
    hospital_ids: frozenset[int] | None

    @property
    def user_id(self) -> int:
        assert self.actor.id is not None
        return self.actor.id

    def reaches(self, hospital_id: int | None) -> bool:
        if hospital_id is None:
            return False
        return self.hospital_ids is None or hospital_id in self.hospital_ids

    def require(self, hospital_id: int | None, message: str = NOT_HERE) -> int:
        """The hospital id if it is in reach; ``NotFound`` hides the others."""
        if hospital_id is None or not self.reaches(hospital_id):
            raise NotFound(message)
        return hospital_id


@dataclass(frozen=True)
class HospitalChoice:
    id: int
    name: str
    city: str


def staff_hospital_ids(session: Session, user_id: int) -> frozenset[int]:
    rows = session.exec(select(StaffHospital.hospital_id).where(StaffHospital.user_id == user_id))
    return frozenset(rows.all())


def acting_desk(session: Session, actor_id: object, *, now: datetime) -> DeskActor:
    """The active front-desk user or admin ``actor_id``; ``Forbidden`` for anyone else."""
    user = acting_user(session, actor_id, *DESK_ROLES)
    assert user.id is not None
    actor = Actor(user.id, user.role, utc(now))
    if user.role == Role.ADMIN:
        return DeskActor(actor, None)
    return DeskActor(actor, staff_hospital_ids(session, user.id))


def desk_hospitals(session: Session, *, actor_id: object, now: datetime) -> list[HospitalChoice]:
    """The hospitals the caller serves, by city then name."""
    desk = acting_desk(session, actor_id, now=now)
    query = (
        select(Hospital.id, Hospital.name, City.name)
        .join(City, col(City.id) == col(Hospital.city_id))
        .order_by(col(City.name), col(Hospital.name))
    )
    if desk.hospital_ids is not None:
        query = query.where(col(Hospital.id).in_(sorted(desk.hospital_ids)))
    rows = session.exec(query).all()
    return [HospitalChoice(int(h or 0), name, city) for h, name, city in rows]


__all__ = [
    "DESK_ROLES",
    "NOT_HERE",
    "DeskActor",
    "HospitalChoice",
    "acting_desk",
    "desk_hospitals",
    "staff_hospital_ids",
]
