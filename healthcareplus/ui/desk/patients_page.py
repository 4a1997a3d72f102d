"""/desk: the front desk's first page. Find the patient (mobile number or name) or
register a walk-in, then open them to book, take payment or check in."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.desk.layout import desk_shell
from healthcareplus.ui.desk.patients_state import DeskPatientsState as S
from healthcareplus.ui.shared.forms import (
    field_grid,
    form_alert,
    stacked_form,
    text_field,
)
from healthcareplus.ui.shared.layout import empty_note, page_title, when_loaded
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.typed import RowVar

FORM = "walk-in"


def _match(row: RowVar) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.link(
                    rx.text(row["name"], weight="bold"),
                    href=routes.desk_patient_url(row["id"]),
                    data_testid="desk-patient-link",
                ),
                rx.text(
                    row["phone"],
                    " · ",
                    rx.cond(row["email"] != "", row["email"], "no email"),
                    size="2",
                    color_scheme="gray",
                ),  # fmt: skip
                spacing="1",
            ),
            rx.spacer(),
            rx.cond(
                row["can_sign_in"] == "true",
                rx.badge("Has an account", color_scheme="green"),
                rx.badge("Registered at the desk", color_scheme="gray"),
            ),
            gap="2",
            wrap="wrap",
            align="center",
        ),
        width="100%",
    )


def _search() -> rx.Component:
    return rx.vstack(
        rx.heading("Find a patient", size="4", as_="h2"),
        rx.form(
            rx.hstack(
                rx.input(
                    name="q",
                    default_value=S.query,
                    placeholder="Mobile number or name",
                    aria_label="Mobile number or name",
                    size="3",
                    max_length=120,
                    flex="1",
                    data_testid="desk-search",
                ),
                rx.button(rx.icon("search"), "Find", type="submit", size="3"),
                width="100%",
            ),
            on_submit=S.search,
            width="100%",
            role="search",
            aria_label="Find a patient",
        ),
        form_alert(S.error),
        rx.foreach(S.matches, _match),
        rx.cond(
            S.searched & (S.matches.length() == 0),
            empty_note("No patient matches. Register them below."),
        ),
        spacing="3",
        width="100%",
    )


def _register() -> rx.Component:
    return rx.card(
        stacked_form(
            rx.heading("Register a walk-in patient", size="4", as_="h2"),
            rx.text(
                "Name and mobile number are enough. With an email, the patient gets a link "
                "to choose a password and manage their visits online.",
                size="2",
                color_scheme="gray",
            ),
            field_grid(
                text_field("Full name", "name", S.errors, form_id=FORM, required=True),
                text_field(
                    "Mobile number",
                    "phone",
                    S.errors,
                    form_id=FORM,
                    type_="tel",
                    required=True,
                    max_length=20,
                ),  # fmt: skip
                text_field(
                    "Email (optional)",
                    "email",
                    S.errors,
                    form_id=FORM,
                    type_="email",
                    max_length=254,
                ),  # fmt: skip
                text_field(
                    "Date of birth (optional)",
                    "date_of_birth",
                    S.errors,
                    form_id=FORM,
                    type_="date",
                    max_length=10,
                ),  # fmt: skip
            ),
            rx.button("Register patient", type="submit", data_testid="register-walk-in"),
            on_submit=S.register,
        ),
        width="100%",
    )


def desk_patients_page() -> rx.Component:
    return desk_shell(
        page_title("Front desk"),
        when_loaded(S.loaded, rx.vstack(_search(), _register(), spacing="5", width="100%")),
    )


PAGES = [Page(desk_patients_page, routes.DESK, "Front desk", [S.load])]
