"""The doctor's time-off form (a day, days, hours or one slot) and the planned list."""

from __future__ import annotations

import reflex as rx

from healthcareplus.ui.doctor.schedule_components import conflict_panel
from healthcareplus.ui.doctor.time_off_state import DoctorTimeOffState as T
from healthcareplus.ui.shared.forms import field_error, stacked_form, text_field
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, if_any
from healthcareplus.ui.shared.typed import RowVar

KIND_LABELS = (("day", "Day"), ("range", "Days"), ("hours", "Hours"), ("slot", "Slot"))
KIND_HINTS = (
    ("day", "One whole day off."),
    ("range", "Whole days, from the first to the last."),
    ("hours", "Part of a day, such as an afternoon."),
    ("slot", "A single appointment slot."),
)


def _when_fields() -> rx.Component:
    def field(label: str, name: str, type_: str) -> rx.Component:
        return text_field(label, name, T.errors, form_id="off", type_=type_, required=True)

    def pair(*fields: rx.Component, **grid: str) -> rx.Component:
        return rx.grid(*fields, columns="2", spacing="2", **grid)

    def date() -> rx.Component:
        return field("Date", "date_from", "date")

    return rx.match(
        T.kind,
        ("day", date()),
        (
            "range",
            pair(field("First day", "date_from", "date"), field("Last day", "date_to", "date")),
        ),
        ("slot", pair(date(), field("Slot starting at", "time_from", "time"))),
        rx.vstack(
            date(),
            pair(field("From", "time_from", "time"), field("To", "time_to", "time"), width="100%"),
            width="100%",
        ),
    )


def time_off_form() -> rx.Component:
    reason = text_field(
        t("Reason"),
        "reason",
        T.errors,
        form_id="off",
        required=True,
        max_length=300,
        placeholder=t("e.g. Medical conference"),
    )
    return rx.vstack(
        rx.segmented_control.root(
            *(rx.segmented_control.item(label, value=value) for value, label in KIND_LABELS),
            value=T.kind,
            on_change=T.set_kind,
            aria_label=t("What to block"),
            width="100%",
        ),
        rx.text(rx.match(T.kind, *KIND_HINTS, ""), size="2", color_scheme="gray"),
        stacked_form(
            _when_fields(),
            reason,
            *(field_error(T.errors, name) for name in ("start", "end", "kind")),
            rx.button(t("Block this time"), type="submit", data_testid="add-time-off"),
            key=T.form_key,
            on_submit=T.add,
        ),
        conflict_panel(
            T.affected, T.confirm, T.dismiss, T.errors, reason=T.pending_reason, form_id="off"
        ),
        width="100%",
    )


def _entry(entry: RowVar) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(entry["label"], weight="bold", size="2"),
            rx.text(entry["reason"], size="2", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.button(
            t("Remove"),
            variant="soft",
            color_scheme="gray",
            size="1",
            on_click=T.remove(entry["id"]),
            aria_label="Remove time off " + entry["label"],
        ),
        align="center",
        width="100%",
        padding_y="0.4em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="time-off-entry",
    )


def time_off_list() -> rx.Component:
    entries = rx.vstack(rx.foreach(T.entries, _entry), spacing="0", width="100%")
    return if_any(T.entries, entries, empty_note(t("No time off planned.")))
