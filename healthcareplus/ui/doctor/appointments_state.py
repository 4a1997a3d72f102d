"""All of the doctor's appointments (/doctor-portal/appointments): a list searched by the
patient's (or family member's) name or phone, filtered by status, upcoming, past or all,
a page at a time; and a week view, Monday to Sunday, moved a week at a time.

The doctor is resolved from the signed-in user on every event (``as_doctor``), never from
page state; every argument the browser sends is checked before it reaches the domain
(``domain.clinical.doctor_appointments``).
"""

from __future__ import annotations

from datetime import date

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Role
from healthcareplus.domain.clinical import doctor_appointments as listing
from healthcareplus.ui.doctor.portal_state import as_doctor
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.paging import PageFacts
from healthcareplus.ui.shared.rows import form_text, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

VIEWS = ("list", "week")
STATUS_VALUES = frozenset(value for value, _ in listing.STATUS_FILTERS)
QUERY_MAX = 100


def week_day(value: object) -> date | None:
    """The day of an ISO date the browser sent ("2026-11-23"), else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class DoctorAppointmentsState(PageFacts, rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    query: Field[str] = field("")
    status: Field[str] = field("")
    scope: Field[str] = field("upcoming")
    view: Field[str] = field("list")
    week: Field[dict[str, str]] = field(default_factory=dict)  # start, label, previous, next
    days: Field[list[dict[str, str]]] = field(default_factory=list)
    week_visits: Field[list[dict[str, str]]] = field(default_factory=list)  # each with its day
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")

    def _list(self, page: int) -> None:
        found = as_doctor(
            listing.doctor_appointments,
            now=utcnow(),
            query=self.query,
            status=self.status,
            scope=self.scope,
            page=page,
        )
        if isinstance(found, Failed):
            self.error, self.rows = found.message, []
            return
        self.rows = to_rows(found.items)
        self._show_page_facts(found.paging)

    def _week(self, start: date) -> EventSpec | None:
        found = as_doctor(listing.doctor_week, week_start=start, now=utcnow())
        if isinstance(found, Failed):
            if found.invalid:
                return rx.toast.error(found.field("week"))
            self.error = found.message
            return None
        self.week = to_row(found)
        self.days = [to_row(day, count=str(len(day.visits))) for day in found.days]
        self.week_visits = [to_row(v) for day in found.days for v in day.visits]
        return None

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self._list(1)
        if not self.error:
            self._week(clinic_today(utcnow()))
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def search(self, form: FormData) -> None:
        """Search by the name or phone typed (``q``) with the chosen ``status``."""
        status = form_text(form, "status", 20)
        self.query = " ".join(form_text(form, "q", QUERY_MAX).split())
        self.status = status if status in STATUS_VALUES else ""
        self.view = "list"
        self._list(1)

    @event
    @requires(Role.DOCTOR)
    def clear_search(self) -> None:
        self.query, self.status = "", ""
        self.form_key += 1
        self._list(1)

    @event
    @requires(Role.DOCTOR)
    def set_scope(self, scope: str | list[str]) -> None:
        if isinstance(scope, str) and scope in listing.SCOPES:
            self.scope = scope
            self._list(1)

    @event
    @requires(Role.DOCTOR)
    def go_to_page(self, page: int) -> None:
        if type(page) is int:  # a crafted event may send anything
            self._list(page)

    @event
    @requires(Role.DOCTOR)
    def set_view(self, view: str | list[str]) -> None:
        """The segmented control's choice (Reflex types its value as text or a list)."""
        if isinstance(view, str) and view in VIEWS:
            self.view = view

    @event
    @requires(Role.DOCTOR)
    def show_week(self, start: str) -> EventSpec | None:
        """Show the week holding the day ``start`` (ISO); "" is the current week."""
        day = clinic_today(utcnow()) if start == "" else week_day(start)
        if day is None:
            return rx.toast.error(listing.BAD_WEEK)
        self.view = "week"
        return self._week(day)
