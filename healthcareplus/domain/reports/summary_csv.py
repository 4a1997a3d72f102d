"""The monthly summary as one CSV file: a title line, the doctors' table, then the
hospitals' table, each with a total row."""

from __future__ import annotations

from healthcareplus.domain.reports.csv_text import BOM, CsvLineWriter, rupees_plain, safe_cell
from healthcareplus.domain.reports.monthly_summary import (
    SUMMARY_FIGURES,
    MonthlySummary,
    figure_cells,
)

DOCTOR_HEADER = ("Doctor", "Specialization", "Hospital", "City", *SUMMARY_FIGURES, "Revenue (₹)")
HOSPITAL_HEADER = ("Hospital", "City", "Doctors", *SUMMARY_FIGURES, "Revenue (₹)")


def monthly_summary_csv(summary: MonthlySummary) -> str:
    """The summary as one CSV: a title line, the doctors' table, then the hospitals'."""
    line = CsvLineWriter()
    totals = summary.totals
    parts = [BOM + line(["Monthly summary", summary.label]), "\r\n", line(["Doctors"])]
    parts.append(line(DOCTOR_HEADER))
    for d in summary.doctors:
        text = [safe_cell(v) for v in (d.doctor, d.specialization, d.hospital, d.city)]
        parts.append(line([*text, *figure_cells(d, rupees_plain)]))
    parts.append(line(["Total", "", "", "", *figure_cells(totals, rupees_plain)]))
    parts += ["\r\n", line(["Hospitals"]), line(HOSPITAL_HEADER)]
    for h in summary.hospitals:
        cells = [safe_cell(h.hospital), safe_cell(h.city), str(h.doctors)]
        parts.append(line([*cells, *figure_cells(h, rupees_plain)]))
    parts.append(line(["Total", "", str(totals.doctors), *figure_cells(totals, rupees_plain)]))
    return "".join(parts)


__all__ = ["DOCTOR_HEADER", "HOSPITAL_HEADER", "monthly_summary_csv"]
