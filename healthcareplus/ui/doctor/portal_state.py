"""The doctor's dashboard (/doctor-portal): today's visits, the week ahead, visits to close.

The page sends ``tick`` about every two seconds; it reloads only when the doctor's
``change_marker`` moved (a booking, payment, cancellation, expiry or a visit starting).
The doctor is resolved from the signed-in user on every event, never from page state.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.formatting import format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_day as doctor_portal
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row, to_rows


def acting_doctor_id() -> int:
    """The caller's own doctor profile id (``Forbidden`` when they have none)."""
    with session_scope() as db:
        doctor = doctor_portal.doctor_for_user(db, user_id=current_viewer().id)
    assert doctor.id is not None
    return doctor.id


class DoctorPortalState(rx.State):
    doctor: dict[str, str] = {}
    today: list[dict[str, str]] = []
    upcoming: list[dict[str, str]] = []
    to_close: list[dict[str, str]] = []
    counts: dict[str, str] = {}
    updated_at: str = ""
    loaded: bool = False
    error: str = ""
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
        self.upcoming = to_rows(board.upcoming)
        self.to_close = to_rows(board.to_close)
        self.counts = to_row(board.counts)
        self.updated_at = format_local_time(now)
        self._marker = marker

    @rx.event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.error = ""
        try:
            self._refresh(acting_doctor_id())
        except Forbidden as exc:
            self.reset()
            self.error = str(exc)
        self.loaded = True

    @rx.event
    @requires(Role.DOCTOR)
    def tick(self, _moment: Any = None) -> None:
        """Reload when something the dashboard shows has changed (cheap otherwise)."""
        if not self.loaded or self.error:
            return
        try:
            doctor_id = acting_doctor_id()
        except Forbidden as exc:
            self.reset()
            self.error, self.loaded = str(exc), True
            return
        with session_scope() as db:
            marker = doctor_portal.change_marker(db, doctor_id=doctor_id, now=utcnow())
        if marker != self._marker:
            self._refresh(doctor_id)
