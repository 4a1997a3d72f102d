"""Bodies of the admin's appointments: the dashboard's rows, its statistics (the cards,
the charts and the per-hospital and per-doctor tables) and the actions' answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.roles import PageInfo


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AppointmentOut(_Read):
    """An appointment as the dashboard lists it, with the actions open on it now."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7f9a52-5d1e-4c3e-9d61-3f0c2a7e8b14",
                    "short_id": "0b7f9a52",
                    "patient_id": 42,
                    "patient_name": "Asha Rao",
                    "patient_email": "asha@example.in",
                    "patient_phone": "+91 98450 12345",
                    "doctor_id": 7,
                    "doctor_name": "Dr. Kavya Menon",
                    "specialization": "Cardiologist",
                    "hospital_name": "Sunrise Multispeciality Hospital",
                    "city_name": "Bengaluru",
                    "start_at": "2026-11-30T04:00:00Z",
                    "end_at": "2026-11-30T04:15:00Z",
                    "booked_at": "2026-11-27T12:40:00Z",
                    "date_label": "Mon, 30 Nov 2026",
                    "time_label": "09:30 AM",
                    "booked_label": "Fri, 27 Nov 2026, 06:10 PM",
                    "reason": "Chest pain on climbing stairs",
                    "status": "confirmed",
                    "time_status": "upcoming",
                    "display_status": "upcoming",
                    "payment_status": "Success",
                    "payment_method": "UPI",
                    "fee_paise": 80000,
                    "fee_label": "₹800",
                    "transaction_id": "HCP-20261127-7F3K9Q",
                    "cancel_reason": "",
                    "can_cancel": True,
                    "can_no_show": False,
                    "can_refund": False,
                    "can_mark_paid": False,
                }
            ]
        },
    )

    id: str
    short_id: str
    patient_id: int
    patient_name: str
    patient_email: str
    patient_phone: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    start_at: dt.datetime = Field(description="UTC")
    end_at: dt.datetime
    booked_at: dt.datetime
    date_label: str = Field(description="Clinic date")
    time_label: str = Field(description="Clinic time")
    booked_label: str
    reason: str
    status: str = Field(description="The appointment's status")
    time_status: str = Field(description="upcoming, pending_payment, completed, missed, …")
    display_status: str = Field(description='time_status, or "visit_passed": not yet closed')
    payment_status: str
    payment_method: str = Field(description='A label, e.g. "UPI"; "" when none chosen')
    fee_paise: int
    fee_label: str
    transaction_id: str
    cancel_reason: str
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool


class AppointmentPage(BaseModel):
    items: list[AppointmentOut]
    page: PageInfo


class StatCards(_Read):
    """The dashboard's cards for the filtered appointments (revenue: collected minus
    refunded, in paise)."""

    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int
    revenue_label: str
    doctors: int = Field(description="Doctors in the doctor/hospital/city scope")
    active_doctors: int
    pending_payments: int = Field(description="Live holds and unpaid Pay-at-Clinic visits")
    successful_payments: int
    refunded_payments: int
    collected_paise: int
    refunded_paise: int
    collected_label: str
    refunded_label: str


class DayCountOut(_Read):
    iso: str = Field(description="The clinic day, YYYY-MM-DD")
    label: str
    weekday: str
    total: int
    confirmed: int = Field(description="Confirmed or completed")
    cancelled: int
    no_shows: int
    other: int = Field(description="Awaiting payment or expired")
    is_today: bool


class DailyChartOut(_Read):
    """Bookings per clinic day (by visit date): the filtered range, at most its last 90
    days; without dates, the last 30 days."""

    days: list[DayCountOut]
    first_day: dt.date
    last_day: dt.date
    caption: str
    truncated: bool = Field(description="The filtered range is longer than the chart")
    busiest: int
    total: int


class HospitalBookingsOut(_Read):
    hospital_id: int
    hospital_name: str
    city_name: str
    bookings: int


class HospitalRevenueOut(_Read):
    hospital_id: int
    hospital_name: str
    city_name: str
    collected_paise: int
    refunded_paise: int
    revenue_paise: int
    revenue_label: str


class DoctorBookingsOut(_Read):
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    bookings: int


class MethodCountOut(_Read):
    method: str
    label: str
    count: int
    percent: int = Field(description="Rounded share of the appointments with a method")


class Statistics(BaseModel):
    """Everything the dashboard shows above its table, for the same filters."""

    cards: StatCards
    bookings_per_day: DailyChartOut
    hospital_bookings: list[HospitalBookingsOut] = Field(description="The 15 busiest")
    hospital_revenue: list[HospitalRevenueOut] = Field(description="The 15 highest")
    top_doctors: list[DoctorBookingsOut] = Field(description="The 10 busiest")
    payment_methods: list[MethodCountOut]


class _Figures(_Read):
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int = Field(description="Fees paid (refunded ones excluded)")
    revenue_label: str


class HospitalStatOut(_Figures):
    hospital_id: int
    hospital_name: str
    city_name: str
    doctors: int
    active_doctors: int


class DoctorStatOut(_Figures):
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    is_active: bool


class HospitalStatPage(BaseModel):
    items: list[HospitalStatOut] = Field(description="Busiest first; idle ones last")
    page: PageInfo


class DoctorStatPage(BaseModel):
    items: list[DoctorStatOut] = Field(description="Busiest first; idle ones last")
    page: PageInfo


class ActionReason(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Doctor unavailable; patient informed."}]},
    )

    reason: str = Field(max_length=2000, description="Audited (3 to 500 characters)")


class ActionOut(_Read):
    """What an action did, and the appointment as it now is."""

    action: str = Field(description="The audit action written")
    message: str
    appointment: AppointmentOut


__all__ = [
    "ActionOut",
    "AppointmentOut",
    "AppointmentPage",
    "DailyChartOut",
    "DayCountOut",
    "DoctorBookingsOut",
    "DoctorStatOut",
    "DoctorStatPage",
    "HospitalBookingsOut",
    "HospitalRevenueOut",
    "HospitalStatOut",
    "HospitalStatPage",
    "MethodCountOut",
    "ActionReason",
    "StatCards",
    "Statistics",
]
