"""Bodies of the admin's people: doctors (with their invitations and follow-ups),
patients (with their appointments) and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from healthcareplus.api.v1.roles import PageInfo
from healthcareplus.domain.admin.doctor_fields import DOCTOR_GENDERS
from healthcareplus.domain.catalog.specializations import DEPARTMENTS


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- doctors ----------------------------------------------------------------------------


class DoctorRowOut(_Read):
    id: int
    name: str
    specialization: str
    hospital_name: str
    city_name: str
    fee_label: str
    experience_years: int
    email: str
    phone: str
    is_active: bool
    invitation_pending: bool = Field(description="The doctor has not set a password yet")


class DoctorList(BaseModel):
    items: list[DoctorRowOut] = Field(description="By name")
    page: PageInfo


class DoctorOut(_Read):
    id: int
    name: str
    specialization: str
    department: str
    qualification: str
    experience_years: int
    fee_rupees: int
    fee_label: str
    gender: str
    languages: list[str]
    hospital_id: int
    hospital_name: str
    city_name: str
    email: str
    phone: str
    about: str
    is_active: bool
    login_email: str = Field(description='"" when the doctor has no sign-in account')


_DOCTOR_EXAMPLE: dict[str, JsonValue] = {
    "name": "Kavya Menon",
    "specialization": "Cardiologist",
    "qualification": "MBBS, MD, DM (Cardiology)",
    "experience_years": 14,
    "fee_rupees": 800,
    "gender": "Female",
    "languages": ["English", "Kannada"],
    "hospital_id": 2,
    "phone": "+91 98450 12345",
    "about": "Interventional cardiologist.",
}


class DoctorProfileIn(_Form):
    """The profile as the admin's form has it (each field checked as there)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DOCTOR_EXAMPLE]})

    name: str = Field(max_length=200, description='"Dr." is added when missing')
    specialization: str = Field(max_length=100, json_schema_extra={"enum": list(DEPARTMENTS)})
    qualification: str = Field(max_length=300)
    experience_years: int = Field(description="Years")
    fee_rupees: int = Field(description="Consultation fee in whole rupees")
    gender: str = Field(max_length=20, json_schema_extra={"enum": list(DOCTOR_GENDERS)})
    languages: list[Annotated[str, StringConstraints(max_length=60)]] = Field(max_length=20)
    hospital_id: int
    phone: str = Field(max_length=40)
    about: str = Field(default="", max_length=4000)


class NewDoctorIn(DoctorProfileIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{**_DOCTOR_EXAMPLE, "email": "kavya.menon@example.in"}]},
    )

    email: str = Field(max_length=320, description="The doctor's sign-in email")


class InvitationOut(_Read):
    """The emailed link to choose a password (the link itself goes to the mailbox only)."""

    email: str
    hours: int = Field(description="How long the link works")
    expires_at: dt.datetime


class CreatedDoctorOut(_Read):
    doctor: DoctorOut
    login_email: str
    invitation: InvitationOut


class ChangeReason(_Form):
    reason: str = Field(default="", max_length=2000, description="Audited (up to 500)")


class FollowUpOut(_Read):
    """A future booking of a deactivated doctor that someone should call about."""

    appointment_id: str
    patient_name: str
    patient_phone: str
    patient_email: str
    start_at: dt.datetime
    date_label: str
    time_label: str
    status: str


class FollowUps(BaseModel):
    items: list[FollowUpOut] = Field(description="Soonest first (at most 500)")
    total: int


class ActivationOut(BaseModel):
    doctor: DoctorOut
    follow_ups: FollowUps = Field(description="On deactivation: the bookings to follow up")


# --- patients ---------------------------------------------------------------------------


class PatientRowOut(_Read):
    id: int
    name: str
    email: str
    phone: str
    is_blocked: bool
    joined_label: str
    appointments: int


class PatientList(BaseModel):
    items: list[PatientRowOut] = Field(description="Newest first")
    page: PageInfo


class PatientOut(_Read):
    id: int
    name: str
    email: str
    phone: str
    date_of_birth: str = Field(description='YYYY-MM-DD, "" when not given')
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    is_active: bool
    is_blocked: bool
    blocked_reason: str
    joined_label: str


class PatientEditIn(_Form):
    """The patient's details, with the rules of their own profile page."""

    name: str = Field(max_length=200)
    phone: str = Field(max_length=40)
    date_of_birth: str = Field(default="", max_length=10, description='YYYY-MM-DD or ""')
    gender: str = Field(default="", max_length=40)
    blood_group: str = Field(default="", max_length=5)
    allergies: str = Field(default="", max_length=4000)
    medical_history: str = Field(default="", max_length=4000)


class PatientVisitOut(_Read):
    id: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    start_at: dt.datetime
    date_label: str
    time_label: str
    status: str
    time_status: str
    payment_status: str
    payment_method: str
    fee_label: str
    transaction_id: str


class PatientVisits(BaseModel):
    items: list[PatientVisitOut] = Field(description="Latest first")
    page: PageInfo


# --- administrators ---------------------------------------------------------------------


class AdminOut(_Read):
    id: int
    name: str
    email: str
    phone: str
    created_label: str
    is_active: bool


class AdminList(BaseModel):
    items: list[AdminOut] = Field(description="By name")
    page: PageInfo


class NewAdminIn(_Form):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "Farah Khan", "email": "farah@example.in", "phone": "98450 12345"}
            ]
        },
    )

    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    phone: str = Field(max_length=40)
    password: str = Field(
        default="", max_length=200, description="Empty: a one-time password is generated"
    )
    confirm_password: str = Field(default="", max_length=200)


class CreatedAdminOut(_Read):
    admin: AdminOut
    one_time_password: str | None = Field(
        description="The generated password, in this answer only; null when one was given"
    )


__all__ = [
    "ActivationOut",
    "AdminList",
    "AdminOut",
    "CreatedAdminOut",
    "CreatedDoctorOut",
    "DoctorList",
    "DoctorOut",
    "DoctorProfileIn",
    "DoctorRowOut",
    "FollowUpOut",
    "FollowUps",
    "InvitationOut",
    "NewAdminIn",
    "NewDoctorIn",
    "PatientEditIn",
    "PatientList",
    "PatientOut",
    "PatientRowOut",
    "PatientVisitOut",
    "PatientVisits",
    "ChangeReason",
]
