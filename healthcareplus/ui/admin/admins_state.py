"""Administrators: the list, creating another admin, and deactivating or reactivating
one (admin-only).

A generated password is kept in ``created`` only from its creation until the next load
or dismissal, so it is shown once; the database holds only its hash. A deactivated admin
is signed out everywhere at once (``admins.set_admin_active``).
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import admins as svc
from healthcareplus.ui.admin.lists import NewAccount, SortedList, activation_toast, form_values
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import actor, current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row, form_text, parse_id
from healthcareplus.ui.shared.typed import Field, event, field

FORM_FIELDS = ("name", "email", "phone", "password", "confirm_password")


class AdminAdminsState(SortedList, NewAccount, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    me: Field[str] = field("")  # the signed-in admin's id, to mark "you" in the list
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> None:
        self.items = self._page_rows(svc.list_admins, sort=self.sort)
        self.loaded = True

    @event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.created, self.errors, self.message, self.page = {}, {}, "", 1
        self.me = str(current_viewer().id)
        self.form_key += 1
        self._fetch()

    @event
    @requires(Role.ADMIN)
    def create(self, form_data: FormData) -> EventSpec | None:
        self.errors, self.message = {}, ""
        values = form_values(form_data, FORM_FIELDS, 300)
        made = in_session(
            svc.create_admin,
            name=values["name"],
            email=values["email"],
            phone=values["phone"],
            password=values["password"],
            confirm_password=values["confirm_password"],
            **actor(),
            now=utcnow(),
        )
        if isinstance(made, Failed):
            self.errors, self.message = made.form()
            return None
        self.created = {
            "name": made.admin.name,
            "email": made.admin.email,
            "password": made.one_time_password or "",
        }
        self.form_key += 1  # a blank form for the next one
        self._fetch()
        return rx.toast.success(f"{made.admin.name} is now an administrator.")

    def _set_active(self, admin_id: Any, active: bool, reason: str) -> EventSpec:
        """Deactivate or reactivate an admin of the list shown (any other id: refused)."""
        chosen = parse_id(admin_id) if isinstance(admin_id, str | int) else None
        row = find_row(self.items, "id", str(chosen)) if chosen else None
        if chosen is None or row is None:
            return rx.toast.error(svc.NOT_AN_ADMIN)
        done = in_session(
            svc.set_admin_active,
            admin_id=chosen,
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
        """The confirmation's form: the admin's id (hidden) and an optional reason."""
        admin_id = form_text(form_data, "admin_id", 12)
        return self._set_active(admin_id, False, form_text(form_data, "reason", 500))

    @event
    @requires(Role.ADMIN)
    def reactivate(self, admin_id: str) -> EventSpec:
        return self._set_active(admin_id, True, "")
