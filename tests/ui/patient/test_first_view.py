"""The public pages' first view, read when the app is built: what the home page and the
doctor search show before their live data, the same as their on-load events then show;
with the doctors' free slots pending (they depend on the hour), never claimed missing.
A build without a database builds the pages without it (they wait for the live data)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from healthcareplus.core.config import get_settings
from healthcareplus.ui.patient.discovery_state import HomeState, home_lists
from healthcareplus.ui.patient.doctor_search_state import (
    SLOTS_PENDING,
    DoctorSearchState,
    first_page,
)
from healthcareplus.ui.patient.first_view import read_at_build
from tests.factories import create_doctor, create_hospital
from tests.ui.harness import Client


def _doctors(session: Session) -> None:
    hospital = create_hospital(session)
    for years, specialization in enumerate(["Cardiologist", "Dermatologist", "Neurologist"] * 5):
        create_doctor(
            session, hospital=hospital, specialization=specialization, experience_years=years
        )
    create_doctor(session, hospital=hospital, experience_years=99, is_active=False)


async def test_the_home_page_is_built_with_what_its_load_shows(
    session: Session, make_client: Callable[..., Client]
) -> None:
    _doctors(session)
    built = read_at_build(home_lists)
    client = make_client(url="/")
    await client.call(HomeState, "load")
    home = await client.state(HomeState)
    assert built is not None and built.cities and built.popular
    assert (built.cities, built.specializations, built.popular) == (
        home.cities,
        home.specializations,
        home.popular,
    )


async def test_the_doctor_search_is_built_with_its_unfiltered_first_page(
    session: Session, make_client: Callable[..., Client]
) -> None:
    _doctors(session)
    built = read_at_build(first_page)
    client = make_client(url="/doctors")
    await client.call(DoctorSearchState, "load")
    search = await client.state(DoctorSearchState)
    assert built is not None
    assert [d["id"] for d in built.doctors] == [d["id"] for d in search.doctors]
    assert len(built.doctors) == get_settings().page_size < search.total == 15
    assert (built.first_item, built.last_item, built.total) == (
        search.first_item,
        search.last_item,
        search.total,
    )
    # Everything the card shows but its slots, which are on the way (not "none free").
    assert all(d["next_day"] == SLOTS_PENDING for d in built.doctors)
    assert built.next_slots == {d["id"]: [] for d in built.doctors}
    live = {d["id"]: d for d in search.doctors}
    for doctor in built.doctors:
        assert {**doctor, "next_day": live[doctor["id"]]["next_day"]} == live[doctor["id"]]


@pytest.mark.parametrize("read", [home_lists, first_page], ids=["home", "doctors"])
def test_a_build_without_a_database_waits_for_the_live_data(
    read: Callable[[Session], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'not-migrated.db'}")
    get_settings.cache_clear()
    try:
        assert read_at_build(read) is None
    finally:
        get_settings.cache_clear()
