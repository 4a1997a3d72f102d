"""Demo data: cities, hospitals, 127 doctors with weekly schedules and three demo accounts.

The doctors come from ``seed_plan`` (deterministic); rows are looked up by natural keys
first (city name, (city, hospital name), doctor email, user email), so seeding twice adds
nothing. Bulk appointments live in ``healthcareplus.seed.appointments``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Required, TypedDict

from sqlmodel import Session, col, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import (
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Role,
    StaffHospital,
    User,
)
from healthcareplus.domain.accounts.passwords import hash_password
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.seed import data
from healthcareplus.seed.appointments import seed_appointments
from healthcareplus.seed.plan import DOCTOR_COUNT, DoctorPlan, plan_doctors

__all__ = [
    "DEMO_ACCOUNTS",
    "DOCTOR_COUNT",
    "DoctorPlan",
    "SeedSummary",
    "plan_doctors",
    "seed_appointments",
    "seed_reference_data",
]

# Development only: well-known passwords, printed by the CLI and listed in the README.
DEMO_ACCOUNTS: list[tuple[Role, str, str]] = [
    (Role.PATIENT, "patient@healthcareplus.in", "Patient@123"),
    (Role.ADMIN, "admin@healthcareplus.in", "Admin@12345"),
    (Role.DOCTOR, "doctor@healthcareplus.in", "Doctor@12345"),
    (Role.FRONT_DESK, "desk@healthcareplus.in", "Desk@12345"),
]


class _DemoProfile(TypedDict, total=False):
    """The User columns a demo account fills in besides role, email and password."""

    name: Required[str]
    phone: str
    date_of_birth: date
    gender: str
    blood_group: str
    allergies: str
    medical_history: str


# The demo doctor's name and phone come from the linked doctor profile.
_DEMO_PROFILES: dict[Role, _DemoProfile] = {
    Role.PATIENT: {
        "name": "Aarav Sharma",
        "phone": "+91 98450 12345",
        "date_of_birth": date(1991, 8, 14),
        "gender": "Male",
        "blood_group": "B+",
        "allergies": "Penicillin",
        "medical_history": "Mild asthma in childhood",
    },
    Role.ADMIN: {"name": "Meera Iyer", "phone": "+91 80 2630 2630"},
    Role.FRONT_DESK: {"name": "Farah Khan", "phone": "+91 80 2630 2631"},
}


@dataclass
class SeedSummary:
    cities_created: int = 0
    cities_existing: int = 0
    hospitals_created: int = 0
    hospitals_existing: int = 0
    doctors_created: int = 0
    doctors_existing: int = 0
    schedules_created: int = 0
    users_created: int = 0
    users_existing: int = 0

    @property
    def created_total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name.endswith("_created"))

    def describe(self) -> str:
        kinds = ("cities", "hospitals", "doctors", "users")
        parts = [
            f"{k}: {getattr(self, f'{k}_created')} created, "
            f"{getattr(self, f'{k}_existing')} existing"
            for k in kinds
        ]
        return "; ".join(parts) + f"; schedule blocks created: {self.schedules_created}"


def _seed_places(session: Session, summary: SeedSummary) -> list[Hospital]:
    cities = {c.name: c for c in session.exec(select(City)).all()}
    for name, state in data.CITIES:
        if name in cities:
            summary.cities_existing += 1
            continue
        cities[name] = City(name=name, state=state)
        session.add(cities[name])
        summary.cities_created += 1
    session.flush()
    existing = {(h.city_id, h.name): h for h in session.exec(select(Hospital)).all()}
    hospitals: list[Hospital] = []
    for seed in data.HOSPITALS:
        city_id = cities[seed.city].id
        assert city_id is not None
        hospital = existing.get((city_id, seed.name))
        if hospital is None:
            hospital = Hospital(
                city_id=city_id,
                name=seed.name,
                address=seed.address,
                phone=seed.phone,
                specialties=list(seed.specialties),
            )
            session.add(hospital)
            summary.hospitals_created += 1
        else:
            summary.hospitals_existing += 1
        hospitals.append(hospital)
    session.flush()
    return hospitals


def _schedule_rows(doctor_id: int, template: data.ScheduleTemplate) -> list[DoctorSchedule]:
    return [
        DoctorSchedule(
            doctor_id=doctor_id,
            weekday=weekday,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            slot_minutes=template.slot_minutes,
        )
        for weekday, blocks in sorted(template.days.items())
        for start, end in blocks
    ]


def _seed_doctors(
    session: Session, hospitals: list[Hospital], summary: SeedSummary
) -> Doctor | None:
    """Create the planned doctors that are missing; return the demo doctor."""
    plans = plan_doctors()
    emails = [p.email for p in plans]
    existing = {
        d.email: d for d in session.exec(select(Doctor).where(col(Doctor.email).in_(emails)))
    }
    demo: Doctor | None = None
    created: list[tuple[Doctor, DoctorPlan]] = []
    for plan in plans:
        doctor = existing.get(plan.email)
        if doctor is None:
            hospital_id = hospitals[plan.hospital].id
            assert hospital_id is not None
            doctor = Doctor(
                name=plan.name,
                specialization=plan.specialization,
                department=DEPARTMENTS[plan.specialization],
                qualification=plan.qualification,
                experience_years=plan.experience_years,
                fee_paise=plan.fee_paise,
                gender=plan.gender,
                languages=list(plan.languages),
                hospital_id=hospital_id,
                email=plan.email,
                phone=plan.phone,
                about=plan.about,
                is_active=True,
            )
            session.add(doctor)
            created.append((doctor, plan))
        else:
            summary.doctors_existing += 1
        if plan.is_demo:
            demo = doctor
    session.flush()
    for doctor, plan in created:
        assert doctor.id is not None
        rows = _schedule_rows(doctor.id, data.SCHEDULE_TEMPLATES[plan.template])
        session.add_all(rows)
        summary.schedules_created += len(rows)
    summary.doctors_created = len(created)
    session.flush()
    return demo


def _seed_demo_users(
    session: Session, demo_doctor: Doctor | None, now: datetime, summary: SeedSummary
) -> None:
    for role, email, password in DEMO_ACCOUNTS:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            profile = _DEMO_PROFILES.get(role)
            if role == Role.DOCTOR and demo_doctor is not None:
                profile = {"name": demo_doctor.name, "phone": demo_doctor.phone}
            if profile is None:
                raise ValueError(f"No demo profile for the {role} account")
            user = User(
                role=role,
                email=email,
                password_hash=hash_password(password),
                created_at=now,
                **profile,
            )
            session.add(user)
            session.flush()
            summary.users_created += 1
        else:
            summary.users_existing += 1
        if role == Role.FRONT_DESK and demo_doctor is not None:  # the demo doctor's hospital
            serves = (user.id, demo_doctor.hospital_id)
            if session.get(StaffHospital, serves) is None:
                session.add(
                    StaffHospital(user_id=user.id or 0, hospital_id=demo_doctor.hospital_id)
                )
        if role == Role.DOCTOR and demo_doctor is not None and demo_doctor.user_id is None:
            linked = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
            if linked is None:
                demo_doctor.user_id = user.id
                session.add(demo_doctor)
    session.flush()


def seed_reference_data(session: Session, *, now: datetime | None = None) -> SeedSummary:
    """Create whatever is missing of the reference data and commit."""
    now = now or utcnow()
    summary = SeedSummary()
    hospitals = _seed_places(session, summary)
    demo_doctor = _seed_doctors(session, hospitals, summary)
    _seed_demo_users(session, demo_doctor, now, summary)
    session.commit()
    return summary
