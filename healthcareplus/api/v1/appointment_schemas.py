"""Request and response bodies of a patient's appointments: booking, cancelling,
rescheduling, the lists and one appointment's details (paying: ``payment_schemas``).

Request bodies carry the fields as typed; what makes them valid (a reason's length, a
card number, a slot that is free) is the domain's to say, with the website's words.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from healthcareplus.api.v1.doctor_portal_schemas import TreatmentOut
from healthcareplus.api.v1.problems import API_PREFIX
from healthcareplus.domain.booking.views import AppointmentView, Tab
from healthcareplus.domain.clinical.records import TreatmentRecord

TEXT_MAX = 2000  # what a request may carry; the domain's own limits are tighter
_ID = "0b7f9a52-5d1e-4c3e-9d61-3f0c2a7e8b14"


def appointment_path(appointment_id: str) -> str:
    return f"{API_PREFIX}/appointments/{appointment_id}"


class BookingIn(BaseModel):
    """Hold a free slot: the doctor, the slot's start (from ``/doctors/{id}/slots``) and
    why you are coming."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"doctor_id": 7, "start_at": "2026-12-01T04:30:00Z", "reason": "Fever for 3 days"}
            ]
        },
    )

    doctor_id: int = Field(ge=1, le=2**31 - 1)
    start_at: AwareDatetime = Field(description="The slot's start, an instant with its offset")
    reason: str = Field(max_length=TEXT_MAX, description="3 to 500 characters")
    dependant_id: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="One of your family members the visit is for (`/me/family`); leave it "
        "out for yourself. You stay the booking's contact and payer.",
    )


class RescheduleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"start_at": "2026-12-02T05:00:00Z"}]}
    )

    start_at: AwareDatetime = Field(description="A free slot of the same doctor")


class CancellationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Feeling better"}]}
    )

    reason: str | None = Field(
        default=None, max_length=TEXT_MAX, description="Optional for patients (500 at most)"
    )


class VisitDoctor(BaseModel):
    id: int
    name: str
    specialization: str


class VisitPlace(BaseModel):
    hospital_id: int
    hospital: str
    address: str
    city: str


class VisitPayment(BaseModel):
    status: str = Field(description="Pending, Processing, Success, Failed or Refunded")
    label: str = Field(
        description=(
            "What to show: Paid, Refunded, Not charged (a visit cancelled, missed or expired "
            "unpaid), Pay at the clinic, Due at the clinic, Processing, Payment failed or "
            "Awaiting payment"
        )
    )
    method: str | None = Field(description="upi, card, netbanking, wallet or pay_at_clinic")
    method_label: str
    transaction_id: str | None
    paid_at: dt.datetime | None


class VisitRefund(BaseModel):
    """The payment is refunded to the instrument that paid."""

    amount_paise: int
    amount_label: str
    message: str

    @classmethod
    def of(cls, view: AppointmentView) -> VisitRefund | None:
        if not view.refunded:
            return None
        return cls(
            amount_paise=view.fee_paise,
            amount_label=view.fee_label,
            message=f"Your payment of {view.fee_label} will be refunded.",
        )


class VisitActions(BaseModel):
    """What you may do with it now."""

    can_pay: bool
    can_cancel: bool
    can_reschedule: bool


EXAMPLE: dict[str, JsonValue] = {
    "id": _ID,
    "status": "confirmed",
    "time_status": "upcoming",
    "start_at": "2026-12-01T04:30:00Z",
    "end_at": "2026-12-01T04:45:00Z",
    "date_label": "Tue, 1 Dec 2026",
    "time_label": "10:00 AM",
    "reason": "Fever for 3 days",
    "doctor": {"id": 7, "name": "Dr. Kavya Menon", "specialization": "Cardiologist"},
    "place": {
        "hospital_id": 2,
        "hospital": "Sunrise Hospital",
        "address": "12 MG Road",
        "city": "Bengaluru",
    },
    "fee_paise": 80000,
    "fee_label": "₹800",
    "booked_at": "2026-11-28T09:12:00Z",
    "hold_expires_at": None,
    "payment": {
        "status": "Success",
        "label": "Paid",
        "method": "upi",
        "method_label": "UPI",
        "transaction_id": "HCP-20261128-7F3K9Q",
        "paid_at": "2026-11-28T09:14:00Z",
    },
    "refund": None,
    "cancel_reason": None,
    "actions": {"can_pay": False, "can_cancel": True, "can_reschedule": True},
}


