"""Cards and their parts: avatars, cities and hospitals (rows of text from the states),
titled section cards and card grids, headings with their intro or a badge aside, label
and value rows, and figures."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.typed import RowVar

GRID_COLUMNS = rx.breakpoints(initial="1", sm="2", lg="3")


def avatar(doctor: RowVar, size: str = "5") -> rx.Component:
    return rx.avatar(
        src=doctor["photo_url"],
        fallback=doctor["initials"],
        size=size,
        radius="full",
        color_scheme="teal",
        # The photo's alt text (a plain ``alt=`` would become a CSS property).
        custom_attrs={"alt": doctor["name"]},
    )


def link_card(
    title: str | Var[str], subtitle: str | Var[str], href: str | Var[str], icon: str, testid: str
) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=24, color=rx.color("teal", 9)),
                rx.vstack(section_intro(title, subtitle, level="h3"), spacing="1"),
                spacing="3",
                align="center",
            ),
            width="100%",
            _hover={"background_color": rx.color("teal", 2)},
        ),
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        width="100%",
        data_testid=testid,
    )


def not_found_block(what: str, back_label: str, back_href: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("circle-alert", size=36),
            rx.heading(t("{what} not found", what=t(what)), size="5"),
            rx.link(t(back_label), href=back_href),
            align="center",
        ),
        padding="3em",
        width="100%",
    )


def section_intro(title: Any, intro: Any, size: str = "4", level: str = "h2") -> rx.Component:
    """A section's heading and the grey line that says what it is for."""
    return rx.fragment(
        rx.heading(title, size=size, as_=level),
        rx.text(intro, size="2", color_scheme="gray"),
    )


def fact_row(
    label: Any, value: Any, *, width: str = "90px", size: str | None = None, **value_props: Any
) -> rx.Component:
    """A grey label in a column ``width`` wide and its value beside it (``size``: both
    texts' size)."""
    return rx.hstack(
        rx.text(label, size=size, color_scheme="gray", min_width=width),
        rx.text(value, size=size, **value_props),
        align="start",
    )


def aside_row(main: rx.Component, *aside: rx.Component, **row: Any) -> rx.Component:
    """``main`` (a heading, a line of text) with what goes with it (a status badge, an
    action) on the far right."""
    return rx.hstack(main, rx.spacer(), *aside, width="100%", align="center", **row)


def titled_card(
    title: Any, *children: rx.Component, size: str = "4", spacing: str = "3", **props: Any
) -> rx.Component:
    """A full-width card: its heading (``title``: a tuple for several parts) and then
    ``children`` one under the other."""
    parts = title if isinstance(title, tuple) else (title,)
    return rx.card(
        rx.vstack(
            rx.heading(*parts, size=size, as_="h2"), *children, spacing=spacing, width="100%"
        ),
        width="100%",
        **props,
    )


def section_card(title: Any, intro: Any, *children: rx.Component, **props: Any) -> rx.Component:
    """A ``titled_card`` with a grey line under its heading that says what it is for."""
    return titled_card(title, rx.text(intro, size="2", color_scheme="gray"), *children, **props)


def card_grid(
    items: Any, card: Any, *, columns: Any = GRID_COLUMNS, spacing: str = "4"
) -> rx.Component:
    """One ``card`` per item, in columns that follow the screen's width."""
    return rx.grid(rx.foreach(items, card), columns=columns, spacing=spacing, width="100%")


def figure(
    label: str, value: Any, testid: str, *below: rx.Component, **heading: Any
) -> rx.Component:
    """A figure (a heading, size 6 unless told) under its grey label, then ``below`` it
    (a line of detail)."""
    heading.setdefault("size", "6")
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.heading(value, data_testid=testid, **heading),
        *below,
        spacing="0",
    )


def two_columns(*children: rx.Component, **grid: Any) -> rx.Component:
    """Side by side from medium screens up, one under the other on phones."""
    return rx.grid(
        *children,
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="4",
        width="100%",
        **grid,
    )
