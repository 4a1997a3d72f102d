"""Pieces of the doctor portal: its shell with section links, visit cards, count tiles."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.shared.cards import fact_row
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import (
    empty_note,
    if_any,
    page_column,
    section_nav,
    when_loaded,
)
from healthcareplus.ui.shared.statuses import TIME_STATUS_COLORS as STATUS_COLORS
from healthcareplus.ui.shared.typed import RowsVar, RowVar

SECTIONS = (
    ("Dashboard", routes.DOCTOR_PORTAL, "layout-dashboard", "doctor-nav-dashboard"),
    ("Appointments", routes.DOCTOR_APPOINTMENTS, "calendar-days", "doctor-nav-appointments"),
    ("My patients", routes.DOCTOR_PATIENTS, "users", "doctor-nav-patients"),
    ("Schedule & time off", routes.DOCTOR_SCHEDULE, "calendar-clock", "doctor-nav-schedule"),
    ("Monthly report", routes.DOCTOR_REPORTS, "file-down", "doctor-nav-reports"),
    ("Reviews", routes.DOCTOR_REVIEWS, "star", "doctor-nav-reviews"),
    ("My profile", routes.DOCTOR_PROFILE, "id-card", "doctor-nav-profile"),
)
PAYMENT_COLORS = (("Success", "green"), ("Refunded", "gray"), ("Failed", "red"))


def portal_shell(*children: rx.Component) -> rx.Component:
    """A doctor portal page: the site shell, the portal's sections, then the content."""
    nav = section_nav(SECTIONS, "Doctor portal sections")
    return page_column(nav, *children, max_width="1100px")


def portal_body(loaded: Var[bool], error: Var[str], content: rx.Component) -> rx.Component:
    """Loading, then ``content``, or only the problem (``error``: no doctor profile)."""
    return when_loaded(loaded, or_problem(error, content))


def or_problem(error: Var[str], content: rx.Component) -> rx.Component:
    return rx.cond(error != "", problem_block(error), content)


def problem_block(message: Var[str]) -> rx.Component:
    return rx.callout(
        message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"
    )


def status_badge(row: RowVar) -> rx.Component:
    return rx.badge(
        row["status_label"],
        color_scheme=rx.cond(
            row["status_label"] == "To close",
            "amber",
            rx.match(row["time_status"], *STATUS_COLORS, "gray"),
        ),
        data_testid="visit-status",
    )


def payment_badge(status: Var[str]) -> rx.Component:
    return rx.badge(
        t("Payment: "),
        status,
        variant="soft",
        color_scheme=rx.match(status, *PAYMENT_COLORS, "amber"),
    )


def count_tile(label: str, value: Var[str], testid: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(value, size="6", weight="bold", data_testid=testid),
            rx.text(label, size="1", color_scheme="gray"),
            spacing="0",
            align="center",
        ),
        width="100%",
    )


def visit_card(row: RowVar, show_date: bool = False) -> rx.Component:
    """One appointment in a list; the whole card opens the visit."""
    when = rx.vstack(
        rx.text(row["time_label"], weight="bold", size="3", white_space="nowrap"),
        rx.text(row["date_label"], size="1", color_scheme="gray") if show_date else rx.fragment(),
        spacing="0",
        min_width="76px",
    )
    who = rx.vstack(
        rx.hstack(
            rx.text(row["patient_name"], weight="bold"),
            rx.cond(
                row["age_label"] != "",
                rx.text(row["age_label"], size="2", color_scheme="gray"),
            ),
            spacing="2",
            align="baseline",
            wrap="wrap",
        ),
        rx.cond(
            row["booked_by"] != "",
            rx.text(t("Booked by "), row["booked_by"], size="1", color_scheme="gray"),
        ),
        rx.text(row["reason"], size="2", color_scheme="gray", trim="both", max_width="100%"),
        rx.flex(
            status_badge(row),
            payment_badge(row["payment_status"]),
            rx.cond(
                row["arrival"] != "",
                rx.badge(
                    rx.icon("ticket", size=12),
                    row["arrival"],
                    color_scheme="teal",
                    data_testid="arrival",
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        spacing="1",
        align="start",
        min_width="0",
        flex="1",
    )
    return rx.link(
        rx.card(
            rx.hstack(when, who, rx.icon("chevron-right", size=18), align="center", width="100%"),
            width="100%",
        ),
        href=routes.doctor_visit_url(f"{row['appointment_id']}"),  # Reflex reads the Var back
        underline="none",
        color="inherit",
        width="100%",
        data_testid="visit-card",
    )


def visit_list(rows: RowsVar, empty: str, testid: str, show_date: bool = False) -> rx.Component:
    cards = rx.vstack(
        rx.foreach(rows, lambda row: visit_card(row, show_date)),
        spacing="2",
        width="100%",
        data_testid=testid,
    )
    return if_any(rows, cards, empty_note(empty, data_testid=f"{testid}-empty"))


def search_buttons(active: Var[bool], on_clear: Any, **props: Any) -> rx.Component:
    """A search form's Search button and, while a search is applied, Clear."""
    clear = rx.button(
        t("Clear"), type="button", variant="soft", color_scheme="gray", size="3", on_click=on_clear
    )
    return rx.hstack(
        rx.button(rx.icon("search"), t("Search"), type="submit", size="3"),
        rx.cond(active, clear),
        spacing="2",
        **props,
    )


def fact(label: str, value: Var[str], testid: str = "") -> rx.Component:
    """One labelled fact of a patient, shown only when it has a value."""
    row = fact_row(
        label, value, width="110px", size="2", white_space="pre-wrap", data_testid=testid or None
    )
    return rx.cond(value != "", row)


def medical_facts(p: RowVar) -> list[rx.Component]:
    """A patient's medical profile as the doctor reads it (visit page, My patients)."""
    allergies = rx.callout(
        "Allergies: " + p["allergies"],
        icon="triangle-alert",
        color_scheme="orange",
        size="1",
        width="100%",
        data_testid="allergies",
    )
    return [
        fact("Relation", p["relation"]),
        fact("Booked by", p["booked_by"], "booked-by"),
        fact("Age", p["age_label"]),
        fact("Gender", p["gender"]),
        fact("Blood group", p["blood_group"]),
        fact("Phone", p["phone"]),
        rx.cond(p["allergies"] != "", allergies),
        fact("History", p["medical_history"]),
    ]
