"""Delivery: the worker's pass over the outbox, sending each due message through its
channel's sender.

At least once, never twice at the same time: a message is claimed (a compare-and-set
UPDATE, committed) before it is sent, so two workers never both hold it; a worker killed
mid-send leaves a claim that lapses after ``lease_seconds`` and the message is sent again
(its ``Message-ID`` is derived from the row's key, so a receiver can drop the duplicate).
A failure is retried with exponential back-off until ``delivery_max_attempts``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import String, case, cast, or_, update
from sqlmodel import Session, col, select

from healthcareplus.core.config import PROJECT_ROOT, get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Notification,
    WebhookEndpoint,
)
from healthcareplus.domain.notifications.centre import IN_APP
from healthcareplus.domain.notifications.news_letters import write_pending_news
from healthcareplus.domain.notifications.preferences import TEXT_CHANNELS
from healthcareplus.domain.notifications.reminders import HOLD_NUDGE
from healthcareplus.domain.notifications.smtp import SmtpSender
from healthcareplus.domain.notifications.texts import RecordingTextSender
from healthcareplus.domain.notifications.webhook_delivery import SkipMessage, WebhookSender
from healthcareplus.domain.notifications.webhook_outbox import WEBHOOK

QUEUED, SENT, FAILED, KEPT, SKIPPED = "queued", "sent", "failed", "kept", "skipped"
# A secret in a message's link (a set-your-password token), blanked once it is sent.
SECRET_PARAMETER = re.compile(r"([?&]token=)[A-Za-z0-9_\-]+")
SECRET_SENT = "(sent-by-email)"
ERROR_MAX = 500


class Sender(Protocol):
    """Sends one message on its channel; raises when it could not. A sender whose
    ``outcome`` attribute says otherwise (a development provider: "recorded") leaves its
    messages in that status instead of ``sent``."""

    channel: str

    def send(self, message: Notification) -> None: ...


class InAppSender:
    """The in-app channel: a message is delivered by being marked sent (the notification
    centre shows sent messages), so a reminder appears in the bell when it falls due."""

    channel = IN_APP

    def send(self, message: Notification) -> None:
        return None


def senders_from_settings() -> dict[str, Sender]:
    """The senders the settings configure: always in the app; email when ``smtp_url`` is
    set (else email rows are kept in the app, never claimed as sent); texts through the
    recording development provider when ``text_provider`` is "record"; webhooks always."""
    settings = get_settings()
    senders: dict[str, Sender] = {IN_APP: InAppSender(), WEBHOOK: WebhookSender()}
    if settings.text_provider == "record":
        log = PROJECT_ROOT / settings.instance_dir / "text-messages.jsonl"
        for channel in TEXT_CHANNELS:
            senders[channel] = RecordingTextSender(channel, log)
    if settings.smtp_url:
        senders["email"] = SmtpSender(
            settings.smtp_url, settings.mail_from, ca_file=settings.smtp_ca_file
        )
    return senders


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    kept: int = 0
    skipped: int = 0
    news: int = 0  # changes whose letters were written (``news_letters``)


def _unclaimed(now: datetime) -> tuple[Any, ...]:
    """Queued, due and not held by a live claim."""
    claimed = col(Notification.claimed_until)
    return (
        col(Notification.status) == QUEUED,
        col(Notification.due_at) <= now,
        or_(claimed.is_(None), claimed <= now),
    )


def _set_aside(
    session: Session, now: datetime, channels: list[str], max_attempts: int
) -> tuple[int, int]:
    """Skip the due reminders whose appointment is no longer confirmed at the start they
    are about (a hold's nudge: no longer waiting for payment) and the webhooks whose
    endpoint is turned off or removed; keep the due messages no sender can send; fail
    those whose last attempt's claim lapsed (a worker died sending it). Returns (kept,
    failed)."""
    wanted = case(
        (col(Notification.event) == HOLD_NUDGE, AppointmentStatus.PENDING_PAYMENT.value),
        else_=AppointmentStatus.CONFIRMED.value,
    )
    still_on = (
        select(Appointment.id)
        .where(
            col(Appointment.id) == col(Notification.appointment_id),
            col(Appointment.status) == wanted,
            col(Appointment.start_at) == col(Notification.about_start_at),
        )
        .exists()
    )
    session.exec(
        update(Notification)
        .where(*_unclaimed(now), col(Notification.about_start_at).is_not(None), ~still_on)
        .values(status=SKIPPED, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    endpoint_on = (
        select(WebhookEndpoint.id)
        .where(
            cast(WebhookEndpoint.id, String) == col(Notification.to_address),
            col(WebhookEndpoint.is_active).is_(True),
        )
        .exists()
    )
    session.exec(
        update(Notification)
        .where(*_unclaimed(now), col(Notification.channel) == WEBHOOK, ~endpoint_on)
        .values(status=SKIPPED, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    kept = session.exec(
        update(Notification)
        .where(*_unclaimed(now), col(Notification.channel).not_in(channels))
        .values(status=KEPT, claimed_until=None)
    )
    failed = session.exec(
        update(Notification)
        .where(*_unclaimed(now), col(Notification.attempts) >= max_attempts)
        .values(status=FAILED, claimed_until=None, last_error="the last attempt never finished")
    )
    return int(kept.rowcount or 0), int(failed.rowcount or 0)


def _candidates(session: Session, now: datetime, channels: list[str], batch: int) -> list[int]:
    """Ids of messages that look claimable (the claim itself decides)."""
    ids = session.exec(
        select(Notification.id)
        .where(*_unclaimed(now), col(Notification.channel).in_(channels))
        .order_by(col(Notification.due_at), col(Notification.id))
        .limit(batch)
    ).all()
    return sorted(i for i in ids if i is not None)  # claimed in id order: no lock cycles


def _claim(session: Session, ids: list[int], now: datetime, lease: timedelta) -> list[Notification]:
    """Claim each id that is still unclaimed (compare-and-set); the claimed rows."""
    mine = []
    for row_id in ids:
        result = session.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, *_unclaimed(now))
            .values(attempts=col(Notification.attempts) + 1, claimed_until=now + lease)
        )
        if result.rowcount == 1:
            mine.append(row_id)
    if not mine:
        return []
    query = (
        select(Notification).where(col(Notification.id).in_(mine)).order_by(col(Notification.id))
    )
    return list(session.exec(query.execution_options(populate_existing=True)).all())


def without_secrets(text: str) -> str:
    """``text`` with the value of every ``token=`` link parameter blanked out."""
    return SECRET_PARAMETER.sub(r"\1" + SECRET_SENT, text)


def _mark_sent(message: Notification, now: datetime, url: str | None, status: str = SENT) -> None:
    """Sent (or ``status``, e.g. recorded): whoever sent it first says so (a lapsed
    claim's sender too). A message that carried a secret link (an invitation to set a
    password) keeps only a blanked copy: the link lived in the outbox until it was sent."""
    values: dict[str, Any] = {"status": status, "sent_at": now, "claimed_until": None}
    if SECRET_PARAMETER.search(message.body) or SECRET_PARAMETER.search(message.body_html):
        values |= {
            "body": without_secrets(message.body),
            "body_html": without_secrets(message.body_html),
        }
    with session_scope(url) as session:
        session.exec(
            update(Notification)
            .where(col(Notification.id) == message.id, col(Notification.status) == QUEUED)
            .values(last_error="", **values)
        )


def _mark_skipped(message: Notification, error: str, url: str | None) -> None:
    with session_scope(url) as session:
        session.exec(
            update(Notification)
            .where(col(Notification.id) == message.id, col(Notification.status) == QUEUED)
            .values(status=SKIPPED, claimed_until=None, last_error=error[:ERROR_MAX])
        )


def _mark_failure(message: Notification, error: str, now: datetime, url: str | None) -> bool:
    """Back off (due in 2^attempts minutes) or, after the last attempt, fail; only while
    this claim is still the message's latest. True when the message is now failed."""
    gave_up = message.attempts >= get_settings().delivery_max_attempts
    values: dict[str, Any] = {"claimed_until": None, "last_error": error[:ERROR_MAX]}
    if gave_up:
        values["status"] = FAILED
    else:
        values["due_at"] = now + timedelta(minutes=2**message.attempts)
    with session_scope(url) as session:
        session.exec(
            update(Notification)
            .where(
                col(Notification.id) == message.id,
                col(Notification.status) == QUEUED,
                col(Notification.attempts) == message.attempts,
            )
            .values(**values)
        )
    return gave_up


