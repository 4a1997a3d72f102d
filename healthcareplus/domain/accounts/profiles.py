"""Registration and the patient's own profile."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from healthcareplus.core import validation as v
from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.passwords import hash_password

DUPLICATE_EMAIL = "An account with this email already exists"


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


def _registration_fields(
    *, name: str, email: str, phone: str, password: str, confirm_password: str
) -> dict:
    def confirm() -> str:
        if password != confirm_password:
            raise v.FieldError("Passwords do not match")
        return confirm_password

    return v.collect(
        {
            "name": lambda: v.clean_name(name),
            "email": lambda: v.clean_email(email),
            "phone": lambda: v.clean_phone(phone),
            "password": lambda: v.check_password_strength(password),
            "confirm_password": confirm,
        }
    )


def _create_user(session: Session, *, role: Role, fields: dict) -> User:
    if session.exec(select(User.id).where(User.email == fields["email"])).first():
        raise ValidationFailed({"email": DUPLICATE_EMAIL})
    user = User(
        role=role,
        name=fields["name"],
        email=fields["email"],
        phone=fields["phone"],
        password_hash=hash_password(fields["password"]),
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # a concurrent registration won the race
        session.rollback()
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    session.refresh(user)
    return user


def register_patient(
    session: Session, *, name: str, email: str, phone: str, password: str, confirm_password: str
) -> User:
    fields = _registration_fields(
        name=name, email=email, phone=phone, password=password, confirm_password=confirm_password
    )
    return _create_user(session, role=Role.PATIENT, fields=fields)


def register_admin(
    session: Session,
    *,
    name: str,
    email: str,
    phone: str,
    password: str,
    confirm_password: str,
    admin_code: str,
) -> User:
    """Self-registration of an administrator, allowed only with the configured admin code."""
    expected = get_settings().admin_code
    code_ok = bool(expected) and hmac.compare_digest(
        (admin_code or "").strip().encode(), expected.encode()
    )
    try:
        fields = _registration_fields(
            name=name,
            email=email,
            phone=phone,
            password=password,
            confirm_password=confirm_password,
        )
    except ValidationFailed as exc:
        if not code_ok:
            exc.fields["admin_code"] = "The admin code is not correct"
        raise ValidationFailed(exc.fields) from None
    if not code_ok:
        raise ValidationFailed({"admin_code": "The admin code is not correct"})
    return _create_user(session, role=Role.ADMIN, fields=fields)


def _to_profile(user: User) -> Profile:
    return Profile(
        id=user.id or 0,
        name=user.name,
        email=user.email,
        phone=user.phone,
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else "",
        gender=user.gender or "",
        blood_group=user.blood_group or "",
        allergies=user.allergies,
        medical_history=user.medical_history,
    )


def get_profile(session: Session, *, user_id: int) -> Profile:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Account not found")
    return _to_profile(user)


def update_profile(
    session: Session,
    *,
    user_id: int,
    name: str,
    phone: str,
    date_of_birth: str | date | None,
    gender: str,
    blood_group: str,
    allergies: str,
    medical_history: str,
    now: datetime | None = None,
) -> Profile:
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Account not found")
    today = now.astimezone(get_settings().clinic_zone).date()
    fields = v.collect(
        {
            "name": lambda: v.clean_name(name),
            "phone": lambda: v.clean_phone(phone),
            "date_of_birth": lambda: v.clean_date_of_birth(date_of_birth, today=today),
            "gender": lambda: v.clean_choice(gender, v.GENDERS, "gender"),
            "blood_group": lambda: v.clean_choice(blood_group, v.BLOOD_GROUPS, "blood group"),
            "allergies": lambda: v.clean_text(allergies, max_length=1000, label="Allergies"),
            "medical_history": lambda: v.clean_text(
                medical_history, max_length=4000, label="Medical history"
            ),
        }
    )
    for key, value in fields.items():
        setattr(user, key, value)
    user.updated_at = now
    session.add(user)
    session.commit()
    session.refresh(user)
    return _to_profile(user)
