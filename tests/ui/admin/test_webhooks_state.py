"""AdminWebhooksState: adding an endpoint shows its secret once, turning it off and on,
rotating, the recent attempts; crafted ids and other roles change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.models import AuditEvent, WebhookEndpoint
from healthcareplus.ui.admin.webhooks_state import AdminWebhooksState, event_field
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FORM = {
    "url": "https://hooks.example.in/hcp",
    "description": "Billing",
    event_field("appointment.confirmed"): True,
    event_field("payment.refunded"): "on",
}


async def test_an_admin_adds_toggles_and_rotates_an_endpoint(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(users.admin, url=routes.ADMIN_WEBHOOKS)
    await client.call(AdminWebhooksState, "load")
    assert (await client.state(AdminWebhooksState)).rows == []

    events = await client.call(AdminWebhooksState, "create", form_data=FORM)
    assert has_toast(events, "Endpoint added. Copy its secret now.")
    state = await client.state(AdminWebhooksState)
    first = state.secret
    assert first.startswith("whsec_") and state.secret_url == FORM["url"]
    (row,) = state.rows
    assert row["events"] == "appointment.confirmed, payment.refunded"
    assert row["is_active"] == "true" and first not in str(row)

    await client.call(AdminWebhooksState, "dismiss_secret")
    assert (await client.state(AdminWebhooksState)).secret == ""

    events = await client.call(AdminWebhooksState, "toggle", endpoint_id=row["id"])
    assert has_toast(events, "Endpoint off.")
    assert (await client.state(AdminWebhooksState)).rows[0]["is_active"] == "false"
    events = await client.call(AdminWebhooksState, "rotate", endpoint_id=row["id"])
    assert has_toast(events, "New secret made: the old one no longer works.")
    assert (await client.state(AdminWebhooksState)).secret not in ("", first)

    await client.call(AdminWebhooksState, "show_attempts", endpoint_id=row["id"])
    state = await client.state(AdminWebhooksState)
    assert (state.chosen, state.attempts) == (row["id"], [])

    with fresh_session() as db:
        actions = [e.action for e in db.exec(select(AuditEvent)).all()]
    assert actions == ["webhook_created", "webhook_updated", "webhook_secret_rotated"]


async def test_refused_fields_stay_in_the_form(
    make_client: MakeClient, users: Users, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(users.admin, url=routes.ADMIN_WEBHOOKS)
    await client.call(AdminWebhooksState, "load")
    await client.call(AdminWebhooksState, "create", form_data={"url": "http://example.in"})
    state = await client.state(AdminWebhooksState)
    assert set(state.errors) == {"url", "events"} and state.secret == ""
    for crafted in ("999", "abc", "", "1"):
        events = await client.call(AdminWebhooksState, "rotate", endpoint_id=crafted)
        assert has_toast(events, "Choose an endpoint from the list.")
    with fresh_session() as db:
        assert db.exec(select(WebhookEndpoint)).all() == []


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
async def test_only_admins_manage_webhooks(
    make_client: MakeClient, users: Users, who: str | None, fresh_session: Callable[[], Session]
) -> None:
    client = make_client(getattr(users, who) if who else None, url=routes.ADMIN_WEBHOOKS)
    assert redirects(await client.call(AdminWebhooksState, "load"))
    assert redirects(await client.call(AdminWebhooksState, "create", form_data=FORM))
    with fresh_session() as db:
        assert db.exec(select(WebhookEndpoint)).all() == []
