"""The doctor portal's working time: the weekly hours and time off (list, add, remove).

A change that would take working time away from booked appointments is refused with 409
listing them, unless the request names them to be cancelled (``schedule_schemas``): the
website's confirm step. The same domain functions as the website, the same rules.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse

from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import DOCTOR_REFUSALS, Id, actor, doctor_id_of, doctor_person
from healthcareplus.api.v1.schedule_schemas import (
    CONFLICT_409,
    AffectedOut,
    BlockOut,
    TimeOffAdded,
    TimeOffIn,
    TimeOffList,
    TimeOffOut,
    WeeklyHours,
    WeeklyHoursIn,
    conflict_response,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleConflict

router = APIRouter(prefix="/doctor", tags=["Doctor portal"])
DOCTORS = "For doctors signed in with a bearer token: your own schedule. Audited."
CHANGE_REFUSALS = {**DOCTOR_REFUSALS, **problems(409, 422)}


@router.get(
    "/weekly-hours",
    response_model=WeeklyHours,
    summary="Your weekly hours",
    description="Every working block, Monday first. " + DOCTORS.removesuffix(" Audited."),
    responses=DOCTOR_REFUSALS,
)
def weekly_hours(caller: Caller = Depends(doctor_person)) -> WeeklyHours:
    with session_scope() as db:
        blocks = schedules.weekly_blocks(db, doctor_id=doctor_id_of(db, caller))
    return WeeklyHours(blocks=[BlockOut.of(b) for b in blocks])


@router.put(
    "/weekly-hours",
    response_model=WeeklyHours,
    summary="Replace your weekly hours",
    description=(
        "Every block of the week at once (06:00–23:00, slots of 10, 15, 20 or 30 minutes, at "
        "most six blocks a day, no overlaps; refused fields are named `day-<weekday>`). "
        "Patients' booking pages follow at once; a new slot length alone removes no booked "
        f"visit. {CONFLICT_409} {DOCTORS}"
    ),
    responses=CHANGE_REFUSALS,
)
def replace_weekly_hours(
    request: Request, body: WeeklyHoursIn, caller: Caller = Depends(doctor_person)
) -> WeeklyHours | JSONResponse:
    blocks = [(b.weekday, b.start, b.end, b.slot_minutes) for b in body.blocks]
    try:
        with session_scope() as db:
            change = schedules.replace_weekly_schedule(
                db,
                doctor_id=doctor_id_of(db, caller),
                blocks=blocks,
                **actor(caller),
                cancel_affected=body.cancel_appointments is not None,
                reason=body.cancel_reason,
                now=utcnow(),
                expected_affected=body.cancel_appointments,
            )
    except ScheduleConflict as conflict:
        return conflict_response(request, conflict)
    return WeeklyHours(
        blocks=[BlockOut.of(b) for b in change.blocks],
        cancelled=[AffectedOut.of(a) for a in change.cancelled],
    )


@router.get(
    "/time-off",
    response_model=TimeOffList,
    summary="Your time off",
    description="Time off that has not ended yet, soonest first. "
    + DOCTORS.removesuffix(" Audited."),
    responses=DOCTOR_REFUSALS,
)
def time_off(caller: Caller = Depends(doctor_person)) -> TimeOffList:
    with session_scope() as db:
        entries = schedules.list_time_off(db, doctor_id=doctor_id_of(db, caller), now=utcnow())
    return TimeOffList(items=[TimeOffOut.of(e) for e in entries])


# idempotency: may cancel (and refund) the appointments it names in cancel_appointments;
# it can take the Idempotency-Key like the cancel routes (healthcareplus/api/v1/idempotency.py).
@router.post(
    "/time-off",
    response_model=TimeOffAdded,
    status_code=status.HTTP_201_CREATED,
    summary="Take time off",
    description=(
        "A day, days, hours or one slot, in clinic dates and times, with a reason (up to a "
        "year ahead, at most 366 days). Those times leave the booking calendar at once. "
        f"{CONFLICT_409.replace('outside the new hours', 'in it')} {DOCTORS}"
    ),
    responses=CHANGE_REFUSALS,
)
def add_time_off(
    request: Request, body: TimeOffIn, response: Response, caller: Caller = Depends(doctor_person)
) -> TimeOffAdded | JSONResponse:
    now = utcnow()
    try:
        with session_scope() as db:
            doctor_id = doctor_id_of(db, caller)
            start, end = schedules.time_off_span(
                db,
                doctor_id=doctor_id,
                kind=body.kind,
                date_from=body.date_from.isoformat(),
                date_to=body.date_to.isoformat() if body.date_to else "",
                time_from=body.time_from,
                time_to=body.time_to,
                now=now,
            )
            change = schedules.add_time_off(
                db,
                doctor_id=doctor_id,
                start_at=start,
                end_at=end,
                reason=body.reason,
                **actor(caller),
                cancel_affected=body.cancel_appointments is not None,
                now=now,
                cancel_reason=body.cancel_reason,
                expected_affected=body.cancel_appointments,
            )
    except ScheduleConflict as conflict:
        return conflict_response(request, conflict)
    response.headers["Location"] = f"{router.prefix}/time-off/{change.entry.id}"
    return TimeOffAdded(
        **TimeOffOut.of(change.entry).model_dump(),
        cancelled=[AffectedOut.of(a) for a in change.cancelled],
    )


@router.delete(
    "/time-off/{time_off_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove time off",
    description=f"The time goes back to the booking calendar. {DOCTORS}",
    responses={**DOCTOR_REFUSALS, **problems(404, 422)},
)
def remove_time_off(time_off_id: Id, caller: Caller = Depends(doctor_person)) -> Response:
    with session_scope() as db:
        schedules.remove_time_off(
            db,
            doctor_id=doctor_id_of(db, caller),
            time_off_id=time_off_id,
            **actor(caller),
            now=utcnow(),
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


__all__ = ["router"]
