"""The admin dashboard's filters: read from the page URL (the only source of truth) or a
submitted form, written back as a dashboard link, and page numbers from the browser.
Plain helpers shared by the dashboard's states."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.domain.admin.filters import MAX_PAGE, AdminFilters

FORM_KEYS = ("doctor", "hospital", "city", "from", "to", "status", "payment", "sort")


def dashboard_url(filters: AdminFilters) -> str:
    query = filters.to_query()
    return f"{routes.ADMIN_HOME}?{urlencode(query)}" if query else routes.ADMIN_HOME


def url_filters(state: rx.State) -> AdminFilters:
    return AdminFilters.from_query(dict(state.router.url.query_parameters))


def form_filters(form_data: Any) -> AdminFilters:
    """Filters from a submitted form: known keys, short strings, anything else ignored."""
    if not isinstance(form_data, dict):
        return AdminFilters()
    raw = {
        key: value.strip()[:20]
        for key in FORM_KEYS
        if isinstance(value := form_data.get(key), str) and value.strip()
    }
    return AdminFilters.from_query(raw)


def page_number(value: Any) -> int | None:
    """A page asked for by the browser: a plain int in range, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE:
        return None
    return value
