"""Shared by the doctor portal's and the admin's API tests: people with working sign-ins
(a doctor with a practice, another doctor, a patient, an admin, API keys), a clinic
around the real clock (the API reads it: every day and slot is chosen to exist at any
hour), the refusals every protected endpoint must answer with, and a snapshot of the
tables a refused write must leave as they were."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Doctor, Role, User
from tests.admin_data import AdminClinic, build_admin_clinic
from tests.api.v1.conftest import V1, TestClient, make_user, problem, tokens
from tests.factories import (
    create_appointment,
    create_city,
    create_doctor,
    create_hospital,
    local,
    settle_payment,
)

EVERY_DAY = tuple((d, "09:00", "13:00", 15) for d in range(7))
# What a refused write must leave untouched.
TABLES = (
    "appointments",
    "payments",
    "treatments",
    "prescription_items",
    "doctor_schedules",
    "time_off",
    "doctors",
    "users",
    "cities",
    "hospitals",
    "audit_events",
    "download_grants",
    "notifications",
    "password_links",
)


@dataclass
class Staff:
    """Bearer headers of each kind of caller, and the rows behind them."""

    doctor: Doctor
    doctor_user: User
    other_doctor: Doctor
    patient: User
    admin: User
    doctor_headers: dict[str, str]
    other_headers: dict[str, str]
    patient_headers: dict[str, str]
    admin_headers: dict[str, str]
    today: date

    @property
    def tz(self) -> ZoneInfo:
        return get_settings().clinic_zone

    def now_plus(self, *, days: int) -> datetime:
        return utcnow() + timedelta(days=days)


def build_staff(client: TestClient, db: Session) -> Staff:
    city = create_city(db, name="Bengaluru")
    hospital = create_hospital(db, city=city, name="Sunrise Hospital")
    doctor = create_doctor(db, hospital=hospital, name="Dr. Kavya Menon", schedule=EVERY_DAY)
    other = create_doctor(db, hospital=hospital, name="Dr. Ravi Shetty", schedule=EVERY_DAY)
    doctor_user = make_user(db, role=Role.DOCTOR, email="kavya@example.in", name=doctor.name)
    other_user = make_user(db, role=Role.DOCTOR, email="ravi@example.in", name=other.name)
    doctor.user_id, other.user_id = doctor_user.id, other_user.id
    db.add_all([doctor, other])
    db.commit()
    patient = make_user(db, email="asha@example.in", name="Asha Rao")
    patient.blood_group, patient.allergies = "B+", "Penicillin"
    patient.medical_history = "Asthma since childhood"
    db.add(patient)
    db.commit()
    admin = make_user(db, role=Role.ADMIN, email="meera@example.in", name="Meera Iyer")
    return Staff(
        doctor=doctor,
        doctor_user=doctor_user,
        other_doctor=other,
        patient=patient,
        admin=admin,
        doctor_headers=tokens(client, "kavya@example.in").headers,
        other_headers=tokens(client, "ravi@example.in").headers,
        patient_headers=tokens(client, "asha@example.in").headers,
        admin_headers=tokens(client, "meera@example.in").headers,
        today=clinic_today(utcnow()),
    )


@dataclass
class AdminWorld:
    """The admin test clinic (``tests.admin_data``) around the real clock, and callers:
    an admin, Anil's doctor login, a patient, and API keys of the admin's."""

    clinic: AdminClinic
    admin: User
    admin_headers: dict[str, str]
    doctor_headers: dict[str, str]
    patient_headers: dict[str, str]
    reader_key: dict[str, str]  # admin:read
    writer_key: dict[str, str]  # admin:read and admin:write
    catalog_key: dict[str, str]  # catalog:read only

    def __getitem__(self, key: str) -> Appointment:
        return self.clinic[key]


def build_admin_world(client: TestClient, db: Session) -> AdminWorld:
    now = utcnow()
    clinic = build_admin_clinic(db, today=clinic_today(now), now=now)
    admin = make_user(db, role=Role.ADMIN, email="meera@example.in", name="Meera Iyer")
    doctor_user = make_user(db, role=Role.DOCTOR, email="anil@example.in", name="Dr. Anil Rao")
    clinic.anil.user_id = doctor_user.id
    db.add(clinic.anil)
    db.commit()
    make_user(db, email="asha@example.in", name="Asha Rao")
    admin_headers = tokens(client, "meera@example.in").headers
    return AdminWorld(
        clinic=clinic,
        admin=admin,
        admin_headers=admin_headers,
        doctor_headers=tokens(client, "anil@example.in").headers,
        patient_headers=tokens(client, "asha@example.in").headers,
        reader_key=api_key(client, admin_headers, "admin:read"),
        writer_key=api_key(client, admin_headers, "admin:read", "admin:write"),
        catalog_key=api_key(client, admin_headers, "catalog:read"),
    )


def booked(
    db: Session,
    doctor: Doctor,
    patient: User,
    day: date,
    hhmm: str,
    *,
    status: str = "confirmed",
    paid: bool = False,
    method: str = "upi",
) -> Appointment:
    """An appointment of ``doctor`` on a clinic day at a slot time (paid: by ``method``)."""
    row = create_appointment(
        db, doctor=doctor, patient=patient, start_at=local(day, hhmm), status=status
    )
    if paid:
        settle_payment(db, row, method=method)
    return row


def api_key(client: TestClient, admin_headers: dict[str, str], *scopes: str) -> dict[str, str]:
    """``X-API-Key`` headers of a new key of the admin with ``scopes``."""
    made = client.post(
        f"{V1}/admin/api-keys",
        headers=admin_headers,
        json={"name": "Integration", "scopes": list(scopes)},
    )
    assert made.status_code == 201, made.text
    return {"X-API-Key": made.json()["key"]}


def snapshot(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a write could touch, in a stable order."""
    db.expire_all()
    found = {}
    for table in TABLES:
        rows = db.connection().execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        found[table] = sorted((tuple(r) for r in rows), key=repr)
    return found


Call = tuple[str, str, dict[str, Any] | None]  # method, path (after /api/v1), JSON body


def send(client: TestClient, call: Call, headers: dict[str, str]) -> Any:
    method, path, body = call
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return client.request(method, f"{V1}{path}", **kwargs)


def refused_unchanged(
    client: TestClient,
    db: Session,
    calls: Iterable[Call],
    headers: dict[str, str],
    status: int,
    slug: str | None = None,
) -> None:
    """Each call is refused with ``status`` (``slug``) and no table changes."""
    before = snapshot(db)
    for call in calls:
        problem(send(client, call, headers), status, slug)
    assert snapshot(db) == before


def days_ahead(today: date, n: int) -> date:
    return today + timedelta(days=n)


__all__ = [
    "EVERY_DAY",
    "AdminWorld",
    "build_admin_world",
    "Call",
    "Staff",
    "api_key",
    "booked",
    "build_staff",
    "days_ahead",
    "refused_unchanged",
    "send",
    "snapshot",
]
