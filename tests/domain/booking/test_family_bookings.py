"""Booking for a family member: who the visit is for, and the no-overlap rule per person."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.models import Appointment, AuditEvent, Notification
from healthcareplus.domain.accounts.dependants import add_dependant, remove_dependant
from healthcareplus.domain.booking.appointments import (
    book,
    get_appointment,
    list_appointments,
    reschedule,
)
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.payments.checkout import pay
from tests.factories import create_doctor, create_patient, local
from tests.gateways import ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")
LATER = local(MONDAY, "11:00")


@pytest.fixture
def holder(session: Session):
    return create_patient(session, name="Asha Patel")


def _member(session: Session, holder_id: int, name: str, relation: str = "child") -> int:
    added = add_dependant(
        session,
        holder_id=holder_id,
        now=NOW,
        name=name,
        relation=relation,
        date_of_birth="2019-05-04",
        gender="Female",
        blood_group="O+",
        allergies="Peanuts",
        medical_history="",
    )
    session.commit()
    return added.id


@pytest.fixture
def child(session: Session, holder) -> int:
    return _member(session, holder.id, "Riya Patel")


@pytest.fixture
def doctors(session: Session):
    return create_doctor(session, name="Dr. Meera Rao"), create_doctor(session, name="Dr. Anil K")


def _book(session, holder, doctor, start=SLOT, dependant_id=None) -> Appointment:
    held = book(
        session,
        patient_id=holder.id,
        doctor_id=doctor.id,
        start_at=start,
        reason="Fever for two days",
        now=NOW,
        dependant_id=dependant_id,
    )
    session.commit()
    return held


def _confirm(session, holder, appointment) -> None:
    pay(
        session,
        appointment_id=appointment.id,
        patient_id=holder.id,
        method="upi",
        form={"upi_vpa": "asha@okaxis"},
        gateway=ScriptedGateway([True]),
        now=NOW,
    )
    session.commit()


def test_booking_for_a_family_member_records_them(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0], dependant_id=child)
    row = session.get(Appointment, held.id, populate_existing=True)
    assert (row.patient_id, row.dependant_id) == (holder.id, child)
    entry = session.exec(select(AuditEvent).where(AuditEvent.appointment_id == held.id)).one()
    assert entry.detail["dependant_id"] == child
    view = get_appointment(session, appointment_id=held.id, patient_id=holder.id, now=NOW)
    assert (view.for_name, view.for_relation) == ("Riya Patel", "Child")


def test_by_default_the_visit_is_for_the_holder(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0])
    assert session.get(Appointment, held.id).dependant_id is None
    view = get_appointment(session, appointment_id=held.id, patient_id=holder.id, now=NOW)
    assert (view.for_name, view.for_relation) == ("", "")


def test_another_accounts_family_member_is_refused(session, holder, child, doctors) -> None:
    stranger = create_patient(session)
    with pytest.raises(NotFound, match="Family member not found"):
        _book(session, stranger, doctors[0], dependant_id=child)
    assert session.exec(select(Appointment)).all() == []


@pytest.mark.parametrize("crafted", [10**9, "1", True, 1.5])
def test_crafted_family_member_ids_are_refused(session, holder, child, doctors, crafted) -> None:
    with pytest.raises(NotFound):
        _book(session, holder, doctors[0], dependant_id=crafted)


def test_an_archived_family_member_cannot_be_booked_for(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0], dependant_id=child)
    _confirm(session, holder, held)
    from healthcareplus.domain.booking.appointments import cancel

    cancel(
        session,
        appointment_id=held.id,
        actor_id=holder.id,
        actor_role="patient",
        reason=None,
        now=NOW,
    )
    session.commit()
    assert remove_dependant(session, holder_id=holder.id, dependant_id=child, now=NOW) == (
        "archived"
    )
    session.commit()
    with pytest.raises(NotFound):
        _book(session, holder, doctors[1], start=LATER, dependant_id=child)


def test_holder_and_child_may_see_two_doctors_at_once(session, holder, child, doctors) -> None:
    mine = _book(session, holder, doctors[0])
    theirs = _book(session, holder, doctors[1], dependant_id=child)
    assert mine.start_at == theirs.start_at


def test_the_child_cannot_hold_two_visits_at_once(session, holder, child, doctors) -> None:
    _book(session, holder, doctors[0], dependant_id=child)
    with pytest.raises(Conflict, match="family member already has an appointment"):
        _book(session, holder, doctors[1], dependant_id=child)


def test_the_holder_cannot_hold_two_visits_at_once(session, holder, child, doctors) -> None:
    _book(session, holder, doctors[0])
    with pytest.raises(Conflict, match="You already have an appointment"):
        _book(session, holder, doctors[1])


def test_a_childs_visit_does_not_block_the_holder_either_way_round(
    session, holder, child, doctors
) -> None:
    _book(session, holder, doctors[0], dependant_id=child)
    assert _book(session, holder, doctors[1]).dependant_id is None


def test_two_children_may_see_two_doctors_at_once(session, holder, child, doctors) -> None:
    sibling = _member(session, holder.id, "Kabir Patel")
    _book(session, holder, doctors[0], dependant_id=child)
    assert _book(session, holder, doctors[1], dependant_id=sibling).dependant_id == sibling


def test_reschedule_keeps_the_person(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0], dependant_id=child)
    _confirm(session, holder, held)
    moved = reschedule(
        session, appointment_id=held.id, patient_id=holder.id, new_start_at=LATER, now=NOW
    )
    session.commit()
    assert (moved.start_at, moved.dependant_id) == (LATER, child)


def test_reschedule_checks_the_persons_overlap(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0], dependant_id=child)
    _confirm(session, holder, held)
    _book(session, holder, doctors[1], start=LATER, dependant_id=child)
    with pytest.raises(Conflict, match="family member already has"):
        reschedule(
            session, appointment_id=held.id, patient_id=holder.id, new_start_at=LATER, now=NOW
        )


def test_reschedule_ignores_the_other_persons_visits(session, holder, child, doctors) -> None:
    held = _book(session, holder, doctors[0], dependant_id=child)
    _confirm(session, holder, held)
    _book(session, holder, doctors[1], start=LATER)  # the holder's own, at the new time
    moved = reschedule(
        session, appointment_id=held.id, patient_id=holder.id, new_start_at=LATER, now=NOW
    )
    assert moved.dependant_id == child


def test_the_holders_own_reschedule_checks_only_their_visits(
    session, holder, child, doctors
) -> None:
    mine = _book(session, holder, doctors[0])
    _confirm(session, holder, mine)
    _book(session, holder, doctors[1], start=LATER, dependant_id=child)
    assert (
        reschedule(
            session, appointment_id=mine.id, patient_id=holder.id, new_start_at=LATER, now=NOW
        ).dependant_id
        is None
    )
    third = create_doctor(session, name="Dr. Leela S")
    other = _book(session, holder, third, start=local(MONDAY, "12:00"))
    _confirm(session, holder, other)
    with pytest.raises(Conflict, match="You already have"):
        reschedule(
            session, appointment_id=other.id, patient_id=holder.id, new_start_at=LATER, now=NOW
        )


def test_lists_name_the_person(session, holder, child, doctors) -> None:
    _confirm(session, holder, _book(session, holder, doctors[0], dependant_id=child))
    _confirm(session, holder, _book(session, holder, doctors[1]))
    views = list_appointments(session, patient_id=holder.id, tab="upcoming", now=NOW)
    assert sorted((v.doctor_name, v.for_name) for v in views) == [
        ("Dr. Anil K", ""),
        ("Dr. Meera Rao", "Riya Patel"),
    ]


def test_booking_for_a_family_member_costs_one_more_statement(
    session, holder, child, doctors
) -> None:
    from sqlalchemy import event

    seen: list[str] = []
    engine = session.get_bind()

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    session.expunge_all()  # nothing for the identity map to answer
    event.listen(engine, "before_cursor_execute", before)
    try:
        book(
            session,
            patient_id=holder.id,
            doctor_id=doctors[0].id,
            start_at=SLOT,
            reason="Fever",
            now=NOW,
            dependant_id=child,
        )
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert len(seen) == 6, seen  # the five of any booking, and the family member's row


def _confirmation_email(session: Session, appointment: Appointment) -> Notification:
    write_pending_news(session, now=NOW)  # the worker's letters
    (email,) = session.exec(
        select(Notification).where(
            Notification.appointment_id == appointment.id,
            Notification.event == "payment_succeeded",
            Notification.channel == "email",
        )
    ).all()
    return email


def test_the_holders_email_names_the_family_member_the_visit_is_for(
    session, holder, child, doctors
) -> None:
    for_child = _book(session, holder, doctors[0], dependant_id=child)
    own = _book(session, holder, doctors[1], start=LATER)
    _confirm(session, holder, for_child)
    _confirm(session, holder, own)

    email = _confirmation_email(session, for_child)
    assert email.to_address == holder.email
    assert "For:       Riya Patel (Child)" in email.body
    assert ">For</td>" in email.body_html and "Riya Patel (Child)</td>" in email.body_html
    own_email = _confirmation_email(session, own)
    assert "For:" not in own_email.body and ">For</td>" not in own_email.body_html


def test_a_hindi_holder_reads_the_relation_in_hindi(session, holder, child, doctors) -> None:
    holder.language = "hi"
    session.add(holder)
    session.commit()
    for_child = _book(session, holder, doctors[0], dependant_id=child)
    _confirm(session, holder, for_child)
    body = _confirmation_email(session, for_child).body
    assert "किसके लिए:" in body and "Riya Patel (" in body and "(Child)" not in body
