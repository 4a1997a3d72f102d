"""AdminAuditState: filters from the URL, applying them, paging; wrong callers and crafted
arguments. The trail holds 60 entries by Ana (admin) and one by Ravi (admin)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.models import Role, User
from healthcareplus.domain.payments.ledger import audit_event
from healthcareplus.ui.admin.audit_state import AdminAuditState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_user, local
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = ("load", "apply", "go_to_page", "clear")
DAY = date(2026, 11, 23)


@pytest.fixture
def trail(session: Session, users: Users) -> User:
    ravi = create_user(session, role=Role.ADMIN, name="Ravi Kumar")
    start = local(DAY, "09:00")
    for minute in range(60):
        audit_event(
            session,
            action="no_show",
            appointment_id=None,
            actor_id=users.admin.id,
            actor_role="admin",
            now=start + timedelta(minutes=minute),
            reason=f"entry {minute}",
        )
    audit_event(
        session,
        action="slot_blocked",
        appointment_id=None,
        actor_id=ravi.id,
        actor_role="admin",
        now=local(DAY + timedelta(days=1), "10:00"),
        reason="Training",
        entity="doctor",
        entity_id="7",
    )
    session.commit()
    return ravi


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(AdminAuditState)
    return copy.deepcopy({n: state.get_value(n) for n in AdminAuditState.base_vars})


async def loaded(make_client: MakeClient, users: Users, url: str) -> AdminAuditState:
    client = make_client(users.admin, url=url)
    assert await client.call(AdminAuditState, "load") == []
    return await client.state(AdminAuditState)


def test_the_cases_cover_every_handler() -> None:
    assert set(AdminAuditState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_shows_nothing(
    make_client: MakeClient, users: Users, trail: User, name: str, who: str | None
) -> None:
    client = make_client(getattr(users, who) if who else None, url="/admin/audit?actor=ana")
    before = await values(client)
    payload = {"apply": {"form_data": {"actor": "ravi"}}, "go_to_page": {"page": 2}}
    events = await client.call(AdminAuditState, name, **payload.get(name, {}))
    expected = (
        routes.login_url_for(("admin",), "/admin/audit?actor=ana")
        if who is None
        else HOME_FOR_ROLE[who]
    )
    assert redirects(events) == [expected]
    assert has_toast(
        events,
        "Please sign in to continue." if who is None else "You do not have access to that page.",
    )
    assert await values(client) == before
    assert (await client.state(AdminAuditState)).rows == []


async def test_load_shows_the_newest_page(make_client: MakeClient, users: Users, trail: User):
    state = await loaded(make_client, users, "/admin/audit")
    assert (state.total, state.page, state.pages, state.loaded) == (61, 1, 2, True)
    assert len(state.rows) == 50
    first = state.rows[0]
    assert (first["actor_name"], first["action_label"], first["reason"]) == (
        "Ravi Kumar",
        "Blocked a slot",
        "Training",
    )
    assert first["when_label"] == "Tue, 24 Nov 2026 · 10:00 AM"
    assert state.rows[1]["reason"] == "entry 59"
    assert state.filters == {"actor": "", "appointment": "", "from": "", "to": ""}


async def test_load_applies_the_url_filters(make_client: MakeClient, users: Users, trail: User):
    state = await loaded(
        make_client, users, "/admin/audit?actor=ANA&from=2026-11-23&to=2026-11-23&page=2"
    )
    assert state.filters == {
        "actor": "ANA",
        "appointment": "",
        "from": "2026-11-23",
        "to": "2026-11-23",
    }
    assert (state.total, state.page, state.pages) == (60, 2, 2)
    assert [r["reason"] for r in state.rows] == [f"entry {m}" for m in range(9, -1, -1)]
    assert state.filter_key == "ANA||2026-11-23|2026-11-23"


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-02-30&to=tomorrow&page=abc",
        "?page=-1&from=" + "9" * 5000,
        "?page=99999999999999",
        "?from=0001-01-01&to=9999-12-31",
        "?appointment=" + "a" * 5000,
    ],
)
async def test_malformed_url_filters_are_ignored(
    make_client: MakeClient, users: Users, trail: User, query: str
) -> None:
    state = await loaded(make_client, users, "/admin/audit" + query)
    assert state.filters["from"] == state.filters["to"] == ""
    assert len(state.filters["appointment"]) <= 36
    assert state.page in (1, 2)


async def test_apply_and_clear_navigate_with_clean_filters(
    make_client: MakeClient, users: Users, trail: User
) -> None:
    client = make_client(users.admin, url="/admin/audit")
    events = await client.call(
        AdminAuditState,
        "apply",
        form_data={
            "actor": "  Ravi   Kumar ",
            "appointment": "3f2a",
            "from": "2026-11-24",
            "to": "not a date",
            "extra": "ignored",
        },
    )
    assert redirects(events) == ["/admin/audit?actor=Ravi+Kumar&appointment=3f2a&from=2026-11-24"]
    events = await client.call(AdminAuditState, "clear")
    assert redirects(events) == ["/admin/audit"]


@pytest.mark.parametrize("form_data", [None, "actor=ravi", ["ravi"], {"actor": 5}, {}])
async def test_apply_with_a_crafted_form_clears_the_filters(
    make_client: MakeClient, users: Users, form_data: Any
) -> None:
    client = make_client(users.admin, url="/admin/audit")
    events = await client.call(AdminAuditState, "apply", form_data=form_data)
    assert redirects(events) == ["/admin/audit"]


async def test_apply_caps_a_huge_actor_query(make_client: MakeClient, users: Users) -> None:
    client = make_client(users.admin, url="/admin/audit")
    events = await client.call(AdminAuditState, "apply", form_data={"actor": "a" * 10_000})
    assert redirects(events) == ["/admin/audit?actor=" + "a" * 100]


async def test_paging_keeps_the_filters(make_client: MakeClient, users: Users, trail: User):
    client = make_client(users.admin, url="/admin/audit?actor=ana")
    await client.call(AdminAuditState, "load")
    events = await client.call(AdminAuditState, "go_to_page", page=2)
    assert redirects(events) == ["/admin/audit?actor=ana&page=2"]
    events = await client.call(AdminAuditState, "go_to_page", page=1)
    assert redirects(events) == ["/admin/audit?actor=ana"]


@pytest.mark.parametrize("page", [0, 3, -1, "two", 2.5, None, 10**12])
async def test_crafted_pages_are_ignored(
    make_client: MakeClient, users: Users, trail: User, page: Any
) -> None:
    client = make_client(users.admin, url="/admin/audit")
    await client.call(AdminAuditState, "load")
    assert await client.call(AdminAuditState, "go_to_page", page=page) == []
