"""Admin reports page parts: the appointments export form and the monthly summary card."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.admin.reports_state import AdminReportsState as S
from healthcareplus.ui.shared.cards import figure, section_card
from healthcareplus.ui.shared.forms import (
    NATIVE_SELECT_STYLE,
    fixed_options,
    labelled,
    native_select,
    row_options,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, if_any
from healthcareplus.ui.shared.statuses import PAYMENT_OPTIONS, STATUS_OPTIONS
from healthcareplus.ui.shared.tables import labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowsVar, RowVar

FORM_ID = "export"
SORT_OPTIONS = (
    ("start_desc", "Latest appointment first"),
    ("start_asc", "Earliest appointment first"),
    ("booked_desc", "Most recently booked first"),
    ("fee_desc", "Highest fee first"),
)
FIGURES = (
    ("bookings", "Bookings"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("no_shows", "No-shows"),
)
MORE_FIGURES = (("revenue", "Revenue"), ("doctors", "Doctors"))


def _select(
    label: str,
    name: str,
    default: Var[str],
    *,
    choices: RowsVar | None = None,
    fixed: tuple[tuple[str, str], ...] = (),
    blank: str | None = None,
) -> rx.Component:
    """A native <select> named like the dashboard's URL key (choices: id/label dicts)."""
    options = [*fixed_options(fixed), *([] if choices is None else [row_options(choices)])]
    control = native_select(
        *options, blank=blank, id=f"{FORM_ID}-{name}", name=name, default_value=default
    )
    return labelled(label, f"{FORM_ID}-{name}", control)


def _date(label: str, name: str, default: Var[str]) -> rx.Component:
    control = rx.input(
        id=f"{FORM_ID}-{name}",
        name=name,
        type="date",
        default_value=default,
        size="3",
        width="100%",
    )
    return labelled(label, f"{FORM_ID}-{name}", control)


