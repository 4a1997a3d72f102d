"""Rate limits per client address and per sign-in or key: 429 problems with Retry-After,
counted in the database, or in Redis when HCP_REDIS_URL is set."""

from __future__ import annotations

import os

import pytest
import redis
from sqlmodel import Session, select

from healthcareplus.api.v1 import rate_limits
from healthcareplus.core.models import ApiRateWindow, Role
from tests.api.v1.conftest import V1, make_user, problem, set_env, tokens
from tests.services import require_redis

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
# The unit tests' own Redis database (the worker tests use 7, the browser tests 5).
TEST_REDIS_URL = os.environ.get("HCP_TEST_API_REDIS_URL", "redis://127.0.0.1:6379/8")


def statuses(client, count: int, **kw) -> list[int]:
    return [client.get(f"{V1}/cities", **kw).status_code for _ in range(count)]


def test_per_address_limit_answers_429_with_retry_after(client, monkeypatch) -> None:
    set_env(monkeypatch, api_rate_per_address=3, api_rate_window_seconds=60)
    ok = client.get(f"{V1}/cities")
    assert ok.headers["ratelimit-limit"] == "3" and ok.headers["ratelimit-remaining"] == "2"
    assert 1 <= int(ok.headers["ratelimit-reset"]) <= 60
    assert statuses(client, 2) == [200, 200]

    refused = client.get(f"{V1}/cities")
    body = problem(refused, 429, "rate-limited")
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60 and body["detail"] == f"Too many requests. Try again in {wait} seconds."
    assert refused.headers["ratelimit-remaining"] == "0"
    # Every route counts, and another client (behind a trusted proxy) has its own count.
    problem(client.get(f"{V1}/doctors"), 429)
    set_env(monkeypatch, trusted_proxy_hops=1)
    assert statuses(client, 3, headers={"X-Forwarded-For": "198.51.100.7"}) == [200] * 3


def test_per_token_limit_counts_every_token_of_a_sign_in(client, db: Session, monkeypatch) -> None:
    make_user(db, email="asha@example.in")
    pair = tokens(client, "asha@example.in")
    set_env(monkeypatch, api_rate_per_token=2, api_rate_per_address=100)
    assert statuses(client, 2, headers=pair.headers) == [200, 200]
    problem(client.get(f"{V1}/me", headers=pair.headers), 429, "rate-limited")
    assert client.get(f"{V1}/cities").status_code == 200  # anonymous, same address: its own count
    # A refreshed pair belongs to the same sign-in: still limited.
    fresh = client.post(f"{V1}/auth/refresh", json={"refresh_token": pair.refresh}).json()
    problem(
        client.get(f"{V1}/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}), 429
    )
    # Another sign-in has its own count.
    assert (
        client.get(f"{V1}/me", headers=tokens(client, "asha@example.in").headers).status_code == 200
    )


def test_api_keys_are_limited_per_key(client, db: Session, monkeypatch) -> None:
    make_user(db, role=Role.ADMIN, email="meera@example.in")
    admin = tokens(client, "meera@example.in").headers
    key = client.post(
        f"{V1}/admin/api-keys", headers=admin, json={"name": "Kiosk", "scopes": ["catalog:read"]}
    ).json()["key"]
    set_env(monkeypatch, api_rate_per_token=1, api_rate_per_address=100)
    assert statuses(client, 1, headers={"X-API-Key": key}) == [200]
    problem(client.get(f"{V1}/cities", headers={"X-API-Key": key}), 429, "rate-limited")


def test_bad_credentials_count_against_the_address(client, monkeypatch) -> None:
    set_env(monkeypatch, api_rate_per_address=2)
    bad = {"Authorization": "Bearer hcp_at_" + "a" * 43}
    assert statuses(client, 2, headers=bad) == [401, 401]
    problem(client.get(f"{V1}/cities", headers=bad), 429, "rate-limited")


def test_sign_ins_are_rate_limited_too(client, db: Session, monkeypatch) -> None:
    make_user(db, email="asha@example.in")
    set_env(monkeypatch, api_rate_per_address=2)
    form = {"username": "asha@example.in", "password": "Wrong#Pass1"}
    assert [client.post(f"{V1}/auth/token", data=form).status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]


def test_a_window_ends_and_old_windows_are_pruned(db_url, monkeypatch) -> None:
    set_env(monkeypatch, api_rate_window_seconds=10, api_rate_per_address=1)
    monkeypatch.setattr(rate_limits, "PRUNE_EVERY_SECONDS", 0.0)
    limits = [("addr:test", 1)]
    assert rate_limits.check(limits, now=1000.0).allowed
    refused = rate_limits.check(limits, now=1009.5)
    assert not refused.allowed and refused.reset_after == 1
    assert rate_limits.check(limits, now=1010.0).allowed  # a new window
    from healthcareplus.core.db import session_scope

    with session_scope() as session:
        windows = session.exec(select(ApiRateWindow.window_start)).all()
    assert windows == [1010]  # the ended window was deleted as the limiter went


@pytest.fixture
def redis_url(monkeypatch) -> str:
    require_redis(TEST_REDIS_URL)
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    set_env(monkeypatch, redis_url=TEST_REDIS_URL)
    return TEST_REDIS_URL


def test_with_redis_the_counters_live_there(client, db: Session, redis_url, monkeypatch) -> None:
    set_env(monkeypatch, api_rate_per_address=2)
    assert statuses(client, 2) == [200, 200]
    problem(client.get(f"{V1}/cities"), 429, "rate-limited")
    assert db.exec(select(ApiRateWindow)).all() == []  # nothing in the database
    server = redis.Redis.from_url(redis_url)
    [name] = server.keys("hcp:api-rate:addr:*")
    assert int(server.get(name)) == 3 and 0 < server.ttl(name) <= 65


def test_when_redis_is_down_requests_go_through(client, monkeypatch, caplog) -> None:
    set_env(monkeypatch, redis_url="redis://127.0.0.1:1/0", api_rate_per_address=1)
    assert statuses(client, 3) == [200, 200, 200]
    assert "Redis did not answer" in caplog.text


def test_database_counters_on_sqlite_and_postgres(any_client, any_db, monkeypatch) -> None:
    """The upsert that counts (SQLite's and PostgreSQL's ON CONFLICT) on both databases."""
    set_env(monkeypatch, api_rate_per_address=3)
    assert statuses(any_client, 4) == [200, 200, 200, 429]
    [window] = any_db.exec(select(ApiRateWindow)).all()
    assert window.key.startswith("addr:") and window.hits == 4
