"""The demo doctor's day: the live dashboard, an afternoon blocked (which patients stop
seeing at once), a visit closed with a two-medicine prescription that the patient reads
and downloads; the portal also works at phone size.

The doctor is the seeded demo doctor (Dr. Nithya Subramanian); the patients are new. The
visit to close is booked through the services with an earlier ``now`` so that it has
already started when the doctor opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_day_month,
)
from healthcareplus.core.models import Doctor, User
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.scheduling.availability import day_slots
from tests.e2e.conftest import DAYS_AHEAD, DESKTOP, PHONE, Journey, log_in, now
from tests.gateways import ScriptedGateway

DOCTOR_EMAIL, DOCTOR_PASSWORD = "doctor@healthcareplus.in", "Doctor@12345"
AFTERNOON = [f"{h:02d}:{m:02d} PM" for h in (2, 3, 4, 5) for m in (0, 15, 30, 45)]


@dataclass
class Setup:
    db_url: str
    doctor_id: int

    def session(self) -> Session:
        from healthcareplus.core.db import get_engine

        return Session(get_engine(self.db_url), expire_on_commit=False)

    def patient_id(self, email: str) -> int:
        with self.session() as db:
            user = db.exec(select(User).where(User.email == email)).one()
            assert user.id is not None
            return user.id

    def booking(self, email: str, start_at: datetime, now: datetime, reason: str) -> str:
        """A confirmed Pay-at-Clinic booking made through the services as at ``now``."""
        patient_id = self.patient_id(email)
        with self.session() as db:
            appointment = book(
                db,
                patient_id=patient_id,
                doctor_id=self.doctor_id,
                start_at=start_at,
                reason=reason,
                now=now,
            )
            pay(
                db,
                appointment_id=appointment.id,
                patient_id=patient_id,
                method="pay_at_clinic",
                form={},
                gateway=ScriptedGateway([True]),
                now=now,
            )
            db.commit()  # the unit of work
            return appointment.id

    def latest_started_slot(self) -> tuple[datetime, datetime]:
        """The latest free slot that has already begun, and a ``now`` it was bookable at."""
        current = now()
        with self.session() as db:
            for back in range(0, 8):
                day = clinic_today(current) - timedelta(days=back)
                then = current - timedelta(days=back + 1, hours=2)
                started = [
                    s
                    for s in day_slots(db, doctor_id=self.doctor_id, day=day, now=then)
                    if s.state == "free" and s.start_at < current - timedelta(minutes=1)
                ]
                if started:
                    return started[-1].start_at, then
        raise AssertionError("the demo doctor has no slot in the past week")

    def working_day(self, after: int, weekdays: range = range(5)) -> date:
        """The first clinic day ``after`` days or more from today that is a weekday."""
        day = clinic_today(now()) + timedelta(days=after)
        while day.weekday() not in weekdays:
            day += timedelta(days=1)
        return day

    def first_free(self, day: date) -> datetime:
        with self.session() as db:
            slots = day_slots(db, doctor_id=self.doctor_id, day=day, now=now())
        return next(s.start_at for s in slots if s.state == "free")


@pytest.fixture
def setup(e2e_db_url: str) -> Setup:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(e2e_db_url)) as db:
        doctor = db.exec(
            select(Doctor).join(User, User.id == Doctor.user_id).where(User.email == DOCTOR_EMAIL)
        ).one()
        assert doctor.id is not None
        return Setup(e2e_db_url, doctor.id)


def doctor_logs_in(j: Journey) -> None:
    log_in(j, DOCTOR_EMAIL, DOCTOR_PASSWORD)
    expect(j.page).to_have_url(re.compile(r"/doctor-portal$"))
    j.ready()
    expect(j.page.get_by_role("heading", name="Dr. Nithya Subramanian")).to_be_visible()


def block_afternoon(page: Page, day: date) -> None:
    page.get_by_test_id("doctor-nav-schedule").click()
    expect(page).to_have_url(re.compile(r"/doctor-portal/schedule$"))
    expect(page.get_by_label("Monday", exact=True)).to_have_value("09:00-13:00, 14:00-18:00")
    page.get_by_role("radio", name="Hours").click()
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("From", exact=True).fill("14:00")
    page.get_by_label("To", exact=True).fill("18:00")
    page.get_by_label("Reason", exact=True).fill("Medical conference")
    page.get_by_test_id("add-time-off").click()
    entry = page.get_by_test_id("time-off-entry").filter(has_text=format_day_month(day))
    expect(entry).to_contain_text("02:00 PM – 06:00 PM")
    expect(entry).to_contain_text("Medical conference")


def slot_states(page: Page, day: date) -> dict[str, str]:
    page.get_by_role("button", name=re.compile(rf"^{re.escape(format_date(day))}: ")).click()
    expect(page.get_by_role("heading", name=format_date(day), exact=True)).to_be_visible()
    expect(page.locator("[data-testid=slot]").first).to_be_visible()
    states = {}
    for slot in page.locator("[data-testid=slot]").all():
        label = re.match(r"\d\d:\d\d [AP]M", slot.inner_text().strip())
        assert label is not None
        states[label.group(0)] = slot.get_attribute("data-state") or ""
    return states


def write_prescription(page: Page) -> None:
    page.get_by_label("Visit type").select_option("follow_up")
    page.get_by_label("Diagnosis").fill("Acute bronchitis")
    for number, (medicine, dose, frequency, duration) in enumerate(
        (
            ("Azithromycin 500 mg", "1 tablet", "Once a day", "3 days"),
            ("Salbutamol inhaler", "2 puffs", "When breathless", "7 days"),
        ),
        start=1,
    ):
        if number > 1:
            page.get_by_role("button", name="Add medicine").click()
        page.get_by_label(f"Medicine {number}", exact=True).fill(medicine)
        page.get_by_label(f"Dose {number}", exact=True).fill(dose)
        page.get_by_label(f"Frequency {number}", exact=True).fill(frequency)
        page.get_by_label(f"Duration {number}", exact=True).fill(duration)
    page.get_by_label("Notes").fill("Steam inhalation twice a day. Review in one week.")
    page.get_by_test_id("save-record").click()
    expect(page.get_by_text("Treatment record saved.")).to_be_visible()


def test_doctor_blocks_an_afternoon_and_closes_a_visit(open_journey, new_patient, setup) -> None:
    riya = new_patient("Riya Menon")
    start, then = setup.latest_started_slot()
    visit_id = setup.booking(riya, start, then, "Cough and breathlessness for a week")

    doc: Journey = open_journey(DESKTOP, name="doctor-journey-desktop")
    doctor_logs_in(doc)
    page = doc.page
    expect(page.locator(f'a[href="/doctor-portal/visits/{visit_id}"]')).to_be_visible()
    expect(page.get_by_test_id("live-status")).to_contain_text("Updated")
    doc.mark_page()
    doc.shot("dashboard")

    # Live: a booking made elsewhere shows up without a reload (as soon as the page's
    # next refresh gets it: awaited, however busy the machine).
    kabir = new_patient("Kabir Sethi")
    soon = setup.working_day(1, range(6))  # tomorrow or later: every slot is still ahead
    live_id = setup.booking(kabir, setup.first_free(soon), now(), "Palpitations at night")
    expect(page.locator(f'a[href="/doctor-portal/visits/{live_id}"]')).to_contain_text(
        "Kabir Sethi"
    )
    doc.assert_not_reloaded()
    doc.shot("dashboard updated live")

    # An afternoon off; a patient no longer sees those slots.
    day = setup.working_day(DAYS_AHEAD)
    block_afternoon(page, day)
    doc.shot("afternoon blocked")
    patient: Journey = open_journey(PHONE, name="doctor-journey-patient")
    log_in(patient, riya)
    patient.goto(f"/book/{setup.doctor_id}")
    states = slot_states(patient.page, day)
    assert {states[label] for label in AFTERNOON} == {"blocked"}
    assert "free" in {states["11:00 AM"], states["11:15 AM"], states["11:30 AM"]}
    patient.shot("afternoon slots blocked")

    # The doctor closes the visit with a prescription.
    doc.goto("/doctor-portal")
    page.locator(f'a[href="/doctor-portal/visits/{visit_id}"]').first.click()
    expect(page).to_have_url(re.compile(rf"/doctor-portal/visits/{visit_id}$"))
    expect(page.get_by_test_id("patient-name")).to_have_text("Riya Menon")
    write_prescription(page)
    page.get_by_test_id("mark-completed").click()
    expect(page.get_by_test_id("visit-summary").get_by_test_id("visit-status")).to_have_text(
        "Completed"
    )
    expect(page.get_by_test_id("mark-completed")).to_have_count(0)
    doc.shot("visit completed")
    # The Pay-at-Clinic fee, paid at the visit, is recorded right there.
    page.get_by_test_id("record-payment").click()
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded")).to_be_visible()
    expect(page.get_by_test_id("record-payment")).to_have_count(0)
    doc.shot("fee recorded")

    # The patient reads the record and downloads the prescription.
    patient.goto(f"/appointments/{visit_id}")
    expect(patient.page.get_by_test_id("payment-summary")).to_contain_text("Paid")
    record = patient.page.get_by_test_id("treatment-record")
    expect(record).to_contain_text("Acute bronchitis")
    expect(record.get_by_test_id("visit-type")).to_have_text("Follow-up")
    expect(record.get_by_test_id("prescription-line")).to_have_count(2)
    expect(record).to_contain_text("Azithromycin 500 mg")
    expect(record).to_contain_text("When breathless")
    patient.shot("treatment record")
    with patient.page.expect_download() as download:
        patient.page.get_by_role("button", name="Download prescription (PDF)").click()
    assert download.value.suggested_filename == f"prescription-{visit_id[:8]}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def test_doctor_portal_at_phone_size(open_journey, new_patient, setup) -> None:
    start, then = setup.latest_started_slot()
    visit_id = setup.booking(new_patient("Meera Pillai"), start, then, "Recurring headaches")
    j: Journey = open_journey(PHONE)
    doctor_logs_in(j)
    expect(j.page.get_by_test_id("count-today")).to_be_visible()
    j.shot("dashboard phone")
    j.goto(f"/doctor-portal/visits/{visit_id}")
    expect(j.page.get_by_test_id("patient-name")).to_have_text("Meera Pillai")
    j.page.get_by_role("button", name="Add medicine").click()
    expect(j.page.get_by_test_id("prescription-row")).to_have_count(2)
    j.page.get_by_label("Medicine 1", exact=True).fill("Naproxen 250 mg")
    j.page.get_by_label("Medicine 2", exact=True).fill("Domperidone 10 mg")
    j.shot("visit phone")
    j.page.get_by_role("button", name="Remove medicine 1").click()
    expect(j.page.get_by_test_id("prescription-row")).to_have_count(1)
    # The line left keeps what was typed in it, now numbered 1.
    expect(j.page.get_by_label("Medicine 1", exact=True)).to_have_value("Domperidone 10 mg")
    j.goto("/doctor-portal/schedule")
    expect(j.page.get_by_label("Saturday", exact=True)).to_have_value("09:00-13:00")
    expect(j.page.get_by_label("Sunday", exact=True)).to_have_value("")
    j.shot("schedule phone")
    j.page.get_by_role("button", name="Open menu").click()
    expect(j.page.get_by_test_id("nav-doctor-portal").last).to_be_visible()
