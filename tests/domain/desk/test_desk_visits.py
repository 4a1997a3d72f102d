"""The front desk: walk-in patients, booking and paying for them, scoped to its hospitals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    Notification,
    NotificationPreference,
    PasswordLink,
    Payment,
    Role,
    User,
)
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.desk.patients import find_patients, invite_to_claim, register_walk_in
from healthcareplus.domain.desk.staff import acting_desk, desk_hospitals
from healthcareplus.domain.desk.visits import (
    book_for_patient,
    cancel_for_patient,
    confirm_at_desk,
    desk_doctors,
    patient_visits,
    receipt,
    reschedule_for_patient,
    take_payment,
)
from healthcareplus.domain.notifications.news_letters import write_pending_news
from tests.factories import (
    create_city,
    create_desk_user,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    local,
)

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")


@pytest.fixture
def clinic(session: Session) -> dict:
    city = create_city(session)
    here = create_hospital(session, city=city, name="City Care")
    there = create_hospital(session, city=city, name="Far Away Clinic")
    doctor = create_doctor(session, hospital=here)
    other = create_doctor(session, hospital=there)
    desk = create_desk_user(session, hospitals=[here])
    return {"here": here, "there": there, "doctor": doctor, "other": other, "desk": desk}


def _walk_in(session: Session, desk: User, **values: str) -> int:
    fields = {"name": "Ramesh Kumar", "phone": "98450 12345"} | values
    made = register_walk_in(session, actor_id=desk.id, now=NOW, **fields)
    session.commit()
    return made.patient_id


def test_desk_sees_only_its_hospitals(session: Session, clinic: dict) -> None:
    names = [h.name for h in desk_hospitals(session, actor_id=clinic["desk"].id, now=NOW)]
    assert names == ["City Care"]
    admin = create_user(session, role=Role.ADMIN)
    assert len(desk_hospitals(session, actor_id=admin.id, now=NOW)) == 2
    assert [
        d.id
        for d in desk_doctors(
            session, actor_id=clinic["desk"].id, hospital_id=clinic["here"].id, now=NOW
        )
    ] == [clinic["doctor"].id]
    with pytest.raises(NotFound):
        desk_doctors(session, actor_id=clinic["desk"].id, hospital_id=clinic["there"].id, now=NOW)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_other_roles_are_not_the_desk(session: Session, clinic: dict, role: Role) -> None:
    user = create_user(session, role=role)
    with pytest.raises(Forbidden):
        acting_desk(session, user.id, now=NOW)
    with pytest.raises(Forbidden):
        register_walk_in(session, actor_id=user.id, name="Ravi Rao", phone="9845012345", now=NOW)


def test_deactivated_desk_user_is_refused(session: Session, clinic: dict) -> None:
    clinic["desk"].is_active = False
    session.add(clinic["desk"])
    session.commit()
    with pytest.raises(Forbidden):
        find_patients(session, actor_id=clinic["desk"].id, query="Ramesh", now=NOW)


def test_walk_in_without_email_gets_texts_and_cannot_sign_in(
    session: Session, clinic: dict
) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    user = session.get(User, patient_id)
    assert user is not None and user.role == Role.PATIENT
    assert (user.email, user.phone) == ("", "+91 98450 12345")
    prefs = session.get(NotificationPreference, patient_id)
    assert prefs is not None and prefs.updates_sms and prefs.reminders_sms
    assert session.exec(select(PasswordLink)).all() == []
    found = find_patients(session, actor_id=clinic["desk"].id, query="+91-98450-12345", now=NOW)
    assert [(m.id, m.can_sign_in) for m in found] == [(patient_id, False)]
    assert [
        m.id for m in find_patients(session, actor_id=clinic["desk"].id, query="ramesh", now=NOW)
    ] == [patient_id]
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "walk_in_registered")).one()
    assert audit.actor_user_id == clinic["desk"].id


def test_two_walk_ins_without_email_may_both_exist(session: Session, clinic: dict) -> None:
    _walk_in(session, clinic["desk"])
    _walk_in(session, clinic["desk"], name="Sita Devi", phone="9845099999")
    assert len(session.exec(select(User).where(User.email == "")).all()) == 2


def test_walk_in_phone_must_be_new(session: Session, clinic: dict) -> None:
    _walk_in(session, clinic["desk"])
    with pytest.raises(ValidationFailed) as refused:
        _walk_in(session, clinic["desk"], name="Someone Else")
    assert "phone" in refused.value.fields


def test_walk_in_with_email_is_invited_to_claim(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"], email="Ramesh@Example.in")
    user = session.get(User, patient_id)
    assert user is not None and user.email == "ramesh@example.in"
    link = session.exec(select(PasswordLink).where(PasswordLink.user_id == patient_id)).one()
    assert link.purpose == "invite"
    mail = session.exec(select(Notification).where(Notification.user_id == patient_id)).one()
    assert mail.event == "account_claim" and mail.to_address == "ramesh@example.in"
    with pytest.raises(ValidationFailed):
        _walk_in(
            session,
            clinic["desk"],
            name="Other Person",
            phone="9845099999",
            email="ramesh@example.in",
        )


def test_invite_adds_an_email_later(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    sent = invite_to_claim(
        session, actor_id=clinic["desk"].id, patient_id=patient_id, email="late@example.in", now=NOW
    )
    assert sent == "late@example.in"
    assert session.exec(select(PasswordLink).where(PasswordLink.user_id == patient_id)).one()


def test_invite_refused_once_claimed(session: Session, clinic: dict) -> None:
    patient = create_patient(session)
    with pytest.raises(Conflict):
        invite_to_claim(
            session, actor_id=clinic["desk"].id, patient_id=patient.id, email="", now=NOW
        )


def _book(session: Session, clinic: dict, patient_id: int, doctor=None, start=SLOT) -> Appointment:
    made = book_for_patient(
        session,
        actor_id=clinic["desk"].id,
        patient_id=patient_id,
        doctor_id=(doctor or clinic["doctor"]).id,
        start_at=start,
        reason="Fever",
        now=NOW,
    )
    session.commit()
    return made


def test_desk_books_and_takes_cash_with_a_receipt(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    held = _book(session, clinic, patient_id)
    assert (held.status, held.patient_id, held.awaiting_doctor) == (
        "pending_payment",
        patient_id,
        False,
    )
    booked = session.exec(select(AuditEvent).where(AuditEvent.action == "booked")).one()
    assert booked.actor_user_id == clinic["desk"].id
    confirm_at_desk(
        session, actor_id=clinic["desk"].id, appointment_id=held.id, payment="cash", now=NOW
    )
    session.commit()
    visit = session.get(Appointment, held.id)
    assert visit is not None and (visit.status, visit.payment_status) == ("confirmed", "Success")
    paid = session.exec(select(Payment).where(Payment.status == "Success")).one()
    assert paid.counter_method == "cash"
    slip = receipt(session, actor_id=clinic["desk"].id, appointment_id=held.id, now=NOW)
    assert (slip.method, slip.amount, slip.number) == ("Cash", "₹500", visit.transaction_id)
    rows = patient_visits(session, actor_id=clinic["desk"].id, patient_id=patient_id, now=NOW)
    assert [(r.payment, r.has_receipt, r.can_take_payment) for r in rows] == [
        ("Paid · Cash", True, False)
    ]
    write_pending_news(session, now=NOW)  # the worker's letters: a walk-in hears by SMS
    told = session.exec(
        select(Notification).where(
            Notification.user_id == patient_id, Notification.event == "pay_at_clinic"
        )
    ).all()
    assert {n.channel for n in told} >= {"in_app", "sms"}


def test_pay_at_clinic_then_payment_at_the_counter(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    held = _book(session, clinic, patient_id)
    confirm_at_desk(
        session,
        actor_id=clinic["desk"].id,
        appointment_id=held.id,
        payment="pay_at_clinic",
        now=NOW,
    )
    session.commit()
    rows = patient_visits(session, actor_id=clinic["desk"].id, patient_id=patient_id, now=NOW)
    assert [(r.payment, r.can_take_payment, r.has_receipt) for r in rows] == [
        ("Pay at Clinic · due", True, False)
    ]
    with pytest.raises(Conflict):
        receipt(session, actor_id=clinic["desk"].id, appointment_id=held.id, now=NOW)
    with pytest.raises(ValidationFailed):
        take_payment(
            session,
            actor_id=clinic["desk"].id,
            appointment_id=held.id,
            payment="pay_at_clinic",
            now=NOW,
        )
    take_payment(
        session, actor_id=clinic["desk"].id, appointment_id=held.id, payment="upi", now=NOW
    )
    session.commit()
    assert (
        receipt(session, actor_id=clinic["desk"].id, appointment_id=held.id, now=NOW).method
        == "UPI"
    )
    with pytest.raises(Conflict):  # never a second receipt
        take_payment(
            session, actor_id=clinic["desk"].id, appointment_id=held.id, payment="cash", now=NOW
        )


@pytest.mark.parametrize("payment", ["", "cheque", None, 3, "PAY_AT_CLINIC"])
def test_unknown_payment_is_refused(session: Session, clinic: dict, payment: object) -> None:
    held = _book(session, clinic, _walk_in(session, clinic["desk"]))
    with pytest.raises(ValidationFailed):
        confirm_at_desk(
            session, actor_id=clinic["desk"].id, appointment_id=held.id, payment=payment, now=NOW
        )


def test_desk_cannot_reach_another_hospital(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    with pytest.raises(NotFound):
        _book(session, clinic, patient_id, doctor=clinic["other"])
    elsewhere = book(
        session,
        patient_id=patient_id,
        doctor_id=clinic["other"].id,
        start_at=SLOT,
        reason="Cough",
        now=NOW,
    )
    session.commit()
    for act in (
        lambda: confirm_at_desk(
            session,
            actor_id=clinic["desk"].id,
            appointment_id=elsewhere.id,
            payment="cash",
            now=NOW,
        ),
        lambda: cancel_for_patient(
            session, actor_id=clinic["desk"].id, appointment_id=elsewhere.id, reason="x", now=NOW
        ),
        lambda: receipt(session, actor_id=clinic["desk"].id, appointment_id=elsewhere.id, now=NOW),
    ):
        with pytest.raises(NotFound):
            act()
    assert patient_visits(session, actor_id=clinic["desk"].id, patient_id=patient_id, now=NOW) == []


def test_desk_moves_and_cancels_with_the_patient_told(session: Session, clinic: dict) -> None:
    patient_id = _walk_in(session, clinic["desk"])
    held = _book(session, clinic, patient_id)

    def actions() -> list[tuple[str, bool, bool]]:
        rows = patient_visits(session, actor_id=clinic["desk"].id, patient_id=patient_id, now=NOW)
        return [(r.status_label, r.can_reschedule, r.can_cancel) for r in rows]

    assert actions() == [("Held: confirm it", False, True)]  # paid (or chosen) first, then moved
    with pytest.raises(Conflict):
        reschedule_for_patient(
            session,
            actor_id=clinic["desk"].id,
            appointment_id=held.id,
            new_start_at=SLOT + timedelta(minutes=30),
            now=NOW,
        )
    confirm_at_desk(
        session,
        actor_id=clinic["desk"].id,
        appointment_id=held.id,
        payment="pay_at_clinic",
        now=NOW,
    )
    session.commit()
    assert actions() == [("Confirmed", True, True)]
    later = SLOT + timedelta(minutes=30)
    moved = reschedule_for_patient(
        session, actor_id=clinic["desk"].id, appointment_id=held.id, new_start_at=later, now=NOW
    )
    session.commit()
    assert moved.start_at == later
    with pytest.raises(ValidationFailed):  # the desk gives a reason
        cancel_for_patient(
            session, actor_id=clinic["desk"].id, appointment_id=held.id, reason="", now=NOW
        )
    cancel_for_patient(
        session,
        actor_id=clinic["desk"].id,
        appointment_id=held.id,
        reason="Patient phoned",
        now=NOW,
    )
    session.commit()
    events = session.exec(
        select(Notification.event).where(
            Notification.user_id == patient_id, Notification.channel == "in_app"
        )
    ).all()
    assert {"pay_at_clinic", "rescheduled", "cancelled"} <= set(events)


def test_the_slot_rule_holds_for_the_desk(session: Session, clinic: dict) -> None:
    first = _walk_in(session, clinic["desk"])
    second = _walk_in(session, clinic["desk"], name="Sita Devi", phone="9845099999")
    _book(session, clinic, first)
    with pytest.raises(SlotUnavailable):
        _book(session, clinic, second)
    session.rollback()
    assert (
        len(session.exec(select(Appointment).where(col(Appointment.start_at) == SLOT)).all()) == 1
    )


def test_admin_can_do_what_the_desk_does(session: Session, clinic: dict) -> None:
    admin = create_user(session, role=Role.ADMIN)
    made = register_walk_in(
        session, actor_id=admin.id, name="Asha Rao", phone="9845077777", now=NOW
    )
    held = book_for_patient(
        session,
        actor_id=admin.id,
        patient_id=made.patient_id,
        doctor_id=clinic["other"].id,
        start_at=SLOT,
        reason="Check-up",
        now=NOW,
    )
    confirm_at_desk(session, actor_id=admin.id, appointment_id=held.id, payment="card", now=NOW)
    session.commit()
    assert receipt(session, actor_id=admin.id, appointment_id=held.id, now=NOW).method == "Card"
