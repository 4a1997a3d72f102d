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
from healthcareplus.domain.clinical.treatment_fields import ITEM_FIELDS, MAX_ITEMS
from healthcareplus.ui.doctor.portal_state import as_doctor
from healthcareplus.ui.doctor.record_components import prescription_download
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

FIELDS = ITEM_FIELDS


def _line(line_id: int, values: dict[str, str] | None = None) -> dict[str, str]:
    """A prescription line of the form: its id ("i": the inputs' names, kept when another
    line is removed, so each row keeps what was typed in it) and number ("n", for labels)."""
    return {**dict.fromkeys(FIELDS, ""), **(values or {}), "i": str(line_id), "n": ""}


def _numbered(lines: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**line, "n": str(number)} for number, line in enumerate(lines, start=1)]


def _next_id(lines: list[dict[str, str]]) -> int:
    return max((int(line["i"]) for line in lines), default=-1) + 1


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
        self.lines = _numbered([_line(i, values) for i, values in enumerate(items)] or [_line(0)])
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
            self.lines = _numbered([*self.lines, _line(_next_id(self.lines))])

    @event
    @requires(Role.DOCTOR)
    def remove_line(self, line: str) -> None:
        """Drop the line with id ``line`` (an empty one stays when it was the last)."""
        kept = [each for each in self.lines if each["i"] != line]
        if self.visit and len(kept) < len(self.lines):
            self.lines = _numbered(kept or [_line(_next_id(self.lines))])

    @event
    @requires(Role.DOCTOR)
    def save(self, form: FormData) -> EventSpec | None:
        data = form if isinstance(form, dict) else {}
        items = [{f: data.get(f"{f}-{line['i']}", "") for f in FIELDS} for line in self.lines]
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
