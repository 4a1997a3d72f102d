"""The in-app notification centre: only the user's own in-app messages are counted, listed
(newest first, a page at a time) and marked read; anyone else's id, or an id that is not
an int, is not found. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Forbidden, NotFound
from healthcareplus.core.models import Notification, Role, User
from healthcareplus.domain.notifications.centre import (
    NOT_FOUND,
    list_notifications,
    mark_all_read,
    mark_read,
    unread_count,
)
from tests.factories import create_patient, create_user

T0 = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 10:30 AM in the clinic (IST)
NOW = T0 + timedelta(days=1)
_keys = itertools.count(1)


def notify(
    session: Session,
    user: User,
    subject: str = "Appointment confirmed",
    *,
    at: datetime = T0,
    channel: str = "in_app",
    read_at: datetime | None = None,
    link: str = "",
) -> Notification:
    """A message to ``user`` as the outbox writes it (in-app ones are sent at once)."""
    row = Notification(
        key=f"test:{next(_keys)}:{user.id}:{channel}",
        event="appointment_confirmed",
        user_id=user.id or 0,
        channel=channel,
        subject=subject,
        body=f"{subject}: details",
        link=link,
        status="sent",
        created_at=at,
        due_at=at,
        sent_at=at,
        read_at=read_at,
    )
    session.add(row)
    session.commit()
    return row


def read_at_of(session: Session, *rows: Notification) -> list[datetime | None]:
    """Each row's ``read_at`` as the database has it now."""
    session.expire_all()
    return [session.get(Notification, row.id).read_at for row in rows]  # type: ignore[union-attr]


@pytest.fixture
def session(either_db: Session) -> Session:
    """Every rule here holds on SQLite and on PostgreSQL (row counts of updates too)."""
    return either_db


@pytest.fixture
def asha(session: Session) -> User:
    return create_patient(session, name="Asha Rao")


@pytest.fixture
def bina(session: Session) -> User:
    return create_patient(session, name="Bina Das")


def test_the_count_is_of_the_users_own_unread_in_app_messages(
    session: Session, asha: User, bina: User
) -> None:
    assert unread_count(session, user_id=asha.id) == 0
    notify(session, asha, "one")
    notify(session, asha, "two")
    notify(session, asha, "read already", read_at=T0)
    notify(session, asha, "an email", channel="email")
    notify(session, bina, "hers")

    assert unread_count(session, user_id=asha.id) == 2
    assert unread_count(session, user_id=bina.id) == 1
    assert unread_count(session, user_id=10**6) == 0


def test_the_list_holds_only_own_in_app_messages_newest_first(
    session: Session, asha: User, bina: User
) -> None:
    older = notify(session, asha, "older", at=T0, link="/appointments/abc")
    newer = notify(session, asha, "newer", at=T0 + timedelta(hours=2), read_at=NOW)
    same_time = notify(session, asha, "same time, written later", at=T0)
    notify(session, asha, "an email", channel="email")
    notify(session, bina, "hers", at=T0 + timedelta(days=3))

    page = list_notifications(session, user_id=asha.id)

    assert [n.subject for n in page.items] == ["newer", "same time, written later", "older"]
    assert [n.id for n in page.items] == [newer.id, same_time.id, older.id]
    first = page.items[2]
    assert (first.body, first.link, first.is_read) == ("older: details", "/appointments/abc", False)
    assert first.when_label == "Sat, 28 Nov 2026 · 10:30 AM"
    assert page.items[0].is_read is True
    assert (page.paging.total, page.paging.pages) == (3, 1)
    assert list_notifications(session, user_id=bina.id).paging.total == 1


def test_pages_follow_the_order_and_junk_page_numbers_are_clamped(
    session: Session, asha: User
) -> None:
    for minute in range(7):
        notify(session, asha, f"message {minute}", at=T0 + timedelta(minutes=minute))

    pages = [list_notifications(session, user_id=asha.id, page=n, page_size=3) for n in (1, 2, 3)]

    assert [[n.subject[-1] for n in p.items] for p in pages] == [
        ["6", "5", "4"],
        ["3", "2", "1"],
        ["0"],
    ]
    third = pages[2].paging
    assert (third.total, third.page, third.pages, third.has_prev, third.has_next) == (
        7,
        3,
        3,
        True,
        False,
    )
    assert (third.first_item, third.last_item) == (7, 7)
    for junk, expected in (("2", 1), (None, 1), (0, 1), (-4, 1), (99, 3), (True, 1), (2.0, 1)):
        got = list_notifications(session, user_id=asha.id, page=junk, page_size=3)
        assert got.paging.page == expected, junk
    empty = list_notifications(session, user_id=asha.id + 100, page=5)
    assert (empty.items, empty.paging.total, empty.paging.page, empty.paging.first_item) == (
        (),
        0,
        1,
        0,
    )


