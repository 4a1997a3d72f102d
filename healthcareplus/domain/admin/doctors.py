"""The admin's changes to doctors: add (with a login and a default timetable), edit the
profile, deactivate and reactivate. Reading is ``doctor_views``, field validation
``doctor_fields``, the weekly schedule editor ``doctor_schedule``, the bookings to
follow up on ``doctor_follow_ups`` and the emailed invitations ``doctor_invitations``.

A new doctor's login has no password: the doctor is emailed a single-use link to choose
one (nobody else ever knows it), and the admin may resend it until it has been used.

Deactivation is a flag: patient search, profiles and booking already filter on
``Doctor.is_active``, so an inactive doctor vanishes for patients at once. Appointments
already booked stay; the admin gets the future ones back to follow up with the patients.
The doctor's login follows the flag: deactivating signs them out everywhere and they
cannot sign in until reactivated.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Unpack

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from healthcareplus.core import validation as v
from healthcareplus.core.audit import audit, changes
from healthcareplus.core.errors import Conflict, ValidationFailed
from healthcareplus.core.models import Doctor, DoctorSchedule, Role, User
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.accounts.admins import DUPLICATE_EMAIL, email_in_use
from healthcareplus.domain.accounts.passwords import NO_PASSWORD
from healthcareplus.domain.accounts.sessions import revoke_all_sessions
from healthcareplus.domain.admin.doctor_fields import DoctorProfileForm, profile_fields
from healthcareplus.domain.admin.doctor_follow_ups import FollowUp, future_appointments
from healthcareplus.domain.admin.doctor_invitations import (
    Invitation,
    invite_login,
    pending_invitations,
    resend_invitation,
)
from healthcareplus.domain.admin.doctor_views import DoctorDetail, doctor_detail, require_doctor
from healthcareplus.domain.catalog.specializations import DEPARTMENTS

# Mon–Sat 09:00–13:00 and 14:00–17:00 in 15-minute slots.
DEFAULT_SCHEDULE: tuple[tuple[int, str, str, int], ...] = tuple(
    block
    for day in range(6)
    for block in ((day, "09:00", "13:00", 15), (day, "14:00", "17:00", 15))
)
# The profile columns an edit may change (the department follows the specialization).
_EDITABLE = (
    "name",
    "specialization",
    "qualification",
    "experience_years",
    "fee_paise",
    "gender",
    "languages",
    "hospital_id",
    "phone",
    "about",
)


@dataclass(frozen=True)
class CreatedDoctor:
    doctor: DoctorDetail
    login_email: str
    invitation: Invitation  # the emailed set-your-password link (never shown in the app)


@dataclass(frozen=True)
class ActivationResult:
    doctor: DoctorDetail
    follow_ups: tuple[FollowUp, ...]
    follow_up_total: int


def _profile_columns(session: Session, form: DoctorProfileForm) -> dict[str, Any]:
    """The profile form cleaned into ``Doctor`` columns (fee in paise, the department of
    the specialization), or ``ValidationFailed`` naming every bad field."""
    fields = profile_fields(session, form)
    fields["fee_paise"] = fields.pop("fee_rupees") * 100
    fields["department"] = DEPARTMENTS[fields["specialization"]]
    return fields


def _new_columns(session: Session, form: DoctorProfileForm, email: Any) -> dict[str, Any]:
    """A new doctor's columns with their (unused) email; ``ValidationFailed`` names every
    bad field, the email's included."""
    failed: dict[str, str] = {}
    try:
        columns = _profile_columns(session, form)
    except ValidationFailed as exc:
        failed, columns = dict(exc.fields), {}
    try:
        columns["email"] = v.clean_email(email if isinstance(email, str) else "")
        if email_in_use(session, columns["email"]):
            failed["email"] = DUPLICATE_EMAIL
    except v.FieldError as exc:
        failed["email"] = str(exc)
    if failed:
        raise ValidationFailed(failed)
    return columns


