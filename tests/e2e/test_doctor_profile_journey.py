"""A doctor runs their own profile: qualifications, languages and the medical registration
(which patients then read), and a fee change that an admin approves; the doctor sees the
decision and the new fee."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    Journey,
    add_doctor_with_login,
    log_in,
)

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"


@dataclass
class NewDoctor:
    id: int
    name: str
    email: str


@pytest.fixture
def new_doctor(e2e_db_url: str, _patient_hash: str) -> NewDoctor:
    """A doctor of the first seeded hospital, with a login (the journey password)."""
    from healthcareplus.core.db import get_engine

    tag = uuid.uuid4().hex[:6]
    name, email = f"Dr. Kiran Bhat {tag}", f"kiran.{tag}@example.in"
    with Session(get_engine(e2e_db_url)) as db:
        doctor = add_doctor_with_login(
            db,
            _patient_hash,
            name,
            email,
            specialization="Dermatologist",
            department="Dermatology",
            experience_years=8,
            gender="Male",
        )
        db.commit()
        return NewDoctor(doctor.id, name, email)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_doctor_edits_their_profile_and_an_admin_approves_a_new_fee(
    open_journey, new_doctor: NewDoctor, viewport: dict[str, int]
) -> None:
    doctor: Journey = open_journey(viewport, name=f"doctor-profile-{viewport['width']}")
    page = doctor.page
    log_in(doctor, new_doctor.email, PATIENT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/doctor-portal$"))
    doctor.goto("/doctor-portal/profile")
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    expect(page.get_by_test_id("current-fee")).to_have_text("₹500")

    page.get_by_label("Qualifications").fill("MBBS, MD (Dermatology)")
    page.get_by_label("Languages (comma separated)").fill("English, kannada")
    page.get_by_label("About").fill("Skin and hair clinic, weekdays.")
    page.get_by_label("Registration number").fill("kmc 55501")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_test_id("error-registration_number")).to_contain_text("both")
    page.get_by_label("Registered with").select_option("Karnataka Medical Council")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Profile saved")).to_be_visible()
    expect(page.get_by_label("Registration number")).to_have_value("KMC 55501")
    doctor.shot("profile saved")

    page.get_by_label("New fee (₹)").fill("650")
    page.get_by_label("Reason (optional)").fill("Longer consultations")
    page.get_by_role("button", name="Ask for this fee").click()
    expect(page.get_by_test_id("fee-request-status")).to_contain_text(
        "Waiting for the clinic's decision"
    )
    doctor.shot("fee change requested")

    patient = open_journey(viewport, name=f"doctor-profile-patient-{viewport['width']}")
    patient.goto(f"/doctor/{new_doctor.id}")
    expect(patient.page.get_by_text("MBBS, MD (Dermatology)")).to_be_visible()
    expect(patient.page.get_by_text("Kannada")).to_be_visible()
    expect(patient.page.get_by_text("₹500").first).to_be_visible()  # not approved yet

    admin = open_journey(viewport, name=f"doctor-profile-admin-{viewport['width']}")
    admin.goto("/admin/login")
    admin.page.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.page.get_by_role("button", name="Log in").click()
    expect(admin.page).to_have_url(re.compile(r"/admin$"))
    admin.goto("/admin/fee-requests")
    row = admin.page.get_by_test_id("fee-request-row").filter(has_text=new_doctor.name)
    expect(row).to_contain_text("Longer consultations")
    expect(row.get_by_test_id("fee-requested")).to_have_text("₹650")
    admin.shot("fee request listed")
    row.get_by_role("button", name="Approve").click()
    admin.page.get_by_role("button", name="Approve fee").click()
    expect(admin.page.get_by_text("Fee change approved")).to_be_visible()
    expect(row).to_have_count(0)
    admin.shot("approved")

    doctor.page.reload()
    doctor.ready()
    expect(page.get_by_test_id("current-fee")).to_have_text("₹650")
    expect(page.get_by_test_id("fee-request-status")).to_contain_text("Approved")
    doctor.shot("doctor sees the new fee")
    patient.page.reload()
    patient.ready()
    expect(patient.page.get_by_text("₹650").first).to_be_visible()

    doctor.goto("/doctor-portal/reports")
    expect(page.get_by_role("heading", name="Monthly report")).to_be_visible()
    expect(page.get_by_test_id("month-bookings")).to_have_text("0")
    with page.expect_download() as excel:
        page.get_by_role("button", name="Excel").click()
    assert excel.value.suggested_filename.endswith(".xlsx")
    assert excel.value.path().read_bytes().startswith(b"PK")
    doctor.shot("monthly report downloaded")
