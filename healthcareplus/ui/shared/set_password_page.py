"""Setting a password with an emailed single-use link (a new doctor's invitation): whose
account it is, the new password twice, then the way to sign in; or why the link cannot
be used."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.forms import form_alert, password_field, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import loading_block, page_shell
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.set_password_state import DONE, READY, UNUSABLE
from healthcareplus.ui.shared.set_password_state import SetPasswordState as S

FORM_ID = "set-password"
STRENGTH_HINT = N_("At least 8 characters with upper and lower case letters, a digit and a symbol.")


def _password(label: str, name: str) -> rx.Component:
    return password_field(t(label), name, S.errors, form_id=FORM_ID, required=True)


def _form() -> rx.Component:
    return rx.vstack(
        rx.text(
            t("Choose the password for "),
            rx.text.strong(S.name, data_testid="link-holder"),
            " (",
            rx.code(S.masked_email),
            ").",
        ),
        stacked_form(
            _password(N_("New password"), "password"),
            rx.text(t(STRENGTH_HINT), size="1", color_scheme="gray"),
            _password(N_("Confirm new password"), "confirm_password"),
            form_alert(S.message),
            rx.button(t("Set password"), type="submit", size="3", width="100%"),
            on_submit=S.set_password,
        ),
        spacing="4",
        width="100%",
    )


def _done() -> rx.Component:
    return rx.vstack(
        rx.callout(
            t("Your password has been set. Sign in with your email address and the new password."),
            icon="circle-check",
            color_scheme="green",
            role="status",
            width="100%",
            data_testid="password-set",
        ),
        rx.link(rx.button(t("Sign in"), size="3", width="100%"), href=S.sign_in_url, width="100%"),
        spacing="4",
        width="100%",
    )


def _unusable() -> rx.Component:
    return rx.vstack(
        rx.callout(
            S.problem,
            icon="link-2-off",
            color_scheme="amber",
            role="alert",
            width="100%",
            data_testid="link-unusable",
        ),
        rx.link(t("Go to sign in"), href=routes.LOGIN, size="2"),
        spacing="4",
        width="100%",
    )


def set_password_page() -> rx.Component:
    return page_shell(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading(t("Set your password"), size="6", as_="h1"),
                    rx.match(
                        S.phase,
                        (READY, _form()),
                        (DONE, _done()),
                        (UNUSABLE, _unusable()),
                        loading_block(t("Checking your link…")),
                    ),
                    spacing="4",
                    width="100%",
                ),
                width="100%",
                max_width="480px",
                size="3",
            ),
            width="100%",
        ),
        max_width="720px",
    )


PAGES = [Page(set_password_page, routes.SET_PASSWORD, N_("Set your password"), [S.load])]
