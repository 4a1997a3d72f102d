"""How the doctor's lists name a visit and a person: status labels ("To close",
"Request") and the key of a person on "My patients"."""

from __future__ import annotations

from healthcareplus.core.models import Appointment, AppointmentStatus

_CONFIRMED = AppointmentStatus.CONFIRMED.value
STATUS_LABELS = {
    "upcoming": "Upcoming",
    "pending_payment": "Awaiting payment",
    "completed": "Completed",
    "missed": "No-show",
    "cancelled": "Cancelled",
    "expired": "Expired",
}


def patient_key(patient_id: int, dependant_id: int | None = None) -> str:
    """A person the doctor sees: the account holder ("12") or their family member ("12-3")."""
    return f"{patient_id}-{dependant_id}" if dependant_id is not None else str(patient_id)


def status_label(appointment: Appointment, status: str) -> str:
    """A visit's label in the doctor's lists: "To close" for a confirmed visit whose time
    is over (nobody marked it yet), "Request" for one waiting for his answer, else its
    time status's label."""
    if appointment.status == _CONFIRMED and status == "completed":
        return "To close"
    if status == "pending_payment" and appointment.awaiting_doctor:
        return "Request"
    return STATUS_LABELS.get(status, status)


__all__ = ["STATUS_LABELS", "patient_key", "status_label"]
