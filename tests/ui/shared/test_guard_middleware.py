"""AccessGuard, the app middleware that vets every event before its handler runs.

Events are built as the websocket delivers them: the full handler name
(``format_event_handler``) and a payload of keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx
from reflex.state import StateUpdate
from reflex.utils.format import format_event_handler
from reflex_base.event import Event

from healthcareplus.core import routes
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.patient.discovery_state import HomeState
from healthcareplus.ui.patient.doctor_search_state import DoctorSearchState
from healthcareplus.ui.patient.profile_state import ProfileState
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.guard import AccessGuard
from healthcareplus.ui.shared.session import SessionState
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]


def event_for(cls: type, name: str, **payload: Any) -> Event:
    return Event(name=format_event_handler(cls.event_handlers[name]), payload=payload)


def framework_event(name: str, **payload: Any) -> Event:
    """An event for one of Reflex's own handlers (on the root state or its internal
    substates)."""
    owner = next(c for c in (rx.State, *rx.State.get_substates()) if name in c.event_handlers)
    return event_for(owner, name, **payload)


async def vet(client: Client, event: Event) -> StateUpdate | None:
    return await AccessGuard().preprocess(app=None, state=client.root, event=event)


def test_event_names_are_the_registered_full_names() -> None:
    assert event_for(ProfileState, "setvar").name == (
        "reflex___state____state.healthcareplus___ui___patient___profile_state____profile_state.setvar"
    )
    assert event_for(rx.State, "hydrate").name == "reflex___state____state.hydrate"


@pytest.mark.parametrize("who", [None, "patient", "admin"])
@pytest.mark.parametrize(
    ("cls", "var", "value"),
    [
        (ProfileState, "profile", {"email": "someone@example.com"}),
        (SessionState, "user_role", "admin"),
        (AccountFormState, "message", "hi"),
        (AdminHomeState, "figures", {"patients": 1}),
    ],
)
async def test_undeclared_setvar_is_refused_for_everyone(
    make_client: MakeClient, users: Users, who: str | None, cls: type, var: str, value: Any
) -> None:
    client = make_client(getattr(users, who) if who else None)

    update = await vet(client, event_for(cls, "setvar", var_name=var, value=value))

    assert isinstance(update, StateUpdate)
    assert (update.delta, update.events) == ({}, [])


@pytest.mark.parametrize(
    ("cls", "url", "target"),
    [
        (ProfileState, "/profile", "/login?next=%2Fprofile"),
        (AdminHomeState, "/admin", "/admin/login?next=%2Fadmin"),
    ],
)
async def test_privileged_handler_from_an_anonymous_caller_is_answered_with_login(
    make_client: MakeClient, users: Users, cls: type, url: str, target: str
) -> None:
    client = make_client(url=url)

    update = await vet(client, event_for(cls, "load"))

    assert isinstance(update, StateUpdate) and update.delta == {}
    assert redirects(update.events) == [target]
    assert has_toast(update.events, "Please sign in to continue.")


@pytest.mark.parametrize(
    ("cls", "name", "payload", "who", "target"),
    [
        (ProfileState, "load", {}, "admin", "/admin"),
        (ProfileState, "save", {"form_data": {"name": "X"}}, "doctor", routes.DOCTOR_PORTAL),
        (ProfileState, "save", {"form_data": {"name": "X"}}, "admin", "/admin"),
        (AdminHomeState, "load", {}, "patient", "/"),
        (AdminHomeState, "load", {}, "doctor", routes.DOCTOR_PORTAL),
    ],
)
async def test_privileged_handler_from_the_wrong_role_is_sent_home(
    make_client: MakeClient,
    users: Users,
    cls: type,
    name: str,
    payload: dict,
    who: str,
    target: str,
) -> None:
    client = make_client(getattr(users, who))

    update = await vet(client, event_for(cls, name, **payload))

    assert isinstance(update, StateUpdate)
    assert redirects(update.events) == [target]
    assert has_toast(update.events, "You do not have access to that page.")


@pytest.mark.parametrize(
    ("cls", "name", "payload", "who"),
    [
        (ProfileState, "load", {}, "patient"),
        (ProfileState, "save", {"form_data": {"name": "X"}}, "patient"),
        (AdminHomeState, "load", {}, "admin"),
    ],
)
async def test_privileged_handler_from_the_right_role_is_allowed(
    make_client: MakeClient, users: Users, cls: type, name: str, payload: dict, who: str
) -> None:
    client = make_client(getattr(users, who))
    assert await vet(client, event_for(cls, name, **payload)) is None


async def test_a_dead_session_is_treated_as_anonymous(
    make_client: MakeClient, users: Users
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(SessionState, "logout")
    (await client.state(SessionState)).token = client.token  # replay the revoked token

    update = await vet(client, event_for(ProfileState, "load"))

    assert update is not None and redirects(update.events) == ["/login?next=%2Fprofile"]


@pytest.mark.parametrize(
    ("cls", "name", "payload"),
    [
        (HomeState, "load", {}),
        (DoctorSearchState, "go_to_page", {"page": 2}),
        (AccountFormState, "sign_in", {"form_data": {"email": "a@b.co", "password": "x"}}),
        (SessionState, "logout", {}),
        (SessionState, "check_session", {}),
    ],
)
@pytest.mark.parametrize("who", [None, "patient", "admin"])
async def test_public_handlers_are_allowed_for_anyone(
    make_client: MakeClient, users: Users, cls: type, name: str, payload: dict, who: str | None
) -> None:
    client = make_client(getattr(users, who) if who else None)
    assert await vet(client, event_for(cls, name, **payload)) is None


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("hydrate", {}),
        ("hydrate_and_load", {}),
        ("hydrate_and_load", {"vars": {"a.b": "c"}, "hashes": ["x"]}),
        ("set_is_hydrated", {"value": True}),
        ("update_vars_internal", {"vars": {"a.b": "c"}}),
    ],
)
async def test_well_formed_framework_events_are_left_to_reflex(
    make_client: MakeClient, name: str, payload: dict[str, Any]
) -> None:
    client = make_client()
    assert await vet(client, framework_event(name, **payload)) is None


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("hydrate", {"extra": 1}),
        ("hydrate_and_load", {"vars": "not a dict"}),
        ("hydrate_and_load", {"vars": {}, "hashes": "x"}),
        ("set_is_hydrated", {}),
        ("update_vars_internal", {"vars": "not a dict"}),
        ("update_vars_internal", {"vars": {"a.b": "\ud800"}}),
    ],
)
async def test_malformed_framework_events_are_refused(
    make_client: MakeClient, name: str, payload: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client()

    update = await vet(client, framework_event(name, **payload))

    assert isinstance(update, StateUpdate)
    assert (update.delta, update.events) == ({}, [])
    assert "refused malformed event" in caplog.text


async def test_unknown_event_names_are_left_to_reflex(make_client: MakeClient) -> None:
    client = make_client()
    assert await vet(client, Event(name="reflex___state____state.no_such", payload={})) is None
