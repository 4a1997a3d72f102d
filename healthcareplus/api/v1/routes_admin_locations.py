"""Admin: cities and hospitals, as the admin's locations page has them: listed with their
doctor counts, added and edited (never deleted: doctors and bookings point at them).
The same domain functions and rules (names unique, a hospital's within its city, the
catalogue's specialties); every change is audited as the admin.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import (
    ADMIN_REFUSALS,
    MAX_ID,
    Id,
    PageInfo,
    PageNumber,
    PageSize,
    actor,
    admin_reader,
    admin_writer,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.admin import location_edits, locations
from healthcareplus.domain.catalog.specializations import SPECIALIZATIONS

router = APIRouter(prefix="/admin", tags=["Admin: cities and hospitals"])
READ = "Needs admin:read."
WRITE = "Needs admin:write. Audited."
ONE = {**ADMIN_REFUSALS, **problems(404, 422)}


class AdminCity(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    state: str
    hospital_count: int
    doctor_count: int = Field(description="All doctors of its hospitals")
    active_doctor_count: int


class AdminCityList(BaseModel):
    items: list[AdminCity] = Field(description="By name")
    page: PageInfo


class CityIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Mysuru", "state": "Karnataka"}]}
    )

    name: str = Field(max_length=100, description="Unique, in any case")
    state: str = Field(max_length=100)


class AdminHospital(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    city_id: int
    city_name: str
    name: str
    address: str
    phone: str
    specialties: list[str]
    doctor_count: int
    active_doctor_count: int


class AdminHospitalList(BaseModel):
    items: list[AdminHospital] = Field(description="By city, then name")
    page: PageInfo


class HospitalIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "city_id": 1,
                    "name": "Lakeside Clinic",
                    "address": "4 Lake Road, Bengaluru 560034",
                    "phone": "080-4123 4567",
                    "specialties": ["General Physician", "Dermatologist"],
                }
            ]
        },
    )

    city_id: int
    name: str = Field(max_length=200, description="Unique within its city")
    address: str = Field(max_length=400)
    phone: str = Field(default="", max_length=40)
    specialties: list[Annotated[str, StringConstraints(max_length=60)]] = Field(
        max_length=100,
        description="From the catalogue",
        json_schema_extra={"items": {"type": "string", "enum": list(SPECIALIZATIONS)}},
    )


@router.get(
    "/cities",
    response_model=AdminCityList,
    summary="Cities",
    description=f"Every city with its hospital and doctor counts. {READ}",
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def cities(
    page: PageNumber = 1, page_size: PageSize = 20, caller: Caller = Depends(admin_reader)
) -> AdminCityList:
    with session_scope() as db:
        found = locations.list_cities(db, page=page, page_size=page_size)
    return AdminCityList(
        items=[AdminCity.model_validate(c) for c in found.items], page=PageInfo.of(found.paging)
    )


@router.get(
    "/cities/{city_id}",
    response_model=AdminCity,
    summary="One city",
    description=READ,
    responses=ONE,
)
def city(city_id: Id, caller: Caller = Depends(admin_reader)) -> AdminCity:
    with session_scope() as db:
        return AdminCity.model_validate(locations.get_city(db, city_id=city_id))


def _save_city(city_id: int | None, body: CityIn, caller: Caller) -> AdminCity:
    with session_scope() as db:
        row = location_edits.save_city(
            db, city_id=city_id, name=body.name, state=body.state, **actor(caller), now=utcnow()
        )
    return AdminCity.model_validate(row)


@router.post(
    "/cities",
    response_model=AdminCity,
    status_code=status.HTTP_201_CREATED,
    summary="Add a city",
    description=f"Refused fields are listed (the name when taken). {WRITE}",
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def add_city(body: CityIn, response: Response, caller: Caller = Depends(admin_writer)) -> AdminCity:
    made = _save_city(None, body, caller)
    response.headers["Location"] = f"{router.prefix}/cities/{made.id}"
    return made


@router.put(
    "/cities/{city_id}",
    response_model=AdminCity,
    summary="Edit a city",
    description=f"Rename it or change its state. {WRITE}",
    responses=ONE,
)
def edit_city(city_id: Id, body: CityIn, caller: Caller = Depends(admin_writer)) -> AdminCity:
    return _save_city(city_id, body, caller)


@router.get(
    "/hospitals",
    response_model=AdminHospitalList,
    summary="Hospitals",
    description=f"Every hospital (one city's with `city_id`) with its doctor counts. {READ}",
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def hospitals(
    city_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
    caller: Caller = Depends(admin_reader),
) -> AdminHospitalList:
    with session_scope() as db:
        found = locations.list_hospitals(db, city_id=city_id, page=page, page_size=page_size)
    return AdminHospitalList(
        items=[AdminHospital.model_validate(h) for h in found.items], page=PageInfo.of(found.paging)
    )


@router.get(
    "/hospitals/{hospital_id}",
    response_model=AdminHospital,
    summary="One hospital",
    description=READ,
    responses=ONE,
)
def hospital(hospital_id: Id, caller: Caller = Depends(admin_reader)) -> AdminHospital:
    with session_scope() as db:
        return AdminHospital.model_validate(locations.get_hospital(db, hospital_id=hospital_id))


def _save_hospital(hospital_id: int | None, body: HospitalIn, caller: Caller) -> AdminHospital:
    with session_scope() as db:
        row = location_edits.save_hospital(
            db, hospital_id=hospital_id, **body.model_dump(), **actor(caller), now=utcnow()
        )
    return AdminHospital.model_validate(row)


@router.post(
    "/hospitals",
    response_model=AdminHospital,
    status_code=status.HTTP_201_CREATED,
    summary="Add a hospital",
    description=f"In an existing city, with at least one specialty. {WRITE}",
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def add_hospital(
    body: HospitalIn, response: Response, caller: Caller = Depends(admin_writer)
) -> AdminHospital:
    made = _save_hospital(None, body, caller)
    response.headers["Location"] = f"{router.prefix}/hospitals/{made.id}"
    return made


@router.put(
    "/hospitals/{hospital_id}",
    response_model=AdminHospital,
    summary="Edit a hospital",
    description=(
        "Moving a hospital to another city moves its doctors with it; booked appointments "
        f"keep their hospital. {WRITE}"
    ),
    responses=ONE,
)
def edit_hospital(
    hospital_id: Id, body: HospitalIn, caller: Caller = Depends(admin_writer)
) -> AdminHospital:
    return _save_hospital(hospital_id, body, caller)


__all__ = ["router"]
