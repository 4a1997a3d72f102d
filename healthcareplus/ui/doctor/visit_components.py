"""The visit page's pieces: the patient, earlier visits and the actions that close a visit
(the treatment form is in ``doctor_treatment``)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.doctor.visit_state import DoctorVisitState as S
from healthcareplus.ui.shared.forms import field_error


def _fact(label: str, value: Var, testid: str = "") -> rx.Component:
    return rx.cond(
        value != "",
        rx.hstack(
            rx.text(label, size="2", color_scheme="gray", min_width="110px"),
            rx.text(value, size="2", white_space="pre-wrap", data_testid=testid or None),
            align="start",
        ),
    )


def patient_card() -> rx.Component:
    p = S.patient
    return rx.card(
        rx.vstack(
            rx.heading("Patient", size="4", as_="h2"),
            _fact("Name", p["name"], "patient-name"),
            _fact("Age", p["age_label"]),
            _fact("Gender", p["gender"]),
            _fact("Blood group", p["blood_group"]),
            _fact("Phone", p["phone"]),
            rx.cond(
                p["allergies"] != "",
                rx.callout(
                    "Allergies: " + p["allergies"],
                    icon="triangle-alert",
                    color_scheme="orange",
                    size="1",
                    width="100%",
                    data_testid="allergies",
                ),
            ),
            _fact("History", p["medical_history"]),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def history_card() -> rx.Component:
    def row(item: Var) -> rx.Component:
        return rx.link(
            rx.hstack(
                rx.text(item["date_label"], size="2", min_width="120px"),
                rx.badge(item["status_label"], variant="soft"),
                rx.text(item["diagnosis"], size="2", color_scheme="gray", trim="both"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            href=routes.doctor_visit_url(item["appointment_id"]),
            underline="none",
            color="inherit",
            data_testid="history-row",
        )

    return rx.card(
        rx.vstack(
            rx.heading("Earlier visits with you", size="4", as_="h2"),
            rx.cond(
                S.history.length() > 0,
                rx.vstack(rx.foreach(S.history, row), spacing="2", width="100%"),
                rx.text("This is the first visit.", size="2", color_scheme="gray"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Cancel appointment", variant="soft", color_scheme="red")),
        rx.dialog.content(
            rx.dialog.title("Cancel this appointment?"),
            rx.dialog.description(
                "The patient sees your reason; a paid fee is refunded.", size="2"
            ),
            rx.form(
                rx.vstack(
                    rx.el.label("Reason", html_for="cancel-reason"),
                    rx.text_area(
                        id="cancel-reason",
                        name="reason",
                        max_length=500,
                        rows="3",
                        width="100%",
                        required=True,
                    ),
                    field_error(S.errors, "cancel_reason"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Keep it", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Cancel appointment", type="submit", color_scheme="red"),
                        justify="end",
                        spacing="2",
                        width="100%",
                    ),
                    width="100%",
                ),
                on_submit=S.cancel,
                reset_on_submit=False,
            ),
        ),
    )


def visit_actions() -> rx.Component:
    v = S.visit
    return rx.flex(
        rx.cond(
            v["can_complete"] == "true",
            rx.button(
                rx.icon("circle-check"),
                "Mark completed",
                color_scheme="green",
                on_click=S.complete,
                data_testid="mark-completed",
            ),
        ),
        rx.cond(
            v["can_no_show"] == "true",
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(
                    rx.button("Mark no-show", variant="soft", color_scheme="orange")
                ),
                rx.alert_dialog.content(
                    rx.alert_dialog.title("Mark as a no-show?"),
                    rx.alert_dialog.description("The patient did not come to this visit."),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button("Back", variant="soft", color_scheme="gray")
                        ),
                        rx.alert_dialog.action(
                            rx.button("Mark no-show", color_scheme="orange", on_click=S.no_show)
                        ),
                        justify="end",
                        spacing="2",
                        margin_top="1em",
                    ),
                ),
            ),
        ),
        rx.cond(v["can_cancel"] == "true", _cancel_dialog()),
        rx.cond(
            S.record.contains("id"),
            rx.button(
                rx.icon("file-down"),
                "Prescription (PDF)",
                variant="outline",
                on_click=S.download_prescription,
            ),
        ),
        spacing="2",
        wrap="wrap",
    )
