"""Messages written with one Core INSERT, not through the unit of work: the rows a hot
path writes and never reads back (a change's in-app notices, a hold's nudge)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from healthcareplus.core.db import table_of
from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.centre import IN_APP

_INSERT = table_of(Notification).insert()


def message_row(
    *,
    key: str,
    event: str,
    user_id: int,
    appointment_id: str | None,
    subject: str,
    body: str,
    link: str,
    status: str,
    created_at: datetime,
    due_at: datetime,
    sent_at: datetime | None = None,
    about_start_at: datetime | None = None,
) -> dict[str, Any]:
    """An in-app message's row, every column given (a Core INSERT applies no defaults)."""
    return {
        "key": key,
        "event": event,
        "user_id": user_id,
        "appointment_id": appointment_id,
        "channel": IN_APP,
        "to_address": "",
        "subject": subject,
        "body": body,
        "body_html": "",
        "attachment": "",
        "link": link,
        "status": status,
        "attempts": 0,
        "last_error": "",
        "created_at": created_at,
        "due_at": due_at,
        "sent_at": sent_at,
        "about_start_at": about_start_at,
    }


def insert_messages(session: Session, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows in the caller's transaction (one statement)."""
    if rows:
        session.execute(_INSERT, rows)


__all__ = ["insert_messages", "message_row"]
