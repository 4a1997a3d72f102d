"""A forgotten password: whoever knows an account's email address may have a reset link
sent to that mailbox (``accounts.password_links``, purpose ``reset``: single use, one
hour, the newest link only). The mailbox is the proof of ownership; the link sets the
password on the same page an invitation uses, signs the account out everywhere and ends
its other links.

The answer never tells whether an address has an account (the page says the same thing
either way), and the email goes out through the outbox, so the request does the same
small amount of work whoever asks. An account gets at most ``MAX_LINKS_PER_HOUR`` links
an hour (a flood of requests cannot fill its mailbox); deactivated and blocked accounts
get none (they could not use one). These functions flush; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import PasswordLink, User
from healthcareplus.core.validation import FieldError, clean_email
from healthcareplus.domain.accounts.password_links import IssuedLink, issue_password_link
from healthcareplus.domain.notifications.account_news import account_message
from healthcareplus.domain.notifications.email import AccountNote

RESET_EVENT = "password_reset"
RESET_SUBJECT = N_("Reset your HealthCarePlus password")
MAX_LINKS_PER_HOUR = 3
SENT = N_(
    "If an account uses that address, we have emailed it a link to choose a new password. "
    "The link works once, for an hour."
)


def reset_note(link: IssuedLink) -> AccountNote:
    """What the account holder reads (``link.path`` carries the secret token)."""
    return AccountNote(
        event=RESET_EVENT,
        subject=RESET_SUBJECT,
        paragraphs=(
            N_("Someone (we hope you) asked to reset the password of your HealthCarePlus account."),
            N_(
                "Choose a new password with the link below. It works once, for {hours} "
                "hour(s); setting the password signs you out on every device."
            ),
            N_("If you did not ask for this, ignore this email: your password stays as it is."),
        ),
        action_label=N_("Choose a new password"),
        action_path=link.path,
        in_app=False,  # the link is a secret: the mailbox only
        values={"hours": link.hours},
    )


def _links_in_last_hour(session: Session, user_id: int, now: datetime) -> int:
    return int(
        session.exec(
            select(func.count()).where(
                col(PasswordLink.user_id) == user_id,
                col(PasswordLink.purpose) == "reset",
                col(PasswordLink.created_at) > now - timedelta(hours=1),
            )
        ).one()
    )


def request_password_reset(
    session: Session, *, email: object, now: datetime, client_key: str = ""
) -> str:
    """Email a reset link to the account using ``email``, if there is one that may sign
    in; returns what to tell the asker (the same whatever happened). ``ValidationFailed``
    only for text that is not an email address at all."""
    try:
        address = clean_email(email if isinstance(email, str) else "").lower()
    except FieldError as exc:
        raise ValidationFailed({"email": str(exc)}) from None
    now = utc(now)
    user = session.exec(select(User).where(col(User.email) == address)).first()
    if user is None or user.id is None or not user.is_active or user.is_blocked:
        return SENT
    by = Actor(None, None, now)
    detail = {"client": client_key[:64]}
    if _links_in_last_hour(session, user.id, now) >= MAX_LINKS_PER_HOUR:
        audit(
            session, by, "password_reset_limited", entity="user", entity_id=user.id, detail=detail
        )
        session.flush()
        return SENT
    link = issue_password_link(session, user_id=user.id, purpose="reset", now=now)
    account_message(session, user, reset_note(link), now=now)
    audit(session, by, "password_reset_sent", entity="user", entity_id=user.id, detail=detail)
    session.flush()
    return SENT


__all__ = ["MAX_LINKS_PER_HOUR", "RESET_EVENT", "SENT", "request_password_reset", "reset_note"]
