"""An admin manages the network: adds a doctor (whom patients then find, and who is emailed
an invitation, sets a password with its link and signs in), blocks a patient (signed out
at once, sign-in refused), edits a doctor's timetable, deactivates and reactivates the
doctor, adds a city with a hospital and creates another administrator.

Other journeys share the seeded database and count its doctors and cities, so every
doctor, city and account made here is removed again when its test ends (``made``).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from time import monotonic, sleep
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, delete, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Notification,
    PasswordLink,
    Payment,
    TimeOff,
    User,
    UserSession,
)
from healthcareplus.core.validation import check_password_strength
from healthcareplus.domain.scheduling import tallies
from tests.e2e.conftest import (
    DESKTOP,
    PATIENT_PASSWORD,
    PHONE,
    TIMEOUT_MS,
    Inbox,
    Journey,
    log_in,
    now,
)
from tests.factories import FAKE_PASSWORD_HASH, local

ADMIN = ("admin@healthcareplus.in", "Admin@12345")
BLOCKED = "This account has been blocked. Contact the clinic."
INVITE_SUBJECT = "Set your HealthCarePlus password"
DOCTOR_PASSWORD = "Derma#Care2026"


@dataclass
class Made:
    """What a test created, by natural key, to remove when it ends."""

    doctor_emails: list[str] = field(default_factory=list)
    user_emails: list[str] = field(default_factory=list)
    city_names: list[str] = field(default_factory=list)


def _remove_users(s: Session, user_ids: list[int]) -> None:
    s.exec(delete(UserSession).where(col(UserSession.user_id).in_(user_ids)))
    s.exec(delete(PasswordLink).where(col(PasswordLink.user_id).in_(user_ids)))
    s.exec(delete(Notification).where(col(Notification.user_id).in_(user_ids)))
    s.exec(delete(AuditEvent).where(col(AuditEvent.actor_user_id).in_(user_ids)))
    s.exec(delete(User).where(col(User.id).in_(user_ids)))


def _remove(e2e_db_url: str, made: Made) -> None:
    with Session(get_engine(e2e_db_url)) as s:
        doctors = s.exec(select(Doctor).where(col(Doctor.email).in_(made.doctor_emails))).all()
        doctor_ids = [d.id for d in doctors]
        appointments = select(Appointment.id).where(col(Appointment.doctor_id).in_(doctor_ids))
        s.exec(delete(Payment).where(col(Payment.appointment_id).in_(appointments)))
        s.exec(delete(AuditEvent).where(col(AuditEvent.appointment_id).in_(appointments)))
        s.exec(delete(Appointment).where(col(Appointment.doctor_id).in_(doctor_ids)))
        s.exec(delete(DoctorSchedule).where(col(DoctorSchedule.doctor_id).in_(doctor_ids)))
        s.exec(delete(TimeOff).where(col(TimeOff.doctor_id).in_(doctor_ids)))
        logins = [d.user_id for d in doctors if d.user_id]
        s.exec(delete(Doctor).where(col(Doctor.id).in_(doctor_ids)))
        users = s.exec(select(User.id).where(col(User.email).in_(made.user_emails))).all()
        _remove_users(s, [*logins, *users])
        cities = select(City.id).where(col(City.name).in_(made.city_names))
        s.exec(delete(Hospital).where(col(Hospital.city_id).in_(cities)))
        s.exec(delete(City).where(col(City.name).in_(made.city_names)))
        s.commit()


@pytest.fixture
def made(e2e_db_url: str) -> Iterator[Made]:
    record = Made()
    yield record
    _remove(e2e_db_url, record)


def letters(n: int = 6) -> str:
    """A random surname-like word (names only allow letters)."""
    return "".join(random.choices(string.ascii_lowercase, k=n)).capitalize()


def admin_log_in(j: Journey) -> None:
    j.goto("/admin/login")
    j.page.get_by_label("Email").fill(ADMIN[0])
    j.page.get_by_label("Password").fill(ADMIN[1])
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/admin$"))


def bangalore_hospital(e2e_db_url: str) -> Hospital:
    with Session(get_engine(e2e_db_url)) as s:
        return s.exec(
            select(Hospital)
            .join(City, col(City.id) == Hospital.city_id)
            .where(City.name == "Bangalore")
            .order_by(col(Hospital.id))
        ).first()


def fill_doctor_form(page: Page, name: str, email: str, hospital_label: str, fee: str) -> None:
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Full name").fill(name)
    dialog.get_by_label("Specialization").select_option("Dermatologist")
    dialog.get_by_label("Qualification").fill("MBBS, MD (Dermatology)")
    dialog.get_by_label("Experience (years)").fill("9")
    dialog.get_by_label("Consultation fee (₹)").fill(fee)
    dialog.get_by_label("Gender").select_option("Female")
    dialog.get_by_label("Languages").fill("English, Kannada")
    dialog.get_by_label("Hospital").select_option(label=hospital_label)
    dialog.get_by_label("Email (sign-in)").fill(email)
    dialog.get_by_label("Mobile number").fill("98450 31313")
    dialog.get_by_role("button", name="Add doctor").click()


def invitation_links(inbox: Inbox, address: str, count: int) -> list[str]:
    """The set-password links (path and query) of the first ``count`` invitations emailed
    to ``address``, from their text parts, waiting for the worker to send them."""
    deadline = monotonic() + TIMEOUT_MS / 1000
    while True:
        found = [m for m in inbox.to(address) if str(m["Subject"]).startswith(INVITE_SUBJECT)]
        if len(found) >= count or monotonic() > deadline:
            break
        sleep(0.2)
    assert len(found) >= count, f"{len(found)} invitation(s) to {address}, wanted {count}"
    links = []
    for message in found[:count]:
        text = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(r"Set your password: (https?://\S+)", text)
        assert match, text
        url = urlsplit(match.group(1))
        assert url.path == "/set-password" and url.query.startswith("token=")
        links.append(f"{url.path}?{url.query}")
    return links


def test_admin_adds_a_doctor_whom_patients_find_and_who_sets_a_password_and_signs_in(
    open_journey, e2e_db_url: str, made: Made, smtp_inbox: Inbox
) -> None:
    j: Journey = open_journey(DESKTOP)
    page = j.page
    admin_log_in(j)
    surname = letters()
    name, email = f"Ishita {surname}", f"ishita.{surname.lower()}@example.in"
    made.doctor_emails.append(email)
    hospital = bangalore_hospital(e2e_db_url)

    j.goto("/admin/doctors")
    expect(page.get_by_test_id("doctor-row").first).to_be_visible()
    j.shot("doctors list")
    page.get_by_test_id("add-doctor").click()
    fill_doctor_form(page, name, email, f"{hospital.name} · Bangalore", fee="50")
    expect(page.get_by_test_id("error-fee_rupees")).to_have_text(
        "The fee must be between 100 and 10,000"
    )
    j.shot("fee refused")
    page.get_by_role("dialog").get_by_label("Consultation fee (₹)").fill("750")
    page.get_by_role("dialog").get_by_role("button", name="Add doctor").click()

    card = page.get_by_test_id("invitation-card")
    expect(card).to_contain_text(f"Dr. {name}")
    expect(card).to_contain_text(f"Invitation emailed to {email}; the link works for 72 hours")
    expect(page.get_by_test_id("password-card")).to_have_count(0)  # no password on screen
    j.shot("invitation emailed")
    page.get_by_label("Search").fill(surname)
    page.get_by_role("button", name="Search").click()
    row = page.get_by_test_id("doctor-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dermatologist")
    expect(row).to_contain_text("₹750")
    expect(row.get_by_test_id("invitation-pending")).to_contain_text("Invitation pending")
    page.reload()
    j.ready()
    expect(page.get_by_test_id("doctor-row").first).to_be_visible()
    expect(page.get_by_test_id("invitation-card")).to_have_count(0)
    j.shot("note gone after reload")

    # The worker emails the invitation; the admin sends another, which replaces it.
    [first] = invitation_links(smtp_inbox, email, 1)
    page.get_by_label("Search").fill(surname)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("doctor-row")).to_have_count(1)
    page.get_by_role("button", name=f"Resend invitation to Dr. {name}").click()
    expect(page.get_by_test_id("invitation-card")).to_contain_text(f"emailed to {email}")
    j.shot("invitation resent")
    _, second = invitation_links(smtp_inbox, email, 2)
    assert first != second

    visitor = open_journey(DESKTOP, name="anonymous-search")
    visitor.goto(f"/doctors?q={surname}")
    found = visitor.page.get_by_test_id("doctor-card")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(f"Dr. {name}")
    expect(found).to_contain_text("Bangalore")
    visitor.shot("patients find the new doctor")

    doctor = open_journey(DESKTOP, name="new-doctor-sets-a-password")
    doctor.goto(first)
    expect(doctor.page.get_by_test_id("link-unusable")).to_contain_text(
        "ask the clinic to send you a new invitation."
    )
    doctor.shot("the replaced link is refused")
    doctor.goto(second)
    expect(doctor.page.get_by_test_id("link-holder")).to_have_text(f"Dr. {name}")
    doctor.page.get_by_label("New password", exact=True).fill("short")
    doctor.page.get_by_label("Confirm new password").fill("short")
    doctor.page.get_by_role("button", name="Set password").click()
    expect(doctor.page.get_by_test_id("error-password")).to_contain_text("Password needs")
    doctor.page.get_by_label("New password", exact=True).fill(DOCTOR_PASSWORD)
    doctor.page.get_by_label("Confirm new password").fill(DOCTOR_PASSWORD)
    doctor.shot("choosing a password")
    doctor.page.get_by_role("button", name="Set password").click()
    expect(doctor.page.get_by_test_id("password-set")).to_be_visible()
    doctor.shot("password set")
    doctor.page.get_by_role("link", name="Sign in").click()
    expect(doctor.page).to_have_url(re.compile(r"/login$"))
    log_in(doctor, email, DOCTOR_PASSWORD)
    expect(doctor.page.get_by_test_id("nav-user")).to_have_text(f"Dr. {name}")
    doctor.shot("new doctor signed in with their own password")
    doctor.goto(second)  # the link worked once
    expect(doctor.page.get_by_test_id("link-unusable")).to_be_visible()

    j.goto(f"/admin/doctors?q={surname}")
    expect(page.get_by_test_id("doctor-row")).to_have_count(1)
    expect(page.get_by_test_id("invitation-pending")).to_have_count(0)
    j.shot("no longer pending")


def test_admin_blocks_a_patient_who_is_signed_out_and_refused(
    open_journey, new_patient, e2e_db_url: str
) -> None:
    surname = letters()
    email = new_patient(f"Nisha {surname}")
    patient = open_journey(DESKTOP, name="blocked-patient")
    log_in(patient, email)  # signed in before the block
    j: Journey = open_journey(DESKTOP)
    page = j.page
    admin_log_in(j)
    j.goto("/admin/patients")
    heading = page.get_by_role("columnheader", name="Patient")
    page.get_by_test_id("sort-name").click()  # on a desktop the headings sort the list
    expect(heading).to_have_attribute("aria-sort", "ascending")
    page.get_by_test_id("sort-name").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    page.get_by_label("Search").fill(email)
    page.get_by_role("button", name="Search").click()
    row = page.get_by_test_id("patient-row")
    expect(row).to_have_count(1)
    j.shot("patient found")
    row.get_by_role("link", name=f"Nisha {surname}").click()
    expect(page).to_have_url(re.compile(r"/admin/patients/\d+$"))
    expect(page.get_by_test_id("patient-blocked")).to_have_text("Active")

    page.get_by_role("button", name="Block from booking").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason (kept in the audit log)").fill("Repeated fake bookings")
    dialog.get_by_role("button", name="Block patient").click()
    expect(page.get_by_test_id("patient-blocked")).to_have_text("Blocked")
    expect(page.get_by_test_id("blocked-note")).to_contain_text("Repeated fake bookings")
    j.shot("patient blocked")

    # The block ended the patient's session: booking asks for a sign-in, which is refused.
    patient.goto("/book/40")
    expect(patient.page).to_have_url(re.compile(r"/login\?next=%2Fbook%2F40$"))
    patient.page.get_by_label("Email").fill(email)
    patient.page.get_by_label("Password").fill(PATIENT_PASSWORD)
    patient.page.get_by_role("button", name="Log in").click()
    expect(patient.page.get_by_role("alert")).to_contain_text(BLOCKED)
    patient.shot("signed out and refused while blocked")
    with Session(get_engine(e2e_db_url)) as s:
        user = s.exec(select(User).where(User.email == email)).one()
        assert s.exec(select(Appointment.id).where(Appointment.patient_id == user.id)).all() == []

    page.get_by_role("button", name="Unblock").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Unblock").click()
    expect(page.get_by_test_id("patient-blocked")).to_have_text("Active")
    j.shot("patient unblocked")
    log_in(patient, email)
    expect(patient.page.get_by_test_id("nav-user")).to_have_text(f"Nisha {surname}")


def _doctor_with_a_booking(e2e_db_url: str, made: Made) -> tuple[int, str]:
    """A Mon–Sat doctor in Bangalore with a confirmed booking tomorrow at 10:00."""
    hospital = bangalore_hospital(e2e_db_url)
    surname = letters()
    made.doctor_emails.append(f"tara.{surname.lower()}@example.in")
    made.user_emails.append(f"kabir.{surname.lower()}@example.in")
    with Session(get_engine(e2e_db_url)) as s:
        doctor = Doctor(
            name=f"Dr. Tara {surname}",
            specialization="Pediatrician",
            department="Pediatrics",
            qualification="MBBS, DCH",
            experience_years=8,
            fee_paise=60_000,
            gender="Female",
            languages=["English"],
            hospital_id=hospital.id,
            email=f"tara.{surname.lower()}@example.in",
            phone="+91 98450 55555",
        )
        patient = User(
            name="Kabir Sethi",
            email=f"kabir.{surname.lower()}@example.in",
            phone="+91 98450 66666",
            password_hash=FAKE_PASSWORD_HASH,
        )
        s.add_all([doctor, patient])
        s.flush()
        s.add_all(
            DoctorSchedule(doctor_id=doctor.id, weekday=d, start_time=time(9), end_time=time(13))
            for d in range(6)
        )
        start = local(clinic_today(now()) + timedelta(days=1), "10:00")
        booking = Appointment(
            patient_id=patient.id,
            doctor_id=doctor.id,
            hospital_id=hospital.id,
            start_at=start,
            end_at=start + timedelta(minutes=15),
            reason="Vaccination",
            status=AppointmentStatus.CONFIRMED,
            fee_paise=60_000,
            booked_at=now(),
        )
        tallies.count_change(s, None, tallies.Counted.of(booking))  # the dashboard's counters
        s.add(booking)
        s.commit()
        return doctor.id, surname


def test_admin_edits_hours_then_deactivates_and_reactivates_a_doctor_on_a_phone(
    open_journey, e2e_db_url: str, made: Made
) -> None:
    doctor_id, surname = _doctor_with_a_booking(e2e_db_url, made)
    j: Journey = open_journey(PHONE)
    page = j.page
    admin_log_in(j)
    j.goto(f"/admin/doctors/{doctor_id}")
    expect(page.get_by_test_id("doctor-active")).to_have_text("Active")
    expect(page.get_by_test_id("schedule-block")).to_have_count(6)
    j.shot("doctor page on a phone")

    # Weekly schedule: a bad block is refused, then Sunday morning hours are saved.
    page.get_by_role("button", name="Add Monday hours").click()
    expect(page.get_by_label("Monday end time")).to_have_count(2)
    page.get_by_label("Monday end time").nth(1).fill("13:30")
    page.get_by_role("button", name="Add Sunday hours").click()
    page.get_by_label("Sunday end time").fill("12:00")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_test_id("block-error")).to_have_text(
        "The end time must be after the start time"
    )
    j.shot("bad block refused")
    page.get_by_role("button", name="Remove Monday block").nth(1).click()
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("status").filter(has_text="Weekly schedule saved")).to_be_visible()
    j.shot("schedule saved")
    with Session(get_engine(e2e_db_url)) as s:
        sunday = s.exec(
            select(DoctorSchedule).where(
                DoctorSchedule.doctor_id == doctor_id, DoctorSchedule.weekday == 6
            )
        ).one()
        assert (sunday.start_time, sunday.end_time) == (time(9), time(12))

    page.get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Reason (optional)").fill("On sabbatical")
    dialog.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_test_id("doctor-active")).to_have_text("Inactive")
    follow_up = page.get_by_test_id("follow-up-row")
    expect(follow_up).to_have_count(1)
    expect(follow_up).to_contain_text("Kabir Sethi")
    expect(follow_up).to_contain_text("+91 98450 66666")
    expect(follow_up).to_contain_text("10:00 AM")
    j.shot("deactivated with bookings to follow up")

    visitor = open_journey(PHONE, name="patients-lose-the-doctor")
    visitor.goto(f"/doctor/{doctor_id}")
    expect(visitor.page.get_by_text("Doctor not found")).to_be_visible()
    visitor.shot("profile gone")
    visitor.goto(f"/doctors?q={surname}")
    expect(visitor.page.get_by_test_id("empty-state")).to_be_visible()
    expect(visitor.page.get_by_test_id("doctor-card")).to_have_count(0)
    visitor.shot("not in search")

    page.get_by_role("button", name="Reactivate").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Reactivate").click()
    expect(page.get_by_test_id("doctor-active")).to_have_text("Active")
    j.shot("reactivated")
    visitor.goto(f"/doctors?q={surname}")
    expect(visitor.page.get_by_test_id("doctor-card")).to_contain_text(f"Dr. Tara {surname}")
    visitor.goto(f"/doctor/{doctor_id}")
    expect(visitor.page.get_by_role("heading", name=f"Dr. Tara {surname}")).to_be_visible()
    visitor.shot("back for patients")


def test_admin_adds_a_city_and_hospital_and_another_admin(open_journey, made: Made) -> None:
    j: Journey = open_journey(PHONE)
    page = j.page
    admin_log_in(j)
    j.goto("/admin/locations")
    expect(page.get_by_test_id("city-row").first).to_be_visible()
    j.shot("cities and hospitals")
    city = f"Nagar{letters(4).lower()}"
    made.city_names.append(city)
    page.get_by_role("button", name="Add city").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("City").fill("Bangalore")
    dialog.get_by_label("State").fill("Karnataka")
    dialog.get_by_role("button", name="Save city").click()
    expect(page.get_by_test_id("error-name")).to_have_text("A city with this name already exists")
    dialog.get_by_label("City").fill(city)
    dialog.get_by_role("button", name="Save city").click()
    expect(page.get_by_test_id("city-row").filter(has_text=city)).to_contain_text("Karnataka")

    page.get_by_role("button", name="Add hospital").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("City").select_option(label=city)
    dialog.get_by_label("Hospital name").fill("Lakeview Clinic")
    dialog.get_by_label("Address").fill("4 Lake Road, " + city)
    dialog.get_by_label("Pediatrician").check()
    dialog.get_by_label("Dentist").check()
    j.shot("hospital form")
    dialog.get_by_role("button", name="Save hospital").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_label("Show hospitals in").select_option(label=city)
    hospital = page.get_by_test_id("hospital-row")
    expect(hospital).to_have_count(1)
    expect(hospital).to_contain_text("Pediatrician, Dentist")
    expect(page.get_by_test_id("city-row").filter(has_text=city)).to_contain_text("1")
    j.shot("hospital added")

    j.goto("/admin/admins")
    surname = letters()
    email = f"admin.{surname.lower()}@example.in"
    made.user_emails.append(email)
    page.get_by_label("Full name").fill(f"Rohan {surname}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile number").fill("98450 42424")
    page.get_by_role("button", name="Create administrator").click()
    password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert check_password_strength(password) == password
    expect(page.get_by_test_id("admin-row").filter(has_text=email)).to_have_count(1)
    j.shot("admin created")

    # The list sorts by a column (on a phone, with its sort menu: the headings are hidden).
    for choice, descending in (("Email (ascending)", False), ("Email (descending)", True)):
        page.get_by_label("Sort by").select_option(label=choice)
        expect(page.get_by_label("Sort by")).to_have_value("-email" if descending else "email")
        rows = page.get_by_test_id("admin-row")
        expect(rows.first).to_contain_text("@")
        texts = rows.all_inner_texts()
        shown = [m.group(0) for t in texts if (m := re.search(r"[\w.+-]+@[\w.-]+", t))]
        assert len(shown) == len(texts) >= 2
        assert shown == sorted(shown, reverse=descending), shown
    j.shot("admins sorted by email")

    second = open_journey(DESKTOP, name="new-admin-signs-in")
    second.goto("/admin/login")
    second.page.get_by_label("Email").fill(email)
    second.page.get_by_label("Password").fill(password)
    second.page.get_by_role("button", name="Log in").click()
    # A password someone else chose works once: first the new admin chooses their own.
    expect(second.page).to_have_url(re.compile(r"/account/security$"))
    expect(second.page.get_by_test_id("must-change-password")).to_be_visible()
    second.goto("/admin/doctors")  # nothing else opens until then
    expect(second.page).to_have_url(re.compile(r"/account/security$"))
    second.page.get_by_label("Current password").fill(password)
    second.page.get_by_label("New password", exact=True).fill("Own!Choice2026")
    second.page.get_by_label("Confirm new password").fill("Own!Choice2026")
    second.page.get_by_role("button", name="Change password").click()
    expect(second.page).to_have_url(re.compile(r"/admin$"))
    expect(second.page.get_by_test_id("nav-user")).to_have_text(f"Rohan {surname}")
