"""Treatment records: writing and editing one, who may read it, and the prescription PDF."""

from __future__ import annotations

import zlib
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import AuditEvent, PrescriptionItem, Treatment
from healthcareplus.domain.clinical import doctor_day as doctor_portal
from healthcareplus.domain.clinical.prescription_pdf import prescription_filename, prescription_pdf
from healthcareplus.domain.clinical.records import (
    save_treatment,
    treatment_for_doctor,
    treatment_for_patient,
)
from tests.factories import (
    create_appointment,
    create_booking,
    create_doctor,
    create_hospital,
    create_patient,
    link_doctor_user,
    local,
)

MONDAY = date(2026, 11, 23)
VISIT = local(MONDAY, "10:00")
DURING = VISIT + timedelta(minutes=5)
LINES = [
    {
        "medicine": "Paracetamol 500 mg",
        "dose": "1 tablet",
        "frequency": "Thrice a day",
        "duration": "5 days",
    },
    {
        "medicine": "Cetirizine 10 mg",
        "dose": "1 tablet",
        "frequency": "At night",
        "duration": "3 days",
    },
]


@pytest.fixture
def clinic(session: Session):
    hospital = create_hospital(session, name="Apollo Hospital", address="154 Bannerghatta Road")
    doctor = create_doctor(
        session, hospital=hospital, name="Dr. Nithya Subramanian", qualification="MBBS, MD, DM"
    )
    user = link_doctor_user(session, doctor)
    patient = create_patient(session, name="Asha Patel")
    patient.date_of_birth, patient.gender = date(1990, 12, 1), "Female"
    session.add(patient)
    session.commit()
    appointment = create_booking(
        session,
        doctor=doctor,
        start_at=VISIT,
        now=VISIT - timedelta(days=2),
        patient=patient,
        method="pay_at_clinic",
        reason="Fever and sore throat",
    )
    return doctor, user, patient, appointment


def write(session: Session, doctor, user, appointment_id: str, **kwargs):
    values = {
        "visit_type": "consultation",
        "diagnosis": "Acute pharyngitis",
        "notes": "Warm saline gargles. Review if fever persists.",
        "items": LINES,
        "now": DURING,
        **kwargs,
    }
    return save_treatment(
        session, doctor_id=doctor.id, appointment_id=appointment_id, actor_id=user.id, **values
    )


def complete(session: Session, doctor, user, appointment_id: str) -> None:
    doctor_portal.mark_completed(
        session, doctor_id=doctor.id, appointment_id=appointment_id, actor_id=user.id, now=DURING
    )


def test_write_then_edit_a_record(session: Session, clinic) -> None:
    doctor, user, patient, appointment = clinic

    record = write(session, doctor, user, appointment.id)

    assert (record.visit_type_label, record.diagnosis, record.patient_name) == (
        "Consultation",
        "Acute pharyngitis",
        "Asha Patel",
    )
    assert record.patient_age_label == "35 years"  # on the visit day (born 1 Dec 1990)
    assert [(i.position, i.medicine, i.frequency) for i in record.items] == [
        (0, "Paracetamol 500 mg", "Thrice a day"),
        (1, "Cetirizine 10 mg", "At night"),
    ]
    assert (record.hospital_name, record.doctor_qualification) == (
        "Apollo Hospital",
        "MBBS, MD, DM",
    )

    edited = write(
        session,
        doctor,
        user,
        appointment.id,
        visit_type="follow_up",
        diagnosis="  Viral pharyngitis ",
        items=[{"medicine": "Paracetamol 650 mg", "dose": "", "frequency": "", "duration": ""}]
        + [{"medicine": " ", "dose": "", "frequency": "", "duration": ""}],  # blank: dropped
        now=DURING + timedelta(minutes=10),
    )

    assert edited.id == record.id
    assert (edited.visit_type, edited.diagnosis) == ("follow_up", "Viral pharyngitis")
    assert [i.medicine for i in edited.items] == ["Paracetamol 650 mg"]
    assert len(session.exec(select(Treatment)).all()) == 1
    assert len(session.exec(select(PrescriptionItem)).all()) == 1
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.entity == "treatment").order_by(AuditEvent.id)
    ).all()
    assert actions == ["treatment_created", "treatment_updated"]
    assert (
        treatment_for_doctor(session, doctor_id=doctor.id, appointment_id=appointment.id) == edited
    )


def test_validation_reports_every_field(session: Session, clinic) -> None:
    doctor, user, _, appointment = clinic
    with pytest.raises(ValidationFailed) as refused:
        write(
            session,
            doctor,
            user,
            appointment.id,
            visit_type="checkup",
            diagnosis=" ",
            notes="n" * 4001,
            items=[
                {"medicine": "", "dose": "1 tablet", "frequency": "", "duration": ""},
                {"medicine": "m" * 121, "dose": "d" * 61, "frequency": "", "duration": ""},
                {"medicine": 7, "dose": "", "frequency": "", "duration": ""},
            ],
        )
    assert set(refused.value.fields) == {
        "visit_type",
        "diagnosis",
        "notes",
        "medicine-0",
        "medicine-1",
        "dose-1",
        "medicine-2",
    }
    for items in ("Paracetamol", [LINES[0]] * 21, ["Paracetamol"]):
        with pytest.raises(ValidationFailed) as bad_list:
            write(session, doctor, user, appointment.id, items=items)
        assert "items" in bad_list.value.fields
    assert write(session, doctor, user, appointment.id, items=[], notes="").items == ()
    assert session.exec(select(Treatment)).one().notes == ""


