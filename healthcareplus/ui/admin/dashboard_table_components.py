"""The dashboard's appointment table: server-side pages, and on each row the shared admin
actions (``components.admin_actions``) that make sense for it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.admin.actions_components import appointment_actions
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState as S
from healthcareplus.ui.shared.layout import empty_block

TIME_STATUS = (
    ("upcoming", "Upcoming", "teal"),
    ("pending_payment", "Awaiting payment", "amber"),
    ("completed", "Completed", "green"),
    ("visit_passed", "Visit passed", "cyan"),
    ("missed", "No-show", "orange"),
    ("cancelled", "Cancelled", "red"),
    ("expired", "Expired", "gray"),
)
PAYMENT_COLORS = (
    ("Success", "green"),
    ("Pending", "amber"),
    ("Failed", "red"),
    ("Refunded", "purple"),
)


def _badge(value: Var, options: tuple, testid: str) -> rx.Component:
    labels = [(key, label) for key, label, _ in options]
    colors = [(key, color) for key, _, color in options]
    return rx.badge(
        rx.match(value, *labels, value),
        color_scheme=rx.match(value, *colors, "gray"),
        data_testid=testid,
    )


def _small(*children: rx.Component | Var | str) -> rx.Component:
    return rx.text(*children, size="1", color_scheme="gray")


def _row(item: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.text(item["date_label"], white_space="nowrap"),
            rx.text(item["time_label"], weight="bold"),
            _small("#", item["short_id"]),
        ),
        rx.table.cell(
            rx.text(item["patient_name"]),
            _small(item["patient_phone"]),
            _small(item["patient_email"]),
        ),
        rx.table.cell(
            rx.text(item["doctor_name"]),
            _small(item["specialization"]),
            _small(item["hospital_name"], ", ", item["city_name"]),
        ),
        rx.table.cell(
            _badge(item["display_status"], TIME_STATUS, "row-status"),
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
        data_testid="appointment-row",
        custom_attrs={"data-appointment": item["id"]},
        vertical_align="top",
    )


def appointments_table() -> rx.Component:
    heads = ("When", "Patient", "Doctor", "Status", "Payment", "Fee", "Actions")
    table = rx.table.root(
        rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in heads))),
        rx.table.body(rx.foreach(S.items, _row)),
        size="1",
        width="100%",
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Appointments", size="4", as_="h2"),
                rx.text(
                    rx.cond(
                        S.total > 0,
                        rx.fragment("Showing ", S.first_item, "–", S.last_item, " of ", S.total),
                        "None",
                    ),
                    size="2",
                    color_scheme="gray",
                    data_testid="appointments-count",
                ),
                rx.spacer(),
                rx.button(
                    rx.icon("file-down", size=14),
                    "Export CSV",
                    size="1",
                    variant="soft",
                    on_click=S.export_csv,
                    disabled=S.total == 0,
                    data_testid="export-csv",
                ),
                align="baseline",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                S.total > 0,
                rx.vstack(
                    rx.box(table, overflow_x="auto", width="100%"),
                    pager(S.page, S.pages, S.go_to_page, "appointments"),
                    spacing="3",
                    width="100%",
                ),
                empty_block(
                    "No appointments match",
                    "Try a wider date range or clear a filter.",
                    "calendar-x",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="appointments-table",
    )
