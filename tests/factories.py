"""Small, explicit test data builders (no seed data). Each returns the saved row.

Defaults make every call valid on its own; pass ``commit=False`` when adding many rows and
commit once at the end.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    PaymentStatus,
    Role,
    TimeOff,
    User,
)
from healthcareplus.domain.catalog.specializations import DEPARTMENTS, GENERAL_PHYSICIAN
from healthcareplus.domain.scheduling import tallies

IST = ZoneInfo("Asia/Kolkata")
# Not a real bcrypt hash: factories never need a usable password (and bcrypt is slow).
FAKE_PASSWORD_HASH = "$2b$12$" + "x" * 53

# (weekday, start "HH:MM", end "HH:MM", slot minutes); Monday = 0.
Block = tuple[int, str, str, int]
WEEKDAYS_MORNING: tuple[Block, ...] = tuple((d, "09:00", "13:00", 15) for d in range(5))
WEEKDAYS_WITH_BREAK: tuple[Block, ...] = tuple(
    b for d in range(5) for b in ((d, "09:00", "13:00", 15), (d, "14:00", "18:00", 15))
)

_seq = itertools.count(1)


def _save(session: Session, row: object, commit: bool) -> None:
    session.add(row)
    if commit:
        session.commit()
    else:
        session.flush()


def local(day: date, hhmm: str, zone: ZoneInfo = IST, fold: int = 0) -> datetime:
    """A clinic-local wall-clock time as an aware UTC instant."""
    wall = datetime.combine(day, time.fromisoformat(hhmm)).replace(tzinfo=zone, fold=fold)
    return wall.astimezone(UTC)


def create_city(
    session: Session, *, name: str | None = None, state: str = "Karnataka", commit: bool = True
) -> City:
    city = City(name=name or f"City {next(_seq)}", state=state)
    _save(session, city, commit)
    return city


def create_hospital(
    session: Session,
    *,
    city: City | None = None,
    name: str | None = None,
    address: str = "1 MG Road",
    phone: str = "080-1234567",
    specialties: Sequence[str] = (GENERAL_PHYSICIAN,),
    commit: bool = True,
) -> Hospital:
    city = city or create_city(session, commit=commit)
    hospital = Hospital(
        city_id=city.id,
        name=name or f"Hospital {next(_seq)}",
        address=address,
        phone=phone,
        specialties=list(specialties),
    )
    _save(session, hospital, commit)
    return hospital


def add_schedule(
    session: Session, doctor: Doctor, blocks: Iterable[Block], *, commit: bool = True
) -> list[DoctorSchedule]:
    rows = [
        DoctorSchedule(
            doctor_id=doctor.id,
            weekday=weekday,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            slot_minutes=minutes,
        )
        for weekday, start, end, minutes in blocks
    ]
    session.add_all(rows)
    if commit:
        session.commit()
    else:
        session.flush()
    return rows


def create_doctor(
    session: Session,
    *,
    hospital: Hospital | None = None,
    name: str | None = None,
    specialization: str = GENERAL_PHYSICIAN,
    department: str | None = None,
    qualification: str = "MBBS, MD",
    experience_years: int = 10,
    fee_paise: int = 50_000,
    gender: str = "Male",
    languages: Sequence[str] = ("English", "Hindi"),
    is_active: bool = True,
    schedule: Iterable[Block] = WEEKDAYS_MORNING,
    about: str = "",
    commit: bool = True,
) -> Doctor:
    """A doctor with a weekly schedule (default: Monday–Friday 09:00–13:00, 15 min)."""
    hospital = hospital or create_hospital(session, commit=commit)
    n = next(_seq)
    doctor = Doctor(
        name=name or f"Dr. Test Doctor {n}",
        specialization=specialization,
        department=department or DEPARTMENTS.get(specialization, "General Medicine"),
        qualification=qualification,
        experience_years=experience_years,
        fee_paise=fee_paise,
        gender=gender,
        languages=list(languages),
        hospital_id=hospital.id,
        email=f"doctor{n}@example.com",
        phone="98450 00000",
        about=about,
        is_active=is_active,
    )
    _save(session, doctor, commit)
    add_schedule(session, doctor, schedule, commit=commit)
    return doctor


def create_patient(
    session: Session,
    *,
    name: str | None = None,
    email: str | None = None,
    commit: bool = True,
) -> User:
    n = next(_seq)
    user = User(
        role=Role.PATIENT,
        name=name or f"Patient {n}",
        email=email or f"patient{n}@example.com",
        phone="98450 11111",
        password_hash=FAKE_PASSWORD_HASH,
    )
    _save(session, user, commit)
    return user


def create_appointment(
    session: Session,
    *,
    doctor: Doctor,
    start_at: datetime,
    patient: User | None = None,
    minutes: int = 15,
    status: str = AppointmentStatus.CONFIRMED,
    hold_expires_at: datetime | None = None,
    payment_status: str = PaymentStatus.PENDING,
    booked_at: datetime | None = None,
    reason: str = "Check-up",
    commit: bool = True,
) -> Appointment:
    patient = patient or create_patient(session, commit=commit)
    appointment = Appointment(
        patient_id=patient.id,
        doctor_id=doctor.id,
        hospital_id=doctor.hospital_id,
        start_at=start_at,
        end_at=start_at + timedelta(minutes=minutes),
        reason=reason,
        status=status,
        payment_status=payment_status,
        fee_paise=doctor.fee_paise,
        hold_expires_at=hold_expires_at,
        booked_at=booked_at or start_at - timedelta(days=1),
    )
    tallies.count_change(session, None, tallies.Counted.of(appointment))
    _save(session, appointment, commit)
    return appointment


def create_lapsed_hold(session: Session, *, now: datetime) -> Appointment:
    """An unpaid booking three days ahead whose hold lapsed a minute before ``now``: what
    the background sweep marks expired."""
    return create_appointment(
        session,
        doctor=create_doctor(session),
        start_at=now + timedelta(days=3),
        status="pending_payment",
        hold_expires_at=now - timedelta(minutes=1),
    )


def create_time_off(
    session: Session,
    *,
    doctor: Doctor,
    start_at: datetime,
    end_at: datetime,
    reason: str = "Leave",
    commit: bool = True,
) -> TimeOff:
    row = TimeOff(doctor_id=doctor.id, start_at=start_at, end_at=end_at, reason=reason)
    _save(session, row, commit)
    return row


def create_user(
    session: Session,
    *,
    role: str = Role.ADMIN,
    name: str | None = None,
    commit: bool = True,
) -> User:
    """A user of any role (default: an admin)."""
    n = next(_seq)
    user = User(
        role=role,
        name=name or f"{str(role).title()} {n}",
        email=f"{role}{n}@example.com",
        password_hash=FAKE_PASSWORD_HASH,
    )
    _save(session, user, commit)
    return user


def link_doctor_user(session: Session, doctor: Doctor, *, commit: bool = True) -> User:
    """A doctor-role login account linked to ``doctor``."""
    user = create_user(session, role=Role.DOCTOR, name=doctor.name, commit=commit)
    doctor.user_id = user.id
    _save(session, doctor, commit)
    return user


def settle_payment(
    session: Session,
    appointment: Appointment,
    *,
    method: str = "upi",
    status: str = PaymentStatus.SUCCESS,
    transaction_id: str | None = None,
    paid_at: datetime | None = None,
    commit: bool = True,
) -> None:
    """Give ``appointment`` a payment in ``status`` by ``method`` and its payment row.

    ``Success``/``Refunded`` get a transaction id (generated unless given); ``Refunded``
    also adds the refund row, as the ledger would."""
    from healthcareplus.core.models import Payment  # local: helpers are only appended here

    n = next(_seq)
    paid = status in (PaymentStatus.SUCCESS, PaymentStatus.REFUNDED)
    txn = transaction_id or (f"HCP-20260101-T{n:05d}" if paid else None)
    was = tallies.Counted.of(appointment)
    appointment.payment_method, appointment.payment_status = method, status
    tallies.count_change(session, was, tallies.Counted.of(appointment))
    appointment.transaction_id = txn
    appointment.paid_at = (paid_at or appointment.booked_at) if paid else None
    row = Payment(
        appointment_id=appointment.id,
        method=method,
        amount_paise=appointment.fee_paise,
        status=PaymentStatus.SUCCESS if paid else status,
        transaction_id=txn,
        idempotency_key=f"{appointment.id}:1",
        created_at=appointment.booked_at,
    )
    session.add_all([appointment, row])
    if status == PaymentStatus.REFUNDED:
        session.add(
            Payment(
                appointment_id=appointment.id,
                method=method,
                amount_paise=appointment.fee_paise,
                status=PaymentStatus.REFUNDED,
                idempotency_key=f"{appointment.id}:refund",
                created_at=appointment.booked_at,
            )
        )
    if commit:
        session.commit()
    else:
        session.flush()


def create_booking(
    session: Session,
    *,
    doctor: Doctor,
    start_at: datetime,
    now: datetime,
    patient: User | None = None,
    method: str | None = "upi",
    reason: str = "Fever and headache",
) -> Appointment:
    """A booking made through the booking and payment services as at ``now``.

    ``method=None`` leaves it held (pending payment); ``"upi"`` pays it (the deterministic
    gateway approves); ``"pay_at_clinic"`` confirms it with the payment still Pending.
    ``now`` may lie in the past, which is how tests get past appointments.
    """
    from healthcareplus.domain.booking.appointments import book
    from healthcareplus.domain.payments.checkout import pay
    from tests.gateways import ScriptedGateway

    patient = patient or create_patient(session)
    appointment = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=start_at,
        reason=reason,
        now=now,
    )
    if method is not None:
        pay(
            session,
            appointment_id=appointment.id,
            patient_id=patient.id,
            method=method,
            form={"upi_vpa": "asha@okaxis"} if method == "upi" else {},
            gateway=ScriptedGateway([True]),
            now=now,
        )
    session.commit()  # the factory is the unit of work
    found = session.get(Appointment, appointment.id, populate_existing=True)
    assert found is not None
    return found


from healthcareplus.core.models import Payment  # noqa: E402 (helpers are only appended here)


def add_payment(
    session: Session,
    *,
    appointment: Appointment,
    status: str,
    amount_paise: int | None = None,
    method: str = "upi",
    transaction_id: str | None = None,
    created_at: datetime | None = None,
    commit: bool = True,
) -> Payment:
    """One payment row (attempt, success or refund) of ``appointment``."""
    row = Payment(
        appointment_id=appointment.id,
        method=method,
        amount_paise=appointment.fee_paise if amount_paise is None else amount_paise,
        status=status,
        transaction_id=transaction_id,
        idempotency_key=f"{appointment.id}:{next(_seq)}",
        created_at=created_at or appointment.booked_at,
    )
    _save(session, row, commit)
    return row


def bulk_appointments(
    session: Session,
    *,
    doctor: Doctor,
    patient: User,
    count: int,
    first_start: datetime,
    step_minutes: int = 15,
    status: str = AppointmentStatus.COMPLETED,
    payment_status: str = PaymentStatus.SUCCESS,
    batch_size: int = 10_000,
) -> int:
    """``count`` appointments of one doctor, ``step_minutes`` apart, inserted in bulk
    (a Core insert: tens of thousands of rows in a second or two). Commits."""
    from sqlalchemy import insert

    table = Appointment.__table__
    done = 0
    while done < count:
        rows = []
        for n in range(done, min(done + batch_size, count)):
            start = first_start + timedelta(minutes=step_minutes * n)
            rows.append(
                {
                    "id": f"{n:08d}-0000-4000-8000-{doctor.id:012d}",
                    "patient_id": patient.id,
                    "doctor_id": doctor.id,
                    "hospital_id": doctor.hospital_id,
                    "start_at": start,
                    "end_at": start + timedelta(minutes=step_minutes),
                    "reason": "Routine check-up",
                    "status": status,
                    "payment_status": payment_status,
                    "payment_method": "upi",
                    "fee_paise": doctor.fee_paise,
                    "transaction_id": f"HCP-BULK-{doctor.id}-{n:08d}",
                    "booked_at": start - timedelta(days=2),
                }
            )
        session.execute(insert(table), rows)
        for row in rows:
            tallies.count_new(session, row)
        done += len(rows)
    session.commit()
    return done


def create_desk_user(
    session: Session, *, hospitals: Iterable[Hospital], name: str | None = None, commit: bool = True
) -> User:
    """A front-desk user serving ``hospitals`` (one ``StaffHospital`` row each)."""
    from healthcareplus.core.models import StaffHospital

    user = create_user(session, role=Role.FRONT_DESK, name=name, commit=commit)
    session.add_all(StaffHospital(user_id=user.id, hospital_id=h.id) for h in hospitals)
    if commit:
        session.commit()
    else:
        session.flush()
    return user
