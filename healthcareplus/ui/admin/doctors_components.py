"""Admin doctor pieces: the add dialog, and for one doctor the weekly schedule editor,
the activation switch and the bookings to follow up after a deactivation."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.vars import Var

from healthcareplus.core.formatting import WEEKDAY_NAMES
from healthcareplus.domain.scheduling.schedules import SLOT_LENGTHS
from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as L
from healthcareplus.ui.admin.doctors_state import AdminDoctorState as D
from healthcareplus.ui.admin.doctors_state import AdminScheduleState as W
from healthcareplus.ui.admin.forms import data_table, doctor_fields, reason_form
from healthcareplus.ui.doctor.schedule_components import conflict_panel
from healthcareplus.ui.shared.forms import field_error, form_alert


def _block(b: Var, day: str) -> rx.Component:
    key = b["key"]
    return rx.box(
        rx.hstack(
            rx.input(
                type="time",
                name="start-" + key,
                default_value=b["start"],
                aria_label=f"{day} start time",
                required=True,
                width="8.5em",
            ),
            rx.text("to", size="2"),
            rx.input(
                type="time",
                name="end-" + key,
                default_value=b["end"],
                aria_label=f"{day} end time",
                required=True,
                width="8.5em",
            ),
            rx.el.select(
                *[rx.el.option(f"{m} min", value=str(m)) for m in SLOT_LENGTHS],
                name="slot-" + key,
                default_value=b["slot"],
                aria_label=f"{day} slot length",
                style={"height": "32px"},
            ),
            rx.icon_button(
                rx.icon("trash-2", size=16),
                type="button",
                variant="ghost",
                color_scheme="red",
                aria_label=f"Remove {day} block",
                on_click=W.remove_block(key),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        key=key,
        data_testid="schedule-block",
    )


def _block_of(day: str) -> Callable[[Var], rx.Component]:
    return lambda b: _block(b, day)


def schedule_editor() -> rx.Component:
    days = [
        rx.vstack(
            rx.hstack(
                rx.text(name, weight="bold", width="7em"),
                rx.cond(W.week[i].length() == 0, rx.text("Closed", size="2", color_scheme="gray")),
                rx.spacer(),
                rx.button(
                    rx.icon("plus", size=14),
                    "Add hours",
                    type="button",
                    size="1",
                    variant="ghost",
                    on_click=W.add_block(i),
                    aria_label=f"Add {name} hours",
                ),
                width="100%",
                align="center",
            ),
            rx.foreach(W.week[i], _block_of(name)),
            rx.cond(
                W.errors.contains(f"day-{i}"),
                rx.text(
                    W.errors[f"day-{i}"],
                    color_scheme="red",
                    size="2",
                    role="alert",
                    data_testid="block-error",
                ),
            ),
            spacing="2",
            width="100%",
            padding_y="0.5em",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            data_testid=f"schedule-day-{i}",
        )
        for i, name in enumerate(WEEKDAY_NAMES)
    ]
    editor = rx.form(
        rx.vstack(
            rx.heading("Weekly schedule", size="4", as_="h2"),
            rx.text(
                "Clinic time, between 06:00 and 23:00. A change that leaves booked "
                "appointments outside the hours asks first whether to cancel them.",
                size="2",
                color_scheme="gray",
            ),
            *days,
            field_error(W.errors, "blocks"),
            form_alert(W.message),
            rx.cond(
                W.saved != "",
                rx.callout(W.saved, icon="check", color_scheme="green", role="status"),
            ),
            rx.button("Save schedule", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=W.save,
        reset_on_submit=False,
        width="100%",
    )
    return rx.vstack(
        editor,
        conflict_panel(W.affected, W.confirm, W.dismiss, W.errors, reason="", form_id="admin-week"),
        spacing="3",
        width="100%",
    )


def activation_switch() -> rx.Component:
    deactivate = rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(rx.icon("power"), "Deactivate", color_scheme="red", variant="soft")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Deactivate " + D.doctor["name"] + "?"),
            rx.alert_dialog.description(
                "Patients will no longer find or book this doctor. Booked appointments stay; "
                "you will see the ones to follow up.",
                size="2",
            ),
            reason_form(
                "Reason (optional)",
                "deactivate-reason",
                Var.create(""),
                D.deactivate,
                rx.hstack(
                    rx.alert_dialog.cancel(
                        rx.button("Keep active", type="button", variant="soft", color_scheme="gray")
                    ),
                    rx.alert_dialog.action(
                        rx.button("Deactivate", type="submit", color_scheme="red")
                    ),
                    justify="end",
                    spacing="3",
                ),
                required=False,
            ),
        ),
    )
    reactivate = rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("power"), "Reactivate", color_scheme="green")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Reactivate " + D.doctor["name"] + "?"),
            rx.alert_dialog.description("Patients will find and book this doctor again.", size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Not now", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Reactivate", color_scheme="green", on_click=D.reactivate)
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )
    return rx.cond(D.doctor["is_active"] == "true", deactivate, reactivate)


def _follow_up_row(f: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(f["patient_name"]),
        rx.table.cell(
            rx.link(f["patient_phone"], href="tel:" + f["patient_phone"]), white_space="nowrap"
        ),
        rx.table.cell(f["date_label"], " · ", f["time_label"], white_space="nowrap"),
        rx.table.cell(rx.badge(f["status"], variant="soft")),
        data_testid="follow-up-row",
    )


def follow_ups_card() -> rx.Component:
    return rx.cond(
        D.doctor["is_active"] == "false",
        rx.card(
            rx.vstack(
                rx.heading(
                    "Appointments to follow up (", D.follow_up_total, ")", size="4", as_="h2"
                ),
                rx.cond(
                    D.follow_up_total > 0,
                    data_table(
                        ["Patient", "Phone", "When", "Status"],
                        rx.foreach(D.follow_ups, _follow_up_row),
                        "follow-ups",
                    ),
                    rx.text("No future appointments: nobody needs a call.", color_scheme="gray"),
                ),
                spacing="3",
            ),
            width="100%",
        ),
    )


def add_doctor_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus"), "Add doctor", data_testid="add-doctor")),
        rx.dialog.content(
            rx.dialog.title("Add a doctor"),
            rx.dialog.description(
                "Creates the profile, a sign-in with a one-time password and a Mon–Sat "
                "09:00–13:00, 14:00–17:00 timetable (15-minute slots).",
                size="2",
                margin_bottom="1em",
            ),
            rx.form(
                doctor_fields(L.errors, {}, L.hospitals, form_id="add-doctor", with_email=True),
                form_alert(L.message),
                rx.hstack(
                    rx.dialog.close(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                    ),
                    rx.button("Add doctor", type="submit"),
                    justify="end",
                    spacing="3",
                    margin_top="1em",
                ),
                key=L.form_key,
                on_submit=L.add,
                reset_on_submit=False,
            ),
            max_width="720px",
            max_height="92vh",
            overflow_y="auto",
        ),
        open=L.adding,
        on_open_change=L.set_adding,
    )
