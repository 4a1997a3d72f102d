"""Messages about a user's account or money rather than a visit's change (blocked,
unblocked, an invitation to set a password, a refund processed), written in the caller's
transaction like the appointment news.

Account messages go by email whatever the user's preferences (they concern access to the
account), and to the in-app centre too unless the message carries a secret link (an
invitation or a password reset must reach only the mailbox). A caller may name other
channels (a refund goes where the user gets news: ``preferences.channels_for``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core import i18n
from healthcareplus.core.models import Notification, Role, User
from healthcareplus.domain.accounts.languages import language_of
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.email import AccountNote, render_account_email
from healthcareplus.domain.notifications.preferences import EMAIL
from healthcareplus.domain.notifications.texts import text_body

SUBJECT_MAX, BODY_MAX = 200, 2000


def reader_language(user: User) -> str:
    """A patient reads their messages in their language; staff read English."""
    return language_of(user) if user.role == Role.PATIENT else i18n.ENGLISH


def _occurrence(session: Session, event: str, user_id: int) -> int:
    """How many times ``event`` has been written to the user before (every note writes
    its email unless the caller chose the channels, and then names it by ``ref``)."""
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
    session: Session,
    user: User,
    note: AccountNote,
    *,
    now: datetime,
    channels: Sequence[tuple[str, str]] | None = None,
    ref: str = "",
    appointment_id: str | None = None,
) -> list[Notification]:
    """Queue ``note`` to ``user`` on ``channels`` ((channel, address) pairs; by default
    their email) and put it in their centre unless it carries a secret; flushed, not
    committed. ``ref`` names what the note is about (e.g. a payment's id), making its
    key; without one, the key counts the user's earlier notes of this event."""
    if user.id is None:
        raise ValueError("the user must be saved first")
    name = f"{note.event}:{user.id}:" + (ref or str(_occurrence(session, note.event, user.id) + 1))
    language = reader_language(user)
    note = note.localized(language)
    rendered = render_account_email(user.name, note, language)
    link = note.action_path[:200] if note.in_app else ""

    def row(channel: str, address: str, body: str, html: str, status: str) -> Notification:
        sent = status == "sent"
        return Notification(
            key=f"{name}:{channel}",
            event=note.event,
            user_id=user.id or 0,
            appointment_id=appointment_id,
            channel=channel,
            to_address=address,
            subject=note.subject[:SUBJECT_MAX],
            body=body[:BODY_MAX],
            body_html=html,
            link=link,
            status=status,
            created_at=now,
            due_at=now,
            sent_at=now if sent else None,
        )

    outside = ([(EMAIL, user.email)] if user.email else []) if channels is None else channels
    written = [
        row(channel, address, rendered.text, rendered.html, "queued")
        if channel == EMAIL
        else row(channel, address, text_body(note.subject, link), "", "queued")
        for channel, address in outside
        if channel != IN_APP
    ]
    if note.in_app:
        written.append(row(IN_APP, "", " ".join(note.paragraphs), "", "sent"))
    session.add_all(written)
    session.flush()
    return written


__all__ = ["AccountNote", "account_message"]
