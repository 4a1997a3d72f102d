"""The admin dashboard (/admin): filters in the URL, figures and the appointment table
(the per-hospital / per-doctor tables with their own pages: ``dashboard_breakdowns_state``;
the charts: ``dashboard_charts_state``).

The URL's query is the only source of the filters (so a view can be shared, reloaded and
navigated back to); handlers that change them redirect, and the page's on-load runs again.
The page sends ``tick`` every second; it reloads everything only when the change marker
(``dashboard_views.change_marker``) moved (some booking, payment or admin action anywhere),
so the figures stay live. Every figure is read through ``dashboard_views``: computed once
per change for all the open pages with the same filters, not once per page.
"""

from __future__ import annotations

from dataclasses import replace

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.domain.admin.figures import COUNTS
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.visits_to_close import place_only
from healthcareplus.domain.reports.appointments_export import export_choices
from healthcareplus.domain.reports.download_links import export_link
from healthcareplus.ui.admin.action_dialog_state import AdminActionDialogState
from healthcareplus.ui.admin.attention_state import AdminAttentionState
from healthcareplus.ui.admin.dashboard_breakdowns_state import AdminBreakdownState
from healthcareplus.ui.admin.dashboard_charts_state import AdminChartsState
from healthcareplus.ui.admin.dashboard_filters import (
    FORM_KEYS,
    dashboard_url,
    form_filters,
    page_number,
    url_filters,
)
from healthcareplus.ui.admin.exports import options
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.shared.downloads import download
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.paging import PageFacts
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

# The statistic cards' counts (the money is shown as labels in rupees).
STAT_COUNTS = (*COUNTS, "doctors", "active_doctors", "pending_payments", "successful_payments")


class AdminDashboardState(PageFacts, rx.State):
    form: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[str] = field("")
    filtered: Field[bool] = field(False)
    stats: Field[dict[str, str]] = field(default_factory=dict)
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    updated_at: Field[str] = field("")  # clinic time of the last reload, e.g. "09:30 AM"
    loaded: Field[bool] = field(False)
    _version: str = ""

    def _run(self, filters: AdminFilters, marker: str | None = None) -> None:
        """Show ``filters``' figures as of ``marker`` (default: the current one)."""
        now = utcnow()
        with session_scope() as db:
            self._version = marker = marker or views.change_marker(db)
            stats = views.stats(db, filters=filters, marker=marker, now=now)
            listing = views.appointments(db, filters=filters, marker=marker, now=now)
            if not self.doctors:
                choices = export_choices(db)
                self.cities, self.hospitals = options(choices.cities), options(choices.hospitals)
                self.doctors = options(choices.doctors)
        self.stats = to_row(stats, counts=STAT_COUNTS)
        self.items = to_rows(listing.items)
        self._show_page_facts(listing)
        query = filters.to_query()
        self.form = {key: query.get(key, "") for key in FORM_KEYS}
        self.form["from"] = filters.date_from.isoformat() if filters.date_from else ""
        self.form["to"] = filters.date_to.isoformat() if filters.date_to else ""
        self.form["sort"] = filters.sort
        self.form_key = dashboard_url(filters.without_page())
        self.filtered = filters.without_page() != AdminFilters(sort=filters.sort)
        self.updated_at = format_local_time(now)
        self.loaded = True

    def _go(self, filters: AdminFilters) -> EventSpec | None:
        if filters == url_filters(self):  # same view: reload in place
            self._run(filters)
            return None
        return rx.redirect(dashboard_url(filters))

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._run(url_filters(self))

    @event
    @requires(Role.ADMIN)
    def apply(self, form_data: dict) -> EventSpec | None:
        return self._go(form_filters(form_data))

    @event
    @requires(Role.ADMIN)
    def clear(self) -> EventSpec | None:
        return self._go(AdminFilters())

    @event
    @requires(Role.ADMIN)
    def show_today(self) -> EventSpec | None:
        """Today's visits in the filters' place, in the order of the day."""
        today = clinic_today(utcnow())
        place = place_only(url_filters(self))
        return self._go(replace(place, date_from=today, date_to=today, sort="start_asc"))

    @event
    @requires(Role.ADMIN)
    def go_to_page(self, page: int) -> EventSpec | None:
        number = page_number(page)
        if number is None:
            return None
        return self._go(url_filters(self).with_page(number))

    @event
    @requires(Role.ADMIN)
    async def tick(self) -> None:
        """Reload when the data moved, unless an action's reason dialog is being typed in."""
        if not self.loaded or (await self.get_state(AdminActionDialogState)).dialog:
            return
        with session_scope() as db:
            marker = views.change_marker(db)
        if marker == self._version:
            return
        self._run(url_filters(self), marker)
        (await self.get_state(AdminBreakdownState))._refresh(marker)
        (await self.get_state(AdminAttentionState))._refresh(marker)
        (await self.get_state(AdminChartsState))._refresh(marker)
        (await self.get_state(AdminHomeState))._refresh(marker)

    @event
    @requires(Role.ADMIN)
    def export_csv(self) -> EventSpec:
        """Every appointment matching the filters in the URL, through a one-time link made
        now, on the click (a link made ahead would be used up by the first download)."""
        now = utcnow()
        link = in_session(export_link, current_viewer().id, url_filters(self), now)
        if isinstance(link, Failed):
            return link.toast()
        return download(link, f"appointments-{clinic_today(now).isoformat()}.csv")
