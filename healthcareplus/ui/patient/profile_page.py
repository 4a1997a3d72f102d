"""My profile: contact details and the medical profile doctors see at a visit."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import N_
from healthcareplus.ui.patient.family_components import family_card
from healthcareplus.ui.patient.family_state import FamilyState
from healthcareplus.ui.patient.profile_state import ProfileState
from healthcareplus.ui.shared.forms import field_grid, saved_note, stacked_form
from healthcareplus.ui.shared.i18n import t
from healthcareplus.ui.shared.layout import titled_page, when_loaded
from healthcareplus.ui.shared.notification_preferences_components import (
    notification_preferences_card,
)
from healthcareplus.ui.shared.notification_preferences_state import NotificationPreferencesState
from healthcareplus.ui.shared.profile_fields import (
    address_fields,
    contact_fields,
    medical_fields,
)
from healthcareplus.ui.shared.registry import Page

P = ProfileState.profile
E = ProfileState.errors


def _form() -> rx.Component:
    fid = "profile"
    return stacked_form(
        rx.heading(t("Contact details"), size="4", as_="h2"),
        field_grid(*contact_fields(E, P, form_id=fid), spacing="4"),
        rx.text(t("Email: "), rx.text.strong(P["email"]), size="2", color_scheme="gray"),
        *address_fields(E, P, form_id=fid),
        rx.heading(t("Medical profile"), size="4", as_="h2", margin_top="0.5em"),
        *medical_fields(E, P, form_id=fid),
        saved_note(ProfileState.saved_message),
        rx.button(t("Save profile"), type="submit", size="3"),
        spacing="4",
        on_submit=ProfileState.save,
    )


def profile_page() -> rx.Component:
    return titled_page(
        t("My profile"),
        rx.card(when_loaded(ProfileState.loaded, _form()), width="100%", size="3"),
        family_card(),
        notification_preferences_card(),
        rx.text(
            t("Signed in on other devices, or want a new password? "),
            rx.link(t("Account security"), href=routes.ACCOUNT_SECURITY),
            size="2",
            color_scheme="gray",
        ),
        rx.text(
            t("A copy of everything we hold about you, or erasing your account: "),
            rx.link(t("Your data"), href=routes.MY_DATA),
            size="2",
            color_scheme="gray",
        ),
        intro=t("Keep your details up to date so your doctor has what they need."),
        max_width="820px",
    )


PAGES = [
    Page(
        profile_page,
        routes.PROFILE,
        N_("My profile"),
        [ProfileState.load, FamilyState.load, NotificationPreferencesState.load],
    )
]
