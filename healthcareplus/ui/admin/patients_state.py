"""Admin patient management: search, and one patient's profile, history, block/unblock
and edit. Every handler is admin-only; the patient's id comes from the page URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import patients as svc
from healthcareplus.domain.admin.patient_history import patient_history
from healthcareplus.ui.admin.lists import (
    SearchList,
    SortedList,
    clean_query,
    clean_status,
    form_values,
    list_rows,
    page_arg,
)
from healthcareplus.ui.admin.records import save_record
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text, last_path_id, parse_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field

HISTORY_PAGE_SIZE = 10


class AdminPatientsState(SortedList, SearchList, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> None:
        self.items = self._page_rows(
            svc.search_patients, q=self.q, status=self.status, sort=self.sort
        )
        self.loaded = True

    def _set_filters(self, values: Mapping[str, Any]) -> None:
        self.q = clean_query(values.get("q"))
        self.status = clean_status(values.get("status"), svc.STATUSES)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self._from_url()
        self.form_key += 1
        self._fetch()


class AdminPatientState(rx.State):
    patient: Field[dict[str, str]] = field(default_factory=dict)
    history: Field[list[dict[str, str]]] = field(default_factory=list)
    history_pager: Field[dict[str, str]] = field(default_factory=dict)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    saved: Field[str] = field("")
    block_error: Field[str] = field("")
    blocking: Field[bool] = field(False)
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _patient_id(self) -> int:
        return parse_id(self.patient.get("id")) or 0

    def _show(self, detail: svc.PatientDetail) -> None:
        self.patient = to_row(detail)
        self.form_key += 1

    def _fetch_history(self, page: int) -> None:
        with session_scope() as db:
            result = patient_history(
                db,
                patient_id=self._patient_id(),
                now=utcnow(),
                page=page,
                page_size=HISTORY_PAGE_SIZE,
            )
        self.history, self.history_pager, _ = list_rows(result)

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.loaded, self.not_found, self.patient, self.history = False, False, {}, []
        self.errors, self.message, self.saved, self.block_error = {}, "", "", ""
        self.blocking = False
        detail = in_session(svc.get_patient, patient_id=last_path_id(self.router.url.path) or 0)
        if isinstance(detail, Failed):
            self.not_found = True
        else:
            self._show(detail)
            self._fetch_history(1)
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def history_page(self, page: int) -> None:
        if self._patient_id():
            self._fetch_history(page_arg(page))

    @event
    @requires(Role.ADMIN)
    def save(self, form_data: FormData) -> EventSpec | None:
        values = form_values(form_data, svc.PROFILE_FIELDS, 4000)
        return save_record(
            self,
            svc.update_patient,
            saved="Patient details saved.",
            toast="Patient details saved.",
            patient_id=self._patient_id(),
            **values,
        )

    @event
    @requires(Role.ADMIN)
    def set_blocking(self, open_: bool) -> None:
        if type(open_) is bool:
            self.blocking, self.block_error = open_, ""

    @event
    @requires(Role.ADMIN)
    def block(self, form_data: FormData) -> EventSpec | None:
        self.block_error = ""
        detail = in_session(
            svc.block_patient,
            patient_id=self._patient_id(),
            reason=form_text(form_data, "reason", 600),
            **actor(),
            now=utcnow(),
        )
        if isinstance(detail, Failed) and detail.invalid:
            self.block_error = detail.field("reason")  # the dialog stays open with it
            return None
        if isinstance(detail, Failed):
            self.blocking = False
            return detail.toast()
        self._show(detail)
        self.blocking = False
        return rx.toast.success(f"{detail.name} is blocked from booking.")

    @event
    @requires(Role.ADMIN)
    def unblock(self) -> EventSpec:
        detail = in_session(
            svc.unblock_patient, patient_id=self._patient_id(), **actor(), now=utcnow()
        )
        if isinstance(detail, Failed):
            return detail.toast()
        self._show(detail)
        return rx.toast.success(f"{detail.name} can book again.")
