"""The doctor portal's visits: today and the week ahead, one visit (the patient's medical
profile, earlier visits, the treatment record), writing the record, and closing a visit
(completed, no-show, cancelled).

For a doctor signed in with a bearer token; the doctor is the caller's own profile. A
visit of another doctor answers 404, exactly like one that does not exist. The same
domain functions as the website's doctor portal, with the same arguments and refusals.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlmodel import Session

from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.doctor_portal_schemas import (
    CancelIn,
    DoctorDay,
    Outcome,
    TreatmentIn,
    TreatmentOut,
    VisitOut,
)
from healthcareplus.api.v1.idempotency import (
    IDEMPOTENCY_PROBLEMS,
    Idempotent,
    idempotency,
    json_answer,
)
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import DOCTOR_REFUSALS, AppointmentId, doctor_id_of, doctor_person
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.domain.clinical import doctor_day
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.domain.clinical.prescription_pdf import prescription_filename, prescription_pdf

router = APIRouter(prefix="/doctor", tags=["Doctor portal"])
DOCTORS = "For doctors signed in with a bearer token; only your own visits (others: 404)."
CLOSING = "Audited; the patient is told (in the app and as they chose)."


@router.get(
    "/dashboard",
    response_model=DoctorDay,
    summary="Today and the week ahead",
    description=(
        "Your visits today in time order, the next seven days, confirmed visits already "
        "started that still need closing, and counts. Payment holds that lapsed are left "
        f"out. {DOCTORS}"
    ),
    responses=DOCTOR_REFUSALS,
)
def dashboard(caller: Caller = Depends(doctor_person)) -> DoctorDay:
    with session_scope() as db:
        board = doctor_day.dashboard(db, doctor_id=doctor_id_of(db, caller), now=utcnow())
    return DoctorDay.of(board)


@router.get(
    "/visits/{appointment_id}",
    response_model=VisitOut,
    summary="One visit",
    description=(
        "The visit, the patient's medical profile (age, gender, blood group, allergies, "
        "history, phone), their earlier visits with you (latest first, with the diagnosis), "
        f"the treatment record if written, and which closing actions are open now. {DOCTORS}"
    ),
    responses={**DOCTOR_REFUSALS, **problems(404, 422)},
)
def visit(appointment_id: AppointmentId, caller: Caller = Depends(doctor_person)) -> VisitOut:
    with session_scope() as db:
        detail = doctor_day.visit(
            db, doctor_id=doctor_id_of(db, caller), appointment_id=appointment_id, now=utcnow()
        )
    return VisitOut.of(detail)


def _record(caller: Caller, appointment_id: str) -> treatments.TreatmentRecord:
    with session_scope() as db:
        found = treatments.treatment_for_doctor(
            db, doctor_id=doctor_id_of(db, caller), appointment_id=appointment_id
        )
    if found is None:
        raise NotFound(treatments.NO_RECORD)
    return found


@router.get(
    "/visits/{appointment_id}/treatment",
    response_model=TreatmentOut,
    summary="The visit's treatment record",
    description=f"404 while none has been written. {DOCTORS}",
    responses={**DOCTOR_REFUSALS, **problems(404, 422)},
)
def treatment(
    appointment_id: AppointmentId, caller: Caller = Depends(doctor_person)
) -> TreatmentOut:
    return TreatmentOut.of(_record(caller, appointment_id))


@router.put(
    "/visits/{appointment_id}/treatment",
    response_model=TreatmentOut,
    summary="Write the treatment record",
    description=(
        "Creates or replaces the record and its prescription (up to 20 lines), once the "
        "visit has started, while it is confirmed or completed (409 otherwise). The patient "
        f"reads it, and downloads the prescription, once the visit is completed. {DOCTORS}"
    ),
    responses={**DOCTOR_REFUSALS, **problems(404, 409, 422)},
)
def save_treatment(
    appointment_id: AppointmentId, body: TreatmentIn, caller: Caller = Depends(doctor_person)
) -> TreatmentOut:
    with session_scope() as db:
        record = treatments.save_treatment(
            db,
            doctor_id=doctor_id_of(db, caller),
            appointment_id=appointment_id,
            visit_type=body.visit_type,
            diagnosis=body.diagnosis,
            notes=body.notes,
            items=[line.model_dump() for line in body.items],
            actor_id=caller.user_id or 0,
            now=utcnow(),
        )
    return TreatmentOut.of(record)


@router.get(
    "/visits/{appointment_id}/prescription.pdf",
    response_class=Response,
    summary="The prescription as a PDF",
    description=f"The treatment record printed on the hospital's letterhead. {DOCTORS}",
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **DOCTOR_REFUSALS,
        **problems(404, 422),
    },
)
def prescription(
    appointment_id: AppointmentId, caller: Caller = Depends(doctor_person)
) -> Response:
    record = _record(caller, appointment_id)
    filename = prescription_filename(record)
    return Response(
        prescription_pdf(record),
        media_type="application/pdf",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@router.post(
    "/visits/{appointment_id}/complete",
    response_model=Outcome,
    summary="Mark the visit completed",
    description=f"A confirmed visit whose start time has come (409 otherwise). {CLOSING} {DOCTORS}",
    responses={**DOCTOR_REFUSALS, **problems(404, 409, 422)},
)
def complete(appointment_id: AppointmentId, caller: Caller = Depends(doctor_person)) -> Outcome:
    with session_scope() as db:
        done = doctor_day.mark_completed(
            db,
            doctor_id=doctor_id_of(db, caller),
            appointment_id=appointment_id,
            actor_id=caller.user_id or 0,
            now=utcnow(),
        )
    return Outcome.of(done)


@router.post(
    "/visits/{appointment_id}/no-show",
    response_model=Outcome,
    summary="Mark the patient a no-show",
    description=f"A confirmed visit whose start has passed (409 otherwise). {CLOSING} {DOCTORS}",
    responses={**DOCTOR_REFUSALS, **problems(404, 409, 422)},
)
def no_show(appointment_id: AppointmentId, caller: Caller = Depends(doctor_person)) -> Outcome:
    with session_scope() as db:
        done = doctor_day.mark_no_show(
            db,
            doctor_id=doctor_id_of(db, caller),
            appointment_id=appointment_id,
            actor_id=caller.user_id or 0,
            now=utcnow(),
        )
    return Outcome.of(done)


@router.post(
    "/visits/{appointment_id}/cancel",
    response_model=Outcome,
    summary="Cancel the visit",
    description=(
        "A visit still ahead (or a booking awaiting payment), with a reason the patient "
        "sees; a paid one is refunded. A visit already started is closed instead (409). "
        f"{CLOSING} {DOCTORS}"
    ),
    responses={**DOCTOR_REFUSALS, **problems(404, 409, 422), **IDEMPOTENCY_PROBLEMS},
)
def cancel(
    appointment_id: AppointmentId,
    body: CancelIn,
    once: Annotated[Idempotent, Depends(idempotency)],
    caller: Caller = Depends(doctor_person),
) -> Response:
    """Takes an Idempotency-Key: a retry never cancels (or refunds) twice."""
    return once.run(lambda db: json_answer(_cancel(db, caller, appointment_id, body)))


def _cancel(db: Session, caller: Caller, appointment_id: str, body: CancelIn) -> Outcome:
    done = doctor_day.cancel_visit(
        db,
        doctor_id=doctor_id_of(db, caller),
        appointment_id=appointment_id,
        actor_id=caller.user_id or 0,
        reason=body.reason,
        now=utcnow(),
    )
    return Outcome.of(done)


__all__ = ["router"]
