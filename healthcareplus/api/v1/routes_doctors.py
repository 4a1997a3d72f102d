"""Doctors: the search (every filter of the website's), a profile, and availability.

Public, as on the website: anyone may look for a doctor and see when they are free
(booking needs a patient's sign-in). The doctor's own email and phone are not published.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import StringConstraints

from healthcareplus.api.v1.cursors import BAD_CURSOR, cursor_refused, decode_cursor, encode_cursor
from healthcareplus.api.v1.doctor_schemas import (
    Calendar,
    DayOut,
    DaySlots,
    DoctorPage,
    DoctorProfileOut,
    DoctorSummary,
    SlotOut,
)
from healthcareplus.api.v1.problems import ApiProblem, FieldProblem, problems
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import clinic_today
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.doctor_pages import doctors_after
from healthcareplus.domain.catalog.search import MAX_Q, DoctorFilters
from healthcareplus.domain.scheduling import availability

MAX_ID = 2**31 - 1
PUBLIC = "Public: no credentials needed."
router = APIRouter(tags=["Doctors"])
DoctorId = Annotated[int, Path(ge=1, le=MAX_ID)]
Sort = Literal["relevance", "experience", "fee", "fee_desc", "name", "rating"]
OPEN_DAYS = "Choose a day from today up to {n} days ahead (clinic time)."


def _bookable_day(day: date, field: str, today: date) -> date:
    """``day`` when it lies in the booking horizon, else a 422 on ``field``."""
    horizon = get_settings().booking_horizon_days
    if not today <= day < today + timedelta(days=horizon):
        raise ApiProblem(
            "validation-failed",
            "Check the fields listed in errors.",
            errors=[
                FieldProblem(location="query", field=field, detail=OPEN_DAYS.format(n=horizon))
            ],
        )
    return day


@router.get(
    "/doctors",
    response_model=DoctorPage,
    summary="Find doctors",
    description=(
        "Active doctors matching every filter given, a page at a time. Sorts: relevance "
        "and experience (most experienced first), fee (lowest first), fee_desc, name; "
        "ties are broken by name and id, so the order is stable. For the next page send "
        "`next_cursor` back as `cursor` with the same filters: pages never repeat or skip "
        f"a doctor, even while the catalogue changes. {PUBLIC}"
    ),
    responses=problems(422),
)
def doctors(
    q: Annotated[str, Query(max_length=MAX_Q, description="Words in name or specialty")] = "",
    city_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    hospital_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    specialization: Annotated[str, Query(max_length=60, description="e.g. Cardiologist")] = "",
    specializations: Annotated[
        list[Annotated[str, StringConstraints(max_length=60)]],
        Query(max_length=30, description="Any of these (repeat the parameter)"),
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    gender: Annotated[str | None, Query(pattern=r"^[A-Za-z][A-Za-z \-]{0,15}$")] = None,
    min_experience: Annotated[int | None, Query(ge=0, le=70, description="Years")] = None,
    max_fee_rupees: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    available_on: Annotated[
        date | None, Query(description="Only doctors with a free slot that day")
    ] = None,
    sort: Sort = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> DoctorPage:
    now = utcnow()
    if available_on is not None:
        _bookable_day(available_on, "available_on", clinic_today(now))
    filters = DoctorFilters(
        q=q,
        city_id=city_id,
        hospital_id=hospital_id,
        specialization=specialization,
        specializations=tuple(specializations),
        gender=gender or "",
        min_experience=min_experience,
        max_fee_rupees=max_fee_rupees,
        available_on=available_on,
        sort=sort,
    )
    after = decode_cursor(cursor, filters) if cursor else None
    with session_scope() as db:
        try:
            found = doctors_after(db, filters=filters, after=after, limit=limit, now=now)
        except ValidationFailed:  # a crafted cursor: a position of another shape
            raise cursor_refused(BAD_CURSOR) from None
    return DoctorPage(
        items=[DoctorSummary.of(card) for card in found.items],
        total=found.total,
        limit=limit,
        next_cursor=encode_cursor(filters, found.next_after) if found.next_after else None,
    )


@router.get(
    "/doctors/{doctor_id}",
    response_model=DoctorProfileOut,
    summary="A doctor's profile",
    description=f"Profile, hospital contact, weekly hours and the first free slots. {PUBLIC}",
    responses=problems(404, 422),
)
def doctor(doctor_id: DoctorId) -> DoctorProfileOut:
    with session_scope() as db:
        profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=utcnow())
    return DoctorProfileOut.of_profile(profile)


@router.get(
    "/doctors/{doctor_id}/availability",
    response_model=Calendar,
    summary="Availability calendar",
    description=(
        "Each clinic day from today for `days` days (default and most: the booking "
        "horizon): how many slots are free to book now, and the day's badge. "
        f"Pick a bookable day, then ask for its slots. {PUBLIC}"
    ),
    responses=problems(404, 422),
)
def calendar(
    doctor_id: DoctorId,
    days: Annotated[int | None, Query(ge=1, le=365, description="How many days")] = None,
) -> Calendar:
    horizon = get_settings().booking_horizon_days
    with session_scope() as db:
        found = availability.calendar(
            db, doctor_id=doctor_id, now=utcnow(), days=min(days or horizon, horizon)
        )
    return Calendar(doctor_id=doctor_id, days=[DayOut.of(day) for day in found])


@router.get(
    "/doctors/{doctor_id}/slots",
    response_model=DaySlots,
    summary="A day's slots",
    description=(
        "Every slot of one clinic day in time order, with its state; book a `free` one by "
        f"its `start_at`. The day must lie in the booking horizon. {PUBLIC}"
    ),
    responses=problems(404, 422),
)
def day_slots(
    doctor_id: DoctorId,
    day: Annotated[date, Query(alias="date", description="A clinic date, YYYY-MM-DD")],
) -> DaySlots:
    now = utcnow()
    _bookable_day(day, "date", clinic_today(now))
    with session_scope() as db:
        slots = availability.day_slots(db, doctor_id=doctor_id, day=day, now=now)
    return DaySlots(doctor_id=doctor_id, date=day, slots=[SlotOut.of(slot) for slot in slots])


__all__ = ["router"]
