"""Sign-in and registration forms (patients and doctors; administrators on their portal)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.core.errors import (
    AuthenticationFailed,
    TooManyAttempts,
    ValidationFailed,
)
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts import auth
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE, public
from healthcareplus.ui.shared.session import SessionState

FORM_FIELDS = ("name", "email", "phone", "password", "confirm_password", "admin_code")


def _text(form_data: Any, key: str, limit: int = 300) -> str:
    """A form value as bounded text, whatever the browser sent."""
    value = form_data.get(key, "") if isinstance(form_data, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


class AccountFormState(rx.State):
    errors: dict[str, str] = {}
    message: str = ""

    @rx.event
    @public
    def reset_form(self) -> None:
        self.errors = {}
        self.message = ""

    async def _signed_in(self, user: User, default: str) -> list:
        session_state = await self.get_state(SessionState)
        session_state._start(user)
        self.errors = {}
        self.message = ""
        target = routes.safe_next(self.router.url.query_parameters.get("next"), default)
        return [rx.toast.success(f"Welcome, {user.name}!"), rx.redirect(target)]

    async def _login(self, form_data: dict, roles: tuple[str, ...]) -> list | None:
        self.errors = {}
        self.message = ""
        email, password = _text(form_data, "email"), _text(form_data, "password", 200)
        if not email or not password:
            self.message = "Enter your email and password."
            return None
        try:
            with session_scope() as db:
                user = auth.authenticate(
                    db,
                    email=email,
                    password=password,
                    client_key=auth.client_key_for(self.router.session.client_ip),
                    roles=roles,
                )
        except (AuthenticationFailed, TooManyAttempts) as exc:
            self.message = str(exc)
            return None
        return await self._signed_in(user, HOME_FOR_ROLE.get(user.role, routes.HOME))

    @rx.event
    @public
    async def sign_in(self, form_data: dict) -> list | None:
        return await self._login(form_data, (Role.PATIENT, Role.DOCTOR))

    @rx.event
    @public
    async def sign_in_admin(self, form_data: dict) -> list | None:
        return await self._login(form_data, (Role.ADMIN,))

    async def _register(self, form_data: dict, *, admin: bool) -> list | None:
        self.errors = {}
        self.message = ""
        fields = {key: _text(form_data, key) for key in FORM_FIELDS}
        try:
            with session_scope() as db:
                if admin:
                    user = accounts.register_admin(db, **fields)
                else:
                    fields.pop("admin_code")
                    user = accounts.register_patient(db, **fields)
        except ValidationFailed as exc:
            self.errors = exc.fields
            self.message = "Please correct the highlighted fields."
            return None
        return await self._signed_in(user, routes.ADMIN_HOME if admin else routes.HOME)

    @rx.event
    @public
    async def register_patient(self, form_data: dict) -> list | None:
        return await self._register(form_data, admin=False)

    @rx.event
    @public
    async def register_admin(self, form_data: dict) -> list | None:
        return await self._register(form_data, admin=True)
