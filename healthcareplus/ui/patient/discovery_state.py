"""Browsing: home (cities, specialities), a city's hospitals, a hospital's doctors."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.rows import last_path_id, parse_id, to_row, to_rows


class HomeState(rx.State):
    cities: list[dict[str, str]] = []
    specializations: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    @public
    def load(self) -> None:
        with session_scope() as db:
            self.cities = to_rows(discovery.list_cities(db))
            self.specializations = to_rows(
                s for s in discovery.list_specializations(db) if s.doctor_count
            )
        self.loaded = True

    @rx.event
    @public
    def quick_search(self, form_data: dict) -> rx.event.EventSpec:
        query = form_data.get("q", "") if isinstance(form_data, dict) else ""
        filters = DoctorFilters(q=query if isinstance(query, str) else "")
        return rx.redirect(routes.doctors_url(filters.to_query()))


class CityState(rx.State):
    city: dict[str, str] = {}
    hospitals: list[dict[str, str]] = []
    not_found: bool = False
    loaded: bool = False

    @rx.event
    @public
    def load(self) -> None:
        self.loaded, self.not_found, self.hospitals = False, False, []
        city_id = last_path_id(self.router.url.path)
        try:
            if city_id is None:
                raise NotFound("No such city")
            with session_scope() as db:
                self.city = to_row(discovery.get_city(db, city_id=city_id))
                self.hospitals = to_rows(discovery.list_hospitals(db, city_id=city_id))
        except NotFound:
            self.not_found, self.city = True, {}
        self.loaded = True


class HospitalState(rx.State):
    hospital: dict[str, str] = {}
    specialties: list[str] = []
    doctors: list[dict[str, str]] = []
    specialization: str = ""
    not_found: bool = False
    loaded: bool = False

    def _load_doctors(self, hospital_id: int) -> None:
        filters = DoctorFilters(hospital_id=hospital_id, specialization=self.specialization)
        with session_scope() as db:
            page = search_doctors(db, filters=filters, page_size=100, now=utcnow())
        self.doctors = to_rows(page.items)

    @rx.event
    @public
    def load(self) -> None:
        self.loaded, self.not_found, self.specialization = False, False, ""
        hospital_id = last_path_id(self.router.url.path)
        try:
            if hospital_id is None:
                raise NotFound("No such hospital")
            with session_scope() as db:
                hospital = discovery.get_hospital(db, hospital_id=hospital_id)
            self.hospital = to_row(hospital)
            self._load_doctors(hospital_id)
            self.specialties = sorted({d["specialization"] for d in self.doctors})
        except NotFound:
            self.not_found, self.hospital, self.doctors = True, {}, []
        self.loaded = True

    @rx.event
    @public
    def filter_specialization(self, specialization: str) -> None:
        hospital_id = parse_id(self.hospital.get("id"))
        if hospital_id is None or not isinstance(specialization, str):
            return
        self.specialization = specialization if specialization in self.specialties else ""
        self._load_doctors(hospital_id)
