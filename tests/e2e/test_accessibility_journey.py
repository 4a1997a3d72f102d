"""axe-core over every page of the app, public, patient, doctor and admin, at phone and
desktop sizes: no violation of any impact. Each page is checked once it has loaded its
data (the hydration marker), so what is audited is what a visitor sees."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AppointmentStatus, Doctor, Role, User
from healthcareplus.domain.scheduling.availability import day_slots
from tests.e2e.conftest import DAYS_AHEAD, DESKTOP, PHONE, Journey, log_in, now
from tests.e2e.test_admin_actions_journey import admin_login
from tests.e2e.test_doctor_journey import DOCTOR_EMAIL, DOCTOR_PASSWORD
from tests.factories import create_booking

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
PUBLIC = (
    "/",
    "/doctors",
    "/doctors?specialization=Cardiologist",
    "/city/1",
    "/hospital/1",
    "/doctor/3",
    "/symptom-checker",
    "/login",
    "/forgot-password",
    "/register",
    "/admin/login",
    "/admin/register",
    "/set-password?token=not-a-real-link",
    "/no-such-page",
)
PATIENT = ("/appointments", "/appointments?tab=past", "/appointments?tab=cancelled", "/book/4",
           "/profile", "/notifications", "/account/security", "/account/data",
           "/waitlist")  # fmt: skip
DOCTOR = (
    "/doctor-portal",
    "/doctor-portal/schedule",
    "/doctor-portal/profile",
    "/doctor-portal/reports",
    "/doctor-portal/reviews",
)
ADMIN = (
    "/admin",
    "/admin/doctors",
    "/admin/doctors/1",
    "/admin/patients",
    "/admin/locations",
    "/admin/timetable",
    "/admin/reports",
    "/admin/audit",
    "/admin/messages",
    "/admin/webhooks",
    "/admin/fee-requests",
    "/admin/admins",
    "/admin/sign-in-locks",
    "/admin/reviews",
)
_axe = Axe()


def _free_slots(db: Session, doctor: Doctor) -> tuple[datetime, datetime]:
    """Two free slots of the doctor a few days ahead (whatever the time of day)."""
    assert doctor.id is not None
    today = clinic_today(now())
    for offset in range(DAYS_AHEAD, 20):
        day = today + timedelta(days=offset)
        free = [s for s in day_slots(db, doctor_id=doctor.id, day=day, now=now()) if s.is_free]
        if len(free) >= 2:
            return free[-1].start_at, free[-2].start_at
    raise AssertionError("no free slots")


def violations(page: Page) -> list[str]:
    """Every axe violation on the page, one line each (rule, impact, where). A toast is
    let go first: axe would measure its colours halfway through its fade."""
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)
    found = _axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}) at {json.dumps([n['target'] for n in v['nodes']][:3])}: "
        + v["nodes"][0]["failureSummary"].replace("\n", " ")
        for v in found
    ]


def assert_accessible(j: Journey, paths: tuple[str, ...]) -> None:
    """No page has a violation; the failure lists every one of every page."""
    found = {}
    for path in paths:
        j.goto(path)
        expect(j.page.locator("main")).to_be_visible()
        if problems := violations(j.page):
            found[path] = problems
    assert not found, json.dumps(found, indent=1)


@SIZES
def test_public_pages(open_journey, viewport) -> None:
    j: Journey = open_journey(viewport)
    assert_accessible(j, PUBLIC)


@SIZES
def test_patient_pages(open_journey, new_patient, e2e_db_url: str, viewport) -> None:
    email = new_patient("Kiran Bhat")
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        patient = db.exec(select(User).where(User.email == email)).one()
        doctor = db.exec(select(Doctor).where(col(Doctor.id) == 4)).one()
        first, second = _free_slots(db, doctor)
        visit = create_booking(db, doctor=doctor, patient=patient, start_at=first, now=now())
        held = create_booking(
            db, doctor=doctor, patient=patient, start_at=second, now=now(), method=None
        )
    j: Journey = open_journey(viewport)
    log_in(j, email)
    pages = (*PATIENT, f"/appointments/{visit.id}", f"/reschedule/{visit.id}", f"/pay/{held.id}")
    assert_accessible(j, pages)


@SIZES
def test_doctor_pages(open_journey, e2e_db_url: str, viewport) -> None:
    j: Journey = open_journey(viewport)
    log_in(j, DOCTOR_EMAIL, DOCTOR_PASSWORD)
    with Session(get_engine(e2e_db_url)) as db:
        doctor = db.exec(
            select(Doctor)
            .join(User, col(User.id) == Doctor.user_id)
            .where(User.email == DOCTOR_EMAIL)
        ).one()
        visit = db.exec(
            select(Appointment.id).where(
                Appointment.doctor_id == doctor.id,
                col(Appointment.status) == AppointmentStatus.CONFIRMED,
            )
        ).first()
    pages = (*DOCTOR, *((f"/doctor-portal/visits/{visit}",) if visit else ()))
    assert_accessible(j, pages)


@SIZES
def test_admin_pages(open_journey, e2e_db_url: str, viewport) -> None:
    with Session(get_engine(e2e_db_url)) as db:
        patient = db.exec(select(User.id).where(User.role == Role.PATIENT)).first()
    j: Journey = open_journey(viewport)
    admin_login(j)
    assert_accessible(j, (*ADMIN, f"/admin/patients/{patient}"))
