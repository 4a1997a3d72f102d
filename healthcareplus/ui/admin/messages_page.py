"""Admin messages: every message written (in the app, email, SMS), its status and
attempts, filtered by status and channel, with "Send again" for failed ones."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.notifications.message_log import CHANNELS, STATUSES
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.messages_components import letters_to_write
from healthcareplus.ui.admin.messages_state import AdminMessagesState as S
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

COLUMNS = ("Written", "To", "Channel", "Message", "Status", "Actions")
STATUS_COLOURS = {
    "sent": "green",
    "queued": "blue",
    "recorded": "amber",
    "kept": "gray",
    "skipped": "gray",
}


def _choice(label: str, name: str, options: tuple[str, ...], value: rx.Var[str]) -> rx.Component:
    select = rx.el.select(
        rx.el.option(t("Any"), value=""),
        *(rx.el.option(option.replace("_", "-"), value=option) for option in options),
        id=f"messages-{name}",
        name=name,
        default_value=value,
        class_name="rt-reset",
        style={"height": "36px", "width": "100%"},
    )
    return labelled(label, f"messages-{name}", select)


def _filters() -> rx.Component:
    fields = rx.grid(
        _choice("Status", "status", STATUSES, S.status),
        _choice("Channel", "channel", CHANNELS, S.channel),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    button = rx.button(rx.icon("filter", size=16), t("Apply filters"), type="submit")
    form = stacked_form(fields, button, spacing="3", key=S.status + S.channel, on_submit=S.apply)
    return rx.card(form, width="100%")


def _counts() -> rx.Component:
    return rx.hstack(
        *(
            rx.badge(status, ": ", S.counts[status], variant="soft", data_testid=f"count-{status}")
            for status in STATUSES
        ),
        wrap="wrap",
        spacing="2",
    )


def _row(row: RowVar) -> rx.Component:
    status = rx.match(
        row["status"],
        *((name, rx.badge(name, color_scheme=colour)) for name, colour in STATUS_COLOURS.items()),
        rx.badge(row["status"], color_scheme="red"),
    )
    retry = rx.cond(
        row["can_retry"] == "true",
        rx.button(t("Send again"), size="1", variant="soft", on_click=S.retry(row["id"])),
        rx.fragment(),
    )
    return labelled_row(
        COLUMNS,
        rx.table.cell(rx.text(row["when_label"], size="2"), white_space="nowrap"),
        rx.table.cell(rx.text(row["recipient"], size="2")),
        rx.table.cell(rx.text(row["channel"], size="2")),
        rx.table.cell(
            rx.vstack(
                rx.text(row["subject"], size="2", weight="medium"),
                rx.text(row["last_error"], size="1", color_scheme="red"),
                spacing="0",
            ),
            min_width="240px",
        ),
        rx.table.cell(rx.hstack(status, rx.text("×", row["attempts"], size="1"), spacing="1")),
        rx.table.cell(retry),
        data_testid="message-row",
    )


def _pager() -> rx.Component:
    total = rx.text(S.total, t(" messages · page "), S.page, " of ", S.pages, size="2")
    return newer_older_pager(total, S.page, S.pages, S.go_to_page)


def admin_messages_page() -> rx.Component:
    table = scroll_table(header_row(*COLUMNS), rx.foreach(S.rows, _row))
    return admin_shell(
        "Messages",
        _counts(),
        letters_to_write(),
        _filters(),
        list_body(
            S.loaded,
            S.rows,
            rx.vstack(table, _pager(), spacing="3", width="100%"),
            empty_block(t("No messages"), t("Nothing matches these filters."), icon="mail"),
        ),
        intro="Everything the app told patients and doctors, newest first. Kept: no sender "
        "is configured for its channel (e.g. no email server), so it is only in the app. "
        "Recorded: taken by the development text provider; it reached no phone.",
    )


PAGES = [Page(admin_messages_page, routes.ADMIN_MESSAGES, "Messages", [S.load])]
