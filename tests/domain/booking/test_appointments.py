from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Role,
)
from healthcareplus.domain.booking.appointments import (
    SLOT_JUST_TAKEN,
    book,
    cancel,
    get_appointment,
    list_appointments,
    reschedule,
)
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.payments.reconciliation import (
    NEVER_REACHED,
    reconcile_attempt,
    stuck_attempt_keys,
)
from healthcareplus.domain.scheduling.availability import day_slots
from healthcareplus.domain.scheduling.lifecycle import PROCESSING
from healthcareplus.domain.scheduling.lifecycle import expire_lapsed_holds as expire_holds
from healthcareplus.domain.scheduling.refunds import refund
from tests.factories import (
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_time_off,
    create_user,
    link_doctor_user,
    local,
)
from tests.gateways import ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")  # every slot of MONDAY is bookable
SLOT = local(MONDAY, "10:00")
UPI = {"upi_vpa": "asha@okaxis"}


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Meera Rao", fee_paise=80_000)


@pytest.fixture
def patient(session: Session):
    return create_patient(session, name="Asha Patel")


def state_of(session: Session, doctor, start) -> str:
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=NOW)
    return next(s.state for s in slots if s.start_at == start)


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    return session.get(Appointment, appointment_id)


def payments_of(session: Session, appointment_id: str) -> list[Payment]:
    return list(
        session.exec(
            select(Payment).where(Payment.appointment_id == appointment_id).order_by(Payment.id)
        )
    )


def actions(session: Session, appointment_id: str) -> list[str]:
    rows = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.appointment_id == appointment_id)
        .order_by(AuditEvent.id)
    )
    return list(rows)


def book_and_pay(session: Session, patient, doctor, start=SLOT, *, now=NOW) -> Appointment:
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=start, reason="Fever", now=now
    )
    outcome = pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient.id,
        method="upi",
        form=UPI,
        gateway=ScriptedGateway([True]),
        now=now + timedelta(minutes=1),
    )
    assert outcome.success
    return fresh(session, appointment.id)


# --- book --------------------------------------------------------------------------------


def test_book_holds_the_slot_pending_payment(session, doctor, patient):
    appointment = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=SLOT,
        reason="  Fever and   cough ",
        now=NOW,
    )
    row = fresh(session, appointment.id)
    assert row.status == AppointmentStatus.PENDING_PAYMENT
    assert row.payment_status == PaymentStatus.PENDING
    assert row.hold_expires_at == NOW + timedelta(minutes=10)
    assert row.booked_at == NOW
    assert (row.start_at, row.end_at) == (SLOT, SLOT + timedelta(minutes=15))
    assert row.fee_paise == 80_000
    assert row.hospital_id == doctor.hospital_id
    assert row.reason == "Fever and cough"
    assert row.payment_method is None and row.transaction_id is None
    assert actions(session, row.id) == ["booked"]
    assert state_of(session, doctor, SLOT) == "taken"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "reason for your visit"),
        ("   ", "reason for your visit"),
        (" ab ", "at least 3"),
        ("x" * 501, "under 500"),
    ],
)
def test_book_requires_a_reason(session, doctor, patient, reason, message):
    with pytest.raises(ValidationFailed) as err:
        book(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            start_at=SLOT,
            reason=reason,
            now=NOW,
        )
    assert message in err.value.fields["reason"]
    assert session.exec(select(Appointment)).all() == []


def test_book_accepts_500_character_reason(session, doctor, patient):
    appointment = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=SLOT,
        reason="x" * 500,
        now=NOW,
    )
    assert len(appointment.reason) == 500


def _refused(session, doctor, patient, start, now=NOW) -> str:
    with pytest.raises(SlotUnavailable) as err:
        book(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            start_at=start,
            reason="Check-up",
            now=now,
        )
    return str(err.value)


def test_book_taken_slot_refused(session, doctor, patient):
    create_appointment(session, doctor=doctor, start_at=SLOT)
    assert "just booked by someone else" in _refused(session, doctor, patient, SLOT)


def test_book_live_hold_of_someone_else_refused(session, doctor, patient):
    create_appointment(
        session,
        doctor=doctor,
        start_at=SLOT,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW + timedelta(minutes=5),
    )
    assert "just booked by someone else" in _refused(session, doctor, patient, SLOT)