def test_only_a_started_confirmed_or_completed_visit_can_have_a_record(
    session: Session, clinic
) -> None:
    doctor, user, patient, appointment = clinic
    with pytest.raises(Conflict, match="once the visit has started"):
        write(session, doctor, user, appointment.id, now=VISIT - timedelta(minutes=1))
    for days, status in enumerate(("cancelled", "no_show", "expired", "pending_payment"), 7):
        other = create_appointment(
            session,
            doctor=doctor,
            patient=patient,
            start_at=VISIT - timedelta(days=days),
            status=status,
        )
        with pytest.raises(Conflict, match="confirmed or completed"):
            write(session, doctor, user, other.id)
    complete(session, doctor, user, appointment.id)
    assert write(session, doctor, user, appointment.id).diagnosis == "Acute pharyngitis"


def test_a_doctor_cannot_read_or_write_another_doctors_records(session: Session, clinic) -> None:
    doctor, user, _, appointment = clinic
    write(session, doctor, user, appointment.id)
    stranger = create_doctor(session)
    stranger_user = link_doctor_user(session, stranger)
    with pytest.raises(NotFound):
        write(session, stranger, stranger_user, appointment.id)
    with pytest.raises(NotFound):
        treatment_for_doctor(session, doctor_id=stranger.id, appointment_id=appointment.id)
    with pytest.raises(Forbidden):  # naming the right doctor does not help either
        save_treatment(
            session,
            doctor_id=doctor.id,
            appointment_id=appointment.id,
            visit_type="consultation",
            diagnosis="Forged",
            notes="",
            items=[],
            actor_id=stranger_user.id,
            now=DURING,
        )
    for crafted in ("../../etc", "x" * 40, None, 5):
        with pytest.raises(NotFound):
            write(session, doctor, user, crafted)
    assert session.exec(select(Treatment.diagnosis)).all() == ["Acute pharyngitis"]


def test_a_patient_reads_only_their_own_completed_visits(session: Session, clinic) -> None:
    doctor, user, patient, appointment = clinic
    write(session, doctor, user, appointment.id)
    with pytest.raises(NotFound):  # written, but the visit is not completed yet
        treatment_for_patient(session, patient_id=patient.id, appointment_id=appointment.id)

    complete(session, doctor, user, appointment.id)

    record = treatment_for_patient(session, patient_id=patient.id, appointment_id=appointment.id)
    assert [i.medicine for i in record.items] == ["Paracetamol 500 mg", "Cetirizine 10 mg"]
    someone_else = create_patient(session)
    for patient_id, appointment_id in (
        (someone_else.id, appointment.id),
        (patient.id, "00000000-0000-4000-8000-000000000000"),
        (patient.id, "not an id'; drop table treatments"),
    ):
        with pytest.raises(NotFound):
            treatment_for_patient(session, patient_id=patient_id, appointment_id=appointment_id)
    # A completed visit without a record.
    bare = create_appointment(
        session,
        doctor=doctor,
        patient=patient,
        start_at=VISIT - timedelta(days=3),
        status="completed",
    )
    with pytest.raises(NotFound):
        treatment_for_patient(session, patient_id=patient.id, appointment_id=bare.id)


def test_the_prescription_pdf(session: Session, clinic) -> None:
    doctor, user, _, appointment = clinic
    record = write(
        session,
        doctor,
        user,
        appointment.id,
        notes="Fee ₹500 paid – review in 1 week. Drink warm fluids…",
    )

    plain = prescription_pdf(record, compress=False)

    assert plain.startswith(b"%PDF-")
    for text in (
        b"HealthCarePlus",
        b"Apollo Hospital",
        b"Dr. Nithya Subramanian",
        b"MBBS, MD, DM",
        rb"Asha Patel \(35 years, Female\)",  # PDF strings escape parentheses
        b"Mon, 23 Nov 2026",
        b"Acute pharyngitis",
        b"Paracetamol 500 mg",
        b"Cetirizine 10 mg",
        b"Thrice a day",
        b"Signature",
        b"Fee Rs.500 paid - review in 1 week. Drink warm fluids...",
    ):
        assert text in plain, text
    packed = prescription_pdf(record)
    assert packed.startswith(b"%PDF-") and b"Paracetamol" not in packed
    streams = [
        zlib.decompress(part.split(b"stream\n", 1)[1].split(b"endstream", 1)[0].strip())
        for part in packed.split(b"/FlateDecode")[1:]
        if b"stream\n" in part
    ]
    assert any(b"Paracetamol 500 mg" in s for s in streams)
    assert prescription_filename(record) == f"prescription-{appointment.id[:8]}.pdf"


def test_the_prescription_carries_the_doctors_registration(session: Session, clinic) -> None:
    doctor, user, _, appointment = clinic
    record = write(session, doctor, user, appointment.id)
    assert rb"Reg. No." not in prescription_pdf(record, compress=False)  # none recorded yet

    doctor.registration_number = "KMC 45678"
    doctor.registration_council = "Karnataka Medical Council"
    session.add(doctor)
    session.commit()
    record = treatment_for_doctor(session, doctor_id=doctor.id, appointment_id=appointment.id)

    assert record is not None
    assert (record.doctor_registration_number, record.doctor_registration_council) == (
        "KMC 45678",
        "Karnataka Medical Council",
    )
    plain = prescription_pdf(record, compress=False)
    assert rb"Reg. No. KMC 45678 \(Karnataka Medical Council\)" in plain
