"""The monthly summary as an Excel workbook (openpyxl): a "Doctors" and a "Hospitals"
sheet, each with a title, a bold frozen header, one row per doctor or hospital and a total
row. Counts are numbers and revenue is a number of rupees formatted as ₹, so the
spreadsheet can sum and sort them; text cells are stored as strings, never formulas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from healthcareplus.domain.admin.figures import BookingFigures
from healthcareplus.domain.reports.monthly_summary import MonthlySummary
from healthcareplus.domain.reports.summary_csv import DOCTOR_HEADER, HOSPITAL_HEADER

RUPEES_FORMAT = '"₹"#,##,##0.00'  # Indian digit grouping: ₹1,23,456.50
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
Cell = str | int | float


def _figures(row: BookingFigures) -> list[Cell]:
    counts = (row.bookings, row.confirmed, row.completed, row.cancelled, row.no_shows)
    return [*counts, row.revenue_paise / 100]


def _text(value: str) -> str:
    """Text as a cell: openpyxl would store a string starting with "=" as a formula."""
    return "'" + value if value.startswith("=") else value


def _sheet(
    sheet: Worksheet,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell],
) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(list(header))
    for cell in sheet[3]:
        cell.font = _BOLD
    sheet.freeze_panes = "A4"
    for row in rows:
        sheet.append([_text(v) if isinstance(v, str) else v for v in row])
    sheet.append(list(total))
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    revenue_column = len(header)
    for (cell,) in sheet.iter_rows(min_row=4, min_col=revenue_column, max_col=revenue_column):
        cell.number_format = RUPEES_FORMAT
    for index, heading in enumerate(header, start=1):
        longest = max([len(heading), *(len(str(r[index - 1])) for r in rows)], default=10)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 40)


def monthly_summary_xlsx(summary: MonthlySummary) -> bytes:
    """The summary as an .xlsx workbook's bytes."""
    workbook = Workbook()
    doctors = workbook.active
    assert doctors is not None  # a new workbook always has its first sheet
    doctors.title = "Doctors"
    title = f"Monthly summary, {summary.label}"
    totals = summary.totals
    _sheet(
        doctors,
        title,
        DOCTOR_HEADER,
        [[d.doctor, d.specialization, d.hospital, d.city, *_figures(d)] for d in summary.doctors],
        ["Total", "", "", "", *_figures(totals)],
    )
    _sheet(
        workbook.create_sheet("Hospitals"),
        title,
        HOSPITAL_HEADER,
        [[h.hospital, h.city, h.doctors, *_figures(h)] for h in summary.hospitals],
        ["Total", "", totals.doctors, *_figures(totals)],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = ["RUPEES_FORMAT", "XLSX_MEDIA_TYPE", "monthly_summary_xlsx"]
