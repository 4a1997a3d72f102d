"""Changing one's own password.

A new password ends every session of the account, this browser's included (someone who
knew the old password may be signed in elsewhere); the UI then opens a fresh session for
the browser that made the change.

These functions flush; the caller's unit of work (``session_scope``) commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from healthcareplus.core import validation as v
from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.accounts.auth import password_holder
from healthcareplus.domain.accounts.passwords import hash_password
from healthcareplus.domain.accounts.sessions import revoke_all_sessions

WRONG_CURRENT = "Your current password is not correct"
SAME_AS_CURRENT = "Choose a password different from your current one"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def change_password(
    session: Session,
    *,
    user_id: int,
    current_password: str,
    new_password: str,
    confirm_password: str,
    client_key: str,
    now: datetime,
) -> int:
    """Replace the signed-in user's password after checking the current one; the new one
    follows the registration rules. Returns how many sessions were signed out (all of
    them). ``ValidationFailed`` names every field that was refused; ``TooManyAttempts``
    when this account and client are backing off after wrong passwords."""
    user = acting_user(session, user_id, *Role)
    current, new, confirm = _text(current_password), _text(new_password), _text(confirm_password)

    def check_new() -> str:
        v.check_password_strength(new)
        if new == current:
            raise v.FieldError(SAME_AS_CURRENT)
        return new

    def check_confirm() -> str:
        if new != confirm:
            raise v.FieldError("Passwords do not match")
        return confirm

    failed: dict[str, str] = {}
    if not current:
        failed["current_password"] = "Enter your current password"
    elif (
        password_holder(session, email=user.email, password=current, client_key=client_key, now=now)
        is None
    ):  # throttled and counted like a sign-in: a stolen session cannot guess freely
        failed["current_password"] = WRONG_CURRENT
    try:
        v.collect({"new_password": check_new, "confirm_password": check_confirm})
    except ValidationFailed as exc:
        failed.update(exc.fields)
    if failed:
        raise ValidationFailed(failed)
    by = Actor(user.id, user.role, utc(now))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.updated_at = by.now
    session.add(user)
    ended = revoke_all_sessions(session, user_id=user_id, now=by.now, reason="password_changed")
    audit(
        session,
        by,
        "password_changed",
        entity="user",
        entity_id=user.id,
        detail={"sessions_ended": ended},
    )
    session.flush()
    return ended


__all__ = ["SAME_AS_CURRENT", "WRONG_CURRENT", "change_password"]
