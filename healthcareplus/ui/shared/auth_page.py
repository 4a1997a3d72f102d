"""Sign-in and registration pages: patients (and doctors) and the admin portal."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.auth_components import auth_card, login_form, register_form
from healthcareplus.ui.shared.registry import Page


def login_page() -> rx.Component:
    return auth_card(
        "Log in",
        "Patients and doctors sign in here to book and manage appointments.",
        login_form("login", AccountFormState.sign_in),
        rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
        rx.text("New to HealthCarePlus? ", rx.link("Create an account", href=routes.REGISTER)),
        rx.text(
            "Clinic administrator? ",
            rx.link("Admin portal", href=routes.ADMIN_LOGIN),
            size="2",
            color_scheme="gray",
        ),
    )


def admin_login_page() -> rx.Component:
    return auth_card(
        "Admin portal",
        "Sign in to manage clinics, doctors and appointments.",
        login_form("admin-login", AccountFormState.sign_in_admin),
        rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
        rx.text(
            "Need an admin account? ",
            rx.link("Register with the admin code", href=routes.ADMIN_REGISTER),
            size="2",
        ),
        rx.text(
            "Patient? ", rx.link("Patient login", href=routes.LOGIN), size="2", color_scheme="gray"
        ),
    )


def register_page() -> rx.Component:
    return auth_card(
        "Create your account",
        "Book appointments with trusted doctors near you.",
        register_form("register", AccountFormState.register_patient, with_code=False),
        rx.text("Already registered? ", rx.link("Log in", href=routes.LOGIN)),
    )


def admin_register_page() -> rx.Component:
    return auth_card(
        "Register an administrator",
        "Requires the admin code issued by your organisation.",
        register_form("admin-register", AccountFormState.register_admin, with_code=True),
        rx.text("Already an admin? ", rx.link("Admin login", href=routes.ADMIN_LOGIN)),
    )


_RESET = [AccountFormState.reset_form]
PAGES = [
    Page(login_page, routes.LOGIN, "Log in", _RESET),
    Page(admin_login_page, routes.ADMIN_LOGIN, "Admin portal", _RESET),
    Page(register_page, routes.REGISTER, "Register", _RESET),
    Page(admin_register_page, routes.ADMIN_REGISTER, "Register an administrator", _RESET),
]
