"""The doctor's reviews (/doctor-portal/reviews): their visible reviews, newest first, a
page at a time, and one reply to each (final once posted: ``review_moderation``).

A reply can only be started on a review of the listed page that has none yet; the domain
checks the doctor and the review again when it is saved.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.catalog import review_moderation as moderation
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, to_row
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That review is not in the list, or already has your reply. Refresh the page."


class DoctorReviewsState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    total: Field[int] = field(0)
    summary: Field[str] = field("")
    loaded: Field[bool] = field(False)
    error: Field[str] = field("")
    replying: Field[str] = field("")  # the id of the review being answered ("" = none)
    reply_error: Field[str] = field("")

    def _fetch(self, page: object) -> None:
        listed = in_session(moderation.doctor_reviews, actor_id=current_viewer().id, page=page)
        if isinstance(listed, Failed):
            self.error, self.rows = listed.message, []
            return
        paging = listed.page.paging
        self.rows = [to_row(r) for r in listed.page.items]
        self.page, self.pages, self.total = paging.page, paging.pages, paging.total
        self.summary = listed.rating.label

    @event
    @requires(Role.DOCTOR)
    def load(self) -> None:
        self.reset()
        self._fetch(1)
        self.loaded = True

    @event
    @requires(Role.DOCTOR)
    def go_to_page(self, page: int) -> None:
        self._fetch(page if type(page) is int else 1)

    @event
    @requires(Role.DOCTOR)
    def start_reply(self, review_id: str) -> EventSpec | None:
        row = find_row(self.rows, "id", review_id, reply="") if isinstance(review_id, str) else None
        if row is None:
            return rx.toast.error(NOT_LISTED)
        self.replying, self.reply_error = row["id"], ""
        return None

    @event
    @requires(Role.DOCTOR)
    def close_reply(self, is_open: bool = False) -> None:
        if is_open is not True:
            self.replying, self.reply_error = "", ""

    @event
    @requires(Role.DOCTOR)
    def reply(self, form_data: dict) -> EventSpec | None:
        if not self.replying:
            return None
        text = form_data.get("reply") if isinstance(form_data, dict) else None
        done = in_session(
            moderation.reply_to_review,
            review_id=int(self.replying),
            reply=text if isinstance(text, str) else "",
            actor_id=current_viewer().id,
            now=utcnow(),
        )
        if isinstance(done, Failed) and done.invalid:
            self.reply_error = done.field("reply")
            return None
        self.replying, self.reply_error = "", ""
        self._fetch(self.page)
        return done.toast() if isinstance(done, Failed) else rx.toast.success("Reply posted.")
