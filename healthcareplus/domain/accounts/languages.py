"""Each user's language: what the app, emails and in-app messages use for them.

``None`` on the user means "never chosen": signing in then keeps the device's language
and remembers it for the user.
"""

from __future__ import annotations

from sqlmodel import Session

from healthcareplus.core import i18n
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import Role, User
from healthcareplus.domain.accounts.actors import acting_user

UNSUPPORTED = N_("Choose English or Hindi.")


def set_language(session: Session, *, actor_id: int, language: str) -> str:
    """Remember ``language`` ("en" or "hi") for the acting user; returns it."""
    user = acting_user(session, actor_id, *Role)
    chosen = i18n.supported(language)
    if chosen is None:
        raise ValidationFailed({"language": UNSUPPORTED})
    if user.language != chosen:
        user.language = chosen
        session.add(user)
        session.flush()
    return chosen


def language_of(user: User | None) -> str:
    """The language to write to ``user`` in (English when they never chose one)."""
    return i18n.language_or_default(user.language if user is not None else None)


__all__ = ["UNSUPPORTED", "language_of", "set_language"]
