"""The dashboard's appointment table: server-side pages, and on each row the shared admin
actions (``components.admin_actions``) that make sense for it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.admin.actions_components import appointment_actions
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState as S
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block
from healthcareplus.ui.shared.statuses import TIME_STATUSES, status_badge
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

TIME_STATUS = (*TIME_STATUSES, ("visit_passed", "Visit passed", "cyan"))
PAYMENT_COLORS = (
    ("Success", "green"),
    ("Pending", "amber"),
    ("Failed", "red"),
    ("Refunded", "purple"),
)
HEADS = ("When", "Patient", "Doctor", "Status", "Payment", "Fee", "Actions")


def _small(*children: str | Var[str] | rx.Component) -> rx.Component:
    return rx.text(*children, size="1", color_scheme="gray")


def appointment_row(item: RowVar) -> rx.Component:
    return table_row(item, "appointment-row")


def table_row(item: RowVar, testid: str) -> rx.Component:
    """One appointment's row (``rx.foreach`` passes a second argument, the index, to a
    function taking two: hence the one-argument ``appointment_row``)."""
    return labelled_row(
        HEADS,
        rx.table.cell(
            rx.text(item["date_label"], white_space="nowrap"),
            rx.text(item["time_label"], weight="bold"),
            _small("#", item["short_id"]),
        ),
        rx.table.cell(
            rx.text(item["patient_name"]),
            rx.cond(
                item["for_name"] != "",
                rx.text(
                    t("For: "),
                    item["for_name"],
                    " (",
                    item["for_relation"],
                    ")",
                    size="2",
                    weight="medium",
                    data_testid="row-for",
                ),
            ),
            _small(item["patient_phone"]),
            _small(item["patient_email"]),
        ),
        rx.table.cell(
            rx.text(item["doctor_name"]),
            _small(item["specialization"]),
            _small(item["hospital_name"], ", ", item["city_name"]),
        ),
        rx.table.cell(
            status_badge(item["display_status"], TIME_STATUS, data_testid="row-status"),
            rx.cond(item["cancel_reason"] != "", _small(item["cancel_reason"])),
        ),
        rx.table.cell(
            rx.badge(
                item["payment_status"],
                color_scheme=rx.match(item["payment_status"], *PAYMENT_COLORS, "gray"),
                data_testid="row-payment",
            ),
            _small(item["payment_method"]),
            _small(item["transaction_id"]),
        ),
        rx.table.cell(item["fee_label"], text_align="right"),
        rx.table.cell(appointment_actions(item)),
        data_testid=testid,
        custom_attrs={"data-appointment": item["id"]},
        vertical_align="top",
    )


def _count() -> rx.Component:
    return rx.text(
        rx.cond(
            S.total > 0,
            rx.fragment("Showing ", S.first_item, "–", S.last_item, " of ", S.total),
            "None",
        ),
        size="2",
        color_scheme="gray",
        data_testid="appointments-count",
    )


def appointments_table() -> rx.Component:
    table = scroll_table(
        header_row(*HEADS), rx.foreach(S.items, appointment_row), variant=None, size="1"
    )
    export = rx.button(
        rx.icon("file-down", size=14),
        t("Export CSV"),
        size="1",
        variant="soft",
        on_click=S.export_csv,
        disabled=S.total == 0,
        data_testid="export-csv",
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t("Appointments"), size="4", as_="h2"),
                _count(),
                rx.spacer(),
                export,
                align="baseline",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                S.total > 0,
                rx.vstack(
                    table, pager(S.page, S.pages, S.go_to_page, "appointments"), width="100%"
                ),
                empty_block(
                    t("No appointments match"),
                    t("Try a wider date range or clear a filter."),
                    "calendar-x",
                ),
            ),
            width="100%",
        ),
        width="100%",
        data_testid="appointments-table",
    )
