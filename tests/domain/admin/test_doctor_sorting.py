"""The admin's doctors list sorted by the columns it shows: every key both ways, with the
search and filters still applied, and anything else the default order (by name)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from healthcareplus.core.models import Doctor
from healthcareplus.domain.admin.doctor_views import SORTS, list_doctors
from tests.factories import create_city, create_doctor, create_hospital


@pytest.fixture
def doctors(session: Session) -> dict[str, Doctor]:
    """Three doctors who differ in every sortable column."""
    city = create_city(session, name="Bangalore")
    zen = create_hospital(session, city=city, name="Zen Clinic")
    apollo = create_hospital(session, city=city, name="apollo Hospital")
    made = {
        "bina": create_doctor(
            session,
            hospital=zen,
            name="Dr. bina Das",
            specialization="Pediatrician",
            fee_paise=90_000,
        ),
        "asha": create_doctor(
            session,
            hospital=apollo,
            name="Dr. Asha Rao",
            specialization="Dermatologist",
            fee_paise=30_000,
            is_active=False,
        ),
        "chitra": create_doctor(
            session,
            hospital=apollo,
            name="Dr. Chitra Iyer",
            specialization="cardiologist",
            fee_paise=60_000,
        ),
    }
    return made


def names(session: Session, sort: object, **filters: object) -> list[str]:
    page = list_doctors(session, sort=sort, **filters)  # type: ignore[arg-type]
    return [d.name.split()[1].lower() for d in page.items]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["asha", "bina", "chitra"]),  # not case-sensitive
        ("-name", ["chitra", "bina", "asha"]),
        ("specialization", ["chitra", "asha", "bina"]),
        ("-specialization", ["bina", "asha", "chitra"]),
        ("hospital", ["asha", "chitra", "bina"]),  # apollo (ties by id), then Zen
        ("-hospital", ["bina", "asha", "chitra"]),
        ("fee", ["asha", "chitra", "bina"]),
        ("-fee", ["bina", "chitra", "asha"]),
        ("status", ["asha", "bina", "chitra"]),  # inactive (false) first, ties by id
        ("-status", ["bina", "chitra", "asha"]),
    ],
)
def test_doctors_sort_by_each_column(
    session: Session, doctors: dict[str, Doctor], sort: str, expected: list[str]
) -> None:
    assert names(session, sort) == expected


@pytest.mark.parametrize(
    "sort", ["", "waiting", "email", "password_hash", "-", "--name", "name;drop", None, 3, ["fee"]]
)
def test_anything_else_is_the_default_by_name(
    session: Session, doctors: dict[str, Doctor], sort: object
) -> None:
    assert names(session, sort) == ["asha", "bina", "chitra"]


def test_sorting_keeps_the_filters_and_pages(session: Session, doctors: dict[str, Doctor]) -> None:
    assert names(session, "-fee", status="active") == ["bina", "chitra"]
    assert names(session, "-name", hospital_id=doctors["asha"].hospital_id) == ["chitra", "asha"]
    second = list_doctors(session, sort="-fee", page=2, page_size=2)
    assert [d.name for d in second.items] == ["Dr. Asha Rao"]


def test_every_sort_key_is_a_column_the_page_shows() -> None:
    from healthcareplus.ui.admin import doctors_components

    assert set(SORTS) == {key for key in doctors_components.DOCTOR_SORTS if key}
    assert len(doctors_components.DOCTOR_SORTS) == len(doctors_components.DOCTOR_COLUMNS)
