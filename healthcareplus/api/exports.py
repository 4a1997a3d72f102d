"""File downloads: the admin portal's appointments CSV and monthly summary, a doctor's own
monthly report, and a patient's copy of their own data.

Each request carries only the opaque id of a one-time grant (``?grant=…``, see
``domain.reports.download_links``): the first request uses it up, so a URL seen in a log
cannot be replayed; what is exported comes from the grant, never from the query string,
and the grant's user must still be an active user in the grant's role (an admin; the
doctor or patient whose own file it is). GET, because the browser starts the
download as a navigation. The REST API (``api.v1.routes_admin_reports``) serves the same
files with the same helpers to an admin's token or API key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from healthcareplus.core.db import get_engine, session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import Forbidden, ValidationFailed
from healthcareplus.core.formatting import clinic_today
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.privacy.personal_data import personal_data
from healthcareplus.domain.reports import download_links
from healthcareplus.domain.reports.appointments_export import iter_appointments_csv
from healthcareplus.domain.reports.doctor_report import doctor_monthly_summary
from healthcareplus.domain.reports.download_links import GrantedDownload, Purpose
from healthcareplus.domain.reports.monthly_summary import MonthlySummary, monthly_summary
from healthcareplus.domain.reports.months import parse_month
from healthcareplus.domain.reports.summary_csv import monthly_summary_csv
from healthcareplus.domain.reports.summary_pdf import monthly_summary_pdf
from healthcareplus.domain.reports.summary_xlsx import XLSX_MEDIA_TYPE, monthly_summary_xlsx

CHUNK_CHARS = 64 * 1024
NO_STORE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _refused(message: str, status: int = 403) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=NO_STORE)


def _redeem(request: Request, purpose: Purpose) -> GrantedDownload:
    """Use up the request's grant in its own unit of work, committed before the file is
    produced: a second request with the same id is refused even while this one streams."""
    token = request.query_params.get(download_links.QUERY_KEY, "")
    with session_scope() as db:
        return download_links.redeem(db, token=token, purpose=purpose, now=utcnow())


def attachment_headers(filename: str) -> dict[str, str]:
    return {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}


def csv_chunks(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined into ~64 KB pieces: one ASGI message per piece, not per line."""
    buffer: list[str] = []
    size = 0
    for line in lines:
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def appointments_csv(request: Request) -> Response:
    try:
        grant = _redeem(request, "appointments_csv")
    except Forbidden as exc:
        return _refused(str(exc))
    now = utcnow()
    filters = AdminFilters.from_query(grant.params)
    lines = iter_appointments_csv(get_engine(), filters=filters, now=now)
    return StreamingResponse(
        csv_chunks(lines),
        media_type="text/csv; charset=utf-8",
        headers=attachment_headers(appointments_filename(now)),
    )


def _monthly(request: Request, purpose: Purpose) -> MonthlySummary | Response:
    try:
        grant = _redeem(request, purpose)
        year, month = parse_month(grant.params.get("month"))
        with session_scope() as db:
            if purpose in download_links.DOCTOR_PURPOSES:
                return doctor_monthly_summary(db, actor_id=grant.user_id, year=year, month=month)
            return monthly_summary(db, year=year, month=month)
    except Forbidden as exc:
        return _refused(str(exc))
    except ValidationFailed as exc:
        return _refused(str(exc), status=400)


def monthly_filename(summary: MonthlySummary, ext: str) -> str:
    return f"monthly-summary-{summary.year:04d}-{summary.month:02d}.{ext}"


def appointments_filename(now: datetime) -> str:
    return f"appointments-{clinic_today(now).isoformat()}.csv"


# Each monthly file: how it is made from the summary, and its media type.
MONTHLY_FILES: dict[str, tuple[Callable[[MonthlySummary], str | bytes], str]] = {
    "csv": (monthly_summary_csv, "text/csv; charset=utf-8"),
    "pdf": (monthly_summary_pdf, "application/pdf"),
    "xlsx": (monthly_summary_xlsx, XLSX_MEDIA_TYPE),
}


def _monthly_file(request: Request, purpose: Purpose, fmt: str) -> Response:
    summary = _monthly(request, purpose)
    if isinstance(summary, Response):
        return summary
    render, media_type = MONTHLY_FILES[fmt]
    return Response(
        render(summary),
        media_type=media_type,
        headers=attachment_headers(monthly_filename(summary, fmt)),
    )


def monthly_csv(request: Request) -> Response:
    return _monthly_file(request, "monthly_csv", "csv")


def monthly_pdf(request: Request) -> Response:
    return _monthly_file(request, "monthly_pdf", "pdf")


def monthly_xlsx(request: Request) -> Response:
    return _monthly_file(request, "monthly_xlsx", "xlsx")


def personal_data_json(request: Request) -> Response:
    """A patient's copy of everything held about them (``domain.privacy``)."""
    try:
        grant = _redeem(request, "personal_data")
        with session_scope() as db:
            data = personal_data(db, actor_id=grant.user_id, now=utcnow())
    except Forbidden as exc:
        return _refused(str(exc))
    day = data["exported_at"][:10]
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json; charset=utf-8",
        headers=attachment_headers(f"healthcareplus-my-data-{day}.json"),
    )


def _doctor_monthly(fmt: str) -> Callable[[Request], Response]:
    purpose = download_links.DOCTOR_MONTHLY_PURPOSES[fmt]
    return lambda request: _monthly_file(request, purpose, fmt)


# Sync endpoints: Starlette runs them (and the CSV generator) in its thread pool.
routes = [
    Route(download_links.APPOINTMENTS_CSV_PATH, appointments_csv, methods=["GET"]),
    Route(download_links.MONTHLY_CSV_PATH, monthly_csv, methods=["GET"]),
    Route(download_links.MONTHLY_PDF_PATH, monthly_pdf, methods=["GET"]),
    Route(download_links.MONTHLY_XLSX_PATH, monthly_xlsx, methods=["GET"]),
    Route(download_links.PERSONAL_DATA_PATH, personal_data_json, methods=["GET"]),
    *(
        Route(path, _doctor_monthly(fmt), methods=["GET"])
        for fmt, path in download_links.DOCTOR_MONTHLY_PATHS.items()
    ),
]

__all__ = [
    "NO_STORE",
    "appointments_csv",
    "appointments_filename",
    "attachment_headers",
    "csv_chunks",
    "monthly_csv",
    "monthly_filename",
    "monthly_pdf",
    "monthly_xlsx",
    "routes",
]
