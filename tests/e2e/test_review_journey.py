"""A patient rates a completed visit; the rating shows on the doctor's card in /doctors
and on the profile with the review; the doctor replies from the portal; an admin hides
the review (with a reason) and it counts and shows nowhere."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment, AppointmentStatus, User
from healthcareplus.domain.scheduling import tallies
from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    Journey,
    add_doctor_with_login,
    log_in,
)
from tests.e2e.test_accessibility_journey import violations

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"


@dataclass
class Visit:
    doctor_id: int
    doctor_name: str
    tag: str
    doctor_email: str
    patient_email: str


@pytest.fixture
def completed_visit(e2e_db_url: str, _patient_hash: str) -> Visit:
    """A new doctor (with a login) and a new patient whose visit with them last week is
    completed, written straight into the app's database."""
    from healthcareplus.core.db import get_engine

    tag = uuid.uuid4().hex[:6]
    name = f"Dr. Leela Rao {tag}"
    doctor_email, patient_email = f"leela.{tag}@example.in", f"sunil.{tag}@example.in"
    with Session(get_engine(e2e_db_url)) as db:
        doctor = add_doctor_with_login(
            db, _patient_hash, name, doctor_email, experience_years=12, fee_paise=40_000
        )
        patient = User(name="Sunil Varma", email=patient_email, password_hash=_patient_hash)
        db.add(patient)
        db.flush()
        start = utcnow() - timedelta(days=7)
        visit = Appointment(
            patient_id=patient.id,
            doctor_id=doctor.id,
            hospital_id=doctor.hospital_id,
            start_at=start,
            end_at=start + timedelta(minutes=15),
            reason="Fever",
            status=AppointmentStatus.COMPLETED,
            payment_status="Success",
            payment_method="upi",
            fee_paise=doctor.fee_paise,
            booked_at=start - timedelta(days=2),
            completed_at=start + timedelta(minutes=15),
        )
        tallies.count_change(db, None, tallies.Counted.of(visit))
        db.add(visit)
        db.commit()
        assert doctor.id is not None
        return Visit(doctor.id, name, tag, doctor_email, patient_email)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_patient_rates_a_visit_and_everyone_sees_it(
    open_journey, completed_visit: Visit, viewport: dict[str, int]
) -> None:
    v = completed_visit
    patient: Journey = open_journey(viewport, name=f"review-patient-{viewport['width']}")
    page = patient.page
    log_in(patient, v.patient_email, PATIENT_PASSWORD)
    patient.goto("/appointments?tab=past")
    card = page.get_by_test_id("appointment-card").filter(has_text=v.doctor_name)
    card.get_by_role("button", name="Rate your visit").click()
    dialog = page.get_by_role("dialog", name="Rate your visit")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    card.get_by_role("button", name="Rate your visit").click()
    dialog.get_by_role("button", name="Submit review").click()
    expect(dialog.get_by_test_id("error-rating")).to_contain_text("Choose a rating")
    assert violations(page) == []  # the open dialog, its error shown
    rating = dialog.get_by_role("group", name="Your rating")
    rating.get_by_role("radio", name="4 of 5: Very good").check()
    dialog.get_by_label("Your review (optional)").fill("Listened carefully; short wait.")
    patient.shot("rating the visit")
    dialog.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Thank you for your review.")).to_be_visible()
    expect(dialog).to_have_count(0)
    expect(card.get_by_role("button", name="Edit your review")).to_be_visible()
    patient.shot("rated")

    # Changed their mind within the 30 days: five stars.
    card.get_by_role("button", name="Edit your review").click()
    dialog = page.get_by_role("dialog", name="Edit your review")
    expect(dialog.get_by_role("radio", name="4 of 5: Very good")).to_be_checked()
    dialog.get_by_role("radio", name="5 of 5: Excellent").check()
    dialog.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is updated.")).to_be_visible()

    patient.goto(f"/doctors?q={v.tag}")
    result = page.get_by_test_id("doctor-card").filter(has_text=v.doctor_name)
    expect(result.get_by_test_id("doctor-rating")).to_have_text("5.0 ★ (1 review)")
    patient.shot("rating on the card")

    patient.goto(f"/doctor/{v.doctor_id}")
    expect(page.get_by_test_id("doctor-rating").first).to_have_text("5.0 ★ (1 review)")
    review = page.get_by_test_id("review-card")
    expect(review).to_contain_text("Listened carefully; short wait.")
    expect(review).to_contain_text("Sunil V.")
    expect(review.get_by_role("img", name="5 out of 5 stars")).to_be_visible()
    assert violations(page) == []
    patient.shot("review on the profile")

    doctor = open_journey(viewport, name=f"review-doctor-{viewport['width']}")
    log_in(doctor, v.doctor_email, PATIENT_PASSWORD)
    expect(doctor.page).to_have_url(re.compile(r"/doctor-portal$"))
    doctor.page.get_by_test_id("doctor-nav-reviews").first.click()
    expect(doctor.page.get_by_role("heading", name="Reviews")).to_be_visible()
    expect(doctor.page.get_by_test_id("doctor-rating")).to_have_text("5.0 ★ (1 review)")
    doctor.page.get_by_role("button", name="Reply").click()
    reply = doctor.page.get_by_role("dialog", name="Reply to this review")
    reply.get_by_label("Your reply").fill("Thank you, Sunil. Get well soon.")
    reply.get_by_role("button", name="Post reply").click()
    expect(doctor.page.get_by_text("Reply posted.")).to_be_visible()
    expect(doctor.page.get_by_test_id("review-reply")).to_contain_text("Get well soon")
    expect(doctor.page.get_by_role("button", name="Reply")).to_have_count(0)
    expect(doctor.page.get_by_text("Reply posted.")).to_have_count(0)  # a fading toast
    assert violations(doctor.page) == []
    doctor.shot("replied")

    page.reload()
    patient.ready()
    expect(page.get_by_test_id("review-reply")).to_contain_text("Get well soon")

    admin = open_journey(viewport, name=f"review-admin-{viewport['width']}")
    admin.goto("/admin/login")
    admin.page.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.page.get_by_role("button", name="Log in").click()
    expect(admin.page).to_have_url(re.compile(r"/admin$"))
    admin.goto("/admin/reviews")
    listed = admin.page.get_by_test_id("review-card").filter(has_text=v.doctor_name)
    listed.get_by_role("button", name="Hide").click()
    hide = admin.page.get_by_role("dialog", name="Hide this review")
    hide.get_by_label("Reason for hiding").fill("Names another patient")
    hide.get_by_role("button", name="Hide review").click()
    expect(admin.page.get_by_text("Review hidden.")).to_be_visible()
    expect(listed.get_by_test_id("hidden-reason")).to_contain_text("Names another patient")
    expect(admin.page.get_by_text("Review hidden.")).to_have_count(0)
    assert violations(admin.page) == []
    admin.shot("hidden")

    page.reload()
    patient.ready()
    expect(page.get_by_test_id("doctor-rating").first).to_have_text("No reviews yet")
    expect(page.get_by_test_id("review-card")).to_have_count(0)
    patient.shot("hidden review gone")
