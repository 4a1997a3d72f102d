"""Paying for a held booking: method forms, outcome, retry and cancelling the hold."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError, NotFound, ValidationFailed
from healthcareplus.core.models import PaymentMethod, Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.payments import checkout as payments
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.rows import to_row

METHODS = [m.value for m in PaymentMethod]
# Only these keys of a submitted form ever reach the service (never stored in state).
FORM_KEYS = (
    "upi_vpa",
    "upi_app",
    "card_number",
    "card_expiry",
    "card_cvv",
    "card_name",
    "bank",
    "wallet",
)


def _appointment_id(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1][:36]


class PaymentState(rx.State):
    appointment: dict[str, str] = {}
    method: str = PaymentMethod.UPI.value
    errors: dict[str, str] = {}
    failure: str = ""
    message: str = ""
    busy: bool = False
    loaded: bool = False
    not_found: bool = False

    def _load(self, appointment_id: str) -> booking.AppointmentView:
        with session_scope() as db:
            view = booking.get_appointment(
                db, appointment_id=appointment_id, patient_id=current_viewer().id, now=utcnow()
            )
        deadline = view.hold_expires_at.isoformat() if view.hold_expires_at else ""
        self.appointment = to_row(view, hold_deadline=deadline)
        return view

    def _reload(self, appointment_id: str) -> None:
        """Show the booking as it is now, or forget it if it is not the caller's."""
        try:
            self._load(appointment_id)
        except NotFound:
            self.not_found, self.appointment = True, {}

    @rx.event
    @requires(Role.PATIENT)
    def load(self) -> rx.event.EventSpec | None:
        self.errors, self.failure, self.message, self.busy = {}, "", "", False
        self.loaded, self.not_found, self.method = False, False, PaymentMethod.UPI.value
        try:
            view = self._load(_appointment_id(self.router.url.path))
        except NotFound:
            self.not_found, self.loaded, self.appointment = True, True, {}
            return None
        self.loaded = True
        if not view.can_pay:
            return rx.redirect(routes.appointment_url(view.id))
        return None

    @rx.event
    @requires(Role.PATIENT)
    def choose_method(self, method: Any) -> None:
        if method in METHODS:
            self.method, self.errors = method, {}

    @rx.event
    @requires(Role.PATIENT)
    def pay(self, form_data: dict) -> list | None:
        appointment_id = self.appointment.get("id", "")
        if self.busy or not appointment_id:
            return None
        form = (
            {k: str(form_data.get(k, ""))[:100] for k in FORM_KEYS}
            if isinstance(form_data, dict)
            else {}
        )
        self.busy, self.errors, self.failure, self.message = True, {}, "", ""
        try:
            with session_scope() as db:
                outcome = payments.pay(
                    db,
                    appointment_id=appointment_id,
                    patient_id=current_viewer().id,
                    method=self.method,
                    form=form,
                    gateway=payments.gateway_from_settings(),
                    now=utcnow(),
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except DomainError as exc:
            self.failure = str(exc)
            self._reload(appointment_id)
            return None
        finally:
            self.busy = False
        if not outcome.success:
            self.failure = outcome.failure_reason or "The payment did not go through."
            self._reload(appointment_id)
            return None
        return [
            rx.toast.success("Appointment confirmed"),
            rx.redirect(routes.appointment_url(appointment_id) + "?confirmed=1"),
        ]

    @rx.event
    @requires(Role.PATIENT)
    def abandon(self) -> list | None:
        appointment_id, doctor_id = (
            self.appointment.get("id", ""),
            self.appointment.get("doctor_id", ""),
        )
        try:
            with session_scope() as db:
                payments.abandon(
                    db, appointment_id=appointment_id, patient_id=current_viewer().id, now=utcnow()
                )
        except DomainError as exc:
            self.failure = str(exc)
            return None
        return [
            rx.toast.info("Booking cancelled. The slot is free again."),
            rx.redirect(f"/doctor/{doctor_id}" if doctor_id else routes.DOCTORS),
        ]
