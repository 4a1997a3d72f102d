"""Forgot password: the email address, then "check your email"."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.auth_components import auth_card
from healthcareplus.ui.shared.forgot_password_state import ForgotPasswordState as S
from healthcareplus.ui.shared.forms import text_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.registry import Page

FORM_ID = "forgot-password"


def _request_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field(
                t("Email"),
                "email",
                S.errors,
                form_id=FORM_ID,
                required=True,
                type_="email",
                autocomplete="email",
                max_length=254,
            ),
            rx.button(t("Email me a link"), type="submit", size="3", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.send_link,
        reset_on_submit=False,
        width="100%",
    )


def _sent() -> rx.Component:
    return rx.callout(
        S.sent,
        icon="mail-check",
        color_scheme="green",
        role="status",
        width="100%",
        data_testid="reset-link-sent",
    )


def forgot_password_page() -> rx.Component:
    return auth_card(
        t("Forgot your password?"),
        t(
            "Enter the email address of your account and we will email you a link to choose "
            "a new password."
        ),
        rx.cond(S.sent != "", _sent(), _request_form()),
        rx.text(t("Remembered it? "), rx.link(t("Back to sign in"), href=routes.LOGIN), size="2"),
    )


PAGES = [Page(forgot_password_page, routes.FORGOT_PASSWORD, N_("Forgot password"), [S.load])]
