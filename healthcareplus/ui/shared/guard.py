"""Access control for event handlers.

Any browser can send any event to any handler, so every handler of the app's states
declares who may call it: ``@public`` or ``@requires(role, ...)``. ``requires`` checks
the caller inside the handler; ``AccessGuard`` (app middleware) checks the same
declaration before the handler runs and refuses undeclared handlers (including the
generic ``setvar``) outright. Before that it refuses any event, the framework's own
included, whose arguments do not fit the handler's signature (``event_arguments``).
Identity comes only from the server-side session lookup. The declarations themselves
(``public``, ``access_policy``) live in ``access`` (which the session state also uses)
and are re-exported here.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

from healthcareplus.core import routes
from healthcareplus.core.i18n import gettext
from healthcareplus.domain.accounts.sessions import SessionUser
from healthcareplus.ui.shared.access import (
    ACCESS_ATTR,
    APP_PACKAGE,
    PUBLIC,
    access_policy,
    public,
    resolve_token,
)
from healthcareplus.ui.shared.event_arguments import refusal
from healthcareplus.ui.shared.session import SessionState

if TYPE_CHECKING:
    from reflex.app import App

__all__ = [
    "APP_PACKAGE",
    "HOME_FOR_ROLE",
    "PUBLIC",
    "AccessGuard",
    "access_policy",
    "actor",
    "before_new_password",
    "current_viewer",
    "denial",
    "here",
    "public",
    "requires",
    "viewer_of",
]

log = logging.getLogger(__name__)

HOME_FOR_ROLE = {
    "admin": routes.ADMIN_HOME,
    "patient": routes.HOME,
    "doctor": routes.DOCTOR_PORTAL,
    "front_desk": routes.DESK,
}

STATE = TypeVar("STATE", bound=BaseState)
ARGS = ParamSpec("ARGS")

_current_viewer: ContextVar[SessionUser | None] = ContextVar("hcp_viewer", default=None)


async def viewer_of(state: BaseState) -> SessionUser | None:
    """The signed-in user behind this client, checked against the session table."""
    session_state = await state.get_state(SessionState)
    return resolve_token(session_state.token)


def current_viewer() -> SessionUser:
    """The caller of the running ``@requires`` handler."""
    viewer = _current_viewer.get()
    if viewer is None:
        raise RuntimeError("current_viewer() used outside a @requires handler")
    return viewer


def actor() -> dict[str, Any]:
    """The caller of the running ``@requires`` handler as the domain's ``actor_id`` and
    ``actor_role`` arguments."""
    viewer = current_viewer()
    return {"actor_id": viewer.id, "actor_role": viewer.role}


def here(url: Any) -> str:
    """The page a refused caller was on, its query included (``/book/3?start=…``), for
    sign-in to come back to."""
    return f"{url.path}?{url.query}" if url.query else str(url.path)


def denial(roles: tuple[str, ...], viewer: SessionUser | None, path: str) -> list:
    if viewer is None:
        return [
            rx.toast.info(gettext("Please sign in to continue.")),
            rx.redirect(routes.login_url_for(roles, path)),
        ]
    return [
        rx.toast.error(gettext("You do not have access to that page.")),
        rx.redirect(HOME_FOR_ROLE.get(viewer.role, routes.HOME)),
    ]


# Marks the handlers a user whose password someone else chose may still use (the
# security page: change the password, sign out); every other privileged handler waits.
PASSWORD_CHANGE_ATTR = "_hcp_before_new_password"


def before_new_password(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Let ``fn`` (a ``@requires`` handler) run while the caller must still replace a
    password someone else chose (``SessionUser.must_change_password``)."""
    setattr(fn, PASSWORD_CHANGE_ATTR, True)
    return fn


def waits_for_new_password(viewer: SessionUser, handler_fn: Callable[..., Any]) -> bool:
    """The caller must choose a new password before ``handler_fn`` may run."""
    return viewer.must_change_password and not getattr(handler_fn, PASSWORD_CHANGE_ATTR, False)


def requires(
    *roles: str,
) -> Callable[
    [Callable[Concatenate[STATE, ARGS], Any]], Callable[Concatenate[STATE, ARGS], Awaitable[Any]]
]:
    """Allow the handler only to signed-in users with one of ``roles``."""

    def decorate(
        fn: Callable[Concatenate[STATE, ARGS], Any],
    ) -> Callable[Concatenate[STATE, ARGS], Awaitable[Any]]:
        @functools.wraps(fn)
        async def guarded(self: STATE, /, *args: ARGS.args, **kwargs: ARGS.kwargs) -> Any:
            viewer = await viewer_of(self)
            if viewer is None or viewer.role not in roles:
                return denial(roles, viewer, here(self.router.url))
            if waits_for_new_password(viewer, guarded):
                return []  # the page load sends them to choose one (``SessionState``)
            reset = _current_viewer.set(viewer)
            try:
                result = fn(self, *args, **kwargs)
                return await result if inspect.isawaitable(result) else result
            finally:
                _current_viewer.reset(reset)

        setattr(guarded, ACCESS_ATTR, tuple(roles))
        return guarded

    return decorate


class AccessGuard(Middleware):
    """Refuse events to the app's handlers that the caller may not send."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        registered = RegistrationContext.get().event_handlers.get(event.name)
        if registered is None or not registered.states:
            return None
        if problem := refusal(registered.handler.fn, event.payload):
            log.warning("refused malformed event %s: %s", event.name, problem)
            return StateUpdate(delta={}, events=[])
        if not registered.states[0].__module__.startswith(APP_PACKAGE):
            return None  # framework handlers (hydrate, on_load dispatch, uploads)
        policy = access_policy(registered.handler.fn)
        if policy == PUBLIC:
            return None
        if not isinstance(policy, tuple):  # undeclared
            log.warning("refused undeclared handler %s", event.name)
            return StateUpdate(delta={}, events=[])
        viewer = await viewer_of(state)
        if viewer is not None and viewer.role in policy:
            if waits_for_new_password(viewer, registered.handler.fn):
                return StateUpdate(delta={}, events=[])
            return None
        events = Event.from_event_type(denial(policy, viewer, here(state.router.url)))
        return StateUpdate(delta={}, events=events)
