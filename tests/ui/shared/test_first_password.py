"""A password someone else chose (an admin creating an administrator) works once: the
first sign-in leads to the security page, every other page and privileged handler waits,
and choosing a new password opens the portal; the REST API will not sign such a user in."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.api import api
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import User
from healthcareplus.domain.accounts import admins, credentials, password_links, passwords
from healthcareplus.domain.accounts.api_tokens import CHANGE_PASSWORD_FIRST
from healthcareplus.ui.admin.patients_state import AdminPatientsState
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.security_state import SecurityState
from healthcareplus.ui.shared.session import CHOOSE_PASSWORD, SessionState
from tests.ui.harness import Client, Users, has_toast, redirects
from tests.ui.shared.test_guard_middleware import event_for, vet

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
GIVEN, OWN = "Giv3n!Secret", "Own!Choice2026"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def newcomer(session: Session, users: Users) -> User:
    made = admins.create_admin(
        session,
        name="Kiran Shetty",
        email="kiran@example.in",
        phone="98450 77777",
        password=GIVEN,
        confirm_password=GIVEN,
        actor_id=users.admin.id,
        now=utcnow(),
    )
    session.commit()
    user = session.get(User, made.admin.id)
    assert user is not None and user.must_change_password
    return user


def flag(fresh_session: FreshSession, user: User) -> bool:
    with fresh_session() as db:
        found = db.get(User, user.id)
        assert found is not None
        return found.must_change_password


def test_every_account_an_admin_creates_must_change_its_password(
    session: Session, users: Users
) -> None:
    made = admins.create_admin(
        session, name="Asha Rao", email="asha.rao@example.in", phone="98450 12345",
        actor_id=users.admin.id, now=utcnow(),
    )  # fmt: skip
    user = session.get(User, made.admin.id)
    assert user is not None and user.must_change_password  # generated: once only
    assert not users.patient.must_change_password  # chose their own at sign-up


def test_choosing_a_password_clears_it_either_way(session: Session, newcomer: User) -> None:
    credentials.change_password(
        session, user_id=newcomer.id, current_password=GIVEN, new_password=OWN,
        confirm_password=OWN, client_key="k", now=utcnow(),
    )  # fmt: skip
    session.commit()
    assert not newcomer.must_change_password
    newcomer.must_change_password = True
    session.add(newcomer)
    session.commit()
    link = password_links.issue_password_link(
        session, user_id=newcomer.id, purpose="reset", now=utcnow()
    )
    password_links.set_password_with_link(
        session, token=link.token, password=GIVEN, confirm=GIVEN, now=utcnow()
    )
    session.commit()
    assert not newcomer.must_change_password


async def test_sign_in_leads_to_the_security_page_and_everything_else_waits(
    make_client: MakeClient, users: Users, newcomer: User, fresh_session: FreshSession
) -> None:
    tab = make_client(None, url="/admin/login?next=%2Fadmin%2Fpatients")
    events = await tab.call(
        AccountFormState, "sign_in_admin", form_data={"email": newcomer.email, "password": GIVEN}
    )
    assert redirects(events) == ["/account/security"]  # not where "next" pointed

    signed_in = make_client(newcomer, url="/admin/patients")
    events = await signed_in.call(SessionState, "check_session")
    assert redirects(events) == ["/account/security"] and has_toast(events, CHOOSE_PASSWORD)
    assert await signed_in.call(AdminPatientsState, "load") == []  # waits: no rows, no toast
    assert (await signed_in.state(AdminPatientsState)).items == []
    refused = await vet(signed_in, event_for(AdminPatientsState, "load"))
    assert refused is not None and refused.events == []  # the middleware refuses it too
    assert await vet(signed_in, event_for(SecurityState, "load")) is None

    security = make_client(newcomer, url="/account/security")
    assert await security.call(SessionState, "check_session") in ([], None)
    await security.call(SecurityState, "load")
    assert (await security.state(SecurityState)).must_change is True
    form = {"current_password": GIVEN, "new_password": OWN, "confirm_password": OWN}
    events = await security.call(SecurityState, "change_password", form_data=form)
    assert redirects(events) == ["/admin"]
    assert flag(fresh_session, newcomer) is False
    assert await security.call(SessionState, "check_session") in ([], None)


def test_the_api_will_not_sign_in_with_a_given_password(db_url: str, newcomer: User) -> None:
    response = TestClient(api).post(
        "/api/v1/auth/token", data={"username": newcomer.email, "password": GIVEN}
    )
    assert response.status_code == 401 and CHANGE_PASSWORD_FIRST in response.text


def test_the_flag_reaches_the_session(session: Session, newcomer: User) -> None:
    from healthcareplus.domain.accounts import sessions

    token = sessions.create_session(session, user_id=newcomer.id, role=newcomer.role)
    viewer = sessions.resolve_session(session, token=token, now=utcnow() + timedelta(seconds=1))
    assert viewer is not None and viewer.must_change_password
