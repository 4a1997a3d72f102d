"""The "Family members" card of the patient's profile: each member with Edit and Remove,
and the form that adds or edits one (the same fields and limits as
``domain.accounts.dependants``)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.domain.accounts.dependants import MAX_DEPENDANTS, RELATION_LABELS
from healthcareplus.ui.patient.family_state import NEW
from healthcareplus.ui.patient.family_state import FamilyState as S
from healthcareplus.ui.shared.cards import aside_row, titled_card
from healthcareplus.ui.shared.dialogs import confirm_dialog
from healthcareplus.ui.shared.forms import (
    field_error,
    field_grid,
    form_alert,
    labelled,
    native_select,
    select_field,
    stacked_form,
    text_field,
    textarea_field,
)
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import empty_note, if_any, when_loaded
from healthcareplus.ui.shared.profile_fields import GENDER_LABELS
from healthcareplus.ui.shared.typed import RowVar

FORM_ID = "family"
V, E = S.values, S.errors


def _relation_field() -> rx.Component:
    input_id = f"{FORM_ID}-relation"
    control = native_select(
        *(rx.el.option(t(label), value=str(key)) for key, label in RELATION_LABELS.items()),
        blank=t("Select…"),
        id=input_id,
        name="relation",
        default_value=V["relation"],
        required=True,
    )
    return labelled(t("Relation"), input_id, control, field_error(E, "relation"))


def _form() -> rx.Component:
    buttons = rx.hstack(
        rx.button(t("Save family member"), type="submit", size="3"),
        rx.button(t("Cancel"), type="button", variant="soft", size="3", on_click=S.close_form),
        spacing="2",
        wrap="wrap",
    )
    return rx.card(
        stacked_form(
            rx.heading(
                rx.cond(S.editing == NEW, t("Add a family member"), t("Edit family member")),
                size="3",
                as_="h3",
            ),
            field_grid(
                text_field(
                    t("Full name"),
                    "name",
                    E,
                    form_id=FORM_ID,
                    required=True,
                    max_length=120,
                    default_value=V["name"],
                ),
                _relation_field(),
                text_field(
                    t("Date of birth"),
                    "date_of_birth",
                    E,
                    form_id=FORM_ID,
                    type_="date",
                    required=True,
                    default_value=V["date_of_birth"],
                ),
                select_field(
                    t("Gender"),
                    "gender",
                    E,
                    rx.fragment(
                        *(rx.el.option(t(GENDER_LABELS.get(g, g)), value=g) for g in GENDERS)
                    ),
                    form_id=FORM_ID,
                    default_value=V["gender"],
                ),
                select_field(
                    t("Blood group"),
                    "blood_group",
                    E,
                    list(BLOOD_GROUPS),
                    form_id=FORM_ID,
                    default_value=V["blood_group"],
                ),
            ),
            textarea_field(
                t("Allergies"),
                "allergies",
                E,
                form_id=FORM_ID,
                default_value=V["allergies"],
                placeholder=t("e.g. Penicillin, peanuts"),
                max_length=1000,
            ),
            textarea_field(
                t("Medical history"),
                "medical_history",
                E,
                form_id=FORM_ID,
                default_value=V["medical_history"],
                placeholder=t("Conditions, surgeries, regular medicines"),
                max_length=4000,
            ),
            buttons,
            key=S.form_key,
            on_submit=S.save,
        ),
        width="100%",
        variant="surface",
        data_testid="family-form",
    )


def _member(member: RowVar) -> rx.Component:
    remove = confirm_dialog(
        rx.button(
            t("Remove"),
            variant="soft",
            color_scheme="red",
            size="2",
            aria_label=t("Remove {name}", name=member["name"]),
        ),
        t("Remove {name}?", name=member["name"]),
        t("Visits already made for them stay in your history."),
        t("Keep"),
        rx.button(t("Yes, remove"), color_scheme="red", on_click=S.remove(member["id"])),
    )
    edit = rx.button(
        t("Edit"),
        variant="outline",
        size="2",
        aria_label=t("Edit {name}", name=member["name"]),
        on_click=S.start_edit(member["id"]),
    )
    return rx.card(
        rx.vstack(
            aside_row(
                rx.heading(member["name"], size="3", as_="h3"),
                rx.badge(member["relation_label"], data_testid="family-relation"),
            ),
            rx.text(t("Born {date}", date=member["date_of_birth"]), size="2", color_scheme="gray"),
            rx.cond(
                member["allergies"] != "",
                rx.text(t("Allergies: {allergies}", allergies=member["allergies"]), size="2"),
            ),
            rx.hstack(edit, remove, spacing="2"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="family-member",
    )


def family_card() -> rx.Component:
    add = rx.button(
        rx.icon("user-plus", size=16),
        t("Add family member"),
        variant="soft",
        on_click=S.start_add,
        align_self="start",
    )
    content = rx.vstack(
        form_alert(S.message),
        if_any(
            S.members,
            rx.vstack(rx.foreach(S.members, _member), spacing="3", width="100%"),
            empty_note(t("No family members yet.")),
        ),
        rx.cond(S.editing == "", add, _form()),
        spacing="3",
        width="100%",
    )
    return titled_card(
        t("Family members"),
        rx.text(
            t(
                "Book visits for your children, spouse or parents (up to {count}). Each has "
                "their own medical profile for the doctor; you stay the contact.",
                count=MAX_DEPENDANTS,
            ),
            size="2",
            color_scheme="gray",
        ),
        when_loaded(S.loaded, content),
        size="4",
        data_testid="family-card",
    )
