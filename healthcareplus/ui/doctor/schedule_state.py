"""The doctor's weekly hours (/doctor-portal/schedule; the time off beside them:
``time_off_state``).

A change over booked appointments comes back as a list for the doctor to confirm; the
confirmation re-sends only a reason: the change itself waits in backend vars, and the
service refuses again if more appointments would be cancelled than the doctor was shown.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleConflict
from healthcareplus.ui.doctor.portal_state import acting_doctor_id, as_doctor
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, run_domain
from healthcareplus.ui.shared.rows import form_text, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

KINDS = schedules.TIME_OFF_KINDS
SPAN_FIELDS = ("date_from", "date_to", "time_from", "time_to")


def changed_with_cancellations(what: str, cancelled: tuple) -> EventSpec:
    """The success toast of a schedule change, with the appointments it cancelled."""
    if not cancelled:
        return rx.toast.success(what)
    count = len(cancelled)
    noun = "appointment" if count == 1 else "appointments"
    return rx.toast.success(f"{what} {count} {noun} cancelled; paid ones were refunded.")


class DoctorScheduleState(rx.State):
    week: Field[list[dict[str, str]]] = field(default_factory=list)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)
    affected: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")
    _pending: list[list] = []
    _pending_ids: list[str] = []

    def _show(self, doctor_id: int) -> None:
        with session_scope() as db:
            blocks = schedules.weekly_blocks(db, doctor_id=doctor_id)
        self.week = to_rows(schedules.weekly_form(blocks))
        self.form_key += 1

    def _attempt(self, blocks: list, *, cancel: bool, reason: str) -> EventSpec | None:
        self.errors = {}
        change = as_doctor(
            schedules.replace_weekly_schedule,
            blocks=blocks,
            **actor(),
            cancel_affected=cancel,
            reason=reason,
            now=utcnow(),
            expected_affected=self._pending_ids if cancel else None,
        )
        if isinstance(change, Failed) and isinstance(change.error, ScheduleConflict):
            self.affected = to_rows(change.error.affected)  # for the doctor to confirm
            self._pending = [list(b) for b in blocks]
            self._pending_ids = [a.id for a in change.error.affected]
            return None
        if isinstance(change, Failed):
            self.errors, reply = change.fields_or_toast()
            return reply
        self.affected, self._pending, self._pending_ids = [], [], []
        self._show(acting_doctor_id())
        return changed_with_cancellations("Weekly hours saved.", change.cancelled)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        shown = run_domain(lambda: self._show(acting_doctor_id()))
        if isinstance(shown, Failed):
            self.error = shown.message
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def save(self, form: FormData) -> EventSpec | None:
        self.affected, self._pending, self._pending_ids = [], [], []
        if not isinstance(form, dict):  # a crafted event: never read it as an empty week
            return None
        blocks = run_domain(schedules.blocks_from_form, form)
        if isinstance(blocks, Failed):
            self.errors, reply = blocks.fields_or_toast()
            return reply
        return self._attempt(blocks, cancel=False, reason="")

    @event
    @requires(Role.DOCTOR)
    def confirm(self, form: FormData) -> EventSpec | None:
        """Save the waiting change and cancel the listed appointments with this reason."""
        if not self._pending_ids:
            return None
        reason = form_text(form, "cancel_reason", 600)
        return self._attempt(self._pending, cancel=True, reason=reason)

    @event
    @requires(Role.DOCTOR)
    def dismiss(self) -> None:
        self.affected, self._pending, self._pending_ids, self.errors = [], [], [], {}