def create_doctor(
    session: Session,
    *,
    email: str,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
    **profile: Unpack[DoctorProfileForm],
) -> CreatedDoctor:
    """A doctor profile, its login (role doctor, no password yet), the default weekly
    schedule and the emailed invitation to set a password, all in the caller's
    transaction."""
    by = acting_admin(session, actor_id, actor_role, now)
    columns = _new_columns(session, profile, email)
    login = {key: columns[key] for key in ("name", "email", "phone")}
    user = User(role=Role.DOCTOR, **login, password_hash=NO_PASSWORD, created_at=by.now)
    doctor = Doctor(**columns, is_active=True)
    try:
        # A concurrent save that took the same unique value fails the flush: the
        # domain error below makes the caller's unit of work roll back.
        session.add(user)
        session.flush()
        doctor.user_id = user.id
        session.add(doctor)
        session.flush()
        assert doctor.id is not None
        session.add_all(
            DoctorSchedule(
                doctor_id=doctor.id,
                weekday=w,
                start_time=time.fromisoformat(s),
                end_time=time.fromisoformat(e),
                slot_minutes=m,
            )
            for w, s, e, m in DEFAULT_SCHEDULE
        )
        invitation = invite_login(session, user, doctor, now=by.now)
        detail = {
            "name": doctor.name,
            "email": doctor.email,
            "hospital_id": doctor.hospital_id,
            "invitation_hours": invitation.hours,
        }
        audit(session, by, "doctor_created", entity="doctor", entity_id=doctor.id, detail=detail)
        session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"email": DUPLICATE_EMAIL}) from exc
    return CreatedDoctor(
        doctor=doctor_detail(session, doctor), login_email=user.email, invitation=invitation
    )


def update_doctor(
    session: Session,
    *,
    doctor_id: int,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
    **profile: Unpack[DoctorProfileForm],
) -> DoctorDetail:
    """Edit the profile, fee and hospital; the linked login keeps the same name and phone.
    Appointments already booked keep their fee and hospital."""
    by = acting_admin(session, actor_id, actor_role, now)
    doctor = require_doctor(session, doctor_id)
    columns = _profile_columns(session, profile)
    changed = changes(doctor, columns, _EDITABLE)
    for key, value in columns.items():
        setattr(doctor, key, value)
    session.add(doctor)
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is not None:
        login.name, login.phone, login.updated_at = doctor.name, doctor.phone, by.now
        session.add(login)
    if changed:
        detail = {"changes": changed}
        audit(session, by, "doctor_updated", entity="doctor", entity_id=doctor_id, detail=detail)
    session.flush()
    return doctor_detail(session, doctor)


def set_active(
    session: Session,
    *,
    doctor_id: int,
    active: bool,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    reason: str = "",
    now: datetime,
) -> ActivationResult:
    """Deactivate (hidden from patients, not bookable, the login signed out everywhere and
    refused) or reactivate a doctor. Deactivating returns the future confirmed and held
    bookings so the clinic can call the patients."""
    by = acting_admin(session, actor_id, actor_role, now)
    if type(active) is not bool:
        raise ValidationFailed({"active": "Say whether the doctor should be active"})
    doctor = require_doctor(session, doctor_id)
    text = reason if isinstance(reason, str) else ""
    note = v.collect({"reason": lambda: v.clean_text(text, max_length=500, label="Reason")})
    if doctor.is_active == active:
        state = "active" if active else "inactive"
        raise Conflict(f"{doctor.name} is already {state}.")
    doctor.is_active = active
    session.add(doctor)
    follow_ups, total = (
        ((), 0) if active else future_appointments(session, doctor_id=doctor_id, now=by.now)
    )
    detail: dict[str, Any] = {} if active else {"future_appointments": total}
    login = session.get(User, doctor.user_id) if doctor.user_id else None
    if login is not None:
        login.is_active, login.updated_at = active, by.now
        session.add(login)
        if not active:
            detail["sessions_ended"] = revoke_all_sessions(
                session, user_id=login.id or 0, now=by.now, reason="doctor_deactivated"
            )
    audit(
        session,
        by,
        "doctor_reactivated" if active else "doctor_deactivated",
        entity="doctor",
        entity_id=doctor_id,
        reason=note["reason"],
        detail=detail,
    )
    session.flush()
    return ActivationResult(
        doctor=doctor_detail(session, doctor), follow_ups=follow_ups, follow_up_total=total
    )


__all__ = [
    "DEFAULT_SCHEDULE",
    "ActivationResult",
    "CreatedDoctor",
    "Invitation",
    "create_doctor",
    "pending_invitations",  # re-exported from doctor_invitations
    "resend_invitation",  # re-exported from doctor_invitations
    "set_active",
    "update_doctor",
]