def deliver_due(
    *,
    now: datetime,
    senders: Mapping[str, Sender],
    batch: int = 50,
    lease_seconds: int | None = None,
    url: str | None = None,
) -> DeliveryReport:
    """Write the letters of up to ``batch`` changes (``news_letters``, committed), then send
    up to ``batch`` due messages: claim (committed), send, record each outcome in its own
    unit of work. Messages of a channel without a sender are kept, not sent.
    ``lease_seconds``: how long a claim holds (``HCP_DELIVERY_LEASE_SECONDS`` by default)."""
    now = utc(now)
    lease = timedelta(seconds=lease_seconds or get_settings().delivery_lease_seconds)
    channels = sorted(senders)
    with session_scope(url) as session:
        news = write_pending_news(session, now=now, limit=batch)
    with session_scope(url) as session:
        kept, failed = _set_aside(session, now, channels, get_settings().delivery_max_attempts)
    with session_scope(url) as session:
        claimed = _claim(session, _candidates(session, now, channels, batch), now, lease)
    sent = retried = skipped = 0
    for message in claimed:
        sender = senders[message.channel]
        try:
            sender.send(message)
        except SkipMessage as exc:  # no longer to be sent (a webhook endpoint turned off)
            _mark_skipped(message, str(exc), url)
            skipped += 1
        except Exception as exc:  # any failure of the channel: retry later
            error = f"{type(exc).__name__}: {exc}"
            if _mark_failure(message, error, now, url):
                failed += 1
            else:
                retried += 1
        else:
            _mark_sent(message, now, url, getattr(sender, "outcome", SENT))
            sent += 1
    return DeliveryReport(
        sent=sent, retried=retried, failed=failed, kept=kept, skipped=skipped, news=news
    )


__all__ = [
    "DeliveryReport",
    "InAppSender",
    "Sender",
    "deliver_due",
    "senders_from_settings",
    "without_secrets",
]
