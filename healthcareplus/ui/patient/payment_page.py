"""Payment page: hold countdown, five methods with their forms, failure and retry."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.payment_components import countdown, method_fields, method_picker
from healthcareplus.ui.patient.payment_state import PaymentState as S
from healthcareplus.ui.shared.cards import titled_card
from healthcareplus.ui.shared.forms import form_alert, stacked_form
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.layout import page_title, record_shell, sections
from healthcareplus.ui.shared.registry import Page

A = S.appointment


def _pay_form() -> rx.Component:
    pay = rx.cond(
        S.method == "pay_at_clinic",
        t("Confirm booking"),
        rx.cond(
            S.failure != "",
            t("Try again: pay {fee}", fee=A["fee_label"]),
            t("Pay {fee}", fee=A["fee_label"]),
        ),
    )
    return stacked_form(
        method_picker(),
        method_fields(),
        form_alert(S.message),
        rx.button(pay, type="submit", size="3", loading=S.busy, width="100%"),
        spacing="4",
        key=S.method,
        on_submit=S.pay,
    )


def _awaiting() -> rx.Component:
    """A request its doctor has not accepted yet: nothing to pay, only to wait."""
    return rx.vstack(
        rx.callout(
            rx.vstack(
                rx.text(
                    t(
                        "This booking is waiting for the doctor to accept it. We will tell you "
                        "when you can pay."
                    )
                ),
                rx.text(t("Answer by {time}", time=A["answer_by"]), size="2"),
            ),
            icon="hourglass",
            color_scheme="amber",
            role="status",
            width="100%",
            data_testid="awaiting-doctor",
        ),
        rx.link(
            rx.button(t("View the booking"), variant="soft"),
            href="/appointments/" + A["id"],
        ),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    failed = rx.callout(
        rx.vstack(
            rx.text(t("Payment failed: {reason}", reason=S.failure)),
            rx.text(t("Try again below, choose another method, or cancel the booking."), size="2"),
        ),
        icon="circle-x",
        color_scheme="red",
        role="alert",
        width="100%",
        data_testid="payment-failure",
    )
    held = rx.callout(
        rx.text(
            t("Your slot is held for "),
            countdown(A["hold_deadline"], A["hold_left"]),
            t(". Complete the payment before it runs out."),
        ),
        icon="timer",
        color_scheme="amber",
        width="100%",
    )
    waiting = A["awaiting_doctor"] == "true"
    return sections(
        page_title(t("Payment")),
        rx.cond(waiting, _awaiting(), held),
        titled_card(
            A["doctor_name"],
            rx.text(
                catalog_label(A["specialization"]), " · ", A["hospital_name"], ", ", A["city_name"]
            ),
            rx.text(
                t("{date} at {time}", date=A["date_label"], time=A["time_label"]), weight="bold"
            ),
            rx.text(t("Fee: "), rx.text.strong(A["fee_label"])),
            rx.text(A["refund_terms"], size="2", color_scheme="gray", data_testid="refund-terms"),
            spacing="1",
        ),
        rx.cond(S.failure != "", failed),
        rx.cond(waiting, rx.fragment(), rx.card(_pay_form(), width="100%")),
        rx.button(t("Cancel booking"), variant="ghost", color_scheme="red", on_click=S.abandon),
    )


def payment_page() -> rx.Component:
    missing = (N_("Booking"), N_("My appointments"), routes.APPOINTMENTS)
    return record_shell(S, missing, _content(), max_width="720px")


PAGES = [Page(payment_page, routes.PAY, N_("Payment"), [S.load])]
