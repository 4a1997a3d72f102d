"""Validation of the doctor profile fields an admin types (add and edit forms)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from sqlmodel import Session

from healthcareplus.core import validation as v
from healthcareplus.core.models import Hospital
from healthcareplus.domain.accounts.admins import chosen_id, clean_int, string_set
from healthcareplus.domain.catalog.specializations import DEPARTMENTS

DOCTOR_GENDERS = ("Female", "Male", "Other")
FEE_MIN_RUPEES, FEE_MAX_RUPEES = 100, 10_000
EXPERIENCE_MAX = 60
MAX_LANGUAGES = 10
_TITLE = re.compile(r"^dr(\.\s*|\s+)", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[^\W\d_]+([ \-][^\W\d_]+)*$")


class DoctorProfileForm(TypedDict):
    """The profile fields of the admin's add and edit forms, as typed (checked by
    ``profile_fields``)."""

    name: str
    specialization: str
    qualification: str
    experience_years: Any
    fee_rupees: Any
    gender: str
    languages: str | Sequence[str]
    hospital_id: Any
    phone: str
    about: NotRequired[str]


def clean_doctor_name(value: str) -> str:
    """A person's name with the "Dr." title in front (added when missing, never doubled)."""
    name = v.clean_name(value)
    bare = _TITLE.sub("", name).strip()
    if len(bare) < 2:
        raise v.FieldError("Enter the doctor's full name")
    full = f"Dr. {bare}"
    if len(full) > 120:
        raise v.FieldError("Name must be at most 120 characters")
    return full


def clean_languages(value: str | Sequence[str]) -> list[str]:
    languages: dict[str, str] = {}
    for item in string_set(value if isinstance(value, str | list | tuple) else ""):
        if len(item) > 30 or not _LANGUAGE.match(item):
            raise v.FieldError("List languages by name, separated by commas")
        languages.setdefault(item.lower(), item[0].upper() + item[1:])
    if not languages:
        raise v.FieldError("Enter at least one language")
    if len(languages) > MAX_LANGUAGES:
        raise v.FieldError(f"List at most {MAX_LANGUAGES} languages")
    return list(languages.values())


def _clean_required_text(value: str, *, max_length: int, label: str) -> str:
    text = v.clean_text(value if isinstance(value, str) else "", max_length=max_length, label=label)
    if len(text) < 2:
        raise v.FieldError(f"Enter the {label.lower()}")
    return text


def profile_fields(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every profile field cleaned, or ``ValidationFailed`` naming all the bad ones."""

    def text(key: str) -> str:
        value = values.get(key, "")
        return value if isinstance(value, str) else ""

    def specialization() -> str:
        chosen = v.clean_choice(text("specialization"), tuple(DEPARTMENTS), "specialization")
        if chosen is None:
            raise v.FieldError("Choose a specialization")
        return chosen

    def gender() -> str:
        chosen = v.clean_choice(text("gender"), DOCTOR_GENDERS, "gender")
        if chosen is None:
            raise v.FieldError("Choose a gender")
        return chosen

    return v.collect(
        {
            "name": lambda: clean_doctor_name(text("name")),
            "specialization": specialization,
            "qualification": lambda: _clean_required_text(
                text("qualification"), max_length=200, label="Qualification"
            ),
            "experience_years": lambda: clean_int(
                values.get("experience_years"), low=0, high=EXPERIENCE_MAX, label="experience"
            ),
            "fee_rupees": lambda: clean_int(
                values.get("fee_rupees"), low=FEE_MIN_RUPEES, high=FEE_MAX_RUPEES, label="fee"
            ),
            "gender": gender,
            "languages": lambda: clean_languages(values.get("languages", "")),
            "hospital_id": lambda: chosen_id(
                session, Hospital, values.get("hospital_id"), missing="Choose a hospital"
            ),
            "phone": lambda: v.clean_phone(text("phone")),
            "about": lambda: v.clean_text(text("about"), max_length=2000, label="About"),
        }
    )


__all__ = [
    "DOCTOR_GENDERS",
    "DoctorProfileForm",
    "EXPERIENCE_MAX",
    "FEE_MAX_RUPEES",
    "FEE_MIN_RUPEES",
    "MAX_LANGUAGES",
    "clean_doctor_name",
    "clean_languages",
    "profile_fields",
]
