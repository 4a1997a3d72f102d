"""The webhooks page's parts: the once-shown secret, the form adding an endpoint, the
endpoints table and one endpoint's recent delivery attempts."""

from __future__ import annotations

import reflex as rx

from healthcareplus.domain.notifications.webhooks import EVENTS
from healthcareplus.ui.admin.webhooks_state import AdminWebhooksState as S
from healthcareplus.ui.admin.webhooks_state import event_field
from healthcareplus.ui.shared.forms import field_error, stacked_form, text_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table
from healthcareplus.ui.shared.typed import RowVar

ENDPOINT_COLUMNS = ("Address", "Events", "State", "Actions")
ATTEMPT_COLUMNS = ("When", "Event", "Delivery", "Answer", "Time", "Message")
FORM_ID = "webhook"


def secret_card() -> rx.Component:
    """The signing secret just made, with a copy button; shown this once."""
    card = rx.callout.root(
        rx.vstack(
            rx.text(t("Signing secret for "), rx.code(S.secret_url), size="2"),
            rx.hstack(
                rx.input(
                    value=S.secret,
                    read_only=True,
                    width="100%",
                    max_width="520px",
                    id="webhook-secret",
                    data_testid="webhook-secret",
                ),
                rx.button(
                    rx.icon("copy", size=14),
                    t("Copy"),
                    size="2",
                    variant="soft",
                    on_click=rx.set_clipboard(S.secret),
                ),
                width="100%",
                align="center",
            ),
            rx.text(
                t(
                    "It is shown only now. Your receiver checks each request's HCP-Signature "
                    "with it (see the API docs); rotating makes a new one."
                ),
                size="2",
            ),
            rx.button(
                t("I have copied it"), size="2", variant="outline", on_click=S.dismiss_secret
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        color_scheme="amber",
        width="100%",
    )
    return rx.cond(S.secret != "", card, rx.fragment())


def _event_box(name: str) -> rx.Component:
    return rx.checkbox(name, name=event_field(name), size="2")


def add_form() -> rx.Component:
    boxes = rx.flex(*(_event_box(name) for name in EVENTS), wrap="wrap", gap="3")
    form = stacked_form(
        text_field(
            t("Address (https://)"),
            "url",
            S.errors,
            form_id=FORM_ID,
            placeholder="https://example.in/hcp/webhooks",
            max_length=500,
            required=True,
        ),
        text_field(t("Description"), "description", S.errors, form_id=FORM_ID, max_length=200),
        rx.vstack(rx.text(t("Events"), size="2", weight="medium"), boxes, spacing="1"),
        field_error(S.errors, "events"),
        rx.button(rx.icon("plus", size=16), t("Add endpoint"), type="submit"),
        key=S.form_key,
        on_submit=S.create,
    )
    return rx.card(rx.heading(t("Add an endpoint"), size="3"), form, width="100%")


def _endpoint_row(row: RowVar) -> rx.Component:
    on = row["is_active"] == "true"
    return labelled_row(
        ENDPOINT_COLUMNS,
        rx.table.cell(
            rx.vstack(
                rx.text(row["url"], size="2", weight="medium", word_break="break-all"),
                rx.text(row["description"], size="1", color_scheme="gray"),
                spacing="0",
            ),
            min_width="240px",
        ),
        rx.table.cell(rx.text(row["events"], size="1")),
        rx.table.cell(
            rx.cond(on, rx.badge("on", color_scheme="green"), rx.badge("off", color_scheme="gray"))
        ),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    t("Deliveries"), size="1", variant="soft", on_click=S.show_attempts(row["id"])
                ),
                rx.button(
                    rx.cond(on, "Turn off", "Turn on"),
                    size="1",
                    variant="soft",
                    on_click=S.toggle(row["id"]),
                ),
                rx.button(
                    t("Rotate secret"), size="1", variant="soft", on_click=S.rotate(row["id"])
                ),
                spacing="2",
                wrap="wrap",
            )
        ),
        data_testid="webhook-row",
    )


def endpoints_table() -> rx.Component:
    return scroll_table(header_row(*ENDPOINT_COLUMNS), rx.foreach(S.rows, _endpoint_row))


def _attempt_row(row: RowVar) -> rx.Component:
    ok = row["error"] == ""
    return labelled_row(
        ATTEMPT_COLUMNS,
        rx.table.cell(rx.text(row["when"], size="2"), white_space="nowrap"),
        rx.table.cell(rx.text(row["event"], size="2")),
        rx.table.cell(rx.code(row["delivery_id"], size="1")),
        rx.table.cell(
            rx.cond(
                ok,
                rx.badge(row["answer"], color_scheme="green"),
                rx.vstack(
                    rx.badge(row["answer"], color_scheme="red"),
                    rx.text(row["error"], size="1", color_scheme="red"),
                    spacing="0",
                ),
            )
        ),
        rx.table.cell(rx.text(row["duration_ms"], " ms", size="2")),
        rx.table.cell(rx.text(row["message_status"], " ×", row["message_attempts"], size="2")),
        data_testid="webhook-attempt-row",
    )


def attempts_block() -> rx.Component:
    table = scroll_table(header_row(*ATTEMPT_COLUMNS), rx.foreach(S.attempts, _attempt_row))
    body = rx.cond(
        S.attempts.length() > 0,
        table,
        rx.text(t("No delivery attempts yet."), size="2", color_scheme="gray"),
    )
    block = rx.card(
        rx.vstack(
            rx.heading(t("Recent deliveries to "), rx.code(S.chosen_url), size="3"),
            body,
            spacing="2",
            width="100%",
        ),
        width="100%",
    )
    return rx.cond(S.chosen != "", block, rx.fragment())
