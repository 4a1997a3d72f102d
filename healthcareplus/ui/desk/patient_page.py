"""/desk/patients/<id>: one patient at the front desk (see ``patient_state``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.desk.layout import desk_shell
from healthcareplus.ui.desk.patient_state import DeskPatientState as S
from healthcareplus.ui.shared.dialogs import dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import (
    fixed_options,
    native_select,
    row_options,
    select_field,
    stacked_form,
    text_field,
)
from healthcareplus.ui.shared.layout import empty_note, page_title, record_body, sections
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar

PAY_CHOICES = (("pay_at_clinic", "Pay at Clinic (later)"), ("cash", "Cash now"),
               ("card", "Card now"), ("upi", "UPI now"))  # fmt: skip
COUNTER_CHOICES = PAY_CHOICES[1:]


def _payment_form(row: RowVar, handler: object, choices: tuple, label: str) -> rx.Component:
    select_id = f"pay-{row['id']}"
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="appointment_id", value=row["id"]),
            rx.el.label("Payment", html_for=select_id, class_name="rt-r-size-2"),
            native_select(*fixed_options(choices), id=select_id, name="payment"),
            rx.button(label, type="submit", size="2"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=handler,
        reset_on_submit=False,
    )


def _visit(row: RowVar) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(row["when"], weight="bold"),
                rx.badge(row["status_label"], data_testid="desk-visit-status"),
                rx.badge(row["payment"], color_scheme="gray"),
                gap="2",
                wrap="wrap",
                align="center",
            ),
            rx.text(row["doctor"], " · ", row["hospital"], " · ", row["fee"], size="2"),
            rx.cond(row["for_name"] != "", rx.text("For: ", row["for_name"], size="2")),
            rx.cond(
                row["can_confirm"] == "true",
                _payment_form(row, S.confirm, PAY_CHOICES, "Confirm visit"),
            ),  # fmt: skip
            rx.cond(
                row["can_take_payment"] == "true",
                _payment_form(row, S.take_payment, COUNTER_CHOICES, "Record payment"),
            ),  # fmt: skip
            rx.flex(
                rx.cond(
                    row["can_reschedule"] == "true",
                    rx.link("Reschedule", href=routes.reschedule_url(row["id"])),
                ),
                rx.cond(
                    row["can_cancel"] == "true",
                    rx.button(
                        "Cancel visit",
                        variant="soft",
                        color_scheme="red",
                        size="1",
                        on_click=S.open_cancel(row["id"]),
                    ),  # fmt: skip
                ),
                rx.cond(
                    row["has_receipt"] == "true",
                    rx.link(
                        "Receipt",
                        href=routes.desk_receipt_url(row["id"]),
                        data_testid="desk-receipt-link",
                    ),  # fmt: skip
                ),
                gap="3",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="desk-visit",
    )


def _cancel_dialog() -> rx.Component:
    buttons = dialog_buttons(
        "Keep it", rx.button("Cancel visit", type="submit", color_scheme="red")
    )
    form = reason_form("Reason (the patient reads it)", "desk-cancel-reason", S.cancel, buttons,
                       required=True)  # fmt: skip
    return dialog("Cancel this visit?", "A paid fee is refunded.", form,
                  shown=S.cancelling != "", on_open_change=S.close_cancel)  # fmt: skip


def _book() -> rx.Component:
    hospital = rx.cond(
        S.hospitals.length() > 1,
        rx.vstack(
            rx.el.label("Hospital", html_for="desk-hospital"),
            native_select(
                row_options(S.hospitals, label="name"),
                id="desk-hospital",
                value=S.hospital_id,
                on_change=S.choose_hospital,
            ),  # fmt: skip
            spacing="1",
        ),
    )
    doctors = rx.foreach(
        S.doctors, lambda d: rx.el.option(d["name"], " · ", d["specialization"], value=d["id"])
    )
    return rx.card(
        stacked_form(
            rx.heading("Book a visit", size="4", as_="h2"),
            hospital,
            select_field("Doctor", "doctor_id", S.errors, doctors, form_id="desk-book"),
            rx.button("Choose a time", type="submit", data_testid="desk-book"),
            on_submit=S.book,
        ),
        width="100%",
    )


def _invite() -> rx.Component:
    return rx.cond(
        S.patient["claimed"] == "false",
        rx.card(
            stacked_form(
                rx.heading("Online account", size="4", as_="h2"),
                rx.text(
                    "The patient has not chosen a password yet. Send them the link to "
                    "claim the account.",
                    size="2",
                ),  # fmt: skip
                rx.cond(
                    S.patient["email"] == "",
                    text_field(
                        "Email",
                        "email",
                        S.errors,
                        form_id="desk-invite",
                        type_="email",
                        max_length=254,
                        required=True,
                    ),  # fmt: skip
                    rx.text("To: ", S.patient["email"], size="2"),
                ),
                rx.button("Send invitation", type="submit", variant="soft"),
                on_submit=S.invite,
            ),
            width="100%",
        ),
    )


def _content() -> rx.Component:
    return sections(
        rx.vstack(
            page_title(S.patient["name"]),
            rx.text(
                S.patient["phone"],
                rx.cond(S.patient["email"] != "", " · ", ""),
                S.patient["email"],
                color_scheme="gray",
            ),  # fmt: skip
            spacing="1",
        ),
        _book(),
        rx.heading("Visits", size="4", as_="h2"),
        rx.cond(
            S.visits.length() > 0,
            rx.vstack(rx.foreach(S.visits, _visit), width="100%"),
            empty_note("No visits at your hospitals yet."),
        ),  # fmt: skip
        _invite(),
        _cancel_dialog(),
    )


def desk_patient_page() -> rx.Component:
    missing = ("Patient", "Back to the front desk", routes.DESK)
    return desk_shell(record_body(S, missing, _content()))


PAGES = [Page(desk_patient_page, routes.DESK_PATIENT, "Patient", [S.load])]
