"""A small, fully known clinic for the admin dashboard's tests (services and states).

Two cities, three hospitals, four doctors (one inactive) and twelve appointments in every
status and payment state, around a fixed "now" (Tue 10 Mar 2026, 12:00 in Bangalore):

    #   doctor  day        time   status           payment                  fee
    a1  Anil    today-2    10:00  completed        Success (UPI)            500
    a2  Anil    today-2    10:30  no_show          Success (Card)           500
    a3  Anil    today-1    09:00  cancelled        Refunded (UPI)           500
    a4  Anil    today+1    09:00  confirmed        Success (UPI)            500
    a5  Anil    today+1    09:30  confirmed        Pending (Pay at Clinic)  500
    a6  Anil    today+2    10:00  pending_payment  Pending (live hold)      500
    a7  Anil    today+2    10:30  expired          Pending                  500
    a8  Chitra  today      11:00  confirmed        Success (Net Banking)    600
    a9  Chitra  today-20   09:00  completed        Success (UPI)            600
    a10 Dinesh  today+3    09:00  confirmed        Pending (Pay at Clinic)  1000
    a11 Dinesh  today-1    09:00  cancelled        Pending                  1000
    a12 Bela    today-5    09:00  completed        Success (Wallet)         800

Anil and Bela (inactive) work at Sunrise (Bangalore), Chitra at Lakeside (Bangalore),
Dinesh at Harbour (Mumbai).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    PaymentStatus,
    User,
)
from tests.factories import (
    create_appointment,
    create_city,
    create_doctor,
    create_hospital,
    create_patient,
    local,
    settle_payment,
)

TODAY = date(2026, 3, 10)
NOW = local(TODAY, "12:00")
S = AppointmentStatus
P = PaymentStatus


@dataclass
class AdminClinic:
    now: datetime
    today: date
    bangalore: City
    mumbai: City
    sunrise: Hospital
    lakeside: Hospital
    harbour: Hospital
    anil: Doctor
    bela: Doctor  # inactive
    chitra: Doctor
    dinesh: Doctor
    patient: User
    appointments: dict[str, Appointment]

    def __getitem__(self, key: str) -> Appointment:
        return self.appointments[key]


def build_admin_clinic(
    session: Session, *, today: date = TODAY, now: datetime | None = None
) -> AdminClinic:
    """The clinic around ``today``; ``now`` (default: 12:00 that day) sets the live hold."""
    now = now or local(today, "12:00")
    bangalore = create_city(session, name="Bangalore")
    mumbai = create_city(session, name="Mumbai", state="Maharashtra")
    sunrise = create_hospital(session, city=bangalore, name="Sunrise Hospital")
    lakeside = create_hospital(session, city=bangalore, name="Lakeside Clinic")
    harbour = create_hospital(session, city=mumbai, name="Harbour Hospital")
    anil = create_doctor(session, hospital=sunrise, name="Dr. Anil Rao", fee_paise=50_000)
    bela = create_doctor(
        session, hospital=sunrise, name="Dr. Bela Shah", fee_paise=80_000, is_active=False
    )
    chitra = create_doctor(session, hospital=lakeside, name="Dr. Chitra Iyer", fee_paise=60_000)
    dinesh = create_doctor(session, hospital=harbour, name="Dr. Dinesh Kumar", fee_paise=100_000)
    patient = create_patient(session, name="Meera Nair", email="meera.nair@example.com")

    plan = [
        # key, doctor, day offset, time, status, payment status, method
        ("a1", anil, -2, "10:00", S.COMPLETED, P.SUCCESS, "upi"),
        ("a2", anil, -2, "10:30", S.NO_SHOW, P.SUCCESS, "card"),
        ("a3", anil, -1, "09:00", S.CANCELLED, P.REFUNDED, "upi"),
        ("a4", anil, 1, "09:00", S.CONFIRMED, P.SUCCESS, "upi"),
        ("a5", anil, 1, "09:30", S.CONFIRMED, P.PENDING, "pay_at_clinic"),
        ("a6", anil, 2, "10:00", S.PENDING_PAYMENT, P.PENDING, None),
        ("a7", anil, 2, "10:30", S.EXPIRED, P.PENDING, None),
        ("a8", chitra, 0, "11:00", S.CONFIRMED, P.SUCCESS, "netbanking"),
        ("a9", chitra, -20, "09:00", S.COMPLETED, P.SUCCESS, "upi"),
        ("a10", dinesh, 3, "09:00", S.CONFIRMED, P.PENDING, "pay_at_clinic"),
        ("a11", dinesh, -1, "09:00", S.CANCELLED, P.PENDING, None),
        ("a12", bela, -5, "09:00", S.COMPLETED, P.SUCCESS, "wallet"),
    ]
    appointments: dict[str, Appointment] = {}
    for n, (key, doctor, offset, hhmm, status, paid, method) in enumerate(plan):
        start = local(today + timedelta(days=offset), hhmm)
        booked = min(start, now) - timedelta(days=3, minutes=n)
        hold = now + timedelta(minutes=5) if key == "a6" else None
        if key == "a7":
            hold = now - timedelta(days=1)
        row = create_appointment(
            session,
            doctor=doctor,
            patient=patient,
            start_at=start,
            minutes=30,
            status=status,
            hold_expires_at=hold,
            booked_at=now - timedelta(minutes=5) if key == "a6" else booked,
            reason=f"Visit {key}",
            commit=False,
        )
        if method is not None:
            settle_payment(session, row, method=method, status=paid, commit=False)
        if status == S.CANCELLED:
            row.cancelled_at, row.cancel_reason = start - timedelta(days=1), "Patient travelling"
        appointments[key] = row
    session.commit()
    return AdminClinic(
        now=now,
        today=today,
        bangalore=bangalore,
        mumbai=mumbai,
        sunrise=sunrise,
        lakeside=lakeside,
        harbour=harbour,
        anil=anil,
        bela=bela,
        chitra=chitra,
        dinesh=dinesh,
        patient=patient,
        appointments=appointments,
    )
