"""Family members on the patient's profile: the list, the add/edit form and removal."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import dependants as family
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id, to_rows
from healthcareplus.ui.shared.typed import Field, event, field

NEW = "new"  # ``editing`` while the form adds a family member
BLANK = {key: "" for key in family.DEPENDANT_FIELDS}
REMOVED = {
    "deleted": "{name} was removed.",
    "archived": "{name} was removed (kept on past visits).",
}


def dependant_form(form_data: FormData) -> family.DependantForm:
    """The family member fields of a submitted form (missing or odd -> "")."""

    def text(key: str) -> str:
        return form_text(form_data, key, 4000)

    return family.DependantForm(
        name=text("name"),
        relation=text("relation"),
        date_of_birth=text("date_of_birth"),
        gender=text("gender"),
        blood_group=text("blood_group"),
        allergies=text("allergies"),
        medical_history=text("medical_history"),
    )


class FamilyState(rx.State):
    members: Field[list[dict[str, str]]] = field(default_factory=list)
    editing: Field[str] = field("")  # "" no form, NEW, or the id being edited
    values: Field[dict[str, str]] = field(default_factory=dict)  # the form's starting values
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)  # a new key draws the form afresh with ``values``
    loaded: Field[bool] = field(False)

    def _refresh(self) -> None:
        with session_scope() as db:
            rows = family.list_dependants(db, holder_id=current_viewer().id)
        self.members = to_rows(rows)
        self.loaded = True

    def _open_form(self, editing: str, values: dict[str, str]) -> None:
        self.editing, self.values, self.errors, self.message = editing, values, {}, ""
        self.form_key += 1

    @event
    @requires(Role.PATIENT)
    def load(self) -> None:
        self.editing, self.values, self.errors, self.message = "", {}, {}, ""
        self._refresh()

    @event
    @requires(Role.PATIENT)
    def start_add(self) -> None:
        if len(self.members) >= family.MAX_DEPENDANTS:
            self.message = family.TOO_MANY
            return
        self._open_form(NEW, dict(BLANK))

    @event
    @requires(Role.PATIENT)
    def start_edit(self, dependant_id: str) -> None:
        member = find_row(self.members, "id", dependant_id)
        if member is None:
            self.message = family.MISSING
            return
        self._open_form(member["id"], {key: member[key] for key in family.DEPENDANT_FIELDS})

    @event
    @requires(Role.PATIENT)
    def close_form(self) -> None:
        self.editing, self.values, self.errors = "", {}, {}

    @event
    @requires(Role.PATIENT)
    def save(self, form_data: FormData) -> EventSpec | None:
        if not self.editing:
            return None
        values, holder_id, now = dependant_form(form_data), current_viewer().id, utcnow()
        self.errors, self.message = {}, ""
        if self.editing == NEW:
            saved = in_session(family.add_dependant, holder_id=holder_id, now=now, **values)
        else:
            saved = in_session(
                family.update_dependant,
                holder_id=holder_id,
                dependant_id=parse_id(self.editing),
                now=now,
                **values,
            )
        if isinstance(saved, Failed):
            self.errors, self.message = saved.form()
            if saved.not_found:
                self._refresh()
            return None
        self.editing, self.values = "", {}
        self._refresh()
        return rx.toast.success(f"{saved.name} saved.")

    @event
    @requires(Role.PATIENT)
    def remove(self, dependant_id: str) -> EventSpec | None:
        member = find_row(self.members, "id", dependant_id)
        if member is None:
            self.message = family.MISSING
            return None
        outcome = in_session(
            family.remove_dependant,
            holder_id=current_viewer().id,
            dependant_id=parse_id(member["id"]),
            now=utcnow(),
        )
        self._refresh()
        if isinstance(outcome, Failed):
            self.message = outcome.message
            return None
        if self.editing == member["id"]:
            self.editing, self.values, self.errors = "", {}, {}
        self.message = ""
        return rx.toast.success(REMOVED[outcome].format(name=member["name"]))
