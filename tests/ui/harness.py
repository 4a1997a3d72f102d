"""Running the app's states without a browser (shared by the tests in this folder).

A ``Client`` is one browser tab: a fresh root state tree (``rx.State()``, allowed under
pytest) with router data like Reflex sets from the websocket event, and
``SessionState.token`` holding a real session token of a user created in the test DB
(empty for an anonymous visitor). ``Client.call`` runs a handler the way Reflex's event
processor does (payload transformed for the handler's annotations, passed as keyword
arguments, coroutines awaited) and returns the events it produced as ``Event`` objects.
"""

from __future__ import annotations

import importlib
import inspect
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import bcrypt
from reflex.state import BaseState
from reflex_base.constants import RouteVar
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import _prepare_event_payload
from sqlmodel import Session, select

from healthcareplus.core.models import User, UserSession
from healthcareplus.ui.pages import ui_module_names
from healthcareplus.ui.shared.session import SessionState

# Every state module is imported before any root state is built, so each tree holds
# every substate and the registry the middleware reads knows every handler.
STATE_MODULES = [importlib.import_module(name) for name in ui_module_names("_state")] + [
    importlib.import_module(name) for name in ("healthcareplus.ui.shared.session",)
]

PASSWORD = "Correct-Horse-9"
# Cheap bcrypt (cost 4) so signing in costs milliseconds; verify_password reads the
# cost from the hash, so this is a real hash checked the real way.
PASSWORD_HASH = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
CLIENT_IP = "203.0.113.7"


@dataclass
class Users:
    patient: User
    other_patient: User
    doctor: User
    admin: User


@dataclass
class Client:
    """One browser tab's state tree."""

    root: BaseState
    token: str = ""
    events: list[Event] = field(default_factory=list)

    async def state(self, cls: type[BaseState]) -> Any:
        return await self.root.get_state(cls)

    async def call(self, cls: type[BaseState], name: str, **payload: Any) -> list[Event]:
        """Run handler ``name`` of ``cls`` as Reflex would for a websocket event."""
        substate = await self.state(cls)
        handler = cls.event_handlers[name]
        kwargs = _prepare_event_payload(handler, payload)
        result = handler.fn(substate, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        produced: list[Any] = []
        if inspect.isasyncgen(result):
            produced.extend([item async for item in result])
        elif inspect.isgenerator(result):
            produced.extend(result)
        else:
            produced.append(result)
        events = [e for item in produced for e in Event.from_event_type(item)]
        self.events.extend(events)
        return events

    async def session_token(self) -> str:
        return (await self.state(SessionState)).token


def set_page(root: BaseState, url: str, *, ip: str = CLIENT_IP) -> None:
    """Point the tree at a page the way the event processor does from router data."""
    parts = urlsplit(url)
    router_data = {
        RouteVar.PATH: parts.path,
        RouteVar.ORIGIN: url,
        RouteVar.QUERY: dict(parse_qsl(parts.query)),
        RouteVar.CLIENT_IP: ip,
        RouteVar.CLIENT_TOKEN: "test-client-token",
        RouteVar.SESSION_ID: "test-sid",
        RouteVar.HEADERS: {"origin": "http://localhost:3000"},
    }
    root.router_data = root._update_router_vars(router_data, root.router_data)


def redirects(events: list[Event]) -> list[str]:
    return [e.payload["path"] for e in events if e.name == "_redirect"]


def toasts(events: list[Event]) -> list[str]:
    """The JavaScript of the toast calls (each contains its message as a JSON string)."""
    return [
        e.payload["function"]
        for e in events
        if e.name == "_call_function" and "__toast" in e.payload.get("function", "")
    ]


def downloads(events: list[Event]) -> list[dict[str, str]]:
    """The files a handler's answer starts downloading (``rx.download``)."""
    return [e.payload for e in events if e.name == "_download"]


def has_toast(events: list[Event], message: str) -> bool:
    return any(json.dumps(message) in js for js in toasts(events))


def sessions_of(db: Session, user: User) -> list[UserSession]:
    return list(db.exec(select(UserSession).where(UserSession.user_id == user.id)).all())
