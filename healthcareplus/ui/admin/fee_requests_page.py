"""Admin: doctors' fee change requests waiting for a decision."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.fee_requests_state import AdminFeeRequestsState as S
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.dialogs import confirm_dialog, dialog, dialog_buttons, reason_form
from healthcareplus.ui.shared.forms import field_error
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

COLUMNS = ("Doctor", "Hospital", "Current fee", "Requested fee", "Reason", "Asked on", "Actions")


def _approve(row: RowVar) -> rx.Component:
    return confirm_dialog(
        rx.button(t("Approve"), size="1"),
        rx.fragment("Change the fee of ", row["doctor"], " to ", row["requested"], "?"),
        "New bookings use the new fee at once; visits already booked keep theirs.",
        "Back",
        rx.button(t("Approve fee"), on_click=S.approve(row["id"])),
        size="3",
        max_width="460px",
    )


def _decline(row: RowVar) -> rx.Component:
    form = reason_form(
        "Note for the doctor",
        "decline-note",
        S.decline,
        field_error(S.decline_errors, "reason"),
        dialog_buttons(
            "Back", rx.button(t("Decline"), type="submit", color_scheme="red"), alert=True
        ),
        stack={"margin_top": "1em"},
    )
    return rx.fragment(
        rx.button(
            t("Decline"),
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=S.open_decline(row["id"]),
        ),
        dialog(
            ("Decline the fee change of ", row["doctor"], "?"),
            "The doctor keeps the current fee and reads your note.",
            form,
            alert=True,
            shown=S.declining == row["id"],
            on_open_change=S.decline_dialog_changed,
            text_size=None,
            max_width="460px",
        ),
    )


def _row(row: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.text(row["doctor"], weight="medium"), data_testid="fee-request-doctor"),
        rx.table.cell(row["hospital"]),
        rx.table.cell(row["current"]),
        rx.table.cell(rx.text(row["requested"], weight="bold"), data_testid="fee-requested"),
        rx.table.cell(row["reason"]),
        rx.table.cell(row["asked"], white_space="nowrap"),
        rx.table.cell(rx.hstack(_approve(row), _decline(row), spacing="2")),
        data_testid="fee-request-row",
    )


def fee_requests_page() -> rx.Component:
    table = scroll_table(header_row(*COLUMNS), rx.foreach(S.rows, _row))
    empty = empty_block(
        t("No fee change is waiting"),
        t("Doctors ask for a new consultation fee from their profile; requests appear here."),
        icon="receipt-indian-rupee",
    )
    return admin_shell(
        "Fee requests",
        list_body(S.loaded, S.rows, table, empty),
        intro="Doctors' requests to change their consultation fee, oldest first.",
    )


PAGES = [Page(fee_requests_page, routes.ADMIN_FEE_REQUESTS, "Fee requests", [S.load])]