def test_book_past_slot_refused(session, doctor, patient):
    now = local(MONDAY, "11:00")
    assert "already passed" in _refused(session, doctor, patient, local(MONDAY, "10:00"), now)


def test_book_within_minimum_notice_refused(session, doctor, patient):
    now = local(MONDAY, "09:30")
    message = _refused(session, doctor, patient, local(MONDAY, "10:15"), now)
    assert message == "Appointments must be booked at least 1 hour in advance."
    # an hour later is fine
    book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=local(MONDAY, "10:30"),
        reason="Check-up",
        now=now,
    )


def test_book_blocked_slot_refused(session, doctor, patient):
    create_time_off(
        session, doctor=doctor, start_at=local(MONDAY, "10:00"), end_at=local(MONDAY, "11:00")
    )
    assert "not available" in _refused(session, doctor, patient, local(MONDAY, "10:30"))


@pytest.mark.parametrize(
    "start",
    [
        local(MONDAY, "10:07"),  # not on the slot grid
        local(MONDAY, "14:00"),  # after the working block
        local(date(2026, 11, 28), "10:00"),  # Saturday: no schedule
    ],
)
def test_book_off_schedule_refused(session, doctor, patient, start):
    assert "no appointment slot" in _refused(session, doctor, patient, start)


def test_book_beyond_horizon_refused(session, doctor, patient):
    last_day = FRIDAY + timedelta(days=29)  # Saturday 19 Dec; the Friday before is open
    assert "up to 30 days" in _refused(
        session, doctor, patient, local(last_day + timedelta(days=2), "10:00")
    )
    book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=local(last_day - timedelta(days=1), "10:00"),
        reason="Check-up",
        now=NOW,
    )


def test_blocked_patient_cannot_book(session, doctor, patient):
    patient.is_blocked = True
    session.add(patient)
    session.commit()
    with pytest.raises(Forbidden) as err:
        book(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            start_at=SLOT,
            reason="Check-up",
            now=NOW,
        )
    assert str(err.value) == "Your account is blocked from booking. Please contact the clinic."


def test_only_existing_active_patients_book(session, doctor):
    admin = create_user(session, role=Role.ADMIN)
    inactive = create_patient(session)
    inactive.is_active = False
    session.add(inactive)
    session.commit()
    kwargs = {"doctor_id": doctor.id, "start_at": SLOT, "reason": "Check-up", "now": NOW}
    with pytest.raises(Forbidden):
        book(session, patient_id=admin.id, **kwargs)
    with pytest.raises(Forbidden):
        book(session, patient_id=inactive.id, **kwargs)
    with pytest.raises(NotFound):
        book(session, patient_id=999_999, **kwargs)


def test_inactive_or_unknown_doctor_not_found(session, patient):
    inactive = create_doctor(session, is_active=False)
    for doctor_id in (inactive.id, 999_999):
        with pytest.raises(NotFound):
            book(
                session,
                patient_id=patient.id,
                doctor_id=doctor_id,
                start_at=SLOT,
                reason="Check-up",
                now=NOW,
            )


def test_overlapping_own_appointment_refused(session, doctor, patient):
    other_doctor = create_doctor(session, hospital=create_hospital(session))
    book_and_pay(session, patient, doctor, SLOT)
    with pytest.raises(Conflict) as err:
        book(
            session,
            patient_id=patient.id,
            doctor_id=other_doctor.id,
            start_at=SLOT,
            reason="Check-up",
            now=NOW,
        )
    assert str(err.value) == "You already have an appointment at that time."
    assert not isinstance(err.value, SlotUnavailable)


def test_overlap_counts_live_holds_but_not_expired_ones(session, doctor, patient):
    other_doctor = create_doctor(session)
    create_appointment(
        session,
        doctor=other_doctor,
        patient=patient,
        start_at=SLOT,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW + timedelta(minutes=3),
    )
    with pytest.raises(Conflict):
        book(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            start_at=SLOT,
            reason="Check-up",
            now=NOW,
        )
    later = NOW + timedelta(minutes=4)  # the other hold has run out
    book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=SLOT,
        reason="Again",
        now=later,
    )


