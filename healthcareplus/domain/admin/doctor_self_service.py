"""A doctor's own profile: what patients read about them (qualifications, languages,
about), their medical registration (printed on every prescription), and requests to
change their consultation fee, which an admin approves or declines (``fee_requests``).

Only the signed-in doctor changes their own profile here; name, specialization, hospital
and fee stay the clinic's to set. A fee request records the fee at the time of asking;
at most one request is pending per doctor (a partial unique index), and the doctor may
withdraw it until an admin decides. These functions flush; the caller's unit of work
commits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit, changes
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Doctor, FeeChangeRequest, FeeRequestStatus, Hospital, Role
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.admins import clean_int
from healthcareplus.domain.admin.doctor_fields import (
    FEE_MAX_RUPEES,
    FEE_MIN_RUPEES,
    clean_languages,
)
from healthcareplus.domain.catalog import doctor_photos as photos

NOT_A_DOCTOR = "Only a doctor can change their own profile."
NO_PENDING = "You have no fee change waiting for a decision."
ALREADY_PENDING = "You already have a fee change waiting for a decision: withdraw it first."
SAME_FEE = "That is your fee already."
# The National Medical Commission and the state medical councils that register doctors.
REGISTRATION_COUNCILS = (
    "National Medical Commission (NMC)",
    "Andhra Pradesh Medical Council",
    "Delhi Medical Council",
    "Gujarat Medical Council",
    "Karnataka Medical Council",
    "Kerala State Medical Councils",
    "Madhya Pradesh Medical Council",
    "Maharashtra Medical Council",
    "Punjab Medical Council",
    "Rajasthan Medical Council",
    "Tamil Nadu Medical Council",
    "Telangana State Medical Council",
    "Uttar Pradesh Medical Council",
    "West Bengal Medical Council",
)
_REGISTRATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/.\- ]{1,29}$")
_EDITABLE = ("qualification", "languages", "about", "registration_number", "registration_council")


@dataclass(frozen=True)
class FeeRequestView:
    id: int
    current_fee_paise: int
    requested_fee_paise: int
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


@dataclass(frozen=True)
class OwnProfile:
    doctor_id: int
    name: str
    specialization: str
    hospital: str
    fee_paise: int
    photo_url: str | None
    qualification: str
    languages: tuple[str, ...]
    about: str
    registration_number: str
    registration_council: str
    latest_fee_request: FeeRequestView | None  # pending, or the last one decided


def fee_request_view(request: FeeChangeRequest) -> FeeRequestView:
    return FeeRequestView(
        id=request.id or 0,
        current_fee_paise=request.current_fee_paise,
        requested_fee_paise=request.requested_fee_paise,
        reason=request.reason,
        status=request.status,
        requested_at=request.requested_at,
        decided_at=request.decided_at,
        decision_note=request.decision_note,
    )


def own_doctor(session: Session, actor_id: object) -> Doctor:
    """The active doctor profile of the signed-in doctor ``actor_id``; ``Forbidden`` else."""
    user = acting_user(session, actor_id, Role.DOCTOR, refusal=NOT_A_DOCTOR)
    doctor = session.exec(select(Doctor).where(col(Doctor.user_id) == user.id)).first()
    if doctor is None or doctor.id is None or not doctor.is_active:
        raise Forbidden(NOT_A_DOCTOR)
    return doctor


def _latest_request(session: Session, doctor_id: int) -> FeeChangeRequest | None:
    query = (
        select(FeeChangeRequest)
        .where(col(FeeChangeRequest.doctor_id) == doctor_id)
        .order_by(col(FeeChangeRequest.requested_at).desc(), col(FeeChangeRequest.id).desc())
    )
    return session.exec(query.limit(1)).first()


def _profile(session: Session, doctor: Doctor) -> OwnProfile:
    hospital = session.get(Hospital, doctor.hospital_id)
    latest = _latest_request(session, doctor.id or 0)
    return OwnProfile(
        doctor_id=doctor.id or 0,
        name=doctor.name,
        specialization=doctor.specialization,
        hospital=hospital.name if hospital else "",
        fee_paise=doctor.fee_paise,
        photo_url=doctor.photo_url,
        qualification=doctor.qualification,
        languages=tuple(doctor.languages),
        about=doctor.about,
        registration_number=doctor.registration_number,
        registration_council=doctor.registration_council,
        latest_fee_request=fee_request_view(latest) if latest else None,
    )


def own_profile(session: Session, *, actor_id: object) -> OwnProfile:
    return _profile(session, own_doctor(session, actor_id))


def clean_registration(number: object, council: object) -> tuple[str, str]:
    """A registration number and its council, both or neither."""
    text = " ".join(number.split()) if isinstance(number, str) else ""
    chosen = v.clean_choice(
        council if isinstance(council, str) else "", REGISTRATION_COUNCILS, "council"
    )
    if text and not _REGISTRATION.match(text):
        raise v.FieldError("Use the number as your council issued it: letters, digits, / . -")
    if bool(text) != bool(chosen):
        raise v.FieldError("Give both the registration number and the council that issued it")
    return text.upper(), chosen or ""


def _profile_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str:
        value = values.get(key, "")
        return value if isinstance(value, str) else ""

    def qualification() -> str:
        cleaned = v.clean_text(text("qualification"), max_length=200, label="Qualification")
        if len(cleaned) < 2:
            raise v.FieldError("Enter your qualifications")
        return cleaned

    cleaned = v.collect(
        {
            "qualification": qualification,
            "languages": lambda: clean_languages(values.get("languages", "")),
            "about": lambda: v.clean_text(text("about"), max_length=2000, label="About"),
            "registration_number": lambda: clean_registration(
                values.get("registration_number"), values.get("registration_council")
            ),
        }
    )
    number, council = cleaned.pop("registration_number")
    return {**cleaned, "registration_number": number, "registration_council": council}


def update_own_profile(
    session: Session, *, actor_id: object, values: Mapping[str, Any], now: datetime
) -> OwnProfile:
    """Save the doctor's own qualifications, languages, about and registration (audited)."""
    doctor = own_doctor(session, actor_id)
    columns = _profile_columns(values if isinstance(values, Mapping) else {})
    changed = changes(doctor, columns, _EDITABLE)
    for key, value in columns.items():
        setattr(doctor, key, value)
    session.add(doctor)
    if changed:
        by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
        detail = {"changes": changed}
        audit(
            session,
            by,
            "doctor_profile_updated",
            entity="doctor",
            entity_id=doctor.id,
            detail=detail,
        )
    session.flush()
    return _profile(session, doctor)


