"""Treatment records: what the doctor wrote for a visit (diagnosis, notes, prescription
lines), written by the visit's doctor and read by them and the patient. The fields are
checked in ``treatment_fields``; the printable prescription is ``prescription_pdf``.

A doctor writes and edits the record of their own appointments once the visit has
started; the patient reads it (and downloads the prescription) once the visit is
completed. Anyone else gets ``NotFound``, exactly as for an appointment that does not
exist, so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, Forbidden, NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    format_local_date,
    format_local_time,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    Hospital,
    PrescriptionItem,
    Role,
    Treatment,
    User,
)
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.booking.views import (
    DOCTOR_AND_PLACE,
    appointment_query,
    clean_appointment_id,
    fresh_appointment,
)
from healthcareplus.domain.clinical.treatment_fields import VISIT_TYPE_LABELS, treatment_fields

NO_RECORD = "No treatment record for this appointment."
_WRITABLE = (AppointmentStatus.CONFIRMED.value, AppointmentStatus.COMPLETED.value)


@dataclass(frozen=True)
class PrescriptionLine:
    position: int
    medicine: str
    dose: str
    frequency: str
    duration: str


@dataclass(frozen=True)
class TreatmentRecord:
    id: int
    appointment_id: str
    visit_type: str
    visit_type_label: str
    diagnosis: str
    notes: str
    items: tuple[PrescriptionLine, ...]
    visit_date_label: str  # "Mon, 23 Nov 2026" (clinic time)
    visit_time_label: str
    updated_label: str  # "Mon, 23 Nov 2026, 10:05 AM"
    doctor_name: str
    doctor_qualification: str
    specialization: str
    hospital_name: str
    hospital_address: str
    city_name: str
    patient_name: str
    patient_age_label: str  # "34 years" or ""
    patient_gender: str
    doctor_registration_number: str = ""  # printed on the prescription (NMC / state council)
    doctor_registration_council: str = ""


def age_years(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return max(today.year - born.year - before_birthday, 0)


def age_label(born: date | None, today: date) -> str:
    years = age_years(born, today)
    if years is None:
        return ""
    return "1 year" if years == 1 else f"{years} years"


# --- reading -------------------------------------------------------------------------------

# The record's doctor and place, by field.
_NAMES = {
    **DOCTOR_AND_PLACE,
    "doctor_qualification": col(Doctor.qualification),
    "doctor_registration_number": col(Doctor.registration_number),
    "doctor_registration_council": col(Doctor.registration_council),
    "hospital_address": col(Hospital.address),
}


def _record(session: Session, treatment: Treatment) -> TreatmentRecord:
    """The record with its people and place; the age is the patient's on the visit day."""
    query = appointment_query(
        Appointment, User, Dependant, *_NAMES.values(), patient=True, dependant=True
    )
    row = session.exec(query.where(col(Appointment.id) == treatment.appointment_id)).one()
    appointment, holder, dependant, *names = row
    patient = dependant or holder  # the person the visit was for
    items = session.exec(
        select(PrescriptionItem)
        .where(PrescriptionItem.treatment_id == treatment.id)
        .order_by(col(PrescriptionItem.position))
    )
    assert treatment.id is not None
    return TreatmentRecord(
        id=treatment.id,
        appointment_id=appointment.id,
        visit_type=treatment.visit_type,
        visit_type_label=VISIT_TYPE_LABELS.get(treatment.visit_type, treatment.visit_type),
        diagnosis=treatment.diagnosis,
        notes=treatment.notes,
        items=tuple(
            PrescriptionLine(i.position, i.medicine, i.dose, i.frequency, i.duration) for i in items
        ),
        visit_date_label=format_local_date(appointment.start_at),
        visit_time_label=format_local_time(appointment.start_at),
        updated_label=(
            f"{format_local_date(treatment.updated_at)}, {format_local_time(treatment.updated_at)}"
        ),
        **dict(zip(_NAMES, names, strict=True)),
        patient_name=patient.name,
        patient_age_label=age_label(patient.date_of_birth, clinic_today(appointment.start_at)),
        patient_gender=patient.gender or "",
    )


def _treatment_of(session: Session, appointment_id: str) -> Treatment | None:
    return session.exec(select(Treatment).where(Treatment.appointment_id == appointment_id)).first()