def export_card() -> rx.Component:
    filters = rx.grid(
        _select("City", "city", S.city, choices=S.cities, blank="All cities"),
        _select("Hospital", "hospital", S.hospital, choices=S.hospitals, blank="All hospitals"),
        _select("Doctor", "doctor", S.doctor, choices=S.doctors, blank="All doctors"),
        _select("Order", "sort", S.sort, fixed=SORT_OPTIONS),
        _date("From", "from", S.date_from),
        _date("To", "to", S.date_to),
        _select("Status", "status", S.status, fixed=STATUS_OPTIONS, blank="Any status"),
        _select("Payment", "payment", S.payment, fixed=PAYMENT_OPTIONS, blank="Any payment"),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="3",
        width="100%",
    )
    clear = rx.button(t("Clear filters"), variant="ghost", type="button", size="3")
    return section_card(
        t("Appointments export"),
        t(
            "Every appointment matching the filters, in the chosen order, as one CSV file "
            "for Excel or Google Sheets. Dates are clinic dates."
        ),
        stacked_form(
            filters,
            rx.hstack(
                rx.button(rx.icon("download"), t("Download CSV"), type="submit", size="3"),
                rx.link(clear, href=routes.ADMIN_REPORTS),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            key=S.form_key.to_string(),
            on_submit=S.download_csv,
            aria_label=t("Appointments export filters"),
        ),
        size="5",
    )


def _stat(label: str, key: str) -> rx.Component:
    return rx.card(figure(label, S.totals[key], f"month-{key}", size="5"), flex="1 1 8em")


def _cell(value: str | Var[str], numeric: bool, *, bold: bool = False) -> rx.Component:
    if isinstance(value, str) and value == "":
        return rx.table.cell()  # a blank under a name column: left out of a phone's card
    return rx.table.cell(
        rx.text(value, weight="bold" if bold else "regular", size="2"),
        text_align="right" if numeric else "left",
        white_space="nowrap",
    )


def _table(
    caption: str,
    names: tuple[tuple[str, str], ...],
    rows: RowsVar,
    totals: tuple[str | Var[str], ...],
    testid: str,
    pages: rx.Component,
) -> rx.Component:
    """Columns ``names`` (key, heading), then the figures and revenue, then a totals row
    (``totals``: the cells under ``names``). Only the doctors count is numeric among names."""
    numbers = [*(key for key, _ in FIGURES), "revenue"]
    headings = [*names, *FIGURES, ("revenue", "Revenue")]
    labels = [title for _, title in headings]

    def numeric(key: str) -> bool:
        return key in numbers or key == "doctors"

    def body_row(row: RowVar) -> rx.Component:
        return labelled_row(labels, *(_cell(row[key], numeric(key)) for key, _ in headings))

    total_cells = [
        *(
            _cell(value, numeric(key), bold=True)
            for (key, _), value in zip(names, totals, strict=True)
        ),
        *(_cell(S.totals[key], True, bold=True) for key in numbers),
    ]
    header = rx.table.header(
        rx.table.row(
            *(
                rx.table.column_header_cell(title, text_align="right" if numeric(key) else "left")
                for key, title in headings
            )
        )
    )
    totals_row = labelled_row(labels, *total_cells, background_color=rx.color("gray", 3))
    return rx.box(
        rx.heading(caption, size="4", as_="h3", margin_bottom="0.5em"),
        scroll_table(header, rx.foreach(rows, body_row), totals_row, size="1"),
        pages,
        width="100%",
        data_testid=testid,
    )


def _pages(page: Any, pages: Any, on_page: Any, testid: str) -> rx.Component:
    """A long table's pager (none for a table of one page)."""
    return rx.cond(pages > 1, rx.box(pager(page, pages, on_page, testid), margin_top="0.5em"))


def monthly_card() -> rx.Component:
    return section_card(
        t("Monthly summary"),
        t(
            "Appointments starting in the month (clinic time), per doctor and per "
            "hospital. Revenue is successful payments minus refunds."
        ),
        rx.flex(
            native_select(
                row_options(S.months, value="value"),
                value=S.month,
                on_change=S.choose_month,
                aria_label=t("Month"),
                style={**NATIVE_SELECT_STYLE, "width": "14em"},
                data_testid="month-select",
            ),
            rx.button(
                rx.icon("file-spreadsheet"),
                t("Monthly summary CSV"),
                variant="soft",
                on_click=S.download_monthly("csv"),
            ),
            rx.button(
                rx.icon("file-text"),
                t("Monthly summary PDF"),
                variant="soft",
                on_click=S.download_monthly("pdf"),
            ),
            rx.button(
                rx.icon("sheet"),
                t("Monthly summary Excel"),
                variant="soft",
                on_click=S.download_monthly("xlsx"),
            ),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        rx.flex(
            *(_stat(title, key) for key, title in (*FIGURES, *MORE_FIGURES)),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        if_any(
            S.doctor_rows,
            rx.vstack(
                _table(
                    "Per doctor",
                    (
                        ("doctor", "Doctor"),
                        ("specialization", "Specialization"),
                        ("hospital", "Hospital"),
                        ("city", "City"),
                    ),
                    S.doctor_rows,
                    ("Total", "", "", ""),
                    "doctor-table",
                    _pages(S.doctor_page, S.doctor_pages, S.show_doctor_rows, "doctor-rows"),
                ),  # fmt: skip
                _table(
                    "Per hospital",
                    (("hospital", "Hospital"), ("city", "City"), ("doctors", "Doctors")),
                    S.hospital_rows,
                    ("Total", "", S.totals["doctors"]),
                    "hospital-table",
                    _pages(
                        S.hospital_page, S.hospital_pages, S.show_hospital_rows, "hospital-rows"
                    ),
                ),
                spacing="5",
                width="100%",
            ),
            empty_block(
                "No appointments in " + S.month_label,
                t("Choose another month to see its figures."),
                icon="calendar-x",
            ),
        ),
        size="5",
        spacing="4",
    )
