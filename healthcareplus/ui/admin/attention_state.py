"""The dashboard's "Needs attention" list: visits past their start that nobody has closed,
in the place the dashboard's filters name, oldest first, a page at a time. Admin-only;
``AdminDashboardState.tick`` refreshes it when the data moved (so a visit the admin marks
a no-show leaves the list at once)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.ui.admin.dashboard_filters import dashboard_url, page_number, url_filters
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.rows import to_rows
from healthcareplus.ui.shared.typed import Field, event, field


class AdminAttentionState(rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    total: Field[int] = field(0)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    loaded: Field[bool] = field(False)
    _scope: str = ""  # the filters the page belongs to; new filters start at page 1

    def _refresh(self, marker: str | None = None) -> None:
        filters = url_filters(self).without_page()
        if dashboard_url(filters) != self._scope:
            self._scope, self.page = dashboard_url(filters), 1
        with session_scope() as db:
            marker = marker or views.change_marker(db)
            found = views.to_close(db, filters=filters, marker=marker, now=utcnow(), page=self.page)
        self.items, self.total = to_rows(found.items), found.total
        self.page, self.pages = found.page, found.pages
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._refresh()

    @event
    @requires(Role.ADMIN)
    def show_page(self, page: int) -> None:
        if (number := page_number(page)) is not None:
            self.page = number
            self._refresh()
