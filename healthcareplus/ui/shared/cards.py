"""Cards for doctors, cities and hospitals (rows of text from the states)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

GRID_COLUMNS = rx.breakpoints(initial="1", sm="2", lg="3")


def avatar(doctor: Var, size: str = "5") -> rx.Component:
    return rx.avatar(
        src=doctor["photo_url"],
        fallback=doctor["initials"],
        size=size,
        radius="full",
        color_scheme="teal",
        alt=doctor["name"],
    )


def doctor_card(doctor: Var) -> rx.Component:
    href = "/doctor/" + doctor["id"]
    return rx.card(
        rx.vstack(
            rx.hstack(
                avatar(doctor, size="4"),
                rx.vstack(
                    rx.link(rx.heading(doctor["name"], size="4", as_="h3"), href=href),
                    rx.badge(doctor["specialization"], color_scheme="teal", variant="soft"),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="center",
            ),
            rx.text(doctor["qualification"], size="2", color_scheme="gray"),
            rx.hstack(
                rx.text(doctor["experience_years"], " yrs experience", size="2"),
                rx.text("·", size="2", color_scheme="gray"),
                rx.text(doctor["fee_label"], " fee", size="2", weight="bold"),
                spacing="2",
                wrap="wrap",
            ),
            rx.hstack(
                rx.icon("map-pin", size=14),
                rx.text(doctor["hospital_name"], ", ", doctor["city_name"], size="2"),
                spacing="1",
                align="center",
            ),
            rx.link(
                rx.button("View profile", variant="soft", width="100%"), href=href, width="100%"
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        width="100%",
        data_testid="doctor-card",
    )


def doctor_grid(doctors: Var) -> rx.Component:
    return rx.grid(
        rx.foreach(doctors, doctor_card),
        columns=GRID_COLUMNS,
        spacing="4",
        width="100%",
    )


def link_card(
    title: Var | str, subtitle: Var | str, href: Var | str, icon: str, testid: str
) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=24, color=rx.color("teal", 9)),
                rx.vstack(
                    rx.heading(title, size="4", as_="h3"),
                    rx.text(subtitle, size="2", color_scheme="gray"),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="center",
            ),
            width="100%",
            _hover={"background_color": rx.color("teal", 2)},
        ),
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        width="100%",
        data_testid=testid,
    )


def not_found_block(what: str, back_label: str, back_href: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("circle-alert", size=36),
            rx.heading(f"{what} not found", size="5"),
            rx.link(back_label, href=back_href),
            align="center",
        ),
        padding="3em",
        width="100%",
    )