class MyAppointment(BaseModel):
    """One of your appointments. ``time_status``: upcoming, pending_payment (held until
    ``hold_expires_at``: pay before then), completed, missed, cancelled or expired."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    id: str
    status: str = Field(description="pending_payment, confirmed, completed, no_show, …")
    time_status: str
    start_at: dt.datetime = Field(description="UTC")
    end_at: dt.datetime
    date_label: str = Field(description="Clinic time")
    time_label: str
    reason: str
    doctor: VisitDoctor
    place: VisitPlace
    fee_paise: int
    fee_label: str
    booked_at: dt.datetime
    hold_expires_at: dt.datetime | None
    payment: VisitPayment
    refund: VisitRefund | None
    cancel_reason: str | None
    actions: VisitActions
    for_name: str | None = Field(
        default=None, description="The family member the visit is for; null for yourself"
    )
    for_relation: str | None = Field(default=None, description="Child, Spouse, Parent, …")

    @classmethod
    def fields_of(cls, view: AppointmentView) -> dict[str, object]:
        return {
            "id": view.id,
            "status": view.status,
            "time_status": view.time_status,
            "start_at": view.start_at,
            "end_at": view.end_at,
            "date_label": view.date_label,
            "time_label": view.time_label,
            "reason": view.reason,
            "doctor": VisitDoctor(
                id=view.doctor_id, name=view.doctor_name, specialization=view.specialization
            ),
            "place": VisitPlace(
                hospital_id=view.hospital_id,
                hospital=view.hospital_name,
                address=view.hospital_address,
                city=view.city_name,
            ),
            "fee_paise": view.fee_paise,
            "fee_label": view.fee_label,
            "booked_at": view.booked_at,
            "hold_expires_at": view.hold_expires_at,
            "payment": VisitPayment(
                status=view.payment_status,
                label=view.payment_label,
                method=view.payment_method_code or None,
                method_label=view.payment_method,
                transaction_id=view.transaction_id or None,
                paid_at=view.paid_at,
            ),
            "refund": VisitRefund.of(view),
            "cancel_reason": view.cancel_reason or None,
            "actions": VisitActions(
                can_pay=view.can_pay,
                can_cancel=view.can_cancel,
                can_reschedule=view.can_reschedule,
            ),
            "for_name": view.for_name or None,
            "for_relation": view.for_relation or None,
        }

    @classmethod
    def of(cls, view: AppointmentView) -> MyAppointment:
        return cls.model_validate(cls.fields_of(view))


class MyAppointmentDetail(MyAppointment):
    """One of your appointments with its links and, once the visit is completed, the
    doctor's treatment record (``treatment``; its prescription as a PDF at
    ``prescription_pdf``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **EXAMPLE,
                    "calendar_ics": f"{API_PREFIX}/appointments/{_ID}/calendar.ics",
                    "treatment": None,
                    "prescription_pdf": None,
                }
            ]
        }
    )

    calendar_ics: str
    treatment: TreatmentOut | None
    prescription_pdf: str | None

    @classmethod
    def of_visit(cls, view: AppointmentView, record: TreatmentRecord | None) -> MyAppointmentDetail:
        path = appointment_path(view.id)
        return cls.model_validate(
            {
                **cls.fields_of(view),
                "calendar_ics": f"{path}/calendar.ics",
                "treatment": TreatmentOut.of(record) if record else None,
                "prescription_pdf": f"{path}/prescription.pdf" if record else None,
            }
        )


class MyAppointmentPage(BaseModel):
    """A page of your upcoming (soonest first), past or cancelled (latest first)
    appointments; send ``next_cursor`` back as ``cursor`` (same ``tab``) until it is null."""

    items: list[MyAppointment]
    tab: Tab
    next_cursor: str | None


__all__ = [
    "EXAMPLE",
    "MyAppointmentDetail",
    "MyAppointment",
    "MyAppointmentPage",
    "BookingIn",
    "CancellationIn",
    "RescheduleIn",
    "appointment_path",
]
