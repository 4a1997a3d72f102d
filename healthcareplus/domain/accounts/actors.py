"""Who is making a change: the one authorization check every changing domain function runs.

The rule (see the README's Architecture section): a domain function that changes data takes
the acting user's id (which the UI and API take from the server-side session, never from
the browser) and starts with ``acting_user``: the user must exist, be active, not be
blocked and hold one of the allowed roles. Ownership (a patient's own appointment, a
doctor's own patients) is then checked by the function's own query, and the lifecycle
decides whether that role may make the status change at that time.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from healthcareplus.core.audit import Actor
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Role, User

NOT_ALLOWED = "You are not allowed to do this."
BLOCKED = "Your account is blocked. Please contact the clinic."


def acting_user(
    session: Session, actor_id: object, *roles: str, refusal: str = NOT_ALLOWED
) -> User:
    """The active, unblocked user ``actor_id`` with one of ``roles``; ``Forbidden`` if not."""
    user = row_by_id(session, User, actor_id)
    if user is None or not user.is_active or user.role not in roles:
        raise Forbidden(refusal)
    if user.is_blocked:
        raise Forbidden(BLOCKED if refusal == NOT_ALLOWED else refusal)
    return user


def acting_admin(session: Session, actor_id: object, actor_role: str, now: datetime) -> Actor:
    """An admin's change: ``acting_user`` checks the admin, and the ``Actor`` names them
    (as ``actor_role``) and the change's instant in its audit entries."""
    user = acting_user(session, actor_id, Role.ADMIN)
    return Actor(user.id, actor_role, utc(now))


__all__ = ["BLOCKED", "NOT_ALLOWED", "acting_admin", "acting_user"]
