"""Symptom checker: free text -> ranked specialities -> matching doctors."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.domain.catalog.symptoms import match_specializations
from healthcareplus.ui.patient.card_slots import cards_with_slots
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.rows import parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

MAX_SYMPTOM_TEXT = 500


class SymptomState(rx.State):
    symptoms: Field[str] = field("")
    city: Field[str] = field("")
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    checked: Field[bool] = field(False)
    recognized: Field[list[str]] = field(default_factory=list)
    suggestions: Field[list[dict[str, str]]] = field(default_factory=list)
    message: Field[str] = field("")
    selected: Field[str] = field("")
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    next_slots: Field[dict[str, list[dict[str, str]]]] = field(default_factory=dict)
    doctor_total: Field[int] = field(0)
    see_all_url: Field[str] = field(routes.DOCTORS)

    @event
    @public
    def load(self) -> None:
        with session_scope() as db:
            self.cities = to_rows(discovery.list_cities(db))

    def _load_doctors(self) -> None:
        filters = DoctorFilters(specialization=self.selected, city_id=parse_id(self.city))
        now = utcnow()
        with session_scope() as db:
            page = search_doctors(db, filters=filters, page_size=6, now=now)
            self.doctors, self.next_slots = cards_with_slots(db, page.items, now=now)
        self.doctor_total = page.total
        self.see_all_url = routes.doctors_url(filters.to_query())

    @event
    @public
    def check(self, form_data: FormData) -> None:
        text = form_data.get("symptoms", "") if isinstance(form_data, dict) else ""
        city = form_data.get("city", "") if isinstance(form_data, dict) else ""
        self.symptoms = text[:MAX_SYMPTOM_TEXT] if isinstance(text, str) else ""
        self.city = city if isinstance(city, str) and parse_id(city) else ""
        result = match_specializations(self.symptoms)
        self.recognized = list(result.recognized)
        self.suggestions = [
            {
                "specialization": s.specialization,
                # No share to show for the fallback: nothing was recognised.
                "percent": str(round(s.score * 100)) if result.recognized else "",
                "because": ", ".join(s.because),
            }
            for s in result.suggestions
        ]
        self.message = result.message
        self.selected = result.suggestions[0].specialization if result.suggestions else ""
        self._load_doctors()
        self.checked = True

    @event
    @public
    def select(self, specialization: str) -> None:
        names = {s["specialization"] for s in self.suggestions}
        if isinstance(specialization, str) and specialization in names:
            self.selected = specialization
            self._load_doctors()
