"""On a phone every table shows each row as a card: the cells one under the other, each
led by its column's heading, the row's buttons on the screen; the header row is out of
sight but still in the page. On a desktop the tables stay tables.

The data: a new patient's visit to the demo doctor that has already happened (booked
through the services with an earlier clock, paid at the clinic: still Pending), with a
treatment record, completed by the doctor. It shows in the admin's dashboard table (with
"Mark paid"), the patient list, the month's report, the audit log, and the patient's own
appointment (the prescription table); the doctor's table is the notification choices.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect
from sqlmodel import Session, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Doctor, Role, User
from healthcareplus.domain.clinical.records import save_treatment
from healthcareplus.domain.clinical.visit_closing import mark_completed
from healthcareplus.domain.scheduling.availability import day_slots
from tests.e2e.conftest import DESKTOP, PATIENT_PASSWORD, PHONE, Journey, log_in, now
from tests.e2e.test_admin_actions_journey import admin_login
from tests.e2e.test_doctor_journey import DOCTOR_EMAIL, DOCTOR_PASSWORD
from tests.factories import create_booking

PATIENT_NAME = "Tara Kulkarni"


@dataclass(frozen=True)
class Visit:
    id: str
    doctor_id: int
    day: str  # "YYYY-MM-DD", clinic time
    patient_email: str


def _started_slot(db: Session, doctor_id: int) -> tuple[datetime, datetime]:
    """The demo doctor's latest free slot that has begun, and a ``now`` it was bookable at."""
    current = now()
    for back in range(8):
        day = clinic_today(current) - timedelta(days=back)
        then = current - timedelta(days=back + 1, hours=2)
        started = [
            s
            for s in day_slots(db, doctor_id=doctor_id, day=day, now=then)
            if s.is_free and s.start_at < current - timedelta(minutes=1)
        ]
        if started:
            return started[-1].start_at, then
    raise AssertionError("the demo doctor has no free slot in the past week")


@pytest.fixture(scope="module")
def visit(e2e_db_url: str, _patient_hash: str) -> Visit:
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as db:
        doctor_user = db.exec(select(User).where(User.email == DOCTOR_EMAIL)).one()
        doctor = db.exec(select(Doctor).where(Doctor.user_id == doctor_user.id)).one()
        assert doctor.id is not None and doctor_user.id is not None
        patient = User(
            role=Role.PATIENT,
            name=PATIENT_NAME,
            email=f"tara.{uuid.uuid4().hex[:10]}@example.in",
            phone="+91 98450 33333",
            password_hash=_patient_hash,
        )
        db.add(patient)
        db.commit()
        start, then = _started_slot(db, doctor.id)
        booked = create_booking(
            db, doctor=doctor, patient=patient, start_at=start, now=then, method="pay_at_clinic"
        )
        lines = [
            {"medicine": "Amoxicillin 500 mg", "dose": "1 capsule", "frequency": "Three times a "
             "day after food", "duration": "5 days"},
            {"medicine": "Paracetamol 650 mg", "dose": "1 tablet", "frequency": "When feverish",
             "duration": "3 days"},
        ]  # fmt: skip
        ids = {"doctor_id": doctor.id, "actor_id": doctor_user.id}
        save_treatment(
            db, **ids, appointment_id=booked.id, visit_type="consultation",
            diagnosis="Tonsillitis", notes="", items=lines, now=now(),
        )  # fmt: skip
        mark_completed(db, **ids, appointment_id=booked.id, now=now())
        db.commit()  # the unit of work
        day = clinic_today(start).isoformat()
        return Visit(booked.id, doctor.id, day, patient.email)


# --- what a card and a table look like ------------------------------------------------------


