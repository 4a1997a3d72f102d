"""The admin's front-desk staff page state, driven as the admin's browser would and as a
crafted browser could: every handler refuses anyone but an admin (front-desk users
included) and changes nothing for them; an admin creates a front-desk user tied to
hospitals (the one-time password shown once), changes their hospitals, deactivates them
(their open session ends) and reactivates them; crafted arguments change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlmodel import Session, select

from healthcareplus.core.models import (
    AuditEvent,
    Hospital,
    Role,
    StaffHospital,
    User,
    UserSession,
)
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.passwords import verify_password
from healthcareplus.domain.accounts.sessions import resolve_session
from healthcareplus.ui.admin.staff_state import AdminFrontDeskStaffState as S
from healthcareplus.ui.admin.staff_state import chosen_hospitals
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from healthcareplus.ui.shared.session import SessionState
from tests.factories import create_city, create_hospital
from tests.ui.harness import (
    PASSWORD_HASH,
    Client,
    Users,
    has_toast,
    redirects,
    sessions_of,
    toasts,
)

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

PATH = "/admin/front-desk"
LOGIN = "/admin/login?next=%2Fadmin%2Ffront-desk"
SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
NOT_FOUND = "Front-desk user not found."
TABLES = (User, StaffHospital, UserSession, AuditEvent)


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@dataclass
class Desk:
    sunrise: Hospital
    apollo: Hospital
    palace: Hospital
    user: User  # a front-desk user at Sunrise


@pytest.fixture
def desk(session: Session, users: Users) -> Desk:
    bangalore = create_city(session, name="Bangalore")
    mysore = create_city(session, name="Mysore")
    sunrise = create_hospital(session, city=bangalore, name="Sunrise Hospital")
    apollo = create_hospital(session, city=bangalore, name="Apollo Clinic")
    palace = create_hospital(session, city=mysore, name="Palace Care")
    user = User(
        role=Role.FRONT_DESK,
        name="Lata Shetty",
        email="lata@example.com",
        phone="+91 98450 66666",
        password_hash=PASSWORD_HASH,
    )
    session.add(user)
    session.commit()
    session.add(StaffHospital(user_id=user.id, hospital_id=sunrise.id))
    session.commit()
    return Desk(sunrise, apollo, palace, user)


def hospital_form(*hospitals: Hospital, **values: Any) -> dict[str, Any]:
    return {**{f"hospital-{h.id}": "on" for h in hospitals}, **values}


def new_user_form(*hospitals: Hospital, **overrides: Any) -> dict[str, Any]:
    form = {"name": "Ravi Kumar", "email": "ravi@example.in", "phone": "9845077777"}
    form.update(overrides)
    return hospital_form(*hospitals, **form)


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {t.__name__: [r.model_dump() for r in db.exec(select(t)).all()] for t in TABLES}


def _vars(state: BaseState) -> dict[str, Any]:
    """The state's own vars, backend ones included."""
    names = sorted(set(S.get_fields()) - set(rx.State.get_fields()))
    return copy.deepcopy({name: state.get_value(name) for name in names})


async def values(client: Client) -> dict[str, Any]:
    return _vars(await client.state(S))


def defaults() -> dict[str, Any]:
    return _vars(rx.State().get_substate(S._get_substate_path()))


# --- 1. every handler refuses anyone but an admin ------------------------------------------

HANDLERS = (
    "load",
    "go_page",
    "sort_by",
    "dismiss_password",
    "create",
    "edit_hospitals",
    "set_edit_open",
    "save_hospitals",
    "deactivate",
    "reactivate",
)


def test_the_cases_cover_every_handler() -> None:
    assert set(S.event_handlers) - {"setvar"} == set(HANDLERS)


