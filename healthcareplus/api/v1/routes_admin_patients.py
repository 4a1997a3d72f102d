"""Admin: patients. Search, one patient's profile and appointments, editing their details
(the rules of their own profile page), and blocking or unblocking them (a blocked patient
is signed out everywhere, cannot sign in or book, and is told). The same domain
functions as the admin's patient pages; every change is audited as the admin.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from healthcareplus.api.v1.admin_people_schemas import (
    ChangeReason,
    PatientEditIn,
    PatientList,
    PatientOut,
    PatientRowOut,
    PatientVisitOut,
    PatientVisits,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import (
    ADMIN_REFUSALS,
    Id,
    PageInfo,
    PageNumber,
    PageSize,
    actor,
    admin_reader,
    admin_writer,
    one_of,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.admin import patients as svc
from healthcareplus.domain.admin.patient_history import patient_history

router = APIRouter(prefix="/admin/patients", tags=["Admin: patients"])
READ = "Needs admin:read."
WRITE = "Needs admin:write. Audited (the fields changed, never their medical values)."
ONE = {**ADMIN_REFUSALS, **problems(404, 422)}
CHANGE = {**ADMIN_REFUSALS, **problems(404, 409, 422)}


@router.get(
    "",
    response_model=PatientList,
    summary="Search patients",
    description=(
        "Patients matching every word of `q` in their name, email or phone (digits, any "
        f"spacing), newest first, a page at a time. {READ}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def search(
    q: Annotated[str, Query(max_length=100)] = "",
    state: Annotated[
        str, Query(alias="status", json_schema_extra={"enum": list(svc.STATUSES)})
    ] = "all",
    page: PageNumber = 1,
    page_size: PageSize = 20,
    caller: Caller = Depends(admin_reader),
) -> PatientList:
    with session_scope() as db:
        found = svc.search_patients(
            db,
            q=q,
            status=one_of(state, svc.STATUSES, "status"),
            page=page,
            page_size=page_size,
        )
    return PatientList(
        items=[PatientRowOut.model_validate(row) for row in found.items],
        page=PageInfo.of(found.paging),
    )


@router.get(
    "/{patient_id}",
    response_model=PatientOut,
    summary="One patient",
    description=f"The profile (medical details included) and the account's state. {READ}",
    responses=ONE,
)
def get_patient(patient_id: Id, caller: Caller = Depends(admin_reader)) -> PatientOut:
    with session_scope() as db:
        return PatientOut.model_validate(svc.get_patient(db, patient_id=patient_id))


@router.get(
    "/{patient_id}/appointments",
    response_model=PatientVisits,
    summary="A patient's appointments",
    description=f"Latest first, with the doctor, the status and the payment. {READ}",
    responses=ONE,
)
def appointments(
    patient_id: Id,
    page: PageNumber = 1,
    page_size: PageSize = 10,
    caller: Caller = Depends(admin_reader),
) -> PatientVisits:
    with session_scope() as db:
        found = patient_history(
            db, patient_id=patient_id, now=utcnow(), page=page, page_size=page_size
        )
    return PatientVisits(
        items=[PatientVisitOut.model_validate(row) for row in found.items],
        page=PageInfo.of(found.paging),
    )


@router.put(
    "/{patient_id}",
    response_model=PatientOut,
    summary="Edit a patient's details",
    description=f"Name, phone, date of birth, gender, blood group, allergies, history. {WRITE}",
    responses=ONE,
)
def update_patient(
    patient_id: Id, body: PatientEditIn, caller: Caller = Depends(admin_writer)
) -> PatientOut:
    with session_scope() as db:
        detail = svc.update_patient(
            db, patient_id=patient_id, **body.model_dump(), **actor(caller), now=utcnow()
        )
    return PatientOut.model_validate(detail)


@router.post(
    "/{patient_id}/block",
    response_model=PatientOut,
    summary="Block a patient",
    description=(
        "Signed out everywhere at once; no sign-in and no booking until unblocked "
        "(appointments already booked stay). The reason (3 to 500 characters) is kept and "
        f"the patient is told. 409 when already blocked. {WRITE}"
    ),
    responses=CHANGE,
)
def block(patient_id: Id, body: ChangeReason, caller: Caller = Depends(admin_writer)) -> PatientOut:
    with session_scope() as db:
        detail = svc.block_patient(
            db, patient_id=patient_id, reason=body.reason, **actor(caller), now=utcnow()
        )
    return PatientOut.model_validate(detail)


@router.post(
    "/{patient_id}/unblock",
    response_model=PatientOut,
    summary="Unblock a patient",
    description=(
        "They may sign in and book again, and are told; the body (an optional reason) may be "
        f"left out. 409 when not blocked. {WRITE}"
    ),
    responses=CHANGE,
)
def unblock(
    patient_id: Id, body: ChangeReason | None = None, caller: Caller = Depends(admin_writer)
) -> PatientOut:
    reason = body.reason if body else ""
    with session_scope() as db:
        detail = svc.unblock_patient(
            db, patient_id=patient_id, reason=reason, **actor(caller), now=utcnow()
        )
    return PatientOut.model_validate(detail)


__all__ = ["router"]
