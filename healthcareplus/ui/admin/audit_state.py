"""The audit log page (/admin/audit?actor=&appointment=&from=&to=&page=).

Filters live in the URL, so a filtered view can be shared and survives a reload.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import audit_log
from healthcareplus.ui.admin.timetable_state import parse_day
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.rows import parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

FILTERS = ("actor", "appointment", "from", "to")
TEXT_MAX = {"actor": 100, "appointment": 36}
PAGE_MAX = 100_000


def clean_filters(raw: Any) -> dict[str, str]:
    """The four filters from a form or the URL; malformed values become ""."""
    source = raw if isinstance(raw, dict) else {}
    out: dict[str, str] = {}
    for key in FILTERS:
        value = source.get(key)
        text = " ".join(value.split()) if isinstance(value, str) else ""
        if key in TEXT_MAX:
            out[key] = text[: TEXT_MAX[key]]
        else:
            day = parse_day(text)
            out[key] = day.isoformat() if day else ""
    return out


def audit_url(filters: dict[str, str], page: int = 1) -> str:
    query = {k: v for k, v in filters.items() if v}
    if page > 1:
        query["page"] = str(page)
    return f"{routes.ADMIN_AUDIT}?{urlencode(query)}" if query else routes.ADMIN_AUDIT


class AdminAuditState(rx.State):
    filters: Field[dict[str, str]] = field(default_factory=dict)
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    total: Field[int] = field(0)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    loaded: Field[bool] = field(False)

    @rx.var
    def filter_key(self) -> str:
        """Changes with the filters, so the form's uncontrolled inputs are re-created."""
        return "|".join(self.filters.get(k, "") for k in FILTERS)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        params = self.router.url.query_parameters
        self.filters = clean_filters(dict(params))
        page = parse_id(params.get("page")) or 1
        with session_scope() as db:
            result = audit_log.list_events(
                db,
                actor_query=self.filters["actor"],
                appointment_id=self.filters["appointment"],
                date_from=parse_day(self.filters["from"]),
                date_to=parse_day(self.filters["to"]),
                page=min(page, PAGE_MAX),
            )
        self.rows = to_rows(result.rows)
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def apply(self, form_data: FormData) -> EventSpec:
        return rx.redirect(audit_url(clean_filters(form_data)))

    @event
    @requires(Role.ADMIN)
    def go_to_page(self, page: int) -> EventSpec | None:
        if type(page) is not int or not 1 <= page <= self.pages:
            return None
        return rx.redirect(audit_url(clean_filters(self.filters), page))

    @event
    @requires(Role.ADMIN)
    def clear(self) -> EventSpec:
        return rx.redirect(routes.ADMIN_AUDIT)
