"""Who is signed in on this browser, and sign-out.

The browser keeps only a random session token (local storage). Identity is looked up
on the server for every privileged event; ``user_name``/``user_role`` are display copies
for the navigation bar and are never trusted.
"""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import User
from healthcareplus.domain.accounts import sessions
from healthcareplus.domain.accounts.sessions import SessionUser
from healthcareplus.ui.shared.access import forget_private_data, public, resolve_token
from healthcareplus.ui.shared.typed import Field, event, field

CHOOSE_PASSWORD = N_(
    "Choose your own password to continue: the one you were given works only once."
)


class SessionState(rx.State):
    token: str = rx.LocalStorage("", name="hcp_session", sync=True)
    user_name: Field[str] = field("")
    user_role: Field[str] = field("")
    session_checked: Field[bool] = field(False)

    def _show(self, viewer: SessionUser | None) -> None:
        self.user_name = viewer.name if viewer else ""
        self.user_role = viewer.role if viewer else ""
        self.session_checked = True

    def _start(self, user: User) -> None:
        """Open a session for a user who has just proved who they are."""
        self._open(SessionUser(user.id or 0, user.role, user.name, user.email))

    def _open(self, viewer: SessionUser) -> None:
        """A new session for ``viewer`` in this browser (named after its user agent)."""
        device = sessions.device_label(self.router.headers.user_agent)
        with session_scope() as db:
            self.token = sessions.create_session(
                db, user_id=viewer.id, role=viewer.role, device=device
            )
        self._show(viewer)

    async def _signed_out(self) -> None:
        """Forget this browser's token, who it showed and every private state's data."""
        self.token = ""
        self._show(None)
        await forget_private_data(self)

    @event
    @public
    def check_session(self) -> list | None:
        """Run on every page load: refresh the display copy, forget a dead token, and
        send a user whose password someone else chose to choose their own first."""
        viewer = resolve_token(self.token)
        if viewer is None and self.token:
            self.token = ""
        self._show(viewer)
        elsewhere = self.router.url.path.rstrip("/") != routes.ACCOUNT_SECURITY
        if viewer is not None and viewer.must_change_password and elsewhere:
            return [rx.toast.info(gettext(CHOOSE_PASSWORD)), rx.redirect(routes.ACCOUNT_SECURITY)]
        return None

    @event
    @public
    async def logout(self) -> list:
        if self.token:
            with session_scope() as db:
                sessions.revoke_session(db, token=self.token, reason="signed_out")
        await self._signed_out()
        return [rx.toast.success(gettext("You have been signed out.")), rx.redirect(routes.HOME)]
