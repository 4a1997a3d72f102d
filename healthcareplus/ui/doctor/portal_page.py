"""The doctor's dashboard: counts, visits to close, today's list and the week ahead, kept
live by a client timer that asks the server every two seconds whether anything changed."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from healthcareplus.core import routes
from healthcareplus.ui.doctor.portal_components import (
    count_tile,
    portal_body,
    portal_shell,
    visit_list,
)
from healthcareplus.ui.doctor.portal_state import DoctorPortalState as S
from healthcareplus.ui.doctor.requests_components import booking_requests
from healthcareplus.ui.doctor.requests_state import DoctorRequestsState
from healthcareplus.ui.shared.layout import live_indicator, page_title
from healthcareplus.ui.shared.registry import Page

TICK_MS = 2000


def live_ticker() -> rx.Component:
    """An invisible clock: react-moment re-renders it every ``TICK_MS`` and its text (the
    time to the second) changes each time, so ``on_change`` sends ``tick`` repeatedly.
    It only exists while this page is open."""
    return rx.moment(interval=TICK_MS, on_change=S.tick, display="none", aria_hidden="true")


def _header() -> rx.Component:
    return rx.flex(
        rx.vstack(
            page_title(S.doctor["name"]),
            rx.text(S.doctor["hospital_name"], color_scheme="gray"),
            spacing="1",
        ),
        rx.spacer(),
        live_indicator(S.updated_at, data_testid="live-status"),
        direction=rx.breakpoints(initial="column", sm="row"),
        align=rx.breakpoints(initial="start", sm="end"),
        gap="2",
        width="100%",
    )


def _counts() -> rx.Component:
    return rx.grid(
        count_tile("Today", S.counts["today"], "count-today"),
        count_tile("This week", S.counts["this_week"], "count-week"),
        count_tile("Patients seen", S.counts["patients_seen"], "count-seen"),
        columns="3",
        spacing="3",
        width="100%",
    )


def _section(title: str | Var[str], body: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        rx.text(hint, size="2", color_scheme="gray") if hint else rx.fragment(),
        body,
        spacing="2",
        width="100%",
    )


def _dashboard() -> rx.Component:
    return rx.vstack(
        _header(),
        _counts(),
        booking_requests(),
        rx.cond(
            S.to_close.length() > 0,
            _section(
                "Visits to close",
                visit_list(S.to_close, "", "to-close-list", show_date=True),
                "Earlier visits still marked confirmed: record the treatment and mark them "
                "completed or a no-show.",
            ),
        ),
        _section(
            "Today · " + S.doctor["today_label"],
            rx.vstack(
                rx.cond(
                    S.waiting > 0,
                    rx.button(
                        rx.icon("megaphone", size=16),
                        "Call next patient (" + S.waiting.to_string() + " waiting)",
                        on_click=S.call_next,
                        data_testid="call-next",
                    ),
                ),
                visit_list(S.today, "No appointments today.", "today-list"),
                spacing="2",
                width="100%",
            ),
        ),
        _section(
            "Next 7 days",
            visit_list(
                S.upcoming, "Nothing booked for the next seven days.", "upcoming-list", True
            ),
        ),
        live_ticker(),
        spacing="5",
        width="100%",
    )


def doctor_portal_page() -> rx.Component:
    return portal_shell(portal_body(S.loaded, S.error, _dashboard()))


PAGES = [
    Page(
        doctor_portal_page, routes.DOCTOR_PORTAL, "My practice", [S.load, DoctorRequestsState.load]
    )
]