def test_marking_one_read_changes_only_that_one_and_keeps_the_first_read_time(
    session: Session, asha: User
) -> None:
    first, second = notify(session, asha, "first"), notify(session, asha, "second")

    mark_read(session, user_id=asha.id, notification_id=first.id, now=NOW)
    session.commit()
    assert read_at_of(session, first, second) == [NOW, None]
    assert unread_count(session, user_id=asha.id) == 1

    # Again, later: still read, at the first time (no error for a double click).
    mark_read(session, user_id=asha.id, notification_id=first.id, now=NOW + timedelta(hours=1))
    session.commit()
    assert read_at_of(session, first) == [NOW]


@pytest.mark.parametrize(
    "crafted",
    ["theirs", "email", "missing", "text", "float", "bool", "none", "negative"],
)
def test_anyone_elses_or_a_crafted_id_is_not_found_and_nothing_changes(
    session: Session, asha: User, bina: User, crafted: str
) -> None:
    mine = notify(session, asha, "mine")
    theirs = notify(session, bina, "hers")
    email = notify(session, asha, "an email", channel="email")
    ids: dict[str, Any] = {
        "theirs": theirs.id,
        "email": email.id,
        "missing": 10**6,
        "text": str(mine.id),
        "float": float(mine.id or 0),
        "bool": True,
        "none": None,
        "negative": -(mine.id or 0),
    }

    with pytest.raises(NotFound, match=NOT_FOUND):
        mark_read(session, user_id=asha.id, notification_id=ids[crafted], now=NOW)
    session.rollback()

    assert read_at_of(session, mine, theirs, email) == [None, None, None]


@pytest.mark.parametrize("huge", [2**31, 2**63])
def test_an_id_beyond_the_id_columns_range_is_not_found(
    session: Session, asha: User, huge: int
) -> None:
    """Never sent to the database, whose integer column would raise instead."""
    mine = notify(session, asha, "mine")
    with pytest.raises(NotFound, match=NOT_FOUND):
        mark_read(session, user_id=asha.id, notification_id=huge, now=NOW)
    session.rollback()
    assert read_at_of(session, mine) == [None]


def test_mark_all_read_marks_only_the_users_unread_in_app_messages(
    session: Session, asha: User, bina: User
) -> None:
    earlier = T0 + timedelta(minutes=5)
    unread = [notify(session, asha, f"unread {n}") for n in range(3)]
    already = notify(session, asha, "read before", read_at=earlier)
    email = notify(session, asha, "an email", channel="email")
    hers = notify(session, bina, "hers")

    assert mark_all_read(session, user_id=asha.id, now=NOW) == 3
    session.commit()

    assert read_at_of(session, *unread, already, email, hers) == [NOW] * 3 + [earlier, None, None]
    assert unread_count(session, user_id=asha.id) == 0
    assert unread_count(session, user_id=bina.id) == 1
    assert mark_all_read(session, user_id=asha.id, now=NOW) == 0


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.ADMIN])
def test_every_signed_in_role_has_a_centre(session: Session, role: str) -> None:
    user = create_user(session, role=role)
    row = notify(session, user)
    assert unread_count(session, user_id=user.id) == 1
    mark_read(session, user_id=user.id, notification_id=row.id, now=NOW)
    assert mark_all_read(session, user_id=user.id, now=NOW) == 0
    session.commit()
    assert read_at_of(session, row) == [NOW]


@pytest.mark.parametrize("how", ["blocked", "inactive", "unknown"])
def test_a_blocked_inactive_or_unknown_user_marks_nothing(
    session: Session, asha: User, how: str
) -> None:
    row = notify(session, asha)
    user_id: Any = asha.id
    if how == "unknown":
        user_id = 10**6
    else:
        setattr(asha, "is_blocked" if how == "blocked" else "is_active", how == "blocked")
        session.add(asha)
        session.commit()

    with pytest.raises(Forbidden):
        mark_read(session, user_id=user_id, notification_id=row.id, now=NOW)
    with pytest.raises(Forbidden):
        mark_all_read(session, user_id=user_id, now=NOW)
    session.rollback()
    assert read_at_of(session, row) == [None]
    assert (
        session.exec(select(Notification).where(col(Notification.read_at).is_not(None))).all() == []
    )
