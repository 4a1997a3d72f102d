"""The dashboard's per-hospital and per-doctor tables, each with its own pages."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import NumberVar

from healthcareplus.core import routes
from healthcareplus.ui.admin.dashboard_breakdowns_state import AdminBreakdownState as B
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.shared.cards import titled_card
from healthcareplus.ui.shared.tables import labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowsVar, RowVar

NUMBER_COLUMNS = (
    ("Bookings", "bookings"),
    ("Confirmed", "confirmed"),
    ("Completed", "completed"),
    ("Cancelled", "cancelled"),
    ("No-shows", "no_shows"),
    ("Revenue", "revenue_label"),
)
NUMBER_LABELS = tuple(label for label, _ in NUMBER_COLUMNS)
HOSPITAL_HEADS = ("Hospital", "Active doctors")
DOCTOR_HEADS = ("Doctor", "Hospital")


def _numbers(row: RowVar) -> list[rx.Component]:
    return [
        rx.table.cell(row[key], text_align="right", white_space="nowrap")
        for _, key in NUMBER_COLUMNS
    ]


def _heads(*labels: str) -> rx.Component:
    numbers = [rx.table.column_header_cell(label, text_align="right") for label in NUMBER_LABELS]
    return rx.table.header(
        rx.table.row(*(rx.table.column_header_cell(label) for label in labels), *numbers)
    )


def _hospital_row(row: RowVar) -> rx.Component:
    return labelled_row(
        (*HOSPITAL_HEADS, *NUMBER_LABELS),
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


def _doctor_row(row: RowVar) -> rx.Component:
    return labelled_row(
        (*DOCTOR_HEADS, *NUMBER_LABELS),
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
    rows: RowsVar,
    row: Callable[[RowVar], rx.Component],
    pages: tuple[NumberVar[int], NumberVar[int], EventCallback[int], str],
    testid: str,
) -> rx.Component:
    """A breakdown table in a card with its own pager (``pages``: the ``pager`` args)."""
    table = scroll_table(_heads(*heads), rx.foreach(rows, row), variant=None, size="1")
    return titled_card(title, table, pager(*pages), data_testid=testid)


def hospital_table() -> rx.Component:
    pages = (B.hospital_page, B.hospital_pages, B.show_hospital_page, "hospitals")
    title = "Bookings and doctors per hospital"
    return _breakdown_card(
        title, HOSPITAL_HEADS, B.hospitals, _hospital_row, pages, "hospital-table"
    )


def doctor_table() -> rx.Component:
    pages = (B.doctor_page, B.doctor_pages, B.show_doctor_page, "doctors")
    return _breakdown_card(
        "Bookings per doctor", DOCTOR_HEADS, B.doctors, _doctor_row, pages, "doctor-table"
    )
