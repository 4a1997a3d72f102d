"""Sign-in and registration forms (patients and doctors; administrators on their portal)."""

from __future__ import annotations

import reflex as rx

from healthcareplus.core import routes
from healthcareplus.core.i18n import use_language
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts import auth
from healthcareplus.domain.accounts import profiles as accounts
from healthcareplus.ui.shared.client_address import client_key
from healthcareplus.ui.shared.event_arguments import FormData
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE, public
from healthcareplus.ui.shared.i18n import tr
from healthcareplus.ui.shared.language_state import LanguageState
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import form_text
from healthcareplus.ui.shared.session import SessionState
from healthcareplus.ui.shared.typed import Field, event, field


def registration_form(form_data: FormData) -> accounts.RegistrationForm:
    """The registration fields of a submitted form (missing or odd -> "")."""
    return accounts.RegistrationForm(
        name=form_text(form_data, "name"),
        email=form_text(form_data, "email"),
        phone=form_text(form_data, "phone"),
        password=form_text(form_data, "password"),
        confirm_password=form_text(form_data, "confirm_password"),
    )


class AccountFormState(rx.State):
    errors: Field[dict[str, str]] = field(default_factory=dict)
    message: Field[str] = field("")

    @event
    @public
    def reset_form(self) -> None:
        self.errors = {}
        self.message = ""

    async def _signed_in(self, user: User, default: str) -> list:
        session_state = await self.get_state(SessionState)
        session_state._start(user)
        language_state = await self.get_state(LanguageState)
        language_state._signed_in(user.id or 0, user.role, user.language)
        self.errors = {}
        self.message = ""
        target = routes.safe_next(self.router.url.query_parameters.get("next"), default)
        if user.must_change_password:  # someone else chose it: first, their own
            target = routes.ACCOUNT_SECURITY
        with use_language(language_state.language):
            welcome = tr("Welcome, {name}!", name=user.name)
        return [rx.toast.success(welcome), rx.redirect(target)]

    async def _login(self, form_data: FormData, roles: tuple[str, ...]) -> list | None:
        self.errors = {}
        self.message = ""
        email, password = form_text(form_data, "email"), form_text(form_data, "password", 200)
        if not email or not password:
            self.message = tr("Enter your email and password.")
            return None
        user = in_session(
            auth.authenticate,
            email=email,
            password=password,
            client_key=client_key(self.router),
            roles=roles,
        )
        if isinstance(user, Failed):
            self.message = user.message
            return None
        return await self._signed_in(user, HOME_FOR_ROLE.get(user.role, routes.HOME))

    @event
    @public
    async def sign_in(self, form_data: FormData) -> list | None:
        return await self._login(form_data, (Role.PATIENT, Role.DOCTOR, Role.FRONT_DESK))

    @event
    @public
    async def sign_in_admin(self, form_data: FormData) -> list | None:
        return await self._login(form_data, (Role.ADMIN,))

    async def _register(self, form_data: FormData, *, admin: bool) -> list | None:
        self.errors = {}
        self.message = ""
        form = registration_form(form_data)
        if admin:
            code = form_text(form_data, "admin_code")
            user = in_session(accounts.register_admin, admin_code=code, **form)
        else:
            user = in_session(accounts.register_patient, **form)
        if isinstance(user, Failed):
            self.errors, self.message = user.form()
            return None
        return await self._signed_in(user, routes.ADMIN_HOME if admin else routes.HOME)

    @event
    @public
    async def register_patient(self, form_data: FormData) -> list | None:
        return await self._register(form_data, admin=False)

    @event
    @public
    async def register_admin(self, form_data: FormData) -> list | None:
        return await self._register(form_data, admin=True)
