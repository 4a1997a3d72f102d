"""Administrators: the list and creating another admin (admin-only).

A generated password is kept in ``created`` only from its creation until the next load
or dismissal, so it is shown once; the database holds only its hash.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import admins as svc
from healthcareplus.ui.admin.lists import NewAccount, PagedList, form_values
from healthcareplus.ui.shared.guard import actor, current_viewer, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.typed import Field, event, field

FORM_FIELDS = ("name", "email", "phone", "password", "confirm_password")


class AdminAdminsState(PagedList, NewAccount, rx.State):
    items: Field[list[dict[str, str]]] = field(default_factory=list)
    me: Field[str] = field("")  # the signed-in admin's id, to mark "you" in the list
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")
    form_key: Field[int] = field(0)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> None:
        self.items = self._page_rows(svc.list_admins)
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
    def create(self, form_data: Any) -> EventSpec | None:
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
