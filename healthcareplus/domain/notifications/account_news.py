"""Messages about a user's account rather than a visit (blocked, unblocked, an invitation
to set a password...), written in the caller's transaction like the appointment news.

They go by email whatever the user's preferences (they concern access to the account),
and to the in-app centre too unless the message carries a secret link (an invitation or
a password reset must reach only the mailbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.models import Notification, User
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.email import render_account_email

EMAIL = "email"
SUBJECT_MAX, BODY_MAX = 200, 2000


@dataclass(frozen=True)
class AccountNote:
    """What an account message says. ``action_path`` is a path in the app (with its query),
    made absolute in the email."""

    event: str  # e.g. "account_blocked"
    subject: str
    paragraphs: tuple[str, ...]
    action_label: str = ""
    action_path: str = ""
    in_app: bool = True  # False when the link is a secret (it must reach only the mailbox)


def _occurrence(session: Session, event: str, user_id: int) -> int:
    """How many times ``event`` has been written to the user before."""
    return int(
        session.exec(
            select(func.count()).where(
                col(Notification.user_id) == user_id,
                col(Notification.event) == event,
                col(Notification.channel) == EMAIL,
            )
        ).one()
    )


def account_message(
    session: Session, user: User, note: AccountNote, *, now: datetime
) -> list[Notification]:
    """Queue ``note`` by email to ``user`` (and put it in their centre unless it carries a
    secret); flushed, not committed."""
    if user.id is None:
        raise ValueError("the user must be saved first")
    occurrence = _occurrence(session, note.event, user.id) + 1
    rendered = render_account_email(user.name, note)
    written = [
        Notification(
            key=f"{note.event}:{user.id}:{occurrence}:{EMAIL}",
            event=note.event,
            user_id=user.id,
            channel=EMAIL,
            to_address=user.email,
            subject=note.subject[:SUBJECT_MAX],
            body=rendered.text[:BODY_MAX],
            body_html=rendered.html,
            link="" if not note.in_app else note.action_path[:200],
            status="queued",
            created_at=now,
            due_at=now,
        )
    ]
    if note.in_app:
        written.append(
            Notification(
                key=f"{note.event}:{user.id}:{occurrence}:{IN_APP}",
                event=note.event,
                user_id=user.id,
                channel=IN_APP,
                subject=note.subject[:SUBJECT_MAX],
                body=" ".join(note.paragraphs)[:BODY_MAX],
                link=note.action_path[:200],
                status="sent",
                created_at=now,
                due_at=now,
                sent_at=now,
            )
        )
    session.add_all(written)
    session.flush()
    return written


__all__ = ["AccountNote", "account_message"]
