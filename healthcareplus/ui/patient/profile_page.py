"""My profile: contact details and the medical profile doctors see at a visit."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.validation import BLOOD_GROUPS, GENDERS
from healthcareplus.ui.patient.profile_state import ProfileState
from healthcareplus.ui.shared.forms import select_field, text_field, textarea_field
from healthcareplus.ui.shared.layout import loading_block, page_shell
from healthcareplus.ui.shared.registry import Page

P = ProfileState.profile
E = ProfileState.errors


def _form() -> rx.Component:
    fid = "profile"
    return rx.form(
        rx.vstack(
            rx.heading("Contact details", size="4", as_="h2"),
            rx.grid(
                text_field(
                    "Full name",
                    "name",
                    E,
                    form_id=fid,
                    default_value=P["name"],
                    required=True,
                    max_length=120,
                ),
                text_field(
                    "Mobile number",
                    "phone",
                    E,
                    form_id=fid,
                    type_="tel",
                    default_value=P["phone"],
                    required=True,
                    max_length=20,
                ),
                text_field(
                    "Date of birth",
                    "date_of_birth",
                    E,
                    form_id=fid,
                    type_="date",
                    default_value=P["date_of_birth"],
                ),
                select_field(
                    "Gender",
                    "gender",
                    E,
                    list(GENDERS),
                    form_id=fid,
                    default_value=P["gender"],
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="4",
                width="100%",
            ),
            rx.text("Email: ", rx.text.strong(P["email"]), size="2", color_scheme="gray"),
            rx.heading("Medical profile", size="4", as_="h2", margin_top="0.5em"),
            select_field(
                "Blood group",
                "blood_group",
                E,
                list(BLOOD_GROUPS),
                form_id=fid,
                default_value=P["blood_group"],
            ),
            textarea_field(
                "Allergies",
                "allergies",
                E,
                form_id=fid,
                default_value=P["allergies"],
                placeholder="e.g. Penicillin, peanuts",
                max_length=1000,
            ),
            textarea_field(
                "Medical history",
                "medical_history",
                E,
                form_id=fid,
                default_value=P["medical_history"],
                placeholder="Conditions, surgeries, regular medicines",
                max_length=4000,
            ),
            rx.cond(
                ProfileState.saved_message != "",
                rx.callout(
                    ProfileState.saved_message,
                    icon="check",
                    color_scheme="green",
                    role="status",
                    width="100%",
                ),
            ),
            rx.button("Save profile", type="submit", size="3"),
            spacing="4",
            width="100%",
        ),
        on_submit=ProfileState.save,
        reset_on_submit=False,
        width="100%",
    )


def profile_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading("My profile", size="7", as_="h1"),
            rx.text(
                "Keep your details up to date so your doctor has what they need.",
                color_scheme="gray",
            ),
            rx.card(
                rx.cond(ProfileState.loaded, _form(), loading_block()),
                width="100%",
                size="3",
            ),
            spacing="4",
            width="100%",
        ),
        max_width="820px",
    )


PAGES = [
    Page(profile_page, routes.PROFILE, "My profile", [ProfileState.load]),
]
