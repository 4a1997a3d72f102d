"""Each user's choice of how they are told (the profile's "Notifications" card).

News of a change to a visit (confirmed, moved, cancelled, completed, refunded) always
lands in the in-app centre, the user's record of it; it also goes by email, SMS or
WhatsApp as chosen. Reminders may be turned off on every channel, the app included.
Texts go to the profile's mobile number; with none on file, none is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import NotificationPreference, Role, User
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.notifications.centre import IN_APP

EMAIL, SMS, WHATSAPP = "email", "sms", "whatsapp"
TEXT_CHANNELS = (SMS, WHATSAPP)
Kind = Literal["updates", "reminders"]
NOT_A_CHOICE = "Choose on or off."
NO_PHONE = "Add a mobile number to your profile to get texts."


@dataclass(frozen=True)
class Preferences:
    """The user's choices (the defaults for a user who never chose)."""

    updates_email: bool = True
    updates_sms: bool = False
    updates_whatsapp: bool = False
    reminders_in_app: bool = True
    reminders_email: bool = True
    reminders_sms: bool = False
    reminders_whatsapp: bool = False


CHOICES = tuple(f.name for f in fields(Preferences))


def preferences_of(session: Session, user_id: int) -> Preferences:
    """The stored choices of ``user_id``, or the defaults."""
    row = session.get(NotificationPreference, user_id)
    if row is None:
        return Preferences()
    return Preferences(**{name: bool(getattr(row, name)) for name in CHOICES})


def channels_for(session: Session, user: User, kind: Kind) -> list[tuple[str, str]]:
    """(channel, address) pairs a message of ``kind`` goes to besides the in-app centre
    (reminders: the centre too, when chosen), in a stable order."""
    chosen = preferences_of(session, user.id or 0)
    wanted = asdict(chosen)
    out: list[tuple[str, str]] = []
    if kind == "reminders" and chosen.reminders_in_app:
        out.append((IN_APP, ""))
    if wanted[f"{kind}_email"] and user.email:
        out.append((EMAIL, user.email))
    for channel in TEXT_CHANNELS:
        if wanted[f"{kind}_{channel}"] and user.phone:
            out.append((channel, user.phone))
    return out


def update_preferences(
    session: Session, *, user_id: int, now: datetime, choices: dict[str, Any]
) -> Preferences:
    """Save the signed-in user's choices: every key of ``choices`` must be a known choice
    with a true/false value; keys left out keep their value. Texts need a mobile number."""
    user = acting_user(session, user_id, *Role)
    errors = {
        key: NOT_A_CHOICE
        for key, value in choices.items()
        if key not in CHOICES or not isinstance(value, bool)
    }
    if errors:
        raise ValidationFailed(errors)
    merged = {**asdict(preferences_of(session, user_id)), **choices}
    if not user.phone:
        errors = {
            f"{kind}_{channel}": NO_PHONE
            for kind in ("updates", "reminders")
            for channel in TEXT_CHANNELS
            if merged[f"{kind}_{channel}"] and choices.get(f"{kind}_{channel}")
        }
        if errors:
            raise ValidationFailed(errors)
    row = session.get(NotificationPreference, user_id) or NotificationPreference(user_id=user_id)
    for name in CHOICES:
        setattr(row, name, merged[name])
    row.updated_at = utc(now)
    session.add(row)
    session.flush()
    return Preferences(**{name: merged[name] for name in CHOICES})


__all__ = [
    "CHOICES",
    "EMAIL",
    "NO_PHONE",
    "Preferences",
    "SMS",
    "TEXT_CHANNELS",
    "WHATSAPP",
    "channels_for",
    "preferences_of",
    "update_preferences",
]
