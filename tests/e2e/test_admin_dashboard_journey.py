"""An admin reads the dashboard: filters (kept in the URL across a reload), figures, the
charts, the appointment table with its pages, actions that show without a reload, a
booking made elsewhere that shows without a reload, the per-doctor table, the CSV export;
and the dashboard on a phone.

Other journeys book in the same database, so the data here is the journey's own: one
seeded doctor nobody has booked yet, with appointments written straight into the
database on two past days (nothing else can land on those days for that doctor).

Updates are awaited as long as the page needs (the suite-wide timeout: a loaded machine
is slow, not wrong); that they arrive in the same document, never reloaded, is checked.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AppointmentStatus, Doctor, Role, User
from healthcareplus.domain.scheduling.availability import day_slots
from tests.e2e.conftest import DAYS_AHEAD, PHONE, Journey, now
from tests.factories import (
    FAKE_PASSWORD_HASH,
    create_appointment,
    create_booking,
    local,
    settle_payment,
)

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"
CHARTS = ("day-chart", "hospital-chart", "revenue-chart", "top-doctors-chart", "method-chart")


@dataclass
class Data:
    doctor_id: int
    doctor_name: str
    fee_paise: int
    day: date  # three appointments: confirmed (UPI), completed (UPI), cancelled (refunded)
    busy_day: date  # 25 confirmed Pay-at-Clinic appointments, for the table's pages
    confirmed_id: str
    completed_id: str


@pytest.fixture(scope="module")
def data(e2e_db_url: str) -> Data:
    today = clinic_today(now())
    day, busy_day = today - timedelta(days=40), today - timedelta(days=41)
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        booked = select(Appointment.doctor_id).distinct()
        doctor = db.exec(
            select(Doctor)
            .where(col(Doctor.is_active).is_(True), col(Doctor.id).not_in(booked))
            .order_by(col(Doctor.id).desc())
        ).first()
        assert doctor is not None and doctor.id is not None
        patient = User(
            role=Role.PATIENT,
            name="Kiran Das",
            email=f"kiran.{uuid.uuid4().hex[:10]}@example.in",
            password_hash=FAKE_PASSWORD_HASH,
        )
        db.add(patient)
        db.commit()
        made = {}
        for hhmm, status, payment in [
            ("10:00", AppointmentStatus.CONFIRMED, "Success"),
            ("10:30", AppointmentStatus.COMPLETED, "Success"),
            ("11:00", AppointmentStatus.CANCELLED, "Refunded"),
        ]:
            row = create_appointment(
                db,
                doctor=doctor,
                patient=patient,
                start_at=local(day, hhmm),
                status=status,  # counted as made (the dashboard reads the counters)
                commit=False,
            )
            settle_payment(db, row, method="upi", status=payment, commit=False)
            made[hhmm] = row
        for i in range(25):
            start = local(busy_day, "09:00") + timedelta(minutes=15 * i)
            row = create_appointment(
                db, doctor=doctor, patient=patient, start_at=start, commit=False
            )
            settle_payment(db, row, method="pay_at_clinic", status="Pending", commit=False)
        db.commit()
        return Data(
            doctor_id=doctor.id,
            doctor_name=doctor.name,
            fee_paise=doctor.fee_paise,
            day=day,
            busy_day=busy_day,
            confirmed_id=made["10:00"].id,
            completed_id=made["10:30"].id,
        )


def admin_login(j: Journey) -> None:
    j.goto("/admin/login")
    j.page.get_by_label("Email").fill(ADMIN_EMAIL)
    j.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/admin$"))
    j.ready()
    expect(j.page.get_by_test_id("dash-bookings")).to_be_visible()


def first_free_slot(db: Session, doctor_id: int, today: date) -> datetime:
    """The doctor's first free slot on a day at least ``DAYS_AHEAD`` days after ``today``."""
    for offset in range(DAYS_AHEAD, 30):
        day = today + timedelta(days=offset)
        free = [s for s in day_slots(db, doctor_id=doctor_id, day=day, now=now()) if s.is_free]
        if free:
            return free[0].start_at
    raise AssertionError("the doctor has no free slot in the coming weeks")


def row(page: Page, appointment_id: str) -> Locator:
    return page.locator(f"[data-testid=appointment-row][data-appointment='{appointment_id}']")


