"""Admin: every message the app wrote (/admin/messages?status=&channel=&page=), with the
failed ones sent again on request, and the changes whose letters are still to be written
or failed (tried again on request). Filters live in the URL."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.notifications import message_log
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

PAGE_MAX = 100_000


def clean(value: object, allowed: tuple[str, ...]) -> str:
    return value if isinstance(value, str) and value in allowed else ""


def messages_url(status: str, channel: str, page: int = 1) -> str:
    query = {k: v for k, v in (("status", status), ("channel", channel)) if v}
    if page > 1:
        query["page"] = str(page)
    return f"{routes.ADMIN_MESSAGES}?{urlencode(query)}" if query else routes.ADMIN_MESSAGES


class AdminMessagesState(rx.State):
    status: Field[str] = field("")
    channel: Field[str] = field("")
    counts: Field[dict[str, int]] = field(default_factory=dict)
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    total: Field[int] = field(0)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    loaded: Field[bool] = field(False)
    waiting: Field[int] = field(0)  # changes whose letters the job worker has yet to write
    stuck: Field[list[dict[str, str]]] = field(default_factory=list)

    def _fetch(self) -> EventSpec | None:
        params = self.router.url.query_parameters
        self.status = clean(params.get("status"), message_log.STATUSES)
        self.channel = clean(params.get("channel"), message_log.CHANNELS)
        page = min(parse_id(params.get("page")) or 1, PAGE_MAX)
        found = in_session(
            message_log.list_messages, status=self.status, channel=self.channel, page=page
        )
        if isinstance(found, Failed):
            return found.toast()
        counts = in_session(message_log.status_counts)
        if isinstance(counts, Failed):
            return counts.toast()
        letters = in_session(message_log.letters_to_write)
        if isinstance(letters, Failed):
            return letters.toast()
        self.waiting, self.stuck = letters.waiting, to_rows(letters.stuck)
        self.rows = to_rows(found.items)
        paging = found.paging
        self.total, self.page, self.pages = paging.total, paging.page, paging.pages
        self.counts = counts
        self.loaded = True
        return None

    @event
    @requires(Role.ADMIN)
    def load(self) -> EventSpec | None:
        return self._fetch()

    @event
    @requires(Role.ADMIN)
    def apply(self, form_data: FormData) -> EventSpec:
        status = clean(form_text(form_data, "status", 20), message_log.STATUSES)
        channel = clean(form_text(form_data, "channel", 20), message_log.CHANNELS)
        return rx.redirect(messages_url(status, channel))

    @event
    @requires(Role.ADMIN)
    def go_to_page(self, page: int) -> EventSpec | None:
        if type(page) is not int or not 1 <= page <= self.pages:
            return None
        return rx.redirect(messages_url(self.status, self.channel, page))

    @event
    @requires(Role.ADMIN)
    def retry(self, message_id: str) -> EventSpec:
        """Send a failed or kept message again (only one listed on this page)."""
        row = find_row(self.rows, "id", message_id, can_retry="true")
        chosen = parse_id(message_id) if row else None
        if chosen is None:
            return rx.toast.error("Choose a failed message from the list.")
        done = in_session(message_log.retry_message, message_id=chosen, **actor(), now=utcnow())
        refreshed = self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return refreshed or rx.toast.success("The message is queued to be sent again.")

    @event
    @requires(Role.ADMIN)
    def retry_letters(self, pending_id: str) -> EventSpec:
        """Let the worker try a stuck change's letters again (only one listed here)."""
        chosen = parse_id(pending_id) if find_row(self.stuck, "id", pending_id) else None
        if chosen is None:
            return rx.toast.error("Choose a change from the list of failed letters.")
        done = in_session(message_log.retry_letters, pending_id=chosen, **actor(), now=utcnow())
        refreshed = self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return refreshed or rx.toast.success("The worker will write these letters again.")
