"""Admin: reports. The filtered appointments as a streamed CSV and the monthly summary (as
JSON, CSV or PDF), made by the very generators behind the admin portal's one-time
download links (``api/exports.py``, which keep working beside these). Here the caller's
bearer token or API key is the credential, so no link is needed; every file is audited
as a download (``report_downloaded``), as the links' are.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.exports import (
    MONTHLY_FILES,
    appointments_filename,
    attachment_headers,
    csv_chunks,
    monthly_filename,
)
from healthcareplus.api.v1.admin_filters import appointment_filters
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import ADMIN_REFUSALS, admin_reader
from healthcareplus.core.db import get_engine, session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports.appointments_export import iter_appointments_csv
from healthcareplus.domain.reports.download_links import (
    MONTHLY_PURPOSES,
    Purpose,
    record_download,
)
from healthcareplus.domain.reports.monthly_summary import MonthlySummary, monthly_summary
from healthcareplus.domain.reports.months import parse_month, previous_month
from healthcareplus.domain.reports.summary_xlsx import XLSX_MEDIA_TYPE

router = APIRouter(prefix="/admin/reports", tags=["Admin: reports"])
READ = "Needs admin:read. Audited as a download."
REFUSALS = {**ADMIN_REFUSALS, **problems(422)}
Month = Annotated[
    str | None, Query(max_length=7, description="YYYY-MM (clinic time); default: last month")
]
CSV = "text/csv; charset=utf-8"


def _file(media_type: str) -> dict[int | str, dict[str, Any]]:
    binary = not media_type.startswith("text/")
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {200: {"content": {media_type: {"schema": schema}}}, **REFUSALS}


def _audited(caller: Caller, purpose: Purpose, params: dict[str, str]) -> None:
    """The download on the record (and the caller re-checked as an active admin)."""
    with session_scope() as db:
        record_download(
            db, user_id=caller.user_id or 0, purpose=purpose, params=params, now=utcnow()
        )


@router.get(
    "/appointments.csv",
    response_class=StreamingResponse,
    summary="Appointments as CSV",
    description=(
        "Every appointment matching the filters (the dashboard's), in their order, streamed "
        "as CSV (UTF-8 with a BOM, for spreadsheets; cells that could run as formulas are "
        f"quoted). {READ}"
    ),
    responses=_file("text/csv"),
)
def appointments_csv(
    filters: AdminFilters = Depends(appointment_filters), caller: Caller = Depends(admin_reader)
) -> StreamingResponse:
    now = utcnow()
    _audited(caller, "appointments_csv", filters.without_page().to_query())
    lines = iter_appointments_csv(get_engine(), filters=filters, now=now)
    return StreamingResponse(
        csv_chunks(lines), media_type=CSV, headers=attachment_headers(appointments_filename(now))
    )


class _Figures(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    bookings: int = Field(description="Every appointment of the month, whatever its status")
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int = Field(description="Successful payments minus refunds")
    revenue_label: str


class DoctorMonth(_Figures):
    doctor_id: int
    doctor: str
    specialization: str
    hospital_id: int
    hospital: str
    city: str


class HospitalMonth(_Figures):
    hospital_id: int
    hospital: str
    city: str
    doctors: int


class MonthTotals(_Figures):
    doctors: int


class MonthlyReport(BaseModel):
    """Appointments starting in the month (clinic time), per doctor, per hospital, in all."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    month: int
    label: str = Field(description='e.g. "March 2026"')
    doctors: list[DoctorMonth]
    hospitals: list[HospitalMonth]
    totals: MonthTotals


def _summary(month: str | None) -> MonthlySummary:
    year, number = parse_month(month) if month is not None else previous_month(utcnow())
    with session_scope() as db:
        return monthly_summary(db, year=year, month=number)


@router.get(
    "/monthly",
    response_model=MonthlyReport,
    summary="Monthly summary",
    description=(
        "The month's appointments counted per doctor and per hospital, and in total, with "
        "the revenue: what the reports page shows. Needs admin:read."
    ),
    responses=REFUSALS,
)
def monthly(month: Month = None, caller: Caller = Depends(admin_reader)) -> MonthlyReport:
    return MonthlyReport.model_validate(_summary(month))


def _monthly_file(fmt: str, month: Month, caller: Caller) -> Response:
    """The month's summary as the file ``fmt``, its download on the record."""
    summary = _summary(month)
    _audited(caller, MONTHLY_PURPOSES[fmt], {"month": f"{summary.year:04d}-{summary.month:02d}"})
    render, media_type = MONTHLY_FILES[fmt]
    return Response(
        render(summary),
        media_type=media_type,
        headers=attachment_headers(monthly_filename(summary, fmt)),
    )


@router.get(
    "/monthly.csv",
    response_class=Response,
    summary="Monthly summary as CSV",
    description=f"The monthly summary's tables as CSV. {READ}",
    responses=_file("text/csv"),
)
def monthly_csv(month: Month = None, caller: Caller = Depends(admin_reader)) -> Response:
    return _monthly_file("csv", month, caller)


@router.get(
    "/monthly.pdf",
    response_class=Response,
    summary="Monthly summary as PDF",
    description=f"The monthly summary, printable. {READ}",
    responses=_file("application/pdf"),
)
def monthly_pdf(month: Month = None, caller: Caller = Depends(admin_reader)) -> Response:
    return _monthly_file("pdf", month, caller)


@router.get(
    "/monthly.xlsx",
    response_class=Response,
    summary="Monthly summary as Excel",
    description=f"The monthly summary as an Excel workbook: Doctors and Hospitals sheets. {READ}",
    responses=_file(XLSX_MEDIA_TYPE),
)
def monthly_xlsx(month: Month = None, caller: Caller = Depends(admin_reader)) -> Response:
    return _monthly_file("xlsx", month, caller)


__all__ = ["router"]
