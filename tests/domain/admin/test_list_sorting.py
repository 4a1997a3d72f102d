"""Admin lists sorted by the columns they show: every key both ways, ties in a stable
order, and anything else the list's default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Role, User
from healthcareplus.core.paging import ordering
from healthcareplus.domain.accounts.admins import list_admins
from healthcareplus.domain.admin.patients import SORTS, search_patients
from tests.factories import create_appointment, create_doctor, create_patient, create_user

START = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


@pytest.fixture
def patients(session: Session) -> dict[str, User]:
    """Three patients who differ in every sortable column."""
    made = {}
    for n, (name, email, phone, blocked) in enumerate(
        [
            ("bina Das", "zed@example.in", "+91 90000 00003", False),
            ("Asha Rao", "mid@example.in", "+91 90000 00001", True),
            ("Chitra Iyer", "abe@example.in", "+91 90000 00002", False),
        ]
    ):
        user = create_patient(session, name=name, email=email)
        user.phone, user.is_blocked = phone, blocked
        user.created_at = START + timedelta(days=n)
        session.add(user)
        made[name.split()[0].lower()] = user
    doctor = create_doctor(session)
    for i in range(2):  # Chitra has two bookings, Bina one, Asha none
        create_appointment(
            session, doctor=doctor, patient=made["chitra"], start_at=START + timedelta(hours=i)
        )
    create_appointment(
        session, doctor=doctor, patient=made["bina"], start_at=START + timedelta(hours=3)
    )
    session.commit()
    return made


def names(session: Session, sort: object) -> list[str]:
    return [p.name.split()[0].lower() for p in search_patients(session, sort=sort).items]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-joined", ["chitra", "asha", "bina"]),
        ("joined", ["bina", "asha", "chitra"]),
        ("name", ["asha", "bina", "chitra"]),  # not case-sensitive
        ("-name", ["chitra", "bina", "asha"]),
        ("email", ["chitra", "asha", "bina"]),
        ("phone", ["asha", "chitra", "bina"]),
        ("-bookings", ["chitra", "bina", "asha"]),
        ("bookings", ["asha", "bina", "chitra"]),
        ("-status", ["asha", "chitra", "bina"]),  # blocked first; ties newest first by id
    ],
)
def test_patients_sort_by_each_column(
    session: Session, patients: dict[str, User], sort: str, expected: list[str]
) -> None:
    assert names(session, sort) == expected


@pytest.mark.parametrize(
    "sort", ["", "password_hash", "-", "--name", "name;drop", None, 3, ["name"]]
)
def test_anything_else_is_the_default_newest_first(
    session: Session, patients: dict[str, User], sort: object
) -> None:
    assert names(session, sort) == ["chitra", "asha", "bina"]


def test_every_sort_key_is_a_column_the_page_shows() -> None:
    from healthcareplus.ui.admin import patients_page

    assert set(SORTS) == {key for key in patients_page.SORTS if key}


def test_ordering_reports_the_sort_applied() -> None:
    columns = {"name": User.name}
    assert ordering("-name", columns, "name")[0] == "-name"
    assert ordering("email", columns, "name")[0] == "name"


def test_admins_sort_by_email_and_status(session: Session) -> None:
    first = create_user(session, role=Role.ADMIN, name="Zoya Admin")
    second = create_user(session, role=Role.ADMIN, name="Arun Admin")
    second.is_active = False
    session.add(second)
    session.commit()
    by_name = [a.name for a in list_admins(session).items]
    assert by_name == ["Arun Admin", "Zoya Admin"]
    assert [a.name for a in list_admins(session, sort="-name").items] == by_name[::-1]
    by_status = [a.name for a in list_admins(session, sort="status").items]
    assert by_status == ["Arun Admin", "Zoya Admin"]  # inactive (false) first
    assert [a.id for a in list_admins(session, sort="email").items] == sorted(
        [first.id, second.id], key=lambda i: {first.id: first.email, second.id: second.email}[i]
    )
