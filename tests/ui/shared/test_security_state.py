"""The account security page's state: the devices signed in (sign one out, or all), and
changing the password, for every signed-in role; as the page calls it and as a crafted
browser could."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reflex_base.constants import RouteVar
from sqlmodel import Session, col, select

from healthcareplus.core.models import AuditEvent, User, UserSession
from healthcareplus.domain.accounts import passwords, sessions
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.security_state import UNKNOWN_DEVICE, SecurityState
from healthcareplus.ui.shared.session import SessionState
from tests.ui.harness import PASSWORD, Client, Users, has_toast, redirects, sessions_of

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

PAGE = "/account/security"
NEW = "Fresh#Start42"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
HANDLERS: dict[str, dict[str, Any]] = {
    "load": {},
    "sign_out_device": {"session_id": "1"},
    "sign_out_everywhere": {},
    "change_password": {
        "form_data": {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    },
}


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


def token_of(client: Client) -> str:
    """The token the tab holds now (a password change gives it a new one)."""
    return client.root.get_substate(SessionState._get_substate_path()).token


def alive(fresh_session: FreshSession, *clients: Client) -> list[bool]:
    """Whether each tab's current token still signs someone in."""
    with fresh_session() as db:
        return [sessions.resolve_session(db, token=token_of(c)) is not None for c in clients]


def user_agent(client: Client, value: str) -> None:
    """Give the tab the User-Agent its websocket connection would carry."""
    root = client.root
    data = dict(root.router_data)
    data[RouteVar.HEADERS] = {**data.get(RouteVar.HEADERS, {}), "user-agent": value}
    root.router_data = root._update_router_vars(data, root.router_data)


async def devices(client: Client) -> list[dict[str, str]]:
    await client.call(SecurityState, "load")
    return (await client.state(SecurityState)).devices


# --- who may call ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HANDLERS))
async def test_an_anonymous_or_dead_session_is_sent_to_sign_in_and_nothing_changes(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    name: str,
) -> None:
    other_tab = make_client(users.patient)
    blocked = make_client(users.other_patient, url=PAGE)
    users.other_patient.is_blocked = True
    session.add(users.other_patient)
    session.commit()
    for client in (make_client(url=PAGE), blocked):
        events = await client.call(SecurityState, name, **HANDLERS[name])
        assert redirects(events) == ["/login?next=%2Faccount%2Fsecurity"]
        assert has_toast(events, "Please sign in to continue.")
        assert (await client.state(SecurityState)).devices == []
    assert alive(fresh_session, other_tab) == [True]
    with fresh_session() as db:
        assert verify_password(PASSWORD, db.get(User, users.patient.id).password_hash)
        assert db.exec(select(AuditEvent)).all() == []


# --- the devices -----------------------------------------------------------------------------


async def test_each_role_sees_its_own_devices_with_this_one_marked(
    make_client: MakeClient, users: Users
) -> None:
    for user in (users.patient, users.doctor, users.admin):
        here, elsewhere = make_client(user, url=PAGE), make_client(user, url=PAGE)
        make_client(users.other_patient)  # someone else's session is never listed
        rows = await devices(here)
        assert sorted(r["is_current"] for r in rows) == ["false", "true"]
        assert {r["device"] for r in rows} == {"Unknown browser"}
        assert all(" · " in r["signed_in"] and r["last_seen"] for r in rows)
        assert [r["is_current"] for r in await devices(elsewhere)].count("true") == 1


