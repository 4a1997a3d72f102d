"""A family member's visit as the doctor sees it: their own profile, "booked by" the
account holder, and their own history (not the holder's)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Appointment
from healthcareplus.domain.accounts.dependants import add_dependant
from healthcareplus.domain.clinical import doctor_day as portal
from healthcareplus.domain.clinical.records import save_treatment, treatment_for_patient
from tests.factories import create_appointment, create_doctor, create_patient, local

EVERY_DAY = tuple((d, "09:00", "18:00", 15) for d in range(7))
MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "11:00")


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Nithya Subramanian", schedule=EVERY_DAY)


@pytest.fixture
def holder(session: Session):
    row = create_patient(session, name="Asha Patel")
    row.date_of_birth, row.gender, row.blood_group = date(1990, 1, 2), "Female", "B+"
    row.allergies, row.medical_history = "Dust", "Migraine"
    row.phone = "+91 98450 12345"
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def child(session: Session, holder) -> int:
    added = add_dependant(
        session,
        holder_id=holder.id,
        now=NOW,
        name="Riya Patel",
        relation="child",
        date_of_birth="2019-05-04",
        gender="Female",
        blood_group="O+",
        allergies="Peanuts",
        medical_history="Asthma",
    )
    session.commit()
    return added.id


def visit_at(session, doctor, holder, hhmm: str, dependant_id=None, day=MONDAY, **kw):
    row: Appointment = create_appointment(
        session, doctor=doctor, patient=holder, start_at=local(day, hhmm), **kw
    )
    row.dependant_id = dependant_id
    session.add(row)
    session.commit()
    return row


def test_the_visit_shows_the_family_members_profile(session, doctor, holder, child) -> None:
    row = visit_at(session, doctor, holder, "12:00", child)
    detail = portal.visit(session, doctor_id=doctor.id, appointment_id=row.id, now=NOW)
    p = detail.patient
    assert (p.name, p.age_label, p.gender, p.blood_group) == (
        "Riya Patel",
        "7 years",
        "Female",
        "O+",
    )
    assert (p.allergies, p.medical_history) == ("Peanuts", "Asthma")
    assert (p.booked_by, p.relation, p.phone) == ("Asha Patel", "Child", "+91 98450 12345")


def test_the_holders_own_visit_shows_their_profile(session, doctor, holder, child) -> None:
    row = visit_at(session, doctor, holder, "12:00")
    p = portal.visit(session, doctor_id=doctor.id, appointment_id=row.id, now=NOW).patient
    assert (p.name, p.allergies, p.booked_by, p.relation) == ("Asha Patel", "Dust", "", "")


def test_the_day_lists_name_the_person_and_who_booked(session, doctor, holder, child) -> None:
    visit_at(session, doctor, holder, "12:00", child)
    visit_at(session, doctor, holder, "13:00")
    today = portal.dashboard(session, doctor_id=doctor.id, now=NOW).today
    assert [(r.patient_name, r.age_label, r.booked_by) for r in today] == [
        ("Riya Patel", "7 years", "Asha Patel"),
        ("Asha Patel", "36 years", ""),
    ]


def test_history_is_the_persons_own(session, doctor, holder, child) -> None:
    earlier = MONDAY - timedelta(days=7)
    theirs = visit_at(session, doctor, holder, "10:00", child, day=earlier, status="completed")
    mine = visit_at(session, doctor, holder, "11:00", day=earlier, status="completed")
    child_now = visit_at(session, doctor, holder, "12:00", child)
    holder_now = visit_at(session, doctor, holder, "13:00")
    history = portal.visit(session, doctor_id=doctor.id, appointment_id=child_now.id, now=NOW)
    assert [h.appointment_id for h in history.history] == [theirs.id]
    history = portal.visit(session, doctor_id=doctor.id, appointment_id=holder_now.id, now=NOW)
    assert [h.appointment_id for h in history.history] == [mine.id]


def test_the_record_and_prescription_name_the_family_member(session, doctor, holder, child) -> None:
    row = visit_at(session, doctor, holder, "10:00", child, status="completed")
    from tests.factories import link_doctor_user

    user = link_doctor_user(session, doctor)
    save_treatment(
        session,
        doctor_id=doctor.id,
        appointment_id=row.id,
        visit_type="consultation",
        diagnosis="Viral fever",
        notes="",
        items=[],
        actor_id=user.id,
        now=NOW,
    )
    session.commit()
    record = treatment_for_patient(session, patient_id=holder.id, appointment_id=row.id)
    assert (record.patient_name, record.patient_age_label) == ("Riya Patel", "7 years")
