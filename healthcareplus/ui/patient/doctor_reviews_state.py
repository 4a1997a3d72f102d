"""The reviews on a doctor's public profile: the visible ones, newest first, a page at a
time (public: only what every visitor may read, authors by first name and initial)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.domain.catalog import reviews
from healthcareplus.ui.shared.guard import public
from healthcareplus.ui.shared.rows import last_path_id, to_row
from healthcareplus.ui.shared.typed import Field, event, field


class DoctorReviewsListState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    page: Field[int] = field(1)
    pages: Field[int] = field(1)
    total: Field[int] = field(0)

    def _fetch(self, page: object) -> None:
        doctor_id = last_path_id(self.router.url.path) or 0
        with session_scope() as db:
            listed = reviews.visible_reviews(db, doctor_id=doctor_id, page=page)
        self.rows = [to_row(r) for r in listed.items]
        self.page, self.pages = listed.paging.page, listed.paging.pages
        self.total = listed.paging.total

    @event
    @public
    def load(self) -> None:
        self._fetch(1)

    @event
    @public
    def go_to_page(self, page: int) -> None:
        self._fetch(page if type(page) is int else 1)
