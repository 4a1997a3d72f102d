"""Your data: a copy of everything the clinic holds about you, and erasing your account."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.my_data_state import MyDataState as S
from healthcareplus.ui.shared.cards import section_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.forms import field_error, password_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import titled_page
from healthcareplus.ui.shared.registry import Page

FORM_ID = "erase-account"


def _copy() -> rx.Component:
    return section_card(
        t("A copy of your data"),
        t(
            "Your profile, family members, appointments, payments, treatment records and "
            "prescriptions, reviews and the messages we sent you, in one file (JSON)."
        ),
        rx.button(rx.icon("download"), t("Download my data"), on_click=S.download_data),
        data_testid="download-data",
    )


def _erase() -> rx.Component:
    confirm = rx.vstack(
        rx.checkbox(
            t("I understand that this cannot be undone."), name="confirm", id=f"{FORM_ID}-confirm"
        ),
        field_error(S.errors, "confirm"),
        spacing="1",
    )
    submit = confirm_dialog(
        rx.button(t("Erase my account"), type="button", color_scheme="red"),
        t("Erase your account?"),
        t("You will be signed out and cannot sign in again."),
        t("Back"),
        rx.button(t("Erase it"), type="submit", form=FORM_ID, color_scheme="red"),
        max_width="440px",
    )
    return section_card(
        t("Erase your account"),
        t(
            "Your name, contact details and medical profile are removed and you are signed "
            "out. The clinic keeps your past visits and payments without your name, as its "
            "accounts and medical-records law require. Cancel any upcoming visit first."
        ),
        rx.form(
            rx.vstack(
                password_field(
                    t("Your password"),
                    "password",
                    S.errors,
                    form_id=FORM_ID,
                    autocomplete="current-password",
                    required=True,
                ),
                confirm,
                submit,
                spacing="3",
                width="100%",
            ),
            id=FORM_ID,
            key=S.form_key,
            on_submit=S.erase,
            reset_on_submit=False,
            width="100%",
        ),
        data_testid="erase-account",
    )


def my_data_page() -> rx.Component:
    return titled_page(
        t("Your data"),
        _copy(),
        _erase(),
        intro=t("What we hold about you, under India's Digital Personal Data Protection Act."),
        max_width="820px",
    )


PAGES = [Page(my_data_page, routes.MY_DATA, N_("Your data"), [S.load])]
