"""An admin works one doctor's day in the timetable (mark paid, refund, no-show, block and
unblock a slot, next day) and finds every action in the audit log; the pages also fit a
phone.

The test puts its own bookings into the e2e database through the booking and payment
services with an injected clock (two days before the visit), on a seeded doctor no other
journey uses: a Pay-at-Clinic visit, a UPI-paid visit and another UPI-paid visit, all on
a past working day.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today, format_date
from healthcareplus.core.models import Appointment, Doctor, Role, User
from healthcareplus.domain.scheduling.availability import day_slots
from tests.e2e.conftest import DAYS_AHEAD, DESKTOP, PHONE, Journey, now
from tests.factories import FAKE_PASSWORD_HASH, create_booking

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"
PATIENT_NAME = "Meena Pillai"
ADMIN_ACTIONS = ("Marked paid", "Refunded", "Marked no-show", "Blocked a slot", "Unblocked a slot")


@dataclass(frozen=True)
class Day:
    doctor_id: int
    doctor_name: str
    past: date  # a working day before yesterday, with the test's three visits
    future: date  # a working day from the day after tomorrow on, all slots ahead
    admin_name: str  # how the audit log names the admin
    clinic_time: str  # "09:00 AM": Pay at Clinic, payment Pending
    paid_time: str  # paid by UPI
    missed_time: str  # paid by UPI; the patient does not come
    clinic_id: str
    paid_id: str


def working_day(db: Session, doctor_id: int, days: range, now: datetime) -> tuple[date, list]:
    """The first day in ``days`` (offsets from today) with at least four slots free as seen
    two days before it, and those free slots."""
    today = clinic_today(now)
    for offset in days:
        day = today + timedelta(days=offset)
        then = datetime.combine(day - timedelta(days=2), time(9), tzinfo=UTC)
        free = [s for s in day_slots(db, doctor_id=doctor_id, day=day, now=then) if s.is_free]
        if len(free) >= 4:
            return day, free
    raise AssertionError("the doctor has no working day in range")


@pytest.fixture(scope="module")
def day(e2e_db_url: str) -> Day:
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        # The highest-numbered active doctor nobody has booked yet (journeys use 3-7).
        booked = select(Appointment.doctor_id).distinct()
        doctor = db.exec(
            select(Doctor)
            .where(col(Doctor.is_active).is_(True), col(Doctor.id).not_in(booked))
            .order_by(col(Doctor.id).desc())
        ).first()
        assert doctor is not None and doctor.id is not None
        past, slots = working_day(db, doctor.id, range(-2, -15, -1), now())
        future, _ = working_day(db, doctor.id, range(DAYS_AHEAD, 15), now())
        admin = db.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
        patient = User(
            role=Role.PATIENT,
            name=PATIENT_NAME,
            email=f"meena.{uuid.uuid4().hex[:10]}@example.in",
            password_hash=FAKE_PASSWORD_HASH,
        )
        db.add(patient)
        db.commit()
        booked_at = slots[0].start_at - timedelta(days=2)
        made = [
            create_booking(
                db, doctor=doctor, patient=patient, start_at=s.start_at, now=booked_at, method=m
            )
            for s, m in zip(slots[:3], ("pay_at_clinic", "upi", "upi"), strict=True)
        ]
        assert [a.status for a in made] == ["confirmed"] * 3
        return Day(
            doctor_id=doctor.id,
            doctor_name=doctor.name,
            past=past,
            future=future,
            admin_name=admin.name,
            clinic_time=slots[0].label,
            paid_time=slots[1].label,
            missed_time=slots[2].label,
            clinic_id=made[0].id,
            paid_id=made[1].id,
        )


def admin_login(j: Journey) -> None:
    j.goto("/admin/login")
    j.page.get_by_label("Email").fill(ADMIN_EMAIL)
    j.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/admin$"))


def slot(page: Page, time_label: str) -> Locator:
    return page.locator(f"[data-testid=slot][data-time='{time_label}']")


def open_day(j: Journey, day: Day, when: date) -> None:
    j.page.get_by_label("Date", exact=True).fill(when.isoformat())
    expect(j.page).to_have_url(re.compile(rf"doctor={day.doctor_id}&date={when.isoformat()}$"))
    j.ready()
    expect(j.page.get_by_test_id("timetable-day")).to_have_text(format_date(when))


def confirm(page: Page, button: str) -> None:
    page.get_by_role("alertdialog").get_by_role("button", name=button, exact=True).click()


def give_reason(page: Page, reason: str, button: str) -> None:
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Reason").fill(reason)
    dialog.get_by_role("button", name=button, exact=True).click()
    expect(dialog).to_have_count(0)


def test_admin_works_a_doctors_day_and_finds_it_in_the_audit_log(open_journey, day: Day) -> None:
    # The audit log is searched from the day the actions began: still right if clinic
    # midnight passes while the test runs.
    first_day = clinic_today(now())
    j: Journey = open_journey(DESKTOP)
    page = j.page
    admin_login(j)
    page.get_by_test_id("admin-nav-timetable").click()
    expect(page).to_have_url(re.compile(r"/admin/timetable$"))
    j.ready()
    expect(page.get_by_text("Choose a doctor", exact=True)).to_be_visible()

    # Find the doctor by name, pick them, then the past day.
    page.get_by_label("Find a doctor").fill(day.doctor_name)
    picker = page.get_by_label("Doctor", exact=True)
    expect(picker.locator(f"option[value='{day.doctor_id}']")).to_be_attached()
    picker.select_option(str(day.doctor_id))
    expect(page).to_have_url(re.compile(rf"doctor={day.doctor_id}&date="))
    j.ready()
    expect(page.get_by_test_id("timetable-doctor-name")).to_have_text(day.doctor_name)
    open_day(j, day, day.past)
    clinic, paid, missed = (
        slot(page, t) for t in (day.clinic_time, day.paid_time, day.missed_time)
    )
    for card in (clinic, paid, missed):
        expect(card).to_have_attribute("data-state", "booked")
        expect(card.get_by_test_id("slot-patient")).to_have_text(PATIENT_NAME)
    expect(page.locator("[data-testid=slot][data-state=past]").first).to_be_visible()
    expect(clinic.get_by_test_id("slot-payment")).to_have_text("Payment Pending")
    j.shot("past day with three visits")

    # Mark the Pay-at-Clinic visit paid.
    clinic.get_by_role("button", name="Mark paid", exact=True).click()
    confirm(page, "Mark paid")
    expect(page.get_by_text(re.compile(r"Marked paid \(HCP-\d{8}-[A-Z0-9]{6}\)"))).to_be_visible()
    expect(clinic.get_by_test_id("slot-payment")).to_have_text("Payment Success")
    expect(clinic.get_by_role("button", name="Mark paid", exact=True)).to_have_count(0)

    # Refund the paid visit: the reason is required.
    paid.get_by_role("button", name="Refund", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Refund the payment?")
    j.shot("refund dialog")
    give_reason(page, "Doctor ran late by two hours", "Refund payment")
    expect(paid.get_by_test_id("slot-payment")).to_have_text("Payment Refunded")
    expect(paid.get_by_role("button", name="Refund", exact=True)).to_have_count(0)

    # The third patient did not come.
    missed.get_by_role("button", name="No-show", exact=True).click()
    confirm(page, "Mark no-show")
    expect(missed).to_contain_text("No-show")
    expect(missed.get_by_role("button", name="No-show", exact=True)).to_have_count(0)
    expect(missed.get_by_role("button", name="Cancel", exact=True)).to_have_count(0)
    j.shot("after mark paid, refund and no-show")

    # A future day: block a free slot, then unblock it.
    open_day(j, day, day.future)
    free = page.locator("[data-testid=slot][data-state=available]").nth(1)
    time_label = free.get_attribute("data-time")
    assert time_label
    card = slot(page, time_label)
    card.get_by_role("button", name="Block", exact=True).click()
    page.get_by_role("alertdialog").get_by_label("Reason (optional)").fill("Hospital board meeting")
    confirm(page, "Block slot")
    expect(card).to_have_attribute("data-state", "blocked")
    expect(card).to_contain_text("Hospital board meeting")
    j.shot("slot blocked")
    card.get_by_role("button", name="Unblock", exact=True).click()
    confirm(page, "Unblock slot")
    expect(card).to_have_attribute("data-state", "available")

    # The next day.
    page.get_by_role("button", name="Next day").click()
    following = day.future + timedelta(days=1)
    expect(page).to_have_url(re.compile(rf"date={following.isoformat()}$"))
    j.ready()
    expect(page.get_by_test_id("timetable-day")).to_have_text(format_date(following))
    j.shot("next day")

    # The audit log lists all five actions with who and why.
    page.get_by_test_id("admin-nav-audit").click()
    expect(page).to_have_url(re.compile(r"/admin/audit$"))
    j.ready()
    rows = page.get_by_test_id("audit-row")
    expect(page.get_by_test_id("audit-total")).to_contain_text(" entries")  # the whole log
    who, since = page.get_by_label("Who (name or email)"), page.get_by_label("From")
    who.fill(ADMIN_EMAIL)
    since.fill(first_day.isoformat())
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(
        re.compile(rf"actor=admin%40healthcareplus\.in&from={first_day.isoformat()}$")
    )
    j.ready()
    # The table shows the filtered log (not the whole one it showed before): every row is
    # the admin's.
    expect(rows.first).to_be_visible()
    expect(rows.filter(has_not_text=day.admin_name)).to_have_count(0)
    actions = page.get_by_test_id("audit-action")
    for label in (
        "Marked paid",
        "Refunded",
        "Marked no-show",
        "Blocked a slot",
        "Unblocked a slot",
    ):
        expect(actions.filter(has_text=re.compile(f"^{label}$")).first).to_be_visible()
    refund_row = page.get_by_test_id("audit-row").filter(has_text="Doctor ran late by two hours")
    expect(refund_row).to_contain_text("Refunded")
    expect(refund_row).to_contain_text(day.paid_id[:8])
    j.shot("audit log filtered to the admin")

    # One appointment's trail: booked, chose Pay at Clinic, marked paid.
    page.get_by_role("button", name="Clear").click()
    expect(page).to_have_url(re.compile(r"/admin/audit$"))
    j.ready()
    # The form is re-created (empty) once the cleared log has loaded; typing before that
    # would be wiped, and "Apply" would then show the whole log.
    expect(who).to_have_value("")
    expect(since).to_have_value("")
    short_id = day.clinic_id[:8]
    appointment = page.get_by_label("Appointment id")
    appointment.fill(short_id)
    expect(appointment).to_have_value(short_id)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"/admin/audit\?appointment={short_id}$"))
    # Every row shown is this appointment's.
    expect(rows.filter(has_not_text=short_id)).to_have_count(0)
    expect(page.get_by_test_id("audit-row")).to_have_count(3)
    expect(actions).to_have_text(["Marked paid", "Chose Pay at Clinic", "Booked"])
    expect(page.get_by_test_id("audit-total")).to_contain_text("3 entries")
    j.shot("one appointment's trail")


def test_timetable_and_audit_log_fit_a_phone(open_journey, day: Day) -> None:
    j: Journey = open_journey(PHONE)
    page = j.page
    admin_login(j)
    j.goto(f"/admin/timetable?doctor={day.doctor_id}&date={day.past.isoformat()}")
    card = slot(page, day.clinic_time)
    expect(card.get_by_test_id("slot-patient")).to_have_text(PATIENT_NAME)
    expect(page.get_by_role("button", name="Next day")).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    j.shot("timetable on a phone")

    j.goto("/admin/audit")
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # the table scrolls inside its box, not the page
    j.shot("audit log on a phone")
