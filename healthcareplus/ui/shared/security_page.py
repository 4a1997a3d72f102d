"""Account security (every signed-in role): the devices signed in to the account, and
changing the password."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.cards import section_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.forms import form_alert, password_field, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import titled_page, when_loaded
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.security_state import SecurityState as S
from healthcareplus.ui.shared.typed import RowVar

FORM_ID = "change-password"


def _device(d: RowVar) -> rx.Component:
    current = d["is_current"] == "true"
    sign_out = rx.button(
        t("Sign out"),
        size="2",
        variant="soft",
        color_scheme="red",
        on_click=S.sign_out_device(d["id"]),
        aria_label=t("Sign out {device}", device=d["device"]),
        data_testid="sign-out-device",
    )
    return rx.hstack(
        rx.icon("monitor-smartphone", size=20, color=rx.color("gray", 10)),
        rx.vstack(
            rx.hstack(
                rx.text(d["device"], weight="medium", data_testid="device-name"),
                rx.cond(
                    current,
                    rx.badge(t("This device"), color_scheme="teal", data_testid="this-device"),
                ),
                align="center",
                wrap="wrap",
            ),
            rx.text(t("Signed in {when}", when=d["signed_in"]), size="1", color_scheme="gray"),
            rx.text(t("Last seen {when}", when=d["last_seen"]), size="1", color_scheme="gray"),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(current, rx.fragment(), sign_out),
        align="center",
        width="100%",
        padding_y="0.5em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="device-row",
    )


def _sign_out_everywhere() -> rx.Component:
    return confirm_dialog(
        rx.button(
            rx.icon("log-out"),
            t("Sign out everywhere"),
            color_scheme="red",
            variant="outline",
            data_testid="sign-out-everywhere",
        ),
        t("Sign out everywhere?"),
        t("Every device, this one included, will have to sign in again."),
        t("Cancel"),
        rx.button(t("Sign out everywhere"), color_scheme="red", on_click=S.sign_out_everywhere),
    )


def _devices() -> rx.Component:
    return section_card(
        t("Your devices"),
        t("Browsers signed in to your account. Sign out any you do not recognise."),
        when_loaded(S.loaded, rx.vstack(rx.foreach(S.devices, _device), spacing="0", width="100%")),
        _sign_out_everywhere(),
        data_testid="devices",
    )


def _password(label: str, name: str, autocomplete: str) -> rx.Component:
    return password_field(
        t(label), name, S.errors, form_id=FORM_ID, autocomplete=autocomplete, required=True
    )


def _change_password() -> rx.Component:
    return section_card(
        t("Change password"),
        t(
            "At least 8 characters with upper and lower case, a digit and a symbol. Every "
            "other device is signed out; this one stays signed in."
        ),
        stacked_form(
            _password(N_("Current password"), "current_password", "current-password"),
            _password(N_("New password"), "new_password", "new-password"),
            _password(N_("Confirm new password"), "confirm_password", "new-password"),
            form_alert(S.message),
            rx.button(t("Change password"), type="submit"),
            key=S.form_key,
            on_submit=S.change_password,
        ),
    )


def _first_password() -> rx.Component:
    return rx.cond(
        S.must_change,
        rx.callout(
            t(
                "Your password was chosen for you and works only once: choose your own "
                "below (the current password is the one you were given)."
            ),
            icon="key-round",
            color_scheme="amber",
            role="status",
            width="100%",
            data_testid="must-change-password",
        ),
    )


def security_page() -> rx.Component:
    return titled_page(
        t("Account security"),
        _first_password(),
        _devices(),
        _change_password(),
        intro=t("Where you are signed in, and your password."),
        max_width="820px",
    )


PAGES = [Page(security_page, routes.ACCOUNT_SECURITY, N_("Account security"), [S.load])]
