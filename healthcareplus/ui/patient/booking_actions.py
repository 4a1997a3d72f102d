"""What the booking wizard asks of the domain: what it opens on (the page's doctor, or
the caller's appointment to reschedule, with the doctor's calendar), a day's slots, and
the hold (or the move) of the chosen slot with where the browser goes next.

The same wizard serves the clinic's staff: the front desk (or an admin) books for a
patient (``/book/<doctor>?for=<patient>``) and moves a patient's visit, and a doctor
moves his own patient's visit; the patient is told, and the staff member goes back to
where they came from (the desk's patient page, the doctor's visit page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import reflex as rx
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.audit import Actor
from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import NotFound
from healthcareplus.core.i18n import N_, gettext, translate
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts.dependants import list_dependants
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.desk import patients as desk_patients
from healthcareplus.domain.desk import visits as desk_visits
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
    patient_id: int = 0  # whose visit it is (the caller, unless staff)
    patient_name: str = ""  # for staff: whom they book for


@dataclass(frozen=True)
class Caller:
    """Who runs the wizard: a patient for themselves, or staff (``for_patient``: the
    patient the desk books for, from ``?for=``)."""

    id: int
    role: str
    for_patient: int | None = None

    @property
    def staff(self) -> bool:
        return self.role != Role.PATIENT


def _patient_of(db: Session, caller: Caller, appointment_id: str) -> int:
    """Whose appointment the caller may move (``NotFound`` when it is not theirs to move)."""
    if not caller.staff:
        return caller.id
    return booking.appointment_for_actor(db, appointment_id, caller.id, caller.role).patient_id


def _booked_for(db: Session, caller: Caller, now: datetime) -> tuple[int, str]:
    """The patient a new booking is for, and their name for staff ("" for the patient)."""
    if not caller.staff:
        return caller.id, ""
    if caller.role == Role.DOCTOR or caller.for_patient is None:
        raise NotFound("No patient chosen")
    patient = desk_patients.desk_patient(
        db, actor_id=caller.id, patient_id=caller.for_patient, now=now
    )
    return patient.id or 0, patient.name


def open_wizard(path: str, *, caller: Caller, now: datetime) -> Opening:
    """The wizard at ``path`` (``/book/<doctor>`` or ``/reschedule/<appointment>``, the
    caller's own); ``NotFound`` for no such doctor or appointment."""
    mode, appointment_id, reason, error, for_label, name = "book", "", "", "", "", ""
    people: tuple[dict[str, str], ...] = ()
    with session_scope() as db:
        if path.startswith("/reschedule/"):
            mode, appointment_id = "reschedule", path.rstrip("/").rsplit("/", 1)[-1][:36]
            patient_id = _patient_of(db, caller, appointment_id)
            view = booking.get_appointment(
                db, appointment_id=appointment_id, patient_id=patient_id, now=now
            )
            error = "" if view.can_reschedule else gettext(CANNOT_MOVE)
            reason, doctor_id = view.reason, view.doctor_id
            for_label = person_label(view.for_name, view.for_relation)
        elif (found := last_path_id(path)) is not None:
            doctor_id = found
            patient_id, name = _booked_for(db, caller, now)
            people = tuple(
                {"id": str(d.id), "label": person_label(d.name, d.relation_label)}
                for d in list_dependants(db, holder_id=patient_id)
            )
        else:
            raise NotFound("No such doctor")
        profile = discovery.get_doctor_profile(db, doctor_id=doctor_id, now=now)
        days = availability.calendar(db, doctor_id=doctor_id, now=now)
    row, day_list = to_row(profile), day_rows(days)
    return Opening(
        mode, row, day_list, appointment_id, reason, error, people, for_label, patient_id, name
    )


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
    caller: Caller | None = None,
) -> list:
    """Hold the slot at ``start`` (or move the appointment to it): the toast, if any,
    and where next. ``when`` names the slot in the toast ("Mon, 23 Nov 2026, 09:30 AM")."""
    if caller is not None and caller.staff:
        return _staff_hold_or_move(
            db, caller, mode=mode, appointment_id=appointment_id, doctor_id=doctor_id,
            start=start, reason=reason, when=when, patient_id=patient_id, now=now,
            dependant_id=dependant_id,
        )  # fmt: skip
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
    if appointment.awaiting_doctor:  # a request: paid once the doctor accepts it
        from healthcareplus.core.models import Doctor  # noqa: PLC0415 (kept to these lines)

        doctor = db.get(Doctor, appointment.doctor_id)
        sent = translate(
            "Request sent to {doctor}. You can pay once they accept it; we will tell you.",
            None,
            doctor=doctor.name if doctor is not None else gettext("your doctor"),
        )
        return [rx.toast.success(sent), rx.redirect(routes.appointment_url(appointment.id))]
    # No toast: the payment page says the slot is held, and for how long.
    return [rx.redirect(routes.payment_url(appointment.id))]


def _staff_hold_or_move(
    db: Session,
    caller: Caller,
    *,
    mode: str,
    appointment_id: str,
    doctor_id: int,
    start: datetime,
    reason: str,
    when: str,
    patient_id: int,
    now: datetime,
    dependant_id: int | None,
) -> list:
    """The desk (or an admin) books or moves for the patient; a doctor moves his own
    patient's visit. Each goes back to where they work on it."""
    if mode == "reschedule" and caller.role == Role.DOCTOR:
        by = Actor(caller.id, Role.DOCTOR, now)
        booking.reschedule(
            db, appointment_id=appointment_id, patient_id=patient_id, new_start_at=start, now=now,
            by=by,
        )  # fmt: skip
        moved = rx.toast.success(f"Moved to {when}. The patient has been told.")
        return [moved, rx.redirect(routes.doctor_visit_url(appointment_id))]
    back = rx.redirect(routes.desk_patient_url(patient_id))
    if mode == "reschedule":
        desk_visits.reschedule_for_patient(
            db, actor_id=caller.id, appointment_id=appointment_id, new_start_at=start, now=now
        )
        return [rx.toast.success(f"Moved to {when}. The patient has been told."), back]
    desk_visits.book_for_patient(
        db, actor_id=caller.id, patient_id=patient_id, doctor_id=doctor_id, start_at=start,
        reason=reason, now=now, dependant_id=dependant_id,
    )  # fmt: skip
    held = rx.toast.success(f"{when} is held. Confirm it below: Pay at Clinic or take the fee.")
    return [held, back]
