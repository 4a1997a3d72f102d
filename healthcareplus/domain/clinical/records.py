"""Treatment records: what the doctor wrote for a visit, and its printable prescription.

A doctor writes and edits the record of their own appointments once the visit has
started; the patient reads it (and downloads the prescription) once the visit is
completed. Anyone else gets ``NotFound``, exactly as for an appointment that does not
exist, so ids reveal nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fpdf import FPDF, FontFace
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    clinic_today,
    format_local_date,
    format_local_time,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    PrescriptionItem,
    Role,
    Treatment,
    User,
    VisitType,
)
from healthcareplus.domain.payments.ledger import audit_event

VISIT_TYPE_LABELS = {
    VisitType.CONSULTATION.value: "Consultation",
    VisitType.FOLLOW_UP.value: "Follow-up",
    VisitType.EMERGENCY.value: "Emergency",
}
MAX_ITEMS = 20
DIAGNOSIS_MAX, NOTES_MAX = 1000, 4000
MEDICINE_MAX, DETAIL_MAX = 120, 60
ITEM_FIELDS = ("medicine", "dose", "frequency", "duration")
NO_RECORD = "No treatment record for this appointment."
_WRITABLE = (AppointmentStatus.CONFIRMED.value, AppointmentStatus.COMPLETED.value)
_APPOINTMENT_ID = re.compile(r"^[0-9a-fA-F-]{1,36}$")


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


def clean_appointment_id(value: Any) -> str:
    """A well-formed appointment id, else ``NotFound`` (crafted values never reach SQL)."""
    if not isinstance(value, str) or not _APPOINTMENT_ID.match(value):
        raise NotFound("Appointment not found.")
    return value.lower()


# --- reading -------------------------------------------------------------------------------


def _record(session: Session, treatment: Treatment) -> TreatmentRecord:
    """The record with its people and place; the age is the patient's on the visit day."""
    row = session.exec(
        select(Appointment, Doctor, Hospital.name, Hospital.address, City.name, User)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(Appointment.id == treatment.appointment_id)
    ).one()
    appointment, doctor, hospital_name, address, city_name, patient = row
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
        doctor_name=doctor.name,
        doctor_qualification=doctor.qualification,
        specialization=doctor.specialization,
        hospital_name=hospital_name,
        hospital_address=address,
        city_name=city_name,
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
    appointment = _own_appointment(session, doctor_id, appointment_id)
    treatment = _treatment_of(session, appointment.id)
    return _record(session, treatment) if treatment else None


def treatment_for_patient(
    session: Session, *, patient_id: int, appointment_id: str
) -> TreatmentRecord:
    """The record of the patient's own completed visit; ``NotFound`` otherwise."""
    appointment = session.get(
        Appointment, clean_appointment_id(appointment_id), populate_existing=True
    )
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


def _own_appointment(session: Session, doctor_id: int, appointment_id: Any) -> Appointment:
    appointment = session.get(
        Appointment, clean_appointment_id(appointment_id), populate_existing=True
    )
    if appointment is None or appointment.doctor_id != doctor_id:
        raise NotFound("Appointment not found.")
    return appointment


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def clean_items(items: Any) -> list[dict[str, str]]:
    """Prescription lines, blank ones dropped; errors keyed ``<field>-<line index>``."""
    if not isinstance(items, list | tuple):
        raise ValidationFailed({"items": "Send the prescription as a list of lines."})
    if len(items) > MAX_ITEMS:
        raise ValidationFailed({"items": f"A prescription can have at most {MAX_ITEMS} lines."})
    errors: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors["items"] = "Each prescription line needs a medicine."
            continue
        values = {f: _text(item.get(f, "")) for f in ITEM_FIELDS}
        if any(v is None for v in values.values()):
            errors[f"medicine-{index}"] = "Enter the line as text."
            continue
        line = {k: v or "" for k, v in values.items()}
        if not any(line.values()):
            continue
        if not line["medicine"]:
            errors[f"medicine-{index}"] = "Enter the medicine."
        elif len(line["medicine"]) > MEDICINE_MAX:
            errors[f"medicine-{index}"] = f"At most {MEDICINE_MAX} characters."
        for name in ITEM_FIELDS[1:]:
            if len(line[name]) > DETAIL_MAX:
                errors[f"{name}-{index}"] = f"At most {DETAIL_MAX} characters."
        lines.append(line)
    if errors:
        raise ValidationFailed(errors)
    return lines


