"""The doctor's patients: everyone they have seen, searchable, a page at a time, each
opening their history with the doctor; and that history: the person's medical profile
and every visit with its treatment record (diagnosis, prescription, notes)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.doctor.patients_state import DoctorPatientHistoryState as H
from healthcareplus.ui.doctor.patients_state import DoctorPatientsState as S
from healthcareplus.ui.doctor.portal_components import (
    medical_facts,
    or_problem,
    payment_badge,
    portal_body,
    portal_shell,
    search_buttons,
)
from healthcareplus.ui.doctor.record_components import prescription_table
from healthcareplus.ui.shared.cards import aside_row, titled_card
from healthcareplus.ui.shared.forms import labelled
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import (
    empty_block,
    empty_note,
    if_any,
    page_title,
    record_body,
    sections,
)
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.statuses import TIME_STATUS_COLORS
from healthcareplus.ui.shared.tables import (
    previous_next_pager,
)
from healthcareplus.ui.shared.typed import RowVar

# --- the list -------------------------------------------------------------------------------


def _search_form() -> rx.Component:
    box = rx.input(
        id="patients-q",
        name="q",
        default_value=S.query,
        max_length=100,
        placeholder=t("Name or phone"),
        size="3",
        width="100%",
        type="search",
    )
    return rx.form(
        rx.flex(
            labelled(t("Search your patients"), "patients-q", box, flex="1", min_width="200px"),
            search_buttons(S.query != "", S.clear_search),
            align="end",
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.search,
        reset_on_submit=False,
        width="100%",
        role="search",
        data_testid="patients-search",
    )


def _patient_card(row: RowVar) -> rx.Component:
    who = rx.vstack(
        rx.hstack(
            rx.text(row["name"], weight="bold"),
            rx.cond(row["age_label"] != "", rx.text(row["age_label"], size="2", color="gray")),
            rx.cond(row["relation"] != "", rx.badge(row["relation"], variant="soft")),
            spacing="2",
            align="baseline",
            wrap="wrap",
        ),
        rx.cond(
            row["booked_by"] != "",
            rx.text(t("Family member of "), row["booked_by"], size="1", color_scheme="gray"),
        ),
        rx.text(
            row["visits"],
            rx.cond(row["visits"] == "1", t(" visit"), t(" visits")),
            t(" · last "),
            row["last_visit_label"],
            size="2",
            color_scheme="gray",
        ),
        spacing="1",
        align="start",
        min_width="0",
        flex="1",
    )
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon("user-round", size=20, color=rx.color("teal", 9)),
                who,
                rx.icon("chevron-right", size=18),
                align="center",
                width="100%",
            ),
            width="100%",
        ),
        href=routes.doctor_patient_url(f"{row['key']}"),  # Reflex reads the Var back
        underline="none",
        color="inherit",
        width="100%",
        data_testid="patient-card",
    )


def _pager() -> rx.Component:
    return previous_next_pager(S.page, S.pages, S.go_to_page, "patients-page")


def _list() -> rx.Component:
    cards = rx.vstack(
        rx.foreach(S.rows, _patient_card), spacing="2", width="100%", data_testid="patients-list"
    )
    empty = rx.cond(
        S.query != "",
        empty_note(t("Nobody you have seen matches."), data_testid="patients-list-empty"),
        empty_block(
            t("No patients yet"),
            t("Everyone you complete a visit with appears here."),
            icon="users",
        ),
    )
    return sections(
        page_title(t("My patients")),
        rx.text(
            t("Everyone you have seen; a family member is listed apart from who booked."),
            color_scheme="gray",
            size="2",
        ),
        _search_form(),
        if_any(S.rows, cards, empty),
        _pager(),
    )


def doctor_patients_page() -> rx.Component:
    return portal_shell(portal_body(S.loaded, S.error, _list()))


# --- one person's history -------------------------------------------------------------------


def _profile_card() -> rx.Component:
    return titled_card(
        t("Medical profile"), *medical_facts(H.patient), spacing="2", data_testid="patient-profile"
    )


def _label(text: str) -> rx.Component:
    return rx.text(text, size="1", weight="bold", color_scheme="gray", text_transform="uppercase")


def _record(visit: RowVar) -> rx.Component:
    """Its treatment record: visit type, diagnosis, the prescription table and notes."""
    return rx.vstack(
        rx.hstack(
            _label("Diagnosis"),
            rx.badge(visit["visit_type_label"], size="1", variant="soft"),
            align="center",
            spacing="2",
        ),
        rx.text(visit["diagnosis"], white_space="pre-wrap", data_testid="history-diagnosis"),
        _label("Prescription"),
        prescription_table(
            H.lines.filter(lambda line: line["appointment_id"] == visit["appointment_id"])
        ),
        rx.cond(
            visit["notes"] != "",
            rx.vstack(
                _label("Notes"),
                rx.text(
                    visit["notes"], white_space="pre-wrap", size="2", data_testid="history-notes"
                ),
                spacing="1",
                width="100%",
            ),
        ),
        rx.text(t("Record updated "), visit["updated_label"], size="1", color_scheme="gray"),
        spacing="2",
        align="start",
        width="100%",
    )


def _visit_card(visit: RowVar) -> rx.Component:
    status = rx.badge(
        visit["status_label"],
        color_scheme=rx.cond(
            visit["status_label"] == "To close",
            "amber",
            rx.match(visit["time_status"], *TIME_STATUS_COLORS, "gray"),
        ),
    )
    return rx.card(
        rx.vstack(
            aside_row(
                rx.link(
                    rx.heading(visit["date_label"], " · ", visit["time_label"], size="3", as_="h3"),
                    href=routes.doctor_visit_url(f"{visit['appointment_id']}"),
                ),
                status,
                wrap="wrap",
            ),
            rx.text(t("Reason: "), visit["reason"], size="2"),
            rx.flex(
                payment_badge(visit["payment_status"]),
                rx.badge(t("Fee "), visit["fee_label"], variant="soft", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(
                visit["cancel_reason"] != "",
                rx.text(t("Cancelled: "), visit["cancel_reason"], size="2", color_scheme="red"),
            ),
            rx.cond(
                visit["has_record"] == "true",
                _record(visit),
                empty_note(t("No treatment record written.")),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="history-visit",
    )


def _history() -> rx.Component:
    visits = rx.vstack(rx.foreach(H.visits, _visit_card), spacing="3", width="100%")
    return rx.vstack(
        rx.heading(t("Visits with you"), size="4", as_="h2"),
        rx.text(
            H.summary["completed"],
            t(" completed · latest first"),
            rx.cond(H.summary["more"] == "true", t(" · only the latest 200 are shown"), ""),
            size="2",
            color_scheme="gray",
        ),
        if_any(H.visits, visits, empty_note(t("No visits to show."))),
        spacing="3",
        width="100%",
    )


def _history_content() -> rx.Component:
    return sections(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=16), t("My patients"), align="center"),
            href=routes.DOCTOR_PATIENTS,
            size="2",
        ),
        page_title(H.patient["name"]),
        _profile_card(),
        _history(),
    )


def doctor_patient_page() -> rx.Component:
    return portal_shell(
        record_body(
            H,
            ("Patient", "Back to my patients", routes.DOCTOR_PATIENTS),
            or_problem(H.error, _history_content()),
        )
    )


PAGES = [
    Page(doctor_patients_page, routes.DOCTOR_PATIENTS, "My patients", [S.load]),
    Page(doctor_patient_page, routes.DOCTOR_PATIENT, "Patient", [H.load]),
]
