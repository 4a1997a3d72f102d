"""The front desk's day with a walk-in patient: the desk signs in, registers someone who
walked in (name, mobile number and email: the claim invitation arrives by email), books
them through the booking wizard, confirms the visit with cash at the counter and prints
the receipt; then, when the patient arrives for their visit today, checks them in: token
1, shown on the waiting-room screen with the first name only.

The hospital, its doctor and the front-desk user are made in the app's database; the
visit today (noon, clinic time) is added for the walk-in once they exist, because the
wizard offers slots from the next days on (a slot today may be gone late in the
evening). In the last minutes before midnight in the clinic it first waits for the next
day (``keep_within_one_clinic_day``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor, StaffHospital, User
from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    Inbox,
    Journey,
    choose_day,
    choose_time,
    keep_within_one_clinic_day,
    log_in,
    now,
)
from tests.factories import create_appointment, create_city, create_doctor, create_hospital, local

SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
MARGIN = timedelta(minutes=5)  # the most the journey takes, with room to spare
EVERY_DAY = tuple((weekday, "09:00", "17:00", 30) for weekday in range(7))


@dataclass(frozen=True)
class Clinic:
    tag: str
    desk_email: str
    doctor_id: int
    doctor_name: str
    doctor_email: str


@pytest.fixture
def clinic(e2e_db_url: str, _patient_hash: str) -> Callable[[], Clinic]:
    from healthcareplus.core.db import get_engine

    def make() -> Clinic:
        tag = uuid.uuid4().hex[:8]
        with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
            city = create_city(db, name=f"Desk City {tag}")
            hospital = create_hospital(db, city=city, name=f"Desk Clinic {tag}")
            doctor = create_doctor(
                db, hospital=hospital, name=f"Dr. Desk {tag}", schedule=EVERY_DAY, fee_paise=60_000
            )
            desk = User(
                role="front_desk",
                name="Farah Desk",
                email=f"desk.{tag}@example.in",
                password_hash=_patient_hash,
            )
            doctor_login = User(
                role="doctor",
                name=doctor.name,
                email=f"doctor.{tag}@example.in",
                password_hash=_patient_hash,
            )
            db.add_all([desk, doctor_login])
            db.commit()
            doctor.user_id = doctor_login.id
            db.add_all([doctor, StaffHospital(user_id=desk.id, hospital_id=hospital.id)])
            db.commit()
            return Clinic(tag, desk.email, doctor.id or 0, doctor.name, doctor_login.email)

    return make


def visit_today(e2e_db_url: str, made: Clinic, phone: str) -> None:
    """The walk-in's confirmed visit today at noon (clinic time)."""
    from healthcareplus.core.db import get_engine

    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        patient = db.exec(select(User).where(User.phone == phone, User.role == "patient")).one()
        doctor = db.get(Doctor, made.doctor_id)
        noon = local(clinic_today(now()), "12:00")
        create_appointment(db, doctor=doctor, patient=patient, start_at=noon, reason="Back pain")


