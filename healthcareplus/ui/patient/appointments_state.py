"""My appointments: upcoming/past lists, one appointment's details, cancel, calendar file."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, NotFound
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking import calendar_file as ics
from healthcareplus.domain.clinical import records as treatments
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row, to_rows

TABS = ("upcoming", "past")


def _row(view: booking.AppointmentView) -> dict[str, str]:
    deadline = view.hold_expires_at.isoformat() if view.hold_expires_at else ""
    return to_row(view, hold_deadline=deadline)


class AppointmentsState(rx.State):
    tab: str = "upcoming"
    items: list[dict[str, str]] = []
    loaded: bool = False

    def _fetch(self) -> None:
        with session_scope() as db:
            views = booking.list_appointments(
                db, patient_id=current_viewer().id, tab=self.tab, now=utcnow()
            )
        self.items = [_row(v) for v in views]
        self.loaded = True

    @rx.event
    @requires(Role.PATIENT)
    def load(self) -> None:
        tab = self.router.url.query_parameters.get("tab", "upcoming")
        self.tab = tab if tab in TABS else "upcoming"
        self._fetch()

    @rx.event
    @requires(Role.PATIENT)
    def switch_tab(self, tab: Any) -> None:
        if tab in TABS:
            self.tab = tab
            self._fetch()

    @rx.event
    @requires(Role.PATIENT)
    def cancel(self, appointment_id: Any) -> rx.event.EventSpec:
        message = _cancel(str(appointment_id)[:36])
        self._fetch()
        return message


def _cancel(appointment_id: str) -> rx.event.EventSpec:
    viewer = current_viewer()
    try:
        with session_scope() as db:
            appointment = booking.cancel(
                db,
                appointment_id=appointment_id,
                actor_id=viewer.id,
                actor_role=viewer.role,
                reason="",
                now=utcnow(),
            )
    except DomainError as exc:
        return rx.toast.error(str(exc))
    refunded = appointment.payment_status == "Refunded"
    return rx.toast.success(
        "Appointment cancelled." + (" Your payment will be refunded." if refunded else "")
    )


class AppointmentDetailState(rx.State):
    item: dict[str, str] = {}
    record: dict[str, str] = {}  # the doctor's treatment record of a completed visit
    prescription: list[dict[str, str]] = []
    just_confirmed: bool = False
    loaded: bool = False
    not_found: bool = False

    def _fetch(self, appointment_id: str) -> None:
        patient_id, self.record, self.prescription = current_viewer().id, {}, []
        with session_scope() as db:
            view = booking.get_appointment(
                db, appointment_id=appointment_id, patient_id=patient_id, now=utcnow()
            )
            try:
                record = treatments.treatment_for_patient(
                    db, patient_id=patient_id, appointment_id=view.id
                )
            except NotFound:  # not completed, or no record written
                record = None
        self.item = _row(view)
        self.record = to_row(record) if record else {}
        self.prescription = to_rows(record.items) if record else []

    @rx.event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.loaded, self.not_found = False, False
        self.just_confirmed = self.router.url.query_parameters.get("confirmed") == "1"
        try:
            self._fetch(self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:36])
        except NotFound:
            self.not_found, self.item = True, {}
        self.loaded = True

    @rx.event
    @requires(Role.PATIENT)
    def cancel(self) -> rx.event.EventSpec | None:
        appointment_id = self.item.get("id", "")
        if not appointment_id:
            return None
        message = _cancel(appointment_id)
        try:
            self._fetch(appointment_id)
        except NotFound:  # not (or no longer) the caller's appointment
            self.not_found, self.item = True, {}
        self.just_confirmed = False
        return message

    @rx.event
    @requires(Role.PATIENT)
    def download_calendar(self) -> rx.event.EventSpec | None:
        appointment_id = self.item.get("id", "")
        try:
            with session_scope() as db:
                view = booking.get_appointment(
                    db,
                    appointment_id=appointment_id,
                    patient_id=current_viewer().id,
                    now=utcnow(),
                )
        except NotFound:
            return rx.redirect(routes.APPOINTMENTS)
        return rx.download(data=ics.calendar_ics(view), filename=f"appointment-{view.id[:8]}.ics")

    @rx.event
    @requires(Role.PATIENT)
    def download_prescription(self) -> rx.event.EventSpec:
        try:
            with session_scope() as db:
                record = treatments.treatment_for_patient(
                    db, patient_id=current_viewer().id, appointment_id=self.item.get("id", "")
                )
        except NotFound as exc:
            return rx.toast.error(str(exc))
        return rx.download(
            data=treatments.prescription_pdf(record),
            filename=treatments.prescription_filename(record),
            mime_type="application/pdf",
        )
