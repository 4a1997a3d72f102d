"""The visit page's pieces: the patient, earlier visits and the actions that close a visit
(the treatment form is in ``doctor_treatment``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import fact, medical_facts
from healthcareplus.ui.doctor.record_components import prescription_button
from healthcareplus.ui.doctor.visit_state import DoctorVisitState as S
from healthcareplus.ui.shared.cards import titled_card
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons
from healthcareplus.ui.shared.forms import field_error, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, if_any
from healthcareplus.ui.shared.typed import RowVar


def patient_card() -> rx.Component:
    return titled_card(
        t("Patient"),
        fact("Name", S.patient["name"], "patient-name"),
        *medical_facts(S.patient),
        spacing="2",
    )


def history_card() -> rx.Component:
    def row(item: RowVar) -> rx.Component:
        return rx.link(
            rx.hstack(
                rx.text(item["date_label"], size="2", min_width="120px"),
                rx.badge(item["status_label"], variant="soft"),
                rx.text(item["diagnosis"], size="2", color_scheme="gray", trim="both"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            href=routes.doctor_visit_url(f"{item['appointment_id']}"),  # Reflex reads the Var back
            underline="none",
            color="inherit",
            data_testid="history-row",
        )

    visits = rx.vstack(rx.foreach(S.history, row), spacing="2", width="100%")
    full = rx.link(
        "Full history with you",
        href=routes.doctor_patient_url(S.patient["history_key"]),
        size="2",
        data_testid="full-history",
    )
    return titled_card(
        t("Earlier visits with you"),
        if_any(S.history, visits, empty_note(t("This is the first visit."))),
        rx.cond(S.history.length() > 0, full),
        spacing="2",
    )


def _cancel_dialog() -> rx.Component:
    form = stacked_form(
        rx.el.label(t("Reason"), html_for="cancel-reason"),
        rx.text_area(
            id="cancel-reason", name="reason", max_length=500, rows="3", width="100%", required=True
        ),
        field_error(S.errors, "cancel_reason"),
        dialog_buttons(
            "Keep it",
            rx.button(t("Cancel appointment"), type="submit", color_scheme="red"),
            width="100%",
        ),
        on_submit=S.cancel,
    )
    return dialog(
        "Cancel this appointment?",
        "The patient sees your reason; a paid fee is refunded.",
        form,
        trigger=rx.button(t("Cancel appointment"), variant="soft", color_scheme="red"),
    )


def _record_payment() -> rx.Component:
    """The Pay-at-Clinic fee received at the visit (shown until it is recorded: also on
    the visit just marked completed)."""
    return confirm_dialog(
        rx.button(
            rx.icon("banknote"),
            t("Paid at clinic"),
            variant="soft",
            color_scheme="green",
            data_testid="record-payment",
        ),
        "Record the payment?",
        rx.fragment("The patient paid the fee of ", S.visit["fee_label"], " at the clinic."),
        "Back",
        rx.button(t("Record payment"), color_scheme="green", on_click=S.record_payment),
        size="3",
    )


def visit_actions() -> rx.Component:
    v = S.visit
    complete = rx.button(
        rx.icon("circle-check"),
        t("Mark completed"),
        color_scheme="green",
        on_click=S.complete,
        data_testid="mark-completed",
    )
    no_show = confirm_dialog(
        rx.button(t("Mark no-show"), variant="soft", color_scheme="orange"),
        "Mark as a no-show?",
        "The patient did not come to this visit.",
        "Back",
        rx.button(t("Mark no-show"), color_scheme="orange", on_click=S.no_show),
        size="3",
    )
    pdf = prescription_button("Prescription (PDF)", S.download_prescription, variant="outline")
    return rx.flex(
        rx.cond(v["can_complete"] == "true", complete),
        rx.cond(v["can_no_show"] == "true", no_show),
        rx.cond(
            v["can_reschedule"] == "true",
            rx.button(
                rx.link(
                    "Reschedule", href=routes.reschedule_url(v["appointment_id"]), underline="none"
                ),
                as_child=True,
                variant="soft",
                data_testid="doctor-reschedule",
            ),
        ),
        rx.cond(v["can_cancel"] == "true", _cancel_dialog()),
        rx.cond(v["can_record_payment"] == "true", _record_payment()),
        rx.cond(S.record.contains("id"), pdf),
        spacing="2",
        wrap="wrap",
    )
