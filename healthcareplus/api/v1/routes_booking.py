"""A patient books a slot, cancels and reschedules: the booking page's and the
appointments page's own domain functions (``booking.appointments``), so every rule and
message is the website's.

Each takes an ``Idempotency-Key`` (``idempotency``): a retry gets the first answer, so a
booking made by a request whose answer was lost is never made twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response, status
from sqlmodel import Session

from healthcareplus.api.v1.appointment_schemas import (
    BookingIn,
    CancellationIn,
    MyAppointment,
    RescheduleIn,
    appointment_path,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.idempotency import (
    IDEMPOTENCY_PROBLEMS,
    Idempotent,
    idempotency,
    json_answer,
)
from healthcareplus.api.v1.patients import (
    NO_STORE,
    PATIENT_REFUSALS,
    AppointmentId,
    own_appointment,
    patient_id,
    patient_person,
)
from healthcareplus.api.v1.problems import problems
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking

router = APIRouter(tags=["Patient: appointments"])
Patient = Annotated[Caller, Depends(patient_person)]
Once = Annotated[Idempotent, Depends(idempotency)]
PATIENTS_ONLY = "For patients signed in with a bearer token; API keys are refused (403)."
CHANGE_PROBLEMS = {**PATIENT_REFUSALS, **problems(404, 409, 422), **IDEMPOTENCY_PROBLEMS}


@router.post(
    "/appointments",
    response_model=MyAppointment,
    status_code=status.HTTP_201_CREATED,
    summary="Book a slot (hold it for payment)",
    description=(
        "Holds a free slot of the doctor (`start_at` from `/doctors/{id}/slots`) for you: "
        "the booking is `pending_payment` until paid (`POST /appointments/{id}/payment`) "
        "or until its hold runs out (`hold_expires_at`, HCP_HOLD_MINUTES), when the slot "
        "is free again. The database allows one booking per slot: of any number of "
        "patients booking the same slot at once, one gets 201 and every other 409 "
        "`slot-unavailable`. You cannot hold two appointments at the same time (409). "
        "`Location` names the new appointment. Send an `Idempotency-Key` so that a retry "
        f"never books twice. {PATIENTS_ONLY}"
    ),
    responses={**CHANGE_PROBLEMS, **problems("slot-unavailable")},
)
def book(caller: Patient, once: Once, body: BookingIn) -> Response:
    def work(db: Session) -> Response:
        now = utcnow()
        held = booking.book(
            db,
            patient_id=patient_id(caller),
            doctor_id=body.doctor_id,
            start_at=body.start_at,
            reason=body.reason,
            now=now,
            dependant_id=body.dependant_id,
        )
        out = own_appointment(db, caller, held.id, now)
        location = {"Location": appointment_path(out.id), **NO_STORE}
        return json_answer(out, status_code=status.HTTP_201_CREATED, headers=location)

    return once.run(work)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response_model=MyAppointment,
    summary="Cancel an appointment",
    description=(
        "Cancels your confirmed appointment, or your booking awaiting payment, before it "
        "starts; the reason is optional. A paid appointment is refunded: the answer's "
        "`refund` says how much (the gateway is told in the background). Not while a "
        f"payment is being processed (409). Send an `Idempotency-Key`. {PATIENTS_ONLY}"
    ),
    responses=CHANGE_PROBLEMS,
)
def cancel(
    caller: Patient,
    once: Once,
    appointment_id: AppointmentId,
    body: Annotated[CancellationIn | None, Body()] = None,
) -> Response:
    def work(db: Session) -> Response:
        now = utcnow()
        booking.cancel(
            db,
            appointment_id=appointment_id,
            actor_id=patient_id(caller),
            actor_role=Role.PATIENT,
            reason=body.reason if body else None,
            now=now,
        )
        return json_answer(own_appointment(db, caller, appointment_id, now), headers=NO_STORE)

    return once.run(work)


@router.post(
    "/appointments/{appointment_id}/reschedule",
    response_model=MyAppointment,
    summary="Move an appointment to another slot",
    description=(
        "Moves your confirmed appointment, before it starts, to another free slot of the "
        "same doctor, with the booking's rules (409 `slot-unavailable` when it is not "
        "free). The old slot is let go in the same step, never before the new one is "
        f"held; the payment stays with the appointment. Send an `Idempotency-Key`. "
        f"{PATIENTS_ONLY}"
    ),
    responses={**CHANGE_PROBLEMS, **problems("slot-unavailable")},
)
def reschedule(
    caller: Patient, once: Once, appointment_id: AppointmentId, body: RescheduleIn
) -> Response:
    def work(db: Session) -> Response:
        now = utcnow()
        booking.reschedule(
            db,
            appointment_id=appointment_id,
            patient_id=patient_id(caller),
            new_start_at=body.start_at,
            now=now,
        )
        return json_answer(own_appointment(db, caller, appointment_id, now), headers=NO_STORE)

    return once.run(work)


__all__ = ["router"]
