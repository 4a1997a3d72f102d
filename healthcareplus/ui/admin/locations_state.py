"""Admin cities and hospitals: lists with counts, and add/edit dialogs. Admin-only.

The record being edited is remembered in a backend var (``_editing``), set only by the
admin's own ``edit_*`` event after the id was checked against the database.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import locations as svc
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.admin.lists import form_values, list_rows, page_arg
from healthcareplus.ui.patient.account_state import _text
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import parse_id, to_rows

SPEC_FIELD = "spec-{}"  # one checkbox per catalogue specialty, by position


class AdminCitiesState(rx.State):
    cities: list[dict[str, str]] = []
    pager: dict[str, str] = {}
    page: int = 1
    city_form: dict[str, str] = {}
    errors: dict[str, str] = {}
    dialog_open: bool = False
    form_key: int = 0
    loaded: bool = False
    _editing: int = 0

    def _fetch(self) -> None:
        with session_scope() as db:
            result = svc.list_cities(db, page=self.page)
        self.cities, self.pager, self.page = list_rows(result)
        self.loaded = True

    def _open(self, form: dict[str, str], editing: int) -> None:
        self.city_form, self._editing, self.errors = form, editing, {}
        self.dialog_open, self.form_key = True, self.form_key + 1

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.dialog_open, self.errors, self._editing, self.page = False, {}, 0, 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def go_page(self, page: Any) -> None:
        self.page = page_arg(page)
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def new_city(self) -> None:
        self._open({"name": "", "state": ""}, 0)

    @rx.event
    @requires(Role.ADMIN)
    def edit_city(self, city_id: Any) -> rx.event.EventSpec | None:
        try:
            with session_scope() as db:
                row = svc.get_city(db, city_id=parse_id(city_id) or 0)
        except NotFound as exc:
            return rx.toast.error(str(exc))
        self._open({"name": row.name, "state": row.state}, row.id)
        return None

    @rx.event
    @requires(Role.ADMIN)
    def set_dialog_open(self, open_: Any) -> None:
        if type(open_) is bool:
            self.dialog_open = open_

    @rx.event
    @requires(Role.ADMIN)
    async def save_city(self, form_data: Any) -> rx.event.EventSpec | None:
        values = form_values(form_data, ("name", "state"), 100)
        viewer = current_viewer()
        try:
            with session_scope() as db:
                row = svc.save_city(
                    db,
                    city_id=self._editing or None,
                    **values,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except NotFound as exc:
            self.dialog_open = False
            return rx.toast.error(str(exc))
        self.dialog_open, self._editing, self.errors = False, 0, {}
        self._fetch()
        hospitals = await self.get_state(AdminHospitalsState)
        hospitals._fetch()  # city names and the city picker follow
        return rx.toast.success(f"{row.name} saved.")


class AdminHospitalsState(rx.State):
    hospitals: list[dict[str, str]] = []
    pager: dict[str, str] = {}
    city_options: list[dict[str, str]] = []
    city_filter: str = ""
    page: int = 1
    hospital_form: dict[str, str] = {}
    chosen: list[str] = []  # the edited hospital's specialties
    errors: dict[str, str] = {}
    dialog_open: bool = False
    form_key: int = 0
    _editing: int = 0

    def _fetch(self) -> None:
        with session_scope() as db:
            result = svc.list_hospitals(db, city_id=parse_id(self.city_filter), page=self.page)
            self.city_options = to_rows(svc.city_choices(db))
        self.hospitals, self.pager, self.page = list_rows(result)

    def _open(self, form: dict[str, str], chosen: list[str], editing: int) -> None:
        self.hospital_form, self.chosen, self._editing, self.errors = form, chosen, editing, {}
        self.dialog_open, self.form_key = True, self.form_key + 1

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.dialog_open, self.errors, self._editing, self.page = False, {}, 0, 1
        self.city_filter = str(parse_id(self.router.url.query_parameters.get("city")) or "")
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def filter_city(self, city_id: Any) -> None:
        self.city_filter, self.page = str(parse_id(city_id) or ""), 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def go_page(self, page: Any) -> None:
        self.page = page_arg(page)
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def new_hospital(self) -> None:
        form = dict.fromkeys(("name", "address", "phone"), "")
        self._open({**form, "city_id": self.city_filter}, [], 0)

    @rx.event
    @requires(Role.ADMIN)
    def edit_hospital(self, hospital_id: Any) -> rx.event.EventSpec | None:
        try:
            with session_scope() as db:
                row = svc.get_hospital(db, hospital_id=parse_id(hospital_id) or 0)
        except NotFound as exc:
            return rx.toast.error(str(exc))
        form = {"name": row.name, "address": row.address, "phone": row.phone}
        self._open({**form, "city_id": str(row.city_id)}, list(row.specialties), row.id)
        return None

    @rx.event
    @requires(Role.ADMIN)
    def set_dialog_open(self, open_: Any) -> None:
        if type(open_) is bool:
            self.dialog_open = open_

    @rx.event
    @requires(Role.ADMIN)
    async def save_hospital(self, form_data: Any) -> rx.event.EventSpec | None:
        values = form_values(form_data, ("city_id", "name", "address", "phone"), 400)
        specialties = [
            name
            for index, name in enumerate(SPECIALIZATIONS)
            if _text(form_data, SPEC_FIELD.format(index), 10) == "on"
        ]
        viewer = current_viewer()
        try:
            with session_scope() as db:
                row = svc.save_hospital(
                    db,
                    hospital_id=self._editing or None,
                    **values,
                    specialties=specialties,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except NotFound as exc:
            self.dialog_open = False
            return rx.toast.error(str(exc))
        self.dialog_open, self._editing, self.errors = False, 0, {}
        self._fetch()
        cities = await self.get_state(AdminCitiesState)
        cities._fetch()  # hospital counts follow
        return rx.toast.success(f"{row.name} saved.")
