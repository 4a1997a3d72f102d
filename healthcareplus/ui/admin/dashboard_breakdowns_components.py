"""The dashboard's per-hospital and per-doctor tables, each with its own pages."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.admin.dashboard_state import AdminBreakdownState as B

NUMBER_COLUMNS = (
    ("Bookings", "bookings"),
    ("Confirmed", "confirmed"),
    ("Completed", "completed"),
    ("Cancelled", "cancelled"),
    ("No-shows", "no_shows"),
    ("Revenue", "revenue_label"),
)


def _numbers(row: Var) -> list[rx.Component]:
    return [
        rx.table.cell(row[key], text_align="right", white_space="nowrap")
        for _, key in NUMBER_COLUMNS
    ]


def _heads(*labels: str) -> rx.Component:
    numbers = [
        rx.table.column_header_cell(label, text_align="right") for label, _ in NUMBER_COLUMNS
    ]
    return rx.table.header(
        rx.table.row(*(rx.table.column_header_cell(label) for label in labels), *numbers)
    )


def _scroll(table: rx.Component) -> rx.Component:
    return rx.box(table, overflow_x="auto", width="100%")


def _hospital_row(row: Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                row["hospital_name"], href=routes.ADMIN_HOME + "?hospital=" + row["hospital_id"]
            ),
            rx.text(row["city_name"], size="1", color_scheme="gray"),
            min_width="180px",
        ),
        rx.table.cell(row["active_doctors"], " of ", row["doctors"], text_align="right"),
        *_numbers(row),
        data_testid="hospital-row",
    )


def _doctor_row(row: Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["doctor_name"], href=routes.ADMIN_HOME + "?doctor=" + row["doctor_id"]),
            rx.text(
                row["specialization"],
                rx.cond(row["is_active"] == "false", " · inactive", ""),
                size="1",
                color_scheme="gray",
            ),
            min_width="170px",
        ),
        rx.table.cell(row["hospital_name"], min_width="160px"),
        *_numbers(row),
        data_testid="doctor-row",
    )


def _breakdown_card(
    title: str,
    heads: tuple[str, str],
    rows: Var,
    row: Callable[[Var], rx.Component],
    pages: tuple[Var, Var, rx.EventHandler, str],
    testid: str,
) -> rx.Component:
    """A breakdown table in a card with its own pager (``pages``: the ``pager`` args)."""
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            _scroll(
                rx.table.root(
                    _heads(*heads),
                    rx.table.body(rx.foreach(rows, row)),
                    size="1",
                    width="100%",
                )
            ),
            pager(*pages),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid=testid,
    )


def hospital_table() -> rx.Component:
    return _breakdown_card(
        "Bookings and doctors per hospital",
        ("Hospital", "Active doctors"),
        B.hospitals,
        _hospital_row,
        (B.hospital_page, B.hospital_pages, B.show_hospital_page, "hospitals"),
        "hospital-table",
    )


def doctor_table() -> rx.Component:
    return _breakdown_card(
        "Bookings per doctor",
        ("Doctor", "Hospital"),
        B.doctors,
        _doctor_row,
        (B.doctor_page, B.doctor_pages, B.show_doctor_page, "doctors"),
        "doctor-table",
    )
