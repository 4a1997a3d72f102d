"""The download endpoints, over HTTP: a one-time grant of an active admin gets the file
once; anything else (used, expired, tampered, missing, another file's) gets a 403.

The app's real Starlette API runs in-process (``TestClient``) against the test database;
links are made the way the admin pages make them.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select

from healthcareplus.api import api
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import AuditEvent, Role, User
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import download_links as links
from tests.factories import (
    add_payment,
    bulk_appointments,
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    local,
)

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = "/api/admin/exports/appointments.csv"
MARCH = date(2026, 3, 1)


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(api)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN, name="Meera Iyer")


@pytest.fixture
def clinic(session: Session) -> dict[str, str]:
    """Two doctors in March 2026: one paid confirmed visit, one refunded cancellation."""
    sunrise = create_hospital(session, name="Sunrise Hospital")
    kavya = create_doctor(session, hospital=sunrise, name="Dr. Kavya Menon", fee_paise=70_000)
    ravi = create_doctor(session, hospital=sunrise, name="Dr. Ravi Shetty", fee_paise=40_000)
    patient = create_patient(session, name="Asha Rao", email="asha@example.in")
    kept = create_appointment(
        session,
        doctor=kavya,
        patient=patient,
        start_at=local(MARCH, "10:00"),
        payment_status="Success",
    )
    add_payment(session, appointment=kept, status="Success")
    dropped = create_appointment(
        session,
        doctor=ravi,
        patient=patient,
        start_at=local(MARCH + timedelta(days=1), "11:00"),
        status="cancelled",
        payment_status="Refunded",
    )
    add_payment(session, appointment=dropped, status="Success")
    add_payment(session, appointment=dropped, status="Refunded")
    return {"kept": kept.id, "dropped": dropped.id}


def _csv_url(user_id: int, **query: str) -> str:
    """A one-time link, made the way the admin pages make it (in its own unit of work)."""
    with session_scope() as db:
        return links.export_link(db, user_id, AdminFilters.from_query(query), utcnow())


def _monthly_url(user_id: int, fmt: str, month: int = 3) -> str:
    with session_scope() as db:
        return links.monthly_link(db, user_id, year=2026, month=month, fmt=fmt, now=utcnow())  # type: ignore[arg-type]


def _grant_url(path: str, user_id: int, purpose: str, params: dict[str, str], **kw: Any) -> str:
    """A link with a grant made by hand (an odd month, another moment)."""
    kw = {"now": utcnow(), **kw}
    with session_scope() as db:
        token = links.issue_grant(db, user_id=user_id, purpose=purpose, params=params, **kw)  # type: ignore[arg-type]
    return f"{path}?{urlencode({'grant': token})}"


def _refusal(response: Any) -> str:
    """The message of a 403 that gave away no file and may not be cached or leak."""
    assert response.status_code == 403, response.text
    assert "content-disposition" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    return response.json()["detail"]


def _records(body: str) -> list[list[str]]:
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_admin_downloads_the_filtered_appointments_csv_once(
    client: TestClient, admin: User, session: Session, clinic: dict[str, str]
) -> None:
    url = _csv_url(admin.id)
    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    today = clinic_today(utcnow()).isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="appointments-{today}.csv"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    records = _records(response.text)
    assert records[0][:3] == ["Appointment ID", "Booked at (clinic)", "Date"]
    assert [r[0] for r in records[1:]] == [clinic["dropped"], clinic["kept"]]
    assert records[2][6] == "Dr. Kavya Menon" and records[2][14] == "700.00"

    # The same link again (a second tab, a log line replayed): refused.
    assert _refusal(client.get(url)) == links.USED_OR_EXPIRED

    only_cancelled = _records(client.get(_csv_url(admin.id, status="cancelled")).text)
    assert [r[0] for r in only_cancelled[1:]] == [clinic["dropped"]]
    downloads = session.exec(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_user_id, e.entity_id, e.detail) for e in downloads] == [
        (admin.id, "appointments_csv", {}),
        (admin.id, "appointments_csv", {"status": "cancelled"}),
    ]


ROUTES = [
    (CSV_PATH, "appointments_csv", {}, "text/csv; charset=utf-8", "appointments-{today}.csv"),
    (
        "/api/admin/reports/monthly.csv",
        "monthly_csv",
        {"month": "2026-03"},
        "text/csv; charset=utf-8",
        "monthly-summary-2026-03.csv",
    ),
    (
        "/api/admin/reports/monthly.pdf",
        "monthly_pdf",
        {"month": "2026-03"},
        "application/pdf",
        "monthly-summary-2026-03.pdf",
    ),
    (
        "/api/admin/reports/monthly.xlsx",
        "monthly_xlsx",
        {"month": "2026-03"},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "monthly-summary-2026-03.xlsx",
    ),
]


@pytest.mark.parametrize(
    ("path", "purpose", "params", "content_type", "filename"), ROUTES, ids=lambda v: str(v)
)
def test_each_route_serves_a_grant_once_and_refuses_the_rest(
    client: TestClient,
    admin: User,
    clinic: dict[str, str],
    path: str,
    purpose: str,
    params: dict[str, str],
    content_type: str,
    filename: str,
) -> None:
    url = _grant_url(path, admin.id, purpose, params)
    token = url.split("grant=")[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # A tampered id is just an unknown one: refused, and the real one is not used up.
    assert _refusal(client.get(f"{path}?grant={tampered}")) == links.INVALID

    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"] == content_type
    today = clinic_today(utcnow()).isoformat()
    assert first.headers["content-disposition"] == (
        f'attachment; filename="{filename.format(today=today)}"'
    )
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert first.content

    assert _refusal(client.get(url)) == links.USED_OR_EXPIRED
    for missing in (path, f"{path}?grant=", f"{path}?token={token}"):
        assert _refusal(client.get(missing)) == links.INVALID, missing


@pytest.mark.parametrize(
    "query",
    [
        "grant=" + "x" * 5000,
        "grant=%C3%BC",  # ü
        "grant=%ED%A0%80",  # a UTF-8-encoded lone surrogate
        "grant=%FF%FE",
        "grant=%00",
        "grant=a&grant=b",
        "grant[]=x",
    ],
)
def test_malformed_grants_are_a_403_never_an_error(
    client: TestClient, admin: User, query: str
) -> None:
    for path, *_ in ROUTES:
        assert _refusal(client.get(f"{path}?{query}")) == links.INVALID


def test_query_string_parameters_cannot_widen_or_change_the_export(
    client: TestClient, admin: User, clinic: dict[str, str]
) -> None:
    extra = urlencode({"status": "cancelled", "sort": "start_asc", "doctor": "1", "user": "1"})

    for attempt in (
        f"{_csv_url(admin.id, status='confirmed')}&{extra}",
        f"{CSV_PATH}?{extra}&{_csv_url(admin.id, status='confirmed').split('?')[1]}",
    ):
        response = client.get(attempt)
        assert response.status_code == 200
        assert [r[0] for r in _records(response.text)[1:]] == [clinic["kept"]]
    assert _refusal(client.get(f"{CSV_PATH}?{extra}")) == links.INVALID


def test_a_large_export_streams_every_row(
    client: TestClient, admin: User, session: Session
) -> None:
    doctor = create_doctor(session, name="Dr. Bulk")
    patient = create_patient(session)
    bulk_appointments(
        session, doctor=doctor, patient=patient, count=12_001, first_start=local(MARCH, "00:00")
    )

    with client.stream("GET", _csv_url(admin.id, sort="start_asc")) as response:
        assert response.status_code == 200
        pieces = list(response.iter_text())
    body = "".join(pieces)
    assert len(pieces) > 1  # streamed in chunks, not one body
    records = _records(body)
    assert len(records) == 12_002
    assert [r[2] for r in (records[1], records[-1])] == ["2026-03-01", "2026-07-04"]


@pytest.mark.parametrize("change", ["deactivated", "blocked", "no longer an admin"])
def test_links_of_an_admin_who_lost_access_are_refused(
    client: TestClient, admin: User, session: Session, clinic: dict[str, str], change: str
) -> None:
    urls = [_csv_url(admin.id), _monthly_url(admin.id, "csv"), _monthly_url(admin.id, "pdf")]
    admin.is_active = change != "deactivated"
    admin.is_blocked = change == "blocked"
    admin.role = Role.PATIENT if change == "no longer an admin" else Role.ADMIN
    session.add(admin)
    session.commit()

    for url in urls:
        assert _refusal(client.get(url)) == links.NOT_ADMIN, url


def test_expired_and_misused_grants_are_refused(
    client: TestClient, admin: User, clinic: dict[str, str]
) -> None:
    stale = _grant_url(
        CSV_PATH, admin.id, "appointments_csv", {}, now=utcnow() - timedelta(hours=1)
    )
    assert _refusal(client.get(stale)) == links.USED_OR_EXPIRED

    monthly = _monthly_url(admin.id, "csv").split("?")[1]
    for url in (
        f"{CSV_PATH}?{monthly}",  # a monthly grant on the CSV export
        f"/api/admin/reports/monthly.pdf?{monthly}",  # the CSV's on the PDF
    ):
        assert _refusal(client.get(url)) == links.INVALID, url
    # Knocking on the wrong doors did not use it up.
    assert client.get(f"/api/admin/reports/monthly.csv?{monthly}").status_code == 200


def test_monthly_summary_csv_and_pdf(
    client: TestClient, admin: User, session: Session, clinic: dict[str, str]
) -> None:
    response = client.get(_monthly_url(admin.id, "csv"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="monthly-summary-2026-03.csv"'
    )
    records = _records(response.text)
    assert records[0] == ["Monthly summary", "March 2026"]
    totals = [r for r in records if r[:1] == ["Total"]]
    # Two bookings; revenue 700 (Kavya) + 400 - 400 refunded (Ravi).
    assert totals[0] == ["Total", "", "", "", "2", "1", "0", "1", "0", "700.00"]
    assert totals[1] == ["Total", "", "2", "2", "1", "0", "1", "0", "700.00"]

    response = client.get(_monthly_url(admin.id, "pdf"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="monthly-summary-2026-03.pdf"'
    )
    assert response.content.startswith(b"%PDF-")

    downloads = session.exec(
        select(AuditEvent).where(AuditEvent.action == "report_downloaded").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_user_id, e.entity_id, e.detail) for e in downloads] == [
        (admin.id, "monthly_csv", {"month": "2026-03"}),
        (admin.id, "monthly_pdf", {"month": "2026-03"}),
    ]


def test_a_grant_with_an_impossible_month_is_a_bad_request(client: TestClient, admin: User) -> None:
    path = "/api/admin/reports/monthly.pdf"
    url = _grant_url(path, admin.id, "monthly_pdf", {"month": "2026-13"})
    assert client.get(url).status_code == 400
    assert _refusal(client.get(url)) == links.USED_OR_EXPIRED


def test_only_get_is_served(client: TestClient, admin: User, clinic: dict[str, str]) -> None:
    url = _csv_url(admin.id)
    assert client.post(url).status_code == 405
    assert client.get(url).status_code == 200  # the refused POST did not use it up


def test_the_reflex_app_mounts_the_api() -> None:
    code = (
        "from healthcareplus.healthcareplus import app\n"
        "from healthcareplus.api import api\n"
        "mounted = app.api_transformer\n"
        "assert api is mounted or api in mounted\n"  # alone, or with other transformers
        "print(sorted(r.path for r in api.routes))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        sorted(
            [
                CSV_PATH,
                "/api/account/personal-data.json",  # a patient's copy of their data
                "/api/admin/reports/monthly.csv",
                "/api/admin/reports/monthly.pdf",
                "/api/admin/reports/monthly.xlsx",
                "/api/doctor/reports/monthly.csv",  # a doctor's own report
                "/api/doctor/reports/monthly.pdf",
                "/api/doctor/reports/monthly.xlsx",
                "/api/v1",  # the REST API (tests/api/v1)
            ]
        )
    )