def test_same_patient_books_two_different_times(session, doctor, patient):
    book(session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="One", now=NOW)
    book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=SLOT + timedelta(minutes=15),
        reason="Two",
        now=NOW,
    )
    assert len(session.exec(select(Appointment)).all()) == 2


def test_expired_hold_reads_free_and_is_replaced_by_a_new_booking(session, doctor, patient):
    stale = create_appointment(
        session,
        doctor=doctor,
        start_at=SLOT,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(minutes=1),
    )
    assert state_of(session, doctor, SLOT) == "free"
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    assert fresh(session, stale.id).status == AppointmentStatus.EXPIRED
    assert fresh(session, appointment.id).status == AppointmentStatus.PENDING_PAYMENT


def test_unique_index_conflict_becomes_slot_unavailable(session, doctor, patient):
    # A hold whose payment is mid-flight is not expired by book(): the insert then hits
    # the slot index, as a concurrent winner would.
    inflight = create_appointment(
        session,
        doctor=doctor,
        start_at=SLOT,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(seconds=1),
        payment_status=PROCESSING,
    )
    assert _refused(session, doctor, patient, SLOT) == SLOT_JUST_TAKEN
    assert fresh(session, inflight.id).status == AppointmentStatus.PENDING_PAYMENT
    rows = session.exec(select(Appointment)).all()
    assert [r.id for r in rows] == [inflight.id]
    assert session.exec(select(AuditEvent)).all() == []


# --- expire_holds ------------------------------------------------------------------------


def test_expire_holds_sweeps_only_run_out_holds(session, doctor):
    pending = AppointmentStatus.PENDING_PAYMENT
    gone = [
        create_appointment(
            session,
            doctor=doctor,
            start_at=local(MONDAY, t),
            status=pending,
            hold_expires_at=NOW - timedelta(minutes=m),
        )
        for t, m in (("09:00", 1), ("09:15", 0))
    ]
    live = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "09:30"),
        status=pending,
        hold_expires_at=NOW + timedelta(seconds=1),
    )
    confirmed = create_appointment(session, doctor=doctor, start_at=local(MONDAY, "09:45"))
    inflight = create_appointment(
        session,
        doctor=doctor,
        start_at=local(MONDAY, "10:00"),
        status=pending,
        hold_expires_at=NOW - timedelta(minutes=1),
        payment_status=PROCESSING,
    )
    assert expire_holds(session, now=NOW) == 2
    assert [fresh(session, a.id).status for a in gone] == ["expired", "expired"]
    assert fresh(session, live.id).status == pending
    assert fresh(session, confirmed.id).status == AppointmentStatus.CONFIRMED
    assert fresh(session, inflight.id).status == pending
    assert expire_holds(session, now=NOW) == 0


def test_a_payment_stuck_in_processing_keeps_its_slot_until_reconciled(session, doctor, patient):
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )

    class Hanging:
        def charge(self, **_kwargs):
            raise KeyboardInterrupt  # the worker died mid-call

    with pytest.raises(KeyboardInterrupt):
        pay(
            session,
            appointment_id=appointment.id,
            patient_id=patient.id,
            method="upi",
            form=UPI,
            gateway=Hanging(),
            now=NOW,
        )
    session.rollback()
    assert fresh(session, appointment.id).payment_status == PROCESSING
    # within five minutes nothing happens, not even when the hold runs out
    assert expire_holds(session, now=NOW + timedelta(minutes=4)) == 0
    assert fresh(session, appointment.id).payment_status == PROCESSING
    # the hold has run out, but the attempt still holds the slot until the gateway is asked
    later = NOW + timedelta(minutes=11)
    assert expire_holds(session, now=later) == 0
    [key] = stuck_attempt_keys(session, now=later)
    # the call never reached the bank: the attempt fails, and the run-out hold expires
    assert reconcile_attempt(session, key=key, gateway=ScriptedGateway([]), now=later) == "unknown"
    assert fresh(session, appointment.id).payment_status == PaymentStatus.FAILED
    assert expire_holds(session, now=later) == 1
    row = fresh(session, appointment.id)
    assert (row.status, row.payment_status) == ("expired", "Failed")
    (payment,) = payments_of(session, appointment.id)
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_reason == NEVER_REACHED


