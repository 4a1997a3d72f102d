"""The doctor's weekly hours and time off (/doctor-portal/schedule).

A change over booked appointments comes back as a list for the doctor to confirm; the
confirmation re-sends only a reason: the change itself waits in backend vars, and the
service refuses again if more appointments would be cancelled than the doctor was shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleConflict
from healthcareplus.ui.doctor.portal_state import acting_doctor_id
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import parse_id, to_rows

KINDS = schedules.TIME_OFF_KINDS


def _form(form: Any) -> dict[str, Any]:
    return form if isinstance(form, dict) else {}


def _text(form: Any, name: str, limit: int) -> str:
    value = _form(form).get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _done(what: str, cancelled: tuple) -> rx.event.EventSpec:
    if not cancelled:
        return rx.toast.success(what)
    count = len(cancelled)
    noun = "appointment" if count == 1 else "appointments"
    return rx.toast.success(f"{what} {count} {noun} cancelled; paid ones were refunded.")


class DoctorScheduleState(rx.State):
    week: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    affected: list[dict[str, str]] = []
    loaded: bool = False
    error: str = ""
    _pending: list[list] = []
    _pending_ids: list[str] = []

    def _show(self, doctor_id: int) -> None:
        with session_scope() as db:
            blocks = schedules.weekly_blocks(db, doctor_id=doctor_id)
        self.week = to_rows(schedules.weekly_form(blocks))
        self.form_key += 1

    def _replace(self, blocks: list, *, cancel: bool, reason: str) -> rx.event.EventSpec:
        viewer = current_viewer()
        doctor_id = acting_doctor_id()
        with session_scope() as db:
            change = schedules.replace_weekly_schedule(
                db,
                doctor_id=doctor_id,
                blocks=blocks,
                actor_id=viewer.id,
                actor_role=viewer.role,
                cancel_affected=cancel,
                reason=reason,
                now=utcnow(),
                expected_affected=self._pending_ids if cancel else None,
            )
        self.affected, self._pending, self._pending_ids = [], [], []
        self._show(doctor_id)
        return _done("Weekly hours saved.", change.cancelled)

    def _attempt(self, blocks: list, *, cancel: bool, reason: str) -> rx.event.EventSpec | None:
        self.errors = {}
        try:
            return self._replace(blocks, cancel=cancel, reason=reason)
        except ScheduleConflict as exc:
            self.affected = to_rows(exc.affected)
            self._pending = [list(b) for b in blocks]
            self._pending_ids = [a.id for a in exc.affected]
        except ValidationFailed as exc:
            self.errors = exc.fields
        except DomainError as exc:
            return rx.toast.error(str(exc))
        return None

    @rx.event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        try:
            self._show(acting_doctor_id())
        except DomainError as exc:
            self.error = str(exc)
        self.loaded = True

    @rx.event
    @requires(Role.DOCTOR)
    def save(self, form: dict) -> rx.event.EventSpec | None:
        self.affected, self._pending, self._pending_ids = [], [], []
        if not isinstance(form, dict):  # a crafted event: never read it as an empty week
            return None
        try:
            blocks = schedules.blocks_from_form(form)
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        return self._attempt(blocks, cancel=False, reason="")

    @rx.event
    @requires(Role.DOCTOR)
    def confirm(self, form: dict) -> rx.event.EventSpec | None:
        """Save the waiting change and cancel the listed appointments with this reason."""
        if not self._pending_ids:
            return None
        reason = _text(form, "cancel_reason", 600)
        return self._attempt(self._pending, cancel=True, reason=reason)

    @rx.event
    @requires(Role.DOCTOR)
    def dismiss(self) -> None:
        self.affected, self._pending, self._pending_ids, self.errors = [], [], [], {}


class DoctorTimeOffState(rx.State):
    entries: list[dict[str, str]] = []
    kind: str = "hours"
    errors: dict[str, str] = {}
    form_key: int = 0
    affected: list[dict[str, str]] = []
    pending_reason: str = ""
    loaded: bool = False
    _pending_span: list[str] = []  # start and end instants (ISO) waiting for confirmation
    _pending_ids: list[str] = []

    def _list(self) -> None:
        with session_scope() as db:
            entries = schedules.list_time_off(db, doctor_id=acting_doctor_id(), now=utcnow())
        self.entries = to_rows(entries)

    def _add(self, span: list[str], reason: str, *, cancel: bool, cancel_reason: str) -> Any:
        viewer, self.errors = current_viewer(), {}
        try:
            doctor_id = acting_doctor_id()
            with session_scope() as db:
                change = schedules.add_time_off(
                    db,
                    doctor_id=doctor_id,
                    start_at=datetime.fromisoformat(span[0]),
                    end_at=datetime.fromisoformat(span[1]),
                    reason=reason,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    cancel_affected=cancel,
                    now=utcnow(),
                    cancel_reason=cancel_reason if cancel else None,
                    expected_affected=self._pending_ids if cancel else None,
                )
        except ScheduleConflict as exc:
            self.affected, self.pending_reason = to_rows(exc.affected), reason
            self._pending_span, self._pending_ids = span, [a.id for a in exc.affected]
            return None
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self.affected, self._pending_span, self._pending_ids = [], [], []
        self.form_key += 1
        self._list()
        return _done(f"Time off added: {change.entry.label}.", change.cancelled)

    @rx.event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        try:
            self._list()
        except DomainError:
            self.entries = []
        self.loaded = True

    @rx.event
    @requires(Role.DOCTOR)
    def set_kind(self, kind: Any) -> None:
        if kind in KINDS:
            self.kind, self.errors = kind, {}

    @rx.event
    @requires(Role.DOCTOR)
    def add(self, form: dict) -> Any:
        values = {k: _text(form, k, 20) for k in ("date_from", "date_to", "time_from", "time_to")}
        reason = _text(form, "reason", 400)
        self.affected, self._pending_span, self._pending_ids = [], [], []
        try:
            with session_scope() as db:
                start, end = schedules.time_off_span(
                    db,
                    doctor_id=acting_doctor_id(),
                    kind=self.kind,
                    date_from=values.get("date_from", ""),
                    date_to=values.get("date_to", ""),
                    time_from=values.get("time_from", ""),
                    time_to=values.get("time_to", ""),
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except DomainError as exc:
            return rx.toast.error(str(exc))
        return self._add(
            [start.isoformat(), end.isoformat()], reason, cancel=False, cancel_reason=""
        )

    @rx.event
    @requires(Role.DOCTOR)
    def confirm(self, form: dict) -> Any:
        if not self._pending_span:
            return None
        cancel_reason = _text(form, "cancel_reason", 600)
        return self._add(
            self._pending_span, self.pending_reason, cancel=True, cancel_reason=cancel_reason
        )

    @rx.event
    @requires(Role.DOCTOR)
    def dismiss(self) -> None:
        self.affected, self._pending_span, self._pending_ids, self.errors = [], [], [], {}

    @rx.event
    @requires(Role.DOCTOR)
    def remove(self, time_off_id: Any) -> Any:
        entry_id, viewer = parse_id(time_off_id), current_viewer()
        try:
            with session_scope() as db:
                removed = schedules.remove_time_off(
                    db,
                    doctor_id=acting_doctor_id(),
                    time_off_id=entry_id or 0,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self._list()
        return rx.toast.success(f"Time off removed: {removed.label}.")
