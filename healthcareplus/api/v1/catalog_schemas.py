"""Response bodies of the public catalogue: cities, hospitals, specializations, symptoms
(the doctors' are ``doctor_schemas``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.domain.catalog.discovery import CityCard, HospitalCard, SpecializationCount


class Ref(BaseModel):
    id: int
    name: str


class City(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "name": "Bengaluru",
                    "state": "Karnataka",
                    "hospital_count": 4,
                    "doctor_count": 38,
                }
            ]
        }
    )

    id: int
    name: str
    state: str
    hospital_count: int
    doctor_count: int = Field(description="Active doctors")

    @classmethod
    def of(cls, card: CityCard) -> City:
        return cls(**vars(card))


class Hospital(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 2,
                    "name": "Sunrise Multispeciality Hospital",
                    "address": "12 Residency Road, Bengaluru 560025",
                    "phone": "080-41234567",
                    "city": {"id": 1, "name": "Bengaluru"},
                    "specialties": ["Cardiologist", "General Physician"],
                    "doctor_count": 9,
                }
            ]
        }
    )

    id: int
    name: str
    address: str
    phone: str
    city: Ref
    specialties: list[str]
    doctor_count: int = Field(description="Active doctors")

    @classmethod
    def of(cls, card: HospitalCard) -> Hospital:
        return cls(
            id=card.id,
            name=card.name,
            address=card.address,
            phone=card.phone,
            city=Ref(id=card.city_id, name=card.city_name),
            specialties=list(card.specialties),
            doctor_count=card.doctor_count,
        )


class Specialization(BaseModel):
    name: str
    department: str
    doctor_count: int = Field(description="Active doctors")

    @classmethod
    def of(cls, row: SpecializationCount) -> Specialization:
        return cls(name=row.name, department=row.department, doctor_count=row.doctor_count)


class SymptomQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "chest pain and breathlessness", "limit": 3}]},
    )

    text: str = Field(max_length=2000, description="The symptoms in the patient's words")
    limit: int = Field(default=5, ge=1, le=10, description="At most this many suggestions")


class Suggestion(BaseModel):
    specialization: str
    department: str
    score: float = Field(description="0–1: the share of the recognised symptoms it covers")
    because: list[str] = Field(description="The recognised symptoms behind it")
    doctors: str = Field(description="This API's doctor search for the specialization")


class SymptomMatchOut(BaseModel):
    recognized: list[str]
    suggestions: list[Suggestion]
    message: str


class CityList(BaseModel):
    items: list[City]


class HospitalList(BaseModel):
    items: list[Hospital]


class SpecializationList(BaseModel):
    items: list[Specialization]


__all__ = [
    "City",
    "CityList",
    "Hospital",
    "HospitalList",
    "Ref",
    "Specialization",
    "SpecializationList",
    "Suggestion",
    "SymptomMatchOut",
    "SymptomQuery",
]
