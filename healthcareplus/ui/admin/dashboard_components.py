"""The admin dashboard's pieces: filters, the live status, figures and a pager (the chart
and breakdown tables: ``admin_dashboard_breakdowns``). Pure UI over the states' rows."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventCallback
from reflex.vars import NumberVar, Var

from healthcareplus.ui.admin.dashboard_state import AdminDashboardState as S
from healthcareplus.ui.admin.home_state import AdminHomeState as H
from healthcareplus.ui.shared.cards import figure
from healthcareplus.ui.shared.forms import (
    fixed_options,
    labelled,
    native_select,
    row_options,
    stacked_form,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import live_indicator
from healthcareplus.ui.shared.statuses import PAYMENT_OPTIONS, STATUS_OPTIONS
from healthcareplus.ui.shared.tables import centred_pager, neighbour_page, page_of, step_button

SORT_OPTIONS = (
    ("start_desc", "Latest visit first"),
    ("start_asc", "Earliest visit first"),
    ("booked_desc", "Recently booked"),
    ("fee_desc", "Highest fee"),
)
OVERVIEW = (
    ("Cities", "cities"),
    ("Hospitals", "hospitals"),
    ("Active doctors", "active_doctors"),
    ("Patients", "patients"),
    ("Appointments today", "appointments_today"),
    ("Upcoming confirmed", "upcoming_confirmed"),
)
STATS = (
    ("Total bookings", "bookings", "calendar", "teal"),
    ("Confirmed", "confirmed", "calendar-check", "teal"),
    ("Completed", "completed", "circle-check", "green"),
    ("Cancelled", "cancelled", "calendar-x", "red"),
    ("No-shows", "no_shows", "user-x", "orange"),
    ("Pending payments", "pending_payments", "hourglass", "amber"),
    ("Successful payments", "successful_payments", "badge-check", "green"),
    ("Doctors", "doctors", "stethoscope", "teal"),
)
# --- filters ---------------------------------------------------------------------------------


def _labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return labelled(label, f"dash-{name}", control, style={"fontSize": "13px"})


def _select(name: str, *options: rx.Component, blank: str | None = "All") -> rx.Component:
    return native_select(
        *options, blank=blank, id=f"dash-{name}", name=name, default_value=S.form[name]
    )


def _date(name: str) -> rx.Component:
    return rx.input(
        id=f"dash-{name}", name=name, type="date", default_value=S.form[name], width="100%"
    )


def filter_form() -> rx.Component:
    grid = rx.grid(
        _labelled("Doctor", "doctor", _select("doctor", row_options(S.doctors))),
        _labelled("Hospital", "hospital", _select("hospital", row_options(S.hospitals))),
        _labelled("City", "city", _select("city", row_options(S.cities))),
        _labelled("Status", "status", _select("status", *fixed_options(STATUS_OPTIONS))),
        _labelled("From (visit date)", "from", _date("from")),
        _labelled("To (visit date)", "to", _date("to")),
        _labelled("Payment", "payment", _select("payment", *fixed_options(PAYMENT_OPTIONS))),
        _labelled("Sort", "sort", _select("sort", *fixed_options(SORT_OPTIONS), blank=None)),
        columns=rx.breakpoints(initial="1", sm="2", md="4"),
        spacing="3",
        width="100%",
    )
    clear = rx.button(
        t("Clear"), type="button", variant="ghost", on_click=S.clear, disabled=~S.filtered
    )
    return stacked_form(
        grid,
        rx.hstack(
            rx.button(rx.icon("filter", size=16), t("Apply filters"), type="submit"),
            rx.button(
                rx.icon("calendar-clock", size=16),
                t("Today"),
                type="button",
                variant="soft",
                on_click=S.show_today,
                data_testid="dash-today",
            ),
            clear,
            spacing="3",
            wrap="wrap",
        ),
        key=S.form_key,
        on_submit=S.apply,
        aria_label=t("Dashboard filters"),
        data_testid="dashboard-filters",
    )


# --- live refresh ----------------------------------------------------------------------------

TICK_MS = 1000  # how often an open, visible dashboard asks whether the data moved


def live_status() -> rx.Component:
    """ "Live · updated 09:30 AM", and the hidden button ``/live-tick.js`` clicks every
    ``TICK_MS`` to ask the server for changes."""
    tick = rx.el.button(
        id="dashboard-live-tick",
        type="button",
        hidden=True,
        aria_hidden="true",
        tab_index=-1,
        on_click=S.tick,
        custom_attrs={"data-live-tick": str(TICK_MS)},
    )
    return live_indicator(S.updated_at, tick, updated_testid="updated-at")


# --- figures ---------------------------------------------------------------------------------


def overview_strip() -> rx.Component:
    """Whole-portal figures (never filtered), from the landing overview."""
    return rx.flex(
        *(
            rx.hstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(H.labels[key], size="2", weight="bold", data_testid=f"stat-{key}"),
                spacing="1",
            )
            for label, key in OVERVIEW
        ),
        wrap="wrap",
        spacing="4",
        row_gap="1",
        data_testid="overview-strip",
    )


def _stat(
    label: str, value: Var[str], testid: str, icon: str, color: str, *below: rx.Component
) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=24, color=rx.color(color, 9)),
            figure(label, value, testid, *below, as_="p"),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def stat_cards() -> rx.Component:
    detail = rx.text(
        S.stats["collected_label"],
        t(" collected − "),
        S.stats["refunded_label"],
        " refunded",
        size="1",
        color_scheme="gray",
        data_testid="dash-revenue-detail",
    )
    return rx.grid(
        *(
            _stat(label, S.stats[key], f"dash-{key}", icon, color)
            for label, key, icon, color in STATS
        ),
        _stat("Revenue", S.stats["revenue_label"], "dash-revenue", "indian-rupee", "green", detail),
        columns=rx.breakpoints(initial="2", md="3", xl="5"),
        spacing="3",
        width="100%",
    )


def pager(
    page: NumberVar[int], pages: NumberVar[int], on_page: EventCallback[int], testid: str
) -> rx.Component:
    return centred_pager(
        step_button(
            "Previous",
            forward=False,
            size="1",
            disabled=page <= 1,
            on_click=on_page(neighbour_page(page, forward=False)),
            data_testid=f"{testid}-prev",
        ),
        page_of(page, pages, data_testid=f"{testid}-page"),
        step_button(
            "Next",
            forward=True,
            size="1",
            disabled=page >= pages,
            on_click=on_page(neighbour_page(page, forward=True)),
            data_testid=f"{testid}-next",
        ),
    )
