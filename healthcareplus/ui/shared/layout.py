"""The page shell: navigation bar (with a mobile menu), content area and footer."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.ui.shared.session import SessionState

NAV_LINKS = (
    ("Find doctors", routes.DOCTORS),
    ("Symptom checker", routes.SYMPTOMS),
)


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.image(src="/logo.svg", width="32px", height="32px", alt=""),
            rx.text("HealthCarePlus", size="5", weight="bold", as_="span"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label="HealthCarePlus home",
    )


def _account_links(vertical: bool) -> rx.Component:
    signed_in = rx.fragment(
        rx.match(
            SessionState.user_role,
            ("admin", rx.link("Admin", href=routes.ADMIN_HOME, data_testid="nav-admin")),
            (
                "doctor",
                rx.link("My practice", href=routes.DOCTOR_PORTAL, data_testid="nav-doctor-portal"),
            ),
            (
                "patient",
                rx.fragment(
                    rx.link(
                        "My appointments", href=routes.APPOINTMENTS, data_testid="nav-appointments"
                    ),
                    rx.link("My profile", href=routes.PROFILE, data_testid="nav-profile"),
                ),
            ),
            rx.fragment(),
        ),
        rx.text(SessionState.user_name, size="2", color_scheme="gray", data_testid="nav-user"),
        rx.button(
            "Log out",
            variant="soft",
            size="2",
            on_click=SessionState.logout,
            data_testid="nav-logout",
        ),
    )
    signed_out = rx.fragment(
        rx.link("Log in", href=routes.LOGIN, data_testid="nav-login"),
        rx.link(rx.button("Register", size="2"), href=routes.REGISTER, data_testid="nav-register"),
    )
    stack = rx.vstack if vertical else rx.hstack
    return stack(
        *(rx.link(label, href=href) for label, href in NAV_LINKS),
        rx.cond(SessionState.user_name != "", signed_in, signed_out),
        spacing="4",
        align="start" if vertical else "center",
    )


def navbar() -> rx.Component:
    return rx.box(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.tablet_and_desktop(_account_links(vertical=False)),
            rx.mobile_only(
                rx.drawer.root(
                    rx.drawer.trigger(
                        rx.icon_button(rx.icon("menu"), variant="ghost", aria_label="Open menu")
                    ),
                    rx.drawer.overlay(z_index="50"),
                    rx.drawer.portal(
                        rx.drawer.content(
                            rx.vstack(
                                rx.drawer.close(
                                    rx.icon_button(
                                        rx.icon("x"), variant="ghost", aria_label="Close menu"
                                    )
                                ),
                                _account_links(vertical=True),
                                padding="1.5em",
                                spacing="4",
                            ),
                            background_color=rx.color("gray", 1),
                            width="75%",
                            height="100%",
                            top="0",
                            right="0",
                        )
                    ),
                    direction="right",
                )
            ),
            align="center",
            width="100%",
            max_width="1200px",
            margin_x="auto",
            padding_x="1em",
            padding_y="0.75em",
        ),
        as_="header",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def footer() -> rx.Component:
    return rx.box(
        rx.text(
            "HealthCarePlus · Book trusted doctors across India · Times shown in India "
            "Standard Time",
            size="1",
            color_scheme="gray",
            text_align="center",
        ),
        as_="footer",
        padding="2em 1em",
    )


def page_shell(*children: rx.Component, max_width: str = "1200px") -> rx.Component:
    """Every page: navbar, a centred content column, footer and a hydration marker."""
    return rx.box(
        navbar(),
        rx.box(
            *children,
            as_="main",
            width="100%",
            max_width=max_width,
            margin_x="auto",
            padding_x="1em",
            padding_y="1.5em",
            min_height="70vh",
        ),
        footer(),
        rx.cond(
            SessionState.is_hydrated & SessionState.session_checked,
            rx.el.span(data_testid="app-ready", hidden=True),
        ),
        width="100%",
    )


def loading_block(label: str = "Loading…") -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text(label, color_scheme="gray"), align="center"),
        padding="3em",
        width="100%",
    )


def empty_block(title: str, hint: str, icon: str = "search-x") -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=36, color=rx.color("gray", 9)),
            rx.heading(title, size="4"),
            rx.text(hint, color_scheme="gray", text_align="center"),
            align="center",
            spacing="2",
        ),
        padding="3em",
        width="100%",
        data_testid="empty-state",
    )
