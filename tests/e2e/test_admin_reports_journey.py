"""An admin opens Reports, sees last month's summary, downloads the filtered appointments
CSV and the monthly summary PDF and CSV, and checks what is inside the files.

"Last month" is the page's, read from the page when it opens: the test's visits go into
that month, so a month change at clinic midnight between setup and page load cannot
split them.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Download, expect
from sqlmodel import Session, select

from tests.e2e.conftest import PHONE, Journey, now

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@healthcareplus.in", "Admin@12345"


@dataclass
class Visits:
    doctor_id: int
    doctor_name: str
    patient_name: str
    month: str  # "YYYY-MM" of last month, the page's default
    ids: tuple[str, str]


def last_month(instant: datetime) -> str:
    """ "YYYY-MM" of the clinic month before the one ``instant`` falls in."""
    from healthcareplus.core.formatting import clinic_today

    return (clinic_today(instant).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def add_last_month_visits(e2e_db_url: str, hour: int, month: str = "") -> Visits:
    """Two visits of a seeded doctor in ``month`` (default: last month, clinic time) by a
    new patient: one paid and completed, one cancelled, on the 13th at ``hour``:07 and
    ``hour``:37 (before opening hours and off the slot grid, so no booking can collide;
    each test uses its own hour)."""
    from healthcareplus.core.db import get_engine
    from healthcareplus.core.models import Appointment, Doctor, Payment, User
    from healthcareplus.domain.scheduling import tallies
    from tests.factories import FAKE_PASSWORD_HASH, local

    day = date.fromisoformat(f"{month or last_month(now())}-13")
    suffix = uuid.uuid4().hex[:6]
    with Session(get_engine(e2e_db_url), expire_on_commit=False) as session:
        doctor = session.exec(select(Doctor).order_by(Doctor.id)).first()
        assert doctor is not None
        patient = User(
            name=f"Reena Report {suffix}",
            email=f"reena.{suffix}@example.in",
            password_hash=FAKE_PASSWORD_HASH,
        )
        session.add(patient)
        session.flush()
        visits = []
        for minute, status, paid in ((7, "completed", True), (37, "cancelled", False)):
            start = local(day, f"{hour:02d}:{minute:02d}")
            visit = Appointment(
                patient_id=patient.id,
                doctor_id=doctor.id,
                hospital_id=doctor.hospital_id,
                start_at=start,
                end_at=start + timedelta(minutes=15),
                reason="Annual check-up",
                status=status,
                payment_status="Success" if paid else "Pending",
                payment_method="upi" if paid else None,
                fee_paise=doctor.fee_paise,
                transaction_id=f"HCP-E2E-{suffix}" if paid else None,
                booked_at=start - timedelta(days=3),
            )
            tallies.count_change(session, None, tallies.Counted.of(visit))  # the counters
            session.add(visit)
            session.flush()
            if paid:
                session.add(
                    Payment(
                        appointment_id=visit.id,
                        method="upi",
                        amount_paise=doctor.fee_paise,
                        status="Success",
                        transaction_id=f"HCP-E2E-{suffix}",
                        created_at=visit.booked_at,
                    )
                )
            visits.append(visit.id)
        session.commit()
        return Visits(doctor.id, doctor.name, patient.name, day.strftime("%Y-%m"), tuple(visits))


def admin_log_in(j: Journey) -> None:
    j.goto("/admin/login")
    j.page.get_by_label("Email").fill(ADMIN_EMAIL)
    j.page.get_by_label("Password").fill(ADMIN_PASSWORD)
    j.page.get_by_role("button", name="Log in").click()
    expect(j.page).to_have_url(re.compile(r"/admin$"))


def saved(download: Download) -> bytes:
    return Path(download.path()).read_bytes()


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed content streams inflated."""
    parts = [pdf]
    for chunk in pdf.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            parts.append(zlib.decompress(body))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_admin_downloads_the_appointments_csv_and_the_monthly_reports(
    open_journey, e2e_db_url: str
) -> None:
    j: Journey = open_journey()
    admin_log_in(j)
    before = now()
    j.goto("/admin/reports")
    expect(j.page.get_by_test_id("admin-nav-reports")).to_be_visible()
    expect(j.page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()

    # The page opens on last month: the month before the one it loaded in.
    month_select = j.page.get_by_test_id("month-select")
    months = sorted({last_month(before), last_month(now())})
    expect(month_select).to_have_value(re.compile(f"^({'|'.join(months)})$"))
    visits = add_last_month_visits(e2e_db_url, hour=7, month=month_select.input_value())
    j.goto(f"/admin/reports?month={visits.month}")  # that month again, with the new visits

    # Last month's summary is on the page, with the seeded doctor's two visits.
    expect(month_select).to_have_value(visits.month)
    doctor_row = (
        j.page.get_by_test_id("doctor-table").get_by_role("row").filter(has_text=visits.doctor_name)
    )
    expect(doctor_row).to_have_count(1)
    expect(doctor_row.get_by_role("cell").nth(4)).to_have_text(re.compile(r"^([2-9]|\d{2,})$"))
    j.shot("reports page")

    # The CSV of this doctor's cancelled appointments.
    j.page.get_by_label("Doctor", exact=True).select_option(str(visits.doctor_id))
    j.page.get_by_label("Status", exact=True).select_option("cancelled")
    with j.page.expect_download() as download:
        j.page.get_by_role("button", name="Download CSV").click()
    assert re.fullmatch(r"appointments-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    text = saved(download.value).decode("utf-8")
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert records[0][:4] == ["Appointment ID", "Booked at (clinic)", "Date", "Time (clinic)"]
    rows = [dict(zip(records[0], r, strict=True)) for r in records[1:]]
    assert rows and all(r["Doctor"] == visits.doctor_name for r in rows)
    assert all(r["Status"] == "cancelled" for r in rows)
    mine = [r for r in rows if r["Patient"] == visits.patient_name]
    assert [r["Appointment ID"] for r in mine] == [visits.ids[1]]
    assert (mine[0]["Time (clinic)"], mine[0]["Time status"]) == ("07:37", "cancelled")
    j.shot("csv downloaded")

    # The monthly summary as PDF and CSV.
    with j.page.expect_download() as download:
        j.page.get_by_role("button", name="Monthly summary PDF").click()
    assert download.value.suggested_filename == f"monthly-summary-{visits.month}.pdf"
    pdf = saved(download.value)
    assert pdf.startswith(b"%PDF-")
    assert visits.doctor_name.encode("latin-1") in pdf_text(pdf)
    with j.page.expect_download() as download:
        j.page.get_by_role("button", name="Monthly summary CSV").click()
    summary = saved(download.value).decode("utf-8")
    assert summary.lstrip("\ufeff").startswith("Monthly summary,")
    assert visits.doctor_name in summary

    # A month without appointments says so.
    j.page.get_by_test_id("month-select").select_option(index=23)
    expect(j.page.get_by_test_id("empty-state")).to_contain_text("No appointments in")
    j.shot("empty month")


def test_the_reports_page_keeps_url_filters_and_fits_a_phone(open_journey, e2e_db_url: str) -> None:
    visits = add_last_month_visits(e2e_db_url, hour=6)
    j: Journey = open_journey(PHONE)
    admin_log_in(j)
    j.goto(f"/admin/reports?doctor={visits.doctor_id}&payment=Success&month={visits.month}")
    expect(j.page.get_by_label("Doctor", exact=True)).to_have_value(str(visits.doctor_id))
    expect(j.page.get_by_label("Payment", exact=True)).to_have_value("Success")
    width = j.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    j.shot("phone with url filters")

    with j.page.expect_download() as download:
        j.page.get_by_role("button", name="Download CSV").click()
    records = list(csv.reader(io.StringIO(saved(download.value).decode().lstrip("\ufeff"))))
    ids = {r[0] for r in records[1:]}
    assert visits.ids[0] in ids and visits.ids[1] not in ids
    assert {r[12] for r in records[1:]} == {"Success"}
