"""The fingerprint of a patient's appointments moves with every change a list shows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from healthcareplus.core.models import Role
from healthcareplus.domain.admin.actions import cancel_appointment
from healthcareplus.domain.booking.change_markers import patient_change_marker
from tests.factories import create_booking, create_doctor, create_patient, create_user, local

NOW = local(date(2026, 11, 20), "09:00")
SLOT = local(date(2026, 11, 24), "10:00")


def test_the_marker_moves_with_changes_and_only_the_patients_own(session: Session) -> None:
    doctor = create_doctor(session)
    patient, other = create_patient(session), create_patient(session)
    admin = create_user(session, role=Role.ADMIN)
    empty = patient_change_marker(session, patient_id=patient.id)
    booked = create_booking(session, doctor=doctor, patient=patient, start_at=SLOT, now=NOW)
    session.commit()
    after_booking = patient_change_marker(session, patient_id=patient.id)
    assert after_booking != empty
    assert patient_change_marker(session, patient_id=patient.id) == after_booking  # stable

    create_booking(
        session, doctor=doctor, patient=other, start_at=SLOT + timedelta(hours=1), now=NOW
    )
    session.commit()
    assert patient_change_marker(session, patient_id=patient.id) == after_booking

    cancel_appointment(
        session, appointment_id=booked.id, reason="Doctor unwell", admin_id=admin.id,
        now=NOW + timedelta(hours=1),
    )  # fmt: skip
    session.commit()
    assert patient_change_marker(session, patient_id=patient.id) != after_booking