def _box(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


def assert_cards(page: Page, table: Locator, row: Locator, button: Locator | None) -> None:
    """``row`` (of ``table``) is a card as narrow as the screen, its cells one under the
    other each led by its heading; ``button`` is on the screen and takes a tap; the header
    row is in the page but out of sight; the page never scrolls sideways."""
    width = PHONE["width"]
    expect(row).to_be_visible()
    card = _box(row)
    assert card["x"] >= 0 and card["x"] + card["width"] <= width, card
    assert card["width"] < width, card
    cells = row.locator(":scope > td, :scope > th")
    first, second = _box(cells.nth(0)), _box(cells.nth(1))
    assert first["height"] > 10 and second["height"] > 10, (first, second)
    assert second["y"] >= first["y"] + first["height"] - 1, (first, second)  # one under another
    assert abs(second["x"] - first["x"]) < 2 and first["width"] > card["width"] - 4
    heading = table.locator("thead th").first
    label = cells.nth(0).evaluate("e => getComputedStyle(e, '::before').content")
    assert heading.inner_text().strip() in label, label  # "Medicine:" before the medicine
    head = _box(table.locator("thead"))
    assert head["width"] <= 1 and head["height"] <= 1, head  # out of sight...
    expect(table.get_by_role("columnheader").first).to_be_attached()  # ...not out of the page
    if button is not None:
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()
        spot = _box(button)
        assert spot["x"] >= 0 and spot["x"] + spot["width"] <= width, spot
        button.click(trial=True)  # visible, enabled, and nothing covers it
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def assert_table(table: Locator, row: Locator) -> None:
    """A real table: the header row visible, a row's cells side by side."""
    header = table.get_by_role("columnheader").first
    expect(header).to_be_visible()
    assert _box(header)["width"] > 20
    expect(row).to_be_visible()
    assert row.evaluate("e => getComputedStyle(e).display") == "table-row"
    cells = row.locator(":scope > td, :scope > th")
    first, second = _box(cells.nth(0)), _box(cells.nth(1))
    assert second["x"] >= first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 2


# --- the pages ------------------------------------------------------------------------------


def dashboard_row(j: Journey, visit: Visit) -> tuple[Locator, Locator]:
    j.goto(f"/admin?doctor={visit.doctor_id}&date={visit.day}&status=completed&payment=Pending")
    table = j.page.get_by_test_id("appointments-table").locator(".rt-TableRootTable")
    row = table.locator(f'[data-appointment="{visit.id}"]')
    expect(row).to_contain_text(PATIENT_NAME)
    return table, row


def patients_row(j: Journey) -> tuple[Locator, Locator]:
    j.goto("/admin/patients")
    j.page.get_by_label("Search", exact=True).fill(PATIENT_NAME)
    j.page.get_by_role("button", name="Search").click()
    table = j.page.get_by_test_id("patients-table")
    row = table.get_by_test_id("patient-row").filter(has_text=PATIENT_NAME)
    expect(row).to_have_count(1)
    return table, row


def report_row(j: Journey, visit: Visit) -> tuple[Locator, Locator]:
    j.goto(f"/admin/reports?month={visit.day[:7]}")
    table = j.page.get_by_test_id("doctor-table")
    row = table.locator("tbody tr").first
    expect(row).to_be_visible()
    return table, row


def audit_row(j: Journey, visit: Visit) -> tuple[Locator, Locator]:
    j.goto("/admin/audit")
    j.page.get_by_label("Appointment id", exact=True).fill(visit.id)
    j.page.get_by_role("button", name="Apply filters").click()
    table = j.page.locator("table").filter(has=j.page.get_by_test_id("audit-row"))
    row = table.get_by_test_id("audit-row").first
    expect(row).to_be_visible()
    return table, row


def test_on_a_phone_each_table_row_is_a_card(open_journey, visit: Visit) -> None:
    j: Journey = open_journey(PHONE)
    admin_login(j)
    page = j.page

    table, row = dashboard_row(j, visit)
    assert_cards(page, table, row, row.get_by_test_id("action-mark-paid"))
    expect(row.locator('td[data-label="Doctor"]')).to_contain_text("Nithya Subramanian")
    row.scroll_into_view_if_needed()
    j.shot("dashboard appointments")

    table, row = patients_row(j)
    assert_cards(page, table, row, row.get_by_role("link", name=PATIENT_NAME))
    expect(row.locator('td[data-label="Bookings"]')).to_have_text("1")
    j.shot("patients")

    table, row = report_row(j, visit)
    assert_cards(page, table, row, None)
    row.scroll_into_view_if_needed()
    j.shot("monthly report")

    table, row = audit_row(j, visit)
    assert_cards(page, table, row, None)
    j.shot("audit log")

    j.goto("/admin/locations")
    table = page.get_by_test_id("cities-table")
    row = table.get_by_test_id("city-row").first
    assert_cards(page, table, row, row.get_by_role("button", name="Hospitals"))
    j.shot("cities")

    doctor: Journey = open_journey(PHONE, name="phone-tables-doctor")
    log_in(doctor, DOCTOR_EMAIL, DOCTOR_PASSWORD)
    expect(doctor.page).to_have_url(re.compile(r"/doctor-portal$"))
    doctor.goto("/notifications")
    table = doctor.page.locator("table").filter(has_text="Reminders")
    row = table.locator("tbody tr").filter(has_text="Reminders")
    assert_cards(doctor.page, table, row, row.get_by_role("checkbox", name="Reminders by SMS"))
    table.scroll_into_view_if_needed()
    doctor.shot("notification choices")

    patient: Journey = open_journey(PHONE, name="phone-tables-patient")
    log_in(patient, visit.patient_email, PATIENT_PASSWORD)
    patient.goto(f"/appointments/{visit.id}")
    record = patient.page.get_by_test_id("treatment-record")
    expect(record).to_contain_text("Tonsillitis")
    lines = record.get_by_test_id("prescription-line")
    expect(lines).to_have_count(2)
    assert_cards(patient.page, record.locator("table"), lines.first, None)
    expect(lines.first.locator('[data-label="Frequency"]')).to_have_text(
        "Three times a day after food"
    )
    record.scroll_into_view_if_needed()
    patient.shot("prescription")


def test_on_a_desktop_tables_stay_tables(open_journey, visit: Visit) -> None:
    j: Journey = open_journey(DESKTOP)
    admin_login(j)
    table, row = dashboard_row(j, visit)
    assert_table(table, row)
    mark_paid = row.get_by_test_id("action-mark-paid")
    mark_paid.scroll_into_view_if_needed()
    assert _box(mark_paid)["x"] + _box(mark_paid)["width"] <= DESKTOP["width"]
    j.shot("dashboard appointments")
    table, row = patients_row(j)
    assert_table(table, row)
    table, row = report_row(j, visit)
    assert_table(table, row)
    table, row = audit_row(j, visit)
    assert_table(table, row)
    j.shot("audit log")
