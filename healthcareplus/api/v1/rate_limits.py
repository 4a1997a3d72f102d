"""Rate limits of the API: fixed windows per client address and per token.

Every request counts against its client address (``HCP_API_RATE_PER_ADDRESS`` a window)
and, when it carries a credential, against that login (all of a person's tokens from one
sign-in) or API key (``HCP_API_RATE_PER_TOKEN``); the window is
``HCP_API_RATE_WINDOW_SECONDS``. Past either limit the answer is 429 (problem details)
with ``Retry-After``: the seconds until the window ends. Every answer carries the
``RateLimit-Limit``/``-Remaining``/``-Reset`` headers of the tighter limit.

The counters live where every web worker sees them: in Redis when ``HCP_REDIS_URL`` is
set (``INCR`` on a key that expires with its window), else in the database
(``api_rate_windows``: one upsert per counter, old windows deleted as the limiter goes, at
most once a minute per process). If Redis does not answer, requests are let through and
the failure is logged: the limiter must never take the API down with it.

A fixed window lets a client spend up to twice its limit across a window's edge; that
is the price of one counter per key, and fine for slowing abuse.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

import redis
from fastapi import Request, Response
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from healthcareplus.api.v1.callers import ANONYMOUS, caller_of, client_address
from healthcareplus.api.v1.problems import ApiProblem
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope, table_of
from healthcareplus.core.models import ApiRateWindow
from healthcareplus.domain.accounts.throttle import client_key_for

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 60.0
REDIS_PREFIX = "hcp:api-rate:"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # whole seconds until the window ends (at least 1)


class Counter(Protocol):
    def hit(self, keys: Sequence[str], *, window_start: int, window: int, now: float) -> list[int]:
        """Count one request against each key in this window; the counts after it."""
        ...


class DatabaseCounter:
    """Counters in ``api_rate_windows``: one upsert per key, in one transaction."""

    def __init__(self) -> None:
        self._pruned_at = 0.0
        self._lock = threading.Lock()

    def hit(self, keys: Sequence[str], *, window_start: int, window: int, now: float) -> list[int]:
        table = table_of(ApiRateWindow)
        expires = datetime.fromtimestamp(window_start + window, UTC)
        counts = []
        with session_scope() as db:
            insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
            for key in keys:
                statement = (
                    insert(table)
                    .values(key=key, window_start=window_start, hits=1, expires_at=expires)
                    .on_conflict_do_update(
                        index_elements=["key", "window_start"],
                        set_={"hits": table.c.hits + 1},
                    )
                    .returning(table.c.hits)
                )
                counts.append(int(db.exec(statement).scalar_one()))
            if self._prune_due():
                ended = datetime.fromtimestamp(now, UTC)
                db.exec(delete(ApiRateWindow).where(col(ApiRateWindow.expires_at) <= ended))
        return counts

    def _prune_due(self) -> bool:
        with self._lock:
            if time.monotonic() - self._pruned_at < PRUNE_EVERY_SECONDS:
                return False
            self._pruned_at = time.monotonic()
            return True


class RedisCounter:
    """Counters in Redis: ``INCR`` and an expiry a little past the window."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def hit(self, keys: Sequence[str], *, window_start: int, window: int, now: float) -> list[int]:
        pipe = self._client.pipeline(transaction=True)
        for key in keys:
            name = f"{REDIS_PREFIX}{key}:{window_start}"
            pipe.incr(name)
            pipe.expire(name, window + 5, nx=True)
        results = pipe.execute()
        return [int(count) for count in results[::2]]


@lru_cache(maxsize=4)
def _counter_for(redis_url: str) -> Counter:
    return RedisCounter(redis_url) if redis_url else DatabaseCounter()


def counter() -> Counter:
    return _counter_for(get_settings().redis_url)


def check(limits: Sequence[tuple[str, int]], *, now: float | None = None) -> Verdict:
    """Count one request against each (key, limit); the verdict of the tightest."""
    settings = get_settings()
    window = settings.api_rate_window_seconds
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    reset_after = max(1, math.ceil(window_start + window - now))
    try:
        keys = [key for key, _ in limits]
        counts = counter().hit(keys, window_start=window_start, window=window, now=now)
    except redis.RedisError:
        log.warning("rate limiter: Redis did not answer; letting the request through")
        counts = [0] * len(limits)
    verdicts = [
        Verdict(count <= limit, limit, max(limit - count, 0), reset_after)
        for (_, limit), count in zip(limits, counts, strict=True)
    ]
    return min(verdicts, key=lambda v: (v.allowed, v.remaining))


def enforce_rate_limits(request: Request, response: Response) -> None:
    """The app-wide dependency: count the request, refuse it past a limit (429), and
    refuse a bad credential (401) only after counting its address."""
    settings = get_settings()
    address_key = f"addr:{client_key_for(client_address(request))}"
    limits = [(address_key, settings.api_rate_per_address)]
    refusal: ApiProblem | None = None
    try:
        caller = caller_of(request)
    except ApiProblem as exc:
        caller, refusal = ANONYMOUS, exc
    if caller.rate_key is not None:
        limits.append((caller.rate_key, settings.api_rate_per_token))
    verdict = check(limits)
    headers = {
        "RateLimit-Limit": str(verdict.limit),
        "RateLimit-Remaining": str(verdict.remaining),
        "RateLimit-Reset": str(verdict.reset_after),
    }
    if not verdict.allowed:
        raise ApiProblem(
            "rate-limited",
            f"Too many requests. Try again in {verdict.reset_after} seconds.",
            headers={**headers, "Retry-After": str(verdict.reset_after)},
        )
    if refusal is not None:
        raise refusal
    response.headers.update(headers)


__all__ = ["Counter", "DatabaseCounter", "RedisCounter", "Verdict", "check", "enforce_rate_limits"]
