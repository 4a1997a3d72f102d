"""One patient with a bit of everything: a medical profile, two family members (one with
a past visit), a paid completed visit with its treatment record and a review, a message,
and another patient whose rows must never be touched or shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Appointment, Dependant, Doctor, Payment, Treatment, User
from healthcareplus.domain.catalog.reviews import write_review
from healthcareplus.domain.notifications.account_news import AccountNote, account_message
from tests.factories import (
    add_payment,
    create_appointment,
    create_doctor,
    create_patient,
    link_doctor_user,
    local,
)

NOW = local(date(2026, 11, 20), "09:00")
PAST = local(date(2026, 11, 10), "10:00")


@dataclass
class Record:
    patient: User
    other: User
    doctor: Doctor
    visit: Appointment
    child_visit: Appointment
    child: Dependant
    spouse: Dependant


@pytest.fixture
def record(session: Session) -> Record:
    doctor = create_doctor(session, name="Dr. Anil Rao")
    link_doctor_user(session, doctor)
    patient = create_patient(session, name="Asha Rao", email="asha@example.in")
    patient.phone, patient.allergies = "+91 98450 11111", "Penicillin"
    patient.date_of_birth, patient.blood_group = date(1990, 4, 12), "B+"
    patient.address = "12 MG Road, Bengaluru 560001"
    patient.emergency_contact_name, patient.emergency_contact_phone = "Ravi Rao", "98450 22222"
    other = create_patient(session, name="Bina Das", email="bina@example.in")
    child = Dependant(
        holder_id=patient.id, name="Riya Rao", relation="child", date_of_birth=date(2018, 6, 3),
        allergies="Peanuts",
    )  # fmt: skip
    spouse = Dependant(
        holder_id=patient.id, name="Ravi Rao", relation="spouse", date_of_birth=date(1988, 2, 1)
    )
    session.add_all([patient, child, spouse])
    session.commit()
    visit = create_appointment(
        session, doctor=doctor, patient=patient, start_at=PAST, status="completed",
        payment_status="Success", reason="Fever for three days",
    )  # fmt: skip
    visit.payment_method = "upi"
    session.add(visit)
    paid = add_payment(session, appointment=visit, status="Success")
    paid.upi_vpa = "asha@okaxis"
    session.add(paid)
    child_visit = create_appointment(
        session, doctor=doctor, patient=patient, start_at=PAST + timedelta(hours=1),
        status="completed",
    )  # fmt: skip
    child_visit.dependant_id = child.id
    session.add(child_visit)
    session.add(
        Treatment(
            appointment_id=visit.id, doctor_id=doctor.id, patient_id=patient.id,
            diagnosis="Viral fever", notes="Rest and fluids",
        )
    )  # fmt: skip
    create_appointment(session, doctor=doctor, patient=other, start_at=PAST + timedelta(hours=2))
    session.commit()
    write_review(
        session, appointment_id=visit.id, rating=4, body="Kind and thorough, Asha",
        actor_id=patient.id, now=NOW,
    )  # fmt: skip
    note = AccountNote(event="account_news", subject="Hello Asha", paragraphs=("Hi",))
    account_message(session, patient, note, now=NOW)
    session.commit()
    return Record(patient, other, doctor, visit, child_visit, child, spouse)


__all__ = ["NOW", "PAST", "Payment", "Record"]
