"""The outbox table: every message the app writes to its users (re-exported by
``models``, where the other tables live)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow


class Notification(SQLModel, table=True):
    """A message to one user on one channel, written in the same transaction as the change
    it tells of (the transactional outbox). ``key`` names the event, the recipient and the
    channel, so the same news is never written, or sent, twice. In-app messages are
    ``sent`` when written; the user reads them in the notification centre (``read_at``)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_channel_read", "user_id", "channel", "read_at"),
        Index("ix_notifications_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    event: str = Field(max_length=40)
    user_id: int = Field(foreign_key="users.id")
    appointment_id: str | None = Field(default=None, foreign_key="appointments.id", index=True)
    channel: str = Field(default="in_app", max_length=16)
    to_address: str = Field(default="", max_length=254)  # email address or phone number
    subject: str = Field(max_length=200)
    body: str = Field(max_length=2000)  # plain text
    body_html: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    attachment: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    link: str = Field(default="", max_length=200)  # a path in the app
    # queued, sent, failed, skipped (no longer true at send time), kept (no sender set up),
    # recorded (taken by a development provider that records instead of delivering)
    status: str = Field(default="queued", max_length=16)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    due_at: datetime = Field(sa_column=_instant(nullable=False))
    # A reminder's appointment start: at send time it is skipped unless the appointment is
    # still confirmed at exactly that start (cancelled, moved, completed: never sent).
    about_start_at: datetime | None = Field(default=None, sa_column=_instant())
    claimed_until: datetime | None = Field(default=None, sa_column=_instant())
    sent_at: datetime | None = Field(default=None, sa_column=_instant())
    read_at: datetime | None = Field(default=None, sa_column=_instant())


class PendingNews(SQLModel, table=True):
    """An appointment's change whose email, texts, webhooks and reminders the job worker
    has yet to write (``notifications.news_letters``). The change writes this row and the
    in-app notices in its own transaction; rendering the rest (templates, calendar
    invitations) is left out of it, so a booking's write lock is held only for the change.
    ``appointment`` is the row as the change left it (JSON), so the letters tell of that
    moment even if the visit changes again before the worker gets to them."""

    __tablename__ = "pending_news"

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40)
    appointment_id: str = Field(foreign_key="appointments.id", index=True)
    occurrence: int  # the how-manieth time ``event`` happened to the appointment
    moves: int  # reschedules before this change (the calendar invitation's sequence)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    refund_paise: int = Field(default=0)
    appointment: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_instant(nullable=False))
    # Tries that failed (each rolled back alone); after the last, the row stays as a record.
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)


class NotificationPreference(SQLModel, table=True):
    """How one user wants to be told; a user without a row has the defaults below. News
    of a change (confirmed, moved, cancelled, refunded...) always reaches the in-app
    centre, which is the record; the other channels and every reminder are the user's
    choice. Texts (SMS, WhatsApp) go to the profile's phone number."""

    __tablename__ = "notification_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    updates_email: bool = Field(default=True)
    updates_sms: bool = Field(default=False)
    updates_whatsapp: bool = Field(default=False)
    reminders_in_app: bool = Field(default=True)
    reminders_email: bool = Field(default=True)
    reminders_sms: bool = Field(default=False)
    reminders_whatsapp: bool = Field(default=False)
    updated_at: datetime | None = Field(default=None, sa_column=_instant())


__all__ = ["Notification", "NotificationPreference", "PendingNews"]
