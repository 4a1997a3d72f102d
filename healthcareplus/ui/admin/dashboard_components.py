"""The admin dashboard's pieces: filters, the live status, figures and a pager (the chart
and breakdown tables: ``admin_dashboard_breakdowns``). Pure UI over the states' rows."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.admin.dashboard_state import AdminDashboardState as S
from healthcareplus.ui.admin.home_state import AdminHomeState as H
from healthcareplus.ui.shared.forms import NATIVE_SELECT_STYLE

STATUS_OPTIONS = (
    ("pending_payment", "Awaiting payment"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
)
PAYMENT_OPTIONS = tuple((s, s) for s in ("Pending", "Success", "Failed", "Refunded"))
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
    return rx.vstack(
        rx.el.label(label, html_for=f"dash-{name}", style={"fontSize": "13px"}),
        control,
        spacing="1",
        width="100%",
    )


def _select(name: str, *options: rx.Component, blank: str | None = "All") -> rx.Component:
    first = [rx.el.option(blank, value="")] if blank is not None else []
    return rx.el.select(
        *first,
        *options,
        id=f"dash-{name}",
        name=name,
        default_value=S.form[name],
        style=NATIVE_SELECT_STYLE,
    )


def _choices(rows: Var) -> rx.Component:
    return rx.foreach(rows, lambda row: rx.el.option(row["label"], value=row["id"]))


def _fixed(pairs: tuple[tuple[str, str], ...]) -> list[rx.Component]:
    return [rx.el.option(label, value=value) for value, label in pairs]


def _date(name: str) -> rx.Component:
    return rx.input(
        id=f"dash-{name}", name=name, type="date", default_value=S.form[name], width="100%"
    )


def filter_form() -> rx.Component:
    grid = rx.grid(
        _labelled("Doctor", "doctor", _select("doctor", _choices(S.doctors))),
        _labelled("Hospital", "hospital", _select("hospital", _choices(S.hospitals))),
        _labelled("City", "city", _select("city", _choices(S.cities))),
        _labelled("Status", "status", _select("status", *_fixed(STATUS_OPTIONS))),
        _labelled("From (visit date)", "from", _date("from")),
        _labelled("To (visit date)", "to", _date("to")),
        _labelled("Payment", "payment", _select("payment", *_fixed(PAYMENT_OPTIONS))),
        _labelled("Sort", "sort", _select("sort", *_fixed(SORT_OPTIONS), blank=None)),
        columns=rx.breakpoints(initial="1", sm="2", md="4"),
        spacing="3",
        width="100%",
    )
    return rx.form(
        rx.vstack(
            grid,
            rx.hstack(
                rx.button(rx.icon("filter", size=16), "Apply filters", type="submit"),
                rx.button(
                    "Clear", type="button", variant="ghost", on_click=S.clear, disabled=~S.filtered
                ),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        key=S.form_key,
        on_submit=S.apply,
        reset_on_submit=False,
        width="100%",
        aria_label="Dashboard filters",
        data_testid="dashboard-filters",
    )


# --- live refresh ----------------------------------------------------------------------------

TICK_SECONDS = 1
# Clicks the hidden tick button while the dashboard is open and visible; one timer per tab.
_TICK_SCRIPT = f"""(function () {{
  if (window.__hcpDashboardTick) {{ return; }}
  window.__hcpDashboardTick = setInterval(function () {{
    var button = document.getElementById("dashboard-live-tick");
    if (button && document.visibilityState === "visible") {{ button.click(); }}
  }}, {TICK_SECONDS * 1000});
}})();"""


def live_status() -> rx.Component:
    """ "Live · updated 09:30 AM", and the timer that asks the server for changes."""
    return rx.hstack(
        rx.badge(rx.icon("radio", size=12), "Live", color_scheme="green", variant="soft"),
        rx.text("Updated ", S.updated_at, size="1", color_scheme="gray", data_testid="updated-at"),
        rx.script(_TICK_SCRIPT),
        rx.el.button(
            id="dashboard-live-tick",
            type="button",
            hidden=True,
            aria_hidden="true",
            tab_index=-1,
            on_click=S.tick,
        ),
        align="center",
        spacing="2",
    )


# --- figures ---------------------------------------------------------------------------------


def overview_strip() -> rx.Component:
    """Whole-portal figures (never filtered), from the landing overview."""
    return rx.flex(
        *(
            rx.hstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(H.figures[key], size="2", weight="bold", data_testid=f"stat-{key}"),
                spacing="1",
            )
            for label, key in OVERVIEW
        ),
        wrap="wrap",
        spacing="4",
        row_gap="1",
        data_testid="overview-strip",
    )


def _stat(label: str, key: str, icon: str, color: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=24, color=rx.color(color, 9)),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.heading(S.stats[key], size="6", as_="p", data_testid=f"dash-{key}"),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def stat_cards() -> rx.Component:
    revenue = rx.card(
        rx.hstack(
            rx.icon("indian-rupee", size=24, color=rx.color("green", 9)),
            rx.vstack(
                rx.text("Revenue", size="2", color_scheme="gray"),
                rx.heading(S.stats["revenue_label"], size="6", as_="p", data_testid="dash-revenue"),
                rx.text(
                    S.stats["collected_label"],
                    " collected − ",
                    S.stats["refunded_label"],
                    " refunded",
                    size="1",
                    color_scheme="gray",
                    data_testid="dash-revenue-detail",
                ),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )
    return rx.grid(
        *(_stat(*stat) for stat in STATS),
        revenue,
        columns=rx.breakpoints(initial="2", md="3", xl="5"),
        spacing="3",
        width="100%",
    )


def pager(page: Var, pages: Var, on_page: rx.EventHandler, testid: str) -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            variant="soft",
            size="1",
            disabled=page <= 1,
            on_click=on_page(page - 1),
            data_testid=f"{testid}-prev",
        ),
        rx.text("Page ", page, " of ", pages, size="2", data_testid=f"{testid}-page"),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            variant="soft",
            size="1",
            disabled=page >= pages,
            on_click=on_page(page + 1),
            data_testid=f"{testid}-next",
        ),
        justify="center",
        align="center",
        spacing="3",
        width="100%",
    )
