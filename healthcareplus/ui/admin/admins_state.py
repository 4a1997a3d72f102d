"""Administrators: the list and creating another admin (admin-only).

A generated password is kept in ``created`` only from its creation until the next load
or dismissal, so it is shown once; the database holds only its hash.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import admins as svc
from healthcareplus.ui.admin.lists import form_values, list_rows, page_arg
from healthcareplus.ui.shared.guard import current_viewer, requires

FORM_FIELDS = ("name", "email", "phone", "password", "confirm_password")


class AdminAdminsState(rx.State):
    items: list[dict[str, str]] = []
    pager: dict[str, str] = {}
    page: int = 1
    me: str = ""  # the signed-in admin's id, to mark "you" in the list
    errors: dict[str, str] = {}
    message: str = ""
    created: dict[str, str] = {}  # name, email and (when generated) password: shown once
    form_key: int = 0
    loaded: bool = False

    def _fetch(self) -> None:
        with session_scope() as db:
            result = svc.list_admins(db, page=self.page)
        self.items, self.pager, self.page = list_rows(result)
        self.loaded = True

    @rx.event
    @requires(Role.ADMIN)
    def load(self) -> None:
        self.created, self.errors, self.message, self.page = {}, {}, "", 1
        self.me = str(current_viewer().id)
        self.form_key += 1
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def go_page(self, page: Any) -> None:
        self.page = page_arg(page)
        self._fetch()

    @rx.event
    @requires(Role.ADMIN)
    def create(self, form_data: Any) -> rx.event.EventSpec | None:
        self.errors, self.message = {}, ""
        values = form_values(form_data, FORM_FIELDS, 300)
        viewer = current_viewer()
        try:
            with session_scope() as db:
                made = svc.create_admin(
                    db, **values, actor_id=viewer.id, actor_role=viewer.role, now=utcnow()
                )
        except ValidationFailed as exc:
            self.errors = exc.fields
            self.message = "Please correct the highlighted fields."
            return None
        self.created = {
            "name": made.admin.name,
            "email": made.admin.email,
            "password": made.one_time_password or "",
        }
        self.form_key += 1  # a blank form for the next one
        self._fetch()
        return rx.toast.success(f"{made.admin.name} is now an administrator.")

    @rx.event
    @requires(Role.ADMIN)
    def dismiss_password(self) -> None:
        self.created = {}
