"""Random arguments to every event handler, sent through the access guard as a browser
would send them.

For each handler of the app's states (and the framework's own), Hypothesis draws a
payload: sometimes well-typed values for the handler's parameters (real ids among them),
sometimes a deliberately malformed shape (an extra argument, a missing one, a lone
surrogate, a NUL, an oversized or too deep value, a value of the wrong type, not an
object at all). Whatever arrives:

- the guard never raises;
- a malformed shape is always refused, and a refused event changes nothing;
- an accepted event runs its handler (as the signed-in role it requires) without raising
  (the framework's own handlers are only vetted: they run inside Reflex's event loop).

``HCP_FUZZ_EXAMPLES`` sets the examples per handler (default 12; CI and a developer's
run draw the same ones: the search is derandomized, so a failure reproduces).
"""

from __future__ import annotations

import asyncio
import inspect
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reflex.state import StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext
from sqlmodel import Session, SQLModel, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Role
from healthcareplus.ui.shared.access import APP_PACKAGE, access_policy
from healthcareplus.ui.shared.event_arguments import MAX_PAYLOAD_CHARS, MAX_SAFE_INTEGER
from healthcareplus.ui.shared.guard import AccessGuard
from tests.factories import create_appointment, create_doctor, local, settle_payment
from tests.ui.harness import STATE_MODULES, Client, Users

MakeClient = Callable[..., Client]
EXAMPLES = int(os.environ.get("HCP_FUZZ_EXAMPLES", "12"))
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
# Field names the app's forms use, so random forms sometimes reach the parsing code.
FORM_KEYS = (
    "email", "password", "confirm_password", "name", "phone", "admin_code", "reason",
    "cancel_reason", "hours-0", "slot-0", "hours-6", "month", "date_from", "date_to",
    "time_from", "time_to", "query", "status", "city_id", "hospital_id", "specialization",
    "method", "upi_id", "card_number", "diagnosis", "notes", "allergies", "date_of_birth",
    "blood_group", "fee", "experience_years", "start-0", "end-0", "q", "page", "sort",
    "current_password", "new_password", "symptoms", "action", "doctor_id", "day",
)  # fmt: skip
assert STATE_MODULES  # every state is registered before the handlers are listed


def _handlers() -> dict[str, Any]:
    """Every registered handler by its event name."""
    registered = RegistrationContext.get().event_handlers
    return {name: entry for name, entry in registered.items() if entry.states}


HANDLERS = _handlers()


@dataclass
class World:
    """Rows for the handlers to find: real ids make a random argument sometimes hit."""

    users: Users
    ids: tuple[str, ...]


@pytest.fixture
def world(session: Session, users: Users) -> World:
    now = utcnow()
    doctor = create_doctor(session, name="Dr. Dev Iyer", schedule=EVERY_DAY)
    doctor.user_id = users.doctor.id
    session.add(doctor)
    started = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=now.replace(second=0, microsecond=0) - timedelta(minutes=30),
        minutes=30,
    )
    ahead = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=local(clinic_today(now) + timedelta(days=3), "10:00"),
        minutes=30,
    )
    settle_payment(session, ahead)
    session.commit()
    day = (clinic_today(now) + timedelta(days=3)).isoformat()
    ids = (started.id, ahead.id, str(doctor.id), str(users.patient.id), "1", day)
    return World(users, tuple(str(i) for i in ids))


# --- payloads -------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False), st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
BAD_TEXT = st.sampled_from(["\ud800", "a\udfffb", "nul\x00byte", "\udbff"])
# Shapes no page sends, each refused whatever the handler.
MALFORMED_VALUES = st.one_of(
    BAD_TEXT,
    st.just("x" * (MAX_PAYLOAD_CHARS + 1)),
    st.just([[[[[[["deep"]]]]]]]),
    st.sampled_from([float("nan"), float("inf"), MAX_SAFE_INTEGER + 1]),
    st.just(["many"] * 5000),
)


