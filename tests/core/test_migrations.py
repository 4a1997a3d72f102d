from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

import healthcareplus.core.models  # noqa: F401  (registers every table on SQLModel.metadata)
from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.migrations import ROOT, alembic_config, upgrade
from healthcareplus.core.models import Appointment, AppointmentStatus
from tests.factories import create_appointment, create_doctor, create_patient

START = datetime(2030, 3, 4, 4, 0, tzinfo=UTC)  # 09:30 in the clinic
TABLES = {
    "api_keys",
    "api_rate_windows",
    "api_tokens",
    "appointment_tallies",
    "appointments",
    "audit_events",
    "cities",
    "dependants",
    "doctor_ratings",
    "doctor_schedules",
    "download_grants",
    "fee_change_requests",
    "doctors",
    "hospitals",
    "idempotency_keys",
    "login_attempts",
    "notifications",
    "pending_news",
    "notification_preferences",
    "password_links",
    "payments",
    "queue_entries",
    "staff_hospitals",
    "prescription_items",
    "reviews",
    "sessions",
    "time_off",
    "treatments",
    "users",
    "webhook_attempts",
    "webhook_endpoints",
    "waitlist_entries",
    "freed_slots",
    "slot_offers",
}
NAMED_INDEXES = {
    "appointments": {
        "ix_appointments_doctor_start": (["doctor_id", "start_at"], False),
        "ix_appointments_patient_start": (["patient_id", "start_at"], False),
        "ix_appointments_dependant_start": (["dependant_id", "start_at"], False),
        "ix_appointments_status_start": (["status", "start_at"], False),
        "uq_appointments_taken_slot": (["doctor_id", "start_at"], True),
        "uq_appointments_review_key": (["id", "status", "patient_id", "doctor_id"], True),
    },
    "doctor_ratings": {"ix_doctor_ratings_rank": (["rank"], False)},
    "slot_offers": {
        "uq_slot_offers_open_slot": (["doctor_id", "start_at"], True),
        "uq_slot_offers_open_entry": (["entry_id"], True),
        "uq_slot_offers_open_patient": (["patient_id"], True),
    },
    "waitlist_entries": {"ix_waitlist_entries_doctor_active": (["doctor_id", "joined_at"], False)},
    "doctors": {
        "ix_doctors_hospital_specialization": (["hospital_id", "specialization"], False),
    },
}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(url: str) -> str | None:
    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def table_names(url: str) -> set[str]:
    with get_engine(url).connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def schema_differences(url: str) -> list:
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> Iterator[str]:
    """A new, empty SQLite database file (not migrated)."""
    path = tmp_path / "empty.db"
    path.touch()
    yield f"sqlite:///{path}"
    dispose_engines()


# --- upgrade -------------------------------------------------------------------------------


def test_upgrade_head_on_an_empty_sqlite_file(empty_sqlite: str) -> None:
    assert table_names(empty_sqlite) == set()
    upgrade(empty_sqlite)
    assert table_names(empty_sqlite) == TABLES | {"alembic_version"}
    assert current_revision(empty_sqlite) == head_revision()
    upgrade(empty_sqlite)  # a second run is a no-op
    assert current_revision(empty_sqlite) == head_revision()


@pytest.mark.postgres
def test_upgrade_head_on_an_empty_postgres_database(pg_url: str) -> None:
    # The fixture created an empty database and ran healthcareplus.core.migrations.upgrade on it.
    assert table_names(pg_url) == TABLES | {"alembic_version"}
    assert current_revision(pg_url) == head_revision()
    upgrade(pg_url)
    assert current_revision(pg_url) == head_revision()


def test_alembic_cli_upgrade_head(tmp_path: Path) -> None:
    path = tmp_path / "cli.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HCP_", "REFLEX_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HCP_ENV"] = "test"
    env["REFLEX_DB_URL"] = f"sqlite:///{path}"
    alembic = Path(sys.executable).parent / "alembic"
    result = subprocess.run(
        [str(alembic), "upgrade", "head"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    url = f"sqlite:///{path}"
    try:
        assert table_names(url) == TABLES | {"alembic_version"}
        assert current_revision(url) == head_revision()
        assert schema_differences(url) == []
    finally:
        dispose_engines()


# --- the migrations match the models -------------------------------------------------------


def test_sqlite_schema_matches_the_models(db_url: str) -> None:
    assert schema_differences(db_url) == []


@pytest.mark.postgres
def test_postgres_schema_matches_the_models(pg_url: str) -> None:
    assert schema_differences(pg_url) == []


def test_comparison_would_notice_a_missing_index(empty_sqlite: str) -> None:
    """Guard against a vacuous comparison: a dropped index must show up as a difference."""
    upgrade(empty_sqlite)
    with get_engine(empty_sqlite).begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_appointments_status_start"))
    differences = schema_differences(empty_sqlite)
    assert [(d[0], d[1].name) for d in differences] == [
        ("add_index", "ix_appointments_status_start")
    ]


def _check_named_indexes(url: str) -> None:
    with get_engine(url).connect() as conn:
        inspector = sa.inspect(conn)
        for table, expected in NAMED_INDEXES.items():
            found = {ix["name"]: ix for ix in inspector.get_indexes(table)}
            for name, (columns, unique) in expected.items():
                assert name in found, f"{table}.{name} missing"
                assert found[name]["column_names"] == columns
                assert bool(found[name]["unique"]) is unique


def test_named_indexes_exist_on_sqlite(db_url: str) -> None:
    _check_named_indexes(db_url)
    with get_engine(db_url).connect() as conn:
        sql = conn.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE name = 'uq_appointments_taken_slot'")
        ).scalar_one()
    assert "WHERE status IN ('pending_payment', 'confirmed', 'completed', 'no_show')" in sql


@pytest.mark.postgres
def test_named_indexes_exist_on_postgres(pg_url: str) -> None:
    _check_named_indexes(pg_url)
    with get_engine(pg_url).connect() as conn:
        definition = conn.execute(
            sa.text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_appointments_taken_slot'"
            )
        ).scalar_one()
    assert "CREATE UNIQUE INDEX" in definition and "WHERE" in definition
    for status in ("pending_payment", "confirmed", "completed", "no_show"):
        assert status in definition
    assert "cancelled" not in definition and "expired" not in definition


