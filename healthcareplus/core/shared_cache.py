"""A cache of computed plain data shared by everyone who asks for the same key: get it,
or compute it once and keep it for a while.

Values are stored as JSON (``plain_json``) and rebuilt as the type the caller names, so
each caller gets its own copy and a stored value can only ever become that type. Where
they are kept: in Redis when the app has one (``HCP_REDIS_URL``, else Reflex's
``REFLEX_REDIS_URL``), so every app process shares them; otherwise in this process, in
a bounded LRU.

Single flight: callers in one process that miss the same key at once queue on a lock
per key; the first computes, the rest read what it stored. Across processes a short
Redis lock (``SET NX PX``) does the same: the holder computes, the others poll the key
until it appears (or the lock lapses, and one of them takes it). A key is never
invalidated: callers put whatever the value depends on (a change marker, the minute...)
into the key, and the TTL only clears away entries nobody asks for any more.

If Redis stops answering, the cache falls back to this process's memory for
``RETRY_SECONDS`` (then tries Redis again) and logs it: a cache must never take the
page down with it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol

import redis

from healthcareplus.core.config import get_settings
from healthcareplus.core.plain_json import NotPlainData, from_json, to_json

log = logging.getLogger(__name__)
MEMORY_ENTRIES = 512
LOCK_SECONDS = 15.0  # the longest one computation may hold a key's Redis lock
RETRY_SECONDS = 30.0  # after Redis failed: memory only, for this long
REDIS_PREFIX = "hcp:cache:"
_UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


class CacheUnavailable(RuntimeError):
    """The store did not answer."""


class Backend(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float) -> None: ...
    def lock(self, key: str, ttl: float) -> str | None:
        """A token when this caller may compute ``key`` now, None while another holds it."""
        ...

    def unlock(self, key: str, token: str) -> None: ...


class MemoryBackend:
    """This process's store: the ``max_entries`` most recently used keys, each until its
    TTL. Locks are the cache's own per-key locks (one process), so ``lock`` always grants."""

    def __init__(
        self, max_entries: int = MEMORY_ENTRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max, self._clock, self._guard = max_entries, clock, threading.Lock()

    def get(self, key: str) -> str | None:
        with self._guard:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: str, ttl: float) -> None:
        with self._guard:
            self._entries[key] = (self._clock() + ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def lock(self, key: str, ttl: float) -> str | None:
        return "local"

    def unlock(self, key: str, token: str) -> None:
        pass

    def __len__(self) -> int:
        return len(self._entries)


class RedisBackend:
    """Keys under ``prefix`` in Redis, shared by every process that uses the same one."""

    def __init__(self, url: str, *, prefix: str = REDIS_PREFIX) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def get(self, key: str) -> str | None:
        value = self._do(self.client.get, self.prefix + key)
        return value.decode() if isinstance(value, bytes) else value

    def set(self, key: str, value: str, ttl: float) -> None:
        self._do(self.client.set, self.prefix + key, value, px=max(int(ttl * 1000), 1))

    def lock(self, key: str, ttl: float) -> str | None:
        token = uuid.uuid4().hex
        name = f"{self.prefix}lock:{key}"
        taken = self._do(self.client.set, name, token, nx=True, px=max(int(ttl * 1000), 1))
        return token if taken else None

    def unlock(self, key: str, token: str) -> None:
        self._do(self.client.eval, _UNLOCK, 1, f"{self.prefix}lock:{key}", token)

    @staticmethod
    def _do(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except redis.RedisError as exc:
            raise CacheUnavailable(str(exc)) from exc


class SharedCache:
    def __init__(
        self,
        backend: Backend,
        *,
        lock_seconds: float = LOCK_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        poll_seconds: float = 0.01,
    ) -> None:
        self.backend = backend
        self.fallback = backend if isinstance(backend, MemoryBackend) else MemoryBackend()
        self.lock_seconds, self.retry_seconds, self.poll_seconds = (
            lock_seconds,
            retry_seconds,
            poll_seconds,
        )
        self._down_until = 0.0
        self._flights: dict[str, tuple[threading.Lock, list[int]]] = {}
        self._guard = threading.Lock()

    def get_or_compute(self, key: str, compute: Callable[[], Any], *, kind: Any, ttl: float) -> Any:
        """The value stored under ``key`` (rebuilt as ``kind``), else ``compute()``'s,
        stored for ``ttl`` seconds; ``compute`` runs once however many ask at once."""
        found = self._read(key, kind)
        if found is not None:
            return found[0]
        with self._flight(key):
            found = self._read(key, kind)
            if found is not None:
                return found[0]
            return self._fill(key, compute, kind, ttl)

    def _fill(self, key: str, compute: Callable[[], Any], kind: Any, ttl: float) -> Any:
        deadline = time.monotonic() + self.lock_seconds
        pause = self.poll_seconds
        while True:
            token = self._call("lock", key, self.lock_seconds)
            if token is not None or time.monotonic() >= deadline:
                # Past the deadline the lock's holder is presumed lost: compute anyway.
                return self._compute(key, compute, ttl, token)
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
            found = self._read(key, kind)
            if found is not None:
                return found[0]

    def _compute(self, key: str, compute: Callable[[], Any], ttl: float, token: str | None) -> Any:
        try:
            value = compute()
            self._call("set", key, to_json(value), ttl)
            return value
        finally:
            if token is not None:
                self._call("unlock", key, token)

    def _read(self, key: str, kind: Any) -> tuple[Any] | None:
        text = self._call("get", key)
        if text is None:
            return None
        try:
            return (from_json(kind, text),)
        except NotPlainData:  # written by an older version of the type: compute again
            log.info("shared cache: %s no longer fits %r; recomputing", key, kind)
            return None

    def _call(self, operation: str, *args: Any) -> Any:
        """``operation`` of the store (this process's memory while Redis is down)."""
        backend = self.backend if time.monotonic() >= self._down_until else self.fallback
        try:
            return getattr(backend, operation)(*args)
        except CacheUnavailable as exc:
            self._down_until = time.monotonic() + self.retry_seconds
            log.warning("shared cache: Redis did not answer (%s); memory only for a while", exc)
            return getattr(self.fallback, operation)(*args)

    @contextmanager
    def _flight(self, key: str) -> Iterator[None]:
        """This process's lock for ``key`` (kept only while someone holds or waits)."""
        with self._guard:
            lock, users = self._flights.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users[0] -= 1
                if not users[0]:
                    del self._flights[key]


def configured_redis_url() -> str:
    """The app's Redis: ``HCP_REDIS_URL``, else the one Reflex keeps its state in."""
    return get_settings().redis_url or os.environ.get("REFLEX_REDIS_URL", "")


@lru_cache(maxsize=4)
def _cache_for(redis_url: str) -> SharedCache:
    return SharedCache(RedisBackend(redis_url) if redis_url else MemoryBackend())


def shared_cache() -> SharedCache:
    """The process's cache for the configured store."""
    return _cache_for(configured_redis_url())


def reset_shared_caches() -> None:
    """Forget the process's caches (tests; a changed configuration)."""
    _cache_for.cache_clear()


__all__ = [
    "Backend",
    "CacheUnavailable",
    "MemoryBackend",
    "RedisBackend",
    "SharedCache",
    "configured_redis_url",
    "reset_shared_caches",
    "shared_cache",
]
