"""Privileged handlers called by every kind of caller, and the session/account flows.

Each call goes straight to the handler (as a crafted websocket event would, skipping
the page and its buttons); the middleware is tested separately.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.config import get_settings
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import LoginAttempt, Role, User
from healthcareplus.domain.accounts import auth, sessions, throttle
from healthcareplus.ui.admin.home_state import AdminHomeState
from healthcareplus.ui.patient.profile_state import ProfileState
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.session import SessionState
from tests.ui.harness import (
    CLIENT_IP,
    PASSWORD,
    Client,
    Users,
    has_toast,
    redirects,
    sessions_of,
)

SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."

MakeClient = Callable[..., Client]


def user_rows(db: Session) -> list[dict[str, Any]]:
    return [u.model_dump() for u in db.exec(select(User).order_by(User.id)).all()]


def valid_profile_form(**overrides: str) -> dict[str, str]:
    form = {
        "name": "Asha Rani",
        "phone": "98450 12345",
        "date_of_birth": "1990-05-01",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Dust",
        "medical_history": "None",
    }
    form.update(overrides)
    return form


def registration_form(**overrides: str) -> dict[str, str]:
    form = {
        "name": "Meera Nair",
        "email": "meera@example.com",
        "phone": "98450 22222",
        "password": "Str0ng-Passw0rd!",
        "confirm_password": "Str0ng-Passw0rd!",
    }
    form.update(overrides)
    return form


async def poison(client: Client, cls: type) -> None:
    """Put marker values a handler body would overwrite, to prove it never ran."""
    state = await client.state(cls)
    if cls is ProfileState:
        state.errors, state.saved_message = {"marker": "kept"}, "kept"
    else:
        state.figures = {"marker": -1}


# --- ProfileState.load / save and AdminHomeState.load: wrong callers -------------------


@pytest.mark.parametrize(
    ("cls", "url", "who", "target", "toast"),
    [
        (ProfileState, "/profile", None, "/login?next=%2Fprofile", SIGN_IN_PLEASE),
        (ProfileState, "/profile", "admin", "/admin", NO_ACCESS),
        (ProfileState, "/profile", "doctor", routes.DOCTOR_PORTAL, NO_ACCESS),
        (AdminHomeState, "/admin", None, "/admin/login?next=%2Fadmin", SIGN_IN_PLEASE),
        (AdminHomeState, "/admin", "patient", "/", NO_ACCESS),
        (AdminHomeState, "/admin", "doctor", routes.DOCTOR_PORTAL, NO_ACCESS),
    ],
)
async def test_load_by_a_wrong_caller_redirects_and_sets_nothing(
    make_client: MakeClient,
    users: Users,
    cls: type,
    url: str,
    who: str | None,
    target: str,
    toast: str,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=url)
    await poison(client, cls)

    events = await client.call(cls, "load")

    assert redirects(events) == [target]
    assert has_toast(events, toast)
    state = await client.state(cls)
    assert state.loaded is False
    if cls is ProfileState:
        assert state.profile == {}
        assert (state.errors, state.saved_message) == ({"marker": "kept"}, "kept")
    else:
        assert state.figures == {"marker": -1}


@pytest.mark.parametrize(
    ("who", "target"),
    [(None, "/login?next=%2Fprofile"), ("admin", "/admin"), ("doctor", routes.DOCTOR_PORTAL)],
)
async def test_crafted_profile_save_by_a_wrong_caller_changes_nothing(
    make_client: MakeClient,
    users: Users,
    fresh_session: Callable[[], Session],
    who: str | None,
    target: str,
) -> None:
    with fresh_session() as db:
        before = user_rows(db)
    client = make_client(getattr(users, who) if who else None, url="/profile")
    await poison(client, ProfileState)
    form = valid_profile_form(id=str(users.patient.id), email=users.patient.email)

    events = await client.call(ProfileState, "save", form_data=form)

    assert redirects(events) == [target]
    with fresh_session() as db:
        assert user_rows(db) == before
    state = await client.state(ProfileState)
    assert state.profile == {}
    assert (state.errors, state.saved_message) == ({"marker": "kept"}, "kept")


# --- the right role ---------------------------------------------------------------------


async def test_patient_loads_their_own_profile_only(make_client: MakeClient, users: Users) -> None:
    client = make_client(users.patient, url="/profile")

    events = await client.call(ProfileState, "load")

    assert redirects(events) == []
    state = await client.state(ProfileState)
    assert state.loaded is True
    assert state.profile["id"] == str(users.patient.id)
    assert state.profile["email"] == "asha@example.com"
    assert state.profile["name"] == "Asha Rao"
    assert "Penicillin" not in state.profile.values()  # the other patient's allergy
    assert "Asthma since 2010" not in state.profile.values()


async def test_two_patients_in_two_tabs_each_see_their_own_profile(
    make_client: MakeClient, users: Users
) -> None:
    first = make_client(users.patient, url="/profile")
    second = make_client(users.other_patient, url="/profile")
    await first.call(ProfileState, "load")
    await second.call(ProfileState, "load")
    assert (await first.state(ProfileState)).profile["email"] == "asha@example.com"
    other = (await second.state(ProfileState)).profile
    assert (other["email"], other["allergies"]) == ("bina@example.com", "Penicillin")


async def test_profile_save_updates_only_the_callers_row_whatever_ids_the_form_holds(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    with fresh_session() as db:
        other_before = db.get(User, users.other_patient.id).model_dump()
    client = make_client(users.patient, url="/profile")
    form = valid_profile_form(
        id=str(users.other_patient.id),
        user_id=str(users.other_patient.id),
        email=users.other_patient.email,
        role=Role.ADMIN,
    )

    events = await client.call(ProfileState, "save", form_data=form)

    assert redirects(events) == []
    assert has_toast(events, "Profile saved")
    with fresh_session() as db:
        mine = db.get(User, users.patient.id)
        assert (mine.name, mine.phone, mine.blood_group) == ("Asha Rani", "+91 98450 12345", "O+")
        assert (mine.email, mine.role) == ("asha@example.com", Role.PATIENT)
        assert str(mine.date_of_birth) == "1990-05-01"
        assert db.get(User, users.other_patient.id).model_dump() == other_before
    state = await client.state(ProfileState)
    assert state.profile["email"] == "asha@example.com"
    assert state.profile["name"] == "Asha Rani"
    assert state.saved_message == "Your profile has been saved."


async def test_profile_save_cannot_be_pointed_at_another_row_by_an_extra_argument(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    with fresh_session() as db:
        before = user_rows(db)
    client = make_client(users.patient, url="/profile")
    with pytest.raises(TypeError):
        await client.call(
            ProfileState, "save", form_data=valid_profile_form(), user_id=users.other_patient.id
        )
    with fresh_session() as db:
        assert user_rows(db) == before


async def test_invalid_profile_is_refused_with_field_errors_and_not_stored(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    with fresh_session() as db:
        before = user_rows(db)
    client = make_client(users.patient, url="/profile")

    events = await client.call(
        ProfileState, "save", form_data=valid_profile_form(name="<script>x</script>")
    )

    assert events == []
    assert set((await client.state(ProfileState)).errors) == {"name"}
    with fresh_session() as db:
        assert user_rows(db) == before


async def test_admin_loads_the_overview_figures(make_client: MakeClient, users: Users) -> None:
    client = make_client(users.admin, url="/admin")

    events = await client.call(AdminHomeState, "load")

    assert redirects(events) == []
    state = await client.state(AdminHomeState)
    assert state.loaded is True
    assert state.figures["patients"] == 2
    assert set(state.figures) == {
        "cities",
        "hospitals",
        "active_doctors",
        "patients",
        "appointments",
        "appointments_today",
        "upcoming_confirmed",
    }


# --- dead sessions count as anonymous ----------------------------------------------------


def _expired_token(db: Session, user: User) -> str:
    long_ago = utcnow() - timedelta(hours=get_settings().session_idle_hours, minutes=1)
    token = sessions.create_session(db, user_id=user.id, role=user.role, now=long_ago)
    db.commit()  # the test is the unit of work: the domain only flushes
    return token


def _revoked_token(db: Session, user: User) -> str:
    token = sessions.create_session(db, user_id=user.id, role=user.role)
    sessions.revoke_session(db, token=token)
    db.commit()
    return token


def _deactivated_users_token(db: Session, user: User) -> str:
    token = sessions.create_session(db, user_id=user.id, role=user.role)
    user.is_active = False
    db.add(user)
    db.commit()
    return token


@pytest.mark.parametrize(
    "make_token",
    [
        _expired_token,
        _revoked_token,
        _deactivated_users_token,
        lambda db, user: "forged-" + "x" * 40,
        lambda db, user: "y" * 5000,
        # What a crafted update of the synced storage var can make the token: never a crash.
        lambda db, user: 5,
        lambda db, user: {"token": "x"},
        lambda db, user: ["x"],
        lambda db, user: "\ud800",
    ],
    ids=[
        "expired",
        "revoked",
        "deactivated-user",
        "forged",
        "oversized",
        "int",
        "dict",
        "list",
        "lone-surrogate",
    ],
)
async def test_dead_or_forged_token_counts_as_anonymous(
    make_client: MakeClient,
    users: Users,
    session: Session,
    make_token: Callable[[Session, User], Any],
) -> None:
    token = make_token(session, users.patient)
    client = make_client(url="/profile", token=token)

    events = await client.call(ProfileState, "load")

    assert redirects(events) == ["/login?next=%2Fprofile"]
    assert (await client.state(ProfileState)).profile == {}

    await client.call(SessionState, "check_session")
    session_state = await client.state(SessionState)
    assert (session_state.token, session_state.user_role, session_state.user_name) == ("", "", "")
    assert session_state.session_checked is True


async def test_check_session_shows_the_live_user(make_client: MakeClient, users: Users) -> None:
    client = make_client(users.doctor)
    await client.call(SessionState, "check_session")
    state = await client.state(SessionState)
    assert (state.user_name, state.user_role, state.token) == ("Dev Iyer", "doctor", client.token)


# --- sign-out -------------------------------------------------------------------------------


async def test_logout_revokes_the_session_in_the_database(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(users.patient, url="/profile")
    other_tab = make_client(users.patient)  # a second session of the same user
    await client.call(SessionState, "check_session")

    events = await client.call(SessionState, "logout")

    assert redirects(events) == ["/"]
    state = await client.state(SessionState)
    assert (state.token, state.user_name, state.user_role) == ("", "", "")
    with fresh_session() as db:
        assert sessions.resolve_session(db, token=client.token) is None
        revoked = [s for s in sessions_of(db, users.patient) if s.revoked_at is not None]
        assert len(revoked) == 1
        assert sessions.resolve_session(db, token=other_tab.token) is not None
    # The same tab is anonymous now, even if it replays the old token.
    assert redirects(await client.call(ProfileState, "load")) == ["/login?next=%2Fprofile"]
    state.token = client.token
    assert redirects(await client.call(ProfileState, "load")) == ["/login?next=%2Fprofile"]


async def test_logout_forgets_the_private_data_loaded_for_the_user(
    make_client: MakeClient, users: Users
) -> None:
    """The next person at this browser must not find the profile in the page state."""
    client = make_client(users.patient, url="/profile")
    await client.call(ProfileState, "load")
    assert (await client.state(ProfileState)).profile["email"] == "asha@example.com"
    admin_tab = make_client(users.admin, url="/admin")
    await admin_tab.call(AdminHomeState, "load")

    await client.call(SessionState, "logout")
    await admin_tab.call(SessionState, "logout")

    profile = await client.state(ProfileState)
    assert (profile.profile, profile.loaded) == ({}, False)
    admin_home = await admin_tab.state(AdminHomeState)
    assert (admin_home.figures, admin_home.loaded) == ({}, False)


async def test_logout_without_a_session_is_harmless(make_client: MakeClient) -> None:
    client = make_client()
    assert redirects(await client.call(SessionState, "logout")) == ["/"]
    assert await client.session_token() == ""


# --- sign-in -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        {"email": "asha@example.com", "password": "Wrong-Password-1"},
        {"email": "nobody@example.com", "password": PASSWORD},
        {"email": "ASHA@example.com ", "password": PASSWORD.lower()},
    ],
    ids=["wrong-password", "unknown-email", "wrong-case-password"],
)
async def test_failed_sign_in_sets_the_generic_message_and_no_token(
    make_client: MakeClient,
    users: Users,
    fresh_session: Callable[[], Session],
    form: dict[str, str],
) -> None:
    client = make_client(url="/login")

    events = await client.call(AccountFormState, "sign_in", form_data=form)

    assert events == []
    assert (await client.state(AccountFormState)).message == auth.INVALID_CREDENTIALS
    assert await client.session_token() == ""
    with fresh_session() as db:
        assert sessions_of(db, users.patient) == []
        attempt = db.exec(select(LoginAttempt)).one()
        assert attempt.succeeded is False
        # The throttle key comes from the connection's address (router.session.client_ip).
        assert attempt.client_key == throttle.client_key_for(CLIENT_IP)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/login?next=/profile", "/profile"),
        ("/login", "/"),
        ("/login?next=//evil.example/x", "/"),
        ("/login?next=https://evil.example/", "/"),
    ],
)
async def test_sign_in_opens_a_session_and_follows_only_same_site_next(
    make_client: MakeClient,
    users: Users,
    fresh_session: Callable[[], Session],
    url: str,
    target: str,
) -> None:
    client = make_client(url=url)

    events = await client.call(
        AccountFormState,
        "sign_in",
        form_data={"email": " Asha@Example.com", "password": PASSWORD},
    )

    assert redirects(events) == [target]
    token = await client.session_token()
    with fresh_session() as db:
        viewer = sessions.resolve_session(db, token=token)
    assert viewer is not None and (viewer.id, viewer.role) == (users.patient.id, "patient")
    session_state = await client.state(SessionState)
    assert (session_state.user_name, session_state.user_role) == ("Asha Rao", "patient")


CRAFTED_PAYLOADS = [
    "not a form",
    None,
    12345,
    ["asha@example.com", PASSWORD],
    {"email": ["asha@example.com"], "password": {"$ne": ""}},
    {"email": {"__class__": "x"}, "password": PASSWORD},
    {"email": "a" * 1_000_000 + "@example.com", "password": "p" * 1_000_000},
    {"email": "asha@example.com", "password": PASSWORD + "x" * 100_000},
]


@pytest.mark.parametrize("payload", CRAFTED_PAYLOADS, ids=range(len(CRAFTED_PAYLOADS)))
async def test_crafted_sign_in_payload_does_not_crash_or_sign_in(
    make_client: MakeClient,
    users: Users,
    fresh_session: Callable[[], Session],
    payload: object,
) -> None:
    client = make_client(url="/login")

    events = await client.call(AccountFormState, "sign_in", form_data=payload)

    assert events == []
    assert (await client.state(AccountFormState)).message in {
        "Enter your email and password.",
        auth.INVALID_CREDENTIALS,
    }
    assert await client.session_token() == ""
    with fresh_session() as db:
        assert all(len(a.email) <= 254 for a in db.exec(select(LoginAttempt)).all())
        assert sessions_of(db, users.patient) == []


async def test_patient_portal_refuses_admin_credentials_and_points_to_the_admin_portal(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(url="/login")

    events = await client.call(
        AccountFormState,
        "sign_in",
        form_data={"email": "admin@example.com", "password": PASSWORD},
    )

    assert events == []
    assert (await client.state(AccountFormState)).message == (
        "Admins sign in through the admin portal."
    )
    assert await client.session_token() == ""
    with fresh_session() as db:
        assert sessions_of(db, users.admin) == []


async def test_admin_portal_refuses_patient_credentials_and_admits_the_admin(
    make_client: MakeClient, users: Users
) -> None:
    patient_tab = make_client(url="/admin/login")
    await patient_tab.call(
        AccountFormState,
        "sign_in_admin",
        form_data={"email": "asha@example.com", "password": PASSWORD},
    )
    assert (await patient_tab.state(AccountFormState)).message == (
        "This portal is for administrators only."
    )
    assert await patient_tab.session_token() == ""

    admin_tab = make_client(url="/admin/login")
    events = await admin_tab.call(
        AccountFormState,
        "sign_in_admin",
        form_data={"email": "admin@example.com", "password": PASSWORD},
    )
    assert redirects(events) == ["/admin"]
    assert (await admin_tab.state(SessionState)).user_role == "admin"
    assert redirects(await admin_tab.call(AdminHomeState, "load")) == []


# --- registration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "<b>Meera</b>", "Meera<img src=x onerror=alert(1)>"]
)
async def test_registration_refuses_markup_in_the_name(
    make_client: MakeClient, fresh_session: Callable[[], Session], name: str
) -> None:
    client = make_client(url="/register")

    events = await client.call(
        AccountFormState, "register_patient", form_data=registration_form(name=name)
    )

    assert events == []
    form_state = await client.state(AccountFormState)
    assert set(form_state.errors) == {"name"}
    assert form_state.message == "Please correct the highlighted fields."
    assert await client.session_token() == ""
    with fresh_session() as db:
        assert db.exec(select(User).where(User.email == "meera@example.com")).first() is None


async def test_patient_registration_ignores_a_crafted_role_and_signs_the_patient_in(
    make_client: MakeClient, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(url="/register")
    form = registration_form(role="admin", admin_code=get_settings().admin_code)

    events = await client.call(AccountFormState, "register_patient", form_data=form)

    assert redirects(events) == ["/"]
    with fresh_session() as db:
        user = db.exec(select(User).where(User.email == "meera@example.com")).one()
        assert user.role == Role.PATIENT
        viewer = sessions.resolve_session(db, token=await client.session_token())
    assert viewer is not None and viewer.id == user.id


@pytest.mark.parametrize("code", ["WRONG-CODE", "", " "])
async def test_admin_registration_with_a_wrong_code_fails_on_the_code(
    make_client: MakeClient, fresh_session: Callable[[], Session], code: str
) -> None:
    client = make_client(url="/admin/register")

    events = await client.call(
        AccountFormState, "register_admin", form_data=registration_form(admin_code=code)
    )

    assert events == []
    assert set((await client.state(AccountFormState)).errors) == {"admin_code"}
    assert await client.session_token() == ""
    with fresh_session() as db:
        assert db.exec(select(User).where(User.email == "meera@example.com")).first() is None
