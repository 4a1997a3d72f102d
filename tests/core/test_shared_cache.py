"""The shared cache: get-or-compute by key with a TTL, in this process's memory or in a
real Redis (two cache instances on one Redis stand for two app processes), computing a
missing key once however many ask at once; and the JSON its values travel as."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

import pytest
import redis

from healthcareplus.core import shared_cache as module
from healthcareplus.core.config import get_settings
from healthcareplus.core.plain_json import NotPlainData, from_json, to_json
from healthcareplus.core.shared_cache import (
    MemoryBackend,
    RedisBackend,
    SharedCache,
    reset_shared_caches,
    shared_cache,
)
from tests.services import require_redis

# The shared cache tests' own Redis database (worker 7, API 8, e2e 5, benches 9 and 12);
# every test also writes under its own key prefix and removes it afterwards.
TEST_REDIS_URL = os.environ.get("HCP_TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/11")
T = TypeVar("T")


@dataclass(frozen=True)
class Figures:
    bookings: int
    revenue_paise: int
    label: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", f"₹{self.revenue_paise // 100:,}")


@dataclass(frozen=True)
class Row(Figures):
    name: str
    day: date
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int


class Counter:
    """A computation that counts its runs (and takes ``seconds``)."""

    def __init__(self, value: Any = 42, seconds: float = 0.0) -> None:
        self.value, self.seconds, self.runs = value, seconds, 0
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        with self._lock:
            self.runs += 1
        time.sleep(self.seconds)
        return self.value


def all_at_once(count: int, ask: Callable[[int], Any]) -> list[Any]:
    """``ask(i)`` from ``count`` threads released together; their answers in order."""
    start, answers = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        start.wait()
        answers[i] = ask(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return answers


@pytest.fixture
def redis_url() -> str:
    require_redis(TEST_REDIS_URL)
    return TEST_REDIS_URL


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """This test's own keys in the Redis database, deleted afterwards."""
    name = f"hcp:test-cache:{uuid.uuid4().hex[:12]}:"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{name}*"))
    if keys:
        client.delete(*keys)


def on_redis(redis_url: str, prefix: str, **options: Any) -> SharedCache:
    """One app process's cache on the test's Redis keys."""
    return SharedCache(RedisBackend(redis_url, prefix=prefix), **options)


# --- the values' JSON ------------------------------------------------------------------------


def test_dataclasses_round_trip_as_json_of_their_own_type() -> None:
    at = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)
    page = Page(items=[Row(3, 230_000, "Sunrise", date(2026, 3, 1), at)], total=1)
    text = to_json(page)
    assert "label" not in text  # computed again on the way back, never trusted from the store
    back = from_json(Page[Row], text)
    assert back == page and back.items[0].label == "₹2,300"
    assert isinstance(back.items[0].day, date) and back.items[0].at == at
    assert from_json(list[Figures], to_json([Figures(1, 50)])) == [Figures(1, 50)]
    assert from_json(dict[str, int], to_json({"a": 1})) == {"a": 1}


@pytest.mark.parametrize(
    "text",
    [
        '{"bookings": 1}',  # a field missing
        '{"bookings": 1, "revenue_paise": 2, "extra": 3}',  # one too many
        '{"bookings": "1", "revenue_paise": 2}',  # text for a number
        '{"bookings": true, "revenue_paise": 2}',
        "[1, 2]",
        "not json",
    ],
)
def test_json_that_does_not_fit_the_type_is_refused(text: str) -> None:
    with pytest.raises(NotPlainData):
        from_json(Figures, text)


def test_only_plain_data_is_stored() -> None:
    with pytest.raises(NotPlainData):
        to_json(object())


# --- in this process's memory ----------------------------------------------------------------


def test_get_or_compute_computes_a_missing_key_once() -> None:
    cache, compute = SharedCache(MemoryBackend()), Counter(Figures(2, 100))
    first = cache.get_or_compute("k", compute, kind=Figures, ttl=60)
    again = cache.get_or_compute("k", compute, kind=Figures, ttl=60)
    assert first == again == Figures(2, 100) and compute.runs == 1
    assert again is not first  # every caller gets its own copy
    other = cache.get_or_compute("other", Counter(7), kind=int, ttl=60)
    assert other == 7


def test_memory_entries_expire_and_the_oldest_make_room() -> None:
    now = [1000.0]
    backend = MemoryBackend(max_entries=3, clock=lambda: now[0])
    cache, compute = SharedCache(backend), Counter()
    cache.get_or_compute("k", compute, kind=int, ttl=10)
    now[0] += 9.9
    cache.get_or_compute("k", compute, kind=int, ttl=10)
    assert compute.runs == 1
    now[0] += 0.2  # past its TTL
    cache.get_or_compute("k", compute, kind=int, ttl=10)
    assert compute.runs == 2
    for key in ("a", "b", "c"):
        cache.get_or_compute(key, Counter(), kind=int, ttl=10)
    assert len(backend) == 3 and backend.get("k") is None  # least recently used: gone


def test_one_computation_for_many_asking_at_once() -> None:
    cache, compute = SharedCache(MemoryBackend()), Counter(Figures(5, 500), seconds=0.2)
    answers = all_at_once(40, lambda _: cache.get_or_compute("k", compute, kind=Figures, ttl=60))
    assert compute.runs == 1 and answers == [Figures(5, 500)] * 40


