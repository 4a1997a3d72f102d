"""The page shell (navigation bar with a mobile menu, content area and footer), the page
scaffolds built on it (a column of sections, a titled page, the page of one record), and
what a page shows while loading, when empty or when its record is missing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.cards import not_found_block
from healthcareplus.ui.shared.i18n import language_switch, t
from healthcareplus.ui.shared.notification_components import notification_bell
from healthcareplus.ui.shared.session import SessionState

NAV_LINKS = (
    (N_("Find doctors"), routes.DOCTORS),
    (N_("Symptom checker"), routes.SYMPTOMS),
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
        aria_label=t("HealthCarePlus home"),
    )


def _account_links(vertical: bool) -> rx.Component:
    signed_in = rx.fragment(
        rx.match(
            SessionState.user_role,
            ("admin", rx.link(t("Admin"), href=routes.ADMIN_HOME, data_testid="nav-admin")),
            (
                "doctor",
                rx.link(
                    t("My practice"), href=routes.DOCTOR_PORTAL, data_testid="nav-doctor-portal"
                ),
            ),
            (
                "front_desk",
                rx.link(t("Front desk"), href=routes.DESK, data_testid="nav-desk"),
            ),
            (
                "patient",
                rx.fragment(
                    rx.link(
                        t("My appointments"),
                        href=routes.APPOINTMENTS,
                        data_testid="nav-appointments",
                    ),
                    rx.link(t("My profile"), href=routes.PROFILE, data_testid="nav-profile"),
                ),
            ),
            rx.fragment(),
        ),
        rx.link(t("Security"), href=routes.ACCOUNT_SECURITY, data_testid="nav-security"),
        rx.text(SessionState.user_name, size="2", color_scheme="gray", data_testid="nav-user"),
        rx.button(
            t("Log out"),
            variant="soft",
            size="2",
            on_click=SessionState.logout,
            data_testid="nav-logout",
        ),
    )
    signed_out = rx.fragment(
        rx.link(t("Log in"), href=routes.LOGIN, data_testid="nav-login"),
        rx.button(
            rx.link(t("Register"), href=routes.REGISTER, data_testid="nav-register"),
            as_child=True,
            size="2",
        ),
    )
    stack = rx.vstack if vertical else rx.hstack
    links = rx.el.nav(
        *(rx.link(t(label), href=href) for label, href in NAV_LINKS),
        rx.cond(SessionState.user_name != "", signed_in, signed_out),
        aria_label=t("Main"),
    )
    # as_child: the stack's layout on the <nav> itself (one landmark, no extra box).
    return stack(links, as_child=True, spacing="4", align="start" if vertical else "center")


def navbar() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.tablet_and_desktop(_account_links(vertical=False)),
            # Staff portals are English: the switch is for patients and visitors.
            rx.cond(
                (SessionState.user_role == "admin") | (SessionState.user_role == "doctor"),
                rx.fragment(),
                language_switch(),
            ),
            # One bell for every screen size (beside the menu on phones): it polls.
            rx.cond(SessionState.user_name != "", notification_bell()),
            rx.mobile_only(
                rx.drawer.root(
                    rx.drawer.trigger(
                        rx.icon_button(rx.icon("menu"), variant="ghost", aria_label=t("Open menu"))
                    ),
                    rx.drawer.overlay(z_index="50"),
                    rx.drawer.portal(
                        rx.drawer.content(
                            rx.vstack(
                                rx.drawer.close(
                                    rx.icon_button(
                                        rx.icon("x"), variant="ghost", aria_label=t("Close menu")
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
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.text(
            t(
                "HealthCarePlus · Book trusted doctors across India · Times shown in India "
                "Standard Time"
            ),
            size="1",
            color_scheme="gray",
            text_align="center",
        ),
        padding="2em 1em",
    )


def _section_link(label: str, href: str, icon: str, testid: str) -> rx.Component:
    path = rx.State.router.url.path
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="2"), spacing="1", align="center"),
        href=href,
        underline="none",
        padding_x="0.6em",
        padding_y="0.35em",
        border_radius="6px",
        background_color=rx.cond(
            (path == href) | (path == href + "/"), rx.color("teal", 4), "transparent"
        ),
        data_testid=testid,
    )


def section_nav(sections: Sequence[tuple[str, str, str, str]], label: str) -> rx.Component:
    """A portal's section links (label, link, icon, test id), the current one marked."""
    return rx.flex(
        rx.el.nav(*(_section_link(*section) for section in sections), aria_label=label),
        as_child=True,
        wrap="wrap",
        spacing="1",
        padding_bottom="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        width="100%",
    )


