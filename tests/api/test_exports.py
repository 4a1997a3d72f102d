"""The download endpoints, over HTTP: files for a valid admin token, 403 for anything else.

The app's real Starlette API runs in-process (``TestClient``) against the test database;
tokens are issued the way the admin pages issue them.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import warnings
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select

from healthcareplus.api import api
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import AuditEvent, Role, User
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.reports import download_links as tokens
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
    return tokens.export_link(user_id, AdminFilters.from_query(query), utcnow())


def _records(body: str) -> list[list[str]]:
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_admin_downloads_the_filtered_appointments_csv(
    client: TestClient, admin: User, clinic: dict[str, str]
) -> None:
    response = client.get(_csv_url(admin.id))

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    today = clinic_today(utcnow()).isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="appointments-{today}.csv"'
    )
    assert response.headers["cache-control"] == "no-store"
    records = _records(response.text)
    assert records[0][:3] == ["Appointment ID", "Booked at (clinic)", "Date"]
    assert [r[0] for r in records[1:]] == [clinic["dropped"], clinic["kept"]]
    assert records[2][6] == "Dr. Kavya Menon" and records[2][14] == "700.00"

    only_cancelled = _records(client.get(_csv_url(admin.id, status="cancelled")).text)
    assert [r[0] for r in only_cancelled[1:]] == [clinic["dropped"]]


def test_query_string_parameters_cannot_widen_or_change_the_export(
    client: TestClient, admin: User, clinic: dict[str, str]
) -> None:
    url = _csv_url(admin.id, status="confirmed")
    extra = urlencode({"status": "cancelled", "sort": "start_asc", "doctor": "1", "user": "1"})

    for attempt in (f"{url}&{extra}", f"{CSV_PATH}?{extra}&{url.split('?')[1]}"):
        response = client.get(attempt)
        assert response.status_code == 200
        assert [r[0] for r in _records(response.text)[1:]] == [clinic["kept"]]
    assert client.get(f"{CSV_PATH}?{extra}").status_code == 403


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


@pytest.mark.parametrize("who", ["patient", "doctor", "inactive admin", "blocked admin", "nobody"])
def test_tokens_of_non_admins_are_refused(
    client: TestClient, session: Session, clinic: dict[str, str], who: str
) -> None:
    if who == "nobody":
        user_id = 987_654
    else:
        role = {"patient": Role.PATIENT, "doctor": Role.DOCTOR}.get(who, Role.ADMIN)
        user = create_user(session, role=role)
        user.is_active = who != "inactive admin"
        user.is_blocked = who == "blocked admin"
        session.add(user)
        session.commit()
        user_id = user.id
    now = utcnow()
    urls = [
        _csv_url(user_id),
        tokens.monthly_link(user_id, year=2026, month=3, fmt="csv", now=now),
        tokens.monthly_link(user_id, year=2026, month=3, fmt="pdf", now=now),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": "Only administrators can download reports."}
        assert "content-disposition" not in response.headers


def test_expired_tampered_missing_and_misused_tokens_are_refused(
    client: TestClient, admin: User, clinic: dict[str, str]
) -> None:
    stale = tokens.issue(
        user_id=admin.id,
        purpose="appointments_csv",
        params={},
        now=utcnow() - timedelta(minutes=6),
    )
    response = client.get(f"{CSV_PATH}?token={stale}")
    assert response.status_code == 403
    assert "expired" in response.json()["detail"]

    good = _csv_url(admin.id).split("token=")[1]
    body, signature = good.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    monthly = tokens.monthly_link(admin.id, year=2026, month=3, fmt="csv", now=utcnow())
    for url in (
        f"{CSV_PATH}?token={body}.{flipped}",
        f"{CSV_PATH}?token=",
        CSV_PATH,
        f"{CSV_PATH}?{monthly.split('?')[1]}",  # a monthly token on the CSV export
        f"/api/admin/reports/monthly.pdf?{monthly.split('?')[1]}",  # the CSV's on the PDF
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"].startswith("This download link is not valid")


def test_monthly_summary_csv_and_pdf(
    client: TestClient, admin: User, session: Session, clinic: dict[str, str]
) -> None:
    now = utcnow()
    response = client.get(tokens.monthly_link(admin.id, year=2026, month=3, fmt="csv", now=now))
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

    response = client.get(tokens.monthly_link(admin.id, year=2026, month=3, fmt="pdf", now=now))
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


def test_a_token_with_an_impossible_month_is_a_bad_request(client: TestClient, admin: User) -> None:
    token = tokens.issue(
        user_id=admin.id, purpose="monthly_pdf", params={"month": "2026-13"}, now=utcnow()
    )
    response = client.get(f"/api/admin/reports/monthly.pdf?token={token}")
    assert response.status_code == 400


def test_only_get_is_served(client: TestClient, admin: User) -> None:
    assert client.post(_csv_url(admin.id)).status_code == 405


def test_the_reflex_app_mounts_the_api() -> None:
    code = (
        "from healthcareplus.healthcareplus import app\n"
        "from healthcareplus.api import api\n"
        "assert app.api_transformer is api\n"
        "print(sorted(r.path for r in api.routes))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        sorted([CSV_PATH, "/api/admin/reports/monthly.csv", "/api/admin/reports/monthly.pdf"])
    )
