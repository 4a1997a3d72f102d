"""One patient in the admin portal: block/unblock controls, the details fields and the
appointment history rows."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.forms import cell_with_note
from healthcareplus.ui.admin.patients_state import AdminPatientState as P
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import error_text
from healthcareplus.ui.shared.profile_fields import address_fields, contact_fields, medical_fields
from healthcareplus.ui.shared.statuses import TIME_STATUSES, status_badge
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

HISTORY_COLUMNS = ("When", "Doctor", "Hospital", "Status", "Payment", "Fee")


def block_controls() -> rx.Component:
    name = P.patient["name"]
    block = dialog(
        "Block " + name + "?",
        "They are signed out everywhere and cannot sign in or book until unblocked; their "
        "appointments stay. They are told by email, with the reason.",
        reason_form(
            "Reason (kept in the audit log)",
            "block-reason",
            P.block,
            rx.cond(P.block_error != "", error_text(P.block_error, role="alert")),
            dialog_buttons("Cancel", rx.button("Block patient", type="submit", color_scheme="red")),
            required=True,
        ),
        trigger=rx.button(rx.icon("ban"), "Block from booking", color_scheme="red", variant="soft"),
        shown=P.blocking,
        on_open_change=P.set_blocking,
    )
    unblock = confirm_dialog(
        rx.button(rx.icon("circle-check"), "Unblock", color_scheme="green"),
        "Unblock " + name + "?",
        "They will be able to book appointments again, and are told so by email.",
        "Keep blocked",
        rx.button("Unblock", color_scheme="green", on_click=P.unblock),
    )
    return rx.cond(P.patient["is_blocked"] == "true", unblock, block)


def details_fields() -> list[rx.Component]:
    """The patient's details and medical profile, for the admin's edit form."""
    p, e, fid = P.patient, P.errors, "admin-patient"
    blood_group, allergies, history = medical_fields(e, p, form_id=fid)
    contact = rx.grid(
        *contact_fields(e, p, form_id=fid),
        blood_group,
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    return [contact, *address_fields(e, p, form_id=fid), allergies, history]


def history_row(a: RowVar) -> rx.Component:
    return labelled_row(
        HISTORY_COLUMNS,
        rx.table.cell(
            a["date_label"],
            rx.text(a["time_label"], size="1"),
            rx.cond(
                a["for_name"] != "",
                rx.text("For: ", a["for_name"], " (", a["for_relation"], ")", size="1"),
            ),
            white_space="nowrap",
        ),
        cell_with_note(a["doctor_name"], a["specialization"]),
        cell_with_note(a["hospital_name"], a["city_name"]),
        rx.table.cell(status_badge(a["time_status"], TIME_STATUSES, a["status"])),
        cell_with_note(a["payment_status"], a["payment_method"]),
        rx.table.cell(a["fee_label"]),
        data_testid="history-row",
    )
