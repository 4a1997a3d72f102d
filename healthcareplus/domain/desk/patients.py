"""Patients at the front desk: finding one by phone or name, registering someone who
phones or walks in, and inviting them to claim their account.

A walk-in needs only a name and a mobile number. Without an email the account cannot
sign in (no password, and an email is what signs in); the patient hears about their
visits by text instead. With an email, the patient gets a single-use link to choose a
password and so claims the account (the same link the clinic's doctors get).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import write_audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.models import NotificationPreference, Role, User
from healthcareplus.domain.accounts.password_links import issue_password_link, mask_email
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, has_password
from healthcareplus.domain.desk.staff import acting_desk
from healthcareplus.domain.notifications.account_news import account_message
from healthcareplus.domain.notifications.email import AccountNote

SEARCH_LIMIT = 20
DUPLICATE_PHONE = "A patient with this mobile number is already registered: find them above."
DUPLICATE_EMAIL = "An account with this email already exists."
CLAIM_EVENT = "account_claim"
ALREADY_CLAIMED = "This patient has already chosen a password."
NO_PATIENT = "Patient not found."
_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class PatientMatch:
    id: int
    name: str
    phone: str
    email: str  # masked: enough to recognise
    date_of_birth: str
    can_sign_in: bool  # has an email and a password


@dataclass(frozen=True)
class WalkIn:
    patient_id: int
    invited_email: str  # "" when no email was given


def _match(user: User) -> PatientMatch:
    return PatientMatch(
        id=user.id or 0,
        name=user.name,
        phone=user.phone,
        email=mask_email(user.email) if user.email else "",
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else "",
        can_sign_in=bool(user.email) and has_password(user.password_hash),
    )


def _phone_of(text: str) -> str:
    """The stored form of a mobile number typed any way ("" if it is not one)."""
    try:
        return v.clean_phone(text, required=False)
    except v.FieldError:
        return ""


def find_patients(
    session: Session, *, actor_id: object, query: object, now: datetime
) -> list[PatientMatch]:
    """Patients whose mobile number is ``query`` (typed any way), or whose name or email
    contains it; at most ``SEARCH_LIMIT``, by name. Fewer than 2 characters find none."""
    acting_desk(session, actor_id, now=now)
    text = " ".join(str(query).split())[:120] if isinstance(query, str) else ""
    if len(text) < 2:
        return []
    phone = _phone_of(text) if len(_DIGITS.sub("", text)) >= 10 else ""
    if phone:
        where = col(User.phone) == phone
    else:
        like = f"%{text.lower()}%"
        where = or_(func.lower(col(User.name)).like(like), col(User.email).like(like))
    rows = session.exec(
        select(User)
        .where(col(User.role) == Role.PATIENT.value, col(User.is_active).is_(True), where)
        .order_by(col(User.name), col(User.id))
        .limit(SEARCH_LIMIT)
    ).all()
    return [_match(user) for user in rows]


def claim_note(link_path: str, hours: int) -> AccountNote:
    """What a patient registered at the desk reads to claim the account."""
    return AccountNote(
        event=CLAIM_EVENT,
        subject="Your HealthCarePlus account is ready",
        paragraphs=(
            "The clinic has registered you on HealthCarePlus, where you can see and manage "
            "your appointments, pay, and read your treatment records.",
            f"Choose your password with the link below to sign in. It works once, for {hours} "
            "hours; if it has expired, ask the front desk to send a new one.",
            "If you were not expecting this email, you can ignore it.",
        ),
        action_label="Choose your password",
        action_path=link_path,
        in_app=False,  # the link is a secret: the mailbox only
    )


def _invite(session: Session, user: User, now: datetime) -> None:
    link = issue_password_link(session, user_id=user.id or 0, purpose="invite", now=now)
    account_message(session, user, claim_note(link.path, link.hours), now=now)


def _clean_email(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return v.clean_email(text) if text else ""


def register_walk_in(
    session: Session,
    *,
    actor_id: object,
    name: object,
    phone: object,
    email: object = "",
    date_of_birth: object = "",
    now: datetime,
) -> WalkIn:
    """Register a patient at the desk: name and mobile number (unique among patients),
    optionally an email (then the claim invitation is sent) and date of birth."""
    desk = acting_desk(session, actor_id, now=now)
    today = desk.actor.now.date()
    fields = v.collect(
        {
            "name": lambda: v.clean_name(name if isinstance(name, str) else ""),
            "phone": lambda: v.clean_phone(phone if isinstance(phone, str) else ""),
            "email": lambda: _clean_email(email),
            "date_of_birth": lambda: v.clean_date_of_birth(
                date_of_birth if isinstance(date_of_birth, str | date) else "", today=today
            ),
        }
    )
    taken = select(User.id).where(
        col(User.role) == Role.PATIENT.value, col(User.phone) == fields["phone"]
    )
    if session.exec(taken).first() is not None:
        raise ValidationFailed({"phone": DUPLICATE_PHONE})
    if (
        fields["email"]
        and session.exec(select(User.id).where(User.email == fields["email"])).first()
    ):
        raise ValidationFailed({"email": DUPLICATE_EMAIL})
    user = User(
        role=Role.PATIENT,
        name=fields["name"],
        email=fields["email"],
        phone=fields["phone"],
        password_hash=NO_PASSWORD,
        date_of_birth=fields["date_of_birth"],
        created_at=desk.actor.now,
    )
    try:
        session.add(user)
        session.flush()
    except IntegrityError as exc:  # the same email saved at the same moment
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    if not user.email:  # no mailbox: the visit news goes by text
        session.add(
            NotificationPreference(user_id=user.id or 0, updates_sms=True, reminders_sms=True)
        )
    else:
        _invite(session, user, desk.actor.now)
    write_audit(
        session,
        desk.actor,
        "walk_in_registered",
        entity="user",
        entity_id=user.id,
        detail={"invited": bool(user.email)},
    )
    session.flush()
    return WalkIn(patient_id=user.id or 0, invited_email=user.email)


def desk_patient(session: Session, *, actor_id: object, patient_id: object, now: datetime) -> User:
    """The patient account ``patient_id`` for the desk (``NotFound`` for anyone else)."""
    acting_desk(session, actor_id, now=now)
    user = row_by_id(session, User, patient_id)
    if user is None or user.role != Role.PATIENT or not user.is_active:
        raise NotFound(NO_PATIENT)
    return user


def invite_to_claim(
    session: Session, *, actor_id: object, patient_id: object, email: object, now: datetime
) -> str:
    """Send the patient (again) the link to choose a password, adding ``email`` to an
    account that has none. Returns the address it went to."""
    desk = acting_desk(session, actor_id, now=now)
    user = desk_patient(session, actor_id=actor_id, patient_id=patient_id, now=now)
    if has_password(user.password_hash):
        raise Conflict(ALREADY_CLAIMED)
    if not user.email:
        address = v.collect({"email": lambda: _clean_email(email) or v.clean_email("")})["email"]
        if session.exec(select(User.id).where(User.email == address)).first() is not None:
            raise ValidationFailed({"email": DUPLICATE_EMAIL})
        user.email, user.updated_at = address, desk.actor.now
        session.add(user)
        try:
            session.flush()
        except IntegrityError as exc:
            raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    _invite(session, user, desk.actor.now)
    write_audit(session, desk.actor, "claim_invitation_sent", entity="user", entity_id=user.id)
    session.flush()
    return user.email


__all__ = [
    "DUPLICATE_PHONE",
    "PatientMatch",
    "WalkIn",
    "desk_patient",
    "find_patients",
    "invite_to_claim",
    "register_walk_in",
]
