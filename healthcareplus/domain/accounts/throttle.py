"""Sign-in throttling: an exponential back-off per key, never a hard lock.

Each rule counts the failed sign-ins of one key inside the window
(``login_window_minutes``). Once the count reaches the rule's threshold the key waits,
measured from its LAST failure: 30 s, then twice as long for each further failure (60 s,
120 s ...), capped at ``login_max_backoff_minutes``. A refused attempt is not recorded
(``auth.authenticate`` checks before recording), so trying during a wait never lengthens it.

- account + client: ``login_max_failures``;
- client, across accounts (password spraying): ``login_client_max_failures``;
- account, across clients (distributed guessing): ``ACCOUNT_FAILURE_FACTOR`` times
  ``login_max_failures``.

A client that signed in to the account within ``KNOWN_CLIENT_DAYS`` is judged on that
account by the first rule only: nothing other clients do (an attacker hammering the
account, or spraying from the same shared address) keeps the owner's usual device out.
Successes neither count nor reset failures: behind a shared address the owner's success
says nothing about whose the failures were.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from healthcareplus.core.audit import audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import TooManyAttempts, ValidationFailed
from healthcareplus.core.models import LoginAttempt, User
from healthcareplus.domain.accounts.actors import acting_admin

FIRST_BACKOFF = timedelta(seconds=30)
MAX_DOUBLINGS = 24  # 30 s * 2**24 is over a year: past any cap the settings allow
# Distributed guessing: for clients never seen succeeding on an account, an account-wide
# back-off starts at this many times the per-client limit (50 failures in the window by
# default): high enough that nobody cheaply shuts new devices out, low enough to slow a
# botnet's guessing to a few tries per back-off.
ACCOUNT_FAILURE_FACTOR = 10
# A client that signed in to an account this recently is known to it (the only reason
# successes are kept longer than the window).
KNOWN_CLIENT_DAYS = 30
MAX_LOCKS = 100  # the admin list shows at most this many accounts
INVALID_EMAIL = "Choose a locked account from the list."


def _failed_in_window(since: datetime, now: datetime) -> ColumnElement[bool]:
    """Failed attempts in (``since``, ``now``]. Bounded on both sides, so that SQLite's
    planner reads the window from an index rather than scanning for the grouping order."""
    at = col(LoginAttempt.attempted_at)
    return and_(col(LoginAttempt.succeeded).is_(False), at > since, at <= now)


def client_key_for(address: str) -> str:
    """A stable, non-reversible key for a client address (kept for throttling only)."""
    return hashlib.sha256(f"client:{address or 'unknown'}".encode()).hexdigest()[:32]


def backoff(excess: int, cap: timedelta) -> timedelta:
    """The wait after ``threshold + excess`` failures: 30 s, doubling, at most ``cap``."""
    if excess < 0:
        return timedelta(0)
    wait: timedelta = FIRST_BACKOFF * 2 ** min(excess, MAX_DOUBLINGS)
    return min(wait, cap)


def wait_message(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    amount, unit = (seconds, "second") if seconds < 60 else (math.ceil(seconds / 60), "minute")
    plural = "" if amount == 1 else "s"
    return f"Too many failed sign-in attempts. Try again in {amount} {unit}{plural}."


@dataclass(frozen=True)
class _Limits:
    """The settings as the rules use them."""

    pair: int
    client: int
    account: int
    window: timedelta
    cap: timedelta

    @classmethod
    def current(cls) -> _Limits:
        settings = get_settings()
        return cls(
            pair=settings.login_max_failures,
            client=settings.login_client_max_failures,
            account=ACCOUNT_FAILURE_FACTOR * settings.login_max_failures,
            window=timedelta(minutes=settings.login_window_minutes),
            cap=timedelta(minutes=settings.login_max_backoff_minutes),
        )

    def until(self, failures: int, last: datetime | None, threshold: int) -> datetime | None:
        """When a key with ``failures`` in the window, the last at ``last``, may try
        again (None: it never had to wait)."""
        if last is None or failures < threshold:
            return None
        return last + backoff(failures - threshold, self.cap)

    def waiting_sql(self, count: Any, last: Any, threshold: int, now: datetime) -> Any:
        """SQL for "``count`` failures, the last at ``last``, still wait at ``now``": the
        schedule of ``backoff`` as one term per doubling (at most 13 for a 24-hour cap)."""
        terms: list[ColumnElement[bool]] = []
        for excess in range(MAX_DOUBLINGS + 1):
            wait = backoff(excess, self.cap)
            if wait >= self.cap or excess == MAX_DOUBLINGS:  # every later failure: the cap
                terms.append(and_(count >= threshold + excess, last > now - wait))
                break
            terms.append(and_(count == threshold + excess, last > now - wait))
        return or_(*terms)


def _failures(
    session: Session, key: ColumnElement[bool], window: ColumnElement[bool]
) -> tuple[int, Any]:
    """(failures of one key in the window, the last one's instant or None)."""
    count, last = session.exec(
        select(func.count(), func.max(col(LoginAttempt.attempted_at))).where(key, window)
    ).one()
    return int(count), last


def check_throttle(session: Session, *, email: str, client_key: str, now: datetime) -> None:
    """Raise ``TooManyAttempts`` while a rule that applies to this sign-in is waiting.

    At most three indexed queries: this client on this account (its failures in the
    window, and whether it succeeded recently), then, for a client not known to the
    account, the client across accounts and the account across clients.
    """
    limits = _Limits.current()
    failed = _failed_in_window(now - limits.window, now)
    known, failures, last = session.exec(
        select(
            func.max(case((col(LoginAttempt.succeeded), 1), else_=0)),
            func.count(case((failed, 1))),
            func.max(case((failed, col(LoginAttempt.attempted_at)))),
        ).where(
            col(LoginAttempt.email) == email,
            col(LoginAttempt.client_key) == client_key,
            col(LoginAttempt.attempted_at) > now - timedelta(days=KNOWN_CLIENT_DAYS),
            col(LoginAttempt.attempted_at) <= now,
        )
    ).one()
    waits = [limits.until(int(failures), last, limits.pair)]
    if not known:
        for key, threshold in (
            (col(LoginAttempt.client_key) == client_key, limits.client),
            (col(LoginAttempt.email) == email, limits.account),
        ):
            waits.append(limits.until(*_failures(session, key, failed), threshold))
    latest = max((moment for moment in waits if moment is not None), default=None)
    if latest is not None and latest > now:
        raise TooManyAttempts(wait_message(latest - now))


@dataclass(frozen=True)
class SignInLock:
    """An account some client must wait for (its own back-off, or the account-wide one)."""

    email: str
    failures: int  # failed sign-ins inside the window
    clients: int  # how many clients they came from
    last_failure_at: datetime
    locked_until: datetime  # the latest of its waits


def sign_in_locks(session: Session, *, now: datetime) -> list[SignInLock]:
    """Accounts in back-off now, the most recently failed first (at most ``MAX_LOCKS``).

    Two queries over the window's failures (an index range): the accounts with a waiting
    key and their totals, grouped from per-client tallies, then those accounts' tallies
    for the wait. A client's spraying back-off concerns the client, not an account, and
    is not listed.
    """
    limits = _Limits.current()
    failed = _failed_in_window(now - limits.window, now)
    email, client = col(LoginAttempt.email), col(LoginAttempt.client_key)
    count, last = func.count(), func.max(col(LoginAttempt.attempted_at))
    tallies = select(email, client, count.label("n"), last.label("last")).where(failed)
    pair = tallies.group_by(email, client).subquery()  # one row per account and client
    pair_waiting = limits.waiting_sql(pair.c.n, pair.c.last, limits.pair, now)
    total, latest = func.sum(pair.c.n), func.max(pair.c.last)
    totals = session.exec(
        select(pair.c.email, total, func.count(), latest)
        .group_by(pair.c.email)
        .having(
            or_(
                func.max(case((pair_waiting, 1), else_=0)) == 1,
                limits.waiting_sql(total, latest, limits.account, now),
            )
        )
        .order_by(latest.desc(), pair.c.email)
        .limit(MAX_LOCKS)
    ).all()
    waits: dict[str, list[datetime | None]] = {row[0]: [] for row in totals}
    listed = select(email, count, last).where(failed, email.in_(waits)).group_by(email, client)
    for address, failures, pair_last in session.exec(listed):
        waits[address].append(limits.until(failures, pair_last, limits.pair))
    locks = []
    for address, failures, clients, last_at in totals:
        waits[address].append(limits.until(int(failures), last_at, limits.account))
        until = max(moment for moment in waits[address] if moment is not None)
        locks.append(SignInLock(address, int(failures), clients, last_at, until))
    return locks


def _stored_email(value: object) -> str:
    """The email as sign-in stores it (trimmed, lower case), else ``ValidationFailed``."""
    email = value.strip().lower() if isinstance(value, str) else ""
    if not email or len(email) > 254:
        raise ValidationFailed({"email": INVALID_EMAIL})
    return email


def clear_sign_in_lock(
    session: Session, *, email: str, actor_id: int, actor_role: str, now: datetime
) -> int:
    """An admin lets an account's clients sign in at once: its failed attempts are
    deleted (its successes stay, so its known clients stay known). Returns how many
    went; clearing nothing changes nothing and is not audited."""
    by = acting_admin(session, actor_id, actor_role, now)
    address = _stored_email(email)
    result = session.exec(
        delete(LoginAttempt).where(
            col(LoginAttempt.email) == address, col(LoginAttempt.succeeded).is_(False)
        )
    )
    cleared = int(result.rowcount or 0)
    if cleared:
        user_id = session.exec(select(User.id).where(User.email == address)).first()
        audit(
            session,
            by,
            "sign_in_lock_cleared",
            entity="account",
            entity_id=user_id if user_id is not None else address[:40],
            detail={"email": address, "failures": cleared},
        )
        session.flush()
    return cleared


def prune_login_attempts(session: Session, *, now: datetime) -> int:
    """Delete the attempts no rule reads any more: failures older than the window (or
    the back-off cap, if longer), successes older than ``KNOWN_CLIENT_DAYS``. Returns how
    many rows went."""
    limits, at = _Limits.current(), col(LoginAttempt.attempted_at)
    old_failures = and_(
        col(LoginAttempt.succeeded).is_(False), at < now - max(limits.window, limits.cap)
    )
    old_successes = and_(
        col(LoginAttempt.succeeded).is_(True), at < now - timedelta(days=KNOWN_CLIENT_DAYS)
    )
    deleted = 0
    for old in (old_failures, old_successes):
        deleted += int(session.exec(delete(LoginAttempt).where(old)).rowcount or 0)
    return deleted


__all__ = [
    "ACCOUNT_FAILURE_FACTOR",
    "KNOWN_CLIENT_DAYS",
    "MAX_LOCKS",
    "SignInLock",
    "backoff",
    "check_throttle",
    "clear_sign_in_lock",
    "client_key_for",
    "prune_login_attempts",
    "sign_in_locks",
    "wait_message",
]
