"""Paying for a held booking: method forms, outcome, retry and cancelling the hold."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import PaymentMethod, Role
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.payments import checkout as payments
from healthcareplus.domain.payments.gateway import gateway_from_settings
from healthcareplus.domain.scheduling.refunds import refund_terms
from healthcareplus.ui.patient.appointments_state import as_patient
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import requires
from healthcareplus.ui.shared.i18n import tr
from healthcareplus.ui.shared.outcome import Failed
from healthcareplus.ui.shared.rows import to_row
from healthcareplus.ui.shared.typed import Field, event, field

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


def _left(view: booking.AppointmentView, now: datetime) -> str:
    """The hold's time left as mm:ss, for the page's first paint (the browser ticks on)."""
    if view.hold_expires_at is None:
        return "00:00"
    seconds = max(0, int((view.hold_expires_at - now).total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _appointment_id(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1][:36]


class PaymentState(rx.State):
    appointment: Field[dict[str, str]] = field(default_factory=dict)
    method: Field[str] = field(PaymentMethod.UPI.value)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    failure: Field[str] = field("")
    message: Field[str] = field("")
    busy: Field[bool] = field(False)
    loaded: Field[bool] = field(False)
    not_found: Field[bool] = field(False)

    def _load(self, appointment_id: str) -> booking.AppointmentView | Failed:
        """Show the booking as it is now, or forget it if it is not the caller's."""
        view = as_patient(booking.get_appointment, appointment_id=appointment_id, now=utcnow())
        if isinstance(view, Failed):
            self.not_found, self.appointment = True, {}
            return view
        deadline = view.hold_expires_at.isoformat() if view.hold_expires_at else ""
        terms = refund_terms(fee_paise=view.fee_paise, start_at=view.start_at)
        self.appointment = to_row(
            view, hold_deadline=deadline, hold_left=_left(view, utcnow()), refund_terms=terms
        )
        return view

    @event
    @requires(Role.PATIENT)
    def load(self) -> EventSpec | None:
        self.errors, self.failure, self.message, self.busy = {}, "", "", False
        self.loaded, self.not_found, self.method = False, False, PaymentMethod.UPI.value
        view = self._load(_appointment_id(self.router.url.path))
        self.loaded = True
        if isinstance(view, Failed):
            return None
        if not view.can_pay and not view.awaiting_doctor:  # a request: the page says it waits
            return rx.redirect(routes.appointment_url(view.id))
        return None

    @event
    @requires(Role.PATIENT)
    def choose_method(self, method: str) -> None:
        if method in METHODS:
            self.method, self.errors = method, {}

    @event
    @requires(Role.PATIENT)
    def pay(self, form_data: FormData) -> list | None:
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
            outcome = as_patient(
                payments.pay,
                appointment_id=appointment_id,
                method=self.method,
                form=form,
                gateway=gateway_from_settings(),
                now=utcnow(),
            )
        finally:
            self.busy = False
        if isinstance(outcome, Failed) and outcome.invalid:
            self.errors = outcome.fields
            return None
        if isinstance(outcome, Failed):
            self.failure = outcome.message
        elif outcome.pending:  # the bank has not answered: the booking page follows it up
            return [
                rx.toast.info(outcome.failure_reason),
                rx.redirect(routes.appointment_url(appointment_id)),
            ]
        elif not outcome.success:
            self.failure = tr(outcome.failure_reason or "The payment did not go through.")
        else:
            return [
                rx.toast.success(tr("Appointment confirmed")),
                rx.redirect(routes.appointment_url(appointment_id) + "?confirmed=1"),
            ]
        self._load(appointment_id)  # the booking as it is after the refusal
        return None

    @event
    @requires(Role.PATIENT)
    def abandon(self) -> list | None:
        appointment_id, doctor_id = (
            self.appointment.get("id", ""),
            self.appointment.get("doctor_id", ""),
        )
        abandoned = as_patient(payments.abandon, appointment_id=appointment_id, now=utcnow())
        if isinstance(abandoned, Failed):
            self.failure = abandoned.message
            return None
        return [
            rx.toast.info(tr("Booking cancelled. The slot is free again.")),
            rx.redirect(f"/doctor/{doctor_id}" if doctor_id else routes.DOCTORS),
        ]
