"""Sign-in throttling."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import TooManyAttempts
from healthcareplus.core.models import LoginAttempt


def client_key_for(address: str) -> str:
    """A stable, non-reversible key for a client address (kept for throttling only)."""
    return hashlib.sha256(f"client:{address or 'unknown'}".encode()).hexdigest()[:32]


def check_throttle(session: Session, *, email: str, client_key: str, now: datetime) -> None:
    settings = get_settings()
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    failures = (
        col(LoginAttempt.succeeded).is_(False),
        col(LoginAttempt.attempted_at) > window_start,
    )
    for condition in (LoginAttempt.email == email, LoginAttempt.client_key == client_key):
        count, oldest = session.exec(
            select(func.count(), func.min(LoginAttempt.attempted_at)).where(condition, *failures)
        ).one()
        if count >= settings.login_max_failures:
            wait = oldest + timedelta(minutes=settings.login_window_minutes) - now
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise TooManyAttempts(
                f"Too many failed sign-in attempts. Try again in {minutes} minute"
                f"{'s' if minutes != 1 else ''}."
            )
