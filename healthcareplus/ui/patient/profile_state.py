"""The patient's own profile: contact details and medical profile."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.i18n import gettext
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.typed import Field, event, field


def profile_form(form_data: dict) -> accounts.ProfileForm:
    """The profile fields of a submitted form (missing or odd -> "")."""

    def text(key: str) -> str:
        return form_text(form_data, key, 4000)

    return accounts.ProfileForm(
        name=text("name"),
        phone=text("phone"),
        date_of_birth=text("date_of_birth"),
        gender=text("gender"),
        blood_group=text("blood_group"),
        allergies=text("allergies"),
        medical_history=text("medical_history"),
        address=text("address"),
        emergency_contact_name=text("emergency_contact_name"),
        emergency_contact_phone=text("emergency_contact_phone"),
    )


class ProfileState(rx.State):
    profile: Field[dict[str, str]] = field(default_factory=dict)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)
    saved_message: Field[str] = field("")

    def _set(self, profile: accounts.Profile) -> None:
        self.profile = {key: str(value) for key, value in profile.__dict__.items()}
        self.loaded = True

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.errors, self.saved_message = {}, ""
        with session_scope() as db:
            self._set(accounts.get_profile(db, user_id=current_viewer().id))

    @event
    @requires(Role.PATIENT)
    def save(self, form_data: FormData) -> EventSpec | None:
        self.errors, self.saved_message = {}, ""
        values = profile_form(form_data)
        profile = in_session(accounts.update_profile, user_id=current_viewer().id, **values)
        if isinstance(profile, Failed) and profile.not_found:
            return rx.redirect("/")  # the account is gone
        if isinstance(profile, Failed):
            self.errors, reply = profile.fields_or_toast()
            return reply
        self._set(profile)
        self.saved_message = gettext("Your profile has been saved.")
        return rx.toast.success(gettext("Profile saved"))
