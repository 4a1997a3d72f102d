"""Administrator accounts, and the pieces every admin management service shares:
generated one-time passwords, email uniqueness across users and doctors, and the form
values they clean alike (whole numbers, comma lists, contact phones). Paging is
``core.paging`` (``Paging`` is re-exported here for the admin list pages).

A generated password is returned once to the caller (who shows it once to the admin)
and only its bcrypt hash is stored. Deactivating an administrator signs them out
everywhere at once; nobody may deactivate themselves or the last active administrator.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import format_local_date
from healthcareplus.core.models import Doctor, Role, User
from healthcareplus.core.paging import PAGE_SIZE, Page, Paging, fetch_page, ordering
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.passwords import hash_password
from healthcareplus.domain.accounts.profiles import contact_fields
from healthcareplus.domain.accounts.sessions import revoke_all_sessions

DUPLICATE_EMAIL = "An account or doctor with this email already exists"
PASSWORD_LENGTH = 14
# No look-alikes (0/O, 1/l/I) so a password read off the screen is typed right.
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "@#$%&*!?-+="


def generate_password(length: int = PASSWORD_LENGTH) -> str:
    """A random password (``secrets``) with every character class the strength rules ask."""
    length = max(length, 8)
    pools = (_LOWER, _UPPER, _DIGITS, _SYMBOLS)
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    password = "".join(chars)
    return v.check_password_strength(password)


def email_in_use(session: Session, email: str, *, except_doctor_id: int | None = None) -> bool:
    """True when a login account or a doctor profile already uses ``email`` (any case)."""
    lowered = email.strip().lower()
    if session.exec(select(User.id).where(func.lower(User.email) == lowered).limit(1)).first():
        return True
    query = select(Doctor.id).where(func.lower(Doctor.email) == lowered)
    if except_doctor_id is not None:
        query = query.where(col(Doctor.id) != except_doctor_id)
    return session.exec(query.limit(1)).first() is not None


def string_set(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """A comma list or a sequence of strings as trimmed, non-empty items (order kept)."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [" ".join(item.split()) for item in items if isinstance(item, str) and item.strip()]


@dataclass(frozen=True)
class AdminRow:
    id: int
    name: str
    email: str
    phone: str
    created_label: str  # "Mon, 23 Nov 2026"
    is_active: bool


AdminPage = Page[AdminRow]


@dataclass(frozen=True)
class CreatedAdmin:
    admin: AdminRow
    # The generated password, to show once; None when the creating admin typed one.
    one_time_password: str | None


def _admin_row(user: User) -> AdminRow:
    return AdminRow(
        **contact_fields(user),
        created_label=format_local_date(user.created_at),
        is_active=user.is_active,
    )


# The columns the admins' list may be sorted by (``ordering``; by name unless told).
SORTS: dict[str, Any] = {
    "name": func.lower(User.name),
    "email": col(User.email),
    "phone": col(User.phone),
    "since": col(User.created_at),
    "status": col(User.is_active),
}


def list_admins(
    session: Session, *, sort: str = "name", page: int = 1, page_size: int = PAGE_SIZE
) -> AdminPage:
    where = col(User.role) == Role.ADMIN.value
    _, order = ordering(sort, SORTS, "name")
    rows, p = fetch_page(
        session,
        select(User).where(where).order_by(order, col(User.id)),
        count=select(func.count(col(User.id))).where(where),
        page=page,
        page_size=page_size,
    )
    return AdminPage(items=tuple(_admin_row(u) for u in rows), paging=p)


def new_staff_user(
    session: Session, role: Role, fields: dict[str, Any], secret: str, now: datetime
) -> User:
    """A staff account an admin creates (``fields``: its checked name, email and phone)
    with the password ``secret`` someone else chose, so its first sign-in must replace it.
    ``ValidationFailed`` when the email was taken meanwhile (the flush fails)."""
    user = User(
        role=role,
        name=fields["name"],
        email=fields["email"],
        phone=fields["phone"],
        password_hash=hash_password(secret),
        must_change_password=True,
        created_at=now,
    )
    try:
        # A concurrent save that took the same email fails the flush: the domain error
        # below makes the caller's unit of work roll back.
        session.add(user)
        session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    return user


