"""Admin reports: export appointments as CSV; the monthly summary on screen, CSV and PDF."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.admin.layout import admin_shell
from healthcareplus.ui.admin.reports_components import export_card, monthly_card
from healthcareplus.ui.admin.reports_state import AdminReportsState as S
from healthcareplus.ui.shared.layout import loading_block
from healthcareplus.ui.shared.registry import Page


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
