"""Admin timetable: one doctor's day, slot by slot, with the admin's actions on each."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.timetable_components import controls, slot_card
from healthcareplus.ui.admin.timetable_state import AdminTimetableState as S
from healthcareplus.ui.shared.layout import empty_block, loading_block
from healthcareplus.ui.shared.registry import Page

G = S.grid
COUNTS = (
    ("available", "Available", "green"),
    ("booked", "Booked", "blue"),
    ("held", "Held", "amber"),
    ("blocked", "Blocked", "gray"),
    ("past", "Past", "gray"),
)


def _summary() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(G["doctor_name"], size="5", as_="h2", data_testid="timetable-doctor-name"),
            rx.cond(G["is_today"] == "true", rx.badge("Today", color_scheme="teal")),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.text(G["specialization"], " · ", G["hospital_name"], color_scheme="gray", size="2"),
        rx.heading(G["day_label"], size="4", as_="h3", data_testid="timetable-day"),
        rx.flex(
            *(
                rx.badge(label, ": ", G[key], color_scheme=color, variant="soft", size="2")
                for key, label, color in COUNTS
            ),
            spacing="2",
            wrap="wrap",
            data_testid="timetable-counts",
        ),
        spacing="1",
        align="start",
        width="100%",
    )


def _grid() -> rx.Component:
    return rx.vstack(
        _summary(),
        rx.cond(
            S.slots.length() > 0,
            rx.grid(
                rx.foreach(S.slots, slot_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
            ),
            empty_block(
                "No working hours",
                "The doctor has no schedule and no bookings on this day.",
                icon="calendar-off",
            ),
        ),
        spacing="4",
        width="100%",
    )


def _content() -> rx.Component:
    return rx.cond(
        S.not_found,
        empty_block(
            "Doctor not found",
            "This doctor does not exist or is no longer active. Choose another one.",
            icon="user-x",
        ),
        rx.cond(
            S.grid.contains("doctor_id"),
            _grid(),
            empty_block(
                "Choose a doctor",
                "Search by name, specialization or hospital, then pick a doctor to see the day.",
                icon="stethoscope",
            ),
        ),
    )


def admin_timetable_page() -> rx.Component:
    return admin_shell(
        "Timetable",
        rx.text(
            "Every slot of a doctor's day. Times are India Standard Time.",
            color_scheme="gray",
        ),
        controls(),
        rx.cond(S.loaded, _content(), loading_block()),
    )


PAGES = [
    Page(admin_timetable_page, routes.ADMIN_TIMETABLE, "Timetable", [S.load]),
]
