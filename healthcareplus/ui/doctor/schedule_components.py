"""The doctor's weekly-hours editor, and the panel that lists booked appointments a
schedule or time-off change would cancel."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventType
from reflex.vars import ObjectVar, Var

from healthcareplus.ui.doctor.schedule_state import DoctorScheduleState as W
from healthcareplus.ui.shared.cards import section_card
from healthcareplus.ui.shared.forms import (
    NATIVE_SELECT_STYLE,
    field_error,
    fixed_options,
    native_select,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowsVar, RowVar

SLOT_OPTIONS = (("", "—"), ("10", "10 min"), ("15", "15 min"), ("20", "20 min"), ("30", "30 min"))


def conflict_panel(
    affected: RowsVar,
    on_confirm: EventType[dict[str, Any]],
    on_dismiss: EventType[()],
    errors: ObjectVar[dict[str, str]],
    *,
    reason: str | Var[str],
    form_id: str,
) -> rx.Component:
    """The appointments in the way, and the choice: keep them, or cancel them with a reason."""

    def item(row: RowVar) -> rx.Component:
        return rx.text(
            row["date_label"],
            " · ",
            row["time_label"],
            " — ",
            row["patient_name"],
            rx.cond(row["paid"] == "true", " (paid: will be refunded)", ""),
            size="2",
            data_testid="affected-appointment",
        )

    return rx.cond(
        affected.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("calendar-x")),
            rx.vstack(
                rx.text(t("Booked appointments are in the way"), weight="bold"),
                rx.text(
                    t(
                        "Keep these hours, or cancel the appointments: the patients see your "
                        "reason in My appointments and paid fees are refunded."
                    ),
                    size="2",
                ),
                rx.vstack(rx.foreach(affected, item), spacing="1"),
                stacked_form(
                    rx.el.label(t("Reason the patients will see"), html_for=f"{form_id}-reason"),
                    rx.text_area(
                        id=f"{form_id}-reason",
                        name="cancel_reason",
                        default_value=reason,
                        max_length=500,
                        rows="2",
                        width="100%",
                    ),
                    field_error(errors, "cancel_reason"),
                    rx.flex(
                        rx.button(t("Cancel them and save"), type="submit", color_scheme="red"),
                        rx.button(
                            t("Keep them"), type="button", variant="soft", on_click=on_dismiss
                        ),
                        spacing="2",
                        wrap="wrap",
                    ),
                    on_submit=on_confirm,
                ),
                spacing="2",
                width="100%",
            ),
            color_scheme="red",
            role="alert",
            width="100%",
            data_testid=f"{form_id}-conflict",
        ),
    )


def _day_row(row: RowVar) -> rx.Component:
    day = row["weekday"]
    return rx.vstack(
        rx.flex(
            rx.el.label(row["day_name"], html_for="week-hours-" + day, style={"minWidth": "100px"}),
            rx.hstack(
                rx.input(
                    id="week-hours-" + day,
                    name="hours-" + day,
                    default_value=row["hours"],
                    placeholder=t("Day off"),
                    max_length=200,
                    size="3",
                    flex="1",
                    min_width="0",
                ),
                native_select(
                    *fixed_options(SLOT_OPTIONS),
                    name="slot-" + day,
                    default_value=row["slot_minutes"],
                    aria_label=row["day_name"] + " slot length",
                    style={**NATIVE_SELECT_STYLE, "width": "100px", "flexShrink": "0"},
                ),
                spacing="2",
                width="100%",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            align=rx.breakpoints(initial="stretch", sm="center"),
            gap="1",
            width="100%",
        ),
        field_error(W.errors, "day-" + day, role="alert", data_testid=None),
        spacing="1",
        width="100%",
        data_testid="week-day",
    )


def week_editor() -> rx.Component:
    return section_card(
        t("Weekly hours"),
        t(
            "One line per day, like 09:00-13:00, 14:00-18:00 (between 06:00 and 23:00). "
            "Leave a day empty for a day off."
        ),
        stacked_form(
            rx.foreach(W.week, _day_row),
            field_error(W.errors, "blocks"),
            rx.button(t("Save weekly hours"), type="submit", data_testid="save-week"),
            key=W.form_key,
            on_submit=W.save,
        ),
        conflict_panel(W.affected, W.confirm, W.dismiss, W.errors, reason="", form_id="week"),
    )
