"""The page for an address the app does not have: the usual menu, what happened, and the
ways on (home, find a doctor, the symptom checker)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.constants import Page404

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import page_column, page_title
from healthcareplus.ui.shared.registry import Page


def _way(label: Any, href: str, variant: str) -> rx.Component:
    """A link that looks like a button (one interactive element, not a button in a link)."""
    return rx.button(rx.link(label, href=href), as_child=True, size="3", variant=variant)


def not_found_page() -> rx.Component:
    return page_column(
        rx.vstack(
            rx.icon("map-pin-off", size=40, aria_hidden="true"),
            page_title(t("Page not found")),
            rx.text(
                t(
                    "There is no page at this address. It may have moved, or the link may be "
                    "mistyped."
                ),
                color_scheme="gray",
                text_align="center",
            ),
            rx.flex(
                _way(t("Go to the home page"), routes.HOME, "solid"),
                _way(t("Find a doctor"), routes.DOCTORS, "soft"),
                _way(t("Symptom checker"), routes.SYMPTOMS, "soft"),
                spacing="3",
                wrap="wrap",
                justify="center",
            ),
            align="center",
            spacing="4",
            padding_y="3em",
            width="100%",
            data_testid="not-found",
        ),
        max_width="720px",
    )


PAGES = [Page(not_found_page, Page404.SLUG, N_("Page not found"))]
