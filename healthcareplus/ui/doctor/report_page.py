"""The doctor's own monthly report: the month's figures on screen, per hospital, and the
same summary the clinic's admins get, as CSV, PDF or Excel."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import portal_body, portal_shell
from healthcareplus.ui.doctor.report_state import DoctorReportState as S
from healthcareplus.ui.shared.cards import figure, section_card
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE, native_select, row_options
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

FIGURES = (
    ("bookings", "Bookings"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("no_shows", "No-shows"),
    ("revenue", "Revenue"),
)
COLUMNS = ("Hospital", *(title for _, title in FIGURES))
DOWNLOADS = (
    ("csv", "CSV", "file-spreadsheet"),
    ("pdf", "PDF", "file-text"),
    ("xlsx", "Excel", "sheet"),
)


def _month_picker() -> rx.Component:
    buttons = [
        rx.button(rx.icon(icon), label, variant="soft", on_click=S.download_month(fmt))
        for fmt, label, icon in DOWNLOADS
    ]
    picker = native_select(
        row_options(S.months, value="value"),
        value=S.month,
        on_change=S.choose_month,
        aria_label=t("Month"),
        style={**NATIVE_SELECT_STYLE, "width": "14em"},
        data_testid="month-select",
    )
    return rx.flex(picker, *buttons, spacing="3", wrap="wrap", align="center")


def _hospital_row(row: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(row["hospital"]),
        *(rx.table.cell(row[key], text_align="right") for key, _ in FIGURES),
    )


def _content() -> rx.Component:
    stats = rx.flex(
        *(
            rx.card(figure(title, S.totals[key], f"month-{key}", size="5"), flex="1 1 8em")
            for key, title in FIGURES
        ),
        spacing="3",
        wrap="wrap",
        width="100%",
    )
    table = scroll_table(header_row(*COLUMNS), rx.foreach(S.hospitals, _hospital_row), size="1")
    return sections(
        rx.heading(t("Monthly report"), size="7", as_="h1"),
        section_card(
            S.month_label,
            t(
                "Your appointments starting in the month (clinic time). Revenue is successful "
                "payments minus refunds; the files are the clinic's monthly summary of your rows."
            ),
            _month_picker(),
            stats,
            rx.cond(S.hospitals.length() > 1, table),
            data_testid="doctor-month",
        ),
    )


def doctor_report_page() -> rx.Component:
    return portal_shell(portal_body(S.loaded, S.error, _content()))


PAGES = [Page(doctor_report_page, routes.DOCTOR_REPORTS, "Monthly report", [S.load])]
