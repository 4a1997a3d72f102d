"""Admin doctor management: the list with the add form, one doctor's profile and
activation, and the weekly schedule editor. Every handler is admin-only.

The one-time password of a new doctor lives in ``AdminDoctorsState.created`` from the
moment it is generated until the next load or dismissal; it is never read back from the
database (only its hash is stored).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import doctors as svc
from healthcareplus.domain.admin.locations import hospital_choices
from healthcareplus.domain.scheduling import schedules
from healthcareplus.domain.scheduling.schedules import ScheduleBlock, ScheduleConflict
from healthcareplus.ui.admin.lists import (
    clean_query,
    clean_status,
    form_values,
    list_rows,
    page_arg,
)
from healthcareplus.ui.patient.account_state import _text
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import last_path_id, parse_id, to_row, to_rows

PROFILE_FIELDS = (
    "name",
    "specialization",
    "qualification",
    "experience_years",
    "fee_rupees",
    "gender",
    "languages",
    "hospital_id",
    "phone",
    "about",
)
MAX_BLOCKS = 42


def _schedule_saved(cancelled: tuple) -> rx.event.EventSpec:
    if not cancelled:
        return rx.toast.success("Schedule saved.")
    count = len(cancelled)
    noun = "appointment" if count == 1 else "appointments"
    return rx.toast.success(f"Schedule saved. {count} {noun} cancelled; paid ones were refunded.")


def _hospitals() -> list[dict[str, str]]:
    with session_scope() as db:
        return to_rows(hospital_choices(db))


class AdminDoctorsState(rx.State):
    items: list[dict[str, str]] = []
    pager: dict[str, str] = {}
    q: str = ""
    hospital: str = ""
    status: str = "all"
    page: int = 1
    hospitals: list[dict[str, str]] = []
    adding: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    created: dict[str, str] = {}  # name, email, password: shown once, then cleared
    form_key: int = 0
    loaded: bool = False

    def _fetch(self) -> None:
        with session_scope() as db:
            result = svc.list_doctors(
                db,
                q=self.q,
                hospital_id=parse_id(self.hospital),
                status=self.status,
                page=self.page,
            )
        self.items, self.pager, self.page = list_rows(result)
        self.loaded = True

    def _set_filters(self, q: Any, hospital: Any, status: Any) -> None:
        self.q = clean_query(q)
        self.hospital = str(parse_id(hospital) or "")
        self.status = clean_status(status, svc.STATUSES)

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        params = self.router.url.query_parameters
        self._set_filters(params.get("q"), params.get("hospital"), params.get("status"))
        self.page = page_arg(params.get("page"))
        self.created, self.errors, self.message, self.adding = {}, {}, "", False
        self.hospitals = _hospitals()
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def search(self, form_data: Any) -> None:
        values = form_values(form_data, ("q", "hospital", "status"), 100)
        self._set_filters(values["q"], values["hospital"], values["status"])
        self.page = 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def go_page(self, page: Any) -> None:
        self.page = page_arg(page)
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def set_adding(self, open_: Any) -> None:
        if type(open_) is bool:
            self.adding = open_
            self.errors, self.message = {}, ""
            self.form_key += 1

    @rx.event
    @requires(Role.ADMIN)
    def add(self, form_data: Any) -> rx.event.EventSpec | None:
        self.errors, self.message = {}, ""
        values = form_values(form_data, (*PROFILE_FIELDS, "email"))
        viewer = current_viewer()
        try:
            with session_scope() as db:
                made = svc.create_doctor(
                    db, **values, actor_id=viewer.id, actor_role=viewer.role, now=utcnow()
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            self.message = "Please correct the highlighted fields."
            return None
        self.created = {
            "id": str(made.doctor.id),
            "name": made.doctor.name,
            "email": made.login_email,
            "password": made.one_time_password,
        }
        self.adding = False
        self._fetch()
        return rx.toast.success(f"{made.doctor.name} added.")

    @rx.event
    @requires(Role.ADMIN)
    def dismiss_password(self) -> None:
        self.created = {}


class AdminDoctorState(rx.State):
    doctor: dict[str, str] = {}
    hospitals: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    message: str = ""
    saved: str = ""
    follow_ups: list[dict[str, str]] = []
    follow_up_total: int = 0
    form_key: int = 0
    loaded: bool = False
    not_found: bool = False

    def _show(self, detail: svc.DoctorDetail) -> None:
        self.doctor = to_row(detail)
        self.form_key += 1

    def _doctor_id(self) -> int:
        return parse_id(self.doctor.get("id")) or 0

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.loaded, self.not_found, self.doctor = False, False, {}
        self.errors, self.message, self.saved = {}, "", ""
        self.follow_ups, self.follow_up_total = [], 0
        doctor_id = last_path_id(self.router.url.path)
        try:
            with session_scope() as db:
                detail = svc.get_doctor(db, doctor_id=doctor_id or 0)
                if not detail.is_active:
                    items, total = svc.future_appointments(db, doctor_id=detail.id, now=utcnow())
                    self.follow_ups, self.follow_up_total = to_rows(items), total
            self.hospitals = _hospitals()
            self._show(detail)
        except NotFound:
            self.not_found = True
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    def save(self, form_data: Any) -> rx.event.EventSpec | None:
        self.errors, self.message, self.saved = {}, "", ""
        values = form_values(form_data, PROFILE_FIELDS)
        viewer = current_viewer()
        try:
            with session_scope() as db:
                detail = svc.update_doctor(
                    db,
                    doctor_id=self._doctor_id(),
                    **values,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors, self.message = exc.fields, "Please correct the highlighted fields."
            return None
        except NotFound as exc:
            self.message = str(exc)
            return None
        self._show(detail)
        self.saved = "Profile saved."
        return rx.toast.success("Doctor profile saved.")

    def _set_active(self, active: bool, reason: str) -> rx.event.EventSpec:
        viewer = current_viewer()
        try:
            with session_scope() as db:
                result = svc.set_active(
                    db,
                    doctor_id=self._doctor_id(),
                    active=active,
                    reason=reason,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    now=utcnow(),
                )
        except (Conflict, NotFound, ValidationFailed) as exc:
            return rx.toast.error(str(exc))
        self._show(result.doctor)
        self.follow_ups = to_rows(result.follow_ups)
        self.follow_up_total = result.follow_up_total
        done = "reactivated: patients can find and book them again" if active else "deactivated"
        return rx.toast.success(f"{result.doctor.name} {done}.")

    @rx.event
    @requires(Role.ADMIN)
    def deactivate(self, form_data: Any) -> rx.event.EventSpec:
        return self._set_active(False, _text(form_data, "reason", 500))

    @rx.event
    @requires(Role.ADMIN)
    def reactivate(self) -> rx.event.EventSpec:
        return self._set_active(True, "")


class AdminScheduleState(rx.State):
    """The weekly schedule editor: rows per weekday, each with a stable key so the
    browser keeps what was typed in one row while others are added or removed.

    A save that would strand booked appointments comes back as ``affected`` for the admin
    to confirm (with a reason the patients see) or keep; the confirmation re-sends only the
    reason: the blocks wait in backend vars, and the service refuses again if more
    appointments would be cancelled than the admin was shown.
    """

    week: list[list[dict[str, str]]] = [[] for _ in range(7)]
    errors: dict[str, str] = {}  # "day-<weekday>", "blocks" or "cancel_reason"
    message: str = ""
    saved: str = ""
    affected: list[dict[str, str]] = []
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

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.errors, self.message, self.saved, self._doctor_id = {}, "", "", 0
        self.week = [[] for _ in range(7)]
        self._clear_pending()
        doctor_id = last_path_id(self.router.url.path) or 0
        try:
            with session_scope() as db:
                svc.get_doctor(db, doctor_id=doctor_id)
                self._fill(schedules.weekly_blocks(db, doctor_id=doctor_id))
        except NotFound:
            return
        self._doctor_id = doctor_id

    @rx.event
    @requires(Role.ADMIN)
    def add_block(self, weekday: Any) -> None:
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

    @rx.event
    @requires(Role.ADMIN)
    def remove_block(self, key: Any) -> None:
        self.week = [[b for b in day if b["key"] != key] for day in self.week]
        self.saved = ""

    def _attempt(
        self, blocks: list[svc.BlockInput], *, cancel: bool, reason: str
    ) -> rx.event.EventSpec | None:
        self.errors, self.message, self.saved = {}, "", ""
        viewer = current_viewer()
        try:
            with session_scope() as db:
                change = svc.set_schedule(
                    db,
                    doctor_id=self._doctor_id,
                    blocks=blocks,
                    actor_id=viewer.id,
                    actor_role=viewer.role,
                    cancel_affected=cancel,
                    reason=reason,
                    expected_affected=self._pending_ids if cancel else None,
                    now=utcnow(),
                )
        except ScheduleConflict as exc:
            self.affected = to_rows(exc.affected)
            self._pending = [[b.weekday, b.start, b.end, b.slot_minutes] for b in blocks]
            self._pending_ids = [a.id for a in exc.affected]
            return None
        except ValidationFailed as exc:
            self.errors = exc.fields
            if "cancel_reason" not in exc.fields:
                self.message = "Some days need fixing (see below)."
            return None
        except DomainError as exc:
            self.message = str(exc)
            return None
        self._clear_pending()
        self._fill(change.blocks)
        self.saved = "Weekly schedule saved. New bookings follow it at once."
        return _schedule_saved(change.cancelled)

    @rx.event
    @requires(Role.ADMIN)
    def save(self, form_data: Any) -> rx.event.EventSpec | None:
        self._clear_pending()
        if not self._doctor_id:
            return None
        blocks = [
            svc.BlockInput(
                weekday=int(b["weekday"]),
                start=_text(form_data, f"start-{b['key']}", 8),
                end=_text(form_data, f"end-{b['key']}", 8),
                slot_minutes=_text(form_data, f"slot-{b['key']}", 3),
            )
            for day in self.week
            for b in day
        ]
        return self._attempt(blocks, cancel=False, reason="")

    @rx.event
    @requires(Role.ADMIN)
    def confirm(self, form_data: Any) -> rx.event.EventSpec | None:
        """Save the waiting schedule and cancel the listed appointments with this reason."""
        if not self._doctor_id or not self._pending_ids:
            return None
        blocks = [svc.BlockInput(*b) for b in self._pending]
        return self._attempt(blocks, cancel=True, reason=_text(form_data, "cancel_reason", 600))

    @rx.event
    @requires(Role.ADMIN)
    def dismiss(self) -> None:
        self._clear_pending()
        self.errors, self.message = {}, ""