@SIZES
def test_walk_in_is_registered_booked_paid_and_checked_in(
    open_journey: Callable[..., Journey],
    clinic: Callable[[], Clinic],
    smtp_inbox: Inbox,
    e2e_db_url: str,
    viewport: dict,
) -> None:
    keep_within_one_clinic_day(MARGIN)  # a visit made for today is checked in today
    made = clinic()
    size = "phone" if viewport == PHONE else "desktop"
    digits = f"98{int(made.tag, 16) % 10**8:08d}"
    phone = f"+91 {digits[:5]} {digits[5:]}"
    email = f"ramesh.{made.tag}@example.in"
    j = open_journey(viewport, name=f"front-desk-{size}")
    page = j.page

    j.goto("/login")
    page.get_by_label("Email").fill(made.desk_email)
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk$"))
    j.ready()

    # A walk-in: not found by phone, so registered.
    page.get_by_label("Mobile number or name").fill(digits)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("No patient matches. Register them below.")).to_be_visible()
    page.get_by_label("Full name").fill("Ramesh Kumar")
    page.get_by_label("Mobile number", exact=True).fill(digits)
    page.get_by_label("Email (optional)").fill(email)
    page.get_by_test_id("register-walk-in").click()
    expect(page).to_have_url(re.compile(r"/desk/patients/\d+$"))
    expect(page.get_by_role("heading", name="Ramesh Kumar")).to_be_visible()
    expect(page.get_by_text(phone)).to_be_visible()
    invitation = smtp_inbox.wait_for(email, "Your HealthCarePlus account is ready")
    assert "/set-password?token=" in invitation.get_body(("plain",)).get_content()
    j.shot("walk-in registered")

    # Booked through the same wizard, for the patient.
    page.get_by_label("Doctor").select_option(label=f"{made.doctor_name} · General Physician")
    page.get_by_test_id("desk-book").click()
    expect(page).to_have_url(re.compile(rf"/book/{made.doctor_id}\?for=\d+$"))
    expect(page.get_by_test_id("booking-for-patient")).to_contain_text("Ramesh Kumar")
    chosen = choose_time(page, choose_day(page))
    page.get_by_label("Reason for visit").fill("Back pain for a week")
    page.get_by_role("button", name="Confirm and pay").click()
    expect(page).to_have_url(re.compile(r"/desk/patients/\d+$"))
    visit = page.get_by_test_id("desk-visit").filter(has_text=chosen.time)
    expect(visit).to_contain_text(chosen.day)
    j.shot("held for the walk-in")

    # Paid in cash at the counter: confirmed, with a receipt.
    visit.get_by_label("Payment").select_option(label="Cash now")
    visit.get_by_role("button", name="Confirm visit").click()
    expect(visit).to_contain_text("Paid · Cash")
    visit.get_by_test_id("desk-receipt-link").click()
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_contain_text("Ramesh Kumar")
    expect(receipt).to_contain_text("Cash")
    expect(receipt).to_contain_text("₹600")
    expect(receipt).to_contain_text(re.compile(r"HCP-\d{8}-"))
    j.shot("receipt")
    # On paper: the receipt alone, without the site's header, the desk's links or the button.
    page.emulate_media(media="print")
    expect(receipt).to_be_visible()
    for hidden in (page.get_by_role("banner"), page.get_by_role("contentinfo")):
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("link", name="Queue")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    j.shot("receipt as printed")
    page.emulate_media(media="screen")

    # The patient arrives for today's visit: checked in, token 1, on the screen.
    visit_today(e2e_db_url, made, phone)
    page.get_by_role("link", name="Queue").click()
    expect(page).to_have_url(re.compile(r"/desk/queue$"))
    j.ready()
    expected = page.get_by_test_id("expected-row").filter(has_text="Ramesh Kumar")
    expected.get_by_role("button", name="Check in Ramesh Kumar").click()
    expect(page.get_by_test_id("last-token")).to_have_text("1")
    page.get_by_test_id("open-screen").click()
    address = page.get_by_test_id("screen-link").get_attribute("href")
    assert address is not None
    tv = open_journey(viewport, name=f"front-desk-screen-{size}")
    tv.goto(address)
    expect(tv.page.get_by_test_id("screen-next")).to_have_text("1 Ramesh")
    expect(tv.page.get_by_text("Kumar")).to_have_count(0)
    tv.shot("on the screen")

    # The doctor's day shows who has arrived; the doctor calls the next patient in, and
    # the desk's queue and the screen follow.
    doctor = open_journey(viewport, name=f"front-desk-doctor-{size}")
    log_in(doctor, made.doctor_email, PATIENT_PASSWORD)
    expect(doctor.page).to_have_url(re.compile(r"/doctor-portal$"))
    arrival = (
        doctor.page.get_by_test_id("today-list")
        .get_by_test_id("visit-card")
        .filter(has_text="Ramesh Kumar")
        .get_by_test_id("arrival")
    )
    expect(arrival).to_have_text("Token 1 · waiting")
    doctor.shot("arrived, waiting")
    doctor.page.get_by_role("button", name="Call next patient (1 waiting)").click()
    expect(doctor.page.get_by_text("Token 1: Ramesh Kumar is called in.")).to_be_visible()
    expect(arrival).to_have_text("Token 1 · with you")
    expect(doctor.page.get_by_test_id("call-next")).to_have_count(0)
    doctor.shot("called in")
    row = page.get_by_test_id("queue-row").filter(has_text="Ramesh Kumar")
    expect(row.get_by_test_id("queue-stage")).to_have_text("With the doctor")
    expect(tv.page.get_by_test_id("screen-now-token")).to_have_text("1")
    expect(tv.page.get_by_test_id("screen-now-name")).to_have_text("Ramesh")
