"""Access control for event handlers.

Any browser can send any event to any handler, so every handler of the app's states
declares who may call it: ``@public`` or ``@requires(role, ...)``. ``requires`` checks
the caller inside the handler; ``AccessGuard`` (app middleware) checks the same
declaration before the handler runs and refuses undeclared handlers (including the
generic ``setvar``) outright. Identity comes only from the server-side session lookup.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

from healthcareplus.core import routes
from healthcareplus.core.db import session_scope
from healthcareplus.domain.accounts import auth
from healthcareplus.domain.accounts.auth import SessionUser

if TYPE_CHECKING:
    from reflex.app import App

log = logging.getLogger(__name__)

ACCESS_ATTR = "_hcp_access"
PUBLIC = "public"
APP_PACKAGE = "healthcareplus."
HOME_FOR_ROLE = {"admin": routes.ADMIN_HOME, "patient": routes.HOME, "doctor": routes.DOCTOR_PORTAL}

_current_viewer: ContextVar[SessionUser | None] = ContextVar("hcp_viewer", default=None)


def public(fn: Callable) -> Callable:
    """Mark a handler as callable by anyone (it must not touch private data)."""
    setattr(fn, ACCESS_ATTR, PUBLIC)
    return fn


def resolve_token(token: str) -> SessionUser | None:
    with session_scope() as db:
        return auth.resolve_session(db, token=token)


async def viewer_of(state: BaseState) -> SessionUser | None:
    """The signed-in user behind this client, checked against the session table."""
    from healthcareplus.ui.shared.session import SessionState

    session_state = await state.get_state(SessionState)
    return resolve_token(session_state.token)


def current_viewer() -> SessionUser:
    """The caller of the running ``@requires`` handler."""
    viewer = _current_viewer.get()
    if viewer is None:
        raise RuntimeError("current_viewer() used outside a @requires handler")
    return viewer


def denial(roles: tuple[str, ...], viewer: SessionUser | None, path: str) -> list:
    if viewer is None:
        return [
            rx.toast.info("Please sign in to continue."),
            rx.redirect(routes.login_url_for(roles, path)),
        ]
    return [
        rx.toast.error("You do not have access to that page."),
        rx.redirect(HOME_FOR_ROLE.get(viewer.role, routes.HOME)),
    ]


def requires(*roles: str) -> Callable[[Callable], Callable]:
    """Allow the handler only to signed-in users with one of ``roles``."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        async def guarded(self: BaseState, *args: Any, **kwargs: Any) -> Any:
            viewer = await viewer_of(self)
            if viewer is None or viewer.role not in roles:
                return denial(roles, viewer, self.router.url.path)
            reset = _current_viewer.set(viewer)
            try:
                result = fn(self, *args, **kwargs)
                return await result if inspect.isawaitable(result) else result
            finally:
                _current_viewer.reset(reset)

        setattr(guarded, ACCESS_ATTR, tuple(roles))
        return guarded

    return decorate


def access_policy(handler_fn: Callable) -> str | tuple[str, ...] | None:
    return getattr(handler_fn, ACCESS_ATTR, None)


def _private_states(state_cls: type[BaseState]) -> Iterator[type[BaseState]]:
    """The app's states with ``@requires`` handlers: they hold a signed-in user's data."""
    for sub in state_cls.get_substates():
        handlers = sub.event_handlers.values()
        if sub.__module__.startswith(APP_PACKAGE) and any(
            isinstance(access_policy(h.fn), tuple) for h in handlers
        ):
            yield sub
        yield from _private_states(sub)


async def forget_private_data(state: BaseState) -> None:
    """Reset the states privileged handlers filled (on sign-out), so the next person at
    this browser finds none of the previous user's data in the page state."""
    for state_cls in _private_states(type(state._get_root_state())):
        (await state.get_state(state_cls)).reset()


class AccessGuard(Middleware):
    """Refuse events to the app's handlers that the caller may not send."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        registered = RegistrationContext.get().event_handlers.get(event.name)
        if registered is None or not registered.states:
            return None
        if not registered.states[0].__module__.startswith(APP_PACKAGE):
            return None  # framework handlers (hydrate, on_load dispatch, uploads)
        policy = access_policy(registered.handler.fn)
        if policy == PUBLIC:
            return None
        if policy is None:
            log.warning("refused undeclared handler %s", event.name)
            return StateUpdate(delta={}, events=[])
        viewer = await viewer_of(state)
        if viewer is not None and viewer.role in policy:
            return None
        events = Event.from_event_type(denial(policy, viewer, state.router.url.path))
        return StateUpdate(delta={}, events=events)
