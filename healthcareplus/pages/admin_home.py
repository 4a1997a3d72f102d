"""The admin dashboard (/admin): portal overview, filters, figures, charts (bookings per
day, bookings and revenue per hospital, top doctors, payment methods), the appointment
table with its actions, and the per-hospital / per-doctor tables."""

from __future__ import annotations

import reflex as rx

from healthcareplus import routes
from healthcareplus.components.admin_dashboard import (
    filter_form,
    live_status,
    overview_strip,
    stat_cards,
)
from healthcareplus.components.admin_dashboard_breakdowns import doctor_table, hospital_table
from healthcareplus.components.admin_dashboard_charts import chart_grid
from healthcareplus.components.admin_dashboard_table import appointments_table
from healthcareplus.components.admin_layout import admin_shell
from healthcareplus.components.layout import loading_block
from healthcareplus.pages.registry import Page
from healthcareplus.states.admin_dashboard import AdminBreakdownState, AdminDashboardState
from healthcareplus.states.admin_dashboard_charts import AdminChartsState
from healthcareplus.states.admin_home import AdminHomeState


def _filters_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Filters", size="4", as_="h2"),
                rx.cond(
                    AdminDashboardState.filtered,
                    rx.badge("Filtered view", color_scheme="amber", data_testid="filtered-badge"),
                ),
                align="center",
                spacing="3",
            ),
            filter_form(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _breakdowns() -> rx.Component:
    return rx.cond(
        AdminBreakdownState.loaded,
        rx.grid(
            hospital_table(),
            doctor_table(),
            columns=rx.breakpoints(initial="1", xl="2"),
            spacing="4",
            width="100%",
        ),
        loading_block(),
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
        rx.cond(
            AdminDashboardState.loaded,
            rx.vstack(
                rx.text(
                    "Figures below follow the filters; dates are visit dates in clinic time.",
                    size="2",
                    color_scheme="gray",
                ),
                stat_cards(),
                rx.cond(AdminChartsState.loaded, chart_grid(), loading_block("Loading charts…")),
                appointments_table(),
                _breakdowns(),
                spacing="4",
                width="100%",
            ),
            loading_block("Loading the dashboard…"),
        ),
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
        ],
    ),
]
