"""The "Rate your visit" / "Edit your review" dialog on My appointments.

``start`` opens it only for a visit the domain offers to the caller (their own completed
visit whose doctor they have not reviewed, or the reviewed one while it is editable), so
the ids it keeps came from the server; ``save`` writes or edits through the domain, which
checks everything again.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.i18n import N_, gettext
from healthcareplus.core.models import Role
from healthcareplus.core.review_models import MAX_BODY
from healthcareplus.domain.catalog import reviews
from healthcareplus.ui.patient.appointments_state import AppointmentsState
from healthcareplus.ui.shared.guard import actor, current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.typed import Field, event, field

NOT_OFFERED = N_("This visit cannot be rated now. Refresh the page and try again.")
RATINGS = ("1", "2", "3", "4", "5")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class ReviewDialogState(rx.State):
    shown: Field[bool] = field(False)
    editing: Field[bool] = field(False)
    appointment_id: Field[str] = field("")
    review_id: Field[int] = field(0)
    rating: Field[str] = field("")  # "1".."5" or "" (none chosen yet)
    body: Field[str] = field("")
    errors: Field[dict[str, str]] = field(default_factory=dict)

    def _close(self) -> None:
        self.shown, self.editing, self.appointment_id, self.review_id = False, False, "", 0
        self.rating, self.body, self.errors = "", "", {}

    @event
    @requires(Role.PATIENT)
    def start(self, appointment_id: str) -> EventSpec | None:
        self._close()
        visit = _text(appointment_id)[:36]
        with session_scope() as db:
            offers = reviews.visit_reviews(
                db, patient_id=current_viewer().id, appointment_ids=[visit], now=utcnow()
            )
        offer = offers.get(visit)
        if offer is None:
            return rx.toast.error(gettext(NOT_OFFERED))
        self.appointment_id, self.editing = visit, offer.action == "edit"
        self.review_id = offer.review_id or 0
        self.rating = str(offer.rating) if offer.rating else ""
        self.body, self.shown = offer.body, True
        return None

    @event
    @requires(Role.PATIENT)
    def close(self, is_open: bool = False) -> None:
        """The dialog closed (Cancel, Escape or outside it): forget what it was about."""
        if is_open is not True:
            self._close()

    @event
    @requires(Role.PATIENT)
    def save(self, form_data: dict) -> list[Any] | None:
        if not self.shown:
            return None
        data = form_data if isinstance(form_data, dict) else {}
        raw = _text(data.get("rating"))
        rating = int(raw) if raw in RATINGS else 0
        body = _text(data.get("body"))[: MAX_BODY * 2]
        if self.editing:
            done = in_session(
                reviews.edit_review,
                review_id=self.review_id,
                rating=rating,
                body=body,
                actor_id=actor()["actor_id"],
                now=utcnow(),
            )
        else:
            done = in_session(
                reviews.write_review,
                appointment_id=self.appointment_id,
                rating=rating,
                body=body,
                actor_id=actor()["actor_id"],
                now=utcnow(),
            )
        if isinstance(done, Failed):
            if done.invalid:
                self.errors = done.fields
                return None
            self._close()
            return [done.toast(), AppointmentsState.load]
        message = gettext(
            N_("Your review is updated.") if self.editing else N_("Thank you for your review.")
        )
        self._close()
        return [rx.toast.success(message), AppointmentsState.load]
