"""The sign-in and registration pages' parts: the centred card and the two forms."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventType

from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.forms import form_alert, text_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import page_shell

ERRORS = AccountFormState.errors


def auth_card(title: Any, subtitle: Any, form: rx.Component, *links: rx.Component) -> rx.Component:
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


def _form(on_submit: EventType[dict[str, Any]], submit: Any, *fields: rx.Component) -> rx.Component:
    return rx.form(
        rx.vstack(
            *fields,
            rx.button(submit, type="submit", size="3", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def _field(form_id: str, label: Any, name: str, **props: Any) -> rx.Component:
    return text_field(label, name, ERRORS, form_id=form_id, required=True, **props)


def _password(form_id: str, label: Any, name: str, **props: Any) -> rx.Component:
    return _field(form_id, label, name, type_="password", **props)


def _email(form_id: str) -> rx.Component:
    return _field(form_id, t("Email"), "email", type_="email", autocomplete="email", max_length=254)


def login_form(form_id: str, on_submit: EventType[dict[str, Any]]) -> rx.Component:
    return _form(
        on_submit,
        t("Log in"),
        _email(form_id),
        _password(form_id, t("Password"), "password", autocomplete="current-password"),
    )


def register_form(
    form_id: str, on_submit: EventType[dict[str, Any]], with_code: bool
) -> rx.Component:
    fields = [
        _field(form_id, t("Full name"), "name", autocomplete="name", max_length=120),
        _email(form_id),
        _field(
            form_id,
            t("Mobile number"),
            "phone",
            type_="tel",
            placeholder="+91 98450 12345",
            autocomplete="tel",
            max_length=20,
        ),
        _password(form_id, t("Password"), "password", autocomplete="new-password"),
        rx.text(
            t("At least 8 characters with upper and lower case letters, a digit and a symbol."),
            size="1",
            color_scheme="gray",
        ),
        _password(form_id, t("Confirm password"), "confirm_password", autocomplete="new-password"),
    ]
    if with_code:
        fields.append(_password(form_id, t("Admin code"), "admin_code", max_length=100))
    return _form(on_submit, t("Create account"), *fields)
