"""A doctor's own pages: Appointments (search a patient, filter by status, the week view
moved back a week), My patients (the patient seen earlier, and that visit's whole
treatment record: diagnosis, a prescription line, notes), and their own photo on My
profile. At phone and desktop sizes.

Each size works on its own new doctor with two patients: Patient A was seen a week ago
(completed, with a record), patient B is booked in two days. Time-of-day independent: a
week ago is always in the previous week, two days ahead always upcoming.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor, User
from healthcareplus.domain.clinical.records import save_treatment
from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    WORK,
    Journey,
    add_doctor_with_login,
    log_in,
    now,
)
from tests.factories import create_appointment, local

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
PHOTO_SRC = re.compile(r"^/_upload/doctors/[0-9a-f]{32}\.jpg$")
UPLOADS = WORK / "uploaded_files" / "doctors"


@dataclass(frozen=True)
class Practice:
    doctor_id: int
    doctor_name: str
    email: str
    seen: str  # patient A's name (completed a week ago)
    booked: str  # patient B's name (in two days)


@pytest.fixture
def practice(e2e_db_url: str, _patient_hash: str) -> Iterator[Practice]:
    tag = uuid.uuid4().hex[:6]
    name, email = f"Dr. Lakshmi Rao {tag}", f"lakshmi.{tag}@example.in"
    seen, booked = f"Anand Kulkarni {tag}", f"Bhavna Shetty {tag}"
    today = clinic_today(now())
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        doctor = add_doctor_with_login(
            db, _patient_hash, name, email, qualification="MBBS, MD", experience_years=12
        )
        patients = [
            User(name=who, email=f"{who.split()[0].lower()}.{tag}@example.in", phone=phone)
            for who, phone in ((seen, "+91 98450 70001"), (booked, "+91 98450 70002"))
        ]
        for user in patients:
            user.password_hash = _patient_hash
        db.add_all(patients)
        db.commit()
        earlier = create_appointment(
            db,
            doctor=doctor,
            patient=patients[0],
            start_at=local(today - timedelta(days=7), "10:00"),
            minutes=15,
            status="completed",
            reason="Fever and body ache",
        )
        create_appointment(
            db,
            doctor=doctor,
            patient=patients[1],
            start_at=local(today + timedelta(days=2), "11:00"),
            minutes=15,
            reason="Knee pain",
        )
        save_treatment(
            db,
            doctor_id=doctor.id or 0,
            appointment_id=earlier.id,
            visit_type="consultation",
            diagnosis="Viral fever",
            notes="Plenty of fluids; come back if the fever lasts.",
            items=[
                {
                    "medicine": "Paracetamol 650 mg",
                    "dose": "1 tablet",
                    "frequency": "Thrice a day",
                    "duration": "3 days",
                }
            ],
            actor_id=doctor.user_id or 0,
            now=now(),
        )
        db.commit()
        picked = Practice(doctor.id or 0, name, email, seen, booked)
    yield picked
    with Session(get_engine(e2e_db_url)) as db:  # a failed run leaves no photo behind
        row = db.get(Doctor, picked.doctor_id)
        if row is not None and row.photo_url and PHOTO_SRC.match(row.photo_url):
            (UPLOADS / row.photo_url.rsplit("/", 1)[-1]).unlink(missing_ok=True)


def portrait_png() -> bytes:
    image = Image.new("RGB", (500, 400), (0, 110, 140))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@SIZES
def test_a_doctor_finds_appointments_patients_and_sets_a_photo(
    open_journey, viewport: dict[str, int], practice: Practice
) -> None:
    j: Journey = open_journey(viewport)
    page = j.page
    log_in(j, practice.email, PATIENT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/doctor-portal$"))
    j.ready()

    # --- Appointments: upcoming by default -------------------------------------------------
    page.get_by_test_id("doctor-nav-appointments").click()
    expect(page).to_have_url(re.compile(r"/doctor-portal/appointments$"))
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    cards = page.get_by_test_id("appointments-list").get_by_test_id("visit-card")
    expect(cards.filter(has_text=practice.booked)).to_have_count(1)
    expect(cards.filter(has_text=practice.seen)).to_have_count(0)  # it is in the past
    j.shot("upcoming appointments")

    # Search patient A among all of them, then filter by status.
    page.get_by_role("radio", name="All").click()
    expect(cards).to_have_count(2)
    page.get_by_label("Search patients").fill(practice.seen.split()[0])
    page.get_by_role("button", name="Search").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(practice.seen)
    expect(cards.first).to_contain_text("Completed")
    page.get_by_label("Status").select_option("Cancelled")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("appointments-list-empty")).to_have_text("No appointments match.")
    page.get_by_label("Status").select_option("Completed")
    page.get_by_role("button", name="Search").click()
    expect(cards.filter(has_text=practice.seen)).to_have_count(1)
    j.shot("searched and filtered")

    # The week view, moved back a week: the earlier visit is there.
    page.get_by_role("radio", name="Week").click()
    label = page.get_by_test_id("week-label")
    expect(label).to_be_visible()
    this_week = label.inner_text()
    visits = page.get_by_test_id("week-grid").get_by_test_id("week-visit")
    expect(visits.filter(has_text=practice.seen)).to_have_count(0)
    page.get_by_test_id("previous-week").click()
    expect(label).not_to_have_text(this_week)
    expect(visits.filter(has_text=practice.seen)).to_have_count(1)
    expect(page.get_by_role("button", name="This week")).to_be_visible()
    j.shot("previous week")
    page.get_by_role("button", name="This week").click()
    expect(label).to_have_text(this_week)

    # --- My patients: the patient seen, and that visit's whole record ----------------------
    page.get_by_test_id("doctor-nav-patients").click()
    expect(page.get_by_role("heading", name="My patients", level=1)).to_be_visible()
    patients = page.get_by_test_id("patients-list").get_by_test_id("patient-card")
    expect(patients).to_have_count(1)  # patient B has not been seen yet
    page.get_by_label("Search your patients").fill(practice.seen.split()[1])
    page.get_by_role("button", name="Search").click()
    expect(patients.filter(has_text=practice.seen)).to_contain_text("1 visit")
    j.shot("my patients")
    patients.filter(has_text=practice.seen).click()
    expect(page.get_by_role("heading", name=practice.seen, level=1)).to_be_visible()
    visit = page.get_by_test_id("history-visit").first
    expect(visit.get_by_test_id("history-diagnosis")).to_have_text("Viral fever")
    expect(visit.get_by_test_id("prescription-line")).to_contain_text("Paracetamol 650 mg")
    expect(visit.get_by_test_id("prescription-line")).to_contain_text("Thrice a day")
    expect(visit.get_by_test_id("history-notes")).to_contain_text("Plenty of fluids")
    expect(page.get_by_test_id("patient-profile")).to_contain_text("+91 98450 70001")
    j.shot("patient history")

    # --- My profile: their own photo ---------------------------------------------------------
    page.get_by_test_id("doctor-nav-profile").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    preview = page.get_by_test_id("own-photo-preview")
    expect(preview.get_by_role("img", name=practice.doctor_name)).to_have_count(0)
    page.get_by_label("Your photo file").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": portrait_png()}]
    )
    expect(page.get_by_text("Your photo is saved. Patients see it at once.")).to_be_visible()
    image = preview.get_by_role("img", name=practice.doctor_name)
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", PHOTO_SRC)
    j.shot("own photo uploaded")

    # Patients see it on the doctor's public profile.
    src = image.get_attribute("src") or ""
    j.goto(f"/doctor/{practice.doctor_id}")
    expect(page.locator("main").get_by_role("img", name=practice.doctor_name)).to_have_attribute(
        "src", src
    )

    j.goto("/doctor-portal/profile")
    page.get_by_role("button", name="Remove photo").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove photo").click()
    expect(page.get_by_text("Your photo is removed.")).to_be_visible()
    expect(preview.get_by_role("img", name=practice.doctor_name)).to_have_count(0)
    j.shot("own photo removed")
