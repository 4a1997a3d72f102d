"""Visits that need the admin's attention: confirmed, their start has come, and nobody has
closed them yet (completed by the doctor, or marked a no-show). Oldest first, one page at
a time, within the dashboard's doctor, hospital or city filter (its dates, statuses and
payment filters do not narrow this list: an open visit needs closing whatever they say).

Read along the (status, start_at) index: the range is the open visits alone, however long
the history is.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Appointment, AppointmentStatus
from healthcareplus.core.paging import fetch_page
from healthcareplus.domain.admin.dashboard_table import AdminAppointmentRow, row_query, table_row
from healthcareplus.domain.admin.figures import ResultPage, result_page
from healthcareplus.domain.admin.filters import AdminFilters

PAGE_SIZE = 10


def place_only(filters: AdminFilters) -> AdminFilters:
    """The doctor, hospital and city filters alone."""
    return AdminFilters(
        doctor_id=filters.doctor_id, hospital_id=filters.hospital_id, city_id=filters.city_id
    )


def visits_to_close(
    session: Session,
    *,
    filters: AdminFilters,
    now: datetime,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> ResultPage[AdminAppointmentRow]:
    """One page of the open visits whose start has come, in the filters' place."""
    now = utc(now)
    open_past = (
        col(Appointment.status) == AppointmentStatus.CONFIRMED,
        col(Appointment.start_at) <= now,
        place_only(filters).where(),
    )
    rows, p = fetch_page(
        session,
        row_query().where(*open_past).order_by(col(Appointment.start_at), col(Appointment.id)),
        count=select(func.count()).select_from(Appointment).where(*open_past),
        page=page,
        page_size=page_size,
    )
    return result_page([table_row(r, now) for r in rows], p)


__all__ = ["PAGE_SIZE", "place_only", "visits_to_close"]
