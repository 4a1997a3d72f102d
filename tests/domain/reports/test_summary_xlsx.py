"""The monthly summary as an Excel workbook: the same figures as the CSV, as numbers."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from healthcareplus.domain.reports.monthly_summary import monthly_summary
from healthcareplus.domain.reports.summary_csv import DOCTOR_HEADER, HOSPITAL_HEADER
from healthcareplus.domain.reports.summary_xlsx import RUPEES_FORMAT, monthly_summary_xlsx
from tests.domain.reports.test_reports import Data, build
from tests.factories import create_appointment, create_doctor, create_hospital, local


@pytest.fixture
def data(session: Session) -> Data:
    return build(session)


def _rows(workbook_bytes: bytes, sheet: str) -> list[tuple[object, ...]]:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    return list(workbook[sheet].iter_rows(values_only=True))


def test_workbook_has_both_sheets_with_numbers_and_totals(data: Data, session: Session) -> None:
    workbook_bytes = monthly_summary_xlsx(monthly_summary(session, year=2026, month=3))
    assert workbook_bytes.startswith(b"PK")  # a zip: an .xlsx package
    assert load_workbook(io.BytesIO(workbook_bytes)).sheetnames == ["Doctors", "Hospitals"]

    doctors = _rows(workbook_bytes, "Doctors")
    assert doctors[0][0] == "Monthly summary, March 2026"
    assert doctors[2] == DOCTOR_HEADER
    assert doctors[3] == (
        "Dr. Chitra Rao", "Dermatologist", "Lakeview Clinic", "Mumbai", 2, 1, 1, 0, 0, 600,
    )  # fmt: skip
    assert doctors[5][0] == "Dr. Bharat Nair" and doctors[5][-1] == 500.5
    assert doctors[-1] == ("Total", None, None, None, 7, 2, 2, 1, 1, 2700.5)
    assert len(doctors) == 7

    hospitals = _rows(workbook_bytes, "Hospitals")
    assert hospitals[2] == HOSPITAL_HEADER
    assert hospitals[4] == ("Sunrise Hospital", "Bangalore", 2, 5, 1, 1, 1, 1, 2100.5)
    assert hospitals[-1] == ("Total", None, 3, 7, 2, 2, 1, 1, 2700.5)


def test_revenue_cells_are_rupees_and_the_header_stays_in_view(
    data: Data, session: Session
) -> None:
    workbook_bytes = monthly_summary_xlsx(monthly_summary(session, year=2026, month=3))
    sheet = load_workbook(io.BytesIO(workbook_bytes))["Doctors"]
    revenue = [row[-1] for row in sheet.iter_rows(min_row=4)]
    assert revenue and all(cell.number_format == RUPEES_FORMAT for cell in revenue)
    assert sheet.freeze_panes == "A4"
    assert all(cell.font.bold for cell in sheet[3]) and all(
        c.font.bold for c in sheet[sheet.max_row]
    )


def test_text_that_looks_like_a_formula_stays_text(session: Session) -> None:
    hospital = create_hospital(session, name='=HYPERLINK("http://x")')
    doctor = create_doctor(session, hospital=hospital, name="=1+1")
    create_appointment(session, doctor=doctor, start_at=local(date(2026, 3, 5), "10:00"))
    session.commit()
    workbook_bytes = monthly_summary_xlsx(monthly_summary(session, year=2026, month=3))
    sheet = load_workbook(io.BytesIO(workbook_bytes))["Doctors"]
    names = [sheet.cell(row=r, column=1) for r in range(4, sheet.max_row)]
    assert [(c.value, c.data_type) for c in names] == [("'=1+1", "s")]


def test_an_empty_month_is_a_workbook_with_zero_totals(session: Session) -> None:
    doctors = _rows(monthly_summary_xlsx(monthly_summary(session, year=2026, month=3)), "Doctors")
    assert doctors[2] == DOCTOR_HEADER
    assert doctors[-1] == ("Total", None, None, None, 0, 0, 0, 0, 0, 0)
