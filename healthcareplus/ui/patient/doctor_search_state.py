"""All doctors: search, filters, sort and server-side pages; the URL carries the filters."""

from __future__ import annotations

from typing import Any, NamedTuple

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.ui.patient.card_slots import cards_with_slots
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.paging import PageFacts
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

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


# A first-view card's day of its next free slots, while the live ones are on the way.
SLOTS_PENDING = "checking…"


class FirstPage(NamedTuple):
    """The unfiltered search's first page without the free slots (they depend on the
    hour): its cards (``next_day`` pending, no chips) and the count above them."""

    doctors: list[dict[str, str]]
    next_slots: dict[str, list[dict[str, str]]]
    first_item: int
    last_item: int
    total: int


def first_page(db: Session) -> FirstPage:
    size = get_settings().page_size
    result = search_doctors(db, filters=DoctorFilters(), page_size=size, now=utcnow())
    return FirstPage(
        doctors=[to_row(doctor, next_day=SLOTS_PENDING) for doctor in result.items],
        next_slots={str(doctor.id): [] for doctor in result.items},
        first_item=result.first_item,
        last_item=result.last_item,
        total=result.total,
    )


def _form_query(form_data: Any) -> dict[str, str]:
    if not isinstance(form_data, dict):
        return {}
    return {
        key: value.strip()[:100]
        for key in FILTER_KEYS
        if isinstance(value := form_data.get(key), str) and value.strip()
    }


class DoctorSearchState(PageFacts, rx.State):
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    next_slots: Field[dict[str, list[dict[str, str]]]] = field(default_factory=dict)
    has_prev: Field[bool] = field(False)
    has_next: Field[bool] = field(False)
    form: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[str] = field("")
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    specializations: Field[list[str]] = field(default_factory=list)
    loading: Field[bool] = field(True)

    def _run(self, filters: DoctorFilters) -> None:
        now = utcnow()
        with session_scope() as db:
            result = search_doctors(
                db, filters=filters, page_size=get_settings().page_size, now=now
            )
            self.doctors, self.next_slots = cards_with_slots(db, result.items, now=now)
            if not self.cities:
                self.cities = to_rows(discovery.list_cities(db))
                self.hospitals = to_rows(discovery.list_hospitals(db))
                self.specializations = [s.name for s in discovery.list_specializations(db)]
        self._show_page_facts(result)
        self.has_prev, self.has_next = result.has_prev, result.has_next
        query = result.filters.to_query()
        self.form = {key: query.get(key, "") for key in FILTER_KEYS}
        self.form_key = routes.doctors_url(query)
        self.loading = False

    @event
    @public
    def load(self) -> None:
        self._run(DoctorFilters.from_query(dict(self.router.url.query_parameters)))

    def _show(self, filters: DoctorFilters) -> EventSpec:
        self._run(filters)
        return rx.redirect(routes.doctors_url(filters.to_query()), replace=True)

    @event
    @public
    def apply(self, form_data: FormData) -> EventSpec:
        return self._show(DoctorFilters.from_query(_form_query(form_data)))

    @event
    @public
    def clear(self) -> EventSpec:
        return self._show(DoctorFilters())

    @event
    @public
    def go_to_page(self, page: int) -> EventSpec | None:
        if not isinstance(page, int) or isinstance(page, bool):
            return None
        filters = DoctorFilters.from_query({**self.form, "page": str(page)})
        return self._show(filters)
