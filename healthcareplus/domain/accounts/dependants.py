"""Family members: the people (children, a spouse, parents...) a patient books visits for.

The account holder adds, edits and removes them; each has their own medical profile,
which the doctor sees at the visits booked for them. The holder stays the booking's
contact (emails, notifications, payment). Removing a family member with an upcoming
visit is refused (cancel it first); one with earlier visits is archived (hidden from the
holder, kept for those visits' history), one without any is deleted.

Every function takes the holder's id from the signed-in session and starts with
``acting_user``; another account's family member is ``NotFound``, like one that does
not exist. These functions flush; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypedDict, Unpack

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit, changes
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.family_models import Dependant, Relation
from healthcareplus.core.formatting import utc
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import Appointment, AppointmentStatus, Role, User
from healthcareplus.domain.accounts.actors import acting_user

MAX_DEPENDANTS = 10
RELATIONS: tuple[str, ...] = tuple(relation.value for relation in Relation)
RELATION_LABELS: dict[str, str] = {
    Relation.CHILD: N_("Child"),
    Relation.SPOUSE: N_("Spouse"),
    Relation.PARENT: N_("Parent"),
    Relation.SIBLING: N_("Sibling"),
    Relation.OTHER: N_("Other"),
}
MISSING = "Family member not found."
TOO_MANY = f"You can add up to {MAX_DEPENDANTS} family members."


class DependantForm(TypedDict):
    """The fields of a family member, as typed on the form."""

    name: str
    relation: str
    date_of_birth: str
    gender: str
    blood_group: str
    allergies: str
    medical_history: str


DEPENDANT_FIELDS: tuple[str, ...] = tuple(DependantForm.__annotations__)


@dataclass(frozen=True)
class DependantView:
    """A family member as their holder sees and edits them."""

    id: int
    name: str
    relation: str
    relation_label: str  # "Child"
    date_of_birth: str  # ISO
    gender: str
    blood_group: str
    allergies: str
    medical_history: str


def relation_label(relation: str | None) -> str:
    """ "Child", "Spouse"... ("" for none)."""
    label = RELATION_LABELS.get(relation or "", "")
    return gettext(label) if label else ""  # in the reader's language


def member_label(session: Session, dependant_id: int | None) -> str:
    """ "Riya Patel (Child)" for a family member's visit, in the current language; "" for
    the account holder's own."""
    member = session.get(Dependant, dependant_id) if dependant_id is not None else None
    if member is None:
        return ""
    relation = relation_label(member.relation)
    return f"{member.name} ({relation})" if relation else member.name


def view_of(dependant: Dependant) -> DependantView:
    return DependantView(
        id=dependant.id or 0,
        name=dependant.name,
        relation=dependant.relation,
        relation_label=relation_label(dependant.relation),
        date_of_birth=dependant.date_of_birth.isoformat(),
        gender=dependant.gender or "",
        blood_group=dependant.blood_group or "",
        allergies=dependant.allergies,
        medical_history=dependant.medical_history,
    )


def _name(value: str) -> str:
    if len(" ".join(value.split())) < 2:  # clean_name's own words speak to the holder
        raise v.FieldError("Enter their full name")
    return v.clean_name(value)


def _relation(value: str) -> str:
    relation = v.clean_choice(value, RELATIONS, "relation")
    if relation is None:
        raise v.FieldError("Choose how they are related to you")
    return relation


def _clean(form: DependantForm, now: datetime) -> dict[str, object]:
    today = utc(now).astimezone(get_settings().clinic_zone).date()

    def born() -> object:
        value = v.clean_date_of_birth(form["date_of_birth"], today=today)
        if value is None:
            raise v.FieldError("Enter their date of birth")
        return value

    return v.collect(
        {
            "name": lambda: _name(form["name"]),
            "relation": lambda: _relation(form["relation"]),
            "date_of_birth": born,
            "gender": lambda: v.clean_choice(form["gender"], v.GENDERS, "gender"),
            "blood_group": lambda: v.clean_choice(
                form["blood_group"], v.BLOOD_GROUPS, "blood group"
            ),
            "allergies": lambda: v.clean_text(
                form["allergies"], max_length=1000, label="Allergies"
            ),
            "medical_history": lambda: v.clean_text(
                form["medical_history"], max_length=4000, label="Medical history"
            ),
        }
    )


def _form(form: DependantForm) -> DependantForm:
    """Every field as text ("" when missing or not text): crafted values never crash."""
    raw: dict[str, object] = dict(form)

    def text(key: str) -> str:
        value = raw.get(key)
        return value if isinstance(value, str) else ""

    return DependantForm(
        name=text("name"),
        relation=text("relation"),
        date_of_birth=text("date_of_birth"),
        gender=text("gender"),
        blood_group=text("blood_group"),
        allergies=text("allergies"),
        medical_history=text("medical_history"),
    )


def _active(holder_id: int) -> tuple[ColumnElement[bool], ...]:
    return (col(Dependant.holder_id) == holder_id, col(Dependant.archived_at).is_(None))


