"""The doctor's dashboard (/doctor-portal): today's visits, the week ahead, visits to close.

The page sends ``tick`` about every two seconds; it reloads only when the doctor's
``change_marker`` moved (a booking, payment, cancellation, expiry or a visit starting).
The doctor is resolved from the signed-in user on every event, never from page state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_day as doctor_portal
from healthcareplus.domain.clinical import doctor_queue
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field


def acting_doctor_id() -> int:
    """The caller's own doctor profile id (``Forbidden`` when they have none)."""
    with session_scope() as db:
        doctor = doctor_portal.doctor_for_user(db, user_id=current_viewer().id)
    assert doctor.id is not None
    return doctor.id


T = TypeVar("T")


def as_doctor(fn: Callable[..., T], /, **kwargs: Any) -> T | Failed:
    """``fn(db, doctor_id=<the caller's doctor profile>, **kwargs)`` in one unit of work;
    ``Failed`` when the caller has no doctor profile or the domain refuses."""

    def work(db: Session) -> T:
        return fn(db, doctor_id=acting_doctor_id(), **kwargs)

    return in_session(work)


class DoctorPortalState(rx.State):
    doctor: Field[dict[str, str]] = field(default_factory=dict)
    today: Field[list[dict[str, str]]] = field(default_factory=list)
    upcoming: Field[list[dict[str, str]]] = field(default_factory=list)
    to_close: Field[list[dict[str, str]]] = field(default_factory=list)
    counts: Field[dict[str, str]] = field(default_factory=dict)
    updated_at: Field[str] = field("")
    waiting: Field[int] = field(0)  # checked in today and waiting to be called in
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")
    _marker: str = ""

    def _refresh(self, doctor_id: int) -> None:
        now = utcnow()
        with session_scope() as db:
            marker = doctor_portal.change_marker(db, doctor_id=doctor_id, now=now)
            board = doctor_portal.dashboard(db, doctor_id=doctor_id, now=now)
        self.doctor = {
            "name": board.doctor_name,
            "hospital_name": board.hospital_name,
            "today_label": board.today_label,
        }
        self.today = to_rows(board.today)
        self.waiting = sum(row.arrival.endswith(doctor_queue.WAITING) for row in board.today)
        self.upcoming = to_rows(board.upcoming)
        self.to_close = to_rows(board.to_close)
        self.counts = to_row(board.counts)
        self.updated_at = format_local_time(now)
        self._marker = marker

    def _refused(self, failed: Failed) -> None:
        """No dashboard for this caller (no doctor profile): only the reason shows."""
        self.reset()
        self.error, self.loaded = failed.message, True

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.error = ""
        shown = run_domain(lambda: self._refresh(acting_doctor_id()))
        if isinstance(shown, Failed):
            self._refused(shown)
            return
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def tick(self, _moment: Any = None) -> None:
        """Reload when something the dashboard shows has changed (cheap otherwise)."""
        if not self.loaded or self.error:
            return
        doctor_id = run_domain(acting_doctor_id)
        if isinstance(doctor_id, Failed):
            self._refused(doctor_id)
            return
        with session_scope() as db:
            marker = doctor_portal.change_marker(db, doctor_id=doctor_id, now=utcnow())
        if marker != self._marker:
            self._refresh(doctor_id)

    @event
    @requires(Role.DOCTOR)
    def call_next(self) -> EventSpec:
        """The waiting patient with the lowest token comes in; whoever was in is done."""
        called = in_session(doctor_queue.call_next, actor_id=current_viewer().id, now=utcnow())
        if isinstance(called, Failed):
            return called.toast()
        refreshed = run_domain(lambda: self._refresh(acting_doctor_id()))
        if isinstance(refreshed, Failed):
            self._refused(refreshed)
        who = next(
            (r["patient_name"] for r in self.today if r["appointment_id"] == called.appointment_id),
            "",
        )
        return rx.toast.success(f"Token {called.token}{': ' + who if who else ''} is called in.")
