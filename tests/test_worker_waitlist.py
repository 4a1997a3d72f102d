"""The worker's waitlist task: freed slots become offers to the first waiter, offers
whose hold ran out lapse and go to the next waiter, past entries end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus import jobs, worker
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Notification, Role
from healthcareplus.core.waitlist_models import SlotOffer, WaitlistEntry
from healthcareplus.domain.booking.appointments import cancel
from healthcareplus.domain.booking.waitlist import join_waitlist
from tests.factories import create_appointment, create_doctor, create_patient, local

EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))


@pytest.fixture
def immediate() -> Iterator[Any]:
    worker.huey.immediate = True
    try:
        yield worker.huey
    finally:
        worker.huey.immediate = False


def _day(days: int = 3):
    return clinic_today(utcnow()) + timedelta(days=days)


def test_a_cancelled_visit_is_offered_to_the_first_waiter(session: Session, immediate: Any) -> None:
    doctor = create_doctor(session, schedule=EVERY_DAY)
    start = local(_day(), "10:00")
    visit = create_appointment(session, doctor=doctor, start_at=start, minutes=30)
    first, second = create_patient(session), create_patient(session)
    for i, waiter in enumerate((first, second)):
        join_waitlist(
            session,
            patient_id=waiter.id,
            doctor_id=doctor.id,
            from_day=_day(),
            to_day=_day(),
            now=utcnow() - timedelta(minutes=10 - i),
        )
    cancel(
        session,
        appointment_id=visit.id,
        actor_id=visit.patient_id,
        actor_role=Role.PATIENT,
        reason=None,
        now=utcnow(),
    )
    session.commit()

    worker.offer_freed_slots()

    offer = session.exec(select(SlotOffer)).one()
    assert (offer.patient_id, offer.status) == (first.id, "open")
    told = session.exec(select(Notification.channel).where(Notification.user_id == first.id)).all()
    assert set(told) == {"email", "in_app"}


def test_a_lapsed_offer_goes_to_the_next_waiter_and_past_entries_end(session: Session) -> None:
    doctor = create_doctor(session, schedule=EVERY_DAY)
    start = local(_day(), "11:00")
    visit = create_appointment(session, doctor=doctor, start_at=start, minutes=30)
    first, second = create_patient(session), create_patient(session)
    for i, waiter in enumerate((first, second)):
        join_waitlist(
            session,
            patient_id=waiter.id,
            doctor_id=doctor.id,
            from_day=_day(),
            to_day=_day(),
            now=utcnow() - timedelta(minutes=10 - i),
        )
    old = WaitlistEntry(
        patient_id=second.id,
        doctor_id=doctor.id,
        from_day=clinic_today(utcnow()) - timedelta(days=3),
        to_day=clinic_today(utcnow()) - timedelta(days=1),
        joined_at=utcnow() - timedelta(days=4),
    )
    session.add(old)
    cancel(
        session,
        appointment_id=visit.id,
        actor_id=visit.patient_id,
        actor_role=Role.PATIENT,
        reason=None,
        now=utcnow(),
    )
    session.commit()
    assert jobs.waitlist_once() == 1
    offer = session.exec(select(SlotOffer)).one()
    # The offer's hold runs out.
    held = session.get(Appointment, offer.appointment_id)
    held.hold_expires_at = utcnow() - timedelta(seconds=1)
    offer.expires_at = utcnow() - timedelta(seconds=1)
    session.add_all([held, offer])
    session.commit()

    assert jobs.waitlist_once() == 1

    session.expire_all()
    offers = session.exec(select(SlotOffer).order_by(SlotOffer.id)).all()
    assert [(o.patient_id, o.status) for o in offers] == [(first.id, "lapsed"), (second.id, "open")]
    assert session.get(Appointment, offer.appointment_id).status == "expired"
    assert session.get(WaitlistEntry, old.id).status == "ended"
