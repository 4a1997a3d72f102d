"""The doctor's time off (/doctor-portal/schedule, beside the weekly hours): the list,
adding a span (hours, a day, days) and removing one.

Time off over booked appointments comes back as a list for the doctor to confirm; the
confirmation re-sends only a reason: the span waits in backend vars, and the service
refuses again if more appointments would be cancelled than the doctor was shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleConflict
from healthcareplus.ui.doctor.portal_state import acting_doctor_id, as_doctor
from healthcareplus.ui.doctor.schedule_state import changed_with_cancellations
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, run_domain
from healthcareplus.ui.shared.rows import form_text, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

KINDS = schedules.TIME_OFF_KINDS
SPAN_FIELDS = ("date_from", "date_to", "time_from", "time_to")


class DoctorTimeOffState(rx.State):
    entries: Field[list[dict[str, str]]] = field(default_factory=list)
    kind: Field[str] = field("hours")
    errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)
    affected: Field[list[dict[str, str]]] = field(default_factory=list)
    pending_reason: Field[str] = field("")
    loaded: Field[bool] = field(False)
    _pending_span: list[str] = []  # start and end instants (ISO) waiting for confirmation
    _pending_ids: list[str] = []

    def _list(self) -> None:
        with session_scope() as db:
            entries = schedules.list_time_off(db, doctor_id=acting_doctor_id(), now=utcnow())
        self.entries = to_rows(entries)

    def _add(self, span: list[str], reason: str, *, cancel: bool, cancel_reason: str) -> Any:
        self.errors = {}
        change = as_doctor(
            schedules.add_time_off,
            start_at=datetime.fromisoformat(span[0]),
            end_at=datetime.fromisoformat(span[1]),
            reason=reason,
            **actor(),
            cancel_affected=cancel,
            now=utcnow(),
            cancel_reason=cancel_reason if cancel else None,
            expected_affected=self._pending_ids if cancel else None,
        )
        if isinstance(change, Failed) and isinstance(change.error, ScheduleConflict):
            self.affected, self.pending_reason = to_rows(change.error.affected), reason
            self._pending_span, self._pending_ids = span, [a.id for a in change.error.affected]
            return None
        if isinstance(change, Failed):
            self.errors, reply = change.fields_or_toast()
            return reply
        self.affected, self._pending_span, self._pending_ids = [], [], []
        self.form_key += 1
        self._list()
        return changed_with_cancellations(
            f"Time off added: {change.entry.label}.", change.cancelled
        )

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        if isinstance(run_domain(self._list), Failed):
            self.entries = []
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def set_kind(self, kind: str | list[str]) -> None:
        """The radio group's choice (Reflex types its value as text or a list of text)."""
        if isinstance(kind, str) and kind in KINDS:
            self.kind, self.errors = kind, {}

    @event
    @requires(Role.DOCTOR)
    def add(self, form: FormData) -> Any:
        values = {k: form_text(form, k, 20) for k in SPAN_FIELDS}
        reason = form_text(form, "reason", 400)
        self.affected, self._pending_span, self._pending_ids = [], [], []
        span = as_doctor(schedules.time_off_span, kind=self.kind, **values, now=utcnow())
        if isinstance(span, Failed):
            self.errors, reply = span.fields_or_toast()
            return reply
        start, end = span
        return self._add(
            [start.isoformat(), end.isoformat()], reason, cancel=False, cancel_reason=""
        )

    @event
    @requires(Role.DOCTOR)
    def confirm(self, form: FormData) -> Any:
        if not self._pending_span:
            return None
        cancel_reason = form_text(form, "cancel_reason", 600)
        return self._add(
            self._pending_span, self.pending_reason, cancel=True, cancel_reason=cancel_reason
        )

    @event
    @requires(Role.DOCTOR)
    def dismiss(self) -> None:
        self.affected, self._pending_span, self._pending_ids, self.errors = [], [], [], {}

    @event
    @requires(Role.DOCTOR)
    def remove(self, time_off_id: str) -> Any:
        removed = as_doctor(
            schedules.remove_time_off,
            time_off_id=parse_id(time_off_id) or 0,
            **actor(),
            now=utcnow(),
        )
        if isinstance(removed, Failed):
            return removed.toast()
        self._list()
        return rx.toast.success(f"Time off removed: {removed.label}.")
