"""Pieces of the doctor portal: its shell with section links, visit cards, count tiles."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.shared.layout import page_shell

SECTIONS = (
    ("Dashboard", routes.DOCTOR_PORTAL, "layout-dashboard", "doctor-nav-dashboard"),
    ("Schedule & time off", routes.DOCTOR_SCHEDULE, "calendar-clock", "doctor-nav-schedule"),
)
STATUS_COLORS = (
    ("upcoming", "teal"),
    ("pending_payment", "amber"),
    ("completed", "green"),
    ("missed", "orange"),
    ("cancelled", "red"),
    ("expired", "gray"),
)
PAYMENT_COLORS = (("Success", "green"), ("Refunded", "gray"), ("Failed", "red"))


def _section_link(label: str, href: str, icon: str, testid: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2"), spacing="1", align="center"),
        href=href,
        underline="none",
        padding_x="0.6em",
        padding_y="0.35em",
        border_radius="6px",
        background_color=rx.cond(
            rx.State.router.url.path == href, rx.color("teal", 4), "transparent"
        ),
        data_testid=testid,
    )


def portal_shell(*children: rx.Component) -> rx.Component:
    """A doctor portal page: the site shell, the portal's sections, then the content."""
    return page_shell(
        rx.vstack(
            rx.flex(
                *(_section_link(*section) for section in SECTIONS),
                wrap="wrap",
                spacing="1",
                padding_bottom="0.75em",
                border_bottom=f"1px solid {rx.color('gray', 5)}",
                width="100%",
                as_="nav",
                aria_label="Doctor portal sections",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        max_width="1100px",
    )


def problem_block(message: rx.Var) -> rx.Component:
    return rx.callout(
        message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"
    )


def status_badge(row: rx.Var) -> rx.Component:
    return rx.badge(
        row["status_label"],
        color_scheme=rx.cond(
            row["status_label"] == "To close",
            "amber",
            rx.match(row["time_status"], *STATUS_COLORS, "gray"),
        ),
        data_testid="visit-status",
    )


def payment_badge(status: rx.Var) -> rx.Component:
    return rx.badge(
        "Payment: ",
        status,
        variant="soft",
        color_scheme=rx.match(status, *PAYMENT_COLORS, "amber"),
    )


def count_tile(label: str, value: rx.Var, testid: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(value, size="6", weight="bold", data_testid=testid),
            rx.text(label, size="1", color_scheme="gray"),
            spacing="0",
            align="center",
        ),
        width="100%",
    )


def visit_card(row: rx.Var, show_date: bool = False) -> rx.Component:
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
        rx.text(row["reason"], size="2", color_scheme="gray", trim="both", max_width="100%"),
        rx.flex(status_badge(row), payment_badge(row["payment_status"]), spacing="2", wrap="wrap"),
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
        href=routes.doctor_visit_url(row["appointment_id"]),
        underline="none",
        color="inherit",
        width="100%",
        data_testid="visit-card",
    )


def visit_list(rows: rx.Var, empty: str, testid: str, show_date: bool = False) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.foreach(rows, lambda row: visit_card(row, show_date)),
            spacing="2",
            width="100%",
            data_testid=testid,
        ),
        rx.text(empty, color_scheme="gray", size="2", data_testid=f"{testid}-empty"),
    )