def _value_for(hint: Any, ids: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Values of the parameter's declared type (what the guard lets through)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_value_for(arg, ids) for arg in typing.get_args(hint)))
    if hint is str:
        return st.one_of(st.sampled_from(ids), st.text(max_size=40))
    if hint is int:
        return st.integers(-3, 10**6)
    if hint is bool:
        return st.booleans()
    if hint is dict or origin is dict:
        keys = st.one_of(st.sampled_from(FORM_KEYS), st.text(max_size=10))
        return st.dictionaries(keys, st.one_of(st.sampled_from(ids), JSON_SCALARS), max_size=8)
    if origin is list:
        return st.lists(_value_for(typing.get_args(hint)[0], ids), max_size=3)
    return JSON_VALUES


def _parameters(fn: Callable[..., Any]) -> dict[str, tuple[Any, bool]]:
    """name -> (type hint, required) for the handler's arguments after ``self``."""
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())[1:]
    return {p.name: (hints.get(p.name, Any), p.default is p.empty) for p in params}


@st.composite
def payloads(draw: st.DrawFn, fn: Callable[..., Any], ids: tuple[str, ...]) -> tuple[Any, bool]:
    """(payload, malformed): well-typed arguments, or one deliberately broken."""
    params = _parameters(fn)
    payload = {
        name: draw(_value_for(hint, ids))
        for name, (hint, required) in params.items()
        if required or draw(st.booleans())
    }
    how = draw(st.sampled_from(["typed", "typed", "extra", "bad_value", "missing", "not_object"]))
    if how == "extra":
        payload[draw(st.text(min_size=1, max_size=8).filter(lambda k: k not in params))] = draw(
            JSON_VALUES
        )
    elif how == "bad_value":
        target = draw(st.sampled_from([*params, "__extra__"]))
        payload[target] = draw(MALFORMED_VALUES)
    elif how == "missing" and any(required for _, required in params.values()):
        payload.pop(draw(st.sampled_from([n for n, (_, r) in params.items() if r])), None)
    elif how == "not_object":
        return draw(st.one_of(st.text(max_size=5), st.lists(st.integers(), max_size=2))), True
    else:
        return payload, False
    return payload, True


# --- the property ---------------------------------------------------------------------------


def fingerprint(session: Session) -> dict[str, list[str]]:
    """Every row of every table (the fixture's world is small): what a refused event must
    leave exactly as it was."""
    session.expire_all()
    return {
        table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)).all())
        for table in SQLModel.metadata.sorted_tables
    }


def _caller(fn: Callable[..., Any], users: Users) -> Any:
    policy = access_policy(fn)
    if isinstance(policy, tuple):
        role = policy[0]
        return {Role.ADMIN: users.admin, Role.DOCTOR: users.doctor}.get(role, users.patient)
    return users.patient if policy else None


def _is_refusal(update: StateUpdate | None) -> bool:
    return isinstance(update, StateUpdate) and update.delta == {} and update.events == []


@pytest.mark.parametrize("event_name", sorted(HANDLERS))
def test_random_arguments_never_crash_and_malformed_ones_change_nothing(
    event_name: str, world: World, make_client: MakeClient, session: Session
) -> None:
    entry = HANDLERS[event_name]
    fn, state_cls = entry.handler.fn, entry.states[0]
    handler_name = event_name.rsplit(".", 1)[-1]

    framework = not state_cls.__module__.startswith(APP_PACKAGE)
    # One tab for all the examples, like a browser sending event after event.
    client = make_client(_caller(fn, world.users))

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(drawn=payloads(fn, world.ids))
    def check(drawn: tuple[Any, bool]) -> None:
        payload, malformed = drawn
        before = fingerprint(session) if malformed else None

        async def send() -> StateUpdate | None:
            event = Event(name=event_name, payload=payload)
            update = await AccessGuard().preprocess(app=None, state=client.root, event=event)
            if update is None and not framework:  # accepted: run it on the parsed arguments
                await client.call(state_cls, handler_name, **event.payload)  # never raises
            return update

        update = asyncio.run(send())
        if malformed:
            assert _is_refusal(update), f"{event_name} let through {payload!r:.200}"
            assert fingerprint(session) == before

    check()
