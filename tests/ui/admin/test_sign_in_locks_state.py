"""AdminSignInLocksState: the list of accounts in sign-in back-off and clearing one; wrong
callers and crafted arguments change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AuditEvent, LoginAttempt
from healthcareplus.domain.accounts import throttle
from healthcareplus.ui.admin.sign_in_locks_state import (
    NOT_LISTED,
    AdminSignInLocksState,
    clinic_time,
)
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.ui.harness import PASSWORD, Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = ("load", "clear_lock")
URL = routes.ADMIN_SIGN_IN_LOCKS


def lock(session: Session, email: str, *, failures: int = 5, client: str = "bot") -> None:
    """``failures`` failed sign-ins a few seconds ago: a back-off that lasts a while."""
    at = utcnow() - timedelta(seconds=5)
    session.add_all(
        LoginAttempt(email=email, client_key=client, succeeded=False, attempted_at=at)
        for _ in range(failures)
    )
    session.commit()


def failures_of(fresh_session: Callable[[], Session], email: str) -> int:
    with fresh_session() as db:
        rows = db.exec(select(LoginAttempt).where(LoginAttempt.email == email)).all()
    return sum(1 for row in rows if not row.succeeded)


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(AdminSignInLocksState)
    return copy.deepcopy({n: state.get_value(n) for n in AdminSignInLocksState.base_vars})


async def loaded_admin(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.admin, url=URL)
    assert await client.call(AdminSignInLocksState, "load") == []
    return client


def test_the_cases_cover_every_handler() -> None:
    assert set(AdminSignInLocksState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: Callable[[], Session],
    name: str,
    who: str | None,
) -> None:
    lock(session, "asha@example.com")
    client = make_client(getattr(users, who) if who else None, url=URL)
    state = await client.state(AdminSignInLocksState)
    state.rows = [{"email": "asha@example.com"}]  # as if an admin's list were in this tab
    before = await values(client)

    payload = {"clear_lock": {"email": "asha@example.com"}}.get(name, {})
    events = await client.call(AdminSignInLocksState, name, **payload)

    expected = routes.login_url_for(("admin",), URL) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert has_toast(
        events,
        "Please sign in to continue." if who is None else "You do not have access to that page.",
    )
    assert await values(client) == before
    assert failures_of(fresh_session, "asha@example.com") == 5


async def test_load_lists_the_locked_accounts_in_clinic_time(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    lock(session, "asha@example.com", failures=3, client="bot-1")
    lock(session, "asha@example.com", failures=5, client="bot-2")
    lock(session, "bina@example.com", failures=4)  # below the limit: not locked
    client = await loaded_admin(make_client, users)

    state = await client.state(AdminSignInLocksState)
    assert state.loaded is True
    [row] = state.rows
    with Session(session.get_bind()) as db:
        [expected] = throttle.sign_in_locks(db, now=utcnow())
    assert row == {
        "email": "asha@example.com",
        "failures": "8",
        "clients": "2",
        "last_failure": clinic_time(expected.last_failure_at),
        "locked_until": clinic_time(expected.locked_until),
    }
    assert row["locked_until"].endswith((" AM", " PM")) and " · " in row["locked_until"]


async def test_load_with_no_locks_shows_an_empty_list(make_client: MakeClient, users: Users):
    client = await loaded_admin(make_client, users)
    state = await client.state(AdminSignInLocksState)
    assert (state.loaded, state.rows) == (True, [])


async def test_a_locked_patient_signs_in_after_the_admin_clears_the_lock(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    patient = make_client(url="/login")
    wrong = {"email": "asha@example.com", "password": "Wrong-Password-1"}
    for _ in range(5):
        await patient.call(AccountFormState, "sign_in", form_data=wrong)
    right = {"email": "asha@example.com", "password": PASSWORD}
    assert await patient.call(AccountFormState, "sign_in", form_data=right) == []
    assert "Too many failed sign-in attempts" in (await patient.state(AccountFormState)).message

    admin = await loaded_admin(make_client, users)
    assert [r["email"] for r in (await admin.state(AdminSignInLocksState)).rows] == [
        "asha@example.com"
    ]
    events = await admin.call(AdminSignInLocksState, "clear_lock", email="asha@example.com")

    assert has_toast(events, "Sign-in lock cleared: asha@example.com can sign in again.")
    assert (await admin.state(AdminSignInLocksState)).rows == []  # refreshed
    assert failures_of(fresh_session, "asha@example.com") == 0
    with fresh_session() as db:
        event = db.exec(select(AuditEvent)).one()
    assert (event.action, event.entity_id, event.actor_user_id) == (
        "sign_in_lock_cleared",
        str(users.patient.id),
        users.admin.id,
    )
    assert redirects(await patient.call(AccountFormState, "sign_in", form_data=right)) == ["/"]


CRAFTED = [
    42,
    None,
    True,
    ["asha@example.com"],
    {"email": "asha@example.com"},
    "",
    "ASHA@example.com",  # not a listed row, even though the account is the same
    "bina@example.com",  # has failures, but not locked, so not listed
    "a" * 10_000,
]


@pytest.mark.parametrize("email", CRAFTED, ids=range(len(CRAFTED)))
async def test_clearing_what_the_list_does_not_show_is_refused(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: Callable[[], Session],
    email: Any,
) -> None:
    lock(session, "asha@example.com")
    lock(session, "bina@example.com", failures=2)
    client = await loaded_admin(make_client, users)
    before = await values(client)

    events = await client.call(AdminSignInLocksState, "clear_lock", email=email)

    assert has_toast(events, NOT_LISTED)
    assert await values(client) == before
    assert failures_of(fresh_session, "asha@example.com") == 5
    assert failures_of(fresh_session, "bina@example.com") == 2
    with fresh_session() as db:
        assert db.exec(select(AuditEvent)).all() == []


async def test_a_lock_another_admin_cleared_meanwhile_says_so(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    lock(session, "asha@example.com")
    client = await loaded_admin(make_client, users)
    throttle.clear_sign_in_lock(
        session, email="asha@example.com", actor_id=users.admin.id, actor_role="admin", now=utcnow()
    )
    session.commit()

    events = await client.call(AdminSignInLocksState, "clear_lock", email="asha@example.com")

    assert has_toast(events, "asha@example.com had no failed sign-ins left to clear.")
    assert (await client.state(AdminSignInLocksState)).rows == []
