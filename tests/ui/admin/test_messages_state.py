"""AdminMessagesState: the message list with its URL filters, and sending a failed
message again; wrong callers and crafted ids change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Notification, PendingNews, User
from healthcareplus.domain.notifications.pending_news import MAX_ATTEMPTS
from healthcareplus.ui.admin.messages_state import AdminMessagesState, messages_url
from tests.factories import create_appointment, create_doctor
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]


def message(session: Session, user: User, n: int, status: str, channel: str = "email") -> int:
    at = utcnow() - timedelta(minutes=10 - n)
    row = Notification(
        key=f"ui-test:{n}",
        event="cancelled",
        user_id=user.id or 0,
        channel=channel,
        to_address=user.email,
        subject=f"Message {n}",
        body="Body",
        status=status,
        created_at=at,
        due_at=at,
    )
    session.add(row)
    session.commit()
    return row.id or 0


@pytest.fixture
def messages(session: Session, users: Users) -> dict[str, int]:
    return {
        "sent": message(session, users.patient, 1, "sent"),
        "failed": message(session, users.patient, 2, "failed"),
        "in_app": message(session, users.doctor, 3, "sent", channel="in_app"),
    }


async def test_the_list_follows_the_filters_in_the_url(
    make_client: MakeClient, users: Users, messages: dict[str, int]
) -> None:
    client = make_client(users.admin, url=routes.ADMIN_MESSAGES)
    await client.call(AdminMessagesState, "load")
    state = await client.state(AdminMessagesState)
    assert [row["subject"] for row in state.rows] == ["Message 3", "Message 2", "Message 1"]
    assert state.counts["failed"] == 1 and state.counts["sent"] == 2

    client = make_client(users.admin, url=messages_url("failed", "email"))
    await client.call(AdminMessagesState, "load")
    state = await client.state(AdminMessagesState)
    assert (state.status, state.channel) == ("failed", "email")
    assert [row["subject"] for row in state.rows] == ["Message 2"]

    events = await client.call(
        AdminMessagesState, "apply", form_data={"status": "sent", "channel": "nonsense"}
    )
    assert redirects(events) == ["/admin/messages?status=sent"]


async def test_a_failed_message_is_sent_again_and_others_are_refused(
    make_client: MakeClient,
    users: Users,
    messages: dict[str, int],
    fresh_session: Callable[[], Session],
) -> None:
    client = make_client(users.admin, url=routes.ADMIN_MESSAGES)
    await client.call(AdminMessagesState, "load")

    for crafted in (str(messages["sent"]), "999", "abc", ""):
        events = await client.call(AdminMessagesState, "retry", message_id=crafted)
        assert has_toast(events, "Choose a failed message from the list.")
    events = await client.call(AdminMessagesState, "retry", message_id=str(messages["failed"]))
    assert has_toast(events, "The message is queued to be sent again.")

    with fresh_session() as db:
        statuses = {key: db.get(Notification, id_).status for key, id_ in messages.items()}  # type: ignore[union-attr]
    assert statuses == {"sent": "sent", "failed": "queued", "in_app": "sent"}


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
async def test_only_admins_see_or_retry_messages(
    make_client: MakeClient, users: Users, messages: dict[str, int], who: str | None
) -> None:
    client = make_client(getattr(users, who) if who else None, url=routes.ADMIN_MESSAGES)
    events = await client.call(AdminMessagesState, "load")
    assert redirects(events)
    assert (await client.state(AdminMessagesState)).rows == []
    events = await client.call(AdminMessagesState, "retry", message_id=str(messages["failed"]))
    assert redirects(events)


async def test_letters_that_failed_every_try_are_listed_and_tried_again(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: Callable[[], Session],
) -> None:
    visit = create_appointment(
        session, doctor=create_doctor(session), start_at=utcnow(), patient=users.patient
    )
    rows = [
        PendingNews(
            event="cancelled",
            appointment_id=visit.id,
            occurrence=1,
            moves=0,
            appointment="{}",
            created_at=utcnow(),
            attempts=attempts,
            last_error="KeyError: 'start_at'",
        )  # fmt: skip
        for attempts in (0, MAX_ATTEMPTS)
    ]
    session.add_all(rows)
    session.commit()
    waiting_id, stuck_id = (row.id for row in rows)
    client = make_client(users.admin, url=routes.ADMIN_MESSAGES)
    await client.call(AdminMessagesState, "load")
    state = await client.state(AdminMessagesState)
    assert state.waiting == 1
    assert [(row["id"], row["error"]) for row in state.stuck] == [
        (str(stuck_id), "KeyError: 'start_at'")
    ]

    for crafted in (str(waiting_id), "999", "abc", ""):
        events = await client.call(AdminMessagesState, "retry_letters", pending_id=crafted)
        assert has_toast(events, "Choose a change from the list of failed letters.")
    events = await client.call(AdminMessagesState, "retry_letters", pending_id=str(stuck_id))
    assert has_toast(events, "The worker will write these letters again.")
    state = await client.state(AdminMessagesState)
    assert (state.waiting, state.stuck) == (2, [])
    with fresh_session() as db:
        assert db.get(PendingNews, stuck_id).attempts == 0  # type: ignore[union-attr]

    patient = make_client(users.patient, url=routes.ADMIN_MESSAGES)
    events = await patient.call(AdminMessagesState, "retry_letters", pending_id=str(stuck_id))
    assert redirects(events)
