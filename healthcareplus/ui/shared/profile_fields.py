"""A person's details as form fields: the name, mobile number and email fields of every
account form, and a patient's contact and medical fields, shared by the patient's own
profile page and the admin's patient page (same names, limits and choices as
``domain.accounts.profiles``)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from healthcareplus.core.i18n import N_
from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.ui.shared.forms import select_field, text_field, textarea_field
from healthcareplus.ui.shared.i18n import t

# How each stored gender reads (the stored value stays English).
GENDER_LABELS = {
    "Male": N_("Male"),
    "Female": N_("Female"),
    "Other": N_("Other"),
    "Prefer not to say": N_("Prefer not to say"),
}


def name_field(errors: ObjectVar[dict[str, str]], *, form_id: str, **props: Any) -> rx.Component:
    return text_field(
        t("Full name"), "name", errors, form_id=form_id, required=True, max_length=120, **props
    )


def phone_field(errors: ObjectVar[dict[str, str]], *, form_id: str, **props: Any) -> rx.Component:
    return text_field(
        t("Mobile number"),
        "phone",
        errors,
        form_id=form_id,
        type_="tel",
        required=True,
        max_length=20,
        **props,
    )


def email_field(
    errors: ObjectVar[dict[str, str]], *, form_id: str, label: str = N_("Email"), **props: Any
) -> rx.Component:
    return text_field(
        t(label),
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
            t("Date of birth"),
            "date_of_birth",
            errors,
            form_id=form_id,
            type_="date",
            default_value=values["date_of_birth"],
        ),
        select_field(
            t("Gender"),
            "gender",
            errors,
            rx.fragment(*(rx.el.option(t(GENDER_LABELS.get(g, g)), value=g) for g in GENDERS)),
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
            t("Blood group"),
            "blood_group",
            errors,
            list(BLOOD_GROUPS),
            form_id=form_id,
            default_value=values["blood_group"],
        ),
        textarea_field(
            t("Allergies"),
            "allergies",
            errors,
            form_id=form_id,
            default_value=values["allergies"],
            placeholder=t("e.g. Penicillin, peanuts"),
            max_length=1000,
        ),
        textarea_field(
            t("Medical history"),
            "medical_history",
            errors,
            form_id=form_id,
            default_value=values["medical_history"],
            placeholder=t("Conditions, surgeries, regular medicines"),
            max_length=4000,
        ),
    ]


def address_fields(
    errors: ObjectVar[dict[str, str]], values: ObjectVar[dict[str, str]], *, form_id: str
) -> list[rx.Component]:
    """The postal address, and who to call in an emergency (name and phone, both or
    neither)."""
    return [
        textarea_field(
            t("Address"),
            "address",
            errors,
            form_id=form_id,
            default_value=values["address"],
            placeholder=t("House, street, area, city, PIN code"),
            max_length=300,
        ),
        text_field(
            t("Emergency contact"),
            "emergency_contact_name",
            errors,
            form_id=form_id,
            default_value=values["emergency_contact_name"],
            placeholder=t("Name"),
            max_length=120,
        ),
        text_field(
            t("Emergency contact's phone"),
            "emergency_contact_phone",
            errors,
            form_id=form_id,
            type_="tel",
            default_value=values["emergency_contact_phone"],
            max_length=20,
        ),
    ]
