"""Account security, for every signed-in role: the devices signed in to the account (sign
one out, or all of them) and changing the password.

The session token stays in ``SessionState``; this state only shows the devices as rows of
text. A password change ends every session of the account, so this browser gets a fresh
one at once and stays signed in.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import credentials, sessions
from healthcareplus.ui.shared.client_address import client_key
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import (
    HOME_FOR_ROLE,
    before_new_password,
    current_viewer,
    requires,
)
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id
from healthcareplus.ui.shared.session import SessionState
from healthcareplus.ui.shared.typed import Field, event, field

SIGNED_IN = tuple(Role)  # every role
PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")
UNKNOWN_DEVICE = N_("That device is no longer signed in.")


def _when(instant: Any) -> str:
    """ "Mon, 23 Nov 2026 · 09:30 AM", clinic time."""
    return f"{format_local_date(instant)} · {format_local_time(instant)}"


def device_row(item: sessions.ActiveSession) -> dict[str, str]:
    return {
        "id": str(item.id),
        "device": item.device,
        "signed_in": _when(item.created_at),
        "last_seen": _when(item.last_seen_at),
        "is_current": "true" if item.is_current else "false",
    }


class SecurityState(rx.State):
    devices: Field[list[dict[str, str]]] = field(default_factory=list)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    must_change: Field[bool] = field(False)  # the password was chosen by someone else

    async def _token(self) -> str:
        return (await self.get_state(SessionState)).token

    async def _fetch(self) -> None:
        token = await self._token()
        with session_scope() as db:
            found = sessions.active_sessions(
                db, user_id=current_viewer().id, current_token=token, now=utcnow()
            )
        self.devices = [device_row(item) for item in found]
        self.loaded = True

    @event
    @before_new_password
    @requires(*SIGNED_IN)
    async def load(self) -> None:
        self.must_change = current_viewer().must_change_password
        # The form is not remounted here: fields typed while the page loads must survive.
        self.errors, self.message = {}, ""
        await self._fetch()

    @event
    @before_new_password
    @requires(*SIGNED_IN)
    async def sign_out_device(self, session_id: str) -> EventSpec | None:
        """Sign out one of the other devices listed (this one signs out with Log out)."""
        chosen = parse_id(session_id) if isinstance(session_id, str | int) else None
        row = find_row(self.devices, "id", str(chosen), is_current="false") if chosen else None
        if chosen is None or row is None:
            return rx.toast.error(gettext(UNKNOWN_DEVICE))
        done = in_session(
            sessions.revoke_own_session,
            user_id=current_viewer().id,
            session_id=chosen,
            now=utcnow(),
        )
        await self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return rx.toast.success(f"{row['device']} has been signed out.")

    @event
    @before_new_password
    @requires(*SIGNED_IN)
    async def sign_out_everywhere(self) -> list[EventSpec] | EventSpec:
        viewer = current_viewer()
        done = in_session(sessions.sign_out_everywhere, user_id=viewer.id, now=utcnow())
        if isinstance(done, Failed):
            return done.toast()
        await (await self.get_state(SessionState))._signed_out()
        return [
            rx.toast.success(gettext("You have been signed out on every device.")),
            rx.redirect(routes.login_url_for((viewer.role,))),
        ]

    @event
    @before_new_password
    @requires(*SIGNED_IN)
    async def change_password(self, form_data: FormData) -> list[EventSpec] | None:
        self.errors, self.message = {}, ""
        values = {name: form_text(form_data, name, 200) for name in PASSWORD_FIELDS}
        viewer = current_viewer()
        done = in_session(
            credentials.change_password,
            user_id=viewer.id,
            **values,
            client_key=client_key(self.router),
            now=utcnow(),
        )
        if isinstance(done, Failed):
            self.errors, self.message = done.form()
            return None
        (await self.get_state(SessionState))._open(viewer)  # this browser stays signed in
        self.form_key += 1  # a blank form
        await self._fetch()
        changed = rx.toast.success(
            gettext("Password changed. Every other device has been signed out.")
        )
        if self.must_change:  # the first sign-in's new password: on to the account's home
            self.must_change = False
            return [changed, rx.redirect(HOME_FOR_ROLE.get(viewer.role, routes.HOME))]
        return [changed]
