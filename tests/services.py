"""The servers some tests need (PostgreSQL, Redis). In CI they must answer (`.ci/run`
starts them and sets HCP_REQUIRE_SERVICES), so a missing one fails the test there; on a
laptop without it, its tests are skipped with the reason and everything else runs."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest
import redis


def service_missing(service: str, url: str) -> NoReturn:
    """Fail (CI) or skip (a laptop) a test whose ``service`` at ``url`` does not answer."""
    if os.environ.get("CI") or os.environ.get("HCP_REQUIRE_SERVICES"):
        pytest.fail(f"{service} is required here but {url} does not answer")
    pytest.skip(f"no {service} at {url} (set its HCP_TEST_*_URL to run these tests)")


def require_redis(url: str) -> redis.Redis:
    """A client of the Redis at ``url``, which answers (else ``service_missing``)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        service_missing("Redis", url)
    return client
