"""Payment page: hold countdown, five methods with their forms, failure and retry."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.payments import checkout as payments
from healthcareplus.ui.patient.payment_state import PaymentState as S
from healthcareplus.ui.shared.cards import not_found_block
from healthcareplus.ui.shared.forms import form_alert, select_field, text_field
from healthcareplus.ui.shared.layout import loading_block, page_shell
from healthcareplus.ui.shared.registry import Page

A, E = S.appointment, S.errors
METHOD_LABELS = (
    ("upi", "UPI"),
    ("card", "Card"),
    ("netbanking", "Net Banking"),
    ("wallet", "Wallet"),
    ("pay_at_clinic", "Pay at Clinic"),
)


def countdown(deadline: rx.Var) -> rx.Component:
    """mm:ss until ``deadline`` (ISO instant), ticked in the browser by assets/countdown.js."""
    return rx.el.span(
        "--:--",
        data_deadline=deadline,
        data_testid="hold-countdown",
        style={"fontVariantNumeric": "tabular-nums", "fontWeight": "700"},
    )


def _method_picker() -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                label,
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
        aria_label="Payment method",
    )


def _fields() -> rx.Component:
    fid = "pay"
    return rx.match(
        S.method,
        (
            "upi",
            rx.vstack(
                select_field(
                    "UPI app", "upi_app", E, list(payments.UPI_APPS), form_id=fid, placeholder="Any"
                ),
                text_field(
                    "UPI ID",
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
                    "Card number",
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
                        "Expiry (MM/YY)",
                        "card_expiry",
                        E,
                        form_id=fid,
                        autocomplete="cc-exp",
                        placeholder="08/28",
                        required=True,
                        max_length=5,
                    ),
                    text_field(
                        "CVV",
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
                    "Name on card",
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
                "Bank", "bank", E, list(payments.BANKS), form_id=fid, placeholder="Choose your bank"
            ),
        ),
        (
            "wallet",
            select_field(
                "Wallet",
                "wallet",
                E,
                list(payments.WALLETS),
                form_id=fid,
                placeholder="Choose a wallet",
            ),
        ),
        rx.text(
            "Pay the fee at the hospital's reception before your consultation. Your slot "
            "is confirmed now.",
            color_scheme="gray",
        ),
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.heading("Payment", size="7", as_="h1"),
        rx.callout(
            rx.text(
                "Your slot is held for ",
                countdown(A["hold_deadline"]),
                ". Complete the payment before it runs out.",
            ),
            icon="timer",
            color_scheme="amber",
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading(A["doctor_name"], size="4", as_="h2"),
                rx.text(A["specialization"], " · ", A["hospital_name"], ", ", A["city_name"]),
                rx.text(A["date_label"], " at ", A["time_label"], weight="bold"),
                rx.text("Fee: ", rx.text.strong(A["fee_label"])),
                spacing="1",
            ),
            width="100%",
        ),
        rx.cond(
            S.failure != "",
            rx.callout(
                rx.vstack(
                    rx.text("Payment failed: ", S.failure),
                    rx.text(
                        "Try again below, choose another method, or cancel the booking.", size="2"
                    ),
                ),
                icon="circle-x",
                color_scheme="red",
                role="alert",
                width="100%",
                data_testid="payment-failure",
            ),
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    _method_picker(),
                    _fields(),
                    form_alert(S.message),
                    rx.button(
                        rx.cond(
                            S.method == "pay_at_clinic",
                            "Confirm booking",
                            rx.cond(S.failure != "", "Try again: pay ", "Pay ") + A["fee_label"],
                        ),
                        type="submit",
                        size="3",
                        loading=S.busy,
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                ),
                key=S.method,
                on_submit=S.pay,
                reset_on_submit=False,
                width="100%",
            ),
            width="100%",
        ),
        rx.button("Cancel booking", variant="ghost", color_scheme="red", on_click=S.abandon),
        spacing="4",
        width="100%",
    )


def payment_page() -> rx.Component:
    return page_shell(
        rx.cond(
            S.loaded,
            rx.cond(
                S.not_found,
                not_found_block("Booking", "My appointments", routes.APPOINTMENTS),
                _content(),
            ),
            loading_block(),
        ),
        max_width="720px",
    )


PAGES = [
    Page(payment_page, routes.PAY, "Payment", [S.load]),
]
