"""Demo data: reference data, demo accounts, bulk appointments and the seed CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import get_engine
from healthcareplus.core.migrations import upgrade
from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    City,
    Doctor,
    DoctorSchedule,
    Hospital,
    Payment,
    Role,
    StaffHospital,
    User,
)
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.seed import data as seed_data
from healthcareplus.seed.appointments import seed_appointments
from healthcareplus.seed.demo import DEMO_ACCOUNTS, plan_doctors, seed_reference_data
from healthcareplus.seed.rows import transaction_code

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)
TX_ID = re.compile(r"^HCP-\d{8}-[A-Z0-9]{6}$")


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _bangalore_doctors(session: Session, specialization: str) -> list[Doctor]:
    query = (
        select(Doctor)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(City.name == "Bangalore", Doctor.specialization == specialization)
    )
    return list(session.exec(query).all())


def test_seed_data_covers_every_specialization() -> None:
    specs = set(DEPARTMENTS)
    for table in (
        seed_data.QUALIFICATIONS,
        seed_data.FOCUS_AREAS,
        seed_data.REASONS,
        seed_data.FEE_RANGES,
        seed_data.SPECIALIZATION_WEIGHTS,
    ):
        assert set(table) == specs
    for hospital in seed_data.HOSPITALS:
        assert set(hospital.specialties) <= specs
    assert {h.city for h in seed_data.HOSPITALS} == {name for name, _ in seed_data.CITIES}
    for template in seed_data.SCHEDULE_TEMPLATES:
        assert len(template.days) >= 4


def test_reference_data_counts(session: Session) -> None:
    summary = seed_reference_data(session, now=NOW)

    assert (summary.cities_created, summary.hospitals_created) == (6, 15)
    assert (summary.doctors_created, summary.users_created) == (127, 4)
    assert _count(session, City) == 6
    assert _count(session, Hospital) == 15
    doctors = session.exec(select(Doctor)).all()
    assert len(doctors) == 127
    per_spec = Counter(d.specialization for d in doctors)
    assert set(per_spec) == set(DEPARTMENTS)
    assert min(per_spec.values()) >= 2
    assert len({d.email for d in doctors}) == 127
    assert len(_bangalore_doctors(session, "Cardiologist")) >= 3
    assert len(_bangalore_doctors(session, "Dermatologist")) >= 2

    schedules: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for row in session.exec(select(DoctorSchedule)).all():
        schedules[row.doctor_id].append(row)
    for d in doctors:
        assert d.name.startswith("Dr. ")
        assert re.fullmatch(r"[a-z]+\.[a-z]+\d+@healthcareplus\.in", d.email)
        assert d.department == DEPARTMENTS[d.specialization]
        assert 2 <= d.experience_years <= 35
        assert 300_00 <= d.fee_paise <= 2500_00 and d.fee_paise % 50_00 == 0
        assert d.gender in ("Male", "Female") and d.languages and d.about and d.is_active
        hospital = session.get(Hospital, d.hospital_id)
        assert hospital is not None and d.specialization in hospital.specialties
        rows = schedules[d.id]
        assert len({r.weekday for r in rows}) >= 4
        assert all(r.start_time < r.end_time for r in rows)
    sunday = sum(any(r.weekday == 6 for r in rows) for rows in schedules.values())
    assert sunday < len(doctors) / 4
    assert len({len(rows) for rows in schedules.values()}) > 2  # schedules vary


def test_reference_data_is_idempotent(session: Session) -> None:
    seed_reference_data(session, now=NOW)
    again = seed_reference_data(session, now=NOW)

    assert again.created_total == 0
    assert (again.cities_existing, again.hospitals_existing) == (6, 15)
    assert (again.doctors_existing, again.users_existing) == (127, 4)
    assert _count(session, Doctor) == 127
    assert _count(session, User) == 4
    assert _count(session, DoctorSchedule) > 127 * 4


def test_demo_accounts_log_in_and_doctor_is_linked(session: Session) -> None:
    seed_reference_data(session, now=NOW)

    for role, email, password in DEMO_ACCOUNTS:
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.role == role
        assert verify_password(password, user.password_hash)
        assert not verify_password(password + "x", user.password_hash)
    patient = session.exec(select(User).where(User.role == Role.PATIENT)).one()
    assert (patient.name, patient.phone) == ("Aarav Sharma", "+91 98450 12345")
    assert patient.date_of_birth and patient.blood_group and patient.allergies

    doctor_user = session.exec(select(User).where(User.role == Role.DOCTOR)).one()
    linked = session.exec(select(Doctor).where(Doctor.user_id == doctor_user.id)).one()
    desk = session.exec(select(User).where(User.role == Role.FRONT_DESK)).one()
    serves = session.exec(select(StaffHospital.hospital_id).where(StaffHospital.user_id == desk.id))
    assert serves.all() == [linked.hospital_id]  # the demo desk works at the demo doctor's
    first_bangalore = session.exec(
        select(Hospital).where(Hospital.name == seed_data.HOSPITALS[0].name)
    ).one()
    first_cardiologist = session.exec(
        select(Doctor)
        .where(Doctor.hospital_id == first_bangalore.id, Doctor.specialization == "Cardiologist")
        .order_by(col(Doctor.id))
    ).first()
    assert linked == first_cardiologist
    assert doctor_user.name == linked.name


def test_reference_data_is_deterministic(session: Session, tmp_path: Path) -> None:
    assert plan_doctors() == plan_doctors()
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other_url)
    seed_reference_data(session, now=NOW)
    with Session(get_engine(other_url)) as other:
        seed_reference_data(other, now=NOW)
        theirs = other.exec(select(Doctor.name, Doctor.email).order_by(col(Doctor.id))).all()
    ours = session.exec(select(Doctor.name, Doctor.email).order_by(col(Doctor.id))).all()
    assert ours == theirs


def _minutes(value: datetime | timedelta) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds()) // 60
    return value.hour * 60 + value.minute


def _assert_valid_appointments(session: Session, now: datetime) -> list[Appointment]:
    zone = get_settings().clinic_zone
    doctors = {d.id: d for d in session.exec(select(Doctor)).all()}
    schedules: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for row in session.exec(select(DoctorSchedule)).all():
        schedules[row.doctor_id].append(row)
    appointments = list(session.exec(select(Appointment)).all())

    taking = [(a.doctor_id, a.start_at) for a in appointments if a.status in SLOT_TAKING_STATUSES]
    assert len(taking) == len(set(taking))
    for a in appointments:
        local = a.start_at.astimezone(zone)
        assert local.second == 0 and local.microsecond == 0
        start, length = _minutes(local), _minutes(a.end_at - a.start_at)
        assert any(
            s.weekday == local.weekday()
            and s.slot_minutes == length
            and _minutes(s.start_time) <= start
            and start + length <= _minutes(s.end_time)
            and (start - _minutes(s.start_time)) % length == 0
            for s in schedules[a.doctor_id]
        ), (a.doctor_id, local)
        assert now - timedelta(days=365) <= a.start_at < now + timedelta(days=30)
        doctor = doctors[a.doctor_id]
        assert (a.hospital_id, a.fee_paise) == (doctor.hospital_id, doctor.fee_paise)
        assert a.booked_at < a.start_at and a.booked_at <= now and a.reason
        if a.payment_status == "Success":
            assert a.transaction_id and TX_ID.match(a.transaction_id) and a.paid_at
        if a.status == "pending_payment":
            assert a.hold_expires_at and a.hold_expires_at > now
        if a.status in ("completed", "no_show"):
            assert a.end_at <= now
        if a.status == "confirmed" and a.payment_method == "pay_at_clinic":
            assert a.payment_status == "Pending"
        if a.payment_status == "Refunded":
            assert a.status == "cancelled" and a.refunded_at and a.transaction_id
    return appointments


def test_seed_appointments_fill_valid_free_slots(session: Session) -> None:
    seed_reference_data(session, now=NOW)

    assert seed_appointments(session, count=2000, now=NOW, batch_size=700) == 2000

    appointments = _assert_valid_appointments(session, NOW)
    assert len(appointments) == 2000
    assert {a.status for a in appointments} == {
        "pending_payment",
        "confirmed",
        "completed",
        "no_show",
        "cancelled",
        "expired",
    }
    assert {a.payment_method for a in appointments} >= {
        "upi",
        "card",
        "netbanking",
        "wallet",
        "pay_at_clinic",
    }
    paid = [a.transaction_id for a in appointments if a.transaction_id]
    assert len(paid) == len(set(paid)) > 1000
    payments = session.exec(select(Payment)).all()
    successes = {p.transaction_id: p for p in payments if p.status == "Success"}
    assert set(successes) == set(paid)
    for p in payments:
        if p.method == "card":
            assert p.card_brand and p.card_last4 and len(p.card_last4) == 4
    patients = session.exec(select(User).where(col(User.email).like("patient%@example.in")))
    assert len(patients.all()) == 2000 // 20 + 50


def test_seed_appointments_twice_adds_more_without_conflicts(session: Session, db_url: str) -> None:
    seed_reference_data(session, now=NOW)
    seed_appointments(session, count=1500, now=NOW)

    assert seed_appointments(get_engine(db_url), count=1500, now=NOW) == 1500

    appointments = _assert_valid_appointments(session, NOW)
    assert len(appointments) == 3000
    assert _count(session, User) == 4 + 1500 // 20 + 50  # the patient pool is reused
    ids = session.exec(
        select(Payment.transaction_id).where(col(Payment.transaction_id).is_not(None))
    ).all()
    assert len(ids) == len(set(ids))


def test_transaction_codes_do_not_repeat() -> None:
    codes = [transaction_code(n) for n in range(200_000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]{6}", c) for c in codes[:100])


def _run_cli(db_url: str, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLEX_DB_URL": db_url, **env_vars}
    return subprocess.run(
        [sys.executable, "-m", "healthcareplus", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_seed_if_empty_prints_demo_accounts(db_url: str) -> None:
    first = _run_cli(db_url, "seed", "--if-empty")
    assert first.returncode == 0, first.stderr
    for _role, email, password in DEMO_ACCOUNTS:
        assert email in first.stdout and password in first.stdout
    assert "development only" in first.stdout.lower()

    second = _run_cli(db_url, "seed", "--if-empty", "--appointments", "300")
    assert second.returncode == 0, second.stderr
    assert "already has data" in second.stdout
    assert "Added 300 appointments" in second.stdout
    with Session(get_engine(db_url)) as session:
        assert _count(session, Doctor) == 127
        assert _count(session, Appointment) == 300


def test_cli_migrate_then_seed_refused_in_production(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrated = _run_cli(url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    with Session(get_engine(url)) as session:
        assert _count(session, City) == 0

    refused = _run_cli(url, "seed", HCP_ENV="production")
    assert refused.returncode == 2
    assert "production" in refused.stdout
    with Session(get_engine(url)) as session:
        assert _count(session, User) == 0


def test_cli_does_not_import_reflex() -> None:
    code = (
        "import sys, healthcareplus.cli, healthcareplus.seed.demo; print('reflex' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.postgres
def test_seed_on_postgres(pg_url: str) -> None:
    with Session(get_engine(pg_url)) as session:
        seed_reference_data(session, now=NOW)
        assert seed_appointments(session, count=500, now=NOW) == 500
        assert seed_reference_data(session, now=NOW).created_total == 0
        assert seed_appointments(session, count=500, now=NOW) == 500
        appointments = _assert_valid_appointments(session, NOW)
        assert len(appointments) == 1000
        assert _count(session, Doctor) == 127
