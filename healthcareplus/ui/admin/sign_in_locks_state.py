"""Sign-in locks (admin-only): the accounts that too many failed sign-ins make wait, and
clearing one so its owner can sign in at once.

A lock can only be cleared from the list the admin is looking at: the email a (possibly
crafted) event names must be one of the listed rows.
"""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from reflex.event import EventSpec

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import format_local_date, format_local_time
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import throttle
from healthcareplus.ui.shared.guard import actor, requires
from healthcareplus.ui.shared.outcome import Failed, in_session
from healthcareplus.ui.shared.rows import find_row
from healthcareplus.ui.shared.typed import Field, event, field

NOT_LISTED = "That account is not in the list of locks. Refresh the list and try again."


def clinic_time(instant: datetime) -> str:
    """ "Mon, 23 Nov 2026 · 09:30 AM" in the clinic's zone."""
    return f"{format_local_date(instant)} · {format_local_time(instant)}"


def lock_row(lock: throttle.SignInLock) -> dict[str, str]:
    return {
        "email": lock.email,
        "failures": str(lock.failures),
        "clients": str(lock.clients),
        "last_failure": clinic_time(lock.last_failure_at),
        "locked_until": clinic_time(lock.locked_until),
    }


class AdminSignInLocksState(rx.State):
    rows: Field[list[dict[str, str]]] = field(default_factory=list)
    loaded: Field[bool] = field(False)

    def _fetch(self) -> EventSpec | None:
        locks = in_session(throttle.sign_in_locks, now=utcnow())
        if isinstance(locks, Failed):
            return locks.toast()
        self.rows = [lock_row(lock) for lock in locks]
        self.loaded = True
        return None

    @event
    @requires(Role.ADMIN)
    def load(self) -> EventSpec | None:
        return self._fetch()

    @event
    @requires(Role.ADMIN)
    def clear_lock(self, email: str) -> list[EventSpec]:
        row = find_row(self.rows, "email", email) if isinstance(email, str) else None
        if row is None:
            return [rx.toast.error(NOT_LISTED)]
        address = row["email"]
        cleared = in_session(throttle.clear_sign_in_lock, email=address, **actor(), now=utcnow())
        refreshed = self._fetch()
        if isinstance(cleared, Failed):
            return [cleared.toast()]
        if refreshed is not None:
            return [refreshed]
        if cleared == 0:
            return [rx.toast.info(f"{address} had no failed sign-ins left to clear.")]
        return [rx.toast.success(f"Sign-in lock cleared: {address} can sign in again.")]
