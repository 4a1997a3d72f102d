"""The dashboard's "Needs attention" card: the visits to close, with the row actions of
the appointment table (mark a no-show, cancel, refund, mark paid)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.admin.attention_state import AdminAttentionState as S
from healthcareplus.ui.admin.dashboard_components import pager
from healthcareplus.ui.admin.dashboard_table_components import HEADS, table_row
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.tables import header_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar


def attention_row(item: RowVar) -> rx.Component:
    return table_row(item, "attention-row")


def attention_card() -> rx.Component:
    """Shown only while some visit is waiting to be closed."""
    table = scroll_table(
        header_row(*HEADS),
        rx.foreach(S.items, attention_row),
        variant=None,
        size="1",
    )
    return rx.cond(
        S.total > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("triangle-alert", size=18, color=rx.color("amber", 11)),
                    rx.heading(t("Needs attention"), size="4", as_="h2"),
                    rx.badge(S.total, color_scheme="amber", data_testid="attention-count"),
                    align="center",
                    spacing="2",
                ),
                rx.text(
                    t(
                        "Visits whose time has come that are still open: the doctor completes "
                        "them, or mark a no-show."
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                table,
                rx.cond(S.pages > 1, pager(S.page, S.pages, S.show_page, "attention")),
                width="100%",
            ),
            width="100%",
            data_testid="attention-card",
        ),
    )
