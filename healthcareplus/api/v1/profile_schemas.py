"""Bodies of the patient's profile and of anyone's notification preferences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool

from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.domain.accounts.dependants import DependantView
from healthcareplus.domain.accounts.profiles import Profile
from healthcareplus.domain.notifications.preferences import Preferences

FIELD_MAX = 10_000  # what a request may carry; the domain's own limits are tighter


class FamilyMemberOut(BaseModel):
    """One of your family members, whom you may book visits for (``dependant_id``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "Riya Rao",
                    "relation": "child",
                    "relation_label": "Child",
                    "date_of_birth": "2019-05-04",
                    "gender": "Female",
                    "blood_group": "O+",
                    "allergies": "Peanuts",
                    "medical_history": "",
                }
            ]
        }
    )

    id: int
    name: str
    relation: str = Field(description="child, spouse, parent, sibling or other")
    relation_label: str
    date_of_birth: dt.date
    gender: str | None
    blood_group: str | None
    allergies: str
    medical_history: str

    @classmethod
    def of(cls, member: DependantView) -> FamilyMemberOut:
        return cls(
            id=member.id,
            name=member.name,
            relation=member.relation,
            relation_label=member.relation_label,
            date_of_birth=dt.date.fromisoformat(member.date_of_birth),
            gender=member.gender or None,
            blood_group=member.blood_group or None,
            allergies=member.allergies,
            medical_history=member.medical_history,
        )


class ProfileOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "name": "Asha Rao",
                    "email": "asha@example.in",
                    "phone": "+91 98450 12345",
                    "date_of_birth": "1990-12-01",
                    "gender": "Female",
                    "blood_group": "B+",
                    "allergies": "Penicillin",
                    "medical_history": "Asthma since childhood",
                }
            ]
        }
    )

    id: int
    name: str
    email: str = Field(description="Read only here")
    phone: str
    date_of_birth: dt.date | None
    gender: str | None
    blood_group: str | None
    allergies: str
    medical_history: str

    @classmethod
    def of(cls, profile: Profile) -> ProfileOut:
        return cls(
            id=profile.id,
            name=profile.name,
            email=profile.email,
            phone=profile.phone,
            date_of_birth=dt.date.fromisoformat(profile.date_of_birth)
            if profile.date_of_birth
            else None,
            gender=profile.gender or None,
            blood_group=profile.blood_group or None,
            allergies=profile.allergies,
            medical_history=profile.medical_history,
        )


def _text(description: str = "", choices: tuple[str, ...] = ()) -> object:
    """A profile field as a request may send it (the domain checks the rest)."""
    extra: dict[str, JsonValue] | None = {"enum": [*choices, "", None]} if choices else None
    return Field(max_length=FIELD_MAX, description=description or None, json_schema_extra=extra)


Name = Annotated[str | None, _text()]
Phone = Annotated[str | None, _text("An Indian mobile number")]
Born = Annotated[str | None, _text("YYYY-MM-DD, not in the future")]
Gender = Annotated[str | None, _text(choices=GENDERS)]
BloodGroup = Annotated[str | None, _text(choices=BLOOD_GROUPS)]
Allergies = Annotated[str | None, _text("1000 characters at most")]
History = Annotated[str | None, _text("4000 characters at most")]


class ProfilePatch(BaseModel):
    """The fields to change; those left out keep their value, null or "" clears an
    optional one. Checked as on the profile page (422 names each field)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"phone": "+91 98450 54321", "blood_group": "O+"}]},
    )

    name: Name = None
    phone: Phone = None
    date_of_birth: Born = None
    gender: Gender = None
    blood_group: BloodGroup = None
    allergies: Allergies = None
    medical_history: History = None


class PreferencesBody(BaseModel):
    """How you are told: news of a change to a visit (always in the app too) and
    reminders, by channel. Texts (SMS, WhatsApp) need a mobile number on your profile."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "updates_email": True,
                    "updates_sms": False,
                    "updates_whatsapp": True,
                    "reminders_in_app": True,
                    "reminders_email": True,
                    "reminders_sms": False,
                    "reminders_whatsapp": False,
                }
            ]
        },
    )

    updates_email: StrictBool
    updates_sms: StrictBool
    updates_whatsapp: StrictBool
    reminders_in_app: StrictBool
    reminders_email: StrictBool
    reminders_sms: StrictBool
    reminders_whatsapp: StrictBool

    @classmethod
    def of(cls, chosen: Preferences) -> PreferencesBody:
        return cls.model_validate(chosen, from_attributes=True)


__all__ = ["ProfileOut", "ProfilePatch", "PreferencesBody"]
