"""The page an emailed set-your-password link opens (``/set-password?token=…``): whose
account it is, the new password, and then the way to sign in.

Nobody is signed in here: the link's token is the credential, so both handlers are
public and check nothing but the token (``accounts.password_links``). The token is read
from the URL on load and kept in a backend-only var (``_token``, never sent back to the
browser); the password form never carries it. A link that cannot be used (unknown, used,
expired, replaced, or the account closed) shows why and what to do instead.
"""

from __future__ import annotations

from collections.abc import Mapping

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.accounts import password_links as links
from healthcareplus.ui.shared.client_address import client_key
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.typed import Field, event, field

# What the page shows: still checking the link, the form, the link refused, all done.
CHECKING, READY, UNUSABLE, DONE = "", "ready", "unusable", "done"
NEW_LINK = (
    "Ask for a new link with “Forgot password?” on the sign-in page, or ask the clinic "
    "to send you a new invitation."
)
PASSWORD_SET = "Your password has been set."
TOKEN_MAX = 200


def token_from(query: object) -> str:
    """The link's token from the page's query parameters ("" when missing or odd)."""
    value = query.get(links.QUERY_KEY) if isinstance(query, Mapping) else None
    return value[:TOKEN_MAX] if isinstance(value, str) else ""


def unusable_text(message: str) -> str:
    """Why the link cannot be used, and what to do instead."""
    return f"{message} {NEW_LINK}" if message == links.LINK_UNUSABLE else message


class SetPasswordState(rx.State):
    phase: Field[str] = field(CHECKING)
    name: Field[str] = field("")
    masked_email: Field[str] = field("")
    problem: Field[str] = field("")
    sign_in_url: Field[str] = field(routes.LOGIN)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    _token: str = ""

    def _refused(self, message: str) -> None:
        self._token, self.phase, self.problem = "", UNUSABLE, unusable_text(message)
        self.errors, self.message = {}, ""

    @event
    @public
    def load(self) -> None:
        """Check the link of the URL and show whose password it sets."""
        self.phase, self.problem, self.name, self.masked_email = CHECKING, "", "", ""
        self.errors, self.message = {}, ""
        self._token = token_from(self.router.url.query_parameters)
        holder = in_session(links.link_holder, self._token, now=utcnow())
        if isinstance(holder, Failed):
            self._refused(holder.message)
            return
        self.name, self.masked_email = holder.name, holder.masked_email
        self.sign_in_url = routes.login_url_for((holder.role,))
        self.phase = READY

    @event
    @public
    def set_password(self, form_data: FormData) -> EventSpec | None:
        """Set the password through the link (used up only when it works)."""
        self.errors, self.message = {}, ""
        if self.phase != READY or not self._token:
            return None
        done = in_session(
            links.set_password_with_link,
            token=self._token,
            password=form_text(form_data, "password", 200),
            confirm=form_text(form_data, "confirm_password", 200),
            now=utcnow(),
            client_key=client_key(self.router),
        )
        if isinstance(done, Failed):
            if done.invalid:
                self.errors, self.message = done.form()
            else:
                self._refused(done.message)
            return None
        self._token, self.phase = "", DONE
        self.sign_in_url = routes.login_url_for((done.role,))
        return rx.toast.success(PASSWORD_SET)
