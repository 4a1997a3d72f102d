"""Sorting the admin's doctors list by a column heading (or the phone's sort menu): a
click sorts, a second reverses, the page starts again at 1, the search and filters stay;
crafted keys change nothing; and only an admin may sort."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.ui.admin.doctors_state import AdminDoctorsState as S
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_city, create_doctor, create_hospital
from tests.ui.harness import Client, Users, redirects

MakeClient = Callable[..., Client]


@pytest.fixture
def doctors(session: Session) -> None:
    city = create_city(session, name="Bangalore")
    zen = create_hospital(session, city=city, name="Zen Clinic")
    apollo = create_hospital(session, city=city, name="Apollo Hospital")
    create_doctor(session, hospital=zen, name="Dr. Bina Das", fee_paise=90_000)
    create_doctor(session, hospital=apollo, name="Dr. Asha Rao", fee_paise=30_000)
    create_doctor(
        session, hospital=apollo, name="Dr. Chitra Iyer", fee_paise=60_000, is_active=False
    )


async def opened(make_client: MakeClient, users: Users, url: str = "/admin/doctors") -> Any:
    client = make_client(users.admin, url=url)
    assert await client.call(S, "load") == []
    return client, await client.state(S)


def shown(state: Any) -> list[str]:
    return [row["name"].split()[1] for row in state.items]


async def test_a_heading_sorts_then_reverses(
    make_client: MakeClient, users: Users, doctors: None
) -> None:
    client, state = await opened(make_client, users)
    assert shown(state) == ["Asha", "Bina", "Chitra"]  # by name
    state.page = 3
    await client.call(S, "sort_by", key="fee")
    assert (state.sort, state.page) == ("fee", 1)
    assert shown(state) == ["Asha", "Chitra", "Bina"]
    await client.call(S, "sort_by", key="fee")
    assert state.sort == "-fee"
    assert shown(state) == ["Bina", "Chitra", "Asha"]
    await client.call(S, "sort_by", key="hospital")
    assert shown(state) == ["Asha", "Chitra", "Bina"]  # Apollo (ties by id), then Zen
    for _ in range(2):  # the phone's menu asks for descending directly, and keeps it
        await client.call(S, "sort_by", key="-name")
        assert state.sort == "-name"
        assert shown(state) == ["Chitra", "Bina", "Asha"]


async def test_sorting_keeps_the_search_and_filters(
    make_client: MakeClient, users: Users, doctors: None
) -> None:
    client, state = await opened(make_client, users, "/admin/doctors?status=active")
    assert shown(state) == ["Asha", "Bina"]
    await client.call(S, "sort_by", key="-fee")
    assert shown(state) == ["Bina", "Asha"]
    await client.call(S, "search", form_data={"q": "", "status": "inactive"})
    assert (state.sort, shown(state)) == ("-fee", ["Chitra"])


@pytest.mark.parametrize("key", ["", "-", "--name", None, 5, ["name"], "x" * 31])
async def test_crafted_keys_change_nothing(
    make_client: MakeClient, users: Users, doctors: None, key: Any
) -> None:
    client, state = await opened(make_client, users)
    await client.call(S, "sort_by", key=key)
    assert state.sort == ""
    assert shown(state) == ["Asha", "Bina", "Chitra"]


@pytest.mark.parametrize("key", ["waiting", "email", "password_hash", "name;drop"])
async def test_a_key_that_is_no_column_keeps_the_default_order(
    make_client: MakeClient, users: Users, doctors: None, key: str
) -> None:
    client, state = await opened(make_client, users)
    await client.call(S, "sort_by", key=key)
    assert shown(state) == ["Asha", "Bina", "Chitra"]


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
async def test_only_an_admin_sorts(
    make_client: MakeClient, users: Users, doctors: None, who: str | None
) -> None:
    client = make_client(getattr(users, who) if who else None, url="/admin/doctors")
    state = await client.state(S)
    events = await client.call(S, "sort_by", key="fee")
    expected = "/admin/login?next=%2Fadmin%2Fdoctors" if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert (state.sort, state.items) == ("", [])
