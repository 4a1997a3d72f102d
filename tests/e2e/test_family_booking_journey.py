"""A parent adds their child on their profile, books a visit for the child (paying at the
clinic), sees "For: <child>" on the confirmation and My appointments, and the doctor's
visit page shows the child's profile (allergies) with "booked by" the parent; at phone
and desktop size."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor, User
from healthcareplus.domain.clinical.records import age_label
from tests.e2e.conftest import DESKTOP, PHONE, Journey, choose_slot, log_in, now
from tests.e2e.test_accessibility_journey import violations

DOCTOR_EMAIL, DOCTOR_PASSWORD = "doctor@healthcareplus.in", "Doctor@12345"
BORN = date(2019, 5, 4)


@pytest.fixture
def demo_doctor_id(e2e_db_url: str) -> int:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(e2e_db_url)) as db:
        doctor = db.exec(
            select(Doctor).join(User, User.id == Doctor.user_id).where(User.email == DOCTOR_EMAIL)
        ).one()
        assert doctor.id is not None
        return doctor.id


def add_child(j: Journey, name: str) -> None:
    j.goto("/profile")
    page = j.page
    card = page.get_by_test_id("family-card")
    expect(card.get_by_text("No family members yet.")).to_be_visible()
    card.get_by_role("button", name="Add family member").click()
    form = page.get_by_test_id("family-form")
    form.get_by_label("Full name").fill(name)
    form.get_by_label("Relation").select_option("child")
    form.get_by_label("Date of birth").fill(BORN.isoformat())
    form.get_by_label("Gender").select_option("Female")
    form.get_by_label("Blood group").select_option("O+")
    form.get_by_label("Allergies").fill("Peanuts")
    assert violations(page) == []  # axe: the open form
    j.shot("family member form")
    form.get_by_role("button", name="Save family member").click()
    member = card.get_by_test_id("family-member")
    expect(member).to_contain_text(name)
    expect(member.get_by_test_id("family-relation")).to_have_text("Child")
    expect(member).to_contain_text("Allergies: Peanuts")
    expect(page.get_by_test_id("family-form")).to_have_count(0)
    # The "saved" toast first goes (axe would measure it mid-fade); away from it, as a
    # pointer over it holds it.
    page.mouse.move(0, 0)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)
    assert violations(page) == []  # axe: the card with its member
    j.shot("family member added")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_parent_books_for_their_child(
    open_journey, new_patient, demo_doctor_id, viewport
) -> None:
    size = "phone" if viewport is PHONE else "desktop"
    parent, child = f"Asha Kapoor {size.title()}", f"Riya Kapoor {size.title()}"
    j: Journey = open_journey(viewport, name=f"family-booking-{size}")
    log_in(j, new_patient(parent))
    add_child(j, child)

    chosen = choose_slot(j, demo_doctor_id)
    page = j.page
    who = page.get_by_label("Who is this visit for?")
    expect(who).to_have_value("")  # Myself unless the patient chooses
    who.select_option(label=f"{child} (Child)")
    page.get_by_label("Reason for visit").fill("Rash after eating peanuts")
    assert violations(page) == []  # axe: the summary with the choice
    j.shot("booking for the child")
    page.get_by_role("button", name="Confirm and pay").click()
    expect(page).to_have_url(re.compile(r"/pay/[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Pay at Clinic").click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_test_id("confirmed-banner")).to_be_visible()
    expect(page.get_by_test_id("appointment-for")).to_have_text(f"For: {child} (Child)")
    found = re.search(r"/appointments/([0-9a-f-]{36})", page.url)
    assert found is not None
    visit_id = found.group(1)
    j.shot("confirmed for the child")

    j.goto("/appointments")
    card = page.get_by_test_id("appointment-card").filter(has_text=chosen.when)
    expect(card.get_by_test_id("appointment-for")).to_have_text(f"For: {child} (Child)")
    j.shot("my appointments")

    doc: Journey = open_journey(viewport, name=f"family-booking-doctor-{size}")
    log_in(doc, DOCTOR_EMAIL, DOCTOR_PASSWORD)
    expect(doc.page).to_have_url(re.compile(r"/doctor-portal$"))
    doc.ready()
    listed = doc.page.locator(f'a[href="/doctor-portal/visits/{visit_id}"]')
    expect(listed).to_contain_text(child)
    expect(listed).to_contain_text(f"Booked by {parent}")
    doc.shot("doctor's list")
    doc.goto(f"/doctor-portal/visits/{visit_id}")
    patient = doc.page
    expect(patient.get_by_test_id("patient-name")).to_contain_text(child)
    expect(patient.get_by_test_id("booked-by")).to_contain_text(parent)
    expect(patient.get_by_test_id("allergies")).to_have_text("Allergies: Peanuts")
    age = age_label(BORN, clinic_today(now()))  # "7 years" (as of the clinic's today)
    expect(patient.get_by_text(age, exact=True)).to_be_visible()
    assert violations(patient) == []
    doc.shot("doctor sees the child's profile")
