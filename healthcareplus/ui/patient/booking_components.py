"""Booking wizard parts: the steps, the date strip, the day's slots by part of the day,
and the summary to confirm.

Phone first: the date strip scrolls sideways on its own (the page never does) and the
slots follow below it; from medium screens up the days wrap into a grid beside the
slots. Every day and slot is a button named with its date (and time), ``aria-pressed``
when chosen.
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.booking_state import BookingState as S
from healthcareplus.ui.shared.cards import fact_row, titled_card
from healthcareplus.ui.shared.forms import (
    LABEL_STYLE,
    error_text,
    native_select,
    row_options,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import catalog_label, t
from healthcareplus.ui.shared.typed import RowVar

FILL_COLORS = {"Filling Fast": "amber", "Almost Full": "orange"}
PERIOD_ICONS = {"Morning": "sunrise", "Afternoon": "sun", "Evening": "moon"}
# What the fill badges and the parts of the day read as (the rows carry the English keys).
FILL_LABELS = (("Filling Fast", t(N_("Filling Fast"))), ("Almost Full", t(N_("Almost Full"))))
PERIOD_NAMES = (
    ("Morning", t(N_("Morning"))),
    ("Afternoon", t(N_("Afternoon"))),
    ("Evening", t(N_("Evening"))),
)


def _period_name(name: rx.Var) -> rx.Var:
    return rx.match(name, *PERIOD_NAMES, name)


def _pressed(chosen: rx.Var) -> rx.Var:
    return rx.cond(chosen, "true", "false")


def steps() -> rx.Component:
    def step(number: int, label: str, current: rx.Var) -> rx.Component:
        return rx.badge(
            f"{number}. ",
            t(label),
            size="2",
            variant=rx.cond(current, "solid", "soft"),
            color_scheme=rx.cond(current, "teal", "gray"),
            aria_current=rx.cond(current, "step", "false"),
        )

    steps = rx.el.nav(
        step(1, N_("Date and time"), S.step < 3),
        step(2, N_("Reason and confirm"), S.step == 3),
        aria_label=t("Booking steps"),
    )
    return rx.hstack(steps, as_child=True, spacing="2", wrap="wrap")


def day_button(day: RowVar) -> rx.Component:
    chosen = S.day == day["iso"]
    return rx.button(
        rx.vstack(
            rx.text(day["weekday_label"], size="1"),
            rx.text(day["day_label"], weight="bold", size="2"),
            rx.text(day["count_label"], size="1"),
            rx.cond(
                day["fill"] != "",
                rx.badge(
                    rx.match(day["fill"], *FILL_LABELS, day["fill"]),
                    color_scheme=rx.match(day["fill"], *FILL_COLORS.items(), "gray"),
                    size="1",
                ),
            ),
            spacing="0",
            align="center",
        ),
        variant=rx.cond(chosen, "solid", "outline"),
        disabled=day["bookable"] != "true",
        on_click=S.choose_day(day["iso"]),
        height="auto",
        min_width="78px",
        padding_y="0.5em",
        flex_shrink="0",
        scroll_snap_align="start",
        aria_label=day["name"],
        aria_pressed=_pressed(chosen),
        data_testid="day",
        data_iso=day["iso"],
    )


def date_strip() -> rx.Component:
    return rx.vstack(
        rx.heading(S.month, size="4", as_="h2", data_testid="month"),
        rx.box(
            rx.foreach(S.days, day_button),
            display=rx.breakpoints(initial="flex", md="grid"),
            grid_template_columns="repeat(auto-fill, minmax(78px, 1fr))",
            gap="0.5em",
            overflow_x=rx.breakpoints(initial="auto", md="visible"),
            scroll_snap_type="x proximity",
            padding="2px 2px 0.5em",  # room for the focus ring
            width="100%",
            role="group",
            aria_label=t("Dates"),
            data_testid="date-strip",
        ),
        spacing="2",
        width="100%",
        min_width="0",
    )


def slot_button(slot: RowVar) -> rx.Component:
    free = slot["state"] == "free"
    chosen = S.slot == slot["start"]
    return rx.button(
        slot["label"],
        rx.cond(free, rx.fragment(), rx.text(slot["note"], size="1")),
        variant=rx.cond(chosen, "solid", "outline"),
        color_scheme=rx.cond(free, "teal", "gray"),
        disabled=~free,
        on_click=S.choose_slot(slot["start"]),
        size="2",
        height="auto",
        min_height="40px",
        flex_direction="column",
        gap="0",
        aria_label=slot["name"],
        aria_pressed=_pressed(chosen),
        data_testid="slot",
        data_state=slot["state"],
        data_period=slot["period"],
    )


def _period(period: RowVar) -> rx.Component:
    in_period = rx.foreach(
        S.slots, lambda slot: rx.cond(slot["period"] == period["name"], slot_button(slot))
    )
    return rx.vstack(
        rx.hstack(
            rx.match(
                period["name"],
                *((name, rx.icon(icon, size=16)) for name, icon in PERIOD_ICONS.items()),
                rx.fragment(),
            ),
            rx.heading(_period_name(period["name"]), size="3", as_="h4"),
            rx.text(period["free"], size="1", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        rx.box(
            in_period,
            display="grid",
            grid_template_columns="repeat(auto-fill, minmax(96px, 1fr))",
            gap="0.5em",
            width="100%",
        ),
        spacing="2",
        width="100%",
        role="group",
        aria_label=_period_name(period["name"]),
        data_testid="period",
    )


def day_slots() -> rx.Component:
    return rx.vstack(
        rx.heading(S.day_label, size="4", as_="h3"),
        rx.text(t("Times are India time."), size="1", color_scheme="gray"),
        rx.foreach(S.periods, _period),
        spacing="3",
        width="100%",
        min_width="0",
        data_testid="day-slots",
    )


def picker() -> rx.Component:
    """The one date-and-time screen."""
    return rx.grid(
        date_strip(),
        rx.cond(S.day != "", day_slots()),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="5",
        width="100%",
    )


def _who() -> rx.Component:
    """The choice of who the visit is for: Myself (the default) or one of the patient's family
    members; only when booking and the patient has any."""
    choice = native_select(
        rx.el.option(t("Myself"), value=""),
        row_options(S.people),
        id="booking-for",
        name="dependant_id",
        default_value="",
    )
    label = rx.el.label(t("Who is this visit for?"), html_for="booking-for", style=LABEL_STYLE)
    who = rx.vstack(label, choice, spacing="1", width="100%")
    return rx.cond((S.mode == "book") & (S.people.length() > 0), who)


def summary_card() -> rx.Component:
    d = S.doctor
    reason = rx.text_area(
        id="booking-reason",
        name="reason",
        default_value=S.reason,
        max_length=500,
        rows="3",
        width="100%",
        required=S.mode == "book",
        read_only=S.mode == "reschedule",
        placeholder=t("e.g. Chest pain while climbing stairs"),
    )
    # A patient's booking with a doctor who confirms bookings himself is a request; the
    # clinic's staff booking for a patient hold the time directly.
    request = (d["confirms_bookings"] == "true") & (S.booked_for == "")
    confirm = rx.button(
        rx.cond(
            S.mode == "book",
            rx.cond(request, t("Send request"), t("Confirm and pay")),
            t("Confirm new time"),
        ),
        type="submit",
        size="3",
        loading=S.busy,
    )
    return titled_card(
        t("Summary"),
        fact_row(
            t("Doctor"),
            t(
                "{doctor} ({speciality})",
                doctor=d["name"],
                speciality=catalog_label(d["specialization"]),
            ),
        ),
        fact_row(t("Hospital"), d["hospital_name"]),
        fact_row(t("Address"), d["hospital_address"]),
        fact_row(t("Date"), S.day_label),
        fact_row(t("Time"), t("{time} (India time)", time=S.slot_label)),
        fact_row(t("Fee"), d["fee_label"]),
        rx.cond(S.for_label != "", fact_row(t("For"), S.for_label, data_testid="booking-for")),
        rx.button(
            rx.icon("calendar-days", size=16),
            t("Change date or time"),
            variant="ghost",
            on_click=S.go_to_step(2),
            align_self="start",
        ),
        stacked_form(
            _who(),
            rx.el.label(
                t("Reason for visit"), html_for="booking-reason", style={"fontWeight": "500"}
            ),
            reason,
            rx.cond(S.reason_error != "", error_text(S.reason_error, data_testid="error-reason")),
            rx.cond(
                request & (S.mode == "book"),
                rx.text(
                    t(
                        "{doctor} confirms each booking personally: the time is kept for you "
                        "and you pay once the doctor accepts.",
                        doctor=d["name"],
                    ),
                    size="2",
                    color_scheme="gray",
                    data_testid="request-note",
                ),
            ),
            confirm,
            on_submit=S.confirm,
        ),
    )
