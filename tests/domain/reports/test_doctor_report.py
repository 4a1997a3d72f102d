"""A doctor's own monthly report: their rows only, through one-time links that only that
doctor can use; the files are the admins' monthly summary files."""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from healthcareplus.api import api
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.models import AuditEvent, Doctor, Role, User
from healthcareplus.domain.reports import download_links as links
from healthcareplus.domain.reports.doctor_report import doctor_monthly_summary
from tests.factories import (
    add_payment,
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    link_doctor_user,
    local,
)

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

MARCH = date(2026, 3, 1)


@pytest.fixture
def doctors(session: Session) -> tuple[Doctor, Doctor]:
    """Two doctors of one hospital in March 2026: Kavya has a paid visit, Ravi two visits."""
    sunrise = create_hospital(session, name="Sunrise Hospital")
    kavya = create_doctor(session, hospital=sunrise, name="Dr. Kavya Menon", fee_paise=70_000)
    ravi = create_doctor(session, hospital=sunrise, name="Dr. Ravi Shetty", fee_paise=40_000)
    link_doctor_user(session, kavya)
    link_doctor_user(session, ravi)
    patient = create_patient(session)
    paid = create_appointment(
        session,
        doctor=kavya,
        patient=patient,
        start_at=local(MARCH, "10:00"),
        payment_status="Success",
    )
    add_payment(session, appointment=paid, status="Success")
    for day in (2, 3):
        create_appointment(
            session,
            doctor=ravi,
            patient=patient,
            start_at=local(MARCH + timedelta(days=day), "11:00"),
        )
    session.commit()
    return kavya, ravi


def test_a_doctor_sees_only_their_own_rows(
    session: Session, doctors: tuple[Doctor, Doctor]
) -> None:
    kavya, ravi = doctors
    mine = doctor_monthly_summary(session, actor_id=kavya.user_id, year=2026, month=3)
    assert mine.label == "March 2026 · Dr. Kavya Menon"
    assert [d.doctor for d in mine.doctors] == ["Dr. Kavya Menon"]
    assert (mine.totals.bookings, mine.totals.revenue_paise) == (1, 70_000)
    assert [(h.hospital, h.bookings) for h in mine.hospitals] == [("Sunrise Hospital", 1)]
    theirs = doctor_monthly_summary(session, actor_id=ravi.user_id, year=2026, month=3)
    assert (theirs.totals.bookings, theirs.totals.revenue_paise) == (2, 0)


def test_only_a_doctor_gets_a_doctor_report(
    session: Session, doctors: tuple[Doctor, Doctor]
) -> None:
    admin = create_user(session, role=Role.ADMIN)
    for actor in (admin.id, create_patient(session).id, None, "1"):
        with pytest.raises(Forbidden):
            doctor_monthly_summary(session, actor_id=actor, year=2026, month=3)
        with pytest.raises(Forbidden):
            links.doctor_monthly_link(session, actor, year=2026, month=3, fmt="csv", now=utcnow())  # type: ignore[arg-type]


def test_a_doctor_cannot_have_an_admin_export(
    session: Session, doctors: tuple[Doctor, Doctor]
) -> None:
    kavya, _ = doctors
    assert kavya.user_id is not None
    with pytest.raises(Forbidden, match=links.NOT_ADMIN):
        links.monthly_link(session, kavya.user_id, year=2026, month=3, fmt="csv", now=utcnow())
    with pytest.raises(Forbidden, match=links.NOT_ADMIN):
        links.issue_grant(
            session, user_id=kavya.user_id, purpose="appointments_csv", params={}, now=utcnow()
        )


@pytest.mark.parametrize(
    ("fmt", "start"), [("csv", b"\xef\xbb\xbfMonthly summary"), ("pdf", b"%PDF-"), ("xlsx", b"PK")]
)
def test_the_link_serves_the_doctors_file_once(
    db_url: str, session: Session, doctors: tuple[Doctor, Doctor], fmt: str, start: bytes
) -> None:
    kavya, _ = doctors
    assert kavya.user_id is not None
    with session_scope() as db:
        link = links.doctor_monthly_link(
            db, kavya.user_id, year=2026, month=3, fmt=fmt, now=utcnow()
        )  # type: ignore[arg-type]
    assert urlsplit(link).path == f"/api/doctor/reports/monthly.{fmt}"
    client = TestClient(api)
    response = client.get(link)
    assert response.status_code == 200 and response.content.startswith(start)
    assert response.headers["content-disposition"] == (
        f'attachment; filename="monthly-summary-2026-03.{fmt}"'
    )
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "Dr. Kavya Menon" in text and "Dr. Ravi Shetty" not in text
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content))["Doctors"]
        assert [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
            "Dr. Kavya Menon",
            "Total",
        ]
    assert client.get(link).status_code == 403  # used up
    session.expire_all()
    [entry] = session.exec(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert (entry.actor_user_id, entry.actor_role, entry.entity_id) == (
        kavya.user_id,
        "doctor",
        f"doctor_monthly_{fmt}",
    )


def test_a_doctor_deactivated_after_the_link_was_made_gets_nothing(
    db_url: str, session: Session, doctors: tuple[Doctor, Doctor]
) -> None:
    kavya, _ = doctors
    assert kavya.user_id is not None
    with session_scope() as db:
        link = links.doctor_monthly_link(
            db, kavya.user_id, year=2026, month=3, fmt="csv", now=utcnow()
        )
    login = session.get(User, kavya.user_id)
    assert login is not None
    login.is_active = False
    session.add(login)
    session.commit()
    response = TestClient(api).get(link)
    assert response.status_code == 403 and "content-disposition" not in response.headers


def test_an_admin_grant_does_not_open_a_doctor_path(
    db_url: str, session: Session, doctors: tuple[Doctor, Doctor]
) -> None:
    admin = create_user(session, role=Role.ADMIN)
    with session_scope() as db:
        link = links.monthly_link(db, admin.id, year=2026, month=3, fmt="csv", now=utcnow())  # type: ignore[arg-type]
    doctor_path = link.replace("/api/admin/reports/", "/api/doctor/reports/")
    assert TestClient(api).get(doctor_path).status_code == 403
