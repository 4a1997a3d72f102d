"""The waitlist rules: joining, leaving, ranges, counts, freed slots, offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.models import Appointment, Notification, Role
from healthcareplus.core.waitlist_models import FreedSlot, SlotOffer, WaitlistEntry
from healthcareplus.domain.booking.appointments import book, cancel, reschedule
from healthcareplus.domain.booking.waitlist import (
    end_past_entries,
    join_waitlist,
    leave_waitlist,
    my_waitlist,
    waitlist_counts,
)
from healthcareplus.domain.booking.waitlist_offers import (
    accept_offer,
    decline_offer,
    my_offers,
    offer_freed_slot,
    settle_offers,
    unhandled_freed_slots,
)
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds
from tests.factories import (
    create_appointment,
    create_doctor,
    create_patient,
    create_time_off,
    create_user,
    local,
)
from tests.gateways import ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")


def pay_at_clinic(session: Session, *, appointment_id: str, patient_id: int, now) -> None:
    pay(
        session,
        appointment_id=appointment_id,
        patient_id=patient_id,
        method="pay_at_clinic",
        form={},
        gateway=ScriptedGateway([]),
        now=now,
    )


def _freed(session: Session) -> list[tuple[int, object]]:
    rows = session.exec(select(FreedSlot).where(col(FreedSlot.handled_at).is_(None))).all()
    return [(r.doctor_id, r.start_at) for r in rows]


def _offer_all(session: Session, now=NOW) -> list[SlotOffer]:
    made = []
    for freed_id in unhandled_freed_slots(session):
        offer = offer_freed_slot(session, freed_id=freed_id, now=now)
        if offer is not None:
            made.append(offer)
    session.commit()
    return made


@pytest.fixture
def setup(session: Session):
    doctor = create_doctor(session)
    booked = create_patient(session)
    appointment = create_appointment(session, doctor=doctor, start_at=SLOT, patient=booked)
    return doctor, booked, appointment


# --- joining and leaving -------------------------------------------------------------------


def test_join_and_list_and_leave(session: Session, setup) -> None:
    doctor, _, _ = setup
    waiter = create_patient(session)
    entry = join_waitlist(
        session,
        patient_id=waiter.id,
        doctor_id=doctor.id,
        from_day=MONDAY,
        to_day="2026-11-25",
        now=NOW,
    )
    session.commit()
    views = my_waitlist(session, patient_id=waiter.id, now=NOW)
    assert [v.id for v in views] == [entry.id]
    assert views[0].doctor_name == doctor.name and views[0].offer_id is None
    assert waitlist_counts(session, now=NOW) == {doctor.id: 1}
    leave_waitlist(session, patient_id=waiter.id, entry_id=entry.id, now=NOW)
    session.commit()
    assert my_waitlist(session, patient_id=waiter.id, now=NOW) == []
    assert waitlist_counts(session, now=NOW) == {}
    with pytest.raises(Conflict):
        leave_waitlist(session, patient_id=waiter.id, entry_id=entry.id, now=NOW)


def test_one_active_entry_per_overlapping_range(session: Session, setup) -> None:
    doctor, _, _ = setup
    waiter = create_patient(session)
    kw = {"patient_id": waiter.id, "doctor_id": doctor.id, "now": NOW}
    join_waitlist(session, from_day=MONDAY, to_day=MONDAY + timedelta(days=2), **kw)
    with pytest.raises(Conflict):
        join_waitlist(
            session, from_day=MONDAY + timedelta(days=2), to_day=MONDAY + timedelta(days=4), **kw
        )
    # A range that does not overlap, and another doctor, are fine.
    join_waitlist(
        session, from_day=MONDAY + timedelta(days=3), to_day=MONDAY + timedelta(days=4), **kw
    )
    other = create_doctor(session)
    join_waitlist(session, **{**kw, "doctor_id": other.id}, from_day=MONDAY, to_day=MONDAY)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (FRIDAY - timedelta(days=1), FRIDAY),  # in the past
        (MONDAY, MONDAY - timedelta(days=1)),  # backwards
        (MONDAY, MONDAY + timedelta(days=14)),  # 15 days
        (FRIDAY + timedelta(days=25), FRIDAY + timedelta(days=30)),  # beyond the horizon
        ("not a date", MONDAY),
        (None, MONDAY),
        (12, MONDAY),
    ],
)
def test_bad_ranges_are_refused(session: Session, setup, first, last) -> None:
    doctor, _, _ = setup
    waiter = create_patient(session)
    with pytest.raises(ValidationFailed):
        join_waitlist(
            session, patient_id=waiter.id, doctor_id=doctor.id, from_day=first, to_day=last, now=NOW
        )


def test_fourteen_days_is_the_longest_range(session: Session, setup) -> None:
    doctor, _, _ = setup
    waiter = create_patient(session)
    join_waitlist(
        session,
        patient_id=waiter.id,
        doctor_id=doctor.id,
        from_day=MONDAY,
        to_day=MONDAY + timedelta(days=13),
        now=NOW,
    )


def test_only_patients_join_and_only_their_own_entries_are_left(session: Session, setup) -> None:
    doctor, _, _ = setup
    admin = create_user(session, role=Role.ADMIN)
    with pytest.raises(Forbidden):
        join_waitlist(
            session,
            patient_id=admin.id,
            doctor_id=doctor.id,
            from_day=MONDAY,
            to_day=MONDAY,
            now=NOW,
        )
    with pytest.raises(NotFound):
        join_waitlist(
            session,
            patient_id=create_patient(session).id,
            doctor_id="1",
            from_day=MONDAY,
            to_day=MONDAY,
            now=NOW,
        )
    owner, other = create_patient(session), create_patient(session)
    entry = join_waitlist(
        session, patient_id=owner.id, doctor_id=doctor.id, from_day=MONDAY, to_day=MONDAY, now=NOW
    )
    with pytest.raises(NotFound):
        leave_waitlist(session, patient_id=other.id, entry_id=entry.id, now=NOW)
    with pytest.raises(NotFound):
        leave_waitlist(session, patient_id=owner.id, entry_id=str(entry.id), now=NOW)


def test_past_ranges_end(session: Session, setup) -> None:
    doctor, _, _ = setup
    waiter = create_patient(session)
    join_waitlist(
        session, patient_id=waiter.id, doctor_id=doctor.id, from_day=MONDAY, to_day=MONDAY, now=NOW
    )
    session.commit()
    tuesday = local(MONDAY + timedelta(days=1), "09:00")
    assert waitlist_counts(session, now=local(MONDAY, "18:00")) == {doctor.id: 1}
    assert waitlist_counts(session, now=tuesday) == {}
    assert end_past_entries(session, now=local(MONDAY, "18:00")) == 0
    assert end_past_entries(session, now=tuesday) == 1
    assert session.exec(select(WaitlistEntry.status)).all() == ["ended"]


# --- each freeing path records a freed slot --------------------------------------------------


def test_cancelling_records_the_freed_slot(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=booked.id,
        actor_role=Role.PATIENT,
        reason=None,
        now=NOW,
    )
    assert _freed(session) == [(doctor.id, SLOT)]


def test_a_failed_cancellation_records_nothing(session: Session, setup) -> None:
    _, booked, appointment = setup
    with pytest.raises(Conflict):  # the visit has started: patients cannot cancel it
        cancel(
            session,
            appointment_id=appointment.id,
            actor_id=booked.id,
            actor_role=Role.PATIENT,
            reason=None,
            now=SLOT,
        )
    assert _freed(session) == []


def test_expiring_a_hold_records_the_freed_slot(session: Session) -> None:
    doctor = create_doctor(session)
    create_appointment(
        session,
        doctor=doctor,
        start_at=SLOT,
        status="pending_payment",
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    assert expire_lapsed_holds(session, now=NOW) == 1
    assert _freed(session) == [(doctor.id, SLOT)]


def test_rescheduling_away_records_the_old_slot(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    reschedule(
        session,
        appointment_id=appointment.id,
        patient_id=booked.id,
        new_start_at=SLOT + timedelta(hours=1),
        now=NOW,
    )
    assert _freed(session) == [(doctor.id, SLOT)]


def test_unblocking_a_slot_records_it(session: Session) -> None:
    from healthcareplus.domain.admin.slot_blocks import unblock_slot

    doctor = create_doctor(session)
    admin = create_user(session, role=Role.ADMIN)
    create_time_off(session, doctor=doctor, start_at=SLOT, end_at=SLOT + timedelta(minutes=15))
    unblock_slot(session, doctor_id=doctor.id, start_at=SLOT, admin_id=admin.id, now=NOW)
    assert _freed(session) == [(doctor.id, SLOT)]


def test_paying_records_nothing(session: Session) -> None:
    doctor = create_doctor(session)
    patient = create_patient(session)
    held = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    pay_at_clinic(session, appointment_id=held.id, patient_id=patient.id, now=NOW)
    assert _freed(session) == []


# --- offers ----------------------------------------------------------------------------------


def _waiters(session: Session, doctor, n: int, *, day: date = MONDAY):
    people = []
    for i in range(n):
        patient = create_patient(session)
        join_waitlist(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            from_day=day,
            to_day=day,
            now=NOW + timedelta(minutes=i),
        )
        people.append(patient)
    session.commit()
    return people


def _free_the_slot(session: Session, booked, appointment) -> None:
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=booked.id,
        actor_role=Role.PATIENT,
        reason=None,
        now=NOW,
    )
    session.commit()


def test_the_first_waiter_gets_the_offer_and_the_slot_is_held(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    first, second = _waiters(session, doctor, 2)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    assert offer.patient_id == first.id and offer.start_at == SLOT
    held = session.get(Appointment, offer.appointment_id)
    assert held.status == "pending_payment" and held.patient_id == first.id
    assert held.hold_expires_at == NOW + timedelta(minutes=15)
    # Nobody else can book the offered slot.
    with pytest.raises(SlotUnavailable):
        book(
            session,
            patient_id=second.id,
            doctor_id=doctor.id,
            start_at=SLOT,
            reason="Fever",
            now=NOW,
        )
    # The waiter is told by email and in the app, with a link to the offer.
    sent = session.exec(select(Notification).where(Notification.event == "waitlist_offer")).all()
    assert {n.channel for n in sent} == {"email", "in_app"}
    assert all(n.user_id == first.id for n in sent)
    assert [o.id for o in my_offers(session, patient_id=first.id, now=NOW)] == [offer.id]
    assert my_waitlist(session, patient_id=first.id, now=NOW)[0].offer_id == offer.id


def test_matching_skips_other_doctors_days_and_too_soon(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    other_doctor = create_doctor(session)
    _waiters(session, other_doctor, 1)
    _waiters(session, doctor, 1, day=MONDAY + timedelta(days=1))
    _free_the_slot(session, booked, appointment)
    assert _offer_all(session) == []
    # Too soon: within the minimum notice of the slot nobody is offered it.
    waiter = _waiters(session, doctor, 1)[0]
    session.add(FreedSlot(doctor_id=doctor.id, start_at=SLOT, freed_at=NOW))
    session.commit()
    assert _offer_all(session, now=SLOT - timedelta(minutes=59)) == []
    assert my_offers(session, patient_id=waiter.id, now=NOW) == []


def test_a_waiter_with_an_overlapping_visit_is_passed_over(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    busy, free = _waiters(session, doctor, 2)
    create_appointment(session, doctor=create_doctor(session), start_at=SLOT, patient=busy)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    assert offer.patient_id == free.id
    assert (
        session.exec(select(Appointment).where(Appointment.patient_id == busy.id)).one().start_at
        == SLOT
    )


def test_accept_then_pay_confirms_and_ends_the_entry(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    [waiter] = _waiters(session, doctor, 1)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    later = NOW + timedelta(minutes=14)
    appointment_id = accept_offer(session, patient_id=waiter.id, offer_id=offer.id, now=later)
    session.commit()
    held = session.get(Appointment, appointment_id, populate_existing=True)
    assert held.status == "pending_payment"
    assert held.hold_expires_at >= later + timedelta(minutes=10)  # time to pay
    assert my_waitlist(session, patient_id=waiter.id, now=later) == []
    pay_at_clinic(session, appointment_id=appointment_id, patient_id=waiter.id, now=later)
    session.commit()
    assert session.get(Appointment, appointment_id, populate_existing=True).status == "confirmed"
    with pytest.raises(Conflict):
        accept_offer(session, patient_id=waiter.id, offer_id=offer.id, now=later)


def test_decline_offers_the_slot_to_the_next_waiter(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    first, second = _waiters(session, doctor, 2)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    decline_offer(session, patient_id=first.id, offer_id=offer.id, now=NOW)
    session.commit()
    assert (
        session.get(Appointment, offer.appointment_id, populate_existing=True).status == "cancelled"
    )
    [again] = _offer_all(session)
    assert again.patient_id == second.id
    # The decliner stays on the waitlist, but is not offered the same slot again.
    assert len(my_waitlist(session, patient_id=first.id, now=NOW)) == 1


def test_a_lapsed_offer_goes_to_the_next_waiter(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    first, second = _waiters(session, doctor, 2)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    later = NOW + timedelta(minutes=15)
    assert settle_offers(session, now=NOW + timedelta(minutes=14)) == 0
    assert settle_offers(session, now=later) == 1
    session.commit()
    assert session.get(SlotOffer, offer.id, populate_existing=True).status == "lapsed"
    [again] = _offer_all(session, now=later)
    assert again.patient_id == second.id
    with pytest.raises(Conflict):
        accept_offer(session, patient_id=first.id, offer_id=offer.id, now=later)


def test_no_waiter_leaves_the_slot_free(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    _free_the_slot(session, booked, appointment)
    assert _offer_all(session) == []
    assert unhandled_freed_slots(session) == []
    other = create_patient(session)
    book(session, patient_id=other.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW)


def test_offers_are_only_answered_by_their_waiter(session: Session, setup) -> None:
    doctor, booked, appointment = setup
    [waiter] = _waiters(session, doctor, 1)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    stranger = create_patient(session)
    admin = create_user(session, role=Role.ADMIN)
    for call in (accept_offer, decline_offer):
        with pytest.raises(NotFound):
            call(session, patient_id=stranger.id, offer_id=offer.id, now=NOW)
        with pytest.raises(Forbidden):
            call(session, patient_id=admin.id, offer_id=offer.id, now=NOW)
        with pytest.raises(NotFound):
            call(session, patient_id=waiter.id, offer_id=str(offer.id), now=NOW)


def test_the_database_allows_one_open_offer_per_slot_and_per_waiter(
    session: Session, setup
) -> None:
    doctor, booked, appointment = setup
    first, second = _waiters(session, doctor, 2)
    _free_the_slot(session, booked, appointment)
    [offer] = _offer_all(session)
    entries = {e.patient_id: e for e in session.exec(select(WaitlistEntry)).all()}
    base = {"appointment_id": offer.appointment_id, "expires_at": NOW, "doctor_id": doctor.id}
    same_slot = SlotOffer(
        entry_id=entries[second.id].id, patient_id=second.id, start_at=SLOT, **base
    )
    same_waiter = SlotOffer(
        entry_id=entries[first.id].id,
        patient_id=first.id,
        start_at=SLOT + timedelta(hours=1),
        **base,
    )
    for row in (same_slot, same_waiter):
        session.add(row)
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()


def test_two_freed_slots_one_waiter_one_offer(session: Session) -> None:
    doctor = create_doctor(session)
    [waiter] = _waiters(session, doctor, 1)
    for start in (SLOT, SLOT + timedelta(hours=1)):
        session.add(FreedSlot(doctor_id=doctor.id, start_at=start, freed_at=NOW))
    session.commit()
    offers = _offer_all(session)
    assert len(offers) == 1
    held = session.exec(select(Appointment).where(Appointment.patient_id == waiter.id)).all()
    assert len(held) == 1


def test_booking_over_a_lapsed_hold_takes_the_slot_without_freeing_it(session: Session) -> None:
    doctor = create_doctor(session)
    create_appointment(
        session,
        doctor=doctor,
        start_at=SLOT,
        status="pending_payment",
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    patient = create_patient(session)
    book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    assert _freed(session) == []
