"""The doctor's day shows who has arrived: each checked-in visit of today with its token
and where the patient is (waiting, with the doctor, done), as the front desk moves them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from healthcareplus.core.models import Appointment, AppointmentStatus
from healthcareplus.domain.clinical import doctor_day
from healthcareplus.domain.clinical.doctor_queue import arrivals
from healthcareplus.domain.desk import queue
from tests.factories import (
    create_appointment,
    create_desk_user,
    create_doctor,
    create_hospital,
    create_patient,
    local,
)

MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "08:00")


def _visit(session: Session, doctor, hhmm: str, day: date = MONDAY) -> Appointment:  # noqa: ANN001
    return create_appointment(
        session, doctor=doctor, patient=create_patient(session), start_at=local(day, hhmm)
    )


def test_the_doctors_day_shows_each_arrivals_token_and_stage(session: Session) -> None:
    hospital = create_hospital(session, name="Sunrise Clinic")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Pillai")
    other = create_doctor(session, hospital=hospital, name="Dr. Arjun Rao")
    desk = create_desk_user(session, hospitals=[hospital])
    first, second, third, absent = (
        _visit(session, doctor, t) for t in ("09:00", "09:30", "10:00", "10:30")
    )
    others = _visit(session, other, "09:00")
    tomorrow = _visit(session, doctor, "09:00", MONDAY + timedelta(days=1))
    moves = {"actor_id": desk.id, "now": NOW}
    for visit in (second, first, others, third):  # arrival order, not booking order
        queue.check_in(session, appointment_id=visit.id, **moves)
    queue.call_in(session, appointment_id=second.id, **moves)
    queue.call_in(session, appointment_id=first.id, **moves)
    queue.finish(session, appointment_id=first.id, **moves)
    third.status = AppointmentStatus.COMPLETED  # closed in the record before the desk's "Done"
    session.add(third)
    session.commit()

    board = doctor_day.dashboard(session, doctor_id=doctor.id, now=NOW)

    shown = {row.appointment_id: row.arrival for row in board.today}
    assert shown == {
        first.id: "Token 2 · done",
        second.id: "Token 1 · with you",
        third.id: "Token 3 · done",
        absent.id: "",
    }
    assert others.id not in shown and tomorrow.id not in shown
    assert arrivals(session, doctor_id=other.id, day=MONDAY) == {others.id: "Token 1 · waiting"}
    assert arrivals(session, doctor_id=doctor.id, day=MONDAY + timedelta(days=1)) == {}
    upcoming = {row.appointment_id: row.arrival for row in board.upcoming}
    assert upcoming == {tomorrow.id: ""}
