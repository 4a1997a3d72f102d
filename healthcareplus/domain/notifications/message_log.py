"""Every message the app has written, for admins: what was queued, sent, recorded (by the
development text provider), kept (no sender configured), skipped or failed, and sending a
failed one again; and the changes whose letters the job worker has yet to write, or
failed to (``pending_news``), with trying those again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import audit
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.models import Notification, PendingNews, Role, User
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.notifications.pending_news import MAX_ATTEMPTS

STATUSES = ("queued", "sent", "recorded", "kept", "skipped", "failed")
CHANNELS = ("in_app", "email", "sms", "whatsapp", "webhook")
RETRYABLE = ("failed", "kept")
NOT_FOUND = "That message was not found."
STUCK_SHOWN = 20
LETTERS_NOT_FOUND = "Those letters were not found among the failed ones."


@dataclass(frozen=True)
class MessageRow:
    id: int
    when_label: str  # written, clinic time
    event: str
    channel: str
    recipient: str  # "Asha Rao <asha@example.com>"
    subject: str
    status: str
    attempts: int
    last_error: str
    can_retry: bool


def _filters(status: str, channel: str) -> list[Any]:
    where: list[Any] = []
    if status in STATUSES:
        where.append(col(Notification.status) == status)
    if channel in CHANNELS:
        where.append(col(Notification.channel) == channel)
    return where


def list_messages(
    session: Session,
    *,
    status: str = "",
    channel: str = "",
    page: Any = 1,
    page_size: int = PAGE_SIZE,
) -> Page[MessageRow]:
    """One page of messages, newest first; unknown filter values mean "any"."""
    where = _filters(status, channel)
    query = (
        select(Notification, User.name, User.email)
        .join(User, col(User.id) == Notification.user_id)
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    )
    count = select(func.count()).select_from(Notification).where(*where)
    rows, paging = fetch_page(session, query, count=count, page=page, page_size=page_size)
    items = tuple(
        MessageRow(
            id=message.id or 0,
            when_label=(
                f"{format_local_date(message.created_at)} · {format_local_time(message.created_at)}"
            ),
            event=message.event,
            channel=message.channel,
            recipient=f"{name} <{message.to_address or email}>",
            subject=message.subject,
            status=message.status,
            attempts=message.attempts,
            last_error=message.last_error,
            can_retry=message.status in RETRYABLE,
        )
        for message, name, email in rows
    )
    return Page(items, paging)


def status_counts(session: Session) -> dict[str, int]:
    """How many messages are in each status (every status listed, zeros included)."""
    found = dict(
        session.exec(
            select(Notification.status, func.count()).group_by(col(Notification.status))
        ).all()
    )
    return {status: int(found.get(status, 0)) for status in STATUSES}


def retry_message(
    session: Session,
    *,
    message_id: int,
    actor_id: int,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> None:
    """Queue a failed (or kept) message again, due now, with a fresh count of attempts;
    audited. ``NotFound`` for no such message, ``Conflict`` for one that is not failed."""
    by = acting_admin(session, actor_id, actor_role, now)
    if type(message_id) is not int:
        raise NotFound(NOT_FOUND)
    message = session.get(Notification, message_id)
    if message is None:
        raise NotFound(NOT_FOUND)
    result = session.exec(
        update(Notification)
        .where(col(Notification.id) == message_id, col(Notification.status).in_(RETRYABLE))
        .values(status="queued", due_at=by.now, attempts=0, claimed_until=None, last_error="")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            f"Only a failed or kept message can be sent again (this one is {message.status})."
        )
    audit(
        session,
        by,
        "message_retried",
        appointment_id=message.appointment_id,
        entity="message",
        entity_id=message_id,
        detail={"channel": message.channel, "was": message.status},
    )
    session.flush()


@dataclass(frozen=True)
class StuckLetters:
    """A change whose letters failed every try: nobody was emailed or texted about it."""

    id: int
    when_label: str  # the change, clinic time
    event: str
    appointment_id: str
    error: str


@dataclass(frozen=True)
class LettersToWrite:
    waiting: int  # changes the worker has yet to write letters for (normally seconds old)
    stuck: tuple[StuckLetters, ...]  # the oldest STUCK_SHOWN that failed every try


def letters_to_write(session: Session) -> LettersToWrite:
    failed = col(PendingNews.attempts) >= MAX_ATTEMPTS
    waiting = session.exec(select(func.count()).select_from(PendingNews).where(~failed)).one()
    rows = session.exec(
        select(PendingNews).where(failed).order_by(col(PendingNews.id)).limit(STUCK_SHOWN)
    ).all()
    stuck = tuple(
        StuckLetters(
            id=row.id or 0,
            when_label=f"{format_local_date(row.created_at)} · {format_local_time(row.created_at)}",
            event=row.event,
            appointment_id=row.appointment_id,
            error=row.last_error,
        )
        for row in rows
    )
    return LettersToWrite(int(waiting), stuck)


def retry_letters(
    session: Session, *, pending_id: int, actor_id: int, actor_role: str = Role.ADMIN, now: datetime
) -> None:
    """Let the worker try a stuck change's letters again (its tries counted afresh);
    audited. ``NotFound`` unless it is a change whose letters failed every try."""
    by = acting_admin(session, actor_id, actor_role, now)
    if type(pending_id) is not int:
        raise NotFound(LETTERS_NOT_FOUND)
    row = session.get(PendingNews, pending_id)
    result = session.exec(
        update(PendingNews)
        .where(col(PendingNews.id) == pending_id, col(PendingNews.attempts) >= MAX_ATTEMPTS)
        .values(attempts=0, last_error="")
        .execution_options(synchronize_session=False)
    )
    if row is None or result.rowcount != 1:
        raise NotFound(LETTERS_NOT_FOUND)
    audit(
        session,
        by,
        "letters_retried",
        appointment_id=row.appointment_id,
        entity="pending_news",
        entity_id=pending_id,
        detail={"event": row.event, "error": row.last_error[:200]},
    )
    session.flush()


__all__ = [
    "CHANNELS",
    "STATUSES",
    "LettersToWrite",
    "MessageRow",
    "StuckLetters",
    "letters_to_write",
    "list_messages",
    "retry_letters",
    "retry_message",
    "status_counts",
]
