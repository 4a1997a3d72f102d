"""Booking wizard parts: the steps, the day and slot buttons and the summary to confirm."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.patient.booking_state import BookingState as S
from healthcareplus.ui.shared.cards import fact_row, titled_card
from healthcareplus.ui.shared.forms import error_text, stacked_form
from healthcareplus.ui.shared.typed import RowVar

BADGE_COLORS = {
    "Available": "green",
    "Filling Fast": "amber",
    "Almost Full": "orange",
    "Full": "red",
    "Not available": "gray",
}
SLOT_NOTES = {"taken": "Booked", "past": "Unavailable", "blocked": "Blocked"}


def steps() -> rx.Component:
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


def day_button(day: RowVar) -> rx.Component:
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


def slot_button(slot: RowVar) -> rx.Component:
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


def summary_card() -> rx.Component:
    d = S.doctor
    reason = rx.text_area(
        id="booking-reason",
        name="reason",
        default_value=S.reason,
        max_length=500,
        rows="3",
        width="100%",
        required=S.mode == "book",
        read_only=S.mode == "reschedule",
        placeholder="e.g. Chest pain while climbing stairs",
    )
    confirm = rx.button(
        rx.cond(S.mode == "book", "Confirm and pay", "Confirm new time"),
        type="submit",
        size="3",
        loading=S.busy,
    )
    return titled_card(
        "Summary",
        fact_row("Doctor", d["name"] + " (" + d["specialization"] + ")"),
        fact_row("Hospital", d["hospital_name"]),
        fact_row("Address", d["hospital_address"]),
        fact_row("Date", S.day_label),
        fact_row("Time", S.slot_label + " (India time)"),
        fact_row("Fee", d["fee_label"]),
        stacked_form(
            rx.el.label("Reason for visit", html_for="booking-reason", style={"fontWeight": "500"}),
            reason,
            rx.cond(S.reason_error != "", error_text(S.reason_error, data_testid="error-reason")),
            confirm,
            on_submit=S.confirm,
        ),
    )
