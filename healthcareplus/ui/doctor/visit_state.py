"""One visit (/doctor-portal/visits/<id>): the patient, their history with this doctor,
the treatment record with its prescription, and closing the visit.

The appointment id comes from the URL; every event re-checks on the server that it is
one of the caller's own appointments (``NotFound`` otherwise).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, NotFound, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_day as doctor_portal
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.ui.doctor.portal_state import acting_doctor_id
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row, to_rows

FIELDS = treatments.ITEM_FIELDS


def _line(index: int, values: dict[str, str] | None = None) -> dict[str, str]:
    """A prescription line of the form: its index (input names) and number (labels)."""
    return {**dict.fromkeys(FIELDS, ""), **(values or {}), "i": str(index), "n": str(index + 1)}


class DoctorVisitState(rx.State):
    visit: dict[str, str] = {}
    patient: dict[str, str] = {}
    history: list[dict[str, str]] = []
    record: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    loaded: bool = False
    not_found: bool = False
    error: str = ""

    def _fetch(self) -> None:
        appointment_id = self.visit.get("appointment_id", "")
        with session_scope() as db:
            detail = doctor_portal.visit(
                db, doctor_id=acting_doctor_id(), appointment_id=appointment_id, now=utcnow()
            )
        self.visit = to_row(detail)
        self.patient = to_row(detail.patient)
        self.history = to_rows(detail.history)
        record = detail.treatment
        self.record = to_row(record) if record else {}
        items = [to_row(item) for item in record.items] if record else []
        self.lines = [_line(i, values) for i, values in enumerate(items)] or [_line(0)]
        self.form_key += 1

    def _run(self, action: Any) -> rx.event.EventSpec:
        """Run a visit action, then show the visit as it now is."""
        try:
            message = action()
        except NotFound:
            self.reset()
            self.not_found, self.loaded = True, True
            return rx.toast.error("Appointment not found.")
        except ValidationFailed:
            raise  # shown next to the fields by the caller
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self._fetch()
        return rx.toast.success(message)

    @rx.event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self.visit = {"appointment_id": self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:36]}
        try:
            self._fetch()
        except NotFound:
            self.visit, self.not_found = {}, True
        except DomainError as exc:
            self.visit, self.error = {}, str(exc)
        self.loaded = True

    @rx.event
    @requires(Role.DOCTOR)
    def add_line(self) -> None:
        if self.visit and len(self.lines) < treatments.MAX_ITEMS:
            self.lines = [*self.lines, _line(len(self.lines))]

    @rx.event
    @requires(Role.DOCTOR)
    def save(self, form: dict) -> rx.event.EventSpec | None:
        data = form if isinstance(form, dict) else {}
        items = [{f: data.get(f"{f}-{i}", "") for f in FIELDS} for i in range(len(self.lines))]
        self.errors = {}

        def write() -> str:
            with session_scope() as db:
                treatments.save_treatment(
                    db,
                    doctor_id=acting_doctor_id(),
                    appointment_id=self.visit.get("appointment_id", ""),
                    visit_type=data.get("visit_type", ""),
                    diagnosis=data.get("diagnosis", ""),
                    notes=data.get("notes", ""),
                    items=items,
                    actor_id=current_viewer().id,
                    now=utcnow(),
                )
            return "Treatment record saved."

        try:
            return self._run(write)
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None

    def _close(self, close: Any) -> rx.event.EventSpec:
        def act() -> str:
            with session_scope() as db:
                outcome = close(
                    db,
                    doctor_id=acting_doctor_id(),
                    appointment_id=self.visit.get("appointment_id", ""),
                    actor_id=current_viewer().id,
                    now=utcnow(),
                )
            return outcome.message

        return self._run(act)

    @rx.event
    @requires(Role.DOCTOR)
    def complete(self) -> rx.event.EventSpec:
        return self._close(doctor_portal.mark_completed)

    @rx.event
    @requires(Role.DOCTOR)
    def no_show(self) -> rx.event.EventSpec:
        return self._close(doctor_portal.mark_no_show)

    @rx.event
    @requires(Role.DOCTOR)
    def cancel(self, form: dict) -> rx.event.EventSpec | None:
        reason = (form if isinstance(form, dict) else {}).get("reason", "")
        self.errors = {}

        def act() -> str:
            with session_scope() as db:
                outcome = doctor_portal.cancel_visit(
                    db,
                    doctor_id=acting_doctor_id(),
                    appointment_id=self.visit.get("appointment_id", ""),
                    actor_id=current_viewer().id,
                    reason=reason if isinstance(reason, str) else "",
                    now=utcnow(),
                )
            return outcome.message

        try:
            return self._run(act)
        except ValidationFailed as exc:
            self.errors = {"cancel_reason": exc.fields.get("reason", str(exc))}
            return None

    @rx.event
    @requires(Role.DOCTOR)
    def download_prescription(self) -> rx.event.EventSpec:
        try:
            with session_scope() as db:
                record = treatments.treatment_for_doctor(
                    db,
                    doctor_id=acting_doctor_id(),
                    appointment_id=self.visit.get("appointment_id", ""),
                )
        except DomainError as exc:
            return rx.toast.error(str(exc))
        if record is None:
            return rx.toast.error("Save the treatment record first.")
        return rx.download(
            data=treatments.prescription_pdf(record),
            filename=treatments.prescription_filename(record),
            mime_type="application/pdf",
        )