async def test_signing_in_names_the_device_after_the_browser(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(url="/login")
    user_agent(client, FIREFOX_LINUX)
    form = {"email": "asha@example.com", "password": PASSWORD}
    await client.call(AccountFormState, "sign_in", form_data=form)
    with fresh_session() as db:
        assert [s.device for s in sessions_of(db, users.patient)] == ["Firefox on Linux"]
    set_on_page = await devices(client)
    assert [(r["device"], r["is_current"]) for r in set_on_page] == [("Firefox on Linux", "true")]


async def test_signing_out_another_device(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    here, phone = make_client(users.patient, url=PAGE), make_client(users.patient)
    rows = await devices(here)
    [other] = [r for r in rows if r["is_current"] == "false"]

    events = await here.call(SecurityState, "sign_out_device", session_id=other["id"])

    assert has_toast(events, "Unknown browser has been signed out.")
    assert alive(fresh_session, here, phone) == [True, False]
    assert [r["is_current"] for r in (await here.state(SecurityState)).devices] == ["true"]
    # The phone's next event finds no session.
    await phone.call(SessionState, "check_session")
    assert await phone.session_token() == ""


async def test_a_crafted_device_id_is_refused_without_raising(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    here, phone = make_client(users.patient, url=PAGE), make_client(users.patient)
    stranger = make_client(users.other_patient)
    rows = await devices(here)
    [mine] = [int(r["id"]) for r in rows if r["is_current"] == "true"]
    [phone_id] = [int(r["id"]) for r in rows if r["is_current"] == "false"]
    [their_id] = [int(r["id"]) for r in await devices(stranger)]
    crafted: list[Any] = [
        str(their_id),
        their_id,
        mine,  # this device signs out with Log out, not from the list
        {"id": phone_id},
        [phone_id],
        None,
        "",
        "abc",
        "-1",
        f"{phone_id}.0",
        float(phone_id),
        True,
        10**12,
    ]
    for value in crafted:
        events = await here.call(SecurityState, "sign_out_device", session_id=value)
        assert has_toast(events, UNKNOWN_DEVICE), value
    assert alive(fresh_session, here, phone, stranger) == [True, True, True]
    # The listed one, as text or a number, is accepted.
    await here.call(SecurityState, "sign_out_device", session_id=phone_id)
    assert alive(fresh_session, here, phone) == [True, False]


async def test_a_device_already_signed_out_elsewhere_is_reported(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    here, phone = make_client(users.patient, url=PAGE), make_client(users.patient)
    [other] = [r for r in await devices(here) if r["is_current"] == "false"]
    await phone.call(SessionState, "logout")

    events = await here.call(SecurityState, "sign_out_device", session_id=other["id"])

    assert has_toast(events, sessions.SESSION_GONE)
    assert [r["is_current"] for r in (await here.state(SecurityState)).devices] == ["true"]


@pytest.mark.parametrize(("who", "login"), [("patient", "/login"), ("admin", "/admin/login")])
async def test_sign_out_everywhere_ends_this_session_too(
    make_client: MakeClient,
    users: Users,
    fresh_session: FreshSession,
    who: str,
    login: str,
) -> None:
    user = getattr(users, who)
    here, phone = make_client(user, url=PAGE), make_client(user)
    stranger = make_client(users.other_patient)
    await devices(here)

    events = await here.call(SecurityState, "sign_out_everywhere")

    assert redirects(events) == [login]
    assert has_toast(events, "You have been signed out on every device.")
    assert await here.session_token() == ""
    session_state = await here.state(SessionState)
    assert (session_state.user_name, session_state.user_role) == ("", "")
    security = await here.state(SecurityState)
    assert (security.devices, security.loaded) == ([], False)
    with fresh_session() as db:
        ended = [s.revoked_reason for s in sessions_of(db, user)]
        assert ended == ["signed_out_everywhere"] * 2
        assert sessions.resolve_session(db, token=here.token) is None
    assert alive(fresh_session, phone, stranger) == [False, True]
    # Replaying the old token gets nowhere.
    session_state.token = here.token
    assert redirects(await here.call(SecurityState, "load")) == [
        "/login?next=%2Faccount%2Fsecurity"
    ]


# --- the password ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["patient", "doctor", "admin"])
async def test_changing_the_password_keeps_this_browser_signed_in_on_a_fresh_session(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, who: str
) -> None:
    user = getattr(users, who)
    here, phone = make_client(user, url=PAGE), make_client(user)
    user_agent(here, FIREFOX_LINUX)
    await devices(here)
    form_key = (await here.state(SecurityState)).form_key

    events = await here.call(SecurityState, "change_password", **HANDLERS["change_password"])

    assert has_toast(events, "Password changed. Every other device has been signed out.")
    state = await here.state(SecurityState)
    assert (state.errors, state.message, state.form_key) == ({}, "", form_key + 1)
    new_token = await here.session_token()
    assert new_token and new_token != here.token
    assert alive(fresh_session, here, phone) == [True, False]
    with fresh_session() as db:
        assert sessions.resolve_session(db, token=here.token) is None  # the old one ended
        assert verify_password(NEW, db.get(User, user.id).password_hash)
        reasons = sorted(str(s.revoked_reason) for s in sessions_of(db, user))
        assert reasons == ["None", "password_changed", "password_changed"]
    assert [(r["device"], r["is_current"]) for r in state.devices] == [("Firefox on Linux", "true")]
    assert (await here.state(SessionState)).user_role == who
    assert redirects(await here.call(SecurityState, "load")) == []


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        (
            {"current_password": "Wrong#Pass1", "new_password": NEW, "confirm_password": NEW},
            {"current_password"},
        ),
        (
            {"current_password": PASSWORD, "new_password": "weak", "confirm_password": "weak"},
            {"new_password"},
        ),
        (
            {"current_password": PASSWORD, "new_password": NEW, "confirm_password": "x"},
            {"confirm_password"},
        ),
        ({}, {"current_password", "new_password"}),
        ("not a form", {"current_password", "new_password"}),
        (None, {"current_password", "new_password"}),
        (
            {"current_password": [PASSWORD], "new_password": {"a": NEW}, "confirm_password": 5},
            {"current_password", "new_password"},
        ),
    ],
)
async def test_a_refused_password_change_shows_field_errors_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    fresh_session: FreshSession,
    form: Any,
    fields: set[str],
) -> None:
    here, phone = make_client(users.patient, url=PAGE), make_client(users.patient)

    events = await here.call(SecurityState, "change_password", form_data=form)

    assert events == []
    state = await here.state(SecurityState)
    assert set(state.errors) == fields
    assert state.message == "Please correct the highlighted fields."
    assert await here.session_token() == here.token
    assert alive(fresh_session, here, phone) == [True, True]
    with fresh_session() as db:
        assert verify_password(PASSWORD, db.get(User, users.patient.id).password_hash)
        assert (
            db.exec(select(UserSession).where(col(UserSession.revoked_at).is_not(None))).all() == []
        )
