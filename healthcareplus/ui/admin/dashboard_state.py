"""The admin dashboard (/admin): filters in the URL, figures, the appointment table, and
the per-hospital / per-doctor tables with their own pages (the charts:
``admin_dashboard_charts``).

The URL's query is the only source of the filters (so a view can be shared, reloaded and
navigated back to); handlers that change them redirect, and the page's on-load runs again.
The page sends ``tick`` every second; it reloads everything only when ``data_version``
moved (some booking, payment or admin action anywhere), so the figures stay live.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx
from reflex.config import get_config

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard as admin_dashboard
from healthcareplus.domain.admin import dashboard_breakdowns as admin_dashboard_breakdowns
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import MAX_PAGE, AdminFilters
from healthcareplus.domain.admin.overview import overview
from healthcareplus.domain.reports import reports
from healthcareplus.domain.reports.download_links import export_link
from healthcareplus.ui.admin.actions_state import AdminActionsState
from healthcareplus.ui.admin.dashboard_charts_state import AdminChartsState
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row, to_rows

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


def download(link: str, filename: str) -> rx.event.EventSpec:
    """Fetch a same-site API link: one port in production; in dev the API has its own."""
    config = get_config()
    if config.frontend_port and config.backend_port and config.frontend_port != config.backend_port:
        return rx.redirect(config.api_url.rstrip("/") + link)
    return rx.download(url=link, filename=filename)


def _options(choices: tuple[reports.Choice, ...]) -> list[dict[str, str]]:
    return [{"id": str(c.id), "label": c.label} for c in choices]


class AdminDashboardState(rx.State):
    form: dict[str, str] = {}
    form_key: str = ""
    filtered: bool = False
    stats: dict[str, str] = {}
    items: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    total: int = 0
    first_item: int = 0
    last_item: int = 0
    cities: list[dict[str, str]] = []
    hospitals: list[dict[str, str]] = []
    doctors: list[dict[str, str]] = []
    updated_at: str = ""  # clinic time of the last reload, e.g. "09:30 AM"
    loaded: bool = False
    _version: str = ""

    def _run(self, filters: AdminFilters) -> None:
        now = utcnow()
        with session_scope() as db:
            self._version = admin_dashboard.data_version(db)
            stats = admin_dashboard.dashboard_stats(db, filters=filters, now=now)
            listing = list_appointments(db, filters=filters, now=now)
            if not self.doctors:
                choices = reports.export_choices(db)
                self.cities, self.hospitals = _options(choices.cities), _options(choices.hospitals)
                self.doctors = _options(choices.doctors)
        self.stats = to_row(stats)
        self.items = to_rows(listing.items)
        self.page, self.pages, self.total = listing.page, listing.pages, listing.total
        self.first_item, self.last_item = listing.first_item, listing.last_item
        query = filters.to_query()
        self.form = {key: query.get(key, "") for key in FORM_KEYS}
        self.form["from"] = filters.date_from.isoformat() if filters.date_from else ""
        self.form["to"] = filters.date_to.isoformat() if filters.date_to else ""
        self.form["sort"] = filters.sort
        self.form_key = dashboard_url(filters.without_page())
        self.filtered = filters.without_page() != AdminFilters(sort=filters.sort)
        self.updated_at = format_local_time(now)
        self.loaded = True

    def _go(self, filters: AdminFilters) -> rx.event.EventSpec | None:
        if filters == url_filters(self):  # same view: reload in place
            self._run(filters)
            return None
        return rx.redirect(dashboard_url(filters))

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._run(url_filters(self))

    @rx.event
    @requires(Role.ADMIN)
    def apply(self, form_data: dict) -> rx.event.EventSpec | None:
        return self._go(form_filters(form_data))

    @rx.event
    @requires(Role.ADMIN)
    def clear(self) -> rx.event.EventSpec | None:
        return self._go(AdminFilters())

    @rx.event
    @requires(Role.ADMIN)
    def go_to_page(self, page: int) -> rx.event.EventSpec | None:
        number = page_number(page)
        if number is None:
            return None
        return self._go(url_filters(self).with_page(number))

    @rx.event
    @requires(Role.ADMIN)
    async def tick(self) -> None:
        """Reload when the data moved, unless an action's reason dialog is being typed in."""
        if not self.loaded or (await self.get_state(AdminActionsState)).dialog:
            return
        with session_scope() as db:
            if admin_dashboard.data_version(db) == self._version:
                return
            figures = dict(overview(db, now=utcnow()).__dict__)
        self._run(url_filters(self))
        (await self.get_state(AdminBreakdownState))._refresh()
        (await self.get_state(AdminChartsState))._refresh()
        (await self.get_state(AdminHomeState)).figures = figures

    @rx.event
    @requires(Role.ADMIN)
    def export_csv(self) -> rx.event.EventSpec:
        """Every appointment matching the filters in the URL, through a signed link."""
        now = utcnow()
        link = export_link(current_viewer().id, url_filters(self), now)
        return download(link, f"appointments-{clinic_today(now).isoformat()}.csv")


class AdminBreakdownState(rx.State):
    hospitals: list[dict[str, str]] = []
    hospital_page: int = 1
    hospital_pages: int = 1
    hospital_total: int = 0
    doctors: list[dict[str, str]] = []
    doctor_page: int = 1
    doctor_pages: int = 1
    doctor_total: int = 0
    loaded: bool = False
    _scope: str = ""  # the filters the pages belong to; new filters start at page 1

    def _refresh(self) -> None:
        filters = url_filters(self).without_page()
        if dashboard_url(filters) != self._scope:
            self._scope, self.hospital_page, self.doctor_page = dashboard_url(filters), 1, 1
        with session_scope() as db:
            hospitals = admin_dashboard_breakdowns.bookings_per_hospital(
                db, filters=filters, page=self.hospital_page
            )
            doctors = admin_dashboard_breakdowns.bookings_per_doctor(
                db, filters=filters, page=self.doctor_page
            )
        self.hospitals, self.doctors = to_rows(hospitals.items), to_rows(doctors.items)
        self.hospital_page, self.hospital_pages = hospitals.page, hospitals.pages
        self.doctor_page, self.doctor_pages = doctors.page, doctors.pages
        self.hospital_total, self.doctor_total = hospitals.total, doctors.total
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._refresh()

    @rx.event
    @requires(Role.ADMIN)
    def show_hospital_page(self, page: int) -> None:
        if (number := page_number(page)) is not None:
            self.hospital_page = number
            self._refresh()

    @rx.event
    @requires(Role.ADMIN)
    def show_doctor_page(self, page: int) -> None:
        if (number := page_number(page)) is not None:
            self.doctor_page = number
            self._refresh()