# --- cancel ------------------------------------------------------------------------------


def test_patient_cancels_paid_appointment_and_is_refunded(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    when = NOW + timedelta(hours=1)
    result = cancel(
        session,
        appointment_id=paid.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="",
        now=when,
    )
    row = fresh(session, paid.id)
    assert result.id == paid.id
    assert row.status == AppointmentStatus.CANCELLED
    assert row.payment_status == PaymentStatus.REFUNDED
    assert row.refunded_at == when and row.cancelled_at == when
    assert row.cancelled_by_user_id == patient.id
    assert row.cancel_reason == "Cancelled by patient"
    assert row.transaction_id == paid.transaction_id
    success, refunded = payments_of(session, paid.id)
    assert success.status == PaymentStatus.SUCCESS
    assert refunded.status == PaymentStatus.REFUNDED
    assert refunded.amount_paise == 80_000
    assert refunded.method == PaymentMethod.UPI and refunded.upi_vpa == "asha@okaxis"
    assert actions(session, paid.id)[-2:] == ["refunded", "cancelled"]
    assert state_of(session, doctor, SLOT) == "free"


def test_patient_cancels_unpaid_pending_booking(session, doctor, patient):
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="Changed my mind",
        now=NOW,
    )
    row = fresh(session, appointment.id)
    assert row.status == AppointmentStatus.CANCELLED
    assert row.payment_status == PaymentStatus.PENDING
    assert row.cancel_reason == "Changed my mind"
    assert row.refunded_at is None
    assert payments_of(session, appointment.id) == []  # nothing to refund
    assert state_of(session, doctor, SLOT) == "free"


def test_cancel_pay_at_clinic_booking_has_no_refund(session, doctor, patient):
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    pay(
        session,
        appointment_id=appointment.id,
        patient_id=patient.id,
        method="pay_at_clinic",
        form={},
        gateway=ScriptedGateway([]),
        now=NOW,
    )
    cancel(
        session,
        appointment_id=appointment.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason=None,
        now=NOW,
    )
    row = fresh(session, appointment.id)
    assert (row.status, row.payment_status) == ("cancelled", "Pending")
    assert [p.status for p in payments_of(session, appointment.id)] == ["Pending"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AppointmentStatus.CANCELLED, "A cancelled appointment cannot be cancelled."),
        (AppointmentStatus.COMPLETED, "A completed appointment cannot be cancelled."),
        (AppointmentStatus.NO_SHOW, "A no-show cannot be cancelled."),
        (AppointmentStatus.EXPIRED, "An expired booking cannot be cancelled."),
    ],
)
def test_cancel_refused_in_final_states(session, doctor, patient, status, message):
    appointment = create_appointment(
        session, doctor=doctor, patient=patient, start_at=SLOT, status=status
    )
    with pytest.raises(Conflict) as err:
        cancel(
            session,
            appointment_id=appointment.id,
            actor_id=patient.id,
            actor_role=Role.PATIENT,
            reason="",
            now=NOW,
        )
    assert message in str(err.value)
    assert fresh(session, appointment.id).status == status


