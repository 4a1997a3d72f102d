"""Who may call the patient endpoints (a patient's own appointments, payments, profile),
and what those routes share.

A patient signs in with a bearer token (``POST /auth/token``); the endpoints act for that
patient only, whose id comes from the token, never from the request. Ownership is the
domain's: each query looks for the appointment among the caller's own, so another
patient's appointment answers 404, exactly like one that does not exist (an id is never
confirmed). Doctors and admins are refused (403), as on the website.

**API keys never act as a patient** (403): a key acts for the admin who made it, and an
admin is not a patient, so no key, whatever its scopes, can book, pay, cancel or read a
patient's appointments here. A clinic integration reads appointments with an
``appointments:read`` key through the admin endpoints, where every read and change is
the admin's (and audited as theirs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path
from sqlmodel import Session

from healthcareplus.api.v1.appointment_schemas import MyAppointment
from healthcareplus.api.v1.callers import Caller, signed_in_person
from healthcareplus.api.v1.problems import ApiProblem, problems
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking

ONLY_PATIENTS = "Only patients may do this (API keys act for an admin, never as a patient)."
NO_STORE = {"Cache-Control": "no-store"}  # a patient's health and payment data
PATIENT_REFUSALS = problems("unauthorized", "invalid-token", "forbidden")
AppointmentId = Annotated[
    str, Path(min_length=1, max_length=36, description="The appointment's id (a UUID)")
]


def patient_person(caller: Caller = Depends(signed_in_person)) -> Caller:
    """A patient signed in with a bearer token; 403 for doctors, admins and API keys."""
    if caller.role != Role.PATIENT:
        raise ApiProblem("forbidden", ONLY_PATIENTS)
    return caller


def patient_id(caller: Caller) -> int:
    assert caller.user_id is not None  # a person always has one
    return caller.user_id


def own_appointment(
    session: Session, caller: Caller, appointment_id: str, now: datetime
) -> MyAppointment:
    """The caller's appointment as the API shows it (``NotFound`` for anyone else's)."""
    view = booking.get_appointment(
        session, appointment_id=appointment_id, patient_id=patient_id(caller), now=now
    )
    return MyAppointment.of(view)


__all__ = [
    "NO_STORE",
    "ONLY_PATIENTS",
    "PATIENT_REFUSALS",
    "AppointmentId",
    "own_appointment",
    "patient_id",
    "patient_person",
]
