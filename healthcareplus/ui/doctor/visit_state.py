"""One visit (/doctor-portal/visits/<id>): the patient, their history with this doctor,
the treatment record with its prescription, closing the visit and recording the fee paid
at the clinic.

The appointment id comes from the URL; every event re-checks on the server that it is
one of the caller's own appointments (``NotFound`` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_day as doctor_portal
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.domain.clinical.treatment_fields import MAX_ITEMS
from healthcareplus.ui.doctor.portal_state import as_doctor
from healthcareplus.ui.doctor.prescription_lines import form_items, new_line, next_id, numbered
from healthcareplus.ui.doctor.record_components import prescription_download
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field


def _form_fields(failed: Failed) -> dict[str, str]:
    return failed.fields


def _cancel_fields(failed: Failed) -> dict[str, str]:
    """The cancel dialog has one field, ``cancel_reason`` (the service's ``reason``)."""
    return {"cancel_reason": failed.field("reason")}


class DoctorVisitState(rx.State):
    visit: Field[dict[str, str]] = field(default_factory=dict)
    patient: Field[dict[str, str]] = field(default_factory=dict)
    history: Field[list[dict[str, str]]] = field(default_factory=list)
    record: Field[dict[str, str]] = field(default_factory=dict)
    lines: Field[list[dict[str, str]]] = field(default_factory=list)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)
    error: Field[str] = field("")

    def _appointment_id(self) -> str:
        return self.visit.get("appointment_id", "")

    def _fetch(self) -> Failed | None:
        detail = as_doctor(doctor_portal.visit, appointment_id=self._appointment_id(), now=utcnow())
        if isinstance(detail, Failed):
            return detail
        self.visit = to_row(detail)
        self.patient = to_row(detail.patient)
        self.history = to_rows(detail.history)
        record = detail.treatment
        self.record = to_row(record) if record else {}
        items = [to_row(item) for item in record.items] if record else []
        self.lines = numbered(
            [new_line(i, values) for i, values in enumerate(items)] or [new_line(0)]
        )
        self.form_key += 1
        return None

    def _run(
        self,
        action: Callable[..., Any],
        *,
        fields: Callable[[Failed], dict[str, str]] = _form_fields,
        done: str = "",
        **kw: Any,
    ) -> EventSpec | None:
        """Run a visit action on this visit as the caller, then show the visit as it now
        is with ``done`` (else the action's own message); ``fields`` places refused input
        next to the form's fields."""
        result = as_doctor(
            action,
            appointment_id=self._appointment_id(),
            actor_id=current_viewer().id,
            now=utcnow(),
            **kw,
        )
        if isinstance(result, Failed) and result.not_found:
            self.reset()
            self.not_found, self.loaded = True, True
            return rx.toast.error("Appointment not found.")
        if isinstance(result, Failed) and result.invalid:
            self.errors = fields(result)
            return None
        if isinstance(result, Failed):
            return result.toast()
        self._fetch()
        return rx.toast.success(done or result.message)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self.visit = {"appointment_id": self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:36]}
        failed = self._fetch()
        if failed is not None and failed.not_found:
            self.visit, self.not_found = {}, True
        elif failed is not None:
            self.visit, self.error = {}, failed.message
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def add_line(self) -> None:
        if self.visit and len(self.lines) < MAX_ITEMS:
            self.lines = numbered([*self.lines, new_line(next_id(self.lines))])

    @event
    @requires(Role.DOCTOR)
    def remove_line(self, line: str) -> None:
        """Drop the line with id ``line`` (an empty one stays when it was the last)."""
        kept = [each for each in self.lines if each["i"] != line]
        if self.visit and len(kept) < len(self.lines):
            self.lines = numbered(kept or [new_line(next_id(self.lines))])

    @event
    @requires(Role.DOCTOR)
    def save(self, form: FormData) -> EventSpec | None:
        data = form if isinstance(form, dict) else {}
        items = form_items(self.lines, data)
        self.errors = {}
        return self._run(
            treatments.save_treatment,
            visit_type=data.get("visit_type", ""),
            diagnosis=data.get("diagnosis", ""),
            notes=data.get("notes", ""),
            items=items,
            done="Treatment record saved.",
        )

    @event
    @requires(Role.DOCTOR)
    def complete(self) -> EventSpec | None:
        return self._run(doctor_portal.mark_completed)

    @event
    @requires(Role.DOCTOR)
    def no_show(self) -> EventSpec | None:
        return self._run(doctor_portal.mark_no_show)

    @event
    @requires(Role.DOCTOR)
    def record_payment(self) -> EventSpec | None:
        """The patient paid the Pay-at-Clinic fee at the visit (this visit, as the caller)."""
        return self._run(doctor_portal.record_clinic_payment)

    @event
    @requires(Role.DOCTOR)
    def cancel(self, form: FormData) -> EventSpec | None:
        reason = (form if isinstance(form, dict) else {}).get("reason", "")
        self.errors = {}
        return self._run(
            doctor_portal.cancel_visit,
            reason=reason if isinstance(reason, str) else "",
            fields=_cancel_fields,
        )

    @event
    @requires(Role.DOCTOR)
    def download_prescription(self) -> EventSpec:
        record = as_doctor(treatments.treatment_for_doctor, appointment_id=self._appointment_id())
        return prescription_download(record)
