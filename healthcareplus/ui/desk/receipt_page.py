"""/desk/receipts/<appointment>: the receipt of a fee paid at the clinic, ready to print."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.desk.layout import desk_shell
from healthcareplus.ui.desk.receipt_state import DeskReceiptState as S
from healthcareplus.ui.shared.layout import page_title, record_body
from healthcareplus.ui.shared.registry import Page

R = S.receipt


def _line(label: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _receipt() -> rx.Component:
    return rx.card(
        rx.vstack(
            page_title("Receipt"),
            rx.text(R["hospital"], weight="bold"),
            rx.text(R["hospital_address"], size="2", color_scheme="gray"),
            rx.data_list.root(
                _line("Receipt number", R["number"]),
                _line("Paid", R["paid_at"]),
                _line("Patient", R["patient"]),
                rx.cond(R["for_name"] != "", _line("Visit for", R["for_name"])),
                _line("Doctor", R["doctor"]),
                _line("Visit", R["visit"]),
                _line("Paid by", R["method"]),
                _line("Amount", R["amount"]),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                data_testid="receipt",
            ),
            rx.button(
                rx.icon("printer"),
                "Print",
                on_click=rx.call_script("window.print()"),
                class_name="no-print",
            ),  # fmt: skip
            spacing="3",
            width="100%",
        ),
        width="100%",
        max_width="560px",
    )


def desk_receipt_page() -> rx.Component:
    missing = ("Receipt", "Back to the front desk", routes.DESK)
    return desk_shell(record_body(S, missing, _receipt()))


PAGES = [Page(desk_receipt_page, routes.DESK_RECEIPT, "Receipt", [S.load])]
