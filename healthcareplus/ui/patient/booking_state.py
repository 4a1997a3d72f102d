"""The booking wizard: date -> time -> reason and summary -> confirm (also reschedules)."""

from __future__ import annotations

from datetime import date, datetime

import reflex as rx
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import NotFound, SlotUnavailable
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.scheduling import availability
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import find_row, last_path_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field

MAX_REASON = 500


class BookingState(rx.State):
    mode: Field[str] = field("book")  # or "reschedule"
    appointment_id: Field[str] = field("")
    doctor: Field[dict[str, str]] = field(default_factory=dict)
    days: Field[list[dict[str, str]]] = field(default_factory=list)
    day: Field[str] = field("")
    day_label: Field[str] = field("")
    slots: Field[list[dict[str, str]]] = field(default_factory=list)
    slot: Field[str] = field("")
    slot_label: Field[str] = field("")
    reason: Field[str] = field("")
    step: Field[int] = field(1)
    error: Field[str] = field("")
    reason_error: Field[str] = field("")
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)
    busy: Field[bool] = field(False)

    def _reset_wizard(self) -> None:
        self.days, self.slots = [], []
        self.day = self.slot = self.day_label = self.slot_label = ""
        self.step, self.error, self.reason_error, self.reason = 1, "", "", ""
        self.loaded, self.not_found, self.busy, self.appointment_id = False, False, False, ""

    def _load_calendar(self, doctor_id: int) -> None:
        with session_scope() as db:
            profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=utcnow())
            days = availability.calendar(db, doctor_id=doctor_id, now=utcnow())
        self.doctor = to_row(profile)
        self.days = [to_row(d) for d in days]

    def _open(self, path: str) -> None:
        """Open the wizard on the page's doctor, or on the appointment to reschedule."""
        if path.startswith("/reschedule/"):
            self.mode = "reschedule"
            self.appointment_id = path.rstrip("/").rsplit("/", 1)[-1][:36]
            with session_scope() as db:
                view = booking.get_appointment(
                    db,
                    appointment_id=self.appointment_id,
                    patient_id=current_viewer().id,
                    now=utcnow(),
                )
            if not view.can_reschedule:
                self.error = "This appointment can no longer be rescheduled."
            self.reason = view.reason
            doctor_id: int | None = view.doctor_id
        else:
            self.mode = "book"
            doctor_id = last_path_id(path)
        if doctor_id is None:
            raise NotFound("No such doctor")
        self._load_calendar(doctor_id)

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self._reset_wizard()
        if isinstance(run_domain(self._open, self.router.url.path), Failed):
            self.not_found = True
        self.loaded = True

    def _refresh_slots(self) -> None:
        doctor_id = int(self.doctor.get("id", "0") or 0)
        with session_scope() as db:
            slots = availability.day_slots(
                db, doctor_id=doctor_id, day=date.fromisoformat(self.day), now=utcnow()
            )
        self.slots = [
            {"start": s.start_at.isoformat(), "label": s.label, "state": s.state} for s in slots
        ]

    @event
    @requires(Role.PATIENT)
    def choose_day(self, iso: str) -> None:
        match = find_row(self.days, "iso", iso, bookable="true")
        if match is None:
            self.error = "That day has no free slots. Please pick another date."
            return
        self.day, self.day_label, self.slot, self.slot_label = iso, match["date_label"], "", ""
        self.error, self.step = "", 2
        self._refresh_slots()

    @event
    @requires(Role.PATIENT)
    def choose_slot(self, start: str) -> None:
        match = find_row(self.slots, "start", start, state="free")
        if match is None:
            self.error = "That time is not available. Please pick a free slot."
            return
        self.slot, self.slot_label, self.error, self.step = start, match["label"], "", 3

    @event
    @requires(Role.PATIENT)
    def go_to_step(self, step: int) -> None:
        if type(step) is int and 1 <= step <= self.step:  # not bool, str or float
            self.step, self.error = step, ""

    def _slot_taken(self, message: str) -> None:
        self.error, self.step, self.slot, self.slot_label = message, 2, "", ""
        self._refresh_slots()

    @event
    @requires(Role.PATIENT)
    def confirm(self, form_data: FormData) -> list | None:
        if self.busy or not self.slot:
            return None
        reason = form_data.get("reason", "") if isinstance(form_data, dict) else ""
        self.reason = reason[:MAX_REASON] if isinstance(reason, str) else ""
        self.busy, self.error, self.reason_error = True, "", ""
        try:
            outcome = in_session(self._book_or_move, datetime.fromisoformat(self.slot))
        finally:
            self.busy = False
        if isinstance(outcome, Failed) and isinstance(outcome.error, SlotUnavailable):
            self._slot_taken(outcome.message)
        elif isinstance(outcome, Failed) and outcome.invalid:
            self.reason_error = outcome.field("reason")
        elif isinstance(outcome, Failed):
            self.error = outcome.message
        else:
            return outcome
        return None

    def _book_or_move(self, db: Session, start: datetime) -> list:
        """Hold the chosen slot (or move the appointment to it): the toast and where next."""
        viewer, now = current_viewer(), utcnow()
        if self.mode == "reschedule":
            booking.reschedule(
                db,
                appointment_id=self.appointment_id,
                patient_id=viewer.id,
                new_start_at=start,
                now=now,
            )
            moved = rx.toast.success(f"Moved to {self.day_label}, {self.slot_label}.")
            return [moved, rx.redirect(routes.appointment_url(self.appointment_id))]
        appointment = booking.book(
            db,
            patient_id=viewer.id,
            doctor_id=int(self.doctor["id"]),
            start_at=start,
            reason=self.reason,
            now=now,
        )
        # No toast: the payment page says the slot is held, and for how long.
        return [rx.redirect(routes.payment_url(appointment.id))]
