"""The notification preferences card: a grid of ticks, what (rows) by channel (columns)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.forms import saved_note, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.notification_preferences_state import (
    NotificationPreferencesState as S,
)
from healthcareplus.ui.shared.tables import header_row, labelled_row, scroll_table

# (channel, column heading, how a box's accessible name says it: "Reminders by SMS")
CHANNELS = (
    ("in_app", "In the app", "in the app"),
    ("email", "Email", "by email"),
    ("sms", "SMS", "by SMS"),
    ("whatsapp", "WhatsApp", "by WhatsApp"),
)
KINDS = (
    (
        "updates",
        N_("Confirmations and changes"),
        N_("Booked, moved, cancelled, completed, refunds"),
    ),
    ("reminders", N_("Reminders"), N_("Before each visit")),
)
COLUMNS = ("Messages", *(heading for _, heading, _ in CHANNELS))


def _tick(kind: str, channel: str, how: str, kind_label: str) -> rx.Component:
    name = f"{kind}_{channel}"
    if kind == "updates" and channel == "in_app":  # the centre is the record: always on
        always = rx.el.input(
            type="checkbox",
            default_checked=True,
            disabled=True,
            aria_label=f"{kind_label} {how} (always)",
        )
        return rx.table.cell(always)
    return rx.table.cell(
        rx.el.input(
            type="checkbox",
            name=name,
            id=f"pref-{name}",
            default_checked=S.choices[name],
            aria_label=f"{kind_label} {how}",
            aria_invalid=rx.cond(S.errors.contains(name), "true", "false"),
        ),
        rx.cond(
            S.errors.contains(name),
            rx.text(S.errors[name], size="1", color_scheme="red", role="alert"),
        ),
    )


def _grid() -> rx.Component:
    rows = (
        labelled_row(
            COLUMNS,
            rx.table.row_header_cell(
                rx.text(t(label), weight="medium"),
                rx.text(t(hint), size="1", color_scheme="gray"),
            ),
            *(_tick(kind, channel, how, label) for channel, _, how in CHANNELS),
        )
        for kind, label, hint in KINDS
    )
    return scroll_table(header_row(*COLUMNS), *rows, size="1")


def _notes() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ~S.has_phone,
            rx.text(t("Add a mobile number to your profile to get texts."), size="2"),
        ),
        rx.cond(
            S.texts_recorded_only,
            rx.text(
                t(
                    "SMS and WhatsApp are not connected in this installation yet: texts are "
                    "recorded for testing, not sent to your phone."
                ),
                size="2",
                color_scheme="amber",
                data_testid="texts-recorded-note",
            ),
        ),
        spacing="1",
    )


def notification_preferences_card() -> rx.Component:
    """The card; its state loads with the page (``S.load``)."""
    form = stacked_form(
        rx.heading(t("Notifications"), size="4", as_="h2", id="notification-preferences"),
        rx.text(
            t(
                "News about your appointments always appears in the app. Choose where else it "
                "goes, and where reminders reach you."
            ),
            size="2",
            color_scheme="gray",
        ),
        _grid(),
        _notes(),
        saved_note(S.saved_message),
        rx.button(t("Save notification choices"), type="submit", size="2"),
        key=S.form_key,
        on_submit=S.save,
        aria_labelledby="notification-preferences",
    )
    return rx.card(rx.cond(S.loaded, form, rx.spinner()), width="100%", size="3")


__all__ = ["notification_preferences_card"]
