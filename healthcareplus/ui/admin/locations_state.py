"""Admin cities and hospitals: lists with counts, and add/edit dialogs. Admin-only.

The record being edited is remembered in a backend var (``_editing``), set only by the
admin's own ``edit_*`` event after the id was checked against the database.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import location_edits
from healthcareplus.domain.admin import locations as svc
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS
from healthcareplus.ui.admin.lists import EditDialog, PagedList, form_values
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

SPEC_FIELD = "spec-{}"  # one checkbox per catalogue specialty, by position


async def _saved(state: Any, row: Any, follows: type[rx.State]) -> EventSpec | None:
    """The end of a save in ``state``'s dialog: a refusal stays in the dialog (or closes
    it, see ``EditDialog._refused``); else the dialog closes and this list and the one
    that ``follows`` it (its names or counts) show the change."""
    if isinstance(row, Failed):
        return state._refused(row)
    state._close_dialog()
    state._fetch()
    (await state.get_state(follows))._fetch()
    return rx.toast.success(f"{row.name} saved.")


class AdminCitiesState(PagedList, EditDialog, rx.State):
    cities: Field[list[dict[str, str]]] = field(default_factory=list)
    city_form: Field[dict[str, str]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> None:
        self.cities = self._page_rows(svc.list_cities)
        self.loaded = True

    def _open(self, form: dict[str, str], editing: int) -> None:
        self.city_form = form
        self._opened(editing)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._reload()

    @event
    @requires(Role.ADMIN)
    def new_city(self) -> None:
        self._open({"name": "", "state": ""}, 0)

    @event
    @requires(Role.ADMIN)
    def edit_city(self, city_id: str) -> EventSpec | None:
        row = in_session(svc.get_city, city_id=parse_id(city_id) or 0)
        if isinstance(row, Failed):
            return row.toast()
        self._open({"name": row.name, "state": row.state}, row.id)
        return None

    @event
    @requires(Role.ADMIN)
    async def save_city(self, form_data: FormData) -> EventSpec | None:
        values = form_values(form_data, ("name", "state"), 100)
        row = in_session(
            location_edits.save_city,
            city_id=self._editing or None,
            name=values["name"],
            state=values["state"],
            **actor(),
            now=utcnow(),
        )
        return await _saved(self, row, AdminHospitalsState)  # city names and picker


class AdminHospitalsState(PagedList, EditDialog, rx.State):
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    city_options: Field[list[dict[str, str]]] = field(default_factory=list)
    city_filter: Field[str] = field("")
    hospital_form: Field[dict[str, str]] = field(default_factory=dict)
    chosen: Field[list[str]] = field(default_factory=list)  # the edited hospital's specialties

    def _fetch(self) -> None:
        self.hospitals = self._page_rows(svc.list_hospitals, city_id=parse_id(self.city_filter))
        with session_scope() as db:
            self.city_options = to_rows(svc.city_choices(db))

    def _open(self, form: dict[str, str], chosen: list[str], editing: int) -> None:
        self.hospital_form, self.chosen = form, chosen
        self._opened(editing)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.city_filter = str(parse_id(self.router.url.query_parameters.get("city")) or "")
        self._reload()

    @event
    @requires(Role.ADMIN)
    def filter_city(self, city_id: str) -> None:
        self.city_filter, self.page = str(parse_id(city_id) or ""), 1
        self._fetch()

    @event
    @requires(Role.ADMIN)
    def new_hospital(self) -> None:
        form = dict.fromkeys(("name", "address", "phone"), "")
        self._open({**form, "city_id": self.city_filter}, [], 0)

    @event
    @requires(Role.ADMIN)
    def edit_hospital(self, hospital_id: str) -> EventSpec | None:
        row = in_session(svc.get_hospital, hospital_id=parse_id(hospital_id) or 0)
        if isinstance(row, Failed):
            return row.toast()
        form = {"name": row.name, "address": row.address, "phone": row.phone}
        self._open({**form, "city_id": str(row.city_id)}, list(row.specialties), row.id)
        return None

    @event
    @requires(Role.ADMIN)
    async def save_hospital(self, form_data: FormData) -> EventSpec | None:
        values = form_values(form_data, ("city_id", "name", "address", "phone"), 400)
        specialties = [
            name
            for index, name in enumerate(SPECIALIZATIONS)
            if form_text(form_data, SPEC_FIELD.format(index), 10) == "on"
        ]
        row = in_session(
            location_edits.save_hospital,
            hospital_id=self._editing or None,
            city_id=values["city_id"],
            name=values["name"],
            address=values["address"],
            phone=values["phone"],
            specialties=specialties,
            **actor(),
            now=utcnow(),
        )
        return await _saved(self, row, AdminCitiesState)  # hospital counts