def list_dependants(session: Session, *, holder_id: int) -> list[DependantView]:
    """The holder's family members (not the archived ones), in the order they were added."""
    acting_user(session, holder_id, Role.PATIENT)
    rows = session.exec(select(Dependant).where(*_active(holder_id)).order_by(col(Dependant.id)))
    return [view_of(row) for row in rows]


def own_dependant(session: Session, *, holder_id: int, dependant_id: object) -> Dependant:
    """The holder's own, current family member ``dependant_id``; ``NotFound`` for anyone
    else's, an archived one or a crafted id. The booking's check of who a visit is for."""
    dependant = row_by_id(session, Dependant, dependant_id)
    if dependant is None or dependant.holder_id != holder_id or dependant.archived_at:
        raise NotFound(MISSING)
    return dependant


def add_dependant(
    session: Session, *, holder_id: int, now: datetime, **form: Unpack[DependantForm]
) -> DependantView:
    """Add a family member (at most ``MAX_DEPENDANTS`` current ones per account)."""
    now = utc(now)
    acting_user(session, holder_id, Role.PATIENT)
    fields = _clean(_form(form), now)
    # The holder's row, locked (PostgreSQL) so two adds at once cannot pass the limit.
    session.exec(select(User.id).where(col(User.id) == holder_id).with_for_update()).first()
    count = session.exec(select(func.count()).where(*_active(holder_id))).one()
    if count >= MAX_DEPENDANTS:
        raise Conflict(TOO_MANY)
    dependant = Dependant(holder_id=holder_id, created_at=now, **fields)  # type: ignore[arg-type]
    session.add(dependant)
    session.flush()
    detail = {"name": dependant.name, "relation": dependant.relation}
    _audit(session, holder_id, now, "dependant_added", dependant, detail)
    return view_of(dependant)


def update_dependant(
    session: Session,
    *,
    holder_id: int,
    dependant_id: object,
    now: datetime,
    **form: Unpack[DependantForm],
) -> DependantView:
    """Change one of the holder's family members."""
    now = utc(now)
    acting_user(session, holder_id, Role.PATIENT)
    dependant = own_dependant(session, holder_id=holder_id, dependant_id=dependant_id)
    fields = _clean(_form(form), now)
    changed = changes(dependant, fields)
    for key, value in fields.items():
        setattr(dependant, key, value)
    dependant.updated_at = now
    session.add(dependant)
    session.flush()
    _audit(session, holder_id, now, "dependant_updated", dependant, {"changed": sorted(changed)})
    return view_of(dependant)


def _upcoming(dependant_id: int, now: datetime) -> ColumnElement[bool]:
    """Visits still ahead for the person: confirmed, or pending with a live hold."""
    a = Appointment
    live_hold = and_(
        col(a.status) == AppointmentStatus.PENDING_PAYMENT.value,
        col(a.hold_expires_at) > now,
    )
    return and_(
        col(a.dependant_id) == dependant_id,
        col(a.end_at) > now,
        or_(col(a.status) == AppointmentStatus.CONFIRMED.value, live_hold),
    )


def remove_dependant(
    session: Session, *, holder_id: int, dependant_id: object, now: datetime
) -> Literal["deleted", "archived"]:
    """Remove a family member: refused while they have an upcoming visit; archived when
    they have any other visit (its history keeps them), else deleted."""
    now = utc(now)
    acting_user(session, holder_id, Role.PATIENT)
    dependant = own_dependant(session, holder_id=holder_id, dependant_id=dependant_id)
    key = dependant.id or 0
    if session.exec(select(Appointment.id).where(_upcoming(key, now)).limit(1)).first():
        raise Conflict(
            f"{dependant.name} has an upcoming visit. Cancel it first, then remove them."
        )
    visited = session.exec(
        select(Appointment.id).where(col(Appointment.dependant_id) == key).limit(1)
    ).first()
    outcome: Literal["deleted", "archived"] = "archived" if visited else "deleted"
    _audit(session, holder_id, now, f"dependant_{outcome}", dependant, {"name": dependant.name})
    if visited:
        dependant.archived_at = now
        session.add(dependant)
    else:
        session.delete(dependant)
    session.flush()
    return outcome


def _audit(
    session: Session,
    holder_id: int,
    now: datetime,
    action: str,
    dependant: Dependant,
    detail: Mapping[str, Any],
) -> None:
    by = Actor(holder_id, Role.PATIENT, now)
    audit(session, by, action, entity="dependant", entity_id=dependant.id, detail=dict(detail))


__all__ = [
    "DEPENDANT_FIELDS",
    "MAX_DEPENDANTS",
    "MISSING",
    "TOO_MANY",
    "RELATIONS",
    "RELATION_LABELS",
    "DependantForm",
    "DependantView",
    "add_dependant",
    "list_dependants",
    "own_dependant",
    "relation_label",
    "remove_dependant",
    "update_dependant",
    "view_of",
]
