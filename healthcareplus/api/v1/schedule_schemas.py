"""Weekly hours and time off, for the doctor's own portal and the admin's doctor pages:
the bodies, and the answer to a change that would strand booked appointments.

The website shows such a change's appointments and asks to confirm; here the change is
refused with 409 (``conflict``) whose problem details carry ``affected``: the
appointments it would cancel. To go ahead, send the same change again with their ids in
``cancel_appointments`` and a ``cancel_reason`` for the patients: they are cancelled (paid
ones refunded) in the same transaction as the change. If by then the change would cancel
any appointment not listed, it is refused again with the new list.
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.problems import NO_STORE, PROBLEM_JSON, PROBLEM_TYPES, Problem
from healthcareplus.domain.scheduling.schedule_changes import AffectedAppointment
from healthcareplus.domain.scheduling.schedules import (
    SLOT_LENGTHS,
    TIME_OFF_KINDS,
    ScheduleBlock,
    ScheduleConflict,
)
from healthcareplus.domain.scheduling.time_off import TimeOffEntry

CONFLICT_409 = (
    "409 `conflict` when booked appointments would fall outside the new hours: the "
    "problem's `affected` lists them (as `cancelled` below). Send the change again with "
    "their ids in `cancel_appointments` and a `cancel_reason` to cancel them (paid ones "
    "are refunded); it is refused again if it would cancel any other."
)
IDS = "The ids of the appointments you agree to cancel (from a 409's `affected`)"
TOLD = "What the patients of cancelled appointments are told (3 to 500 characters)"


class BlockIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"weekday": 0, "start": "09:00", "end": "13:00", "slot_minutes": 15}]
        },
    )

    weekday: int = Field(description="Monday = 0 … Sunday = 6")
    start: str = Field(max_length=8, description="Clinic time, HH:MM (24-hour)")
    end: str = Field(max_length=8, description="Clinic time, HH:MM, after start")
    slot_minutes: int = Field(
        description="Slot length", json_schema_extra={"enum": list(SLOT_LENGTHS)}
    )


class BlockOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    weekday: int = Field(description="Monday = 0")
    day_name: str
    start: str = Field(description="HH:MM, clinic time")
    end: str
    slot_minutes: int
    label: str = Field(description='e.g. "09:00 AM – 01:00 PM"')

    @classmethod
    def of(cls, block: ScheduleBlock) -> BlockOut:
        return cls.model_validate(block)


class AffectedOut(BaseModel):
    """A booked appointment a schedule change would cancel (or did)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    patient_name: str
    start_at: dt.datetime = Field(description="UTC")
    date_label: str = Field(description="Clinic date")
    time_label: str = Field(description="Clinic time")
    status: str
    paid: bool = Field(description="Paid online: cancelling refunds it")

    @classmethod
    def of(cls, item: AffectedAppointment) -> AffectedOut:
        return cls.model_validate(item)


class WeeklyHoursIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "blocks": [
                        {"weekday": 0, "start": "09:00", "end": "13:00", "slot_minutes": 15},
                        {"weekday": 0, "start": "14:00", "end": "17:00", "slot_minutes": 15},
                    ]
                }
            ]
        },
    )

    blocks: list[BlockIn] = Field(
        max_length=100, description="Every working block of the week (none: no hours at all)"
    )
    cancel_appointments: list[str] | None = Field(default=None, max_length=500, description=IDS)
    cancel_reason: str = Field(default="", max_length=600, description=TOLD)


class WeeklyHours(BaseModel):
    blocks: list[BlockOut] = Field(description="Monday first, each day in time order")
    cancelled: list[AffectedOut] = Field(
        default_factory=list, description="Appointments this change cancelled"
    )


class TimeOffIn(BaseModel):
    """Time off as the website's form has it, in clinic dates and times."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "range",
                    "date_from": "2026-12-24",
                    "date_to": "2026-12-26",
                    "reason": "Christmas leave",
                },
                {
                    "kind": "hours",
                    "date_from": "2026-12-01",
                    "time_from": "14:00",
                    "time_to": "17:00",
                    "reason": "Conference",
                },
            ]  # fmt: skip
        },
    )

    kind: str = Field(
        description="day: one whole day; range: whole days date_from..date_to; hours: "
        "time_from..time_to on date_from; slot: your slot starting at time_from on date_from",
        json_schema_extra={"enum": list(TIME_OFF_KINDS)},
    )
    date_from: dt.date
    date_to: dt.date | None = Field(default=None, description="For range: the last day")
    time_from: str = Field(default="", max_length=5, description="HH:MM, for hours and slot")
    time_to: str = Field(default="", max_length=5, description="HH:MM, for hours")
    reason: str = Field(max_length=400, description="e.g. Conference, Leave (up to 300)")
    cancel_appointments: list[str] | None = Field(default=None, max_length=500, description=IDS)
    cancel_reason: str | None = Field(
        default=None, max_length=600, description=f"{TOLD}; default: the time off's reason"
    )


class TimeOffOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_at: dt.datetime = Field(description="UTC")
    end_at: dt.datetime
    label: str = Field(description='e.g. "Mon, 23 Nov 2026, 02:00 PM – 06:00 PM"')
    reason: str

    @classmethod
    def of(cls, entry: TimeOffEntry) -> TimeOffOut:
        return cls.model_validate(entry)


class TimeOffList(BaseModel):
    items: list[TimeOffOut] = Field(description="Time off not ended yet, soonest first")


class TimeOffAdded(TimeOffOut):
    cancelled: list[AffectedOut] = Field(description="Appointments this time off cancelled")


def conflict_response(request: Request, conflict: ScheduleConflict) -> JSONResponse:
    """The 409 problem of a change that would strand appointments, with ``affected``."""
    kind = PROBLEM_TYPES["conflict"]
    body = Problem(
        type=kind.uri,
        title=kind.title,
        status=kind.status,
        detail=str(conflict),
        instance=request.url.path,
    ).model_dump(exclude_none=True)
    body["affected"] = [AffectedOut.of(a).model_dump(mode="json") for a in conflict.affected]
    return JSONResponse(body, status_code=kind.status, media_type=PROBLEM_JSON, headers=NO_STORE)


__all__ = [
    "CONFLICT_409",
    "AffectedOut",
    "BlockIn",
    "BlockOut",
    "TimeOffAdded",
    "TimeOffIn",
    "TimeOffList",
    "TimeOffOut",
    "WeeklyHours",
    "WeeklyHoursIn",
    "conflict_response",
]
