"""Bodies of the doctor portal: the day's visits, one visit with the patient's medical
profile and earlier visits, the treatment record, and closing a visit."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from healthcareplus.domain.clinical.doctor_day import (
    Dashboard,
    DashboardCounts,
    HistoryRow,
    PatientProfile,
    VisitDetail,
    VisitOutcome,
    VisitRow,
)
from healthcareplus.domain.clinical.records import PrescriptionLine, TreatmentRecord
from healthcareplus.domain.clinical.treatment_fields import VISIT_TYPE_LABELS

_VISIT_EXAMPLE: dict[str, JsonValue] = {
    "appointment_id": "0b7f9a52-5d1e-4c3e-9d61-3f0c2a7e8b14",
    "patient_name": "Asha Rao",
    "age_label": "34 years",
    "reason": "Fever and headache",
    "status": "confirmed",
    "time_status": "upcoming",
    "status_label": "Upcoming",
    "payment_status": "Success",
    "payment_method": "UPI",
    "fee_label": "₹500",
    "transaction_id": "HCP-20261130-7F3K9Q",
    "date_label": "Mon, 30 Nov 2026",
    "time_label": "09:30 AM",
    "start_at": "2026-11-30T04:00:00Z",
}


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class VisitSummary(_Read):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_VISIT_EXAMPLE]}
    )

    appointment_id: str
    patient_name: str
    age_label: str = Field(description='e.g. "34 years"; "" when not known')
    reason: str
    status: str = Field(description="The appointment's status")
    time_status: str = Field(description="upcoming, pending_payment, completed, missed, …")
    status_label: str = Field(description='e.g. "To close": the visit is over, not yet closed')
    payment_status: str
    payment_method: str = Field(description='A label, e.g. "UPI"; "" when none chosen')
    fee_label: str
    transaction_id: str
    date_label: str = Field(description="Clinic date")
    time_label: str = Field(description="Clinic time")
    start_at: dt.datetime = Field(description="UTC")

    @classmethod
    def of(cls, row: VisitRow) -> VisitSummary:
        return cls.model_validate(row)


class Counts(_Read):
    today: int
    this_week: int = Field(description="Monday to Sunday of the clinic's current week")
    patients_seen: int = Field(description="Distinct patients with a completed visit")

    @classmethod
    def of(cls, counts: DashboardCounts) -> Counts:
        return cls.model_validate(counts)


class DoctorDay(BaseModel):
    """Today's visits in time order, the next seven days, and visits still to close."""

    doctor_name: str
    hospital_name: str
    today_label: str = Field(description="The clinic's today")
    today: list[VisitSummary]
    upcoming: list[VisitSummary] = Field(description="The next seven days, today excluded")
    to_close: list[VisitSummary] = Field(
        description="Confirmed visits of the last 14 days already started, not yet closed"
    )
    counts: Counts

    @classmethod
    def of(cls, board: Dashboard) -> DoctorDay:
        return cls(
            doctor_name=board.doctor_name,
            hospital_name=board.hospital_name,
            today_label=board.today_label,
            today=[VisitSummary.of(r) for r in board.today],
            upcoming=[VisitSummary.of(r) for r in board.upcoming],
            to_close=[VisitSummary.of(r) for r in board.to_close],
            counts=Counts.of(board.counts),
        )


class MedicalProfile(_Read):
    """The patient's medical profile, as their doctor sees it."""

    name: str
    age_label: str
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    phone: str

    @classmethod
    def of(cls, profile: PatientProfile) -> MedicalProfile:
        return cls.model_validate(profile)


class EarlierVisit(_Read):
    appointment_id: str
    start_at: dt.datetime
    date_label: str
    status_label: str
    diagnosis: str = Field(description='"" when no record was written')

    @classmethod
    def of(cls, row: HistoryRow) -> EarlierVisit:
        return cls.model_validate(row)


class PrescriptionLineOut(_Read):
    position: int
    medicine: str
    dose: str
    frequency: str
    duration: str

    @classmethod
    def of(cls, line: PrescriptionLine) -> PrescriptionLineOut:
        return cls.model_validate(line)


class TreatmentOut(_Read):
    """A visit's treatment record with its prescription."""

    id: int
    appointment_id: str
    visit_type: str
    visit_type_label: str
    diagnosis: str
    notes: str
    items: list[PrescriptionLineOut]
    visit_date_label: str
    visit_time_label: str
    updated_label: str
    doctor_name: str
    patient_name: str

    @classmethod
    def of(cls, record: TreatmentRecord) -> TreatmentOut:
        return cls.model_validate(record)


class VisitOut(_Read):
    """One of your visits: when, the patient, earlier visits with you, the record, and
    what you may do now (``can_*``)."""

    appointment_id: str
    start_at: dt.datetime = Field(description="UTC")
    end_at: dt.datetime
    date_label: str
    time_label: str
    reason: str
    status: str
    time_status: str
    status_label: str
    payment_status: str
    payment_method: str
    fee_label: str
    transaction_id: str
    cancel_reason: str
    can_complete: bool
    can_no_show: bool
    can_cancel: bool
    can_treat: bool = Field(description="The treatment record may be written now")
    patient: MedicalProfile
    history: list[EarlierVisit] = Field(description="Earlier visits with you, latest first")
    treatment: TreatmentOut | None

    @classmethod
    def of(cls, detail: VisitDetail) -> VisitOut:
        return cls.model_validate(detail)


class PrescriptionLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    medicine: str = Field(max_length=200)
    dose: str = Field(default="", max_length=200)
    frequency: str = Field(default="", max_length=200)
    duration: str = Field(default="", max_length=200)


class TreatmentIn(BaseModel):
    """The whole record: it replaces what was written (blank prescription lines are
    dropped). Refused fields are named as on the website (a line's as ``medicine-0``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "visit_type": "consultation",
                    "diagnosis": "Viral fever",
                    "notes": "Review in three days if the fever persists.",
                    "items": [
                        {
                            "medicine": "Paracetamol 650 mg",
                            "dose": "1 tablet",
                            "frequency": "Three times a day",
                            "duration": "3 days",
                        }
                    ],
                }
            ]  # fmt: skip
        },
    )

    visit_type: str = Field(json_schema_extra={"enum": list(VISIT_TYPE_LABELS)})
    diagnosis: str = Field(max_length=2000)
    notes: str = Field(default="", max_length=8000)
    items: list[PrescriptionLineIn] = Field(default_factory=list, max_length=50)


class CancelIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "I am called away to an emergency."}]},
    )

    reason: str = Field(max_length=2000, description="Shown to the patient (3 to 500 characters)")


class Outcome(_Read):
    appointment_id: str
    status: str = Field(description="The appointment's status now")
    message: str

    @classmethod
    def of(cls, outcome: VisitOutcome) -> Outcome:
        return cls.model_validate(outcome)


__all__ = [
    "CancelIn",
    "Counts",
    "DoctorDay",
    "EarlierVisit",
    "Outcome",
    "MedicalProfile",
    "PrescriptionLineIn",
    "PrescriptionLineOut",
    "TreatmentIn",
    "TreatmentOut",
    "VisitOut",
    "VisitSummary",
]
