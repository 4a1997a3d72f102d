"""The reader's language: a cookie on the device, remembered on the signed-in user.

Every handler takes the language as a browser-sent string and ignores anything that is
not a supported language. ``LanguageMiddleware`` makes the caller's language the current
one (``core.i18n``) while a patient-side event is handled, so toasts, errors, dates and
amounts built on the server come out in it; staff portals stay English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

from healthcareplus.core import i18n
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import languages
from healthcareplus.ui.shared.access import public, resolve_token
from healthcareplus.ui.shared.outcome import in_session
from healthcareplus.ui.shared.session import SessionState
from healthcareplus.ui.shared.typed import event

if TYPE_CHECKING:
    from reflex.app import App

COOKIE = "hcp_lang"
YEAR = 365 * 24 * 3600
# Events of states in these packages are handled in the caller's language.
LOCALISED = ("healthcareplus.ui.patient", "healthcareplus.ui.shared")
STAFF = (Role.ADMIN, Role.DOCTOR)


class LanguageState(rx.State):
    language: str = rx.Cookie(
        i18n.DEFAULT_LANGUAGE, name=COOKIE, max_age=YEAR, path="/", same_site="lax"
    )

    def _apply(self, language: object) -> str:
        self.language = i18n.language_or_default(language)
        return self.language

    def _language(self) -> str:
        """The language this device has chosen (English for an odd cookie value)."""
        return i18n.language_or_default(self.language)

    def _signed_in(self, user_id: int, role: str, saved: str | None) -> None:
        """Sign-in: staff read English; a patient gets their saved language, or keeps
        the device's and has it remembered when they never chose one."""
        if role in STAFF:
            self._apply(i18n.ENGLISH)
        elif i18n.supported(saved):
            self._apply(saved)
        else:
            in_session(languages.set_language, actor_id=user_id, language=self._language())

    @event
    @public
    async def switch_language(self, language: str) -> None:
        """Show the app in ``language`` on this device and, when signed in, remember it."""
        chosen = i18n.supported(language)
        if chosen is None:
            return
        self._apply(chosen)
        session_state = await self.get_state(SessionState)
        viewer = resolve_token(session_state.token) if session_state.token else None
        if viewer is not None:
            in_session(languages.set_language, actor_id=viewer.id, language=chosen)


def localised(event_name: str) -> bool:
    """Whether the event's state is on the patient side (its messages are translated)."""
    registered = RegistrationContext.get().event_handlers.get(event_name)
    if registered is None or not registered.states:
        return False
    return registered.states[0].__module__.startswith(LOCALISED)


class LanguageMiddleware(Middleware):
    """Handle each patient-side event in the language of the device that sent it."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        language = i18n.ENGLISH
        if localised(event.name):
            language = (await state.get_state(LanguageState))._language()
        i18n.set_current_language(language)
        return None


__all__ = ["COOKIE", "LanguageMiddleware", "LanguageState", "localised"]
