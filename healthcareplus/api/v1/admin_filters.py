"""The admin dashboard's appointment filters as query parameters: one dependency shared by
the appointment list, the statistics and the CSV export, giving the domain's
``AdminFilters`` (the very object the dashboard builds from its URL)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query

from healthcareplus.api.v1.roles import MAX_ID, one_of
from healthcareplus.core.models import AppointmentStatus, PaymentStatus
from healthcareplus.core.validation import FIRST_CLINIC_DAY, LAST_CLINIC_DAY
from healthcareplus.domain.admin.filters import DEFAULT_SORT, SORTS, AdminFilters

SORT_HELP = (
    "start_desc: latest visit first; start_asc: earliest first; booked_desc: latest booked "
    "first; fee_desc: highest fee first"
)
RefId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Day = Annotated[dt.date | None, Query(ge=FIRST_CLINIC_DAY, le=LAST_CLINIC_DAY)]


def appointment_filters(
    doctor_id: RefId = None,
    hospital_id: RefId = None,
    city_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Its hospitals'")] = None,
    date: Annotated[
        dt.date | None,
        Query(
            ge=FIRST_CLINIC_DAY,
            le=LAST_CLINIC_DAY,
            description="One clinic day (visit date); overrides date_from/date_to",
        ),
    ] = None,
    date_from: Day = None,
    date_to: Day = None,
    status: AppointmentStatus | None = None,
    payment_status: PaymentStatus | None = None,
    sort: Annotated[
        str, Query(max_length=20, description=SORT_HELP, json_schema_extra={"enum": list(SORTS)})
    ] = DEFAULT_SORT,
) -> AdminFilters:
    """The filters, every one optional; dates are clinic days, inclusive (a range given
    backwards is turned round)."""
    return AdminFilters(
        doctor_id=doctor_id,
        hospital_id=hospital_id,
        city_id=city_id,
        date_from=date or date_from,
        date_to=date or date_to,
        status=status.value if status else "",
        payment_status=payment_status.value if payment_status else "",
        sort=one_of(sort, SORTS, "sort"),
    )


__all__ = ["appointment_filters"]
