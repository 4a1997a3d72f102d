"""A patient's own data (/account/data): download a copy of everything held about them,
or erase the account (``domain.privacy``). Patient-only; both act on the caller alone."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import Role
from healthcareplus.domain.privacy.erasure import erase_own_account
from healthcareplus.domain.reports.download_links import personal_data_link
from healthcareplus.ui.shared.downloads import download
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.session import SessionState
from healthcareplus.ui.shared.typed import Field, event, field

ERASED = N_("Your account has been erased. Thank you for having been with us.")


class MyDataState(rx.State):
    errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.errors = {}
        self.form_key += 1

    @event
    @requires(Role.PATIENT)
    def download_data(self) -> EventSpec:
        link = in_session(personal_data_link, current_viewer().id, now=utcnow())
        if isinstance(link, Failed):
            return link.toast()
        return download(link, f"healthcareplus-my-data-{utcnow().date().isoformat()}.json")

    @event
    @requires(Role.PATIENT)
    async def erase(self, form_data: FormData) -> list[EventSpec] | EventSpec | None:
        """Erase the account (with the password and the confirmation box), then sign out."""
        self.errors = {}
        confirmed = isinstance(form_data, dict) and form_data.get("confirm") == "on"
        done = in_session(
            erase_own_account,
            actor_id=current_viewer().id,
            password=form_text(form_data, "password", 200),
            confirmed=confirmed,
            now=utcnow(),
        )
        if isinstance(done, Failed):
            self.errors, reply = done.fields_or_toast()
            return reply
        await (await self.get_state(SessionState))._signed_out()
        return [rx.toast.success(gettext(ERASED)), rx.redirect(routes.HOME)]
