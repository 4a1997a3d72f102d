"""The home page's lists: every speciality with doctors, and for a phone the most staffed
ones first (ties by name), at most ``POPULAR_SPECIALITIES``."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from healthcareplus.ui.patient.discovery_state import POPULAR_SPECIALITIES, HomeState
from tests.factories import create_doctor, create_hospital
from tests.ui.harness import Client

SPECIALITIES = ["Cardiologist", "Dermatologist", "ENT Specialist", "Neurologist",
                "Orthopedic", "Pediatrician", "Psychiatrist", "Urologist", "Dentist"]  # fmt: skip


async def test_popular_specialities_are_the_most_staffed(
    session: Session, make_client: Callable[..., Client]
) -> None:
    hospital = create_hospital(session)
    for n, name in enumerate(SPECIALITIES):
        for _ in range(1 + (n == 3) * 4 + (n == 8) * 2):  # Neurologist 5, Dentist 3, others 1
            create_doctor(session, hospital=hospital, specialization=name)
    client = make_client(url="/")
    await client.call(HomeState, "load")
    home = await client.state(HomeState)
    assert len(home.specializations) == len(SPECIALITIES)
    popular = [s["name"] for s in home.popular]
    assert len(popular) == POPULAR_SPECIALITIES
    assert popular[:3] == ["Neurologist", "Dentist", "Cardiologist"]
    assert "Urologist" not in popular  # ninth by count, last by name among the ones
