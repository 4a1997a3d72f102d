"""The admin dashboard (/admin): portal overview, filters, figures, charts (bookings per
day, bookings and revenue per hospital, top doctors, payment methods), the appointment
table with its actions, and the per-hospital / per-doctor tables."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.attention_components import attention_card
from healthcareplus.ui.admin.attention_state import AdminAttentionState
from healthcareplus.ui.admin.dashboard_breakdowns_components import doctor_table, hospital_table
from healthcareplus.ui.admin.dashboard_breakdowns_state import AdminBreakdownState
from healthcareplus.ui.admin.dashboard_charts_components import chart_grid
from healthcareplus.ui.admin.dashboard_charts_state import AdminChartsState
from healthcareplus.ui.admin.dashboard_components import (
    filter_form,
    live_status,
    overview_strip,
    stat_cards,
)
from healthcareplus.ui.admin.dashboard_state import AdminDashboardState
from healthcareplus.ui.admin.dashboard_table_components import appointments_table
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import sections, when_loaded
from healthcareplus.ui.shared.registry import Page


def _filters_card() -> rx.Component:
    filtered = rx.badge(t("Filtered view"), color_scheme="amber", data_testid="filtered-badge")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t("Filters"), size="4", as_="h2"),
                rx.cond(AdminDashboardState.filtered, filtered),
                align="center",
                spacing="3",
            ),
            filter_form(),
            width="100%",
        ),
        width="100%",
    )


def _figures() -> rx.Component:
    breakdowns = rx.grid(
        hospital_table(),
        doctor_table(),
        columns=rx.breakpoints(initial="1", xl="2"),
        spacing="4",
        width="100%",
    )
    return sections(
        rx.text(
            t("Figures below follow the filters; dates are visit dates in clinic time."),
            size="2",
            color_scheme="gray",
        ),
        stat_cards(),
        attention_card(),
        when_loaded(AdminChartsState.loaded, chart_grid(), "Loading charts…"),
        appointments_table(),
        when_loaded(AdminBreakdownState.loaded, breakdowns),
    )


def admin_dashboard_page() -> rx.Component:
    return admin_shell(
        "Dashboard",
        rx.flex(
            rx.cond(AdminHomeState.loaded, overview_strip()),
            rx.spacer(),
            rx.cond(AdminDashboardState.loaded, live_status()),
            wrap="wrap",
            spacing="3",
            align="center",
            width="100%",
        ),
        _filters_card(),
        when_loaded(AdminDashboardState.loaded, _figures(), "Loading the dashboard…"),
    )


PAGES = [
    Page(
        admin_dashboard_page,
        routes.ADMIN_HOME,
        "Admin dashboard",
        [
            AdminHomeState.load,
            AdminDashboardState.load,
            AdminChartsState.load,
            AdminBreakdownState.load,
            AdminAttentionState.load,
        ],
    ),
]
