"""Pieces of the admin timetable page: the doctor/day controls and one slot's card."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.actions_components import appointment_actions
from healthcareplus.ui.admin.timetable_state import AdminTimetableState as S
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE

STATE_COLORS = (
    ("available", "green"),
    ("booked", "blue"),
    ("held", "amber"),
    ("blocked", "gray"),
    ("past", "gray"),
)
STATE_LABELS = (
    ("available", "Available"),
    ("booked", "Booked"),
    ("held", "Held"),
    ("blocked", "Blocked"),
    ("past", "Past"),
)
LABEL_STYLE = {"fontWeight": "500", "fontSize": "14px"}


def _labelled(label: str, input_id: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style=LABEL_STYLE),
        control,
        spacing="1",
        width="100%",
    )


def controls() -> rx.Component:
    """Doctor search + picker, the date, and previous/next day."""
    search = rx.input(
        id="timetable-search",
        placeholder="Name, specialization or hospital",
        on_change=S.search_doctors.debounce(300),
        max_length=100,
        size="3",
        width="100%",
    )
    picker = rx.el.select(
        rx.el.option("Choose a doctor…", value=""),
        rx.foreach(S.options, lambda o: rx.el.option(o["label"], value=o["id"])),
        id="timetable-doctor",
        value=S.doctor_id,
        on_change=S.pick_doctor,
        style=NATIVE_SELECT_STYLE,
    )
    day = rx.input(
        id="timetable-date", type="date", value=S.day, on_change=S.pick_day, size="3", width="100%"
    )
    return rx.card(
        rx.grid(
            _labelled("Find a doctor", "timetable-search", search),
            _labelled("Doctor", "timetable-doctor", picker),
            rx.vstack(
                _labelled("Date", "timetable-date", day),
                rx.hstack(
                    rx.button(
                        rx.icon("chevron-left", size=16),
                        "Previous day",
                        variant="soft",
                        size="2",
                        on_click=S.shift_day(-1),
                    ),
                    rx.button(
                        "Next day",
                        rx.icon("chevron-right", size=16),
                        variant="soft",
                        size="2",
                        on_click=S.shift_day(1),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="2",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


def _block_button(slot: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.button(
            "Block",
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=S.open_block(slot["start"]),
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title("Block ", slot["time_label"], "?"),
                rx.alert_dialog.description("Patients will not be able to book this slot."),
                rx.form(
                    rx.vstack(
                        rx.el.label(
                            "Reason (optional)", html_for="block-reason", style=LABEL_STYLE
                        ),
                        rx.input(id="block-reason", name="reason", max_length=300, width="100%"),
                        rx.hstack(
                            rx.alert_dialog.cancel(
                                rx.button(
                                    "Back", type="button", variant="soft", color_scheme="gray"
                                )
                            ),
                            rx.button("Block slot", type="submit"),
                            spacing="3",
                            justify="end",
                            margin_top="0.5em",
                        ),
                        spacing="2",
                        margin_top="1em",
                    ),
                    on_submit=S.block,
                    reset_on_submit=False,
                ),
                max_width="420px",
            ),
            open=S.blocking == slot["start"],
            on_open_change=S.block_dialog_changed,
        ),
    )


def _unblock_button(slot: rx.Var) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button("Unblock", size="1", variant="soft")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Unblock ", slot["time_label"], "?"),
            rx.alert_dialog.description("Patients will be able to book this slot again."),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Back", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Unblock slot", on_click=S.unblock(slot["start"]))
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="420px",
        ),
    )


def _booking(slot: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(slot["patient_name"], weight="bold", data_testid="slot-patient"),
        rx.hstack(
            rx.badge(slot["status_label"], color_scheme="blue", variant="outline"),
            rx.badge(
                "Payment ",
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


def slot_card(slot: rx.Var) -> rx.Component:
    state = slot["state"]
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(slot["time_label"], " – ", slot["end_label"], weight="bold"),
                rx.spacer(),
                rx.cond(
                    slot["on_schedule"] == "false",
                    rx.badge("Off schedule", color_scheme="orange", variant="outline"),
                ),
                rx.badge(
                    rx.match(state, *STATE_LABELS, state),
                    color_scheme=rx.match(state, *STATE_COLORS, "gray"),
                    data_testid="slot-state",
                ),
                width="100%",
                align="center",
            ),
            rx.cond(
                (state == "booked") | (state == "held"),
                _booking(slot),
                rx.hstack(
                    rx.text(slot["block_reason"], size="2", color_scheme="gray"),
                    rx.spacer(),
                    rx.cond(slot["can_block"] == "true", _block_button(slot)),
                    rx.cond(slot["can_unblock"] == "true", _unblock_button(slot)),
                    width="100%",
                    align="center",
                ),
            ),
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
