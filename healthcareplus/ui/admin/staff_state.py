"""Front-desk staff: the list (sorted by its columns), creating a front-desk user tied to
one or more hospitals, changing their hospitals, and deactivating or reactivating one
(admin-only).

The one-time password of a new account is kept in ``created`` only from its creation
until the next load or dismissal, so it is shown once; the database holds only its hash
(``front_desk_staff.create_front_desk_user``). A deactivated front-desk user is signed
out everywhere at once. The hospitals are ticked in the forms: one checkbox per hospital,
named ``hospital-<id>``.
"""

from __future__ import annotations

import re
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import front_desk_staff as svc
from healthcareplus.ui.admin.lists import NewAccount, SortedList, activation_toast, form_values
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id
from healthcareplus.ui.shared.typed import Field, event, field

FORM_FIELDS = ("name", "email", "phone")
HOSPITAL_FIELD = "hospital-{}"
_HOSPITAL_KEY = re.compile(r"hospital-([0-9]{1,10})")


def chosen_hospitals(form_data: Any) -> list[int]:
    """The ids of the hospitals ticked in a form (its ``hospital-<id>`` checkboxes; at
    most ``svc.MAX_HOSPITALS + 1`` read, so the service refuses a crafted flood)."""
    if not isinstance(form_data, dict):
        return []
    ids: list[int] = []
    for key, value in form_data.items():
        match = _HOSPITAL_KEY.fullmatch(key) if isinstance(key, str) else None
        number = parse_id(match.group(1)) if match else None
        if number is not None and value in ("on", True):
            ids.append(number)
            if len(ids) > svc.MAX_HOSPITALS:
                break
    return ids


def hospital_rows() -> list[dict[str, str]]:
    """Every hospital to tick, by city then name; ``first`` marks the first of its city
    (where the form shows the city's name)."""
    with session_scope() as db:
        options = svc.hospital_options(db)
    rows, city = [], None
    for option in options:
        first = option.city != city
        city = option.city
        rows.append(
            {
                "id": str(option.id),
                "name": option.name,
                "city": option.city,
                "first": "true" if first else "false",
            }
        )
    return rows


class AdminFrontDeskStaffState(SortedList, NewAccount, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    hospitals: Field[list[dict[str, str]]] = field(default_factory=list)
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)
    # The hospitals dialog: whose hospitals (id and name), the ids ticked when it opened.
    editing: Field[dict[str, str]] = field(default_factory=dict)
    chosen: Field[list[str]] = field(default_factory=list)
    edit_error: Field[str] = field("")
    edit_open: Field[bool] = field(False)
    edit_key: Field[int] = field(0)

    def _fetch(self) -> None:
        self.items = self._page_rows(svc.list_front_desk_users, sort=self.sort)
        self.loaded = True

    def _listed(self, user_id: Any) -> dict[str, str] | None:
        """The row of the list shown with this id (anything else: None)."""
        chosen = parse_id(user_id) if isinstance(user_id, str | int) else None
        return find_row(self.items, "id", str(chosen)) if chosen else None

    def _close_edit(self) -> None:
        self.edit_open, self.editing, self.chosen, self.edit_error = False, {}, [], ""

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.created, self.errors, self.message, self.page = {}, {}, "", 1
        self._close_edit()
        self.hospitals = hospital_rows()
        self.form_key += 1
        self._fetch()

    @event
    @requires(Role.ADMIN)
    def create(self, form_data: FormData) -> EventSpec | None:
        self.errors, self.message = {}, ""
        values = form_values(form_data, FORM_FIELDS, 300)
        made = in_session(
            svc.create_front_desk_user,
            name=values["name"],
            email=values["email"],
            phone=values["phone"],
            hospital_ids=chosen_hospitals(form_data),
            **actor(),
            now=utcnow(),
        )
        if isinstance(made, Failed):
            self.errors, self.message = made.form()
            return None
        self.created = {
            "name": made.user.name,
            "email": made.user.email,
            "password": made.one_time_password,
        }
        self.form_key += 1  # a blank form for the next one
        self._fetch()
        return rx.toast.success(f"{made.user.name} can now work the front desk.")

    @event
    @requires(Role.ADMIN)
    def edit_hospitals(self, user_id: str) -> EventSpec | None:
        """Open the hospitals dialog for a front-desk user of the list shown."""
        row = self._listed(user_id)
        if row is None:
            return rx.toast.error(svc.NOT_FRONT_DESK)
        self.editing = {"id": row["id"], "name": row["name"]}
        self.chosen = [part.strip() for part in row["hospital_ids"].split(",") if part.strip()]
        self.edit_error, self.edit_open = "", True
        self.edit_key += 1
        return None

    @event
    @requires(Role.ADMIN)
    def set_edit_open(self, open_: bool) -> None:
        if open_ is False:
            self._close_edit()

    @event
    @requires(Role.ADMIN)
    def save_hospitals(self, form_data: FormData) -> EventSpec | None:
        """The dialog's form: the hospitals ticked for the user it was opened for."""
        self.edit_error = ""
        row = self._listed(self.editing.get("id")) if self.edit_open else None
        if row is None:
            self._close_edit()
            return rx.toast.error(svc.NOT_FRONT_DESK)
        done = in_session(
            svc.set_front_desk_hospitals,
            user_id=int(row["id"]),
            hospital_ids=chosen_hospitals(form_data),
            **actor(),
            now=utcnow(),
        )
        if isinstance(done, Failed) and done.invalid:
            self.edit_error = done.field("hospital_ids")  # the dialog stays open with it
            return None
        self._close_edit()
        self._fetch()
        if isinstance(done, Failed):
            return done.toast()
        return rx.toast.success(f"{done.name} now works at {done.hospitals}.")

    def _set_active(self, user_id: Any, active: bool, reason: str) -> EventSpec:
        """Deactivate or reactivate a front-desk user of the list shown (any other id:
        refused)."""
        row = self._listed(user_id)
        if row is None:
            return rx.toast.error(svc.NOT_FRONT_DESK)
        done = in_session(
            svc.set_front_desk_active,
            user_id=int(row["id"]),
            active=active,
            reason=reason,
            **actor(),
            now=utcnow(),
        )
        self._fetch()
        return activation_toast(done, active)

    @event
    @requires(Role.ADMIN)
    def deactivate(self, form_data: FormData) -> EventSpec:
        """The confirmation's form: the user's id (hidden) and an optional reason."""
        user_id = form_text(form_data, "user_id", 12)
        return self._set_active(user_id, False, form_text(form_data, "reason", 500))

    @event
    @requires(Role.ADMIN)
    def reactivate(self, user_id: str) -> EventSpec:
        return self._set_active(user_id, True, "")
