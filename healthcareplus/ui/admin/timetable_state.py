"""The admin timetable (/admin/timetable?doctor=<id>&date=YYYY-MM-DD).

The URL is the truth: picking a doctor or a day navigates, and ``load`` reads the query.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, TypedDict
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today, to_local
from healthcareplus.core.models import Role
from healthcareplus.core.validation import within_clinic_days
from healthcareplus.domain.admin import timetable
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import parse_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
QUERY_MAX = 100
BLOCK_REASON_CAP = 1_000


class SlotRef(TypedDict):
    """The slot an admin blocks or unblocks, and who does it (the domain's arguments)."""

    doctor_id: int
    start_at: datetime
    admin_id: int


def parse_day(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` date of the clinic's calendar (``within_clinic_days``: 2000..2100)
    from a URL or an event argument, else None (the bounds keep the day before and after
    representable)."""
    text = value.strip() if isinstance(value, str) else ""
    if not _DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if within_clinic_days(day) else None


def parse_instant(value: Any) -> datetime | None:
    """An aware ISO instant (a slot's ``start``) from an event argument, else None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def timetable_url(doctor_id: int | str, day: date | str) -> str:
    return f"{routes.ADMIN_TIMETABLE}?{urlencode({'doctor': doctor_id, 'date': str(day)})}"


class AdminTimetableState(rx.State):
    doctor_id: Field[str] = field("")
    day: Field[str] = field("")
    # the doctor picker: id, label
    options: Field[list[dict[str, str]]] = field(default_factory=list)
    grid: Field[dict[str, str]] = field(default_factory=dict)
    slots: Field[list[dict[str, str]]] = field(default_factory=list)
    blocking: Field[str] = field("")  # the start of the slot whose "Block" dialog is open
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _fetch(self) -> None:
        doctor_id, day = parse_id(self.doctor_id), parse_day(self.day)
        self.grid, self.slots, self.not_found = {}, [], False
        if doctor_id is None or day is None:
            return
        grid = in_session(timetable.day_grid, doctor_id=doctor_id, day=day, now=utcnow())
        if isinstance(grid, Failed):
            self.not_found = True
            return
        self.grid = to_row(grid)
        self.slots = [to_row(s, id=s.appointment_id) for s in grid.slots]

    def _options(self, query: str = "") -> None:
        with session_scope() as db:
            found = timetable.doctor_options(db, query=query, selected_id=parse_id(self.doctor_id))
        self.options = [{"id": str(o.id), "label": o.label} for o in found]

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        params = self.router.url.query_parameters
        doctor_id = parse_id(params.get("doctor"))
        day = parse_day(params.get("date")) or clinic_today(utcnow())
        self.doctor_id = str(doctor_id) if doctor_id else ""
        self.day, self.blocking = day.isoformat(), ""
        self._options()
        self._fetch()
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def refresh(self) -> None:
        self._fetch()

    @event
    @requires(Role.ADMIN)
    def search_doctors(self, query: str) -> None:
        self._options(query[:QUERY_MAX] if isinstance(query, str) else "")

    @event
    @requires(Role.ADMIN)
    def pick_doctor(self, doctor_id: str) -> EventSpec | None:
        chosen = parse_id(doctor_id)
        return rx.redirect(timetable_url(chosen, self.day)) if chosen else None

    @event
    @requires(Role.ADMIN)
    def pick_day(self, iso: str) -> EventSpec | None:
        day = parse_day(iso)
        if day is None:
            return None
        return rx.redirect(timetable_url(self.doctor_id, day))

    @event
    @requires(Role.ADMIN)
    def shift_day(self, days: int) -> EventSpec | None:
        day = parse_day(self.day)
        if type(days) is not int or abs(days) > 31 or day is None:
            return None
        return rx.redirect(timetable_url(self.doctor_id, day + timedelta(days=days)))

    @event
    @requires(Role.ADMIN)
    def open_block(self, start: str) -> None:
        self.blocking = start if parse_instant(start) else ""

    @event
    @requires(Role.ADMIN)
    def block_dialog_changed(self, is_open: bool) -> None:
        if is_open is not True:
            self.blocking = ""

    def _slot_change(self, start: Any, *, block: bool, reason: str = "") -> list:
        instant, doctor_id = parse_instant(start), parse_id(self.doctor_id)
        self.blocking = ""
        on_page = instant is not None and to_local(instant).date().isoformat() == self.day
        if instant is None or doctor_id is None or not on_page:
            return [rx.toast.error("That slot is not on this timetable.")]
        slot = SlotRef(doctor_id=doctor_id, start_at=instant, admin_id=current_viewer().id)
        if block:
            change = in_session(timetable.block_slot, **slot, reason=reason, now=utcnow())
        else:
            change = in_session(timetable.unblock_slot, **slot, now=utcnow())
        self._fetch()  # done or refused: show the slot as it now is
        return [change.toast() if isinstance(change, Failed) else rx.toast.success(change.message)]

    @event
    @requires(Role.ADMIN)
    def block(self, form_data: FormData) -> list:
        """The open "Block" dialog's form: blocks the slot ``open_block`` chose."""
        reason = form_data.get("reason") if isinstance(form_data, dict) else ""
        text = reason[:BLOCK_REASON_CAP] if isinstance(reason, str) else ""
        return self._slot_change(self.blocking, block=True, reason=text)

    @event
    @requires(Role.ADMIN)
    def unblock(self, start: str) -> list:
        return self._slot_change(start, block=False)
