"""Doctors' fee change requests (admin-only): approve one, or decline it with a note for
the doctor (``domain.admin.fee_requests``). A request is acted on only if it is in the
list the admin is looking at; the domain re-checks that it is still pending."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_date, format_rupees
from healthcareplus.core.models import Role
from healthcareplus.domain.admin import fee_requests
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That request is not in the list. Refresh the list and try again."


def request_row(request: fee_requests.PendingFeeRequest) -> dict[str, str]:
    return {
        "id": str(request.id),
        "doctor": request.doctor,
        "hospital": request.hospital,
        "current": format_rupees(request.current_fee_paise),
        "requested": format_rupees(request.requested_fee_paise),
        "reason": request.reason or "—",
        "asked": format_local_date(request.requested_at),
    }


class AdminFeeRequestsState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)
    declining: Field[str] = field("")  # the id of the request whose decline dialog is open
    decline_errors: Field[dict[str, str]] = field(default_factory=dict)

    def _fetch(self) -> EventSpec | None:
        found = in_session(fee_requests.pending_fee_requests, actor_id=current_viewer().id)
        if isinstance(found, Failed):
            return found.toast()
        self.rows = [request_row(r) for r in found]
        self.loaded = True
        return None

    def _listed(self, request_id: object) -> int | None:
        row = find_row(self.rows, "id", request_id) if isinstance(request_id, str) else None
        return int(row["id"]) if row else None

    def _decide(self, request_id: int, *, approve: bool, note: str = "") -> list[EventSpec]:
        done = in_session(
            fee_requests.decide_fee_request,
            actor_id=current_viewer().id,
            request_id=request_id,
            approve=approve,
            note=note,
            now=utcnow(),
        )
        if isinstance(done, Failed) and done.invalid:
            self.decline_errors = done.fields
            return []
        self.declining, self.decline_errors = "", {}
        refreshed = self._fetch()
        if isinstance(done, Failed):
            return [done.toast()]
        if refreshed is not None:
            return [refreshed]
        verb = "approved: the new fee applies to new bookings" if approve else "declined"
        return [rx.toast.success(f"Fee change {verb}. The doctor has been told.")]

    @event
    @requires(Role.ADMIN)
    def load(self) -> EventSpec | None:
        self.declining, self.decline_errors = "", {}
        return self._fetch()

    @event
    @requires(Role.ADMIN)
    def approve(self, request_id: str) -> list[EventSpec]:
        listed = self._listed(request_id)
        if listed is None:
            return [rx.toast.error(NOT_LISTED)]
        return self._decide(listed, approve=True)

    @event
    @requires(Role.ADMIN)
    def open_decline(self, request_id: str) -> None:
        self.decline_errors = {}
        self.declining = str(self._listed(request_id) or "")

    @event
    @requires(Role.ADMIN)
    def decline_dialog_changed(self, is_open: bool) -> None:
        if is_open is not True:
            self.declining, self.decline_errors = "", {}

    @event
    @requires(Role.ADMIN)
    def decline(self, form_data: FormData) -> list[EventSpec]:
        """The open "Decline" dialog's form: declines the request ``open_decline`` chose."""
        listed = self._listed(self.declining)
        if listed is None:
            self.declining = ""
            return [rx.toast.error(NOT_LISTED)]
        return self._decide(listed, approve=False, note=form_text(form_data, "reason", 600))