def page_shell(*children: rx.Component, max_width: str = "1200px") -> rx.Component:
    """Every page: navbar, a centred content column, footer and a hydration marker."""
    return rx.box(
        navbar(),
        rx.el.main(
            *children,
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


def sections(*children: rx.Component) -> rx.Component:
    """A page's sections, one under the other, full width, with the page's spacing."""
    return rx.vstack(*children, spacing="4", width="100%")


def page_column(*children: rx.Component, max_width: str = "1200px") -> rx.Component:
    """A page whose ``sections`` fill a centred column."""
    return page_shell(sections(*children), max_width=max_width)


def page_title(*title: Any) -> rx.Component:
    """The page's heading (its one ``h1``)."""
    return rx.heading(*title, size="7", as_="h1")


def titled_page(
    title: Any, *children: rx.Component, intro: Any = "", max_width: str = "1200px"
) -> rx.Component:
    """A page column that starts with its title and, when given, a grey ``intro``."""
    lead = [rx.text(intro, color_scheme="gray")] if isinstance(intro, rx.Var) or intro else []
    return page_column(page_title(title), *lead, *children, max_width=max_width)


def live_indicator(
    updated_at: Any, *parts: rx.Component, updated_testid: str | None = None, **row: Any
) -> rx.Component:
    """ "Live · Updated 09:30 AM" for a page that keeps itself up to date (``parts``: the
    timer behind it)."""
    updated = rx.text(
        t("Updated "), updated_at, size="1", color_scheme="gray", data_testid=updated_testid
    )
    return rx.hstack(
        rx.badge(rx.icon("radio", size=12), t("Live"), color_scheme="green", variant="soft"),
        updated,
        *parts,
        align="center",
        spacing="2",
        **row,
    )


def loading_block(label: Any = N_("Loading…")) -> rx.Component:
    text = t(label) if isinstance(label, str) else label
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text(text, color_scheme="gray"), align="center"),
        padding="3em",
        width="100%",
    )


def empty_block(title: Any, hint: Any, icon: str = "search-x") -> rx.Component:
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


def empty_note(text: Any, **props: Any) -> rx.Component:
    """The grey line that stands in for an empty list inside a card or section."""
    return rx.text(text, size="2", color_scheme="gray", **props)


def when_loaded(loaded: Any, content: rx.Component, label: Any = N_("Loading…")) -> rx.Component:
    """A spinner with ``label`` until ``loaded``, then ``content``."""
    return rx.cond(loaded, content, loading_block(label))


def if_any(
    items: Any, content: rx.Component, otherwise: rx.Component | None = None
) -> rx.Component:
    """``content`` while the list ``items`` has something in it, else ``otherwise``."""
    has_items = items.length() > 0
    return (
        rx.cond(has_items, content) if otherwise is None else rx.cond(has_items, content, otherwise)
    )


def record_body(state: Any, missing: tuple[str, str, str], content: rx.Component) -> rx.Component:
    """One record's page body: loading, then ``content`` or "<what> not found" with a way
    back (``missing`` is what, back label, back link; ``state`` has ``loaded`` and
    ``not_found``)."""
    return when_loaded(state.loaded, rx.cond(state.not_found, not_found_block(*missing), content))


def record_shell(
    state: Any, missing: tuple[str, str, str], content: rx.Component, max_width: str = "1200px"
) -> rx.Component:
    """A page of one record (see ``record_body``) in the site shell."""
    return page_shell(record_body(state, missing, content), max_width=max_width)


def list_body(loaded: Any, items: Any, content: rx.Component, empty: rx.Component) -> rx.Component:
    """A list's body: loading, then ``content`` or ``empty`` when there are no ``items``."""
    return when_loaded(loaded, if_any(items, content, empty))
