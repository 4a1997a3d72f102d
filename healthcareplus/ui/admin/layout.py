"""The admin portal's shell: the site shell plus the portal's section navigation."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.shared.layout import page_shell

SECTIONS = (
    ("Dashboard", routes.ADMIN_HOME, "layout-dashboard"),
    ("Timetable", routes.ADMIN_TIMETABLE, "calendar-days"),
    ("Doctors", routes.ADMIN_DOCTORS, "stethoscope"),
    ("Patients", routes.ADMIN_PATIENTS, "users"),
    ("Cities & hospitals", routes.ADMIN_LOCATIONS, "building-2"),
    ("Admins", routes.ADMIN_ADMINS, "shield"),
    ("Reports", routes.ADMIN_REPORTS, "file-down"),
    ("Audit log", routes.ADMIN_AUDIT, "scroll-text"),
)


def _section_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2"), spacing="1", align="center"),
        href=href,
        underline="none",
        padding_x="0.6em",
        padding_y="0.35em",
        border_radius="6px",
        background_color=rx.cond(
            (rx.State.router.url.path == href) | (rx.State.router.url.path == href + "/"),
            rx.color("teal", 4),
            "transparent",
        ),
        data_testid=f"admin-nav-{href.rsplit('/', 1)[-1]}",
    )


def admin_nav() -> rx.Component:
    return rx.flex(
        *(_section_link(*section) for section in SECTIONS),
        wrap="wrap",
        spacing="1",
        padding_bottom="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        width="100%",
        as_="nav",
        aria_label="Admin sections",
    )


def admin_shell(title: str | rx.Var, *children: rx.Component) -> rx.Component:
    """An admin page: section navigation, the page heading, then the content."""
    return page_shell(
        rx.vstack(
            admin_nav(),
            rx.heading(title, size="7", as_="h1"),
            *children,
            spacing="4",
            width="100%",
        ),
        max_width="1400px",
    )
