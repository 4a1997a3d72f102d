"""Booking requests on the doctor's dashboard (a card per request, Accept / Decline with
an optional reason) and the "Confirm bookings myself" switch of his profile."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.doctor.requests_state import DoctorBookingSettingState as B
from healthcareplus.ui.doctor.requests_state import DoctorRequestsState as S
from healthcareplus.ui.shared.cards import section_card
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import error_text
from healthcareplus.ui.shared.typed import RowVar

TICK_MS = 2000


def _ticker() -> rx.Component:
    """Re-reads the requests as the dashboard's own live ticker does (``portal_page``)."""
    return rx.moment(interval=TICK_MS, on_change=S.tick, display="none", aria_hidden="true")


def _request_card(row: RowVar) -> rx.Component:
    who = rx.vstack(
        rx.text(row["patient"], weight="bold"),
        rx.cond(
            row["booked_by"] != "",
            rx.text("Booked by ", row["booked_by"], size="1", color_scheme="gray"),
        ),
        rx.text(row["when"], size="2"),
        rx.cond(row["reason"] != "", rx.text(row["reason"], size="2", color_scheme="gray")),
        rx.text("Answer by ", row["answer_by"], size="1", color_scheme="amber"),
        spacing="1",
        align="start",
        min_width="0",
        flex="1",
    )
    buttons = rx.flex(
        rx.button(
            "Accept",
            on_click=S.accept(row["appointment_id"]),
            aria_label="Accept the request of " + row["patient"],
        ),
        rx.button(
            "Decline",
            variant="soft",
            color_scheme="red",
            on_click=S.start_decline(row["appointment_id"]),
            aria_label="Decline the request of " + row["patient"],
        ),
        spacing="2",
        wrap="wrap",
    )
    return rx.card(
        rx.flex(
            who,
            buttons,
            direction=rx.breakpoints(initial="column", sm="row"),
            align=rx.breakpoints(initial="start", sm="center"),
            gap="3",
            width="100%",
        ),
        width="100%",
        data_testid="request-card",
    )


def _decline_dialog() -> rx.Component:
    form = reason_form(
        "Reason for the patient (optional)",
        "decline-reason",
        S.decline,
        rx.cond(S.decline_error != "", error_text(S.decline_error, id="decline-reason-error")),
        dialog_buttons(
            "Keep it",
            rx.button("Decline request", type="submit", color_scheme="red"),
            margin_top="0.5em",
        ),
    )
    return dialog(
        "Decline this request?",
        (
            S.declining["patient"],
            ", ",
            S.declining["when"],
            ". The patient is told, and the time is free for others to book.",
        ),
        form,
        shown=S.declining.contains("appointment_id"),
        on_open_change=S.close_decline,
        max_width="480px",
    )


def booking_requests() -> rx.Component:
    """The dashboard's "Booking requests" section: shown while requests wait."""
    listing = rx.vstack(
        rx.heading("Booking requests", size="4", as_="h2"),
        rx.text(
            "Patients asked for these times. Accept to let them pay (or choose Pay at Clinic), "
            "or decline: the time is free again.",
            size="2",
            color_scheme="gray",
        ),
        rx.vstack(
            rx.foreach(S.rows, _request_card),
            spacing="2",
            width="100%",
            data_testid="request-list",
        ),
        spacing="2",
        width="100%",
        data_testid="booking-requests",
    )
    return rx.fragment(rx.cond(S.rows.length() > 0, listing), _decline_dialog(), _ticker())


def confirm_bookings_card() -> rx.Component:
    """The profile's "Confirm bookings myself" switch, with what it means."""
    switch = rx.el.label(
        rx.hstack(
            rx.switch(
                checked=B.confirms,
                on_change=B.set_confirms,
                disabled=~B.loaded,
                id="confirm-bookings-switch",
            ),
            rx.text("Confirm bookings myself", weight="medium"),
            spacing="2",
            align="center",
        ),
        html_for="confirm-bookings-switch",
    )
    return section_card(
        "Booking requests",
        "When this is on, a patient's booking is a request: the time is kept for them, but they "
        "can pay (or choose Pay at Clinic) only after you accept it on your dashboard. A request "
        "you do not answer in time lapses and the time is free again. Bookings made by the "
        "clinic's staff are not requests.",
        switch,
        data_testid="confirm-bookings-card",
    )
