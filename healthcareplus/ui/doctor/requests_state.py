"""Booking requests ("confirm bookings myself"): the doctor's open requests on his
dashboard, with Accept and Decline (an optional reason), and the setting itself on his
profile (``domain.booking.requests``).

Every handler acts for the signed-in doctor only (the domain resolves him from the user);
an answer only starts from a request in the listed rows, and the domain checks it again.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.core.validation import REASON_MAX
from healthcareplus.domain.booking import requests
from healthcareplus.domain.clinical import doctor_day
from healthcareplus.ui.doctor.portal_state import acting_doctor_id
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session, run_domain
from healthcareplus.ui.shared.rows import find_row, form_text, to_row
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That request is no longer waiting for your answer. The list is refreshed."
SETTING_ON = "Patients' bookings now wait for you to accept them."
SETTING_OFF = "Patients' bookings are confirmed as soon as they pay."


class DoctorRequestsState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")
    declining: Field[dict[str, str]] = field(default_factory=dict)  # the row being declined
    decline_error: Field[str] = field("")
    _marker: str = ""  # the dashboard's change marker the list was read at

    def _fetch(self) -> None:
        listed = in_session(requests.open_requests, actor_id=current_viewer().id, now=utcnow())
        if isinstance(listed, Failed):
            self.error, self.rows = listed.message, []
            return
        self.error, self.rows = "", [to_row(r) for r in listed]

    def _listed(self, appointment_id: object) -> dict[str, str] | None:
        if not isinstance(appointment_id, str):
            return None
        return find_row(self.rows, "appointment_id", appointment_id)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self._fetch()
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def tick(self, _moment: Any = None) -> None:
        """Re-read the list when the doctor's dashboard marker moved (cheap otherwise)."""
        if not self.loaded or self.error:
            return
        doctor_id = run_domain(acting_doctor_id)
        if isinstance(doctor_id, Failed):
            self.error, self.rows = doctor_id.message, []
            return
        with session_scope() as db:
            marker = doctor_day.change_marker(db, doctor_id=doctor_id, now=utcnow())
        if marker != self._marker:
            self._marker = marker
            self._fetch()

    @event
    @requires(Role.DOCTOR)
    def accept(self, appointment_id: str) -> EventSpec:
        row = self._listed(appointment_id)
        if row is None:
            self._fetch()
            return rx.toast.error(NOT_LISTED)
        done = in_session(
            requests.accept_request,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            now=utcnow(),
        )
        self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return rx.toast.success(
            f"Accepted: {row['patient']}, {row['when']}. The patient can now pay or choose "
            "Pay at Clinic."
        )

    @event
    @requires(Role.DOCTOR)
    def start_decline(self, appointment_id: str) -> EventSpec | None:
        row = self._listed(appointment_id)
        if row is None:
            self._fetch()
            return rx.toast.error(NOT_LISTED)
        self.declining, self.decline_error = row, ""
        return None

    @event
    @requires(Role.DOCTOR)
    def close_decline(self, is_open: bool = False) -> None:
        if is_open is not True:
            self.declining, self.decline_error = {}, ""

    @event
    @requires(Role.DOCTOR)
    def decline(self, form: FormData) -> EventSpec | None:
        row = self._listed(self.declining.get("appointment_id"))
        if row is None:
            self.declining, self.decline_error = {}, ""
            return None
        done = in_session(
            requests.decline_request,
            actor_id=current_viewer().id,
            appointment_id=row["appointment_id"],
            reason=form_text(form, "reason", REASON_MAX + 1),  # the domain says if too long
            now=utcnow(),
        )
        if isinstance(done, Failed) and done.invalid:
            self.decline_error = done.field("reason")
            return None
        self.declining, self.decline_error = {}, ""
        self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return rx.toast.success(f"Declined: {row['patient']}, {row['when']}. The slot is free.")


class DoctorBookingSettingState(rx.State):
    """The "Confirm bookings myself" switch on the doctor's profile."""

    confirms: Field[bool] = field(False)
    loaded: Field[bool] = field(False)

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        on = in_session(requests.confirms_bookings, actor_id=current_viewer().id)
        if isinstance(on, Failed):
            return  # the profile page says why (no practice profile)
        self.confirms, self.loaded = on, True

    @event
    @requires(Role.DOCTOR)
    def set_confirms(self, on: bool) -> EventSpec | None:
        if not self.loaded or type(on) is not bool:
            return None
        done = in_session(
            requests.set_confirms_bookings, actor_id=current_viewer().id, on=on, now=utcnow()
        )
        if isinstance(done, Failed):
            return done.toast()
        self.confirms = done
        return rx.toast.success(SETTING_ON if done else SETTING_OFF)
