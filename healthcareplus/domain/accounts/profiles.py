"""Registration and the patient's own profile.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from healthcareplus.core import validation as v
from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.passwords import hash_password

DUPLICATE_EMAIL = "An account with this email already exists"


class RegistrationForm(TypedDict):
    """What a person types to open an account (a patient, or an admin with the code)."""

    name: str
    email: str
    phone: str
    password: str
    confirm_password: str


class ProfileForm(TypedDict):
    """The editable profile fields (the patient's own page, or an admin's edit)."""

    name: str
    phone: str
    date_of_birth: str | date | None
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    address: NotRequired[str]
    emergency_contact_name: NotRequired[str]
    emergency_contact_phone: NotRequired[str]


PROFILE_FIELDS: tuple[str, ...] = tuple(ProfileForm.__annotations__)
EMERGENCY_BOTH = "Give both the name and the phone number of your emergency contact"


@dataclass(frozen=True)
class Profile:
    """What a patient sees and edits of their own account."""

    id: int
    name: str
    email: str
    phone: str
    date_of_birth: str
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    address: str
    emergency_contact_name: str
    emergency_contact_phone: str


def contact_fields(user: User) -> dict[str, Any]:
    """The id, name, email and phone of an account, as the rows that list people show."""
    return {"id": user.id or 0, "name": user.name, "email": user.email, "phone": user.phone}


def _registration_fields(form: RegistrationForm) -> dict[str, Any]:
    def confirm() -> str:
        if form["password"] != form["confirm_password"]:
            raise v.FieldError("Passwords do not match")
        return form["confirm_password"]

    return v.collect(
        {
            "name": lambda: v.clean_name(form["name"]),
            "email": lambda: v.clean_email(form["email"]),
            "phone": lambda: v.clean_phone(form["phone"]),
            "password": lambda: v.check_password_strength(form["password"]),
            "confirm_password": confirm,
        }
    )


def _create_user(session: Session, *, role: Role, fields: dict[str, Any]) -> User:
    if session.exec(select(User.id).where(User.email == fields["email"])).first():
        raise ValidationFailed({"email": DUPLICATE_EMAIL})
    user = User(
        role=role,
        name=fields["name"],
        email=fields["email"],
        phone=fields["phone"],
        password_hash=hash_password(fields["password"]),
    )
    try:
        # A concurrent save that took the same unique value fails the flush: the
        # domain error below makes the caller's unit of work roll back.
        session.add(user)
        session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    session.refresh(user)
    return user


def register_patient(session: Session, **form: Unpack[RegistrationForm]) -> User:
    fields = _registration_fields(form)
    return _create_user(session, role=Role.PATIENT, fields=fields)


def register_admin(session: Session, *, admin_code: str, **form: Unpack[RegistrationForm]) -> User:
    """Self-registration of an administrator, allowed only with the configured admin code."""
    expected = get_settings().admin_code
    code_ok = bool(expected) and hmac.compare_digest(
        (admin_code or "").strip().encode(), expected.encode()
    )
    try:
        fields = _registration_fields(form)
    except ValidationFailed as exc:
        if not code_ok:
            exc.fields["admin_code"] = "The admin code is not correct"
        raise ValidationFailed(exc.fields) from None
    if not code_ok:
        raise ValidationFailed({"admin_code": "The admin code is not correct"})
    return _create_user(session, role=Role.ADMIN, fields=fields)


def profile_of(user: User) -> Profile:
    """What the account's owner sees of ``user``."""
    return Profile(
        **contact_fields(user),
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else "",
        gender=user.gender or "",
        blood_group=user.blood_group or "",
        allergies=user.allergies,
        medical_history=user.medical_history,
        address=user.address,
        emergency_contact_name=user.emergency_contact_name,
        emergency_contact_phone=user.emergency_contact_phone,
    )


def get_profile(session: Session, *, user_id: int) -> Profile:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Account not found")
    return profile_of(user)


def _emergency_name(form: ProfileForm, user: User) -> str:
    name = form.get("emergency_contact_name", user.emergency_contact_name)
    phone = form.get("emergency_contact_phone", user.emergency_contact_phone)
    if not (name or "").strip():
        if (phone or "").strip():
            raise v.FieldError(EMERGENCY_BOTH)
        return ""
    return v.clean_name(name)


def _emergency_phone(form: ProfileForm, user: User) -> str:
    name = form.get("emergency_contact_name", user.emergency_contact_name)
    phone = form.get("emergency_contact_phone", user.emergency_contact_phone)
    if not (phone or "").strip():
        if (name or "").strip():
            raise v.FieldError(EMERGENCY_BOTH)
        return ""
    return v.clean_phone(phone)


def update_profile(
    session: Session, *, user_id: int, now: datetime | None = None, **form: Unpack[ProfileForm]
) -> Profile:
    acting_user(session, user_id, Role.PATIENT, Role.DOCTOR, Role.ADMIN)
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Account not found")
    today = now.astimezone(get_settings().clinic_zone).date()
    fields = v.collect(
        {
            "name": lambda: v.clean_name(form["name"]),
            "phone": lambda: v.clean_phone(form["phone"]),
            "date_of_birth": lambda: v.clean_date_of_birth(form["date_of_birth"], today=today),
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
            "address": lambda: v.clean_text(
                form.get("address", user.address), max_length=300, label="Address"
            ),
            "emergency_contact_name": lambda: _emergency_name(form, user),
            "emergency_contact_phone": lambda: _emergency_phone(form, user),
        }
    )
    for key, value in fields.items():
        setattr(user, key, value)
    user.updated_at = now
    session.add(user)
    session.flush()
    session.refresh(user)
    return profile_of(user)