def _clean_record(visit_type: Any, diagnosis: Any, notes: Any) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    kind = visit_type if isinstance(visit_type, str) else ""
    if kind not in VISIT_TYPE_LABELS:
        errors["visit_type"] = "Choose consultation, follow-up or emergency."
    found = _text(diagnosis) or ""
    if not found:
        errors["diagnosis"] = "Enter the diagnosis."
    elif len(found) > DIAGNOSIS_MAX:
        errors["diagnosis"] = f"Keep the diagnosis under {DIAGNOSIS_MAX} characters."
    remarks = _text(notes) if notes is not None else ""
    if remarks is None or len(remarks) > NOTES_MAX:
        errors["notes"] = f"Keep the notes under {NOTES_MAX} characters."
    if errors:
        raise ValidationFailed(errors)
    return kind, found, remarks or ""


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
    """Create or replace the record (and its prescription) of the doctor's own visit."""
    now = utc(now)
    doctor = session.get(Doctor, doctor_id) if type(doctor_id) is int else None
    if doctor is None or doctor.user_id is None or doctor.user_id != actor_id:
        raise Forbidden("Only the visit's doctor can write its treatment record.")
    appointment = _own_appointment(session, doctor_id, appointment_id)
    if appointment.status not in _WRITABLE:
        raise Conflict("Only a confirmed or completed visit can have a treatment record.")
    if appointment.start_at > now:
        raise Conflict("You can write the treatment record once the visit has started.")
    errors: dict[str, str] = {}
    kind, found, remarks, lines = "", "", "", []
    try:
        kind, found, remarks = _clean_record(visit_type, diagnosis, notes)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        lines = clean_items(items)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    treatment = _treatment_of(session, appointment.id)
    created = treatment is None
    if treatment is None:
        treatment = Treatment(
            appointment_id=appointment.id,
            doctor_id=appointment.doctor_id,
            patient_id=appointment.patient_id,
            diagnosis=found,
            created_at=now,
        )
    treatment.visit_type, treatment.diagnosis, treatment.notes = kind, found, remarks
    treatment.updated_at = now
    try:
        session.add(treatment)
        session.flush()
        session.exec(
            delete(PrescriptionItem).where(col(PrescriptionItem.treatment_id) == treatment.id)
        )
        session.add_all(
            PrescriptionItem(treatment_id=treatment.id, position=position, **line)
            for position, line in enumerate(lines)
        )
        audit_event(
            session,
            action="treatment_created" if created else "treatment_updated",
            appointment_id=appointment.id,
            actor_id=actor_id,
            actor_role=Role.DOCTOR,
            now=now,
            entity="treatment",
            entity_id=str(treatment.id),
            detail={"visit_type": kind, "medicines": len(lines)},
        )
        session.commit()
    except IntegrityError:  # the same visit's record was created at the same moment
        session.rollback()
        raise Conflict("This record was just saved elsewhere. Please reload.") from None
    return _record(session, treatment)


# --- the prescription as a PDF -------------------------------------------------------------

FONT = "Helvetica"
_SUBSTITUTES = {"₹": "Rs.", "–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."}
_TABLE_HEAD = FontFace(emphasis="BOLD", fill_color=(224, 242, 241))


def _latin1(text: str) -> str:
    """What the PDF core fonts can draw: Latin-1 kept, accents stripped, the rest "?"."""
    out = []
    for char in text:
        char = _SUBSTITUTES.get(char, char)
        if all(ord(c) < 256 for c in char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _section(pdf: FPDF, title: str, body: str) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5, _latin1(body) or "-", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def prescription_pdf(record: TreatmentRecord, *, compress: bool = True) -> bytes:
    """An A4 prescription: clinic header, doctor, patient, diagnosis, medicines, notes and
    a signature line. Core fonts only (see ``_latin1``), so no font files are needed."""
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin1(f"Prescription - {record.patient_name}"))
    pdf.set_author(_latin1(record.doctor_name))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(13, 148, 136)
    pdf.cell(0, 8, "HealthCarePlus", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, _latin1(record.hospital_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        0,
        5,
        _latin1(f"{record.hospital_address}, {record.city_name}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 6, _latin1(record.doctor_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.cell(
        0,
        5,
        _latin1(f"{record.doctor_qualification} - {record.specialization}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.line(15, pdf.get_y() + 2, 195, pdf.get_y() + 2)
    pdf.ln(5)
    patient = ", ".join(p for p in (record.patient_age_label, record.patient_gender) if p)
    facts = (
        ("Patient", record.patient_name + (f" ({patient})" if patient else "")),
        ("Date", f"{record.visit_date_label}, {record.visit_time_label}"),
        ("Visit type", record.visit_type_label),
    )
    for label, value in facts:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(30, 6, label)
        pdf.set_font(FONT, size=10)
        pdf.cell(0, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _section(pdf, "Diagnosis", record.diagnosis)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, "Rx - Medicines", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    if record.items:
        with pdf.table(
            col_widths=(8, 52, 30, 40, 30), headings_style=_TABLE_HEAD, line_height=6
        ) as table:
            table.row(("#", "Medicine", "Dose", "Frequency", "Duration"))
            for number, item in enumerate(record.items, start=1):
                table.row(
                    (
                        str(number),
                        *(_latin1(v) for v in (item.medicine, item.dose, item.frequency)),
                        _latin1(item.duration),
                    )
                )
    else:
        pdf.cell(0, 6, "No medicines prescribed.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _section(pdf, "Notes", record.notes)
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.set_y(max(pdf.get_y() + 15, 240))
    pdf.line(125, pdf.get_y(), 195, pdf.get_y())
    pdf.set_x(125)
    pdf.set_font(FONT, size=10)
    pdf.cell(70, 6, _latin1(record.doctor_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(125)
    pdf.set_font(FONT, size=8)
    pdf.cell(70, 5, "Signature", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(100, 100, 100)
    pdf.cell(0, 5, _latin1(f"Record updated {record.updated_label} (India time)"))
    return bytes(pdf.output())


def prescription_filename(record: TreatmentRecord) -> str:
    return f"prescription-{record.appointment_id[:8]}.pdf"


__all__ = [
    "ITEM_FIELDS",
    "MAX_ITEMS",
    "VISIT_TYPE_LABELS",
    "PrescriptionLine",
    "TreatmentRecord",
    "age_label",
    "age_years",
    "clean_appointment_id",
    "clean_items",
    "prescription_filename",
    "prescription_pdf",
    "save_treatment",
    "treatment_for_doctor",
    "treatment_for_patient",
]
