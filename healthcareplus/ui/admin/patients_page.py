"""Admin: find patients, and one patient's profile, appointment history, block/unblock
and details."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.forms import (
    data_table,
    flag_badge,
    labelled_select,
    paged_table,
    pager,
    search_form,
)
from healthcareplus.ui.admin.layout import (
    admin_shell,
    edit_card,
    record_header,
    record_page,
    status_note,
)
from healthcareplus.ui.admin.patients_components import (
    HISTORY_COLUMNS,
    block_controls,
    details_fields,
    history_row,
)
from healthcareplus.ui.admin.patients_state import AdminPatientsState as L
from healthcareplus.ui.admin.patients_state import AdminPatientState as P
from healthcareplus.ui.shared.cards import titled_card
from healthcareplus.ui.shared.forms import fixed_options
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, if_any
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import labelled_row
from healthcareplus.ui.shared.typed import RowVar

DETAIL_ROUTE = "/admin/patients/[patient_id]"
BACK = ("All patients", routes.ADMIN_PATIENTS)
BLOCKED = (("Blocked", "red"), ("Active", "green"))
COLUMNS = ("Patient", "Email", "Phone", "Bookings", "Status", "Joined")
SORTS = ("name", "email", "phone", "bookings", "status", "joined")  # domain.admin.patients
STATUS_OPTIONS = (("all", "All patients"), ("active", "Not blocked"), ("blocked", "Blocked"))


def _search() -> rx.Component:
    return search_form(
        "patient-q",
        "Name, email or phone",
        L.q,
        labelled_select(
            "Status", "status", "patient-status", fixed_options(STATUS_OPTIONS), L.status, None
        ),
        key=L.form_key,
        on_submit=L.search,
        columns=rx.breakpoints(initial="1", sm="3"),
    )


def _row(p: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.link(p["name"], href="/admin/patients/" + p["id"], weight="medium")),
        rx.table.cell(p["email"]),
        rx.table.cell(p["phone"], white_space="nowrap"),
        rx.table.cell(p["appointments"]),
        rx.table.cell(flag_badge(p["is_blocked"], *BLOCKED, "patient-status")),
        rx.table.cell(p["joined_label"], white_space="nowrap"),
        data_testid="patient-row",
    )


def patients_page() -> rx.Component:
    return admin_shell(
        "Patients",
        _search(),
        paged_table(
            L,
            COLUMNS,
            _row,
            "patients",
            empty_block(t("No patients found"), t("Try a name, email or phone number.")),
            sorts=SORTS,
        ),
    )


def _header() -> rx.Component:
    p = P.patient
    return record_header(
        BACK,
        p["name"],
        flag_badge(p["is_blocked"], *BLOCKED, "patient-blocked"),
        rx.text(p["email"], " · ", p["phone"], t(" · joined "), p["joined_label"], size="2"),
        controls=block_controls(),
        note=status_note(
            p["is_blocked"] == "true",
            "Blocked from booking: " + p["blocked_reason"],
            "ban",
            "red",
            "blocked-note",
        ),
    )


def _history() -> rx.Component:
    table = data_table(
        HISTORY_COLUMNS,
        rx.foreach(P.history, history_row),
        "history-table",
    )
    return titled_card(
        t("Appointment history"),
        if_any(P.history, table, rx.text(t("No appointments yet."), color_scheme="gray")),
        pager(P.history_pager, P.history_page, "history-pager"),
    )


def patient_page() -> rx.Component:
    return record_page(
        "Patient",
        P,
        BACK,
        _header(),
        edit_card("Details and medical profile", P, "Save details", *details_fields()),
        _history(),
    )


PAGES = [
    Page(patients_page, routes.ADMIN_PATIENTS, "Patients", [L.load]),
    Page(patient_page, DETAIL_ROUTE, "Patient", [P.load]),
]
