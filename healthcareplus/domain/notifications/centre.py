"""The in-app notification centre: a user's messages, newest first, the unread count and
marking them read. Every function reads or changes only the given user's own messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.models import Notification, Role
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.domain.accounts.actors import acting_user

IN_APP = "in_app"
SIGNED_IN = tuple(Role)  # every role
NOT_FOUND = "That notification was not found."
MAX_ID = 2**31 - 1  # the id column's range on PostgreSQL


@dataclass(frozen=True)
class NotificationRow:
    id: int
    subject: str
    body: str
    link: str  # a path in the app ("" when there is nothing to open)
    when_label: str  # "Sat, 28 Nov 2026 · 10:30 AM", clinic time
    is_read: bool


def _when(instant: datetime) -> str:
    return f"{format_local_date(instant)} · {format_local_time(instant)}"


def _mine(user_id: int) -> tuple[Any, ...]:
    """The user's in-app messages that have been delivered (a reminder only once due)."""
    return (
        col(Notification.user_id) == user_id,
        col(Notification.channel) == IN_APP,
        col(Notification.status) == "sent",
    )


def unread_count(session: Session, *, user_id: int) -> int:
    """How many of the user's in-app messages are unread (one indexed count)."""
    return int(
        session.exec(
            select(func.count()).where(*_mine(user_id), col(Notification.read_at).is_(None))
        ).one()
    )


def list_notifications(
    session: Session, *, user_id: int, page: Any = 1, page_size: int = PAGE_SIZE
) -> Page[NotificationRow]:
    """One page of the user's in-app messages, newest first (by when they reached the
    user: a reminder is written at booking but arrives later)."""
    query = (
        select(Notification)
        .where(*_mine(user_id))
        .order_by(col(Notification.sent_at).desc(), col(Notification.id).desc())
    )
    count = select(func.count()).where(*_mine(user_id))
    rows, paging = fetch_page(session, query, count=count, page=page, page_size=page_size)
    items = tuple(
        NotificationRow(
            id=row.id or 0,
            subject=row.subject,
            body=row.body,
            link=row.link,
            when_label=_when(row.sent_at or row.created_at),
            is_read=row.read_at is not None,
        )
        for row in rows
    )
    return Page(items, paging)


def mark_read(session: Session, *, user_id: int, notification_id: int, now: datetime) -> None:
    """Mark one of the user's messages read; ``NotFound`` for anyone else's or none."""
    acting_user(session, user_id, *SIGNED_IN)
    if type(notification_id) is not int or not 0 < notification_id <= MAX_ID:
        raise NotFound(NOT_FOUND)
    result = session.exec(
        update(Notification)
        .where(*_mine(user_id), col(Notification.id) == notification_id)
        .values(read_at=func.coalesce(col(Notification.read_at), now))
    )
    if not result.rowcount:
        raise NotFound(NOT_FOUND)


def mark_all_read(session: Session, *, user_id: int, now: datetime) -> int:
    """Mark every unread message of the user read; returns how many."""
    acting_user(session, user_id, *SIGNED_IN)
    result = session.exec(
        update(Notification)
        .where(*_mine(user_id), col(Notification.read_at).is_(None))
        .values(read_at=now)
    )
    return int(result.rowcount or 0)


__all__ = [
    "IN_APP",
    "NotificationRow",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "unread_count",
]
