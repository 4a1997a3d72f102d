"""Admin: the accounts in sign-in back-off, each with a "Clear lock" button."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.sign_in_locks_state import AdminSignInLocksState as S
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

COLUMNS = ("Account", "Failed sign-ins", "Clients", "Last failure", "Locked until", "Actions")


def _clear_button(row: RowVar) -> rx.Component:
    return confirm_dialog(
        rx.button(rx.icon("lock-keyhole-open", size=14), t("Clear lock"), size="1", variant="soft"),
        rx.fragment("Clear the sign-in lock of ", row["email"], "?"),
        "Its failed sign-ins are deleted, so every device may try to sign in to this account "
        "again at once. Do this when the owner has confirmed who they are.",
        "Back",
        rx.button(t("Clear lock"), color_scheme="red", on_click=S.clear_lock(row["email"])),
        size="3",
        max_width="460px",
    )


def _row(row: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.text(row["email"], weight="medium"), data_testid="lock-email"),
        rx.table.cell(row["failures"], data_testid="lock-failures"),
        rx.table.cell(row["clients"]),
        rx.table.cell(row["last_failure"], white_space="nowrap"),
        rx.table.cell(row["locked_until"], white_space="nowrap", data_testid="lock-until"),
        rx.table.cell(_clear_button(row)),
        data_testid="lock-row",
    )


def sign_in_locks_page() -> rx.Component:
    table = scroll_table(header_row(*COLUMNS), rx.foreach(S.rows, _row))
    refresh = rx.button(
        rx.icon("refresh-cw", size=16), t("Refresh"), variant="soft", on_click=S.load
    )
    empty = empty_block(
        t("No account is locked out"),
        t("Accounts appear here while failed sign-ins make them wait."),
        icon="lock-keyhole-open",
    )
    return admin_shell(
        "Sign-in locks",
        rx.hstack(refresh, justify="end", width="100%"),
        list_body(S.loaded, S.rows, table, empty),
        intro="After repeated failed sign-ins a device must wait (30 seconds, doubling with "
        "each further failure). A device that signed in to the account before is never "
        "held back by other devices' failures. Times are India Standard Time.",
    )


PAGES = [Page(sign_in_locks_page, routes.ADMIN_SIGN_IN_LOCKS, "Sign-in locks", [S.load])]
