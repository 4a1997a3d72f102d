"""Admin patient management: search, and one patient's profile, history, block/unblock
and edit. Every handler is admin-only; the patient's id comes from the page URL."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import patients as svc
from healthcareplus.ui.admin.lists import (
    clean_query,
    clean_status,
    form_values,
    list_rows,
    page_arg,
)
from healthcareplus.ui.patient.account_state import _text
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import last_path_id, parse_id, to_row

HISTORY_PAGE_SIZE = 10


class AdminPatientsState(rx.State):
    items: list[dict[str, str]] = []
    pager: dict[str, str] = {}
    q: str = ""
    status: str = "all"
    page: int = 1
    form_key: int = 0
    loaded: bool = False

    def _fetch(self) -> None:
        with session_scope() as db:
            result = svc.search_patients(db, q=self.q, status=self.status, page=self.page)
        self.items, self.pager, self.page = list_rows(result)
        self.loaded = True

    def _set_filters(self, q: Any, status: Any) -> None:
        self.q = clean_query(q)
        self.status = clean_status(status, svc.STATUSES)

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        params = self.router.url.query_parameters
        self._set_filters(params.get("q"), params.get("status"))
        self.page = page_arg(params.get("page"))
        self.form_key += 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def search(self, form_data: Any) -> None:
        values = form_values(form_data, ("q", "status"), 100)
        self._set_filters(values["q"], values["status"])
        self.page = 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def go_page(self, page: Any) -> None:
        self.page = page_arg(page)
        self._fetch()


class AdminPatientState(rx.State):
    patient: dict[str, str] = {}
    history: list[dict[str, str]] = []
    history_pager: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str = ""
    saved: str = ""
    block_error: str = ""
    blocking: bool = False
    form_key: int = 0
    loaded: bool = False
    not_found: bool = False

    def _patient_id(self) -> int:
        return parse_id(self.patient.get("id")) or 0

    def _show(self, detail: svc.PatientDetail) -> None:
        self.patient = to_row(detail)
        self.form_key += 1

    def _fetch_history(self, page: int) -> None:
        with session_scope() as db:
            result = svc.patient_history(
                db,
                patient_id=self._patient_id(),
                now=utcnow(),
                page=page,
                page_size=HISTORY_PAGE_SIZE,
            )
        self.history, self.history_pager, _ = list_rows(result)

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.loaded, self.not_found, self.patient, self.history = False, False, {}, []
        self.errors, self.message, self.saved, self.block_error = {}, "", "", ""
        self.blocking = False
        try:
            with session_scope() as db:
                self._show(svc.get_patient(db, patient_id=last_path_id(self.router.url.path) or 0))
            self._fetch_history(1)
        except NotFound:
            self.not_found = True
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    def history_page(self, page: Any) -> None:
        if self._patient_id():
            self._fetch_history(page_arg(page))

    @rx.event
    @requires(Role.ADMIN)
    def save(self, form_data: Any) -> rx.event.EventSpec | None:
        self.errors, self.message, self.saved = {}, "", ""
        values = form_values(form_data, svc.PROFILE_FIELDS, 4000)
        viewer = current_viewer()
        try:
            with session_scope() as db:
                detail = svc.update_patient(
                    db,
                    patient_id=self._patient_id(),
                    **values,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors, self.message = exc.fields, "Please correct the highlighted fields."
            return None
        except NotFound as exc:
            self.message = str(exc)
            return None
        self._show(detail)
        self.saved = "Patient details saved."
        return rx.toast.success("Patient details saved.")

    @rx.event
    @requires(Role.ADMIN)
    def set_blocking(self, open_: Any) -> None:
        if type(open_) is bool:
            self.blocking, self.block_error = open_, ""

    @rx.event
    @requires(Role.ADMIN)
    def block(self, form_data: Any) -> rx.event.EventSpec | None:
        self.block_error = ""
        viewer = current_viewer()
        try:
            with session_scope() as db:
                detail = svc.block_patient(
                    db,
                    patient_id=self._patient_id(),
                    reason=_text(form_data, "reason", 600),
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.block_error = exc.fields.get("reason", str(exc))
            return None
        except (Conflict, NotFound) as exc:
            self.blocking = False
            return rx.toast.error(str(exc))
        self._show(detail)
        self.blocking = False
        return rx.toast.success(f"{detail.name} is blocked from booking.")

    @rx.event
    @requires(Role.ADMIN)
    def unblock(self) -> rx.event.EventSpec:
        viewer = current_viewer()
        try:
            with session_scope() as db:
                detail = svc.unblock_patient(
                    db,
                    patient_id=self._patient_id(),
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except (Conflict, NotFound, ValidationFailed) as exc:
            return rx.toast.error(str(exc))
        self._show(detail)
        return rx.toast.success(f"{detail.name} can book again.")
