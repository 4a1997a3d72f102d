"""Sign-in and registration pages: patients (and doctors) and the admin portal."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.auth_components import auth_card, login_form, register_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.registry import Page


def login_page() -> rx.Component:
    return auth_card(
        t("Log in"),
        t("Patients and doctors sign in here to book and manage appointments."),
        login_form("login", AccountFormState.sign_in),
        rx.link(t("Forgot password?"), href=routes.FORGOT_PASSWORD, size="2"),
        rx.text(
            t("New to HealthCarePlus? "), rx.link(t("Create an account"), href=routes.REGISTER)
        ),
        rx.text(
            t("Clinic administrator? "),
            rx.link(t("Admin portal"), href=routes.ADMIN_LOGIN),
            size="2",
            color_scheme="gray",
        ),
    )


def admin_login_page() -> rx.Component:
    return auth_card(
        t("Admin portal"),
        t("Sign in to manage clinics, doctors and appointments."),
        login_form("admin-login", AccountFormState.sign_in_admin),
        rx.link(t("Forgot password?"), href=routes.FORGOT_PASSWORD, size="2"),
        rx.text(
            t("Need an admin account? "),
            rx.link(t("Register with the admin code"), href=routes.ADMIN_REGISTER),
            size="2",
        ),
        rx.text(
            t("Patient? "),
            rx.link(t("Patient login"), href=routes.LOGIN),
            size="2",
            color_scheme="gray",
        ),
    )


def register_page() -> rx.Component:
    return auth_card(
        t("Create your account"),
        t("Book appointments with trusted doctors near you."),
        register_form("register", AccountFormState.register_patient, with_code=False),
        rx.text(t("Already registered? "), rx.link(t("Log in"), href=routes.LOGIN)),
    )


def admin_register_page() -> rx.Component:
    return auth_card(
        t("Register an administrator"),
        t("Requires the admin code issued by your organisation."),
        register_form("admin-register", AccountFormState.register_admin, with_code=True),
        rx.text(t("Already an admin? "), rx.link(t("Admin login"), href=routes.ADMIN_LOGIN)),
    )


_RESET = [AccountFormState.reset_form]
PAGES = [
    Page(login_page, routes.LOGIN, N_("Log in"), _RESET),
    Page(admin_login_page, routes.ADMIN_LOGIN, N_("Admin portal"), _RESET),
    Page(register_page, routes.REGISTER, N_("Register"), _RESET),
    Page(admin_register_page, routes.ADMIN_REGISTER, N_("Register an administrator"), _RESET),
]
