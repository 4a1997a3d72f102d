"""Admin: the timetable, one doctor's clinic day slot by slot (available, booked, held,
blocked, past) with the actions open on each, and blocking or unblocking single slots.
The same domain functions as the admin's timetable page; changes are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import ADMIN_REFUSALS, MAX_ID, admin_reader, admin_writer
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.domain.admin import timetable

router = APIRouter(prefix="/admin/timetable", tags=["Admin: timetable"])
WRITE = "Needs admin:write. Audited on the doctor's record."


class GridSlotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start: dt.datetime = Field(description="UTC: the slot's identity (block/unblock by it)")
    time_label: str = Field(description="Clinic time")
    end_label: str
    state: str = Field(
        description="available, booked, held (awaiting payment), blocked or past",
        json_schema_extra={"enum": ["available", "booked", "held", "blocked", "past"]},
    )
    on_schedule: bool = Field(description="False: a booking the current hours no longer cover")
    patient_name: str
    appointment_id: str
    appointment_status: str
    status_label: str
    payment_status: str
    payment_method: str
    fee_label: str
    block_reason: str
    can_block: bool
    can_unblock: bool
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool


class DayGridOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    day: dt.date
    day_label: str
    is_today: bool
    working: bool = Field(description="The weekly hours have a block on this weekday")
    available: int
    booked: int
    held: int
    blocked: int
    past: int
    slots: list[GridSlotOut]


class SlotRefIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"doctor_id": 7, "start_at": "2026-12-01T04:00:00Z", "reason": "Audit"}]
        },
    )

    doctor_id: int = Field(ge=1, le=MAX_ID)
    start_at: AwareDatetime = Field(description="The slot's start (its `start` in the grid)")


class SlotBlockIn(SlotRefIn):
    reason: str = Field(
        default="", max_length=1000, description='Up to 300; default "Blocked by admin"'
    )


class SlotChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    doctor_id: int
    start: dt.datetime
    day: dt.date
    time_label: str
    message: str


@router.get(
    "",
    response_model=DayGridOut,
    summary="A doctor's day",
    description=(
        "Every slot of an active doctor's clinic day (default: today) in time order, with "
        "its booking and the actions open on it; a booking the current hours no longer "
        "cover gets a row too. Needs admin:read."
    ),
    responses={**ADMIN_REFUSALS, **problems(404, 422)},
)
def day(
    doctor_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    date: Annotated[dt.date | None, Query(description="A clinic date (2000 to 2100)")] = None,
    caller: Caller = Depends(admin_reader),
) -> DayGridOut:
    now = utcnow()
    with session_scope() as db:
        grid = timetable.day_grid(db, doctor_id=doctor_id, day=date or clinic_today(now), now=now)
    return DayGridOut.model_validate(grid)


@router.post(
    "/block",
    response_model=SlotChangeOut,
    summary="Block a slot",
    description=(
        "Takes one future, unbooked slot out of booking. 409 when it is booked, already "
        f"blocked or gone by; 404 when the doctor has no slot then. {WRITE}"
    ),
    responses={**ADMIN_REFUSALS, **problems(404, 409, 422)},
)
def block(body: SlotBlockIn, caller: Caller = Depends(admin_writer)) -> SlotChangeOut:
    with session_scope() as db:
        change = timetable.block_slot(
            db,
            doctor_id=body.doctor_id,
            start_at=body.start_at,
            admin_id=caller.user_id or 0,
            reason=body.reason,
            now=utcnow(),
        )
    return SlotChangeOut.model_validate(change)


@router.post(
    "/unblock",
    response_model=SlotChangeOut,
    summary="Unblock a slot",
    description=(
        "Gives a blocked future slot back to booking. Only a one-slot block: a slot inside "
        f"longer time off is refused (409), as is one not blocked. {WRITE}"
    ),
    responses={**ADMIN_REFUSALS, **problems(404, 409, 422)},
)
def unblock(body: SlotRefIn, caller: Caller = Depends(admin_writer)) -> SlotChangeOut:
    with session_scope() as db:
        change = timetable.unblock_slot(
            db,
            doctor_id=body.doctor_id,
            start_at=body.start_at,
            admin_id=caller.user_id or 0,
            now=utcnow(),
        )
    return SlotChangeOut.model_validate(change)


__all__ = ["router"]
