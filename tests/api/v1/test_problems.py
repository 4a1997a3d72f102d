"""Every error is RFC 9457 problem details, translated in one place; bad input is never
a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import Body

from healthcareplus.api.v1 import create_v1_app
from healthcareplus.api.v1.problems import DOMAIN_PROBLEMS, PROBLEM_TYPES, retry_after_seconds
from healthcareplus.core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    SlotUnavailable,
    TooManyAttempts,
    ValidationFailed,
)
from healthcareplus.domain.accounts.throttle import wait_message
from tests.api.v1.conftest import PROBLEM_JSON, V1, TestClient, problem

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_unknown_paths_and_methods(client) -> None:
    body = problem(client.get(f"{V1}/nowhere"), 404, "not-found")
    assert body["detail"] == "There is no such endpoint. See /api/v1/docs."
    refused = client.delete(f"{V1}/cities")
    problem(refused, 405, "method-not-allowed")
    assert refused.headers["allow"] == "GET"
    assert refused.headers["cache-control"] == "no-store"


def test_each_problem_type_is_a_page_of_the_api(client) -> None:
    for slug, kind in PROBLEM_TYPES.items():
        page = client.get(kind.uri)
        assert page.status_code == 200, slug
        assert page.json() == {
            "type": kind.uri,
            "title": kind.title,
            "status": kind.status,
            "description": kind.description,
        }
    problem(client.get(f"{V1}/problems/nothing-like-it"), 404, "not-found")


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (NotFound("Doctor not found"), 404, "not-found"),
        (Forbidden("You are not allowed to do this."), 403, "forbidden"),
        (ValidationFailed({"reason": "Give a reason"}), 422, "validation-failed"),
        (AuthenticationFailed("Invalid email or password"), 401, "sign-in-failed"),
        (TooManyAttempts(wait_message(timedelta(minutes=2))), 429, "sign-in-throttled"),
        (SlotUnavailable("That slot was just taken."), 409, "slot-unavailable"),
        (Conflict("Already cancelled."), 409, "conflict"),
        (DomainError("No."), 400, "bad-request"),
    ],
)
def test_domain_errors_are_translated_in_one_place(db_url, error, status, slug) -> None:
    app = create_v1_app()

    @app.post("/fails")
    def fails(payload: dict = Body(default={})) -> None:
        raise error

    with TestClient(app) as local:
        response = local.post("/fails", json={})
    body = problem(response, status, slug)
    assert body["detail"] == str(error)
    if isinstance(error, ValidationFailed):
        assert body["errors"] == [{"field": "reason", "detail": "Give a reason"}]
    if isinstance(error, TooManyAttempts):
        assert response.headers["retry-after"] == "120"
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_every_domain_error_class_has_a_problem() -> None:
    mapped = {kind for kind, _ in DOMAIN_PROBLEMS}
    assert {
        NotFound,
        Forbidden,
        ValidationFailed,
        AuthenticationFailed,
        TooManyAttempts,
        SlotUnavailable,
        Conflict,
        DomainError,
    } <= mapped
    assert all(slug in PROBLEM_TYPES for _, slug in DOMAIN_PROBLEMS)


def test_an_unexpected_failure_is_a_500_that_tells_nothing(db_url, caplog) -> None:
    app = create_v1_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret database detail")

    with TestClient(app, raise_server_exceptions=False) as local:
        response = local.get("/boom")
    body = problem(response, 500, "server-error")
    assert "secret" not in response.text and body["detail"] == "Please try again later."
    assert "secret database detail" in caplog.text  # the log has it


@pytest.mark.parametrize("seconds", [1, 29, 30, 59, 60, 61, 119, 900, 3600])
def test_retry_after_follows_the_throttling_message(seconds: int) -> None:
    wait = retry_after_seconds(wait_message(timedelta(seconds=seconds)))
    assert wait is not None and seconds <= wait < seconds + 60


JUNK = [
    ("GET", "/doctors?limit=%00"),
    ("GET", "/doctors?city_id=%C3%BC"),
    ("GET", "/doctors?q=%ED%A0%80"),
    ("GET", "/doctors?sort=fee&sort=name&limit=1&limit=x"),
    ("GET", "/doctors?available_on=2026-13-01"),
    ("GET", "/doctors?cursor=%FF%FE"),
    ("GET", "/doctors?cursor=eyJ2IjoxLCJmIjoiIiwiYSI6W3RydWVdfQ"),
    ("GET", "/doctors/1e400"),
    ("GET", "/doctors/-1/slots?date=2026-01-01"),
    ("GET", "/doctors/1/slots?date=" + "9" * 50),
    ("GET", "/doctors/1/availability?days=99999999999999999999"),
    ("GET", "/cities/" + "9" * 40),
    ("GET", "/hospitals?city_id=1.5"),
    ("POST", "/symptoms/match"),
    ("POST", "/auth/token"),
    ("POST", "/auth/refresh"),
    ("POST", "/admin/api-keys"),
    ("DELETE", "/admin/api-keys/abc"),
]
BODIES: list[bytes | None] = [
    None,
    b"",
    b"null",
    b"[]",
    b'{"text": null}',
    b'{"refresh_token": ["x"]}',
    b"\xff\xfe",
    b'{"text": "' + b"a" * 100_000 + b'"}',
    b"username=%00&password=%00",
]


@pytest.mark.parametrize(("method", "path"), JUNK)
def test_junk_is_never_a_500(client, method: str, path: str) -> None:
    for body in BODIES if method == "POST" else [None]:
        for content_type in ("application/json", "application/x-www-form-urlencoded"):
            response = client.request(
                method, f"{V1}{path}", content=body, headers={"Content-Type": content_type}
            )
            assert response.status_code < 500, (path, body, response.text)
            if response.status_code >= 400:
                assert response.headers["content-type"] == PROBLEM_JSON
