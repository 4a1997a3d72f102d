"""Booking wizard page (also used to reschedule): pick a date, a time, then confirm."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.booking_state import BookingState as S
from healthcareplus.ui.shared.cards import avatar, not_found_block
from healthcareplus.ui.shared.layout import loading_block, page_shell
from healthcareplus.ui.shared.registry import Page

BADGE_COLORS = {
    "Available": "green",
    "Filling Fast": "amber",
    "Almost Full": "orange",
    "Full": "red",
    "Not available": "gray",
}
SLOT_NOTES = {"taken": "Booked", "past": "Unavailable", "blocked": "Blocked"}


def _steps() -> rx.Component:
    def step(number: int, label: str) -> rx.Component:
        return rx.badge(
            f"{number}. {label}",
            size="2",
            variant=rx.cond(S.step == number, "solid", "soft"),
            color_scheme=rx.cond(S.step >= number, "teal", "gray"),
            on_click=S.go_to_step(number),
            cursor="pointer",
        )

    return rx.hstack(step(1, "Date"), step(2, "Time"), step(3, "Confirm"), spacing="2", wrap="wrap")


def _day_button(day: rx.Var) -> rx.Component:
    return rx.button(
        rx.vstack(
            rx.text(day["weekday_label"], " ", day["day_label"], weight="bold", size="2"),
            rx.badge(
                day["badge"],
                color_scheme=rx.match(day["badge"], *BADGE_COLORS.items(), "gray"),
                size="1",
            ),
            spacing="1",
            align="center",
        ),
        variant=rx.cond(S.day == day["iso"], "solid", "outline"),
        disabled=day["bookable"] != "true",
        on_click=S.choose_day(day["iso"]),
        height="auto",
        padding_y="0.5em",
        data_testid="day",
        aria_label=day["date_label"] + ": " + day["badge"],
    )


def _slot_button(slot: rx.Var) -> rx.Component:
    free = slot["state"] == "free"
    return rx.button(
        slot["label"],
        rx.cond(
            free, rx.fragment(), rx.text(rx.match(slot["state"], *SLOT_NOTES.items(), ""), size="1")
        ),
        variant=rx.cond(S.slot == slot["start"], "solid", "outline"),
        color_scheme=rx.cond(free, "teal", "gray"),
        disabled=~free,
        on_click=S.choose_slot(slot["start"]),
        data_testid="slot",
        data_state=slot["state"],
    )


def _summary_row(label: str, value: rx.Var | str) -> rx.Component:
    return rx.hstack(
        rx.text(label, color_scheme="gray", min_width="90px"), rx.text(value), align="start"
    )


def _confirm() -> rx.Component:
    d = S.doctor
    return rx.card(
        rx.vstack(
            rx.heading("Summary", size="4", as_="h2"),
            _summary_row("Doctor", d["name"] + " (" + d["specialization"] + ")"),
            _summary_row("Hospital", d["hospital_name"]),
            _summary_row("Address", d["hospital_address"]),
            _summary_row("Date", S.day_label),
            _summary_row("Time", S.slot_label + " (India time)"),
            _summary_row("Fee", d["fee_label"]),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        "Reason for visit", html_for="booking-reason", style={"fontWeight": "500"}
                    ),
                    rx.text_area(
                        id="booking-reason",
                        name="reason",
                        default_value=S.reason,
                        max_length=500,
                        rows="3",
                        width="100%",
                        required=S.mode == "book",
                        read_only=S.mode == "reschedule",
                        placeholder="e.g. Chest pain while climbing stairs",
                    ),
                    rx.cond(
                        S.reason_error != "",
                        rx.text(
                            S.reason_error, color_scheme="red", size="2", data_testid="error-reason"
                        ),
                    ),
                    rx.button(
                        rx.cond(S.mode == "book", "Confirm and pay", "Confirm new time"),
                        type="submit",
                        size="3",
                        loading=S.busy,
                    ),
                    width="100%",
                ),
                on_submit=S.confirm,
                reset_on_submit=False,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _wizard() -> rx.Component:
    grid = rx.breakpoints(initial="3", sm="5", md="7")
    return rx.vstack(
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
        _steps(),
        rx.cond(
            S.error != "",
            rx.callout(
                S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"
            ),
        ),
        rx.match(
            S.step,
            (1, rx.grid(rx.foreach(S.days, _day_button), columns=grid, spacing="2", width="100%")),
            (
                2,
                rx.vstack(
                    rx.heading(S.day_label, size="4", as_="h2"),
                    rx.grid(
                        rx.foreach(S.slots, _slot_button), columns=grid, spacing="2", width="100%"
                    ),
                    rx.button("Choose another date", variant="ghost", on_click=S.go_to_step(1)),
                    width="100%",
                ),
            ),
            _confirm(),
        ),
        spacing="4",
        width="100%",
    )


def booking_page() -> rx.Component:
    return page_shell(
        rx.cond(
            S.loaded,
            rx.cond(
                S.not_found, not_found_block("Doctor", "Browse doctors", routes.DOCTORS), _wizard()
            ),
            loading_block(),
        ),
        max_width="1000px",
    )


PAGES = [
    Page(booking_page, routes.BOOK, "Book an appointment", [S.load]),
    Page(booking_page, routes.RESCHEDULE, "Reschedule", [S.load]),
]
