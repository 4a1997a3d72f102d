"""The signed-in user's notification preferences (a card on My profile and on the
notification centre): which channels bring news and reminders."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import gettext
from healthcareplus.core.models import Role, User
from healthcareplus.domain.notifications import preferences
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.typed import Field, event, field

SIGNED_IN = tuple(Role)  # every role


def chosen_in(form_data: dict) -> dict[str, bool]:
    """Every choice from a submitted form: a ticked box is sent, an unticked one is not."""
    return {name: form_data.get(name) == "on" for name in preferences.CHOICES}


class NotificationPreferencesState(rx.State):
    choices: Field[dict[str, bool]] = field(default_factory=dict)
    has_phone: Field[bool] = field(False)
    texts_recorded_only: Field[bool] = field(False)  # the development text provider
    errors: Field[dict[str, str]] = field(default_factory=dict)
    saved_message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)

    def _show(self, chosen: preferences.Preferences) -> None:
        self.choices = {name: bool(getattr(chosen, name)) for name in preferences.CHOICES}
        self.form_key += 1  # a fresh form shows the stored ticks
        self.loaded = True

    @event
    @requires(*SIGNED_IN)
    def load(self) -> None:
        self.errors, self.saved_message = {}, ""
        viewer = current_viewer().id
        with session_scope() as db:
            user = db.get(User, viewer)
            self.has_phone = bool(user and user.phone)
            self._show(preferences.preferences_of(db, viewer))
        self.texts_recorded_only = get_settings().text_provider == "record"

    @event
    @requires(*SIGNED_IN)
    def save(self, form_data: FormData) -> EventSpec | None:
        self.errors, self.saved_message = {}, ""
        saved = in_session(
            preferences.update_preferences,
            user_id=current_viewer().id,
            now=utcnow(),
            choices=chosen_in(form_data),
        )
        if isinstance(saved, Failed):
            self.errors, reply = saved.fields_or_toast()
            return reply
        self._show(saved)
        self.saved_message = gettext("Your notification choices have been saved.")
        return rx.toast.success(gettext("Notification choices saved"))


__all__ = ["NotificationPreferencesState", "chosen_in"]
