"""Admin: one doctor's weekly schedule editor (on the doctor's page). Admin-only.

Rows per weekday, each with a stable key so the browser keeps what was typed in one row
while others are added or removed. A save that would strand booked appointments comes
back as ``affected`` for the admin to confirm (with a reason the patients see) or keep;
the confirmation re-sends only the reason: the blocks wait in backend vars, and the
service refuses again if more appointments would be cancelled than the admin was shown.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctor_schedule
from healthcareplus.domain.admin.doctor_views import get_doctor
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleBlock, ScheduleConflict
from healthcareplus.ui.doctor.schedule_state import changed_with_cancellations
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text, last_path_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

MAX_BLOCKS = 42


def _weekly_blocks(db: Session, *, doctor_id: int) -> tuple[ScheduleBlock, ...]:
    get_doctor(db, doctor_id=doctor_id)  # NotFound for no such doctor
    return tuple(schedules.weekly_blocks(db, doctor_id=doctor_id))


class AdminScheduleState(rx.State):
    week: Field[list[list[dict[str, str]]]] = field(default_factory=lambda: [[] for _ in range(7)])
    # "day-<weekday>", "blocks" or "cancel_reason"
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    saved: Field[str] = field("")
    affected: Field[list[dict[str, str]]] = field(default_factory=list)
    _doctor_id: int = 0
    _seq: int = 0
    _pending: list[list] = []  # the refused blocks as [weekday, start, end, slot]
    _pending_ids: list[str] = []

    def _row(self, weekday: int, start: str, end: str, slot: int | str) -> dict[str, str]:
        self._seq += 1
        return {
            "key": f"b{self._seq}",
            "weekday": str(weekday),
            "start": start,
            "end": end,
            "slot": str(slot),
        }

    def _fill(self, blocks: tuple[ScheduleBlock, ...]) -> None:
        week: list[list[dict[str, str]]] = [[] for _ in range(7)]
        for b in blocks:
            week[b.weekday].append(self._row(b.weekday, b.start, b.end, b.slot_minutes))
        self.week = week

    def _clear_pending(self) -> None:
        self.affected, self._pending, self._pending_ids = [], [], []

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.errors, self.message, self.saved, self._doctor_id = {}, "", "", 0
        self.week = [[] for _ in range(7)]
        self._clear_pending()
        doctor_id = last_path_id(self.router.url.path) or 0
        blocks = in_session(_weekly_blocks, doctor_id=doctor_id)
        if isinstance(blocks, Failed):
            return
        self._fill(blocks)
        self._doctor_id = doctor_id

    @event
    @requires(Role.ADMIN)
    def add_block(self, weekday: int) -> None:
        if type(weekday) is not int or not 0 <= weekday <= 6 or not self._doctor_id:
            return
        if sum(len(day) for day in self.week) >= MAX_BLOCKS:
            self.message = f"A week can have at most {MAX_BLOCKS} blocks."
            return
        day = self.week[weekday]
        start, end = (("09:00", "13:00"), ("14:00", "17:00"), ("18:00", "20:00"))[min(len(day), 2)]
        week = [list(d) for d in self.week]
        week[weekday].append(self._row(weekday, start, end, 15))
        self.week, self.saved = week, ""

    @event
    @requires(Role.ADMIN)
    def remove_block(self, key: str) -> None:
        self.week = [[b for b in day if b["key"] != key] for day in self.week]
        self.saved = ""

    def _refused(self, failed: Failed, blocks: list[doctor_schedule.BlockInput]) -> None:
        if isinstance(failed.error, ScheduleConflict):  # appointments to confirm first
            self.affected = to_rows(failed.error.affected)
            self._pending = [[b.weekday, b.start, b.end, b.slot_minutes] for b in blocks]
            self._pending_ids = [a.id for a in failed.error.affected]
        elif failed.invalid:
            self.errors = failed.fields
            if "cancel_reason" not in failed.fields:
                self.message = "Some days need fixing (see below)."
        else:
            self.message = failed.message

    def _attempt(
        self, blocks: list[doctor_schedule.BlockInput], *, cancel: bool, reason: str
    ) -> EventSpec | None:
        self.errors, self.message, self.saved = {}, "", ""
        change = in_session(
            doctor_schedule.set_schedule,
            doctor_id=self._doctor_id,
            blocks=blocks,
            **actor(),
            cancel_affected=cancel,
            reason=reason,
            expected_affected=self._pending_ids if cancel else None,
            now=utcnow(),
        )
        if isinstance(change, Failed):
            self._refused(change, blocks)
            return None
        self._clear_pending()
        self._fill(change.blocks)
        self.saved = "Weekly schedule saved. New bookings follow it at once."
        return changed_with_cancellations("Schedule saved.", change.cancelled)

    @event
    @requires(Role.ADMIN)
    def save(self, form_data: FormData) -> EventSpec | None:
        self._clear_pending()
        if not self._doctor_id:
            return None
        blocks = [
            doctor_schedule.BlockInput(
                weekday=int(b["weekday"]),
                start=form_text(form_data, f"start-{b['key']}", 8),
                end=form_text(form_data, f"end-{b['key']}", 8),
                slot_minutes=form_text(form_data, f"slot-{b['key']}", 3),
            )
            for day in self.week
            for b in day
        ]
        return self._attempt(blocks, cancel=False, reason="")

    @event
    @requires(Role.ADMIN)
    def confirm(self, form_data: FormData) -> EventSpec | None:
        """Save the waiting schedule and cancel the listed appointments with this reason."""
        if not self._doctor_id or not self._pending_ids:
            return None
        blocks = [doctor_schedule.BlockInput(*b) for b in self._pending]
        reason = form_text(form_data, "cancel_reason", 600)
        return self._attempt(blocks, cancel=True, reason=reason)

    @event
    @requires(Role.ADMIN)
    def dismiss(self) -> None:
        self._clear_pending()
        self.errors, self.message = {}, ""
