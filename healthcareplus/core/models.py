"""All database tables (the outbox in ``notification_models``, re-exported here). Instants
are UTC (``UTCDateTime``), money is integer paise."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from healthcareplus.core.access_models import (
    DownloadGrant,
    LoginAttempt,
    PasswordLink,
    UserSession,
)
from healthcareplus.core.api_models import ApiKey, ApiRateWindow, ApiToken, ApiTokenKind
from healthcareplus.core.dbtypes import instant_column, utcnow
from healthcareplus.core.desk_models import QueueEntry, QueueStage, StaffHospital
from healthcareplus.core.family_models import Dependant, Relation
from healthcareplus.core.fee_request_models import FeeChangeRequest, FeeRequestStatus
from healthcareplus.core.idempotency import IdempotencyKey
from healthcareplus.core.notification_models import (
    Notification,
    NotificationPreference,
    PendingNews,
)
from healthcareplus.core.review_models import DoctorRating, Review
from healthcareplus.core.tally_models import AppointmentTally
from healthcareplus.core.waitlist_models import FreedSlot, SlotOffer, WaitlistEntry
from healthcareplus.core.webhook_models import WebhookAttempt, WebhookEndpoint


class Role(StrEnum):
    PATIENT = "patient"
    DOCTOR = "doctor"
    ADMIN = "admin"
    FRONT_DESK = "front_desk"


class AppointmentStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# Statuses in which an appointment occupies its slot (a pending hold only until it expires).
SLOT_TAKING_STATUSES = (
    AppointmentStatus.PENDING_PAYMENT,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)
SLOT_TAKING_SQL = "status IN ('pending_payment', 'confirmed', 'completed', 'no_show')"


class PaymentStatus(StrEnum):
    PENDING = "Pending"
    SUCCESS = "Success"
    FAILED = "Failed"
    REFUNDED = "Refunded"


class PaymentMethod(StrEnum):
    UPI = "upi"
    CARD = "card"
    NETBANKING = "netbanking"
    WALLET = "wallet"
    PAY_AT_CLINIC = "pay_at_clinic"


_instant = instant_column
HAS_EMAIL_SQL = "email <> ''"


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        # An email signs in, so it names one account; a patient registered at the front
        # desk without one has "" (and cannot sign in until an email is added).
        Index(
            "ix_users_email",
            "email",
            unique=True,
            sqlite_where=text(HAS_EMAIL_SQL),
            postgresql_where=text(HAS_EMAIL_SQL),
        ),
        Index("ix_users_phone", "phone"),
    )

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(default=Role.PATIENT, max_length=16, index=True)
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field(default="", max_length=20)
    password_hash: str = Field(max_length=100)
    # Set when someone else chose the password (an admin creating the account): the first
    # sign-in must choose a new one before anything else.
    must_change_password: bool = Field(default=False)
    is_active: bool = Field(default=True)
    is_blocked: bool = Field(default=False)
    blocked_reason: str | None = Field(default=None, max_length=500)
    date_of_birth: date | None = None
    gender: str | None = Field(default=None, max_length=16)
    blood_group: str | None = Field(default=None, max_length=4)
    allergies: str = Field(default="", max_length=1000)
    medical_history: str = Field(default="", max_length=4000)
    address: str = Field(default="", max_length=300)
    emergency_contact_name: str = Field(default="", max_length=120)
    emergency_contact_phone: str = Field(default="", max_length=20)
    # "en" or "hi" (core.i18n.LANGUAGES); None until the user first chooses or signs in.
    language: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=_instant())


class City(SQLModel, table=True):
    __tablename__ = "cities"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    state: str = Field(max_length=80)


class Hospital(SQLModel, table=True):
    __tablename__ = "hospitals"
    __table_args__ = (UniqueConstraint("city_id", "name", name="uq_hospital_city_name"),)

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    name: str = Field(max_length=120)
    address: str = Field(max_length=300)
    phone: str = Field(default="", max_length=20)
    specialties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The secret part of the waiting-room screen's address (None until a screen is set up).
    queue_screen_key: str | None = Field(default=None, max_length=64, unique=True)


class Doctor(SQLModel, table=True):
    __tablename__ = "doctors"
    __table_args__ = (
        Index("ix_doctors_hospital_specialization", "hospital_id", "specialization"),
        Index("ix_doctors_specialization_active", "specialization", "is_active"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, index=True)
    specialization: str = Field(max_length=60)
    department: str = Field(max_length=80)
    qualification: str = Field(max_length=200)
    experience_years: int = Field(ge=0, le=70)
    fee_paise: int = Field(ge=0)
    gender: str = Field(max_length=16)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hospital_id: int = Field(foreign_key="hospitals.id")
    email: str = Field(max_length=254)
    phone: str = Field(default="", max_length=20)
    photo_url: str | None = Field(default=None, max_length=300)
    about: str = Field(default="", max_length=2000)
    # The medical registration (state council or NMC) printed on every prescription.
    registration_number: str = Field(default="", max_length=30)
    registration_council: str = Field(default="", max_length=80)
    # "Confirm bookings myself": a booking waits for the doctor to accept it.
    confirms_bookings: bool = Field(default=False)
    is_active: bool = Field(default=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True)


class DoctorSchedule(SQLModel, table=True):
    """One working block of a weekday; several blocks a day leave breaks between them."""

    __tablename__ = "doctor_schedules"

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key="doctors.id", index=True)
    weekday: int = Field(ge=0, le=6)  # Monday = 0, in clinic time
    start_time: time
    end_time: time
    slot_minutes: int = Field(default=15, ge=5, le=120)


class TimeOff(SQLModel, table=True):
    """Leave, a holiday or one blocked slot: no slot in [start_at, end_at) is offered."""

    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_doctor_start", "doctor_id", "start_at"),)

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key="doctors.id")
    start_at: datetime = Field(sa_column=_instant(nullable=False))
    end_at: datetime = Field(sa_column=_instant(nullable=False))
    reason: str = Field(default="", max_length=300)
    created_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


def new_uuid() -> str:
    return str(uuid.uuid4())


class Appointment(SQLModel, table=True):
    __tablename__ = "appointments"
    __table_args__ = (
        # The slot guarantee: at most one slot-taking appointment per (doctor, start).
        Index(
            "uq_appointments_taken_slot",
            "doctor_id",
            "start_at",
            unique=True,
            sqlite_where=text(SLOT_TAKING_SQL),
            postgresql_where=text(SLOT_TAKING_SQL),
        ),
        Index("ix_appointments_doctor_start", "doctor_id", "start_at"),
        Index("ix_appointments_patient_start", "patient_id", "start_at"),
        # A family member's visits near a slot: the per-person overlap check.
        Index("ix_appointments_dependant_start", "dependant_id", "start_at"),
        Index("ix_appointments_hospital_start", "hospital_id", "start_at"),
        Index("ix_appointments_start", "start_at"),
        Index("ix_appointments_status_start", "status", "start_at"),
        Index("ix_appointments_payment_status", "payment_status"),
        Index("ix_appointments_booked_at", "booked_at"),
        # Covering (id -> hospital): the dashboard's revenue per hospital joins every
        # payment row to its appointment's hospital without reading the table.
        Index("ix_appointments_id_hospital", "id", "hospital_id"),
        # The target of a review's foreign key (review_models): a review names its visit's
        # completed status, patient and doctor, and the database checks them.
        Index("uq_appointments_review_key", "id", "status", "patient_id", "doctor_id", unique=True),
    )

    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    patient_id: int = Field(foreign_key="users.id")
    # The family member the visit is for (None: the account holder, who books and pays).
    dependant_id: int | None = Field(default=None, foreign_key="dependants.id")
    doctor_id: int = Field(foreign_key="doctors.id")
    hospital_id: int = Field(foreign_key="hospitals.id")
    start_at: datetime = Field(sa_column=_instant(nullable=False))
    end_at: datetime = Field(sa_column=_instant(nullable=False))
    reason: str = Field(max_length=500)
    status: str = Field(default=AppointmentStatus.PENDING_PAYMENT, max_length=20)
    payment_status: str = Field(default=PaymentStatus.PENDING, max_length=12)
    payment_method: str | None = Field(default=None, max_length=16)
    fee_paise: int = Field(ge=0)
    transaction_id: str | None = Field(default=None, max_length=40, unique=True)
    booked_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    hold_expires_at: datetime | None = Field(default=None, sa_column=_instant())
    paid_at: datetime | None = Field(default=None, sa_column=_instant())
    cancelled_at: datetime | None = Field(default=None, sa_column=_instant())
    cancelled_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    cancel_reason: str | None = Field(default=None, max_length=500)
    no_show_at: datetime | None = Field(default=None, sa_column=_instant())
    completed_at: datetime | None = Field(default=None, sa_column=_instant())
    refunded_at: datetime | None = Field(default=None, sa_column=_instant())
    rescheduled_from_id: str | None = Field(default=None, foreign_key="appointments.id")
    # The payment attempt (its idempotency key) the appointment is waiting on or was paid
    # by: only that attempt's answer may confirm or fail it.
    payment_attempt_key: str | None = Field(default=None, max_length=64)
    # A request to a doctor who confirms bookings himself: the slot is held (until
    # ``hold_expires_at``, the answer deadline) but cannot be paid until he accepts.
    awaiting_doctor: bool = Field(default=False)


class Payment(SQLModel, table=True):
    """One payment attempt (or refund). Never holds a full card number or a CVV."""

    __tablename__ = "payments"
    __table_args__ = (
        # Covering, in appointment order: revenue sums read only this index, and their
        # lookups of the appointments' hospitals come in id order.
        Index("ix_payments_appointment_status_amount", "appointment_id", "status", "amount_paise"),
        # Reconciliation: attempts still processing, refunds the gateway has not confirmed.
        Index("ix_payments_status_settled", "status", "settled_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: str = Field(foreign_key="appointments.id", index=True)
    method: str = Field(max_length=16)
    amount_paise: int = Field(ge=0)
    status: str = Field(max_length=12)
    transaction_id: str | None = Field(default=None, max_length=40, unique=True)
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    failure_reason: str | None = Field(default=None, max_length=200)
    card_brand: str | None = Field(default=None, max_length=16)
    card_last4: str | None = Field(default=None, max_length=4)
    upi_vpa: str | None = Field(default=None, max_length=100)
    bank: str | None = Field(default=None, max_length=60)
    wallet: str | None = Field(default=None, max_length=30)
    # A fee taken at the front desk: how ("cash", "card" or "upi" at the counter).
    counter_method: str | None = Field(default=None, max_length=8)
    # A refund row: the idempotency key of the charge it gives back.
    refund_of_key: str | None = Field(default=None, max_length=64)
    # When the gateway's final word on this row was recorded (a refund: acknowledged).
    settled_at: datetime | None = Field(default=None, sa_column=_instant())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False, index=True))
    actor_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    actor_role: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=40, index=True)
    appointment_id: str | None = Field(default=None, foreign_key="appointments.id", index=True)
    entity: str | None = Field(default=None, max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    reason: str | None = Field(default=None, max_length=500)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


__all__ = [
    "Appointment",
    "AppointmentStatus",
    "AuditEvent",
    "City",
    "DownloadGrant",
    "Notification",
    "NotificationPreference",
    "PendingNews",
    "PasswordLink",
    "Doctor",
    "DoctorSchedule",
    "Hospital",
    "LoginAttempt",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Role",
    "SLOT_TAKING_STATUSES",
    "TimeOff",
    "User",
    "UserSession",
]


class VisitType(StrEnum):
    CONSULTATION = "consultation"
    FOLLOW_UP = "follow_up"
    EMERGENCY = "emergency"


class Treatment(SQLModel, table=True):
    """The doctor's record of one visit: at most one per appointment."""

    __tablename__ = "treatments"
    __table_args__ = (Index("ix_treatments_patient_created", "patient_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: str = Field(foreign_key="appointments.id", unique=True, max_length=36)
    doctor_id: int = Field(foreign_key="doctors.id", index=True)
    patient_id: int = Field(foreign_key="users.id")
    visit_type: str = Field(default=VisitType.CONSULTATION, max_length=16)
    diagnosis: str = Field(max_length=1000)
    notes: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))


class PrescriptionItem(SQLModel, table=True):
    """One medicine line of a treatment's prescription, in the doctor's order."""

    __tablename__ = "prescription_items"
    __table_args__ = (
        UniqueConstraint("treatment_id", "position", name="uq_prescription_items_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    treatment_id: int = Field(foreign_key="treatments.id", index=True)
    position: int = Field(ge=0)
    medicine: str = Field(max_length=120)
    dose: str = Field(default="", max_length=60)
    frequency: str = Field(default="", max_length=60)
    duration: str = Field(default="", max_length=60)


__all__ += ["PrescriptionItem", "Treatment", "VisitType"]
__all__ += ["ApiKey", "ApiRateWindow", "ApiToken", "ApiTokenKind", "IdempotencyKey"]
__all__ += ["AppointmentTally", "WebhookAttempt", "WebhookEndpoint"]
__all__ += ["DoctorRating", "Review"]
__all__ += ["FeeChangeRequest", "FeeRequestStatus"]
__all__ += ["Dependant", "Relation"]
__all__ += ["FreedSlot", "SlotOffer", "WaitlistEntry"]
__all__ += ["QueueEntry", "QueueStage", "StaffHospital"]
