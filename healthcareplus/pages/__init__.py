"""Every route of the app: each page module lists its own in ``PAGES``; this collects them
and adds the session check to every page's on-load events."""

from __future__ import annotations

import importlib
import pkgutil

import reflex as rx

from healthcareplus.pages.registry import Page
from healthcareplus.states.session import SessionState

TITLE = "HealthCarePlus"


def all_pages() -> list[Page]:
    pages: list[Page] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        pages.extend(getattr(module, "PAGES", ()))
    return pages


def register_pages(app: rx.App) -> None:
    for page in all_pages():
        app.add_page(
            page.component,
            route=page.route,
            title=f"{page.title} · {TITLE}",
            on_load=[SessionState.check_session, *page.on_load],
        )