def test_admin_filters_acts_and_exports_on_the_dashboard(open_journey, data: Data) -> None:
    j: Journey = open_journey()
    admin_login(j)
    page = j.page
    expect(page.get_by_test_id("stat-active_doctors")).to_have_text(re.compile(r"^\d+$"))
    expect(page.get_by_test_id("day-bar")).to_have_count(30)
    for chart in CHARTS:  # drawn by recharts: an SVG surface in each card
        expect(page.get_by_test_id(chart).locator("svg.recharts-surface").first).to_be_visible()
    expect(page.get_by_test_id("method-slice").first).to_be_attached()
    j.shot("dashboard unfiltered")

    # Filter: the doctor and one day -> the URL says so.
    page.get_by_label("Doctor", exact=True).select_option(str(data.doctor_id))
    page.get_by_label("From (visit date)").fill(data.day.isoformat())
    page.get_by_label("To (visit date)").fill(data.day.isoformat())
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"/admin\?doctor={data.doctor_id}&date={data.day}$"))
    j.ready()
    expect(page.get_by_test_id("dash-bookings")).to_have_text("3")
    expect(page.get_by_test_id("dash-confirmed")).to_have_text("1")
    expect(page.get_by_test_id("dash-cancelled")).to_have_text("1")
    expect(page.get_by_test_id("dash-no_shows")).to_have_text("0")
    expect(page.get_by_test_id("appointment-row")).to_have_count(3)
    expect(page.get_by_test_id("day-bar")).to_have_count(1)
    expect(page.get_by_test_id("day-bar")).to_have_attribute("data-total", "3")
    expect(page.get_by_test_id("hospital-bar")).to_have_count(1)
    expect(page.get_by_test_id("hospital-bar")).to_have_attribute("data-total", "3")
    # Three UPI payments, one refunded: revenue is twice the fee.
    rupees = str(2 * data.fee_paise // 100)
    expect(page.get_by_test_id("revenue-bar")).to_have_attribute("data-rupees", rupees)
    expect(page.get_by_test_id("top-doctor-bar")).to_have_count(1)
    expect(page.get_by_test_id("top-doctor-bar")).to_contain_text(data.doctor_name)
    expect(page.get_by_test_id("method-slice")).to_have_count(1)
    expect(page.get_by_test_id("method-slice")).to_have_attribute("data-method", "upi")
    expect(page.get_by_test_id("method-slice")).to_have_attribute("data-count", "3")
    expect(page.get_by_test_id("doctor-row")).to_have_count(1)
    expect(page.get_by_test_id("doctor-row")).to_contain_text(data.doctor_name)
    expect(page.get_by_test_id("filtered-badge")).to_be_visible()
    revenue_before = page.get_by_test_id("dash-revenue").inner_text()
    j.shot("filtered to one doctor and day")

    # A reload keeps the filters, in the figures and in the form.
    page.reload()
    j.ready()
    expect(page.get_by_test_id("dash-bookings")).to_have_text("3")
    expect(page.get_by_label("Doctor", exact=True)).to_have_value(str(data.doctor_id))
    expect(page.get_by_label("From (visit date)")).to_have_value(data.day.isoformat())

    # Mark the confirmed (past) visit a no-show: the live refresh updates row and figures.
    j.mark_page()
    confirmed = row(page, data.confirmed_id)
    expect(confirmed.get_by_test_id("row-status")).to_have_text("Visit passed")
    confirmed.get_by_test_id("action-no-show").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Mark no-show").click()
    expect(confirmed.get_by_test_id("row-status")).to_have_text("No-show")
    expect(page.get_by_test_id("dash-no_shows")).to_have_text("1")
    expect(confirmed.get_by_test_id("action-no-show")).to_have_count(0)

    # Refund the completed visit with a reason: its payment shows Refunded, revenue drops.
    completed = row(page, data.completed_id)
    completed.get_by_test_id("action-refund").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Reason").fill("Goodwill gesture")
    dialog.get_by_role("button", name="Refund payment").click()
    expect(completed.get_by_test_id("row-payment")).to_have_text("Refunded")
    expect(page.get_by_test_id("dash-revenue")).not_to_have_text(revenue_before)
    rupees = str(data.fee_paise // 100)
    expect(page.get_by_test_id("revenue-bar")).to_have_attribute("data-rupees", rupees)
    j.assert_not_reloaded()
    j.shot("after no-show and refund")

    # Export what is on screen.
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert all(data.doctor_name in ",".join(r) for r in rows[1:])

    # Clear: back to the whole portal.
    page.get_by_role("button", name="Clear").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    j.ready()
    expect(page.get_by_test_id("day-bar")).to_have_count(30)


def test_table_pages_follow_the_url(open_journey, data: Data) -> None:
    j: Journey = open_journey()
    admin_login(j)
    page = j.page
    j.goto(f"/admin?doctor={data.doctor_id}&date={data.busy_day}")
    expect(page.get_by_test_id("appointments-count")).to_have_text("Showing 1–20 of 25")
    expect(page.get_by_test_id("appointment-row")).to_have_count(20)
    # Latest visit first: 15:00 (the 25th) heads the list.
    expect(page.get_by_test_id("appointment-row").first).to_contain_text("03:00 PM")
    expect(page.get_by_test_id("dash-pending_payments")).to_have_text("25")
    # (The busy day is past: its open visits are under "Needs attention" too.)
    table = page.get_by_test_id("appointments-table")
    expect(table.get_by_test_id("action-mark-paid")).to_have_count(20)
    page.get_by_test_id("appointments-next").click()
    expect(page).to_have_url(re.compile(r"&page=2$"))
    j.ready()
    expect(page.get_by_test_id("appointments-count")).to_have_text("Showing 21–25 of 25")
    expect(page.get_by_test_id("appointment-row")).to_have_count(5)
    expect(page.get_by_test_id("appointment-row").last).to_contain_text("09:00 AM")
    j.shot("second page")
    page.go_back()
    expect(page.get_by_test_id("appointments-count")).to_have_text("Showing 1–20 of 25")


def test_dashboard_on_a_phone(open_journey, data: Data) -> None:
    j: Journey = open_journey(PHONE)
    admin_login(j)
    page = j.page
    page.get_by_label("Status", exact=True).select_option("cancelled")
    page.get_by_label("Doctor", exact=True).select_option(str(data.doctor_id))
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"doctor={data.doctor_id}&status=cancelled$"))
    j.ready()
    expect(page.get_by_test_id("dash-bookings")).to_have_text("1")
    expect(page.get_by_test_id("appointment-row")).to_have_count(1)
    table = page.get_by_test_id("appointments-table")
    expect(table.get_by_test_id("row-status")).to_have_text("Cancelled")
    # The page itself never scrolls sideways; wide tables scroll inside their cards.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    j.shot("phone filtered")


