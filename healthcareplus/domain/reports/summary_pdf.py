"""The monthly summary as a printable PDF (fpdf2).

Uses the PDF core font Helvetica, so the file needs no font on the server and renders the
same everywhere. Core fonts only cover Latin-1: "₹" is written "Rs." and other letters
outside Latin-1 lose their accents (or become "?"). DejaVuSans, which has "₹", is present
on some hosts but not all, and a report should not change with the machine that made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF, FontFace

from healthcareplus.core.formatting import RUPEE, format_rupees
from healthcareplus.domain.clinical.pdf_text import latin1_text
from healthcareplus.domain.reports.monthly_summary import (
    SUMMARY_FIGURES,
    MonthlySummary,
    figure_cells,
)

FONT = "Helvetica"
APP_NAME = "HealthCarePlus"
HEAD_STYLE = FontFace(emphasis="BOLD", fill_color=(224, 242, 241))
TOTAL_STYLE = FontFace(emphasis="BOLD", fill_color=(241, 245, 249))
_LATIN_1_SUBSTITUTES = {RUPEE: "Rs. ", "\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2026": "..."}


def pdf_text(text: str) -> str:
    """Text the core font can draw: Latin-1 kept, accents stripped, the rest as "?"."""
    return latin1_text(text, _LATIN_1_SUBSTITUTES)


def money(paise: int) -> str:
    return pdf_text(format_rupees(paise)).replace("Rs. ", "Rs.")


class _ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(10, 12, 10)

    def header(self) -> None:
        if self.page_no() > 1:  # the first page has the full title block
            self.set_font(FONT, size=8)
            self.set_text_color(100, 116, 139)
            self.cell(0, 5, self.report_title, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(100, 116, 139)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def _table(
    pdf: FPDF,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    total: Sequence[str],
    text_columns: int,
) -> None:
    align = ("LEFT",) * text_columns + ("RIGHT",) * (len(header) - text_columns)
    pdf.set_font(FONT, size=8.5)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align=align,
        headings_style=HEAD_STYLE,
        line_height=4.5,
        padding=(1, 1.5),
        repeat_headings=1,
    ) as table:
        table.row([pdf_text(h) for h in header])
        for cells in rows:
            table.row([pdf_text(c) for c in cells])
        table.row([pdf_text(c) for c in total], style=TOTAL_STYLE)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, pdf_text(text), new_x="LMARGIN", new_y="NEXT")


def monthly_summary_pdf(summary: MonthlySummary, *, compress: bool = True) -> bytes:
    """Title, month, the doctors' and the hospitals' tables with totals, page numbers."""
    title = f"{APP_NAME} - Monthly summary - {summary.label}"
    pdf = _ReportPDF(title)
    pdf.set_compression(compress)
    pdf.set_title(title)
    pdf.set_author(APP_NAME)
    pdf.set_creator(APP_NAME)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, f"{APP_NAME} - Monthly summary", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=12)
    pdf.cell(0, 7, summary.label, new_x="LMARGIN", new_y="NEXT")
    totals = summary.totals
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(71, 85, 105)
    pdf.multi_cell(
        0,
        5,
        f"Appointments starting in {summary.label} (clinic time): {totals.bookings} bookings "
        f"with {totals.doctors} doctors; revenue {money(totals.revenue_paise)} "
        "(successful payments minus refunds).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)

    _heading(pdf, "Per doctor")
    _table(
        pdf,
        ("Doctor", "Specialization", "Hospital", "City", *SUMMARY_FIGURES, "Revenue"),
        (52, 30, 54, 22, 18.5, 18.5, 18.5, 18.5, 18.5, 26.5),
        [
            (d.doctor, d.specialization, d.hospital, d.city, *figure_cells(d, money))
            for d in summary.doctors
        ],
        ("Total", "", "", "", *figure_cells(totals, money)),
        text_columns=4,
    )
    _heading(pdf, "Per hospital")
    _table(
        pdf,
        ("Hospital", "City", "Doctors", *SUMMARY_FIGURES, "Revenue"),
        (72, 34, 20, 20, 20, 20, 20, 20, 30),
        [(h.hospital, h.city, str(h.doctors), *figure_cells(h, money)) for h in summary.hospitals],
        ("Total", "", str(totals.doctors), *figure_cells(totals, money)),
        text_columns=2,
    )
    return bytes(pdf.output())


__all__ = ["monthly_summary_pdf", "pdf_text"]