def test_patient_cannot_cancel_past_appointment_but_admin_can(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    after = SLOT + timedelta(minutes=5)
    with pytest.raises(Conflict) as err:
        cancel(
            session,
            appointment_id=paid.id,
            actor_id=patient.id,
            actor_role=Role.PATIENT,
            reason="",
            now=after,
        )
    assert "already started, so it cannot be cancelled" in str(err.value)
    assert fresh(session, paid.id).status == AppointmentStatus.CONFIRMED
    admin = create_user(session, role=Role.ADMIN)
    cancel(
        session,
        appointment_id=paid.id,
        actor_id=admin.id,
        actor_role=Role.ADMIN,
        reason="Doctor was called to an emergency",
        now=after,
    )
    row = fresh(session, paid.id)
    assert (row.status, row.payment_status) == ("cancelled", "Refunded")
    assert row.cancelled_by_user_id == admin.id


def test_cancel_of_a_lapsed_hold_is_refused_and_changes_nothing(session, doctor, patient):
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    with pytest.raises(Conflict, match="payment hold has expired"):
        cancel(
            session,
            appointment_id=appointment.id,
            actor_id=patient.id,
            actor_role=Role.PATIENT,
            reason="",
            now=NOW + timedelta(minutes=10),
        )
    # the sweep marks the booking expired; the refusal itself changes nothing
    assert fresh(session, appointment.id).status == AppointmentStatus.PENDING_PAYMENT


def test_admin_and_doctor_must_give_a_reason(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    admin = create_user(session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed) as err:
        cancel(
            session,
            appointment_id=paid.id,
            actor_id=admin.id,
            actor_role=Role.ADMIN,
            reason="  ",
            now=NOW,
        )
    assert "reason" in err.value.fields
    assert fresh(session, paid.id).status == AppointmentStatus.CONFIRMED


def test_doctor_cancels_only_own_appointments(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    own = link_doctor_user(session, doctor)
    stranger = link_doctor_user(session, create_doctor(session))
    with pytest.raises(NotFound):
        cancel(
            session,
            appointment_id=paid.id,
            actor_id=stranger.id,
            actor_role=Role.DOCTOR,
            reason="Not mine",
            now=NOW,
        )
    cancel(
        session,
        appointment_id=paid.id,
        actor_id=own.id,
        actor_role=Role.DOCTOR,
        reason="On leave",
        now=NOW,
    )
    row = fresh(session, paid.id)
    assert (row.status, row.cancel_reason, row.payment_status) == (
        "cancelled",
        "On leave",
        "Refunded",
    )
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "cancelled")).one()
    assert (event.actor_user_id, event.actor_role, event.reason) == (own.id, "doctor", "On leave")


def test_patient_cannot_cancel_someone_elses_appointment(session, doctor, patient):
    other = book_and_pay(session, create_patient(session), doctor)
    for appointment_id in (other.id, "no-such-id"):
        with pytest.raises(NotFound):
            cancel(
                session,
                appointment_id=appointment_id,
                actor_id=patient.id,
                actor_role=Role.PATIENT,
                reason="",
                now=NOW,
            )
    # a patient claiming to be an admin is refused before anything is looked up
    with pytest.raises(Forbidden):
        cancel(
            session,
            appointment_id=other.id,
            actor_id=patient.id,
            actor_role=Role.ADMIN,
            reason="Because",
            now=NOW,
        )
    assert fresh(session, other.id).status == AppointmentStatus.CONFIRMED


def test_refund_of_unpaid_is_refused_without_a_row(session, doctor, patient):
    appointment = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    session.commit()  # the booking's unit of work
    with pytest.raises(Conflict):
        refund(session, appointment, Actor(None, None, NOW), reason=None)
    session.rollback()
    assert payments_of(session, appointment.id) == []


# --- reschedule --------------------------------------------------------------------------


def test_reschedule_moves_the_same_paid_appointment(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    new = local(MONDAY, "11:30")
    moved = reschedule(
        session, appointment_id=paid.id, patient_id=patient.id, new_start_at=new, now=NOW
    )
    row = fresh(session, paid.id)
    assert moved.id == paid.id
    assert (row.start_at, row.end_at) == (new, new + timedelta(minutes=15))
    assert row.status == AppointmentStatus.CONFIRMED
    assert row.payment_status == PaymentStatus.SUCCESS
    assert row.transaction_id == paid.transaction_id
    assert len(payments_of(session, paid.id)) == 1
    assert state_of(session, doctor, SLOT) == "free"
    assert state_of(session, doctor, new) == "taken"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "rescheduled")).one()
    assert event.detail == {"from": SLOT.isoformat(), "to": new.isoformat()}


