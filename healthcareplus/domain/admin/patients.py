"""The admin's patient management: search, profile, block and unblock (a blocked patient
is signed out everywhere at once, cannot sign in and cannot book; ``booking.book`` refuses
them), edit details. The appointment history is
``patient_history``.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from healthcareplus.core import routes
from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import format_local_date
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import Appointment, Role, User
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page, ordering
from healthcareplus.core.search_text import contains_any, flag_is, search_terms
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.profiles import PROFILE_FIELDS, ProfileForm
from healthcareplus.domain.accounts.sessions import revoke_all_sessions
from healthcareplus.domain.notifications.account_news import AccountNote, account_message

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


PatientListPage = Page[PatientRow]


@dataclass(frozen=True)
class PatientDetail(accounts.Profile):
    """The patient's own profile, plus what only the admin sees."""

    is_active: bool
    is_blocked: bool
    blocked_reason: str
    joined_label: str


def _search_conditions(q: str, status: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(User.role) == Role.PATIENT.value]
    for term in search_terms(q, max_terms=_MAX_TERMS):
        by_name = contains_any(term, User.name, User.email)
        digits = _NOT_DIGITS.sub("", term)
        if len(digits) >= 3:  # phones are stored as "+91 98450 12345"
            phone = func.replace(User.phone, " ", "").contains(digits, autoescape=True)
            by_name = or_(by_name, phone)
        where.append(by_name)
    return where + flag_is(User.is_blocked, {"blocked": True, "active": False}.get(status))


def _bookings() -> Any:
    """The patient's number of appointments (a correlated count over an indexed column)."""
    counted = select(func.count(col(Appointment.id))).where(col(Appointment.patient_id) == User.id)
    return counted.correlate(User).scalar_subquery()


# The list's columns a patient list may be sorted by (``ordering``: "-joined" = newest first).
SORTS: dict[str, Any] = {
    "name": func.lower(User.name),
    "email": col(User.email),
    "phone": col(User.phone),
    "bookings": _bookings(),
    "status": col(User.is_blocked),
    "joined": col(User.created_at),
}
DEFAULT_SORT = "-joined"


def search_patients(
    session: Session,
    *,
    q: str = "",
    status: str = "all",
    sort: str = DEFAULT_SORT,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> PatientListPage:
    """Patients matching every word of ``q`` in name, email or phone; newest first unless
    ``sort`` names another of ``SORTS``."""
    where = _search_conditions(q, status if status in STATUSES else "all")
    _, order = ordering(sort, SORTS, DEFAULT_SORT)
    users, p = fetch_page(
        session,
        select(User).where(*where).order_by(order, col(User.id).desc()),
        count=select(func.count(col(User.id))).where(*where),
        page=page,
        page_size=page_size,
    )
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
            **accounts.contact_fields(u),
            is_blocked=u.is_blocked,
            joined_label=format_local_date(u.created_at),
            appointments=counts.get(u.id or 0, 0),
        )
        for u in users
    )
    return PatientListPage(items=items, paging=p)


def require_patient(session: Session, patient_id: int) -> User:
    """The patient's user row, or ``NotFound`` (also for any other role or a bad id)."""
    user = row_by_id(session, User, patient_id)
    if user is None or user.role != Role.PATIENT:
        raise NotFound("Patient not found.")
    return user


def _detail(user: User) -> PatientDetail:
    return PatientDetail(
        **asdict(accounts.profile_of(user)),
        is_active=user.is_active,
        is_blocked=user.is_blocked,
        blocked_reason=user.blocked_reason or "",
        joined_label=format_local_date(user.created_at),
    )


def get_patient(session: Session, *, patient_id: int) -> PatientDetail:
    return _detail(require_patient(session, patient_id))


def _clean_reason(reason: Any, *, required: bool) -> str:
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if required and len(text) < REASON_MIN:
        raise v.FieldError("Give a reason of at least 3 characters")
    if len(text) > REASON_MAX:
        raise v.FieldError("Keep the reason under 500 characters")
    return text


def _set_blocked(
    session: Session, by: Actor, patient_id: int, reason: Any, *, blocked: bool
) -> PatientDetail:
    """Block or unblock the patient with the (checked) reason, and audit it."""
    user = require_patient(session, patient_id)
    text = v.collect({"reason": lambda: _clean_reason(reason, required=blocked)})["reason"]
    if user.is_blocked == blocked:
        raise Conflict(f"{user.name} is {'already blocked' if blocked else 'not blocked'}.")
    detail: dict[str, Any] = {} if blocked else {"was_blocked_for": user.blocked_reason or ""}
    user.is_blocked, user.blocked_reason = blocked, text if blocked else None
    user.updated_at = by.now
    session.add(user)
    if blocked:
        detail["sessions_ended"] = revoke_all_sessions(
            session, user_id=patient_id, now=by.now, reason="patient_blocked"
        )
    action = "patient_blocked" if blocked else "patient_unblocked"
    audit(session, by, action, entity="patient", entity_id=patient_id, reason=text, detail=detail)
    account_message(session, user, _block_note(blocked, text), now=by.now)
    session.flush()
    return _detail(user)


def _block_note(blocked: bool, reason: str) -> AccountNote:
    """What the patient is told when their account is blocked or unblocked."""
    if blocked:
        return AccountNote(
            event="account_blocked",
            subject=N_("Your HealthCarePlus account has been blocked"),
            paragraphs=(
                N_("The clinic has blocked your account. Reason: {reason}"),
                N_(
                    "You cannot sign in or book until the clinic unblocks it. Appointments "
                    "already booked stay as they are. Please contact the clinic about this."
                ),
            ),
            values={"reason": reason},
        )
    return AccountNote(
        event="account_unblocked",
        subject=N_("Your HealthCarePlus account is active again"),
        paragraphs=(N_("The clinic has unblocked your account: you can sign in and book again."),),
        action_label=N_("Sign in"),
        action_path=routes.LOGIN,
    )


def block_patient(
    session: Session,
    *,
    patient_id: int,
    reason: str,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> PatientDetail:
    """Block the patient: signed out everywhere, no sign-in and no booking (existing
    appointments stay); the reason is kept."""
    by = acting_admin(session, actor_id, actor_role, now)
    return _set_blocked(session, by, patient_id, reason, blocked=True)


def unblock_patient(
    session: Session,
    *,
    patient_id: int,
    reason: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> PatientDetail:
    """Let the patient book again; the audit entry keeps why they were blocked."""
    by = acting_admin(session, actor_id, actor_role, now)
    return _set_blocked(session, by, patient_id, reason, blocked=False)


def update_patient(
    session: Session,
    *,
    patient_id: int,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
    **form: Unpack[ProfileForm],
) -> PatientDetail:
    """Edit the patient's details with the same rules as their own profile page. The audit
    entry names the fields that changed, not their (medical) values."""
    by = acting_admin(session, actor_id, actor_role, now)
    user = require_patient(session, patient_id)
    before = accounts.profile_of(user)
    after = accounts.update_profile(session, user_id=patient_id, now=by.now, **form)
    changed = [f for f in PROFILE_FIELDS if getattr(before, f) != getattr(after, f)]
    if changed:
        detail = {"fields": changed}
        audit(session, by, "patient_updated", entity="patient", entity_id=patient_id, detail=detail)
        session.flush()
    return _detail(user)


__all__ = [
    "PROFILE_FIELDS",
    "STATUSES",
    "PatientDetail",
    "PatientListPage",
    "PatientRow",
    "block_patient",
    "get_patient",
    "require_patient",
    "search_patients",
    "unblock_patient",
    "update_patient",
]
