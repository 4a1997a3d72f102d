"""Admin: find patients, and one patient's profile, appointment history, block/unblock
and details."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.admin.forms import (
    data_table,
    flag_badge,
    labelled_select,
    pager,
)
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.patients_components import block_controls, details_form, history_row
from healthcareplus.ui.admin.patients_state import AdminPatientsState as L
from healthcareplus.ui.admin.patients_state import AdminPatientState as P
from healthcareplus.ui.shared.cards import not_found_block
from healthcareplus.ui.shared.layout import empty_block, loading_block
from healthcareplus.ui.shared.registry import Page

DETAIL_ROUTE = "/admin/patients/[patient_id]"
BLOCKED = (("Blocked", "red"), ("Active", "green"))
STATUS_OPTIONS = (("all", "All patients"), ("active", "Not blocked"), ("blocked", "Blocked"))


def _search() -> rx.Component:
    return rx.form(
        rx.grid(
            rx.vstack(
                rx.el.label("Search", html_for="patient-q", style={"fontWeight": "500"}),
                rx.input(
                    id="patient-q",
                    name="q",
                    default_value=L.q,
                    max_length=100,
                    placeholder="Name, email or phone",
                    size="3",
                    width="100%",
                ),
                spacing="1",
            ),
            labelled_select(
                "Status",
                "status",
                "patient-status",
                [rx.el.option(label, value=v) for v, label in STATUS_OPTIONS],
                L.status,
                None,
            ),
            rx.button(rx.icon("search"), "Search", type="submit", align_self="end"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        key=L.form_key,
        on_submit=L.search,
        reset_on_submit=False,
        width="100%",
    )


def _row(p: Var) -> rx.Component:
    return rx.table.row(
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
        rx.cond(
            L.loaded,
            rx.cond(
                L.items.length() > 0,
                data_table(
                    ["Patient", "Email", "Phone", "Bookings", "Status", "Joined"],
                    rx.foreach(L.items, _row),
                    "patients-table",
                ),
                empty_block("No patients found", "Try a name, email or phone number."),
            ),
            loading_block(),
        ),
        pager(L.pager, L.go_page, "patients-pager"),
    )


def _detail() -> rx.Component:
    p = P.patient
    return rx.vstack(
        rx.link("← All patients", href=routes.ADMIN_PATIENTS),
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.heading(p["name"], size="6", as_="h2"),
                    flag_badge(p["is_blocked"], *BLOCKED, "patient-blocked"),
                    align="center",
                ),
                rx.text(p["email"], " · ", p["phone"], " · joined ", p["joined_label"], size="2"),
                spacing="1",
            ),
            rx.spacer(),
            block_controls(),
            width="100%",
            wrap="wrap",
            gap="3",
            align="center",
        ),
        rx.cond(
            p["is_blocked"] == "true",
            rx.callout(
                "Blocked from booking: " + p["blocked_reason"],
                icon="ban",
                color_scheme="red",
                width="100%",
                data_testid="blocked-note",
            ),
        ),
        rx.card(details_form(), width="100%"),
        rx.card(
            rx.vstack(
                rx.heading("Appointment history", size="4", as_="h2"),
                rx.cond(
                    P.history.length() > 0,
                    data_table(
                        ["When", "Doctor", "Hospital", "Status", "Payment", "Fee"],
                        rx.foreach(P.history, history_row),
                        "history-table",
                    ),
                    rx.text("No appointments yet.", color_scheme="gray"),
                ),
                pager(P.history_pager, P.history_page, "history-pager"),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def patient_page() -> rx.Component:
    return admin_shell(
        "Patient",
        rx.cond(
            P.loaded,
            rx.cond(
                P.not_found,
                not_found_block("Patient", "All patients", routes.ADMIN_PATIENTS),
                _detail(),
            ),
            loading_block(),
        ),
    )


PAGES = [
    Page(patients_page, routes.ADMIN_PATIENTS, "Patients", [L.load]),
    Page(patient_page, DETAIL_ROUTE, "Patient", [P.load]),
]
