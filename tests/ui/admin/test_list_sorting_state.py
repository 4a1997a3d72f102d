"""Sorting an admin list by a column heading: a click sorts, a second reverses, the page
starts again at 1; crafted keys change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from healthcareplus.ui.admin.patients_state import AdminPatientsState
from tests.ui.harness import Client, Users

MakeClient = Callable[..., Client]


async def opened(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.admin, url="/admin/patients")
    assert await client.call(AdminPatientsState, "load") == []
    return client


async def test_a_heading_sorts_then_reverses(make_client: MakeClient, users: Users) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminPatientsState)
    first = [row["name"] for row in state.items]
    assert first == ["Bina Das", "Asha Rao"]  # newest first
    state.page = 3
    await client.call(AdminPatientsState, "sort_by", key="name")
    assert (state.sort, state.page) == ("name", 1)
    assert [row["name"] for row in state.items] == ["Asha Rao", "Bina Das"]
    await client.call(AdminPatientsState, "sort_by", key="name")
    assert state.sort == "-name"
    assert [row["name"] for row in state.items] == ["Bina Das", "Asha Rao"]


@pytest.mark.parametrize("key", ["", "-", "--name", None, 5, ["name"], "x" * 31])
async def test_crafted_keys_change_nothing(make_client: MakeClient, users: Users, key: Any) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminPatientsState)
    await client.call(AdminPatientsState, "sort_by", key=key)
    assert state.sort == ""


async def test_a_phone_menu_asks_for_descending_directly(
    make_client: MakeClient, users: Users
) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminPatientsState)
    for _ in range(2):  # choosing it again keeps it (a menu is not a toggle)
        await client.call(AdminPatientsState, "sort_by", key="-name")
        assert state.sort == "-name"
        assert [row["name"] for row in state.items] == ["Bina Das", "Asha Rao"]


async def test_an_unknown_key_keeps_the_default_order(
    make_client: MakeClient, users: Users
) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminPatientsState)
    await client.call(AdminPatientsState, "sort_by", key="password_hash")
    assert [row["name"] for row in state.items] == ["Bina Das", "Asha Rao"]