def test_reschedule_into_taken_slot_changes_nothing(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    taken = local(MONDAY, "11:00")
    create_appointment(session, doctor=doctor, start_at=taken)
    with pytest.raises(SlotUnavailable):
        reschedule(
            session, appointment_id=paid.id, patient_id=patient.id, new_start_at=taken, now=NOW
        )
    row = fresh(session, paid.id)
    assert (row.start_at, row.status) == (SLOT, "confirmed")
    assert "rescheduled" not in actions(session, paid.id)


def test_reschedule_losing_the_index_race_changes_nothing(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    target = local(MONDAY, "11:00")
    create_appointment(
        session,
        doctor=doctor,
        start_at=target,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(seconds=1),
        payment_status=PROCESSING,
    )
    with pytest.raises(SlotUnavailable) as err:
        reschedule(
            session, appointment_id=paid.id, patient_id=patient.id, new_start_at=target, now=NOW
        )
    assert str(err.value) == SLOT_JUST_TAKEN
    assert fresh(session, paid.id).start_at == SLOT


def test_reschedule_into_stale_hold_expires_it(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    target = local(MONDAY, "11:00")
    stale = create_appointment(
        session,
        doctor=doctor,
        start_at=target,
        status=AppointmentStatus.PENDING_PAYMENT,
        hold_expires_at=NOW - timedelta(seconds=1),
    )
    reschedule(session, appointment_id=paid.id, patient_id=patient.id, new_start_at=target, now=NOW)
    assert fresh(session, stale.id).status == AppointmentStatus.EXPIRED
    assert fresh(session, paid.id).start_at == target


def test_reschedule_refusals(session, doctor, patient):
    pending = book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )
    with pytest.raises(Conflict) as err:
        reschedule(
            session,
            appointment_id=pending.id,
            patient_id=patient.id,
            new_start_at=local(MONDAY, "12:00"),
            now=NOW,
        )
    assert "Complete the payment first" in str(err.value)

    paid = book_and_pay(session, patient, doctor, local(MONDAY, "09:00"))
    with pytest.raises(NotFound):
        reschedule(
            session,
            appointment_id=paid.id,
            patient_id=create_patient(session).id,
            new_start_at=local(MONDAY, "12:00"),
            now=NOW,
        )
    with pytest.raises(SlotUnavailable):
        reschedule(
            session,
            appointment_id=paid.id,
            patient_id=patient.id,
            new_start_at=paid.start_at,
            now=NOW,
        )
    with pytest.raises(SlotUnavailable):  # off the grid
        reschedule(
            session,
            appointment_id=paid.id,
            patient_id=patient.id,
            new_start_at=local(MONDAY, "12:05"),
            now=NOW,
        )
    with pytest.raises(Conflict):  # the appointment has started
        reschedule(
            session,
            appointment_id=paid.id,
            patient_id=patient.id,
            new_start_at=local(date(2026, 11, 24), "12:00"),
            now=local(MONDAY, "09:05"),
        )
    assert fresh(session, paid.id).start_at == local(MONDAY, "09:00")


def test_reschedule_onto_own_other_appointment_time_refused(session, doctor, patient):
    first = book_and_pay(session, patient, doctor, local(MONDAY, "09:00"))
    other_doctor = create_doctor(session)
    book_and_pay(session, patient, other_doctor, local(MONDAY, "12:00"))
    with pytest.raises(Conflict) as err:
        reschedule(
            session,
            appointment_id=first.id,
            patient_id=patient.id,
            new_start_at=local(MONDAY, "12:00"),
            now=NOW,
        )
    assert str(err.value) == "You already have an appointment at that time."
    # moving next to itself (overlapping nothing but its own old time) is fine
    reschedule(
        session,
        appointment_id=first.id,
        patient_id=patient.id,
        new_start_at=local(MONDAY, "09:15"),
        now=NOW,
    )


# --- views -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "hold", "start", "expected"),
    [
        ("confirmed", None, "10:00", "upcoming"),
        ("confirmed", None, "08:00", "completed"),  # ended, not yet marked
        ("completed", None, "08:00", "completed"),
        ("no_show", None, "08:00", "missed"),
        ("cancelled", None, "10:00", "cancelled"),
        ("expired", None, "10:00", "expired"),
        ("pending_payment", 5, "10:00", "pending_payment"),
        ("pending_payment", -1, "10:00", "expired"),
    ],
)
def test_time_status(session, doctor, patient, status, hold, start, expected):
    now = local(MONDAY, "09:00")
    appointment = create_appointment(
        session,
        doctor=doctor,
        patient=patient,
        start_at=local(MONDAY, start),
        status=status,
        hold_expires_at=None if hold is None else now + timedelta(minutes=hold),
    )
    view = get_appointment(session, appointment_id=appointment.id, patient_id=patient.id, now=now)
    assert view.time_status == expected
    assert view.can_pay == (expected == "pending_payment")
    assert view.can_reschedule == (expected == "upcoming")
    assert view.can_cancel == (expected in ("upcoming", "pending_payment"))


def test_appointment_view_fields(session, doctor, patient):
    paid = book_and_pay(session, patient, doctor)
    view = get_appointment(session, appointment_id=paid.id, patient_id=patient.id, now=NOW)
    assert view.doctor_name == "Dr. Meera Rao" and view.doctor_initials == "MR"
    assert view.date_label == "Mon, 23 Nov 2026" and view.time_label == "10:00 AM"
    assert view.start_at == SLOT and view.end_at == SLOT + timedelta(minutes=15)
    assert (view.payment_status, view.payment_method) == ("Success", "UPI")
    assert view.fee_paise == 80_000 and view.fee_label == "₹800"
    assert view.transaction_id == paid.transaction_id
    assert view.hospital_address == "1 MG Road" and view.city_name.startswith("City")
    assert view.hold_expires_at is None and view.refunded is False and view.cancel_reason == ""
    assert (view.can_cancel, view.can_reschedule, view.can_pay) == (True, True, False)
    cancel(
        session,
        appointment_id=paid.id,
        actor_id=patient.id,
        actor_role=Role.PATIENT,
        reason="",
        now=NOW,
    )
    view = get_appointment(session, appointment_id=paid.id, patient_id=patient.id, now=NOW)
    assert view.refunded and view.time_status == "cancelled"
    assert view.cancel_reason == "Cancelled by patient"
    assert (view.can_cancel, view.can_reschedule, view.can_pay) == (False, False, False)


def test_get_appointment_hides_other_patients(session, doctor, patient):
    other = book_and_pay(session, create_patient(session), doctor)
    with pytest.raises(NotFound):
        get_appointment(session, appointment_id=other.id, patient_id=patient.id, now=NOW)


def test_list_appointments_tabs_and_order(session, doctor, patient):
    now = local(MONDAY, "10:05")
    tuesday = date(2026, 11, 24)

    def make(start, status=AppointmentStatus.CONFIRMED, hold=None, who=patient):
        return create_appointment(
            session,
            doctor=doctor,
            patient=who,
            start_at=start,
            status=status,
            hold_expires_at=hold,
        ).id

    in_progress = make(local(MONDAY, "10:00"))  # ends 10:15: still upcoming
    tomorrow_late = make(local(tuesday, "12:00"))
    tomorrow_early = make(local(tuesday, "09:00"))
    live_hold = make(local(tuesday, "10:00"), "pending_payment", now + timedelta(minutes=5))
    dead_hold = make(local(tuesday, "11:00"), "pending_payment", now - timedelta(minutes=1))
    cancelled_future = make(local(tuesday, "11:15"), "cancelled")
    earlier_today = make(local(MONDAY, "09:00"), "completed")
    last_week = make(local(date(2026, 11, 16), "09:00"), "no_show")
    make(local(tuesday, "09:30"), who=create_patient(session))  # someone else's

    upcoming = list_appointments(session, patient_id=patient.id, tab="upcoming", now=now)
    assert [v.id for v in upcoming] == [in_progress, tomorrow_early, live_hold, tomorrow_late]
    past = list_appointments(session, patient_id=patient.id, tab="past", now=now)
    assert [v.id for v in past] == [earlier_today, last_week]
    assert [v.time_status for v in past] == ["completed", "missed"]
    called_off = list_appointments(session, patient_id=patient.id, tab="cancelled", now=now)
    assert [v.id for v in called_off] == [cancelled_future, dead_hold]
    assert [v.time_status for v in called_off] == ["cancelled", "expired"]
    assert len(list_appointments(session, patient_id=patient.id, tab="past", now=now, limit=1)) == 1


def test_list_appointments_is_one_query(session, doctor, patient):
    from tests.domain.scheduling.test_availability import count_queries

    for i in range(5):
        create_appointment(
            session, doctor=doctor, patient=patient, start_at=SLOT + timedelta(minutes=15 * i)
        )
    patient_id = patient.id
    session.expire_all()
    with count_queries(session) as statements:
        views = list_appointments(session, patient_id=patient_id, tab="upcoming", now=NOW)
    assert len(views) == 5
    assert len(statements) == 1
