"""The notification centre's state and the bell's count, for every signed-in role; as the
page calls them and as a crafted browser could."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.models import Notification, User
from healthcareplus.domain.notifications.centre import NOT_FOUND
from healthcareplus.ui.shared.notification_bell_state import NotificationBellState, badge_text
from healthcareplus.ui.shared.notifications_state import (
    PAGE_SIZE,
    NotificationsState,
    safe_link,
)
from healthcareplus.ui.shared.session import SessionState
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]

PAGE = "/notifications"
T0 = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)
_keys = itertools.count(1)
# handler -> (state, a well-formed payload)
HANDLERS: dict[str, tuple[type, dict[str, Any]]] = {
    "load": (NotificationsState, {}),
    "go_to_page": (NotificationsState, {"page": 1}),
    "mark_read": (NotificationsState, {"notification_id": "1"}),
    "mark_all_read": (NotificationsState, {}),
    "refresh": (NotificationBellState, {}),
}


def notify(
    session: Session, user: User, subject: str = "Appointment confirmed", **fields: Any
) -> Notification:
    """An in-app message as the outbox writes it (sent at once, due when written)."""
    at = fields.pop("at", T0)
    row = Notification(
        key=f"ui-test:{next(_keys)}",
        event="appointment_confirmed",
        user_id=user.id or 0,
        channel="in_app",
        subject=subject,
        body=f"About: {subject}",
        status="sent",
        created_at=at,
        due_at=at,
        sent_at=at,
        **fields,
    )
    session.add(row)
    session.commit()
    return row


def read_ids(fresh_session: FreshSession) -> set[int]:
    with fresh_session() as db:
        rows = db.exec(select(Notification).where(col(Notification.read_at).is_not(None)))
        return {row.id or 0 for row in rows.all()}


async def shown(client: Client) -> list[str]:
    return [row["subject"] for row in (await client.state(NotificationsState)).items]


async def bell(client: Client) -> tuple[int, str, str]:
    state = await client.state(NotificationBellState)
    return state.unread, state.badge, state.label


# --- who may call ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HANDLERS))
async def test_an_anonymous_or_blocked_caller_is_sent_to_sign_in_and_nothing_changes(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    name: str,
) -> None:
    row = notify(session, users.other_patient)
    blocked = make_client(users.other_patient, url=PAGE)
    users.other_patient.is_blocked = True
    session.add(users.other_patient)
    session.commit()
    cls, payload = HANDLERS[name]
    payload = {**payload, "notification_id": str(row.id)} if name == "mark_read" else payload
    for client in (make_client(url=PAGE), blocked):
        events = await client.call(cls, name, **payload)
        assert redirects(events) == ["/login?next=%2Fnotifications"]
        assert has_toast(events, "Please sign in to continue.")
        assert (await client.state(NotificationsState)).items == []
        assert await bell(client) == (0, "", "Notifications")
    assert read_ids(fresh_session) == set()


# --- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["patient", "doctor", "admin"])
async def test_each_role_sees_only_its_own_messages_newest_first_and_the_bell_counts_them(
    make_client: MakeClient, users: Users, session: Session, who: str
) -> None:
    user = getattr(users, who)
    notify(session, user, "older", at=T0, link="/appointments/abc")
    notify(session, user, "newer", at=T0 + timedelta(hours=1), read_at=T0 + timedelta(hours=2))
    notify(session, users.other_patient, "someone else's", at=T0 + timedelta(days=1))
    client = make_client(user, url=PAGE)

    assert redirects(await client.call(NotificationsState, "load")) == []

    state = await client.state(NotificationsState)
    assert [r["subject"] for r in state.items] == ["newer", "older"]
    older = state.items[1]
    assert (older["body"], older["link"], older["is_read"]) == (
        "About: older",
        "/appointments/abc",
        "false",
    )
    assert older["when_label"] == "Sat, 28 Nov 2026 · 10:30 AM"
    assert state.items[0]["is_read"] == "true"
    assert (state.total, state.page, state.pages, state.loaded) == (2, 1, 1, True)
    assert await bell(client) == (1, "1", "Notifications, 1 unread")


async def test_pages_of_ten_and_crafted_page_numbers(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    for n in range(23):
        notify(session, users.patient, f"message {n:02d}", at=T0 + timedelta(minutes=n))
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")
    assert (await shown(client))[:2] == ["message 22", "message 21"]

    await client.call(NotificationsState, "go_to_page", page=2)
    state = await client.state(NotificationsState)
    assert await shown(client) == [f"message {n:02d}" for n in range(12, 2, -1)]
    assert (state.page, state.pages, state.first_item, state.last_item) == (2, 3, 11, 20)

    await client.call(NotificationsState, "go_to_page", page=99)  # past the end: the last
    assert (state.page, await shown(client)) == (3, ["message 02", "message 01", "message 00"])
    for crafted in ("x", True, 1.5, None, [1], {"page": 1}):
        assert await client.call(NotificationsState, "go_to_page", page=crafted) == []
        assert state.page == 3, crafted
    await client.call(NotificationsState, "go_to_page", page=-5)
    assert (state.page, len(state.items)) == (1, PAGE_SIZE)


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("/appointments/42", True),
        ("/appointments?tab=past", True),
        ("/", True),
        ("", False),
        ("//evil.example/x", False),
        ("/\\evil.example", False),
        ("\\\\evil.example", False),
        ("/\t/evil.example", False),
        ("/ /x", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("appointments/42", False),
    ],
)
async def test_only_same_site_paths_are_offered_as_links(
    make_client: MakeClient, users: Users, session: Session, link: str, kept: bool
) -> None:
    assert safe_link(link) == (link if kept else "")
    notify(session, users.patient, link=link)
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")
    [row] = (await client.state(NotificationsState)).items
    assert row["link"] == (link if kept else "")


# --- marking read ----------------------------------------------------------------------------


async def test_marking_one_read_updates_the_row_and_the_bell_at_once(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    first = notify(session, users.patient, "first", at=T0)
    notify(session, users.patient, "second", at=T0 + timedelta(minutes=1))
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")
    assert (await bell(client))[0] == 2

    events = await client.call(NotificationsState, "mark_read", notification_id=str(first.id))

    assert events == []
    assert read_ids(fresh_session) == {first.id}
    rows = (await client.state(NotificationsState)).items
    assert [(r["subject"], r["is_read"]) for r in rows] == [("second", "false"), ("first", "true")]
    assert await bell(client) == (1, "1", "Notifications, 1 unread")
    # Opening its link again (or a double click) is harmless.
    assert await client.call(NotificationsState, "mark_read", notification_id=first.id) == []
    assert read_ids(fresh_session) == {first.id}


async def test_someone_elses_or_a_crafted_id_is_refused_and_nothing_changes(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    mine = notify(session, users.patient, "mine")
    theirs = notify(session, users.other_patient, "theirs")
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")
    crafted: list[Any] = [
        str(theirs.id),
        theirs.id,
        "999999",
        "",
        "abc",
        "-1",
        f"{mine.id}.0",
        float(mine.id or 0),
        True,
        None,
        [mine.id],
        {"id": mine.id},
        str(2**31),
        10**12,
    ]
    for value in crafted:
        events = await client.call(NotificationsState, "mark_read", notification_id=value)
        assert has_toast(events, NOT_FOUND), value
    assert read_ids(fresh_session) == set()
    assert await shown(client) == ["mine"]
    assert (await bell(client))[0] == 1
    other = make_client(users.other_patient, url=PAGE)
    await other.call(NotificationBellState, "refresh")
    assert (await bell(other))[0] == 1


async def test_mark_all_read_marks_only_the_callers_messages(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    mine = [notify(session, users.patient, f"mine {n}") for n in range(3)]
    notify(session, users.other_patient, "theirs")
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")

    events = await client.call(NotificationsState, "mark_all_read")

    assert has_toast(events, "Marked 3 notifications read.")
    assert read_ids(fresh_session) == {row.id for row in mine}
    rows = (await client.state(NotificationsState)).items
    assert {r["is_read"] for r in rows} == {"true"}
    assert await bell(client) == (0, "", "Notifications")
    again = await client.call(NotificationsState, "mark_all_read")
    assert has_toast(again, "Nothing to mark: every notification is read.")


# --- the bell --------------------------------------------------------------------------------


async def test_the_bell_counts_new_messages_on_its_next_tick(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    client = make_client(users.doctor)
    await client.call(NotificationBellState, "refresh")
    assert await bell(client) == (0, "", "Notifications")

    notify(session, users.doctor, "new booking")
    notify(session, users.patient, "not the doctor's")
    await client.call(NotificationBellState, "refresh")
    assert await bell(client) == (1, "1", "Notifications, 1 unread")

    for n in range(120):
        notify(session, users.doctor, f"more {n}")
    await client.call(NotificationBellState, "refresh")
    assert await bell(client) == (121, "99+", "Notifications, 121 unread")


def test_the_badge_is_empty_at_zero_and_capped() -> None:
    assert [badge_text(n) for n in (0, -1, 1, 99, 100)] == ["", "", "1", "99", "99+"]


async def test_signing_out_forgets_the_count_and_the_list(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    notify(session, users.patient, "private news")
    client = make_client(users.patient, url=PAGE)
    await client.call(NotificationsState, "load")
    assert (await bell(client))[0] == 1

    await client.call(SessionState, "logout")

    assert await bell(client) == (0, "", "Notifications")
    state = await client.state(NotificationsState)
    assert (state.items, state.loaded) == ([], False)
