"""Admin: webhook endpoints (/admin/webhooks): register one (its signing secret shown
once), turn it off and on, rotate its secret, and read its recent delivery attempts."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.notifications import webhooks
from healthcareplus.domain.notifications.webhook_delivery import list_attempts
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id, to_row, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

CHOOSE = "Choose an endpoint from the list."
CHECKED = (True, "on", "true")


def event_field(name: str) -> str:
    """The form field of an event's checkbox ("appointment.confirmed" ->
    "event_appointment_confirmed")."""
    return "event_" + name.replace(".", "_")


class AdminWebhooksState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    form_key: Field[int] = field(0)
    secret: Field[str] = field("")  # shown once, until dismissed or the page is left
    secret_url: Field[str] = field("")
    chosen: Field[str] = field("")  # the endpoint whose attempts are shown
    chosen_url: Field[str] = field("")
    attempts: Field[list[dict[str, str]]] = field(default_factory=list)

    def _fetch(self) -> EventSpec | None:
        found = in_session(webhooks.list_endpoints)
        if isinstance(found, Failed):
            return found.toast()
        self.rows = to_rows(found)
        self.loaded = True
        return None

    def _fetch_attempts(self, endpoint_id: int) -> EventSpec | None:
        found = in_session(list_attempts, endpoint_id=endpoint_id)
        if isinstance(found, Failed):
            return found.toast()
        self.attempts = [
            to_row(
                row,
                when=f"{format_local_date(row.attempted_at)} · "
                f"{format_local_time(row.attempted_at)}",
                answer=str(row.status_code) if row.status_code is not None else "no answer",
            )
            for row in found.items
        ]
        return None

    def _show_secret(self, secret: str, url: str) -> None:
        self.secret, self.secret_url = secret, url

    @event
    @requires(Role.ADMIN)
    def load(self) -> EventSpec | None:
        self.secret = self.secret_url = self.chosen = self.chosen_url = ""
        self.attempts, self.errors = [], {}
        return self._fetch()

    @event
    @requires(Role.ADMIN)
    def create(self, form_data: FormData) -> EventSpec:
        chosen = [e for e in webhooks.EVENTS if form_data.get(event_field(e)) in CHECKED]
        made = in_session(
            webhooks.create_endpoint,
            **actor(),
            url=form_text(form_data, "url", 600),
            events=chosen,
            description=form_text(form_data, "description", 300),
            now=utcnow(),
        )
        if isinstance(made, Failed):
            self.errors = made.fields if made.invalid else {}
            return made.toast()
        self.errors = {}
        self.form_key += 1
        self._show_secret(made.secret, made.view.url)
        return self._fetch() or rx.toast.success("Endpoint added. Copy its secret now.")

    def _chosen_id(self, endpoint_id: str) -> int | None:
        row = find_row(self.rows, "id", endpoint_id)
        return parse_id(endpoint_id) if row else None

    @event
    @requires(Role.ADMIN)
    def toggle(self, endpoint_id: str) -> EventSpec:
        """Turn a listed endpoint off (or on again)."""
        row = find_row(self.rows, "id", endpoint_id)
        chosen = parse_id(endpoint_id) if row else None
        if row is None or chosen is None:
            return rx.toast.error(CHOOSE)
        on = row["is_active"] != "true"
        done = in_session(
            webhooks.update_endpoint, **actor(), endpoint_id=chosen, is_active=on, now=utcnow()
        )
        refreshed = self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return refreshed or rx.toast.success("Endpoint turned on." if on else "Endpoint off.")

    @event
    @requires(Role.ADMIN)
    def rotate(self, endpoint_id: str) -> EventSpec:
        """A new signing secret for a listed endpoint, shown once."""
        chosen = self._chosen_id(endpoint_id)
        if chosen is None:
            return rx.toast.error(CHOOSE)
        done = in_session(webhooks.rotate_secret, **actor(), endpoint_id=chosen, now=utcnow())
        if isinstance(done, Failed):
            return done.toast()
        self._show_secret(done.secret, done.view.url)
        return rx.toast.success("New secret made: the old one no longer works.")

    @event
    @requires(Role.ADMIN)
    def show_attempts(self, endpoint_id: str) -> EventSpec | None:
        """The listed endpoint's most recent delivery attempts."""
        chosen = self._chosen_id(endpoint_id)
        row = find_row(self.rows, "id", endpoint_id)
        if chosen is None or row is None:
            return rx.toast.error(CHOOSE)
        self.chosen, self.chosen_url = endpoint_id, row["url"]
        return self._fetch_attempts(chosen)

    @event
    @requires(Role.ADMIN)
    def dismiss_secret(self) -> None:
        self.secret = self.secret_url = ""
