"""The set-password page's state: a link from an invitation email opens it (anyone may:
the token is the credential), shows whose account it is, sets the password once and
sends the doctor to sign in; a link that cannot be used says why and what to do. As the
page calls it and as a crafted browser could."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AuditEvent, PasswordLink, Role, User
from healthcareplus.domain.accounts import password_links as links
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.auth import BLOCKED
from healthcareplus.domain.accounts.passwords import NO_PASSWORD, verify_password
from healthcareplus.domain.accounts.sessions import resolve_session
from healthcareplus.ui.shared import set_password_state as page
from healthcareplus.ui.shared.set_password_state import SetPasswordState
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

NEW = "Fresh#Start42"
FORM = {"password": NEW, "confirm_password": NEW}


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def invited(session: Session) -> User:
    user = User(
        role=Role.DOCTOR,
        name="Dr. Priya Nair",
        email="priya.nair@example.in",
        phone="+91 98450 33333",
        password_hash=NO_PASSWORD,
    )
    session.add(user)
    session.commit()
    return user


def issue(session: Session, user: User, purpose: str = "invite") -> str:
    made = links.issue_password_link(session, user_id=user.id, purpose=purpose, now=utcnow())  # type: ignore[arg-type]
    session.commit()
    return made.token


async def opened(make_client: MakeClient, token: str, user: User | None = None) -> Client:
    """A tab that followed the emailed link (``user``: someone already signed in there)."""
    client = make_client(user, url=f"/set-password?token={token}")
    assert await client.call(SetPasswordState, "load") == []
    return client


async def shown(client: Client) -> dict[str, Any]:
    """What the browser receives (backend vars, such as the token, are not sent)."""
    state = await client.state(SetPasswordState)
    return {name: getattr(state, name) for name in SetPasswordState.base_vars}


def stored(fresh_session: FreshSession, user: User) -> tuple[str, list[PasswordLink]]:
    with fresh_session() as db:
        found = db.exec(select(PasswordLink).where(PasswordLink.user_id == user.id)).all()
        return db.get(User, user.id).password_hash, list(found)


async def test_the_link_shows_whose_account_and_sets_the_password_once(
    make_client: MakeClient, session: Session, invited: User, fresh_session: FreshSession
) -> None:
    token = issue(session, invited)
    client = await opened(make_client, token)
    assert await shown(client) == {
        "phase": page.READY,
        "name": "Dr. Priya Nair",
        "masked_email": "pr•••r@example.in",
        "problem": "",
        "sign_in_url": "/login",  # doctors sign in with patients
        "errors": {},
        "message": "",
    }
    held = await client.state(SetPasswordState)
    assert held._token == token and token not in repr(held.dict())  # kept, never sent

    events = await client.call(SetPasswordState, "set_password", form_data=FORM)

    assert has_toast(events, page.PASSWORD_SET) and redirects(events) == []
    assert (await shown(client))["phase"] == page.DONE
    password_hash, [link] = stored(fresh_session, invited)
    assert verify_password(NEW, password_hash) and link.used_at is not None
    with fresh_session() as db:
        [entry] = db.exec(select(AuditEvent).where(AuditEvent.action == "password_set_by_link"))
        assert entry.detail["client"] and entry.actor_user_id == invited.id

    # The same link again (another tab, or the email clicked later) cannot be used.
    again = await opened(make_client, token)
    after = await shown(again)
    assert after["phase"] == page.UNUSABLE and after["name"] == ""
    assert after["problem"] == f"{links.LINK_UNUSABLE} {page.NEW_LINK}"
    assert await again.call(SetPasswordState, "set_password", form_data=FORM) == []


async def test_a_refused_password_keeps_the_form_and_the_link(
    make_client: MakeClient, session: Session, invited: User, fresh_session: FreshSession
) -> None:
    client = await opened(make_client, issue(session, invited))
    for form, field in (
        ({"password": "short", "confirm_password": "short"}, "password"),
        ({"password": NEW, "confirm_password": "Fresh#Start43"}, "confirm_password"),
        ({}, "password"),
    ):
        assert await client.call(SetPasswordState, "set_password", form_data=form) == []
        state = await shown(client)
        assert (state["phase"], set(state["errors"])) == (page.READY, {field})
        assert state["message"] == "Please correct the highlighted fields."
    password_hash, [link] = stored(fresh_session, invited)
    assert password_hash == NO_PASSWORD and link.used_at is None

    await client.call(SetPasswordState, "set_password", form_data=FORM)
    assert (await shown(client))["phase"] == page.DONE


@pytest.mark.parametrize(
    "query",
    ["", "?token=", "?token=nonsense", "?token=" + "A" * 43, "?other=x", "?token=%00%ff"],
)
async def test_a_missing_or_unknown_link_asks_for_a_new_invitation(
    make_client: MakeClient, query: str
) -> None:
    client = make_client(None, url=f"/set-password{query}")
    await client.call(SetPasswordState, "load")
    state = await shown(client)
    assert state["phase"] == page.UNUSABLE
    assert state["problem"].endswith(page.NEW_LINK)


async def test_a_replaced_link_is_refused_and_the_newest_works(
    make_client: MakeClient, session: Session, invited: User
) -> None:
    older = issue(session, invited)
    old_tab = await opened(make_client, older)  # opened, then a resend arrives
    newer = issue(session, invited)

    await old_tab.call(SetPasswordState, "set_password", form_data=FORM)
    assert (await shown(old_tab))["phase"] == page.UNUSABLE
    new_tab = await opened(make_client, newer)
    await new_tab.call(SetPasswordState, "set_password", form_data=FORM)
    assert (await shown(new_tab))["phase"] == page.DONE


async def test_a_blocked_account_is_told_so(
    make_client: MakeClient, session: Session, invited: User
) -> None:
    token = issue(session, invited)
    invited.is_blocked = True
    session.add(invited)
    session.commit()
    client = await opened(make_client, token)
    assert (await shown(client))["problem"] == BLOCKED  # no "new invitation" advice


async def test_an_admins_link_leads_to_the_admin_sign_in(
    make_client: MakeClient, session: Session, users: Users
) -> None:
    client = await opened(make_client, issue(session, users.admin, "reset"))
    assert (await shown(client))["sign_in_url"] == "/admin/login"
    await client.call(SetPasswordState, "set_password", form_data=FORM)
    assert (await shown(client))["sign_in_url"] == "/admin/login"


@pytest.mark.parametrize(
    "form_data", [None, "password=x", ["a"], {"password": ["x"]}, {"password": "P" * 10_000}]
)
async def test_crafted_events_change_nothing(
    make_client: MakeClient,
    session: Session,
    invited: User,
    fresh_session: FreshSession,
    form_data: Any,
) -> None:
    # Without a link opened first: nothing to set.
    fresh = make_client(None, url="/set-password")
    assert await fresh.call(SetPasswordState, "set_password", form_data=FORM) == []
    assert (await shown(fresh))["phase"] == page.CHECKING
    # With one: odd forms are refused as passwords, the link stays usable.
    client = await opened(make_client, issue(session, invited))
    await client.call(SetPasswordState, "set_password", form_data=form_data)
    assert (await shown(client))["phase"] == page.READY
    password_hash, [link] = stored(fresh_session, invited)
    assert password_hash == NO_PASSWORD and link.used_at is None


async def test_a_signed_in_visitor_keeps_their_own_session(
    make_client: MakeClient, session: Session, invited: User, users: Users
) -> None:
    client = await opened(make_client, issue(session, invited), user=users.admin)
    await client.call(SetPasswordState, "set_password", form_data=FORM)
    assert (await shown(client))["phase"] == page.DONE
    assert resolve_session(session, token=client.token) is not None  # not the admin's
