"""Admin doctor pieces: the add dialog, the list's rows (the invitation parts are
``invitation_components``), and for one doctor the weekly schedule editor, the activation
switch and the bookings to follow up after a deactivation."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from healthcareplus.core.formatting import WEEKDAY_NAMES
from healthcareplus.domain.scheduling.schedules import SLOT_LENGTHS
from healthcareplus.ui.admin.doctor_detail_state import AdminDoctorState as D
from healthcareplus.ui.admin.doctor_schedule_state import AdminScheduleState as W
from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as L
from healthcareplus.ui.admin.forms import (
    cell_with_note,
    data_table,
    doctor_fields,
    flag_badge,
    labelled_select,
    search_form,
)
from healthcareplus.ui.admin.invitation_components import sign_in_cell
from healthcareplus.ui.doctor.schedule_components import conflict_panel
from healthcareplus.ui.shared.cards import section_intro, titled_card
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import (
    field_error,
    fixed_options,
    form_alert,
    form_footer,
    row_options,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

ACTIVE = (("Active", "green"), ("Inactive", "gray"))
STATUS_OPTIONS = [("all", "All doctors"), ("active", "Active"), ("inactive", "Inactive")]


DOCTOR_COLUMNS = (
    "Doctor",
    "Specialization",
    "Hospital",
    "Fee",
    "Waitlist",
    "Status",
    "Sign-in",
)
# Each column's sort key (domain.admin.doctor_views.SORTS); the waitlist and sign-in are
# not columns of a table, so they do not sort.
DOCTOR_SORTS = ("name", "specialization", "hospital", "fee", None, "status", None)
FOLLOW_UP_COLUMNS = ("Patient", "Phone", "When", "Status")


def _block(b: RowVar, day: str) -> rx.Component:
    key = b["key"]

    def time(edge: str) -> rx.Component:
        return rx.input(
            type="time",
            name=f"{edge}-" + key,
            default_value=b[edge],
            aria_label=f"{day} {edge} time",
            required=True,
            width="8.5em",
        )

    return rx.box(
        rx.hstack(
            time("start"),
            rx.text("to", size="2"),
            time("end"),
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


def _block_of(day: str) -> Callable[[RowVar], rx.Component]:
    return lambda b: _block(b, day)


def _schedule_day(i: int, name: str) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(name, weight="bold", width="7em"),
            rx.cond(W.week[i].length() == 0, rx.text(t("Closed"), size="2", color_scheme="gray")),
            rx.spacer(),
            rx.button(
                rx.icon("plus", size=14),
                t("Add hours"),
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
        field_error(W.errors, f"day-{i}", role="alert", data_testid="block-error"),
        spacing="2",
        width="100%",
        padding_y="0.5em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid=f"schedule-day-{i}",
    )


def schedule_editor() -> rx.Component:
    editor = stacked_form(
        section_intro(
            t("Weekly schedule"),
            t(
                "Clinic time, between 06:00 and 23:00. A change that leaves booked "
                "appointments outside the hours asks first whether to cancel them."
            ),
        ),
        *(_schedule_day(i, name) for i, name in enumerate(WEEKDAY_NAMES)),
        field_error(W.errors, "blocks"),
        form_footer(W.message, W.saved, "Save schedule"),
        on_submit=W.save,
    )
    return rx.vstack(
        editor,
        conflict_panel(W.affected, W.confirm, W.dismiss, W.errors, reason="", form_id="admin-week"),
        spacing="3",
        width="100%",
    )


def activation_switch() -> rx.Component:
    name = D.doctor["name"]
    deactivate = dialog(
        "Deactivate " + name + "?",
        "Patients will no longer find or book this doctor, and the doctor is signed out "
        "everywhere and cannot sign in. Booked appointments stay; you will see the ones to "
        "follow up.",
        reason_form(
            "Reason (optional)",
            "deactivate-reason",
            D.deactivate,
            dialog_buttons(
                "Keep active",
                rx.alert_dialog.action(
                    rx.button(t("Deactivate"), type="submit", color_scheme="red")
                ),
                alert=True,
            ),
            required=False,
        ),
        trigger=rx.button(rx.icon("power"), t("Deactivate"), color_scheme="red", variant="soft"),
        alert=True,
    )
    reactivate = confirm_dialog(
        rx.button(rx.icon("power"), t("Reactivate"), color_scheme="green"),
        "Reactivate " + name + "?",
        "Patients will find and book this doctor again, and the doctor can sign in.",
        "Not now",
        rx.button(t("Reactivate"), color_scheme="green", on_click=D.reactivate),
    )
    return rx.cond(D.doctor["is_active"] == "true", deactivate, reactivate)


def _follow_up_row(f: RowVar) -> rx.Component:
    return labelled_row(
        FOLLOW_UP_COLUMNS,
        rx.table.cell(f["patient_name"]),
        rx.table.cell(
            rx.link(f["patient_phone"], href="tel:" + f["patient_phone"]), white_space="nowrap"
        ),
        rx.table.cell(f["date_label"], " · ", f["time_label"], white_space="nowrap"),
        rx.table.cell(rx.badge(f["status"], variant="soft")),
        data_testid="follow-up-row",
    )


def follow_ups_card() -> rx.Component:
    table = data_table(
        FOLLOW_UP_COLUMNS,
        rx.foreach(D.follow_ups, _follow_up_row),
        "follow-ups",
    )
    none = rx.text(t("No future appointments: nobody needs a call."), color_scheme="gray")
    return rx.cond(
        D.doctor["is_active"] == "false",
        titled_card(
            ("Appointments to follow up (", D.follow_up_total, ")"),
            rx.cond(D.follow_up_total > 0, table, none),
        ),
    )


def add_doctor_dialog() -> rx.Component:
    return dialog(
        "Add a doctor",
        "Creates the profile, a Mon–Sat 09:00–13:00, 14:00–17:00 timetable (15-minute "
        "slots) and a sign-in; the doctor is emailed a link to choose their password.",
        rx.form(
            doctor_fields(L.errors, {}, L.hospitals, form_id="add-doctor", with_email=True),
            form_alert(L.message),
            dialog_buttons("Cancel", rx.button(t("Add doctor"), type="submit"), margin_top="1em"),
            key=L.form_key,
            on_submit=L.add,
            reset_on_submit=False,
            margin_top="1em",
        ),
        trigger=rx.button(rx.icon("user-plus"), t("Add doctor"), data_testid="add-doctor"),
        shown=L.adding,
        on_open_change=L.set_adding,
        max_width="720px",
        max_height="92vh",
        overflow_y="auto",
    )


def doctor_filters() -> rx.Component:
    return search_form(
        "doctor-q",
        "Name or specialization",
        L.q,
        labelled_select(
            "Hospital",
            "hospital",
            "doctor-hospital",
            row_options(L.hospitals),
            L.hospital,
            ("All hospitals", ""),
        ),
        labelled_select(
            "Status", "status", "doctor-status", fixed_options(STATUS_OPTIONS), L.status, None
        ),
        key=L.q + L.hospital + L.status,
        on_submit=L.search,
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
    )


def doctor_row(d: RowVar) -> rx.Component:
    return labelled_row(
        DOCTOR_COLUMNS,
        rx.table.cell(rx.link(d["name"], href="/admin/doctors/" + d["id"], weight="medium")),
        rx.table.cell(d["specialization"]),
        cell_with_note(d["hospital_name"], d["city_name"]),
        rx.table.cell(d["fee_label"]),
        rx.table.cell(d["waiting"], data_testid="doctor-waitlist"),
        rx.table.cell(flag_badge(d["is_active"], *ACTIVE, "doctor-status")),
        sign_in_cell(d),
        data_testid="doctor-row",
    )
