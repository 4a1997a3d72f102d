"""One visit for the doctor: the patient and their history on one side, the visit with its
actions and the treatment record on the other."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import (
    or_problem,
    payment_badge,
    portal_shell,
    status_badge,
)
from healthcareplus.ui.doctor.record_components import treatment_record
from healthcareplus.ui.doctor.treatment_components import treatment_form
from healthcareplus.ui.doctor.visit_components import history_card, patient_card, visit_actions
from healthcareplus.ui.doctor.visit_state import DoctorVisitState as S
from healthcareplus.ui.shared.cards import aside_row, two_columns
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import page_title, record_body, sections
from healthcareplus.ui.shared.registry import Page


def _visit_card() -> rx.Component:
    v = S.visit
    return rx.card(
        rx.vstack(
            aside_row(
                rx.heading(v["date_label"], " · ", v["time_label"], size="4", as_="h2"),
                status_badge(v),
                wrap="wrap",
            ),
            rx.text(t("Reason: "), v["reason"], size="2"),
            rx.flex(
                payment_badge(v["payment_status"]),
                rx.cond(v["payment_method"] != "", rx.badge(v["payment_method"], variant="soft")),
                rx.badge(t("Fee "), v["fee_label"], variant="soft", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(
                v["cancel_reason"] != "",
                rx.text(t("Cancelled: "), v["cancel_reason"], size="2", color_scheme="red"),
            ),
            visit_actions(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="visit-summary",
    )


def _record_side() -> rx.Component:
    return rx.cond(
        S.visit["can_treat"] == "true",
        treatment_form(),
        rx.cond(
            S.record.contains("id"),
            treatment_record(S.record, S.lines),
            rx.callout(
                t("The treatment record can be written once the visit has started."),
                icon="info",
                width="100%",
            ),
        ),
    )


def _content() -> rx.Component:
    return sections(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=16), "Dashboard", align="center"),
            href=routes.DOCTOR_PORTAL,
            size="2",
        ),
        page_title(S.patient["name"]),
        two_columns(
            sections(_visit_card(), _record_side()),
            sections(patient_card(), history_card()),
            align_items="start",
        ),
    )


def doctor_visit_page() -> rx.Component:
    return portal_shell(
        record_body(
            S,
            ("Appointment", "Back to the dashboard", routes.DOCTOR_PORTAL),
            or_problem(S.error, _content()),
        )
    )


PAGES = [Page(doctor_visit_page, routes.DOCTOR_VISIT, "Visit", [S.load])]
