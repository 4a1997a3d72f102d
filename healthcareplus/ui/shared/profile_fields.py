"""A person's details as form fields: the name, mobile number and email fields of every
account form, and a patient's contact and medical fields, shared by the patient's own
profile page and the admin's patient page (same names, limits and choices as
``domain.accounts.profiles``)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.ui.shared.forms import select_field, text_field, textarea_field


def name_field(errors: ObjectVar[dict[str, str]], *, form_id: str, **props: Any) -> rx.Component:
    return text_field(
        "Full name", "name", errors, form_id=form_id, required=True, max_length=120, **props
    )


def phone_field(errors: ObjectVar[dict[str, str]], *, form_id: str, **props: Any) -> rx.Component:
    return text_field(
        "Mobile number",
        "phone",
        errors,
        form_id=form_id,
        type_="tel",
        required=True,
        max_length=20,
        **props,
    )


def email_field(
    errors: ObjectVar[dict[str, str]], *, form_id: str, label: str = "Email", **props: Any
) -> rx.Component:
    return text_field(
        label,
        "email",
        errors,
        form_id=form_id,
        type_="email",
        required=True,
        max_length=254,
        **props,
    )


def contact_fields(
    errors: ObjectVar[dict[str, str]], values: ObjectVar[dict[str, str]], *, form_id: str
) -> list[rx.Component]:
    """Name, mobile number, date of birth and gender."""
    return [
        name_field(errors, form_id=form_id, default_value=values["name"]),
        phone_field(errors, form_id=form_id, default_value=values["phone"]),
        text_field(
            "Date of birth",
            "date_of_birth",
            errors,
            form_id=form_id,
            type_="date",
            default_value=values["date_of_birth"],
        ),
        select_field(
            "Gender",
            "gender",
            errors,
            list(GENDERS),
            form_id=form_id,
            default_value=values["gender"],
        ),
    ]


def medical_fields(
    errors: ObjectVar[dict[str, str]], values: ObjectVar[dict[str, str]], *, form_id: str
) -> list[rx.Component]:
    """Blood group, allergies and medical history."""
    return [
        select_field(
            "Blood group",
            "blood_group",
            errors,
            list(BLOOD_GROUPS),
            form_id=form_id,
            default_value=values["blood_group"],
        ),
        textarea_field(
            "Allergies",
            "allergies",
            errors,
            form_id=form_id,
            default_value=values["allergies"],
            placeholder="e.g. Penicillin, peanuts",
            max_length=1000,
        ),
        textarea_field(
            "Medical history",
            "medical_history",
            errors,
            form_id=form_id,
            default_value=values["medical_history"],
            placeholder="Conditions, surgeries, regular medicines",
            max_length=4000,
        ),
    ]
