"""Admin reports: export appointments as CSV; the monthly summary on screen, CSV and PDF."""

from __future__ import annotations

import reflex as rx

from healthcareplus import routes
from healthcareplus.components.admin_layout import admin_shell
from healthcareplus.components.admin_reports import export_card, monthly_card
from healthcareplus.components.layout import loading_block
from healthcareplus.pages.registry import Page
from healthcareplus.states.admin_reports import AdminReportsState as S


def admin_reports_page() -> rx.Component:
    return admin_shell(
        "Reports",
        rx.cond(
            S.loaded,
            rx.vstack(export_card(), monthly_card(), spacing="5", width="100%"),
            loading_block(),
        ),
    )


PAGES = [Page(admin_reports_page, routes.ADMIN_REPORTS, "Reports", [S.load])]
