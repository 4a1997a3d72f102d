"""The front-desk portal's shell: the site shell, the portal's sections, then the page."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.shared.layout import page_column, section_nav

SECTIONS = (
    ("Patients", routes.DESK, "users", "desk-nav-patients"),
    ("Queue", routes.DESK_QUEUE, "list-ordered", "desk-nav-queue"),
)


def desk_shell(*children: rx.Component) -> rx.Component:
    nav = section_nav(SECTIONS, "Front desk sections")
    return page_column(nav, *children, max_width="1100px")
