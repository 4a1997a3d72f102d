"""What the booking wizard asks of the domain: what it opens on (the page's doctor, or
the caller's appointment to reschedule, with the doctor's calendar), a day's slots, and
the hold (or the move) of the chosen slot with where the browser goes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import reflex as rx
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import NotFound
from healthcareplus.core.i18n import N_, gettext, translate
from healthcareplus.domain.accounts.dependants import list_dependants
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.scheduling import availability
from healthcareplus.ui.patient.booking_slots import Rows, day_rows, period_rows, slot_rows
from healthcareplus.ui.shared.rows import last_path_id, to_row

CANNOT_MOVE = N_("This appointment can no longer be rescheduled.")


@dataclass(frozen=True)
class Opening:
    """The wizard's doctor (a row), their calendar (day rows) and what it is for."""

    mode: str  # "book" or "reschedule"
    doctor: dict[str, str]
    days: list[dict[str, str]]
    appointment_id: str = ""
    reason: str = ""
    error: str = ""
    # Who the visit may be for (the patient's family members: id and "Name (Child)"), or
    # whom the appointment being moved is for ("" for the patient).
    people: tuple[dict[str, str], ...] = ()
    for_label: str = ""


def open_wizard(path: str, *, patient_id: int, now: datetime) -> Opening:
    """The wizard at ``path`` (``/book/<doctor>`` or ``/reschedule/<appointment>``, the
    caller's own); ``NotFound`` for no such doctor or appointment."""
    mode, appointment_id, reason, error, for_label = "book", "", "", "", ""
    people: tuple[dict[str, str], ...] = ()
    with session_scope() as db:
        if path.startswith("/reschedule/"):
            mode, appointment_id = "reschedule", path.rstrip("/").rsplit("/", 1)[-1][:36]
            view = booking.get_appointment(
                db, appointment_id=appointment_id, patient_id=patient_id, now=now
            )
            error = "" if view.can_reschedule else gettext(CANNOT_MOVE)
            reason, doctor_id = view.reason, view.doctor_id
            for_label = person_label(view.for_name, view.for_relation)
        elif (found := last_path_id(path)) is not None:
            doctor_id = found
            people = tuple(
                {"id": str(d.id), "label": person_label(d.name, d.relation_label)}
                for d in list_dependants(db, holder_id=patient_id)
            )
        else:
            raise NotFound("No such doctor")
        profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=now)
        days = availability.calendar(db, doctor_id=doctor_id, now=now)
    row, day_list = to_row(profile), day_rows(days)
    return Opening(mode, row, day_list, appointment_id, reason, error, people, for_label)


def person_label(name: str, relation: str) -> str:
    """ "Riya Patel (Child)"; "" for the account holder (no name)."""
    return f"{name} ({relation})" if name and relation else name


def calendar_of(doctor_id: int, now: datetime) -> Rows:
    """The doctor's date strip as it stands now."""
    with session_scope() as db:
        return day_rows(availability.calendar(db, doctor_id=doctor_id, now=now))


def slots_of_day(doctor_id: int, day: str, day_label: str, now: datetime) -> tuple[Rows, Rows]:
    """The slots of the clinic day ``day`` (ISO) still ahead, and its parts of the day."""
    with session_scope() as db:
        slots = availability.day_slots(
            db, doctor_id=doctor_id, day=date.fromisoformat(day), now=now
        )
    rows = slot_rows(slots, day_label)
    return rows, period_rows(rows)


def hold_or_move(
    db: Session,
    *,
    mode: str,
    appointment_id: str,
    doctor_id: int,
    start: datetime,
    reason: str,
    when: str,
    patient_id: int,
    now: datetime,
    dependant_id: int | None = None,
) -> list:
    """Hold the slot at ``start`` (or move the appointment to it): the toast, if any,
    and where next. ``when`` names the slot in the toast ("Mon, 23 Nov 2026, 09:30 AM")."""
    if mode == "reschedule":
        booking.reschedule(
            db,
            appointment_id=appointment_id,
            patient_id=patient_id,
            new_start_at=start,
            now=now,
        )
        moved = rx.toast.success(translate("Moved to {when}.", None, when=when))
        return [moved, rx.redirect(routes.appointment_url(appointment_id))]
    appointment = booking.book(
        db,
        patient_id=patient_id,
        doctor_id=doctor_id,
        start_at=start,
        reason=reason,
        now=now,
        dependant_id=dependant_id,
    )
    # No toast: the payment page says the slot is held, and for how long.
    return [rx.redirect(routes.payment_url(appointment.id))]
