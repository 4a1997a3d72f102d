"""The forgot-password page's state: anyone (signed in or not) may ask; the page says the
same whether or not the address has an account; a crafted call with odd arguments is
answered with a field error, never an exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.models import Notification, PasswordLink, User
from healthcareplus.domain.notifications.password_reset import RESET_EVENT, SENT
from healthcareplus.ui.shared.forgot_password_state import ForgotPasswordState
from tests.ui.harness import Client, Users

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
PATH = "/forgot-password"


async def shown(client: Client) -> dict[str, Any]:
    state = await client.state(ForgotPasswordState)
    return {name: getattr(state, name) for name in ForgotPasswordState.base_vars}


def reset_emails(fresh_session: FreshSession, user: User) -> list[Notification]:
    with fresh_session() as db:
        query = select(Notification).where(
            Notification.user_id == user.id, Notification.event == RESET_EVENT
        )
        return list(db.exec(query).all())


async def test_a_known_address_gets_a_link_and_the_page_says_so(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(None, url=PATH)
    assert await client.call(ForgotPasswordState, "load") == []
    form = {"email": users.patient.email.upper()}
    assert await client.call(ForgotPasswordState, "send_link", form_data=form) == []
    assert await shown(client) == {"sent": SENT, "errors": {}}
    [email] = reset_emails(fresh_session, users.patient)
    assert email.to_address == users.patient.email and "/set-password?token=" in email.body


async def test_an_unknown_address_reads_exactly_the_same(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(None, url=PATH)
    await client.call(ForgotPasswordState, "send_link", form_data={"email": "nobody@example.in"})
    assert await shown(client) == {"sent": SENT, "errors": {}}
    with fresh_session() as db:
        assert db.exec(select(PasswordLink)).all() == []


async def test_a_signed_in_user_may_ask_too(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.admin, url=PATH)
    await client.call(ForgotPasswordState, "send_link", form_data={"email": users.admin.email})
    assert (await shown(client))["sent"] == SENT
    assert len(reset_emails(fresh_session, users.admin)) == 1


@pytest.mark.parametrize(
    "form_data",
    [{}, {"email": ""}, {"email": "not-an-email"}, {"email": 42}, {"email": ["a@b.in"]}, None, "x"],
)
async def test_odd_input_is_a_field_error_and_sends_nothing(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, form_data: Any
) -> None:
    client = make_client(None, url=PATH)
    assert await client.call(ForgotPasswordState, "send_link", form_data=form_data) == []
    state = await shown(client)
    assert state["sent"] == "" and state["errors"]["email"]
    with fresh_session() as db:
        assert db.exec(select(PasswordLink)).all() == []
