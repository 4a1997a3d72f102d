"""The PostgreSQL pool keeps a connection for every request a process serves at once, so
a busy process reuses its connections instead of opening one for many requests."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.to_thread
import pytest
from sqlalchemy import text

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import dispose_engines, get_engine


async def _request_threads() -> int:
    """How many sync requests one process serves at once (Starlette's thread limiter)."""
    return int(anyio.to_thread.current_default_thread_limiter().total_tokens)


def _backends_of_a_busy_moment(url: str, requests: int) -> set[int]:
    """The server processes behind ``requests`` sessions open at the same moment."""
    engine = get_engine(url)
    together = threading.Barrier(requests)

    def serve() -> int:
        with engine.connect() as conn:
            pid = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            together.wait(timeout=30)
            return pid

    with ThreadPoolExecutor(max_workers=requests) as pool:
        return set(pool.map(lambda _: serve(), range(requests)))


@pytest.mark.postgres
def test_a_busy_moment_again_reuses_every_connection(pg_url: str) -> None:
    requests = anyio.run(_request_threads)
    assert get_settings().db_pool_size >= requests
    first = _backends_of_a_busy_moment(pg_url, requests)
    second = _backends_of_a_busy_moment(pg_url, requests)
    assert len(first) == requests
    assert second == first  # no connection was closed and opened again


@pytest.mark.postgres
def test_the_pool_follows_the_settings(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCP_DB_POOL_SIZE", "3")
    monkeypatch.setenv("HCP_DB_POOL_OVERFLOW", "2")
    get_settings.cache_clear()
    dispose_engines()
    pool = get_engine(pg_url).pool
    assert (pool.size(), pool._max_overflow) == (3, 2)  # type: ignore[attr-defined]
    five = _backends_of_a_busy_moment(pg_url, 5)
    assert len(five) == 5 and pool.checkedin() == 3  # type: ignore[attr-defined]  # the burst's 2 closed
