"""Payment page parts: the hold countdown, the method picker and each method's fields."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core.i18n import N_
from healthcareplus.domain.payments.methods import BANKS, UPI_APPS, WALLETS
from healthcareplus.ui.patient.payment_state import PaymentState as S
from healthcareplus.ui.shared.forms import select_field, text_field
from healthcareplus.ui.shared.i18n import t

E = S.errors
METHOD_LABELS = (
    ("upi", "UPI"),
    ("card", N_("Card")),
    ("netbanking", N_("Net Banking")),
    ("wallet", N_("Wallet")),
    ("pay_at_clinic", N_("Pay at Clinic")),
)


def countdown(deadline: Var[str], left: Var[str]) -> rx.Component:
    """mm:ss until ``deadline`` (ISO instant): ``left`` as the server worked it out, then
    ticked in the browser by assets/countdown.js."""
    return rx.el.span(
        left,
        data_deadline=deadline,
        data_testid="hold-countdown",
        style={"fontVariantNumeric": "tabular-nums", "fontWeight": "700"},
    )


def method_picker() -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                t(label),
                type="button",
                variant=rx.cond(S.method == value, "solid", "outline"),
                on_click=S.choose_method(value),
                aria_pressed=S.method == value,
            )
            for value, label in METHOD_LABELS
        ],
        wrap="wrap",
        spacing="2",
        role="group",
        aria_label=t("Payment method"),
    )


def method_fields() -> rx.Component:
    fid = "pay"
    return rx.match(
        S.method,
        (
            "upi",
            rx.vstack(
                select_field(
                    t("UPI app"), "upi_app", E, list(UPI_APPS), form_id=fid, placeholder=t("Any")
                ),
                text_field(
                    t("UPI ID"),
                    "upi_vpa",
                    E,
                    form_id=fid,
                    placeholder="name@okbank",
                    required=True,
                    max_length=100,
                ),
                width="100%",
            ),
        ),
        (
            "card",
            rx.vstack(
                text_field(
                    t("Card number"),
                    "card_number",
                    E,
                    form_id=fid,
                    autocomplete="cc-number",
                    placeholder="1234 5678 9012 3456",
                    required=True,
                    max_length=23,
                ),
                rx.grid(
                    text_field(
                        t("Expiry (MM/YY)"),
                        "card_expiry",
                        E,
                        form_id=fid,
                        autocomplete="cc-exp",
                        placeholder="08/28",
                        required=True,
                        max_length=5,
                    ),
                    text_field(
                        t("CVV"),
                        "card_cvv",
                        E,
                        form_id=fid,
                        type_="password",
                        autocomplete="cc-csc",
                        required=True,
                        max_length=4,
                    ),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                text_field(
                    t("Name on card"),
                    "card_name",
                    E,
                    form_id=fid,
                    autocomplete="cc-name",
                    required=True,
                    max_length=60,
                ),
                width="100%",
            ),
        ),
        (
            "netbanking",
            select_field(
                t("Bank"), "bank", E, list(BANKS), form_id=fid, placeholder=t("Choose your bank")
            ),
        ),
        (
            "wallet",
            select_field(
                t("Wallet"),
                "wallet",
                E,
                list(WALLETS),
                form_id=fid,
                placeholder=t("Choose a wallet"),
            ),
        ),
        rx.text(
            t(
                "Pay the fee at the hospital's reception before your consultation. Your slot "
                "is confirmed now."
            ),
            color_scheme="gray",
        ),
    )
