"""Sign-in and registration pages: patients (and doctors) and the admin portal."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.patient.account_state import AccountFormState
from healthcareplus.ui.shared.forms import form_alert, text_field
from healthcareplus.ui.shared.layout import page_shell
from healthcareplus.ui.shared.registry import Page

ERRORS = AccountFormState.errors


def _card(title: str, subtitle: str, form: rx.Component, *links: rx.Component) -> rx.Component:
    return page_shell(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading(title, size="6", as_="h1"),
                    rx.text(subtitle, color_scheme="gray"),
                    form_alert(AccountFormState.message),
                    form,
                    *links,
                    spacing="4",
                    width="100%",
                ),
                width="100%",
                max_width="440px",
                size="3",
            ),
            width="100%",
        ),
        max_width="720px",
    )


def _email(form_id: str) -> rx.Component:
    return text_field(
        "Email",
        "email",
        ERRORS,
        form_id=form_id,
        type_="email",
        autocomplete="email",
        required=True,
        max_length=254,
    )


def _login_form(form_id: str, on_submit: rx.EventHandler) -> rx.Component:
    return rx.form(
        rx.vstack(
            _email(form_id),
            text_field(
                "Password",
                "password",
                ERRORS,
                form_id=form_id,
                type_="password",
                autocomplete="current-password",
                required=True,
            ),
            rx.button("Log in", type="submit", size="3", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def _register_form(form_id: str, on_submit: rx.EventHandler, with_code: bool) -> rx.Component:
    fields = [
        text_field(
            "Full name",
            "name",
            ERRORS,
            form_id=form_id,
            autocomplete="name",
            required=True,
            max_length=120,
        ),
        _email(form_id),
        text_field(
            "Mobile number",
            "phone",
            ERRORS,
            form_id=form_id,
            type_="tel",
            placeholder="+91 98450 12345",
            autocomplete="tel",
            required=True,
            max_length=20,
        ),
        text_field(
            "Password",
            "password",
            ERRORS,
            form_id=form_id,
            type_="password",
            autocomplete="new-password",
            required=True,
        ),
        rx.text(
            "At least 8 characters with upper and lower case letters, a digit and a symbol.",
            size="1",
            color_scheme="gray",
        ),
        text_field(
            "Confirm password",
            "confirm_password",
            ERRORS,
            form_id=form_id,
            type_="password",
            autocomplete="new-password",
            required=True,
        ),
    ]
    if with_code:
        fields.append(
            text_field(
                "Admin code",
                "admin_code",
                ERRORS,
                form_id=form_id,
                type_="password",
                required=True,
                max_length=100,
            )
        )
    return rx.form(
        rx.vstack(
            *fields,
            rx.button("Create account", type="submit", size="3", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def login_page() -> rx.Component:
    return _card(
        "Log in",
        "Patients and doctors sign in here to book and manage appointments.",
        _login_form("login", AccountFormState.sign_in),
        rx.text("New to HealthCarePlus? ", rx.link("Create an account", href=routes.REGISTER)),
        rx.text(
            "Clinic administrator? ",
            rx.link("Admin portal", href=routes.ADMIN_LOGIN),
            size="2",
            color_scheme="gray",
        ),
    )


def admin_login_page() -> rx.Component:
    return _card(
        "Admin portal",
        "Sign in to manage clinics, doctors and appointments.",
        _login_form("admin-login", AccountFormState.sign_in_admin),
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
    return _card(
        "Create your account",
        "Book appointments with trusted doctors near you.",
        _register_form("register", AccountFormState.register_patient, with_code=False),
        rx.text("Already registered? ", rx.link("Log in", href=routes.LOGIN)),
    )


def admin_register_page() -> rx.Component:
    return _card(
        "Register an administrator",
        "Requires the admin code issued by your organisation.",
        _register_form("admin-register", AccountFormState.register_admin, with_code=True),
        rx.text("Already an admin? ", rx.link("Admin login", href=routes.ADMIN_LOGIN)),
    )


_RESET = [AccountFormState.reset_form]
PAGES = [
    Page(login_page, routes.LOGIN, "Log in", _RESET),
    Page(admin_login_page, routes.ADMIN_LOGIN, "Admin portal", _RESET),
    Page(register_page, routes.REGISTER, "Register", _RESET),
    Page(admin_register_page, routes.ADMIN_REGISTER, "Register an administrator", _RESET),
]
