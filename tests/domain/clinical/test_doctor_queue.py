"""The doctor's day shows who has arrived: each checked-in visit of today with its token
and where the patient is (waiting, with the doctor, done), as the front desk moves them;
the doctor calls in the next one himself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    QueueEntry,
    User,
)
from healthcareplus.domain.clinical import doctor_day
from healthcareplus.domain.clinical.doctor_queue import NOBODY_WAITING, arrivals, call_next
from healthcareplus.domain.desk import queue
from tests.factories import (
    create_appointment,
    create_desk_user,
    create_doctor,
    create_hospital,
    create_patient,
    link_doctor_user,
    local,
)

MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "08:00")


def _visit(session: Session, doctor, hhmm: str, day: date = MONDAY) -> Appointment:  # noqa: ANN001
    return create_appointment(
        session, doctor=doctor, patient=create_patient(session), start_at=local(day, hhmm)
    )


@dataclass(frozen=True)
class Clinic:
    doctor: Doctor
    other: Doctor  # another doctor of the same hospital
    desk: User
    me: User  # the doctor's own login
    other_login: User


@pytest.fixture
def clinic(session: Session) -> Clinic:
    hospital = create_hospital(session, name="Sunrise Clinic")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Pillai")
    other = create_doctor(session, hospital=hospital, name="Dr. Arjun Rao")
    desk = create_desk_user(session, hospitals=[hospital])
    me, other_login = link_doctor_user(session, doctor), link_doctor_user(session, other)
    return Clinic(doctor, other, desk, me, other_login)


def test_the_doctors_day_shows_each_arrivals_token_and_stage(
    session: Session, clinic: Clinic
) -> None:
    doctor, other, desk = clinic.doctor, clinic.other, clinic.desk
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


def _stages(session: Session, *visits: Appointment) -> list[str]:
    session.expire_all()
    return [session.get(QueueEntry, v.id).stage for v in visits]  # type: ignore[union-attr]


def test_call_next_brings_in_the_lowest_waiting_token_and_finishes_the_one_inside(
    session: Session, clinic: Clinic
) -> None:
    doctor, other, desk, me = clinic.doctor, clinic.other, clinic.desk, clinic.me
    closed, first, second, others = (
        _visit(session, doctor, "09:00"),
        _visit(session, doctor, "09:30"),
        _visit(session, doctor, "10:00"),
        _visit(session, other, "09:00"),
    )
    for visit in (closed, others, first, second):
        queue.check_in(session, actor_id=desk.id, appointment_id=visit.id, now=NOW)
    closed.status = AppointmentStatus.COMPLETED  # token 1, closed before anyone called it
    session.add(closed)
    session.commit()

    called = call_next(session, actor_id=me.id, now=NOW)
    session.commit()
    assert (called.appointment_id, called.token) == (first.id, 2)
    assert _stages(session, closed, first, second, others) == [
        "waiting", "with_doctor", "waiting", "waiting",
    ]  # fmt: skip

    called = call_next(session, actor_id=me.id, now=NOW + timedelta(minutes=20))
    session.commit()
    assert called.appointment_id == second.id
    assert _stages(session, first, second, others) == ["done", "with_doctor", "waiting"]
    actions = session.exec(
        select(AuditEvent.action, AuditEvent.appointment_id)
        .where(col(AuditEvent.action).in_(["queue_call_in", "queue_done"]))
        .order_by(col(AuditEvent.id))
    ).all()
    assert list(actions) == [
        ("queue_call_in", first.id), ("queue_done", first.id), ("queue_call_in", second.id),
    ]  # fmt: skip

    with pytest.raises(Conflict, match=NOBODY_WAITING):
        call_next(session, actor_id=me.id, now=NOW + timedelta(minutes=40))
    session.rollback()
    assert _stages(session, second) == ["with_doctor"]


def test_only_a_doctor_calls_in_and_only_his_own_patients(session: Session, clinic: Clinic) -> None:
    doctor, other, desk = clinic.doctor, clinic.other_login, clinic.desk
    visit = _visit(session, doctor, "09:00")
    queue.check_in(session, actor_id=desk.id, appointment_id=visit.id, now=NOW)
    session.commit()
    for caller in (desk.id, create_patient(session).id, None, "1", 10**9):
        with pytest.raises(Forbidden):
            call_next(session, actor_id=caller, now=NOW)
    with pytest.raises(Conflict):  # the other doctor has nobody waiting
        call_next(session, actor_id=other.id, now=NOW)
    session.rollback()
    assert _stages(session, visit) == ["waiting"]
