"""The access declarations of event handlers and the session lookup behind them.

``@public`` and ``guard.requires`` mark each handler with who may call it (read back by
``access_policy``); ``resolve_token`` finds the signed-in user of a session token in the
session table. ``guard`` (the checks) and ``session`` (the session state) both build on
this module, which imports neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from reflex.state import BaseState

from healthcareplus.core.db import session_scope
from healthcareplus.domain.accounts import sessions
from healthcareplus.domain.accounts.sessions import SessionUser

ACCESS_ATTR = "_hcp_access"
PUBLIC = "public"
APP_PACKAGE = "healthcareplus."

HANDLER = TypeVar("HANDLER", bound=Callable[..., Any])


def public(fn: HANDLER) -> HANDLER:
    """Mark a handler as callable by anyone (it must not touch private data)."""
    setattr(fn, ACCESS_ATTR, PUBLIC)
    return fn


def access_policy(handler_fn: Callable) -> str | tuple[str, ...] | None:
    return getattr(handler_fn, ACCESS_ATTR, None)


def resolve_token(token: str) -> SessionUser | None:
    with session_scope() as db:
        return sessions.resolve_session(db, token=token)


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