def treatment_for_doctor(
    session: Session, *, doctor_id: int, appointment_id: str
) -> TreatmentRecord | None:
    """The record of one of the doctor's own appointments, or None if not written yet."""
    appointment = own_appointment(session, doctor_id, appointment_id)
    treatment = _treatment_of(session, appointment.id)
    return _record(session, treatment) if treatment else None


def treatment_for_patient(
    session: Session, *, patient_id: int, appointment_id: str
) -> TreatmentRecord:
    """The record of the patient's own completed visit; ``NotFound`` otherwise."""
    appointment = fresh_appointment(session, appointment_id)
    if (
        appointment is None
        or appointment.patient_id != patient_id
        or appointment.status != AppointmentStatus.COMPLETED
    ):
        raise NotFound(NO_RECORD)
    treatment = _treatment_of(session, appointment.id)
    if treatment is None:
        raise NotFound(NO_RECORD)
    return _record(session, treatment)


# --- writing -------------------------------------------------------------------------------


def own_appointment(session: Session, doctor_id: int, appointment_id: Any) -> Appointment:
    """One of the doctor's appointments (freshly read); ``NotFound`` for any other."""
    appointment = fresh_appointment(session, appointment_id)
    if appointment is None or appointment.doctor_id != doctor_id:
        raise NotFound("Appointment not found.")
    return appointment


def save_treatment(
    session: Session,
    *,
    doctor_id: int,
    appointment_id: str,
    visit_type: str,
    diagnosis: str,
    notes: str,
    items: list[dict[str, str]],
    actor_id: int,
    now: datetime,
) -> TreatmentRecord:
    """Create or replace the record (and its prescription) of the doctor's own visit.

    Flushes; the caller's unit of work commits."""
    acting_user(session, actor_id, Role.DOCTOR)
    now = utc(now)
    doctor = row_by_id(session, Doctor, doctor_id)
    if doctor is None or doctor.user_id is None or doctor.user_id != actor_id:
        raise Forbidden("Only the visit's doctor can write its treatment record.")
    appointment = own_appointment(session, doctor_id, appointment_id)
    if appointment.status not in _WRITABLE:
        raise Conflict("Only a confirmed or completed visit can have a treatment record.")
    if appointment.start_at > now:
        raise Conflict("You can write the treatment record once the visit has started.")
    fields = treatment_fields(visit_type, diagnosis, notes, items)
    treatment = _treatment_of(session, appointment.id)
    created = treatment is None
    if treatment is None:
        treatment = Treatment(
            appointment_id=appointment.id,
            doctor_id=appointment.doctor_id,
            patient_id=appointment.patient_id,
            diagnosis=fields.diagnosis,
            created_at=now,
        )
    try:
        # A concurrent save that took the same unique value fails the flush: the
        # domain error below makes the caller's unit of work roll back.
        treatment.visit_type, treatment.diagnosis = fields.visit_type, fields.diagnosis
        treatment.notes, treatment.updated_at = fields.notes, now
        session.add(treatment)
        session.flush()
        assert treatment.id is not None
        session.exec(
            delete(PrescriptionItem).where(col(PrescriptionItem.treatment_id) == treatment.id)
        )
        session.add_all(
            PrescriptionItem(
                treatment_id=treatment.id,
                position=position,
                medicine=line["medicine"],
                dose=line["dose"],
                frequency=line["frequency"],
                duration=line["duration"],
            )
            for position, line in enumerate(fields.lines)
        )
        audit(
            session,
            Actor(actor_id, Role.DOCTOR, now),
            "treatment_created" if created else "treatment_updated",
            appointment_id=appointment.id,
            entity="treatment",
            entity_id=treatment.id,
            detail={"visit_type": fields.visit_type, "medicines": len(fields.lines)},
        )
    except IntegrityError:  # the same visit's record was created at the same moment
        raise Conflict("This record was just saved elsewhere. Please reload.") from None
    return _record(session, treatment)


__all__ = [
    "PrescriptionLine",
    "TreatmentRecord",
    "age_label",
    "age_years",
    "clean_appointment_id",
    "own_appointment",
    "save_treatment",
    "treatment_for_doctor",
    "treatment_for_patient",
]
