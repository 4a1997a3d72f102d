"""Admin portal landing page: the clinics at a glance."""

from __future__ import annotations

import reflex as rx

from healthcareplus import routes
from healthcareplus.components.layout import loading_block, page_shell
from healthcareplus.pages.registry import Page
from healthcareplus.states.admin_home import AdminHomeState

CARDS = (
    ("Active doctors", "active_doctors", "stethoscope"),
    ("Hospitals", "hospitals", "building-2"),
    ("Cities", "cities", "map-pin"),
    ("Patients", "patients", "users"),
    ("All appointments", "appointments", "calendar"),
    ("Appointments today", "appointments_today", "calendar-clock"),
    ("Upcoming confirmed", "upcoming_confirmed", "calendar-check"),
)


def _stat(label: str, key: str, icon: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=28, color=rx.color("teal", 9)),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.heading(AdminHomeState.figures[key], size="6", data_testid=f"stat-{key}"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def admin_home_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("Admin overview", size="7", as_="h1"),
            rx.text("Live figures across all clinics.", color_scheme="gray"),
            rx.cond(
                AdminHomeState.loaded,
                rx.grid(
                    *(_stat(*card) for card in CARDS),
                    columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                    spacing="4",
                    width="100%",
                ),
                loading_block(),
            ),
            rx.hstack(
                rx.link(rx.button("Browse doctors", variant="soft"), href=routes.DOCTORS),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            width="100%",
        )
    )


PAGES = [
    Page(admin_home_page, routes.ADMIN_HOME, "Admin overview", [AdminHomeState.load]),
]
