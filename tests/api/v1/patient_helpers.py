"""Shared by the patient endpoints' tests: a clinic with a doctor who works every day,
people of each role signed in through the API, slots that exist at any hour, and a visit
completed with its treatment record. Each test module makes its own fixtures of these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Doctor, Role, User
from healthcareplus.domain.clinical.records import save_treatment
from healthcareplus.domain.clinical.visit_closing import mark_completed
from tests.api.v1.conftest import EVERY_DAY, V1, TestClient, make_user, set_env, tokens
from tests.factories import (
    create_booking,
    create_city,
    create_doctor,
    create_hospital,
    link_doctor_user,
    local,
)

APPOINTMENTS = f"{V1}/appointments"
UPI = {"method": "upi", "upi_vpa": "asha@okaxis"}


@dataclass(frozen=True)
class Person:
    user: User
    headers: dict[str, str]

    @property
    def id(self) -> int:
        assert self.user.id is not None
        return self.user.id


@dataclass(frozen=True)
class Surgery:
    doctor: Doctor
    doctor_user: User


def slot(days: int = 2, hhmm: str = "10:00") -> datetime:
    """A slot of the every-day doctor ``days`` clinic days from today (always bookable:
    at least a day ahead, inside the horizon)."""
    return local(clinic_today(utcnow()) + timedelta(days=days), hhmm)


def iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def person(client: TestClient, db: Session, role: str = Role.PATIENT, name: str = "") -> Person:
    user = make_user(db, role=role, name=name or f"{str(role).title()} Person")
    return Person(user, tokens(client, user.email).headers)


def build_surgery(db: Session, monkeypatch: pytest.MonkeyPatch) -> Surgery:
    """A doctor (₹500, 15-minute slots 09:00–13:00 every day) with a login; payments by
    the mock gateway always succeed (its test instruments still decline)."""
    set_env(monkeypatch, payment_success_rate=1.0)
    city = create_city(db, name="Bengaluru")
    hospital = create_hospital(db, city=city, name="Sunrise Hospital", address="12 MG Road")
    doctor = create_doctor(
        db, hospital=hospital, name="Dr. Kavya Menon", fee_paise=50_000, schedule=EVERY_DAY
    )
    return Surgery(doctor, link_doctor_user(db, doctor))


def book(client: TestClient, who: Person, surgery: Surgery, start: datetime, **extra: Any) -> Any:
    body = {"doctor_id": surgery.doctor.id, "start_at": iso(start), "reason": "Fever for 3 days"}
    headers = {**who.headers, **extra.pop("headers", {})}
    return client.post(APPOINTMENTS, json={**body, **extra}, headers=headers)


def booked(client: TestClient, who: Person, surgery: Surgery, start: datetime) -> str:
    response = book(client, who, surgery, start)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def paid(client: TestClient, who: Person, surgery: Surgery, start: datetime) -> str:
    appointment_id = booked(client, who, surgery, start)
    response = client.post(
        f"{APPOINTMENTS}/{appointment_id}/payment", json=UPI, headers=who.headers
    )
    assert response.status_code == 200, response.text
    return appointment_id


def completed_visit(db: Session, surgery: Surgery, patient: User, days_ago: int = 3) -> Appointment:
    """A visit ``days_ago`` days back, paid at the clinic, completed, its record written."""
    visit = local(clinic_today(utcnow()) - timedelta(days=days_ago), "10:00")
    appointment = create_booking(
        db,
        doctor=surgery.doctor,
        start_at=visit,
        now=visit - timedelta(days=2),
        patient=patient,
        method="pay_at_clinic",
    )
    during = visit + timedelta(minutes=5)
    ids = {"doctor_id": surgery.doctor.id, "appointment_id": appointment.id}
    save_treatment(
        db,
        **ids,
        visit_type="consultation",
        diagnosis="Acute pharyngitis",
        notes="Warm saline gargles.",
        items=[
            {
                "medicine": "Paracetamol 500 mg",
                "dose": "1 tablet",
                "frequency": "Thrice a day",
                "duration": "5 days",
            }
        ],
        actor_id=surgery.doctor_user.id,
        now=during,
    )
    mark_completed(db, **ids, actor_id=surgery.doctor_user.id, now=during)
    db.commit()
    return appointment
