"""Review moderation (admin-only, /admin/reviews): every review newest first, filtered to
the visible or the hidden ones; hiding one needs a reason; both changes are audited
(``review_moderation``).

Only reviews of the listed page can be acted on: the id a (possibly crafted) event names
must be a listed row in the right state (visible to hide, hidden to unhide).
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.catalog import review_moderation as moderation
from healthcareplus.ui.shared.guard import actor, current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, to_row
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That review is not in the list as shown. Refresh the list and try again."


class AdminReviewsState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    shown: Field[str] = field("all")
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    total: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    hiding: Field[str] = field("")  # the id of the review being hidden ("" = none)
    hide_error: Field[str] = field("")

    def _fetch(self, page: object) -> EventSpec | None:
        listed = in_session(
            moderation.moderation_list, actor_id=current_viewer().id, shown=self.shown, page=page
        )
        if isinstance(listed, Failed):
            return listed.toast()
        self.rows = [
            to_row(m.review, doctor_name=m.doctor_name, patient_name=m.patient_name)
            for m in listed.items
        ]
        self.page, self.pages = listed.paging.page, listed.paging.pages
        self.total, self.loaded = listed.paging.total, True
        return None

    @event
    @requires(Role.ADMIN)
    def load(self) -> EventSpec | None:
        self.reset()
        return self._fetch(1)

    @event
    @requires(Role.ADMIN)
    def show(self, shown: str) -> EventSpec | None:
        self.shown = shown if shown in moderation.SHOWN else "all"
        return self._fetch(1)

    @event
    @requires(Role.ADMIN)
    def go_to_page(self, page: int) -> EventSpec | None:
        return self._fetch(page if type(page) is int else 1)

    @event
    @requires(Role.ADMIN)
    def start_hide(self, review_id: str) -> EventSpec | None:
        row = find_row(self.rows, "id", review_id, hidden="false")
        if row is None:
            return rx.toast.error(NOT_LISTED)
        self.hiding, self.hide_error = row["id"], ""
        return None

    @event
    @requires(Role.ADMIN)
    def close_hide(self, is_open: bool = False) -> None:
        if is_open is not True:
            self.hiding, self.hide_error = "", ""

    @event
    @requires(Role.ADMIN)
    def hide(self, form_data: dict) -> EventSpec | None:
        if not self.hiding:
            return None
        reason = form_data.get("reason") if isinstance(form_data, dict) else None
        done = in_session(
            moderation.hide_review,
            review_id=int(self.hiding),
            reason=reason if isinstance(reason, str) else "",
            **actor(),
            now=utcnow(),
        )
        if isinstance(done, Failed) and done.invalid:
            self.hide_error = done.field("reason")
            return None
        self.hiding, self.hide_error = "", ""
        refreshed = self._fetch(self.page)
        if isinstance(done, Failed):
            return done.toast()
        return refreshed or rx.toast.success("Review hidden. It no longer counts or shows.")

    @event
    @requires(Role.ADMIN)
    def unhide(self, review_id: str) -> EventSpec | None:
        row = find_row(self.rows, "id", review_id, hidden="true")
        if row is None:
            return rx.toast.error(NOT_LISTED)
        done = in_session(
            moderation.unhide_review, review_id=int(row["id"]), **actor(), now=utcnow()
        )
        refreshed = self._fetch(self.page)
        if isinstance(done, Failed):
            return done.toast()
        return refreshed or rx.toast.success("Review shown again.")
