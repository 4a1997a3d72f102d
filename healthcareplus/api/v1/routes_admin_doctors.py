"""Admin: doctors. The list, one doctor, adding one (their login is invited by email to
choose a password), editing the profile and the weekly hours, deactivating and
reactivating, and resending a pending invitation. The same domain functions as the
admin's doctor pages, the same rules; every change is audited as the admin.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse

from healthcareplus.api.v1.admin_people_schemas import (
    ActivationOut,
    ChangeReason,
    CreatedDoctorOut,
    DoctorList,
    DoctorOut,
    DoctorProfileIn,
    DoctorRowOut,
    FollowUpOut,
    FollowUps,
    InvitationOut,
    NewDoctorIn,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import (
    ADMIN_REFUSALS,
    MAX_ID,
    Id,
    PageInfo,
    PageNumber,
    PageSize,
    actor,
    admin_reader,
    admin_writer,
    one_of,
)
from healthcareplus.api.v1.schedule_schemas import (
    CONFLICT_409,
    AffectedOut,
    BlockOut,
    WeeklyHours,
    WeeklyHoursIn,
    conflict_response,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.admin import doctor_schedule, doctor_views
from healthcareplus.domain.admin import doctors as svc
from healthcareplus.domain.admin.doctor_follow_ups import future_appointments
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleConflict

router = APIRouter(prefix="/admin/doctors", tags=["Admin: doctors"])
READ = "Needs admin:read."
WRITE = "Needs admin:write. Audited."
ONE = {**ADMIN_REFUSALS, **problems(404, 422)}
CHANGE = {**ADMIN_REFUSALS, **problems(404, 409, 422)}


@router.get(
    "",
    response_model=DoctorList,
    summary="Doctors",
    description=(
        "Active and inactive doctors by name, a page at a time; `q` matches words of the "
        f"name or specialization. {READ}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def list_doctors(
    q: Annotated[str, Query(max_length=100)] = "",
    hospital_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    state: Annotated[
        str, Query(alias="status", json_schema_extra={"enum": list(doctor_views.STATUSES)})
    ] = "all",
    page: PageNumber = 1,
    page_size: PageSize = 20,
    caller: Caller = Depends(admin_reader),
) -> DoctorList:
    with session_scope() as db:
        found = doctor_views.list_doctors(
            db,
            q=q,
            hospital_id=hospital_id,
            status=one_of(state, doctor_views.STATUSES, "status"),
            page=page,
            page_size=page_size,
        )
        pending = svc.pending_invitations(db, [row.id for row in found.items])
    items = [
        DoctorRowOut.model_validate({**vars(row), "invitation_pending": row.id in pending})
        for row in found.items
    ]
    return DoctorList(items=items, page=PageInfo.of(found.paging))


@router.post(
    "",
    response_model=CreatedDoctorOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a doctor",
    description=(
        "The profile, a sign-in account for the email (role doctor) and the default weekly "
        "hours (Mon–Sat 09:00–13:00 and 14:00–17:00). The doctor is emailed a single-use "
        "link to choose a password: nobody else ever knows it. Refused fields are listed "
        f"(the email when already in use). {WRITE}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def create_doctor(
    body: NewDoctorIn, response: Response, caller: Caller = Depends(admin_writer)
) -> CreatedDoctorOut:
    fields = body.model_dump()
    with session_scope() as db:
        made = svc.create_doctor(db, **fields, **actor(caller), now=utcnow())
    response.headers["Location"] = f"{router.prefix}/{made.doctor.id}"
    return CreatedDoctorOut.model_validate(made)


@router.get(
    "/{doctor_id}",
    response_model=DoctorOut,
    summary="One doctor",
    description=f"The whole profile, its hospital and its sign-in email. {READ}",
    responses=ONE,
)
def get_doctor(doctor_id: Id, caller: Caller = Depends(admin_reader)) -> DoctorOut:
    with session_scope() as db:
        return DoctorOut.model_validate(doctor_views.get_doctor(db, doctor_id=doctor_id))


@router.put(
    "/{doctor_id}",
    response_model=DoctorOut,
    summary="Edit a doctor",
    description=(
        "The whole profile, fee and hospital (the login keeps the same name and phone). "
        f"Appointments already booked keep their fee and hospital. {WRITE}"
    ),
    responses=ONE,
)
def update_doctor(
    doctor_id: Id, body: DoctorProfileIn, caller: Caller = Depends(admin_writer)
) -> DoctorOut:
    with session_scope() as db:
        detail = svc.update_doctor(
            db, doctor_id=doctor_id, **body.model_dump(), **actor(caller), now=utcnow()
        )
    return DoctorOut.model_validate(detail)


def _follow_ups(items: tuple[object, ...], total: int) -> FollowUps:
    return FollowUps(items=[FollowUpOut.model_validate(i) for i in items], total=total)


@router.post(
    "/{doctor_id}/deactivate",
    response_model=ActivationOut,
    summary="Deactivate a doctor",
    description=(
        "Hidden from patients and not bookable at once; the doctor is signed out everywhere "
        "and cannot sign in. Booked appointments stay: the answer lists the future ones to "
        "follow up with the patients. The body (an optional reason) may be left out. 409 "
        f"when already inactive. {WRITE}"
    ),
    responses=CHANGE,
)
def deactivate(
    doctor_id: Id, body: ChangeReason | None = None, caller: Caller = Depends(admin_writer)
) -> ActivationOut:
    return _set_active(doctor_id, False, body.reason if body else "", caller)


@router.post(
    "/{doctor_id}/reactivate",
    response_model=ActivationOut,
    summary="Reactivate a doctor",
    description=f"Bookable and able to sign in again. 409 when already active. {WRITE}",
    responses=CHANGE,
)
def reactivate(doctor_id: Id, caller: Caller = Depends(admin_writer)) -> ActivationOut:
    return _set_active(doctor_id, True, "", caller)


def _set_active(doctor_id: int, active: bool, reason: str, caller: Caller) -> ActivationOut:
    with session_scope() as db:
        done = svc.set_active(
            db, doctor_id=doctor_id, active=active, reason=reason, **actor(caller), now=utcnow()
        )
    return ActivationOut(
        doctor=DoctorOut.model_validate(done.doctor),
        follow_ups=_follow_ups(done.follow_ups, done.follow_up_total),
    )


@router.get(
    "/{doctor_id}/follow-ups",
    response_model=FollowUps,
    summary="Bookings to follow up",
    description=(
        "The doctor's confirmed and held bookings from now on, soonest first: whom to call "
        f"about an inactive doctor. {READ}"
    ),
    responses=ONE,
)
def follow_ups(doctor_id: Id, caller: Caller = Depends(admin_reader)) -> FollowUps:
    with session_scope() as db:
        doctor_views.get_doctor(db, doctor_id=doctor_id)  # NotFound for no such doctor
        items, total = future_appointments(db, doctor_id=doctor_id, now=utcnow())
    return _follow_ups(items, total)


@router.post(
    "/{doctor_id}/invitation",
    response_model=InvitationOut,
    summary="Resend the invitation",
    description=(
        "Emails the doctor a new link to choose a password (the older one stops working), "
        "while they have not set one. 409 once they have, or while the doctor is inactive. "
        f"{WRITE}"
    ),
    responses=CHANGE,
)
def resend_invitation(doctor_id: Id, caller: Caller = Depends(admin_writer)) -> InvitationOut:
    with session_scope() as db:
        sent = svc.resend_invitation(db, doctor_id=doctor_id, **actor(caller), now=utcnow())
    return InvitationOut.model_validate(sent)


@router.get(
    "/{doctor_id}/weekly-hours",
    response_model=WeeklyHours,
    summary="A doctor's weekly hours",
    description=f"Every working block, Monday first. {READ}",
    responses=ONE,
)
def weekly_hours(doctor_id: Id, caller: Caller = Depends(admin_reader)) -> WeeklyHours:
    with session_scope() as db:
        doctor_views.get_doctor(db, doctor_id=doctor_id)  # NotFound for no such doctor
        blocks = schedules.weekly_blocks(db, doctor_id=doctor_id)
    return WeeklyHours(blocks=[BlockOut.of(b) for b in blocks])


@router.put(
    "/{doctor_id}/weekly-hours",
    response_model=WeeklyHours,
    summary="Replace a doctor's weekly hours",
    description=(
        "As the doctor's own: every block at once, the same rules (refused fields are named "
        f"`day-<weekday>`). {CONFLICT_409} {WRITE}"
    ),
    responses=CHANGE,
)
def replace_weekly_hours(
    request: Request, doctor_id: Id, body: WeeklyHoursIn, caller: Caller = Depends(admin_writer)
) -> WeeklyHours | JSONResponse:
    blocks = [
        doctor_schedule.BlockInput(b.weekday, b.start, b.end, b.slot_minutes) for b in body.blocks
    ]
    try:
        with session_scope() as db:
            change = doctor_schedule.set_schedule(
                db,
                doctor_id=doctor_id,
                blocks=blocks,
                **actor(caller),
                cancel_affected=body.cancel_appointments is not None,
                reason=body.cancel_reason,
                expected_affected=body.cancel_appointments,
                now=utcnow(),
            )
    except ScheduleConflict as conflict:
        return conflict_response(request, conflict)
    return WeeklyHours(
        blocks=[BlockOut.of(b) for b in change.blocks],
        cancelled=[AffectedOut.of(a) for a in change.cancelled],
    )


__all__ = ["router"]