def test_a_failed_computation_is_not_stored_and_raises_to_its_caller() -> None:
    cache = SharedCache(MemoryBackend())

    def broken() -> int:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="went away"):
        cache.get_or_compute("k", broken, kind=int, ttl=60)
    assert cache.get_or_compute("k", Counter(3), kind=int, ttl=60) == 3


def test_a_stored_value_of_an_older_shape_is_computed_again() -> None:
    backend = MemoryBackend()
    backend.set("k", '{"bookings": 1}', 60)  # before revenue_paise existed
    cache, compute = SharedCache(backend), Counter(Figures(1, 2))
    assert cache.get_or_compute("k", compute, kind=Figures, ttl=60) == Figures(1, 2)
    assert compute.runs == 1 and from_json(Figures, backend.get("k") or "") == Figures(1, 2)


# --- in Redis, shared by the app's processes -------------------------------------------------


def test_redis_get_or_compute_and_ttl(redis_url: str, prefix: str) -> None:
    cache, compute = on_redis(redis_url, prefix), Counter(Figures(3, 300))
    assert cache.get_or_compute("k", compute, kind=Figures, ttl=0.3) == Figures(3, 300)
    assert cache.get_or_compute("k", compute, kind=Figures, ttl=0.3) == Figures(3, 300)
    assert compute.runs == 1
    client = redis.Redis.from_url(redis_url)
    assert 0 < client.pttl(f"{prefix}k") <= 300  # Redis expires it
    assert client.get(f"{prefix}lock:k") is None  # the computation's lock was let go
    time.sleep(0.4)
    cache.get_or_compute("k", compute, kind=Figures, ttl=0.3)
    assert compute.runs == 2


def test_redis_single_flight_within_one_process(redis_url: str, prefix: str) -> None:
    cache, compute = on_redis(redis_url, prefix), Counter(11, seconds=0.2)
    answers = all_at_once(30, lambda _: cache.get_or_compute("k", compute, kind=int, ttl=60))
    assert compute.runs == 1 and answers == [11] * 30


def test_two_processes_on_one_redis_compute_once(redis_url: str, prefix: str) -> None:
    """Two app processes (two caches, each with its own in-process locks) asked at the
    same moment: the Redis lock lets one compute, the other waits and reads it."""
    processes = [on_redis(redis_url, prefix), on_redis(redis_url, prefix)]
    compute = Counter(Figures(9, 900), seconds=0.3)
    answers = all_at_once(
        20, lambda i: processes[i % 2].get_or_compute("k", compute, kind=Figures, ttl=60)
    )
    assert compute.runs == 1 and answers == [Figures(9, 900)] * 20
    # Afterwards the other process reads what the first stored.
    assert processes[1].get_or_compute("k", compute, kind=Figures, ttl=60) == Figures(9, 900)
    assert compute.runs == 1


def test_a_lost_lock_holder_does_not_stall_the_others(redis_url: str, prefix: str) -> None:
    """A process that took the lock and died: the others compute once it lapses."""
    RedisBackend(redis_url, prefix=prefix).lock("k", 0.3)  # never released
    cache, compute = on_redis(redis_url, prefix, lock_seconds=0.3), Counter(5)
    started = time.monotonic()
    assert cache.get_or_compute("k", compute, kind=int, ttl=60) == 5
    assert compute.runs == 1 and 0.2 < time.monotonic() - started < 5


def test_when_redis_is_down_the_cache_keeps_working_in_memory(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache, compute = SharedCache(RedisBackend("redis://127.0.0.1:1/0")), Counter(8)
    with caplog.at_level(logging.WARNING):
        assert cache.get_or_compute("k", compute, kind=int, ttl=60) == 8
        assert cache.get_or_compute("k", compute, kind=int, ttl=60) == 8
    assert compute.runs == 1  # shared within the process meanwhile
    assert "Redis did not answer" in caplog.text


# --- which store the app uses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hcp", "reflex", "expected"),
    [
        ("", "", None),
        ("redis://127.0.0.1:6379/3", "", "redis://127.0.0.1:6379/3"),
        ("", "redis://127.0.0.1:6379/4", "redis://127.0.0.1:6379/4"),
        ("redis://127.0.0.1:6379/3", "redis://127.0.0.1:6379/4", "redis://127.0.0.1:6379/3"),
    ],
)
def test_redis_when_the_app_has_one_else_memory(
    monkeypatch: pytest.MonkeyPatch, hcp: str, reflex: str, expected: str | None
) -> None:
    monkeypatch.setenv("HCP_REDIS_URL", hcp)
    monkeypatch.setenv("REFLEX_REDIS_URL", reflex)
    get_settings.cache_clear()
    reset_shared_caches()
    try:
        backend = shared_cache().backend
        if expected is None:
            assert isinstance(backend, MemoryBackend)
        else:
            assert isinstance(backend, RedisBackend)
            assert backend.client.connection_pool.connection_kwargs["db"] == int(expected[-1])
        assert shared_cache() is shared_cache()  # one per process
        assert module.configured_redis_url() == (expected or "")
    finally:
        get_settings.cache_clear()
        reset_shared_caches()
