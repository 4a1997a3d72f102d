"""Response bodies of the doctor search, profiles and availability."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.catalog_schemas import Ref
from healthcareplus.domain.catalog.discovery import DoctorCard, DoctorProfile
from healthcareplus.domain.scheduling.availability import DayAvailability, Slot, WeekdayHours


class DoctorSummary(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "name": "Dr. Kavya Menon",
                    "specialization": "Cardiologist",
                    "department": "Cardiology",
                    "qualification": "MBBS, MD, DM (Cardiology)",
                    "experience_years": 14,
                    "fee_paise": 80000,
                    "fee_label": "₹800",
                    "gender": "Female",
                    "languages": ["English", "Kannada", "Malayalam"],
                    "hospital": {"id": 2, "name": "Sunrise Multispeciality Hospital"},
                    "city": {"id": 1, "name": "Bengaluru"},
                    "photo_url": None,
                }
            ]
        }
    )

    id: int
    name: str
    specialization: str
    department: str
    qualification: str
    experience_years: int
    fee_paise: int = Field(description="Consultation fee in paise (₹1 = 100 paise)")
    fee_label: str
    gender: str
    languages: list[str]
    hospital: Ref
    city: Ref
    photo_url: str | None
    rating_average: float | None = Field(
        description="Average of the visible ratings (1-5, one decimal); null with none"
    )
    review_count: int = Field(description="Visible reviews from completed visits")

    @classmethod
    def fields_of(cls, card: DoctorCard) -> dict[str, object]:
        return {
            "id": card.id,
            "name": card.name,
            "specialization": card.specialization,
            "department": card.department,
            "qualification": card.qualification,
            "experience_years": card.experience_years,
            "fee_paise": card.fee_paise,
            "fee_label": card.fee_label,
            "gender": card.gender,
            "languages": list(card.languages),
            "hospital": Ref(id=card.hospital_id, name=card.hospital_name),
            "city": Ref(id=card.city_id, name=card.city_name),
            "photo_url": card.photo_url,
            "rating_average": card.rating_average if card.review_count else None,
            "review_count": card.review_count,
        }

    @classmethod
    def of(cls, card: DoctorCard) -> DoctorSummary:
        return cls.model_validate(cls.fields_of(card))


class DoctorPage(BaseModel):
    """One page of doctors; pass ``next_cursor`` back as ``cursor`` (same filters) for
    the next page, until it is null."""

    items: list[DoctorSummary]
    total: int = Field(description="Doctors matching the filters, on every page")
    limit: int
    next_cursor: str | None = Field(description="Opaque; null on the last page")


class SlotOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "start_at": "2026-12-01T04:00:00Z",
                    "end_at": "2026-12-01T04:15:00Z",
                    "date": "2026-12-01",
                    "label": "09:30 AM",
                    "state": "free",
                }
            ]
        }
    )

    start_at: dt.datetime = Field(description="UTC; book with this instant")
    end_at: dt.datetime
    date: dt.date = Field(description="The clinic day the slot belongs to")
    label: str = Field(description="Clinic-local start time")
    state: Literal["free", "taken", "past", "blocked"] = Field(
        description="free: bookable now; taken: booked; past: too soon or gone by; "
        "blocked: the doctor is away"
    )

    @classmethod
    def of(cls, slot: Slot) -> SlotOut:
        return cls(
            start_at=slot.start_at,
            end_at=slot.end_at,
            date=slot.local_date,
            label=slot.label,
            state=slot.state,
        )


class WeekdayOut(BaseModel):
    weekday: int = Field(description="Monday = 0")
    day_name: str
    hours: list[str] = Field(description='Working blocks, e.g. "09:00 AM – 01:00 PM"')
    slot_minutes: int | None
    closed: bool

    @classmethod
    def of(cls, row: WeekdayHours) -> WeekdayOut:
        return cls(
            weekday=row.weekday,
            day_name=row.day_name,
            hours=list(row.blocks),
            slot_minutes=row.slot_minutes,
            closed=row.closed,
        )


class HospitalContact(Ref):
    address: str
    phone: str


class CityRef(Ref):
    state: str


class DoctorProfileOut(DoctorSummary):
    """A doctor's public profile: the doctor's own email and phone are not published;
    patients reach the hospital."""

    about: str
    hospital: HospitalContact
    city: CityRef
    weekly_schedule: list[WeekdayOut]
    next_slots: list[SlotOut] = Field(description="The first free slots")

    @classmethod
    def of_profile(cls, profile: DoctorProfile) -> DoctorProfileOut:
        fields = cls.fields_of(profile)
        fields["hospital"] = HospitalContact(
            id=profile.hospital_id,
            name=profile.hospital_name,
            address=profile.hospital_address,
            phone=profile.hospital_phone,
        )
        fields["city"] = CityRef(
            id=profile.city_id, name=profile.city_name, state=profile.city_state
        )
        return cls.model_validate(
            {
                **fields,
                "about": profile.about,
                "weekly_schedule": [WeekdayOut.of(row) for row in profile.weekly_schedule],
                "next_slots": [SlotOut.of(slot) for slot in profile.next_slots],
            }
        )


class DayOut(BaseModel):
    date: dt.date
    label: str = Field(description='e.g. "Mon, 23 Nov 2026"')
    free: int = Field(description="Slots bookable now")
    bookable: bool
    badge: str = Field(description="Available, Filling Fast, Almost Full, Full, Not available")

    @classmethod
    def of(cls, day: DayAvailability) -> DayOut:
        return cls(
            date=day.date,
            label=day.date_label,
            free=day.free,
            bookable=day.bookable,
            badge=day.badge,
        )


class Calendar(BaseModel):
    doctor_id: int
    days: list[DayOut]


class DaySlots(BaseModel):
    doctor_id: int
    date: dt.date
    slots: list[SlotOut]


__all__ = [
    "Calendar",
    "CityRef",
    "DayOut",
    "DaySlots",
    "DoctorPage",
    "DoctorProfileOut",
    "DoctorSummary",
    "HospitalContact",
    "SlotOut",
    "WeekdayOut",
]
