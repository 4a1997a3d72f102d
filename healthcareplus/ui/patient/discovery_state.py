"""Browsing: home (cities, specialities), a city's hospitals, a hospital's doctors."""

from __future__ import annotations

from typing import NamedTuple

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.ui.patient.card_slots import cards_with_slots
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import last_path_id, parse_id, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

POPULAR_SPECIALITIES = 8  # the home page on a phone shows these, then a link to all


class HomeLists(NamedTuple):
    """The home page's lists: every city, every speciality with doctors, and for a phone
    the most staffed ones (ties by name)."""

    cities: list[dict[str, str]]
    specializations: list[dict[str, str]]
    popular: list[dict[str, str]]


def home_lists(db: Session) -> HomeLists:
    offered = [s for s in discovery.list_specializations(db) if s.doctor_count]
    by_doctors = sorted(offered, key=lambda s: (-s.doctor_count, s.name.lower()))
    return HomeLists(
        cities=to_rows(discovery.list_cities(db)),
        specializations=to_rows(offered),
        popular=to_rows(by_doctors[:POPULAR_SPECIALITIES]),
    )


class HomeState(rx.State):
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    specializations: Field[list[dict[str, str]]] = field(default_factory=list)
    popular: Field[list[dict[str, str]]] = field(default_factory=list)  # for a phone
    loaded: Field[bool] = field(False)

    @event
    @public
    def load(self) -> None:
        with session_scope() as db:
            self.cities, self.specializations, self.popular = home_lists(db)
        self.loaded = True

    @event
    @public
    def quick_search(self, form_data: FormData) -> EventSpec:
        query = form_data.get("q", "") if isinstance(form_data, dict) else ""
        filters = DoctorFilters(q=query if isinstance(query, str) else "")
        return rx.redirect(routes.doctors_url(filters.to_query()))


def _city_and_hospitals(
    db: Session, *, city_id: int
) -> tuple[dict[str, str], list[dict[str, str]]]:
    city = discovery.get_city(db, city_id=city_id)  # NotFound first
    return to_row(city), to_rows(discovery.list_hospitals(db, city_id=city_id))


class CityState(rx.State):
    city: Field[dict[str, str]] = field(default_factory=dict)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    not_found: Field[bool] = field(False)
    loaded: Field[bool] = field(False)

    @event
    @public
    def load(self) -> None:
        self.loaded, self.not_found, self.hospitals = False, False, []
        found = in_session(_city_and_hospitals, city_id=last_path_id(self.router.url.path) or 0)
        if isinstance(found, Failed):
            self.not_found, self.city = True, {}
        else:
            self.city, self.hospitals = found
        self.loaded = True


class HospitalState(rx.State):
    hospital: Field[dict[str, str]] = field(default_factory=dict)
    specialties: Field[list[str]] = field(default_factory=list)
    doctors: Field[list[dict[str, str]]] = field(default_factory=list)
    next_slots: Field[dict[str, list[dict[str, str]]]] = field(default_factory=dict)
    specialization: Field[str] = field("")
    not_found: Field[bool] = field(False)
    loaded: Field[bool] = field(False)

    def _load_doctors(self, hospital_id: int) -> None:
        filters = DoctorFilters(hospital_id=hospital_id, specialization=self.specialization)
        now = utcnow()
        with session_scope() as db:
            page = search_doctors(db, filters=filters, page_size=100, now=now)
            self.doctors, self.next_slots = cards_with_slots(db, page.items, now=now)

    @event
    @public
    def load(self) -> None:
        self.loaded, self.not_found, self.specialization = False, False, ""
        hospital = in_session(
            discovery.get_hospital, hospital_id=last_path_id(self.router.url.path) or 0
        )
        if isinstance(hospital, Failed):
            self.not_found, self.hospital, self.doctors, self.next_slots = True, {}, [], {}
        else:
            self.hospital = to_row(hospital)
            self._load_doctors(hospital.id)
            self.specialties = sorted({d["specialization"] for d in self.doctors})
        self.loaded = True

    @event
    @public
    def filter_specialization(self, specialization: str) -> None:
        hospital_id = parse_id(self.hospital.get("id"))
        if hospital_id is None or not isinstance(specialization, str):
            return
        self.specialization = specialization if specialization in self.specialties else ""
        self._load_doctors(hospital_id)
