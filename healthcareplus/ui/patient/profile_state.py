"""The patient's own profile: contact details and medical profile."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.ui.patient.account_state import _text
from healthcareplus.ui.shared.guard import current_viewer, requires

PROFILE_FIELDS = (
    "name",
    "phone",
    "date_of_birth",
    "gender",
    "blood_group",
    "allergies",
    "medical_history",
)


class ProfileState(rx.State):
    profile: dict[str, str] = {}
    errors: dict[str, str] = {}
    loaded: bool = False
    saved_message: str = ""

    def _set(self, profile: accounts.Profile) -> None:
        self.profile = {key: str(value) for key, value in profile.__dict__.items()}
        self.loaded = True

    @rx.event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.errors, self.saved_message = {}, ""
        with session_scope() as db:
            self._set(accounts.get_profile(db, user_id=current_viewer().id))

    @rx.event
    @requires(Role.PATIENT)
    def save(self, form_data: dict) -> rx.event.EventSpec | None:
        self.errors, self.saved_message = {}, ""
        values = {key: _text(form_data, key, 4000) for key in PROFILE_FIELDS}
        try:
            with session_scope() as db:
                profile = accounts.update_profile(db, user_id=current_viewer().id, **values)
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except NotFound:
            return rx.redirect("/")
        self._set(profile)
        self.saved_message = "Your profile has been saved."
        return rx.toast.success("Profile saved")
