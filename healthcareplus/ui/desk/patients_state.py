"""The front desk's patients page (/desk): find a patient by mobile number or name, or
register someone who phones or walks in, then open them to book."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.desk import patients
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

DESK = (Role.FRONT_DESK, Role.ADMIN)


class DeskPatientsState(rx.State):
    query: Field[str] = field("")
    matches: Field[list[dict[str, str]]] = field(default_factory=list)
    searched: Field[bool] = field(False)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    error: Field[str] = field("")
    loaded: Field[bool] = field(False)

    @event
    @requires(*DESK)
    def load(self) -> None:
        self.reset()
        self.loaded = True

    @event
    @requires(*DESK)
    def search(self, form_data: FormData) -> None:
        self.query = form_text(form_data, "q", 120)
        found = in_session(
            patients.find_patients, actor_id=current_viewer().id, query=self.query, now=utcnow()
        )
        if isinstance(found, Failed):
            self.error, self.matches = found.message, []
            return
        self.error, self.matches, self.searched = "", to_rows(found), True

    @event
    @requires(*DESK)
    def register(self, form_data: FormData) -> list[EventSpec] | None:
        made = in_session(
            patients.register_walk_in,
            actor_id=current_viewer().id,
            name=form_text(form_data, "name", 120),
            phone=form_text(form_data, "phone", 20),
            email=form_text(form_data, "email", 254),
            date_of_birth=form_text(form_data, "date_of_birth", 10),
            now=utcnow(),
        )
        if isinstance(made, Failed):
            self.errors, toast = made.fields_or_toast()
            return [toast] if toast is not None else None
        self.errors = {}
        told = f" An invitation to claim the account went to {made.invited_email}."
        told = told if made.invited_email else ""
        return [
            rx.toast.success(f"Patient registered.{told}"),
            rx.redirect(routes.desk_patient_url(made.patient_id)),
        ]


__all__ = ["DESK", "DeskPatientsState"]
