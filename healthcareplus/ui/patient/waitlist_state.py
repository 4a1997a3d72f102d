"""The patient's waitlist page: their entries and open offers (accept, decline, leave),
and joining a doctor's waitlist from the booking page."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.booking import waitlist, waitlist_offers
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field


class WaitlistState(rx.State):
    entries: Field[list[dict[str, str]]] = field(default_factory=list)
    offers: Field[list[dict[str, str]]] = field(default_factory=list)
    message: Field[str] = field("")
    join_errors: Field[dict[str, str]] = field(default_factory=dict)
    loaded: Field[bool] = field(False)

    def _refresh(self) -> None:
        patient_id, now = current_viewer().id, utcnow()
        entries = in_session(waitlist.my_waitlist, patient_id=patient_id, now=now)
        offers = in_session(waitlist_offers.my_offers, patient_id=patient_id, now=now)
        self.entries = [] if isinstance(entries, Failed) else to_rows(entries)
        self.offers = [] if isinstance(offers, Failed) else to_rows(offers)
        self.loaded = True

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.message = ""
        self._refresh()

    @event
    @requires(Role.PATIENT)
    def join(self, form_data: FormData) -> EventSpec | None:
        """Join a doctor's waitlist for the days chosen (the booking page's form)."""
        self.join_errors = {}
        doctor = parse_id(form_text(form_data, "doctor_id", 12))
        if doctor is None:
            return rx.toast.error("Doctor not found.")
        joined = in_session(
            waitlist.join_waitlist,
            patient_id=current_viewer().id,
            doctor_id=doctor,
            from_day=form_text(form_data, "from_day", 10),
            to_day=form_text(form_data, "to_day", 10),
            now=utcnow(),
        )
        if isinstance(joined, Failed):
            if joined.invalid:
                self.join_errors = joined.fields
                return None
            return joined.toast()
        return [  # type: ignore[return-value]
            rx.toast.success("You are on the waitlist. We will tell you when a slot frees up."),
            rx.redirect(routes.WAITLIST),
        ]

    @event
    @requires(Role.PATIENT)
    def leave(self, entry_id: str) -> EventSpec | None:
        entry = find_row(self.entries, "id", entry_id)
        if entry is None:
            self.message = waitlist.ENTRY_MISSING
            return None
        left = in_session(
            waitlist.leave_waitlist,
            patient_id=current_viewer().id,
            entry_id=parse_id(entry["id"]),
            now=utcnow(),
        )
        self._refresh()
        if isinstance(left, Failed):
            self.message = left.message
            return None
        return rx.toast.success(f"You left the waitlist for {entry['doctor_name']}.")

    @event
    @requires(Role.PATIENT)
    def accept(self, offer_id: str) -> EventSpec | None:
        offer = find_row(self.offers, "id", offer_id)
        if offer is None:
            self.message = waitlist_offers.OFFER_MISSING
            return None
        accepted = in_session(
            waitlist_offers.accept_offer,
            patient_id=current_viewer().id,
            offer_id=parse_id(offer["id"]),
            now=utcnow(),
        )
        if isinstance(accepted, Failed):
            self._refresh()
            self.message = accepted.message
            return None
        return rx.redirect(routes.payment_url(accepted))

    @event
    @requires(Role.PATIENT)
    def decline(self, offer_id: str) -> EventSpec | None:
        offer = find_row(self.offers, "id", offer_id)
        if offer is None:
            self.message = waitlist_offers.OFFER_MISSING
            return None
        declined = in_session(
            waitlist_offers.decline_offer,
            patient_id=current_viewer().id,
            offer_id=parse_id(offer["id"]),
            now=utcnow(),
        )
        self._refresh()
        if isinstance(declined, Failed):
            self.message = declined.message
            return None
        return rx.toast.success("Offer declined. You are still on the waitlist.")
