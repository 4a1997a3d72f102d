"""Admin audit log: who did what, when and why; filtered and paginated on the server."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.audit_state import AdminAuditState as S
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.forms import labelled, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_block, list_body
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.tables import (
    header_row,
    labelled_row,
    newer_older_pager,
    scroll_table,
)
from healthcareplus.ui.shared.typed import RowVar

F = S.filters
COLUMNS = ("When", "Who", "Action", "Appointment", "Reason", "Details")


def _field(label: str, name: str, type_: str = "text", **props: object) -> rx.Component:
    input_id = f"audit-{name}"
    control = rx.input(
        id=input_id, name=name, type=type_, default_value=F[name], width="100%", **props
    )
    return labelled(label, input_id, control)


def _filters() -> rx.Component:
    fields = rx.grid(
        _field("Who (name or email)", "actor", max_length=100),
        _field("Appointment id", "appointment", max_length=36, placeholder="e.g. 3f2a9c1b"),
        _field("From", "from", type_="date"),
        _field("To", "to", type_="date"),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="3",
        width="100%",
    )
    buttons = rx.hstack(
        rx.button(rx.icon("filter", size=16), t("Apply filters"), type="submit"),
        rx.button(t("Clear"), type="button", variant="soft", on_click=S.clear),
        spacing="2",
    )
    form = stacked_form(fields, buttons, spacing="4", key=S.filter_key, on_submit=S.apply)
    return rx.card(form, width="100%")


def _row(row: RowVar) -> rx.Component:
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.text(row["when_label"], size="2"), white_space="nowrap"),
        rx.table.cell(
            rx.vstack(
                rx.text(row["actor_name"], size="2", weight="medium"),
                rx.text(row["actor_role"], size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(rx.badge(row["action_label"], variant="soft"), data_testid="audit-action"),
        rx.table.cell(
            rx.cond(
                row["short_id"] != "",
                rx.code(row["short_id"], size="1"),
                rx.text("—", color_scheme="gray"),
            ),
            title=row["appointment_id"],
        ),
        rx.table.cell(rx.text(row["reason"], size="2"), min_width="160px"),
        rx.table.cell(rx.text(row["details"], size="1", color_scheme="gray"), min_width="200px"),
        data_testid="audit-row",
    )


def _pager() -> rx.Component:
    total = rx.text(
        S.total, t(" entries · page "), S.page, " of ", S.pages, size="2", data_testid="audit-total"
    )
    return newer_older_pager(total, S.page, S.pages, S.go_to_page)


def admin_audit_page() -> rx.Component:
    table = scroll_table(header_row(*COLUMNS), rx.foreach(S.rows, _row))
    return admin_shell(
        "Audit log",
        _filters(),
        list_body(
            S.loaded,
            S.rows,
            rx.vstack(table, _pager(), spacing="3", width="100%"),
            empty_block(t("No entries"), t("Nothing matches these filters."), icon="scroll-text"),
        ),
        intro="Every booking, payment and admin action, newest first. Times are India Standard "
        "Time.",
    )


PAGES = [Page(admin_audit_page, routes.ADMIN_AUDIT, "Audit log", [S.load])]