def payload_for(name: str, desk: Desk) -> dict[str, Any]:
    """Arguments that would change something if an admin sent them."""
    user_id = str(desk.user.id)
    return {
        "go_page": {"page": 2},
        "sort_by": {"key": "email"},
        "create": {"form_data": new_user_form(desk.apollo)},
        "edit_hospitals": {"user_id": user_id},
        "set_edit_open": {"open_": False},
        "save_hospitals": {"form_data": hospital_form(desk.palace)},
        "deactivate": {"form_data": {"user_id": user_id, "reason": "Left"}},
        "reactivate": {"user_id": user_id},
    }.get(name, {})


async def prime(client: Client, desk: Desk) -> None:
    """Fill the state as an admin's tab would hold it, so an unguarded body would act."""
    state = await client.state(S)
    state.created = {"name": "A", "email": "a@example.in", "password": "Secret#123"}
    state.items = [
        {
            "id": str(desk.user.id),
            "name": "Lata Shetty",
            "is_active": "true",
            "hospital_ids": str(desk.sunrise.id),
        }
    ]
    state.editing = {"id": str(desk.user.id), "name": "Lata Shetty"}
    state.chosen, state.edit_open = [str(desk.sunrise.id)], True


@pytest.mark.parametrize("primed", [False, True], ids=["fresh", "primed"])
@pytest.mark.parametrize("who", [None, "patient", "doctor", "front_desk"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    fresh_session: FreshSession,
    name: str,
    who: str | None,
    primed: bool,
) -> None:
    caller = desk.user if who == "front_desk" else getattr(users, who) if who else None
    client = make_client(caller, url=PATH)
    if primed:
        await prime(client, desk)
    state_before, rows_before = await values(client), db_rows(fresh_session)

    events = await client.call(S, name, **payload_for(name, desk))

    assert redirects(events) == [LOGIN if who is None else HOME_FOR_ROLE[who]]
    assert has_toast(events, SIGN_IN_PLEASE if who is None else NO_ACCESS)
    assert await values(client) == state_before
    if not primed:
        assert state_before == defaults()
    assert db_rows(fresh_session) == rows_before


async def test_a_deactivated_admin_is_refused(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    session: Session,
    fresh_session: FreshSession,
) -> None:
    client = make_client(users.admin, url=PATH)
    users.admin.is_active = False
    session.add(users.admin)
    session.commit()
    before = db_rows(fresh_session)
    events = await client.call(S, "create", form_data=new_user_form(desk.apollo))
    assert redirects(events) == [LOGIN]
    assert db_rows(fresh_session) == before


# --- 2. the list, creating and the one-time password ---------------------------------------


async def opened(make_client: MakeClient, users: Users) -> tuple[Client, Any]:
    client = make_client(users.admin, url=PATH)
    assert await client.call(S, "load") == []
    return client, await client.state(S)


async def test_load_lists_front_desk_users_and_every_hospital_by_city(
    make_client: MakeClient, users: Users, desk: Desk
) -> None:
    _, state = await opened(make_client, users)
    assert state.loaded is True
    assert [(r["name"], r["hospitals"], r["is_active"]) for r in state.items] == [
        ("Lata Shetty", "Sunrise Hospital (Bangalore)", "true")
    ]
    assert [(h["name"], h["city"], h["first"]) for h in state.hospitals] == [
        ("Apollo Clinic", "Bangalore", "true"),
        ("Sunrise Hospital", "Bangalore", "false"),
        ("Palace Care", "Mysore", "true"),
    ]
    assert PASSWORD_HASH not in repr(_vars(state))


async def test_admin_creates_a_front_desk_user_and_sees_the_password_once(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    client, state = await opened(make_client, users)
    events = await client.call(S, "create", form_data=new_user_form(desk.apollo, desk.palace))

    assert has_toast(events, "Ravi Kumar can now work the front desk.")
    assert (state.errors, state.message) == ({}, "")
    secret = state.created["password"]
    assert state.created == {"name": "Ravi Kumar", "email": "ravi@example.in", "password": secret}
    with fresh_session() as db:
        ravi = db.exec(select(User).where(User.email == "ravi@example.in")).one()
        hospitals = db.exec(
            select(StaffHospital.hospital_id).where(StaffHospital.user_id == ravi.id)
        )
        assert set(hospitals.all()) == {desk.apollo.id, desk.palace.id}
    assert (ravi.role, ravi.must_change_password) == (Role.FRONT_DESK, True)
    assert verify_password(secret, ravi.password_hash)
    [row] = [r for r in state.items if r["email"] == "ravi@example.in"]
    assert row["hospitals"] == "Apollo Clinic (Bangalore), Palace Care (Mysore)"

    await client.call(S, "dismiss_password")
    assert state.created == {}
    await client.call(S, "create", form_data=new_user_form(desk.apollo, email="neha@example.in"))
    assert state.created["password"] not in ("", secret)
    await client.call(S, "load")  # shown once: gone on the next load
    assert state.created == {} and secret not in repr(_vars(state))


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (
            {"name": "Ravi Kumar", "email": "ravi@example.in", "phone": "9845077777"},
            {"hospital_ids"},
        ),
        (
            {"hospital-999999": "on", "name": "Ravi", "email": "r@e.in", "phone": "9845077777"},
            {"hospital_ids"},
        ),
        ({"name": "1", "email": "nope", "phone": "1"}, {"name", "email", "phone", "hospital_ids"}),
        (
            {"email": "LATA@example.com", "name": "Lata Two", "phone": "9845077777", "apollo": 1},
            {"email"},
        ),
        (
            {"email": "admin@example.com", "name": "Ana Two", "phone": "9845077777", "apollo": 1},
            {"email"},
        ),
        (
            {"role": "admin", "name": "Ravi Kumar", "email": "r@e.in", "phone": "98", "apollo": 1},
            {"phone"},
        ),
    ],
)
async def test_bad_new_user_forms_show_their_fields_and_save_nothing(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    fresh_session: FreshSession,
    form: dict[str, Any],
    errors: set[str],
) -> None:
    client, state = await opened(make_client, users)
    if form.pop("apollo", None):
        form[f"hospital-{desk.apollo.id}"] = "on"
    before = db_rows(fresh_session)
    assert await client.call(S, "create", form_data=form) == []
    assert set(state.errors) == errors
    assert state.message and state.created == {}
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize(
    "form_data",
    [None, "not a form", [], {"name": ["x"], "email": {"a": 1}, "phone": 5}, {"hospital-1": "x"}],
)
async def test_crafted_create_payloads_never_raise(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    fresh_session: FreshSession,
    form_data: Any,
) -> None:
    client, state = await opened(make_client, users)
    before = db_rows(fresh_session)
    await client.call(S, "create", form_data=form_data)
    assert state.errors and state.created == {}
    assert db_rows(fresh_session) == before


