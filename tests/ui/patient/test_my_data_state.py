"""The "Your data" page: a one-time link to the patient's own copy, and erasure with the
password and the confirmation; other roles and crafted input get nothing."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.api import api
from healthcareplus.core import routes
from healthcareplus.core.models import User
from healthcareplus.domain.accounts import passwords
from healthcareplus.ui.patient.my_data_state import ERASED, MyDataState
from tests.ui.harness import PASSWORD, Client, Users, downloads, has_toast, redirects

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
HANDLERS: dict[str, dict[str, Any]] = {
    "load": {},
    "download_data": {},
    "erase": {"form_data": {"password": PASSWORD, "confirm": "on"}},
}


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


def test_the_cases_cover_every_handler() -> None:
    assert set(MyDataState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "doctor", "admin"])
@pytest.mark.parametrize("name", list(HANDLERS))
async def test_other_callers_get_nothing(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, who: str | None, name: str
) -> None:
    client = make_client(getattr(users, who) if who else None, url=routes.MY_DATA)
    events = await client.call(MyDataState, name, **HANDLERS[name])
    assert redirects(events) and downloads(events) == []
    with fresh_session() as db:
        assert all(u.is_active for u in db.exec(select(User)).all())


async def test_the_copy_is_a_one_time_link_to_the_patients_own_data(
    db_url: str, make_client: MakeClient, users: Users
) -> None:
    client = make_client(users.patient, url=routes.MY_DATA)
    [download] = downloads(await client.call(MyDataState, "download_data"))
    assert download["url"].startswith("/api/account/personal-data.json?grant=")
    api_client = TestClient(api)
    response = api_client.get(download["url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.content)["account"]["email"] == users.patient.email
    assert api_client.get(download["url"]).status_code == 403  # used up


async def test_erasing_signs_out_and_goes_home(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.patient, url=routes.MY_DATA)
    events = await client.call(
        MyDataState, "erase", form_data={"password": PASSWORD, "confirm": "on"}
    )
    assert redirects(events) == ["/"] and has_toast(events, ERASED)
    assert await client.session_token() == ""
    with fresh_session() as db:
        user = db.get(User, users.patient.id)
        assert user is not None and (user.name, user.is_active) == ("Former patient", False)


@pytest.mark.parametrize(
    "form_data",
    [
        {"password": PASSWORD},  # not confirmed
        {"password": "wrong", "confirm": "on"},
        {"password": PASSWORD, "confirm": True},  # only the checkbox's "on"
        None,
        "x",
        {"password": [PASSWORD], "confirm": "on"},
    ],
)
async def test_refused_erasures_change_nothing(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, form_data: Any
) -> None:
    client = make_client(users.patient, url=routes.MY_DATA)
    events = await client.call(MyDataState, "erase", form_data=form_data)
    assert redirects(events) == []
    with fresh_session() as db:
        user = db.get(User, users.patient.id)
        assert user is not None and user.is_active and user.name == "Asha Rao"
