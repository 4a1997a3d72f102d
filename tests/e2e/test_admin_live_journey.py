"""A booking made by a patient in a second browser shows up on an open admin dashboard
within seconds, without a reload, and the admin's filters stay put."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Journey, log_in
from tests.e2e.test_booking_journey import choose_slot, confirm_booking, pay_with_upi

DOCTOR_ID = 9
LIVE_MS = 3_000  # the issue asks for 2 s; allow one extra second for the browser itself


def test_patient_booking_in_another_browser_appears_live(open_journey, new_patient) -> None:
    admin: Journey = open_journey(name="live-admin")
    admin.goto("/admin/login")
    admin.page.get_by_label("Email").fill("admin@healthcareplus.in")
    admin.page.get_by_label("Password").fill("Admin@12345")
    admin.page.get_by_role("button", name="Log in").click()
    expect(admin.page).to_have_url(re.compile(r"/admin/?$"))
    admin.goto(f"/admin?doctor={DOCTOR_ID}")
    bookings = admin.page.get_by_test_id("dash-bookings")
    expect(bookings).to_have_text(re.compile(r"^\d+$"))
    before = int(bookings.inner_text())
    admin.shot("dashboard before")

    patient: Journey = open_journey(name="live-patient")
    log_in(patient, new_patient("Kavya Rao"))
    choose_slot(patient, DOCTOR_ID)
    confirm_booking(patient.page, "Persistent cough")
    expect(bookings).to_have_text(str(before + 1), timeout=LIVE_MS)
    admin.shot("hold shown live")

    pay_with_upi(patient.page, "kavya@okaxis")
    expect(patient.page.get_by_test_id("confirmed-banner")).to_be_visible()
    table = admin.page.get_by_role("table").filter(has_text="Kavya Rao")
    expect(table.get_by_text("Success").first).to_be_visible(timeout=LIVE_MS)
    expect(admin.page).to_have_url(re.compile(rf"/admin/?\?doctor={DOCTOR_ID}$"))
    admin.shot("payment shown live")