# --- downgrade -----------------------------------------------------------------------------


def _downgrade_and_upgrade(url: str) -> None:
    command.downgrade(alembic_config(url), "base")
    assert table_names(url) == {"alembic_version"}
    assert current_revision(url) is None
    upgrade(url)
    assert table_names(url) == TABLES | {"alembic_version"}
    assert current_revision(url) == head_revision()
    assert schema_differences(url) == []


def test_downgrade_to_base_and_upgrade_again_on_sqlite(db_url: str) -> None:
    _downgrade_and_upgrade(db_url)


@pytest.mark.postgres
def test_downgrade_to_base_and_upgrade_again_on_postgres(pg_url: str) -> None:
    _downgrade_and_upgrade(pg_url)


# --- the partial unique index guards each slot ---------------------------------------------


def _check_slot_guarantee(session: Session) -> None:
    doctor = create_doctor(session)
    patient = create_patient(session)
    other_patient = create_patient(session)

    # A cancelled and an expired booking leave the slot free for a confirmed one.
    create_appointment(session, doctor=doctor, start_at=START, status=AppointmentStatus.CANCELLED)
    create_appointment(session, doctor=doctor, start_at=START, status=AppointmentStatus.EXPIRED)
    confirmed = create_appointment(session, doctor=doctor, patient=patient, start_at=START)

    # Any second slot-taking appointment on the same (doctor, start) is refused.
    for status in (
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.PENDING_PAYMENT,
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
    ):
        with pytest.raises(IntegrityError):
            create_appointment(
                session, doctor=doctor, patient=other_patient, start_at=START, status=status
            )
        session.rollback()

    # The same start with another doctor, or another start with this doctor, is fine.
    create_appointment(session, doctor=create_doctor(session), start_at=START)
    create_appointment(session, doctor=doctor, start_at=START + timedelta(minutes=15))

    # Once the confirmed booking is cancelled, the slot can be taken again.
    confirmed.status = AppointmentStatus.CANCELLED
    session.add(confirmed)
    session.commit()
    create_appointment(session, doctor=doctor, patient=other_patient, start_at=START)

    rows = session.exec(
        select(Appointment.status).where(
            Appointment.doctor_id == doctor.id, Appointment.start_at == START
        )
    ).all()
    assert sorted(rows) == ["cancelled", "cancelled", "confirmed", "expired"]


def test_partial_unique_index_guards_the_slot_on_sqlite(session: Session) -> None:
    _check_slot_guarantee(session)


@pytest.mark.postgres
def test_partial_unique_index_guards_the_slot_on_postgres(pg_url: str) -> None:
    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        _check_slot_guarantee(session)


@pytest.mark.postgres
def test_concurrent_bookings_of_one_slot_on_postgres(pg_url: str) -> None:
    """Two transactions insert the same slot: the second waits, then fails on the index."""
    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        doctor = create_doctor(session)
        first, second = create_patient(session), create_patient(session)
    insert = sa.text(
        "INSERT INTO appointments (id, patient_id, doctor_id, hospital_id, start_at, end_at,"
        " reason, status, payment_status, fee_paise, booked_at)"
        " VALUES (:id, :patient, :doctor, :hospital, :start, :end, 'Check-up',"
        " 'pending_payment', 'Pending', 0, :start)"
    )
    params = {
        "doctor": doctor.id,
        "hospital": doctor.hospital_id,
        "start": START,
        "end": START + timedelta(minutes=15),
    }
    outcome: dict[str, BaseException | None] = {}
    engine = get_engine(pg_url)
    with engine.connect() as a, engine.connect() as b:
        a.execute(insert, {**params, "id": "a" * 36, "patient": first.id})  # not committed yet

        def book_second() -> None:
            try:
                b.execute(insert, {**params, "id": "b" * 36, "patient": second.id})
                b.commit()
                outcome["error"] = None
            except IntegrityError as exc:
                b.rollback()
                outcome["error"] = exc

        thread = threading.Thread(target=book_second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second insert should wait for the first transaction"
        a.commit()
        thread.join(10)
        assert not thread.is_alive()
    assert isinstance(outcome["error"], IntegrityError)
    assert "uq_appointments_taken_slot" in str(outcome["error"])
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM appointments")).scalar_one()
    assert count == 1
