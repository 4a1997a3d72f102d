"""The public catalogue: cities, hospitals, specializations and the symptom checker.

Public, as on the website (no sign-in: people choose a clinic before they have an
account); a credential, when sent, must be valid, and its rate limit then applies too.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query

from healthcareplus.api.v1.catalog_schemas import (
    City,
    CityList,
    Hospital,
    HospitalList,
    Specialization,
    SpecializationList,
    Suggestion,
    SymptomMatchOut,
    SymptomQuery,
)
from healthcareplus.api.v1.problems import API_PREFIX, problems
from healthcareplus.core.db import session_scope
from healthcareplus.domain.catalog import discovery
from healthcareplus.domain.catalog.specializations import DEPARTMENTS
from healthcareplus.domain.catalog.symptoms import match_specializations

MAX_ID = 2**31 - 1
PUBLIC = "Public: no credentials needed."
router = APIRouter(tags=["Catalogue"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/cities",
    response_model=CityList,
    summary="Cities",
    description=f"Every city with its hospitals and active doctors counted, by name. {PUBLIC}",
)
def cities() -> CityList:
    with session_scope() as db:
        return CityList(items=[City.of(card) for card in discovery.list_cities(db)])


@router.get(
    "/cities/{city_id}",
    response_model=City,
    summary="One city",
    description=PUBLIC,
    responses=problems(404, 422),
)
def city(city_id: Id) -> City:
    with session_scope() as db:
        return City.of(discovery.get_city(db, city_id=city_id))


@router.get(
    "/cities/{city_id}/hospitals",
    response_model=HospitalList,
    summary="A city's hospitals",
    description=f"By name. 404 for an unknown city. {PUBLIC}",
    responses=problems(404, 422),
)
def city_hospitals(city_id: Id) -> HospitalList:
    with session_scope() as db:
        discovery.get_city(db, city_id=city_id)  # NotFound for an unknown city
        cards = discovery.list_hospitals(db, city_id=city_id)
    return HospitalList(items=[Hospital.of(card) for card in cards])


@router.get(
    "/hospitals",
    response_model=HospitalList,
    summary="Hospitals",
    description=f"By city name, then name; one city's with `city_id`. {PUBLIC}",
    responses=problems(422),
)
def hospitals(
    city_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this city's")] = None,
) -> HospitalList:
    with session_scope() as db:
        cards = discovery.list_hospitals(db, city_id=city_id)
    return HospitalList(items=[Hospital.of(card) for card in cards])


@router.get(
    "/hospitals/{hospital_id}",
    response_model=Hospital,
    summary="One hospital",
    description=PUBLIC,
    responses=problems(404, 422),
)
def hospital(hospital_id: Id) -> Hospital:
    with session_scope() as db:
        return Hospital.of(discovery.get_hospital(db, hospital_id=hospital_id))


@router.get(
    "/specializations",
    response_model=SpecializationList,
    summary="Specializations",
    description=f"Every specialization offered, with its department and doctors. {PUBLIC}",
)
def specializations() -> SpecializationList:
    with session_scope() as db:
        rows = discovery.list_specializations(db)
    return SpecializationList(items=[Specialization.of(row) for row in rows])


@router.post(
    "/symptoms/match",
    response_model=SymptomMatchOut,
    summary="Which specialist to see, from symptoms",
    description=(
        "Recognises symptoms in the patient's words (Indian English and common Hinglish, "
        "typos forgiven) and ranks the specializations that treat them, each with a link "
        "to this API's doctor search. Unrecognised text suggests a General Physician. "
        "Advice only, not a diagnosis. A POST, so that symptoms (health data) stay out of "
        f"URLs and their logs; nothing is stored. Only the first 500 characters count. {PUBLIC}"
    ),
    responses=problems(422),
)
def symptom_match(query: SymptomQuery) -> SymptomMatchOut:
    result = match_specializations(query.text, limit=query.limit)
    return SymptomMatchOut(
        recognized=list(result.recognized),
        suggestions=[
            Suggestion(
                specialization=s.specialization,
                department=DEPARTMENTS.get(s.specialization, ""),
                score=s.score,
                because=list(s.because),
                doctors=f"{API_PREFIX}/doctors?{urlencode({'specialization': s.specialization})}",
            )
            for s in result.suggestions
        ],
        message=result.message,
    )


__all__ = ["router"]