def test_chosen_hospitals_reads_only_ticked_hospital_boxes() -> None:
    form = {
        "hospital-3": "on",
        "hospital-4": "",
        "hospital-5": "off",
        "hospital-x": "on",
        "hospital-0": "on",
        "hospital-99999999999": "on",
        "hospital-6 ": "on",
        "name": "on",
        "hospital-7": True,
    }
    assert chosen_hospitals(form) == [3, 7]
    assert chosen_hospitals(None) == chosen_hospitals("hospital-3") == []
    flood = {f"hospital-{n}": "on" for n in range(1, 500)}
    assert len(chosen_hospitals(flood)) == 101  # the service refuses more than 100


# --- 3. changing the hospitals ---------------------------------------------------------------


async def test_admin_changes_the_hospitals_of_a_listed_user(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    client, state = await opened(make_client, users)
    for crafted in (None, {"id": desk.user.id}, "abc", True, str(users.admin.id), "0", 10**12):
        events = await client.call(S, "edit_hospitals", user_id=crafted)
        assert has_toast(events, NOT_FOUND), crafted
        assert state.edit_open is False and state.editing == {}

    await client.call(S, "edit_hospitals", user_id=str(desk.user.id))
    assert state.edit_open is True
    assert state.editing == {"id": str(desk.user.id), "name": "Lata Shetty"}
    assert state.chosen == [str(desk.sunrise.id)]

    # None ticked: the dialog stays open with the message, nothing changes.
    assert await client.call(S, "save_hospitals", form_data={}) == []
    assert state.edit_error == "Choose at least one hospital" and state.edit_open is True
    await client.call(S, "save_hospitals", form_data={"hospital-999999": "on"})
    assert state.edit_error == "Choose hospitals from the list"

    events = await client.call(
        S, "save_hospitals", form_data=hospital_form(desk.apollo, desk.palace)
    )
    assert has_toast(
        events, "Lata Shetty now works at Apollo Clinic (Bangalore), Palace Care (Mysore)."
    )
    assert (state.edit_open, state.editing, state.edit_error) == (False, {}, "")
    assert state.items[0]["hospitals"] == "Apollo Clinic (Bangalore), Palace Care (Mysore)"
    with fresh_session() as db:
        ids = db.exec(
            select(StaffHospital.hospital_id).where(StaffHospital.user_id == desk.user.id)
        )
        assert set(ids.all()) == {desk.apollo.id, desk.palace.id}
        [event] = db.exec(
            select(AuditEvent).where(AuditEvent.action == "front_desk_hospitals_changed")
        ).all()
        assert event.actor_user_id == users.admin.id

    # The dialog closed: saving again (a crafted event) changes nothing.
    before = db_rows(fresh_session)
    events = await client.call(S, "save_hospitals", form_data=hospital_form(desk.sunrise))
    assert has_toast(events, NOT_FOUND)
    assert db_rows(fresh_session) == before


async def test_the_dialog_opens_only_through_a_row_and_closes(
    make_client: MakeClient, users: Users, desk: Desk
) -> None:
    client, state = await opened(make_client, users)
    for crafted in (True, "false", None, 0):
        await client.call(S, "set_edit_open", open_=crafted)
        assert state.edit_open is False
    await client.call(S, "edit_hospitals", user_id=str(desk.user.id))
    await client.call(S, "set_edit_open", open_="false")
    assert state.edit_open is True
    await client.call(S, "set_edit_open", open_=False)
    assert (state.edit_open, state.editing, state.chosen) == (False, {}, [])


async def test_a_user_gone_from_the_list_is_not_edited(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    client, state = await opened(make_client, users)
    await client.call(S, "edit_hospitals", user_id=str(desk.user.id))
    state.editing = {"id": str(users.patient.id), "name": "Asha Rao"}  # a tampered tab
    before = db_rows(fresh_session)
    events = await client.call(S, "save_hospitals", form_data=hospital_form(desk.apollo))
    assert has_toast(events, NOT_FOUND)
    assert state.edit_open is False
    assert db_rows(fresh_session) == before


# --- 4. deactivating and reactivating ---------------------------------------------------------


async def test_admin_deactivates_and_reactivates_a_front_desk_user(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    desks_tab = make_client(desk.user, url="/desk")
    token = desks_tab.token
    client, state = await opened(make_client, users)
    for crafted in (
        {"user_id": str(users.admin.id)},  # not a front-desk user, not listed
        {"user_id": str(users.patient.id)},
        {"user_id": {"id": desk.user.id}},
        {"user_id": [desk.user.id]},
        {"user_id": "'; drop table users"},
        "not a form",
        None,
    ):
        events = await client.call(S, "deactivate", form_data=crafted)
        assert toasts(events) and not has_toast(events, "deactivated"), crafted
    with fresh_session() as db:
        assert all(u.is_active for u in db.exec(select(User)).all())
        assert resolve_session(db, token=token) is not None
        db.commit()

    events = await client.call(
        S, "deactivate", form_data={"user_id": str(desk.user.id), "reason": "Left"}
    )

    assert has_toast(events, "Lata Shetty is deactivated and signed out everywhere.")
    assert state.items[0]["is_active"] == "false"
    with fresh_session() as db:
        assert db.get(User, desk.user.id).is_active is False
        assert [s.revoked_reason for s in sessions_of(db, desk.user)] == ["front_desk_deactivated"]
        assert resolve_session(db, token=token) is None
        [event] = db.exec(
            select(AuditEvent).where(AuditEvent.action == "front_desk_deactivated")
        ).all()
        assert (event.reason, event.actor_user_id) == ("Left", users.admin.id)
    # Their open tab is signed out: its next page load forgets the token.
    await desks_tab.call(SessionState, "check_session")
    assert await desks_tab.session_token() == ""

    events = await client.call(S, "deactivate", form_data={"user_id": str(desk.user.id)})
    assert has_toast(events, "Lata Shetty is already inactive.")
    for crafted_id in (None, {"id": desk.user.id}, "abc", True, str(users.admin.id)):
        events = await client.call(S, "reactivate", user_id=crafted_id)
        assert has_toast(events, NOT_FOUND), crafted_id
    events = await client.call(S, "reactivate", user_id=str(desk.user.id))
    assert has_toast(events, "Lata Shetty is active again and can sign in.")
    assert state.items[0]["is_active"] == "true"
    with fresh_session() as db:
        assert db.get(User, desk.user.id).is_active is True
        assert resolve_session(db, token=token) is None  # the ended session stays ended
    events = await client.call(S, "reactivate", user_id=desk.user.id)  # an int works too
    assert has_toast(events, "Lata Shetty is already active.")


async def test_a_long_reason_is_cut_not_refused(
    make_client: MakeClient, users: Users, desk: Desk, fresh_session: FreshSession
) -> None:
    client, _ = await opened(make_client, users)
    events = await client.call(
        S, "deactivate", form_data={"user_id": str(desk.user.id), "reason": "x" * 600}
    )
    assert has_toast(events, "Lata Shetty is deactivated and signed out everywhere.")
    with fresh_session() as db:
        [event] = db.exec(
            select(AuditEvent).where(AuditEvent.action == "front_desk_deactivated")
        ).all()
        assert event.reason == "x" * 500


# --- 5. sorting and paging ----------------------------------------------------------------------


async def test_sorting_and_paging(make_client: MakeClient, users: Users, desk: Desk) -> None:
    client, state = await opened(make_client, users)
    await client.call(S, "create", form_data=new_user_form(desk.palace, name="Asha Nair"))
    assert [r["name"] for r in state.items] == ["Asha Nair", "Lata Shetty"]
    state.page = 3
    await client.call(S, "sort_by", key="name")
    assert (state.sort, state.page) == ("name", 1)
    await client.call(S, "sort_by", key="name")  # a second click reverses
    assert state.sort == "-name"
    assert [r["name"] for r in state.items] == ["Lata Shetty", "Asha Nair"]
    await client.call(S, "sort_by", key="-hospitals")  # the phone's menu: descending at once
    assert [r["name"] for r in state.items] == ["Lata Shetty", "Asha Nair"]  # Sunrise, Palace
    await client.call(S, "sort_by", key="hospitals")
    assert [r["name"] for r in state.items] == ["Asha Nair", "Lata Shetty"]
    for key in ("", "-", "--name", None, 5, ["name"], "x" * 31):
        await client.call(S, "sort_by", key=key)
        assert state.sort == "hospitals"
    await client.call(S, "sort_by", key="password_hash")  # not a column: the default order
    assert [r["name"] for r in state.items] == ["Asha Nair", "Lata Shetty"]
    for page in (2, "junk", None, -3, 10**9, {"p": 1}):
        await client.call(S, "go_page", page=page)
        assert state.page == 1 and len(state.items) == 2
