"""Every route of the app: each page module (``*_page`` in a portal folder) lists its own
in ``PAGES``; this collects them and adds the session check to every page's on-load
events."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import reflex as rx

import healthcareplus.ui as ui
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.registry import Page
from healthcareplus.ui.shared.session import SessionState

TITLE = "HealthCarePlus"


def ui_module_names(suffix: str = "") -> list[str]:
    """Every module of the UI packages (optionally only those whose name ends in suffix)."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages(ui.__path__, prefix=f"{ui.__name__}.")
        if not info.ispkg and info.name.endswith(suffix)
    )


def all_pages() -> list[Page]:
    pages: list[Page] = []
    for name in ui_module_names("_page"):
        pages.extend(getattr(importlib.import_module(name), "PAGES", ()))
    return pages


def _titled(page: Page) -> Callable[[], rx.Component]:
    """The page with its title in the reader's language for ``/lang.js`` to put in the
    tab (the ``<title>`` written at build time is the English one)."""

    def component() -> rx.Component:
        title = t("{page} · {site}", page=t(page.title), site=TITLE)
        marker = rx.el.span(hidden=True, custom_attrs={"data-hcp-title": title})
        return rx.fragment(page.component(), marker)

    component.__name__ = getattr(page.component, "__name__", "page")
    return component


def register_pages(app: rx.App) -> None:
    for page in all_pages():
        app.add_page(
            _titled(page),
            route=page.route,
            title=f"{page.title} · {TITLE}",
            on_load=[SessionState.check_session, *page.on_load],
        )