def request_fee_change(
    session: Session, *, actor_id: object, fee_rupees: object, reason: object, now: datetime
) -> OwnProfile:
    """Ask the clinic for a new consultation fee (one pending request at a time)."""
    doctor = own_doctor(session, actor_id)
    cleaned = v.collect(
        {
            "fee_rupees": lambda: clean_int(
                fee_rupees, low=FEE_MIN_RUPEES, high=FEE_MAX_RUPEES, label="fee"
            ),
            "reason": lambda: v.clean_text(
                reason if isinstance(reason, str) else "", max_length=500, label="Reason"
            ),
        }
    )
    requested = int(cleaned["fee_rupees"]) * 100
    if requested == doctor.fee_paise:
        raise ValidationFailed({"fee_rupees": SAME_FEE})
    request = FeeChangeRequest(
        doctor_id=doctor.id or 0,
        current_fee_paise=doctor.fee_paise,
        requested_fee_paise=requested,
        reason=cleaned["reason"],
        requested_at=utc(now),
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:  # one pending request per doctor (uq_fee_change_requests_pending)
        raise Conflict(ALREADY_PENDING) from None
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    detail = {"from_paise": doctor.fee_paise, "to_paise": requested}
    audit(session, by, "fee_change_requested", entity="doctor", entity_id=doctor.id, detail=detail)
    session.flush()
    return _profile(session, doctor)


def withdraw_fee_request(session: Session, *, actor_id: object, now: datetime) -> OwnProfile:
    """Take back the pending fee request before an admin decides (a compare-and-set: an
    admin deciding at the same moment wins or loses as a whole)."""
    doctor = own_doctor(session, actor_id)
    withdrawn = session.exec(
        update(FeeChangeRequest)
        .where(
            col(FeeChangeRequest.doctor_id) == doctor.id,
            col(FeeChangeRequest.status) == FeeRequestStatus.PENDING,
        )
        .values(status=FeeRequestStatus.WITHDRAWN, decided_at=utc(now))
        .execution_options(synchronize_session=False)
    )
    if withdrawn.rowcount != 1:
        raise NotFound(NO_PENDING)
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    audit(session, by, "fee_change_withdrawn", entity="doctor", entity_id=doctor.id)
    session.flush()
    session.expire_all()
    return _profile(session, doctor)


def set_own_photo(
    session: Session, *, actor_id: object, data: bytes, upload_dir: Path, now: datetime
) -> photos.DoctorPhoto:
    """Set (or replace) the signed-in doctor's own photo from an uploaded file's bytes
    (checked and processed by ``catalog.doctor_photos``, audited as the doctor)."""
    doctor = own_doctor(session, actor_id)
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    upload = data if isinstance(data, bytes) else b""
    return photos.change_photo(session, by=by, doctor=doctor, data=upload, upload_dir=upload_dir)


def remove_own_photo(
    session: Session, *, actor_id: object, upload_dir: Path, now: datetime
) -> photos.DoctorPhoto:
    """Remove the signed-in doctor's own photo (patients see their initials again)."""
    doctor = own_doctor(session, actor_id)
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    return photos.change_photo(session, by=by, doctor=doctor, data=None, upload_dir=upload_dir)


__all__ = [
    "REGISTRATION_COUNCILS",
    "FeeRequestView",
    "OwnProfile",
    "clean_registration",
    "fee_request_view",
    "own_doctor",
    "own_profile",
    "remove_own_photo",
    "request_fee_change",
    "set_own_photo",
    "update_own_profile",
    "withdraw_fee_request",
]