def create_admin(
    session: Session,
    *,
    name: str,
    email: str,
    phone: str,
    password: str = "",
    confirm_password: str = "",
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> CreatedAdmin:
    """A new administrator. Leave ``password`` empty to generate a one-time password.
    Either way the password is one someone else chose: the new admin must replace it at
    the first sign-in."""
    by = acting_admin(session, actor_id, actor_role, now)
    typed = bool(password or confirm_password)

    def confirm() -> str:
        if typed and password != confirm_password:
            raise v.FieldError("Passwords do not match")
        return confirm_password

    checks: dict[str, Any] = {
        "name": lambda: v.clean_name(name),
        "email": lambda: v.clean_email(email),
        "phone": lambda: v.clean_phone(phone),
    }
    if typed:
        checks["password"] = lambda: v.check_password_strength(password)
        checks["confirm_password"] = confirm
    fields = v.collect(checks)
    if email_in_use(session, fields["email"]):
        raise ValidationFailed({"email": DUPLICATE_EMAIL})
    secret = fields["password"] if typed else generate_password()
    user = new_staff_user(session, Role.ADMIN, fields, secret, by.now)
    how = "typed" if typed else "generated"
    detail = {"email": user.email, "password": how}
    audit(session, by, "admin_created", entity="user", entity_id=user.id, detail=detail)
    return CreatedAdmin(admin=_admin_row(user), one_time_password=None if typed else secret)


NOT_AN_ADMIN = "Administrator not found."
NOT_YOURSELF = "You cannot deactivate your own account. Ask another administrator."
LAST_ADMIN = "Deactivating {name} would leave no active administrator."


_ACTIVE_ADMIN = (col(User.role) == Role.ADMIN.value, col(User.is_active), ~col(User.is_blocked))


def _deactivate(session: Session, target: User, actor_id: int, now: datetime) -> None:
    """``target`` inactive only while the actor is still an active admin and another one
    remains, checked by the UPDATE itself after locking both rows (SQLite: one writer at a
    time), so two admins deactivating each other at once cannot leave none."""
    target_id, both = target.id or 0, sorted({target.id or 0, actor_id})
    rows = select(User.id).where(col(User.id).in_(both)).order_by(col(User.id))
    session.exec(rows.with_for_update()).all()
    actor_active = select(User.id).where(*_ACTIVE_ADMIN, col(User.id) == actor_id).exists()
    another = select(User.id).where(*_ACTIVE_ADMIN, col(User.id) != target_id).exists()
    result = session.exec(
        update(User)
        .where(col(User.id) == target_id, col(User.is_active), actor_active, another)
        .values(is_active=False, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(LAST_ADMIN.format(name=target.name))
    session.refresh(target)


def set_admin_active(
    session: Session,
    *,
    admin_id: int,
    active: bool,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
    reason: str = "",
) -> AdminRow:
    """Deactivate an administrator (signed out everywhere at once, no sign-in until
    reactivated) or reactivate one. Nobody deactivates themselves: one admin remains."""
    by = acting_admin(session, actor_id, actor_role, now)
    if type(active) is not bool:
        raise ValidationFailed({"active": "Say whether the administrator should be active"})
    target = row_by_id(session, User, admin_id)
    if target is None or target.role != Role.ADMIN or target.id is None:
        raise NotFound(NOT_AN_ADMIN)
    text = reason if isinstance(reason, str) else ""
    note = v.collect({"reason": lambda: v.clean_text(text, max_length=500, label="Reason")})
    if not active and target.id == by.id:
        raise Forbidden(NOT_YOURSELF)
    if target.is_active == active:
        raise Conflict(f"{target.name} is already {'active' if active else 'inactive'}.")
    detail = {}
    if active:
        target.is_active, target.updated_at = True, by.now
        session.add(target)
    else:
        _deactivate(session, target, by.id or 0, by.now)
        detail["sessions_ended"] = revoke_all_sessions(
            session, user_id=target.id, now=by.now, reason="admin_deactivated"
        )
    action, why = "admin_reactivated" if active else "admin_deactivated", note["reason"]
    audit(session, by, action, entity="user", entity_id=target.id, reason=why, detail=detail)
    session.flush()
    return _admin_row(target)


def clean_int(value: Any, *, low: int, high: int, label: str) -> int:
    """A whole number in [low, high] from a form value (text or int; never bool/float)."""
    if type(value) is int:
        number = value
    else:
        text = value.strip().replace(",", "") if isinstance(value, str) else ""
        if not text:
            raise v.FieldError(f"Enter the {label}")
        if not text.isdigit() or len(text) > 9:
            raise v.FieldError(f"Enter the {label} as a whole number")
        number = int(text)
    if not low <= number <= high:
        raise v.FieldError(f"The {label} must be between {low:,} and {high:,}")
    return number


def chosen_id(session: Session, model: type[SQLModel], value: Any, *, missing: str) -> int:
    """The id of an existing ``model`` row picked in a form (an int, or its digits as
    text), else ``FieldError(missing)``."""
    if type(value) is int:
        number = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        number = int(text) if text.isdigit() and len(text) <= 10 else 0
    if not 0 < number < 2**31 or session.get(model, number) is None:
        raise v.FieldError(missing)
    return number


_LANDLINE_CHARS = set(string.digits + " +-()")


def clean_contact_phone(value: str, *, required: bool = False) -> str:
    """A hospital's phone: landline or mobile, digits with spaces, +, - and brackets."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise v.FieldError("Enter a phone number")
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if set(text) - _LANDLINE_CHARS or not 6 <= digits <= 15 or len(text) > 20:
        raise v.FieldError("Enter a phone number like 080-2630 2630 or +91 98450 12345")
    return text


__all__ = [
    "DUPLICATE_EMAIL",
    "PAGE_SIZE",
    "AdminPage",
    "AdminRow",
    "CreatedAdmin",
    "Paging",  # re-exported from core.paging for the admin list pages
    "clean_contact_phone",
    "chosen_id",
    "clean_int",
    "create_admin",
    "email_in_use",
    "generate_password",
    "list_admins",
    "new_staff_user",
    "set_admin_active",
    "string_set",
]
