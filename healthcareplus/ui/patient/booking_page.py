"""Booking wizard page (also used to reschedule): pick a date, a time, then confirm."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.booking_components import (
    day_button,
    slot_button,
    steps,
    summary_card,
)
from healthcareplus.ui.patient.booking_state import BookingState as S
from healthcareplus.ui.shared.cards import avatar
from healthcareplus.ui.shared.forms import form_alert
from healthcareplus.ui.shared.layout import record_shell, sections
from healthcareplus.ui.shared.registry import Page


def _wizard() -> rx.Component:
    grid = rx.breakpoints(initial="3", sm="5", md="7")
    return sections(
        rx.hstack(
            avatar(S.doctor, size="4"),
            rx.vstack(
                rx.heading(
                    rx.cond(S.mode == "book", "Book ", "Reschedule with "),
                    S.doctor["name"],
                    size="6",
                    as_="h1",
                ),
                rx.text(
                    S.doctor["specialization"],
                    " · ",
                    S.doctor["hospital_name"],
                    ", ",
                    S.doctor["city_name"],
                    " · ",
                    S.doctor["fee_label"],
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            spacing="3",
            align="center",
        ),
        steps(),
        form_alert(S.error),
        rx.match(
            S.step,
            (1, rx.grid(rx.foreach(S.days, day_button), columns=grid, spacing="2", width="100%")),
            (
                2,
                rx.vstack(
                    rx.heading(S.day_label, size="4", as_="h2"),
                    rx.grid(
                        rx.foreach(S.slots, slot_button), columns=grid, spacing="2", width="100%"
                    ),
                    rx.button("Choose another date", variant="ghost", on_click=S.go_to_step(1)),
                    width="100%",
                ),
            ),
            summary_card(),
        ),
    )


def booking_page() -> rx.Component:
    missing = ("Doctor", "Browse doctors", routes.DOCTORS)
    return record_shell(S, missing, _wizard(), max_width="1000px")


PAGES = [
    Page(booking_page, routes.BOOK, "Book an appointment", [S.load]),
    Page(booking_page, routes.RESCHEDULE, "Reschedule", [S.load]),
]
