"""Pieces of the admin timetable page: the doctor/day controls and one slot's card."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.actions_components import appointment_actions
from healthcareplus.ui.admin.timetable_state import AdminTimetableState as S
from healthcareplus.ui.shared.cards import aside_row
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import labelled, native_select, row_options
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.statuses import status_badge
from healthcareplus.ui.shared.tables import step_button
from healthcareplus.ui.shared.typed import RowVar

# A slot's state: its label and colour (badges, the day's counts).
SLOT_STATES = (
    ("available", "Available", "green"),
    ("booked", "Booked", "blue"),
    ("held", "Held", "amber"),
    ("blocked", "Blocked", "gray"),
    ("past", "Past", "gray"),
)


def controls() -> rx.Component:
    """Doctor search + picker, the date, and previous/next day."""
    search = rx.input(
        id="timetable-search",
        placeholder=t("Name, specialization or hospital"),
        on_change=S.search_doctors.debounce(300),
        max_length=100,
        size="3",
        width="100%",
    )
    picker = native_select(
        row_options(S.options),
        blank="Choose a doctor…",
        id="timetable-doctor",
        value=S.doctor_id,
        on_change=S.pick_doctor,
    )
    day = rx.input(
        id="timetable-date", type="date", value=S.day, on_change=S.pick_day, size="3", width="100%"
    )
    days = rx.hstack(
        step_button("Previous day", forward=False, size="2", on_click=S.shift_day(-1)),
        step_button("Next day", forward=True, size="2", on_click=S.shift_day(1)),
        spacing="2",
        wrap="wrap",
    )
    return rx.card(
        rx.grid(
            labelled("Find a doctor", "timetable-search", search),
            labelled("Doctor", "timetable-doctor", picker),
            rx.vstack(labelled("Date", "timetable-date", day), days, spacing="2", width="100%"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


def _block_button(slot: RowVar) -> rx.Component:
    form = reason_form(
        "Reason (optional)",
        "block-reason",
        S.block,
        dialog_buttons(
            "Back", rx.button(t("Block slot"), type="submit"), alert=True, margin_top="0.5em"
        ),
        control=rx.input,
        stack={"margin_top": "1em"},
        max_length=300,
    )
    return rx.fragment(
        rx.button(
            t("Block"),
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=S.open_block(slot["start"]),
        ),
        dialog(
            ("Block ", slot["time_label"], "?"),
            "Patients will not be able to book this slot.",
            form,
            alert=True,
            shown=S.blocking == slot["start"],
            on_open_change=S.block_dialog_changed,
            text_size=None,
            max_width="420px",
        ),
    )


def _unblock_button(slot: RowVar) -> rx.Component:
    return confirm_dialog(
        rx.button(t("Unblock"), size="1", variant="soft"),
        rx.fragment("Unblock ", slot["time_label"], "?"),
        "Patients will be able to book this slot again.",
        "Back",
        rx.button(t("Unblock slot"), on_click=S.unblock(slot["start"])),
        size="3",
        max_width="420px",
    )


def _booking(slot: RowVar) -> rx.Component:
    return rx.vstack(
        rx.text(slot["patient_name"], weight="bold", data_testid="slot-patient"),
        rx.hstack(
            rx.badge(slot["status_label"], color_scheme="blue", variant="outline"),
            rx.badge(
                t("Payment "),
                slot["payment_status"],
                color_scheme=rx.match(
                    slot["payment_status"], ("Success", "green"), ("Refunded", "purple"), "amber"
                ),
                variant="outline",
                data_testid="slot-payment",
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.text(
            slot["fee_label"],
            rx.cond(slot["payment_method"] != "", " · " + slot["payment_method"], ""),
            " · #",
            slot["short_id"],
            size="1",
            color_scheme="gray",
        ),
        appointment_actions(slot),
        spacing="2",
        align="start",
        width="100%",
    )


def slot_card(slot: RowVar) -> rx.Component:
    state = slot["state"]
    free_or_blocked = aside_row(
        rx.text(slot["block_reason"], size="2", color_scheme="gray"),
        rx.cond(slot["can_block"] == "true", _block_button(slot)),
        rx.cond(slot["can_unblock"] == "true", _unblock_button(slot)),
    )
    return rx.card(
        rx.vstack(
            aside_row(
                rx.text(slot["time_label"], " – ", slot["end_label"], weight="bold"),
                rx.cond(
                    slot["on_schedule"] == "false",
                    rx.badge(t("Off schedule"), color_scheme="orange", variant="outline"),
                ),
                status_badge(state, SLOT_STATES, data_testid="slot-state"),
            ),
            rx.cond((state == "booked") | (state == "held"), _booking(slot), free_or_blocked),
            spacing="2",
            width="100%",
        ),
        width="100%",
        border_left=rx.match(
            state,
            ("available", f"4px solid {rx.color('green', 9)}"),
            ("booked", f"4px solid {rx.color('blue', 9)}"),
            ("held", f"4px solid {rx.color('amber', 9)}"),
            f"4px solid {rx.color('gray', 7)}",
        ),
        opacity=rx.cond(state == "past", "0.7", "1"),
        data_testid="slot",
        data_state=state,
        data_time=slot["time_label"],
    )
