"""One patient in the admin portal: block/unblock controls, the details form and the
appointment history rows."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.ui.admin.forms import reason_form
from healthcareplus.ui.admin.patients_state import AdminPatientState as P
from healthcareplus.ui.shared.forms import form_alert, select_field, text_field, textarea_field

TIME_STATUS = (
    ("upcoming", "Upcoming", "teal"),
    ("pending_payment", "Awaiting payment", "amber"),
    ("completed", "Completed", "green"),
    ("missed", "No-show", "orange"),
    ("cancelled", "Cancelled", "red"),
    ("expired", "Expired", "gray"),
)


def block_controls() -> rx.Component:
    block = rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("ban"), "Block from booking", color_scheme="red", variant="soft")
        ),
        rx.dialog.content(
            rx.dialog.title("Block " + P.patient["name"] + "?"),
            rx.dialog.description(
                "They keep their account and appointments but cannot book new ones.", size="2"
            ),
            reason_form(
                "Reason (kept in the audit log)",
                "block-reason",
                P.block_error,
                P.block,
                rx.hstack(
                    rx.dialog.close(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                    ),
                    rx.button("Block patient", type="submit", color_scheme="red"),
                    justify="end",
                    spacing="3",
                ),
                required=True,
            ),
        ),
        open=P.blocking,
        on_open_change=P.set_blocking,
    )
    unblock = rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(rx.icon("circle-check"), "Unblock", color_scheme="green")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Unblock " + P.patient["name"] + "?"),
            rx.alert_dialog.description("They will be able to book appointments again.", size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Keep blocked", variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button("Unblock", color_scheme="green", on_click=P.unblock)
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )
    return rx.cond(P.patient["is_blocked"] == "true", unblock, block)


def details_form() -> rx.Component:
    p, e, fid = P.patient, P.errors, "admin-patient"
    return rx.form(
        rx.heading("Details and medical profile", size="4", as_="h2", margin_bottom="0.5em"),
        rx.grid(
            text_field("Full name", "name", e, form_id=fid, default_value=p["name"], required=True),
            text_field(
                "Mobile number",
                "phone",
                e,
                form_id=fid,
                type_="tel",
                default_value=p["phone"],
                required=True,
                max_length=20,
            ),
            text_field(
                "Date of birth",
                "date_of_birth",
                e,
                form_id=fid,
                type_="date",
                default_value=p["date_of_birth"],
            ),
            select_field(
                "Gender", "gender", e, list(GENDERS), form_id=fid, default_value=p["gender"]
            ),
            select_field(
                "Blood group",
                "blood_group",
                e,
                list(BLOOD_GROUPS),
                form_id=fid,
                default_value=p["blood_group"],
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        textarea_field("Allergies", "allergies", e, form_id=fid, default_value=p["allergies"]),
        textarea_field(
            "Medical history",
            "medical_history",
            e,
            form_id=fid,
            default_value=p["medical_history"],
            max_length=4000,
        ),
        form_alert(P.message),
        rx.cond(
            P.saved != "", rx.callout(P.saved, icon="check", color_scheme="green", role="status")
        ),
        rx.button("Save details", type="submit", margin_top="1em"),
        key=P.form_key,
        on_submit=P.save,
        reset_on_submit=False,
    )


def history_row(a: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(a["date_label"], rx.text(a["time_label"], size="1"), white_space="nowrap"),
        rx.table.cell(
            a["doctor_name"], rx.text(a["specialization"], size="1", color_scheme="gray")
        ),
        rx.table.cell(a["hospital_name"], rx.text(a["city_name"], size="1", color_scheme="gray")),
        rx.table.cell(
            rx.badge(
                rx.match(
                    a["time_status"], *[(k, label) for k, label, _ in TIME_STATUS], a["status"]
                ),
                color_scheme=rx.match(
                    a["time_status"], *[(k, c) for k, _, c in TIME_STATUS], "gray"
                ),
            )
        ),
        rx.table.cell(
            a["payment_status"], rx.text(a["payment_method"], size="1", color_scheme="gray")
        ),
        rx.table.cell(a["fee_label"]),
        data_testid="history-row",
    )
