"""The booking wizard: date -> time -> reason and summary -> confirm (also reschedules)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, NotFound, SlotUnavailable, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.scheduling import availability
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import last_path_id, to_row

MAX_REASON = 500


class BookingState(rx.State):
    mode: str = "book"  # or "reschedule"
    appointment_id: str = ""
    doctor: dict[str, str] = {}
    days: list[dict[str, str]] = []
    day: str = ""
    day_label: str = ""
    slots: list[dict[str, str]] = []
    slot: str = ""
    slot_label: str = ""
    reason: str = ""
    step: int = 1
    error: str = ""
    reason_error: str = ""
    loaded: bool = False
    not_found: bool = False
    busy: bool = False

    def _reset_wizard(self) -> None:
        self.days, self.slots, self.day, self.slot, self.day_label, self.slot_label = (
            [],
            [],
            "",
            "",
            "",
            "",
        )
        self.step, self.error, self.reason_error, self.reason = 1, "", "", ""
        self.loaded, self.not_found, self.busy, self.appointment_id = False, False, False, ""

    def _load_calendar(self, doctor_id: int) -> None:
        with session_scope() as db:
            profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=utcnow())
            days = availability.calendar(db, doctor_id=doctor_id, now=utcnow())
        self.doctor = to_row(profile)
        self.days = [to_row(d) for d in days]

    @rx.event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self._reset_wizard()
        path = self.router.url.path
        try:
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
        except NotFound:
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

    @rx.event
    @requires(Role.PATIENT)
    def choose_day(self, iso: Any) -> None:
        match = next((d for d in self.days if d["iso"] == iso), None)
        if match is None or match["bookable"] != "true":
            self.error = "That day has no free slots. Please pick another date."
            return
        self.day, self.day_label, self.slot, self.slot_label = iso, match["date_label"], "", ""
        self.error, self.step = "", 2
        self._refresh_slots()

    @rx.event
    @requires(Role.PATIENT)
    def choose_slot(self, start: Any) -> None:
        match = next((s for s in self.slots if s["start"] == start), None)
        if match is None or match["state"] != "free":
            self.error = "That time is not available. Please pick a free slot."
            return
        self.slot, self.slot_label, self.error, self.step = start, match["label"], "", 3

    @rx.event
    @requires(Role.PATIENT)
    def go_to_step(self, step: Any) -> None:
        if type(step) is int and 1 <= step <= self.step:  # not bool, str or float
            self.step, self.error = step, ""

    def _slot_taken(self, message: str) -> None:
        self.error, self.step, self.slot, self.slot_label = message, 2, "", ""
        self._refresh_slots()

    @rx.event
    @requires(Role.PATIENT)
    def confirm(self, form_data: dict) -> list | None:
        if self.busy or not self.slot:
            return None
        reason = form_data.get("reason", "") if isinstance(form_data, dict) else ""
        self.reason = reason[:MAX_REASON] if isinstance(reason, str) else ""
        self.busy, self.error, self.reason_error = True, "", ""
        viewer, now = current_viewer(), utcnow()
        start = datetime.fromisoformat(self.slot)
        try:
            with session_scope() as db:
                if self.mode == "reschedule":
                    booking.reschedule(
                        db,
                        appointment_id=self.appointment_id,
                        patient_id=viewer.id,
                        new_start_at=start,
                        now=now,
                    )
                    target = routes.appointment_url(self.appointment_id)
                    done = rx.toast.success(f"Moved to {self.day_label}, {self.slot_label}.")
                else:
                    appointment = booking.book(
                        db,
                        patient_id=viewer.id,
                        doctor_id=int(self.doctor["id"]),
                        start_at=start,
                        reason=self.reason,
                        now=now,
                    )
                    target = routes.payment_url(appointment.id)
                    done = rx.toast.success("Slot held for you. Complete the payment to confirm.")
        except SlotUnavailable as exc:
            self._slot_taken(str(exc))
            return None
        except ValidationFailed as exc:
            self.reason_error = exc.fields.get("reason", str(exc))
            return None
        except DomainError as exc:
            self.error = str(exc)
            return None
        finally:
            self.busy = False
        return [done, rx.redirect(target)]
