"""All doctors: search, filters, sort and server-side pages; the URL carries the filters."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.rows import to_rows

FILTER_KEYS = (
    "q",
    "city",
    "hospital",
    "specialization",
    "gender",
    "min_exp",
    "max_fee",
    "date",
    "sort",
)


def _form_query(form_data: Any) -> dict[str, str]:
    if not isinstance(form_data, dict):
        return {}
    return {
        key: value.strip()[:100]
        for key in FILTER_KEYS
        if isinstance(value := form_data.get(key), str) and value.strip()
    }


class DoctorSearchState(rx.State):
    doctors: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    first_item: int = 0
    last_item: int = 0
    has_prev: bool = False
    has_next: bool = False
    form: dict[str, str] = {}
    form_key: str = ""
    cities: list[dict[str, str]] = []
    hospitals: list[dict[str, str]] = []
    specializations: list[str] = []
    loading: bool = True

    def _run(self, filters: DoctorFilters) -> None:
        with session_scope() as db:
            result = search_doctors(
                db, filters=filters, page_size=get_settings().page_size, now=utcnow()
            )
            if not self.cities:
                self.cities = to_rows(discovery.list_cities(db))
                self.hospitals = to_rows(discovery.list_hospitals(db))
                self.specializations = [s.name for s in discovery.list_specializations(db)]
        self.doctors = to_rows(result.items)
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.first_item, self.last_item = result.first_item, result.last_item
        self.has_prev, self.has_next = result.has_prev, result.has_next
        query = result.filters.to_query()
        self.form = {key: query.get(key, "") for key in FILTER_KEYS}
        self.form_key = routes.doctors_url(query)
        self.loading = False

    @rx.event
    @public
    def load(self) -> None:
        self._run(DoctorFilters.from_query(dict(self.router.url.query_parameters)))

    def _show(self, filters: DoctorFilters) -> rx.event.EventSpec:
        self._run(filters)
        return rx.redirect(routes.doctors_url(filters.to_query()), replace=True)

    @rx.event
    @public
    def apply(self, form_data: dict) -> rx.event.EventSpec:
        return self._show(DoctorFilters.from_query(_form_query(form_data)))

    @rx.event
    @public
    def clear(self) -> rx.event.EventSpec:
        return self._show(DoctorFilters())

    @rx.event
    @public
    def go_to_page(self, page: int) -> rx.event.EventSpec | None:
        if not isinstance(page, int) or isinstance(page, bool):
            return None
        filters = DoctorFilters.from_query({**self.form, "page": str(page)})
        return self._show(filters)
