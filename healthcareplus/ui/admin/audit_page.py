"""Admin audit log: who did what, when and why; filtered and paginated on the server."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.audit_state import AdminAuditState as S
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.layout import empty_block, loading_block
from healthcareplus.ui.shared.registry import Page

F = S.filters
COLUMNS = ("When", "Who", "Action", "Appointment", "Reason", "Details")


def _field(label: str, name: str, type_: str = "text", **props: object) -> rx.Component:
    input_id = f"audit-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "14px"}),
        rx.input(id=input_id, name=name, type=type_, default_value=F[name], width="100%", **props),
        spacing="1",
        width="100%",
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.form(
            rx.grid(
                _field("Who (name or email)", "actor", max_length=100),
                _field("Appointment id", "appointment", max_length=36, placeholder="e.g. 3f2a9c1b"),
                _field("From", "from", type_="date"),
                _field("To", "to", type_="date"),
                columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.button(rx.icon("filter", size=16), "Apply filters", type="submit"),
                rx.button("Clear", type="button", variant="soft", on_click=S.clear),
                spacing="2",
                margin_top="1em",
            ),
            on_submit=S.apply,
            key=S.filter_key,
            reset_on_submit=False,
        ),
        width="100%",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
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


def _table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(*(rx.table.column_header_cell(c) for c in COLUMNS)),
            ),
            rx.table.body(rx.foreach(S.rows, _row)),
            variant="surface",
            size="2",
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text(
            S.total,
            " entries · page ",
            S.page,
            " of ",
            S.pages,
            size="2",
            data_testid="audit-total",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16),
            "Newer",
            variant="soft",
            disabled=S.page <= 1,
            on_click=S.go_to_page(S.page - 1),
        ),
        rx.button(
            "Older",
            rx.icon("chevron-right", size=16),
            variant="soft",
            disabled=S.page >= S.pages,
            on_click=S.go_to_page(S.page + 1),
        ),
        width="100%",
        align="center",
        wrap="wrap",
        spacing="2",
    )


def admin_audit_page() -> rx.Component:
    return admin_shell(
        "Audit log",
        rx.text(
            "Every booking, payment and admin action, newest first. Times are India Standard Time.",
            color_scheme="gray",
        ),
        _filters(),
        rx.cond(
            S.loaded,
            rx.cond(
                S.rows.length() > 0,
                rx.vstack(_table(), _pager(), spacing="3", width="100%"),
                empty_block("No entries", "Nothing matches these filters.", icon="scroll-text"),
            ),
            loading_block(),
        ),
    )


PAGES = [Page(admin_audit_page, routes.ADMIN_AUDIT, "Audit log", [S.load])]
