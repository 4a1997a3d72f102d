"""The dashboard's per-hospital and per-doctor tables, each with its own pages, for the
filters in the URL (a change of filters starts them at page 1). Admin-only. The pages
come from ``dashboard_views``: computed once per change for every page showing them."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.domain.admin.figures import COUNTS
from healthcareplus.ui.admin.dashboard_filters import dashboard_url, page_number, url_filters
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.rows import to_rows
from healthcareplus.ui.shared.typed import Field, event, field


class AdminBreakdownState(rx.State):
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    hospital_page: Field[int] = field(1)
    hospital_pages: Field[int] = field(1)
    hospital_total: Field[int] = field(0)
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    doctor_page: Field[int] = field(1)
    doctor_pages: Field[int] = field(1)
    doctor_total: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    _scope: str = ""  # the filters the pages belong to; new filters start at page 1

    def _refresh(self, marker: str | None = None) -> None:
        """The two tables' pages as of ``marker`` (default: the current one)."""
        filters = url_filters(self).without_page()
        if dashboard_url(filters) != self._scope:
            self._scope, self.hospital_page, self.doctor_page = dashboard_url(filters), 1, 1
        with session_scope() as db:
            marker = marker or views.change_marker(db)
            hospitals = views.hospitals(db, filters=filters, marker=marker, page=self.hospital_page)
            doctors = views.doctors(db, filters=filters, marker=marker, page=self.doctor_page)
        self.hospitals = to_rows(hospitals.items, counts=(*COUNTS, "doctors", "active_doctors"))
        self.doctors = to_rows(doctors.items, counts=COUNTS)
        self.hospital_page, self.hospital_pages = hospitals.page, hospitals.pages
        self.doctor_page, self.doctor_pages = doctors.page, doctors.pages
        self.hospital_total, self.doctor_total = hospitals.total, doctors.total
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._refresh()

    def _turn(self, table: str, page: int) -> None:
        """Show page ``page`` of the ``table`` ("hospital" or "doctor"), if it is a page."""
        if (number := page_number(page)) is not None:
            setattr(self, f"{table}_page", number)
            self._refresh()

    @event
    @requires(Role.ADMIN)
    def show_hospital_page(self, page: int) -> None:
        self._turn("hospital", page)

    @event
    @requires(Role.ADMIN)
    def show_doctor_page(self, page: int) -> None:
        self._turn("doctor", page)