def test_a_booking_made_elsewhere_shows_within_seconds(
    open_journey, data: Data, e2e_db_url: str
) -> None:
    """The dashboard filtered by doctor and payment status is open; a patient books and
    pays elsewhere (the booking and payment services, as another app worker would): the
    cards, the charts and the table show it without a reload, and the filters stay."""
    j: Journey = open_journey()
    admin_login(j)
    page = j.page
    page.get_by_label("Doctor", exact=True).select_option(str(data.doctor_id))
    page.get_by_label("Payment", exact=True).select_option("Success")
    page.get_by_role("button", name="Apply filters").click()
    url = re.compile(rf"/admin\?doctor={data.doctor_id}&payment=Success$")
    expect(page).to_have_url(url)
    j.ready()
    # Read the figures only once every part of the page shows this filtered view: the
    # cards and table (one state) and the charts (another) load one after the other.
    expect(page.get_by_test_id("filtered-badge")).to_be_visible()
    expect(page.get_by_test_id("top-doctor-bar")).to_have_count(1)
    expect(page.get_by_test_id("top-doctor-bar")).to_have_attribute(
        "data-doctor", str(data.doctor_id)
    )
    expect(page.get_by_test_id("dash-bookings")).to_have_text(re.compile(r"^\d+$"))
    rows = page.get_by_test_id("appointment-row")
    expect(rows.get_by_test_id("row-payment").filter(has_not_text="Success")).to_have_count(0)
    bookings = int(page.get_by_test_id("dash-bookings").inner_text())
    upi = page.locator("[data-testid=method-slice][data-method=upi]")
    paid_by_upi = int(upi.get_attribute("data-count") or "0") if upi.count() else 0
    j.mark_page()
    j.shot("filtered before the booking")

    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        doctor = db.get(Doctor, data.doctor_id)
        assert doctor is not None
        patient = User(
            role=Role.PATIENT,
            name="Ritu Menon",
            email=f"ritu.{uuid.uuid4().hex[:10]}@example.in",
            password_hash=FAKE_PASSWORD_HASH,
        )
        db.add(patient)
        db.commit()
        # A slot at least two days ahead: free now and still bookable a moment later,
        # whatever the hour (a slot within the hour of notice could lapse in between).
        start = first_free_slot(db, data.doctor_id, clinic_today(now()))
        booked = create_booking(db, doctor=doctor, patient=patient, start_at=start, now=now())
    assert booked.payment_status == "Success"

    expect(page.get_by_test_id("dash-bookings")).to_have_text(str(bookings + 1))
    expect(row(page, booked.id)).to_be_visible()
    expect(row(page, booked.id).get_by_test_id("row-payment")).to_have_text("Success")
    expect(upi).to_have_attribute("data-count", str(paid_by_upi + 1))
    # Still the same filtered view: the URL and the form were kept.
    expect(page).to_have_url(url)
    expect(page.get_by_label("Doctor", exact=True)).to_have_value(str(data.doctor_id))
    expect(page.get_by_label("Payment", exact=True)).to_have_value("Success")
    j.assert_not_reloaded()
    j.shot("the new booking shown live")
