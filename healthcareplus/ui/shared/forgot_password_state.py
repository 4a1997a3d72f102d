"""The forgotten-password page: an email address in, a reset link out to that mailbox
(``notifications.password_reset``). Public: nobody is signed in. The answer is the same
whether or not the address has an account; only text that is not an email address at
all is refused."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import gettext
from healthcareplus.domain.notifications.password_reset import request_password_reset
from healthcareplus.ui.shared.client_address import client_key
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.typed import Field, event, field


class ForgotPasswordState(rx.State):
    sent: Field[str] = field("")  # what the page says once a request went through
    errors: Field[dict[str, str]] = field(default_factory=dict)

    @event
    @public
    def load(self) -> None:
        self.sent, self.errors = "", {}

    @event
    @public
    def send_link(self, form_data: FormData) -> EventSpec | None:
        """Email a reset link to the address's account, if it has one."""
        self.errors = {}
        answer = in_session(
            request_password_reset,
            email=form_text(form_data, "email", 254),
            now=utcnow(),
            client_key=client_key(self.router),
        )
        if isinstance(answer, Failed):
            self.errors = answer.form()[0] if answer.invalid else {"email": answer.message}
            return None
        self.sent = gettext(answer)  # in the asker's language
        return None
