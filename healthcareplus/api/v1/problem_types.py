"""The kinds of problem the API answers with (RFC 9457 ``type``s), which statuses and
domain errors they stand for, and how the OpenAPI document names them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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

API_PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"{API_PREFIX}/problems/{self.slug}"


PROBLEM_TYPES: dict[str, ProblemType] = {
    p.slug: p
    for p in (
        ProblemType("bad-request", 400, "Bad request", "The request cannot be carried out."),
        ProblemType(
            "unauthorized",
            401,
            "Authentication required",
            "Send a valid bearer access token (POST /auth/token) or API key (X-API-Key).",
        ),
        ProblemType(
            "invalid-token",
            401,
            "Invalid credentials",
            "The token or key is malformed, unknown, expired or revoked, or its account "
            "may no longer sign in. Refresh the access token or sign in again.",
        ),
        ProblemType(
            "sign-in-failed",
            401,
            "Sign-in failed",
            "The email or password is wrong, or the account may not sign in.",
        ),
        ProblemType("forbidden", 403, "Forbidden", "You are not allowed to do this."),
        ProblemType(
            "insufficient-scope",
            403,
            "Insufficient scope",
            "The API key does not carry the scope this operation needs.",
        ),
        ProblemType("not-found", 404, "Not found", "There is nothing at this address."),
        ProblemType("method-not-allowed", 405, "Method not allowed", "See the Allow header."),
        ProblemType("conflict", 409, "Conflict", "The change conflicts with the current state."),
        ProblemType(
            "slot-unavailable", 409, "Slot unavailable", "That appointment slot cannot be taken."
        ),
        ProblemType(
            "payment-declined",
            402,
            "Payment declined",
            "The bank declined the payment; nothing was charged. The booking stays held: "
            "pay again (with a new Idempotency-Key) while the hold lasts.",
        ),
        ProblemType(
            "idempotency-key-in-flight",
            409,
            "Request in progress",
            "A request with this Idempotency-Key is still running: retry with the same key "
            "shortly to get its answer.",
        ),
        ProblemType(
            "idempotency-key-reused",
            422,
            "Idempotency key reused",
            "This Idempotency-Key was first used with another request (body, path or "
            "method): a key names one request. Send a new key for a new request.",
        ),
        ProblemType(
            "validation-failed",
            422,
            "Invalid request",
            "Some fields are not valid: each is listed in `errors` with why.",
        ),
        ProblemType(
            "sign-in-throttled",
            429,
            "Too many failed sign-ins",
            "Too many failed sign-ins for this account from this client: wait for the "
            "time in Retry-After (it doubles with each further failure).",
        ),
        ProblemType(
            "rate-limited",
            429,
            "Too many requests",
            "The rate limit of this client address or token is reached: wait for the time "
            "in Retry-After.",
        ),
        ProblemType(
            "server-error", 500, "Internal server error", "Something went wrong on our side."
        ),
    )
}
BY_STATUS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found"}
BY_STATUS |= {405: "method-not-allowed", 409: "conflict", 422: "validation-failed"}
BY_STATUS |= {429: "rate-limited", 500: "server-error"}
# Most specific first: SlotUnavailable is a Conflict, every one is a DomainError.
DOMAIN_PROBLEMS: tuple[tuple[type[DomainError], str], ...] = (
    (NotFound, "not-found"),
    (Forbidden, "forbidden"),
    (ValidationFailed, "validation-failed"),
    (AuthenticationFailed, "sign-in-failed"),
    (TooManyAttempts, "sign-in-throttled"),
    (SlotUnavailable, "slot-unavailable"),
    (Conflict, "conflict"),
    (DomainError, "bad-request"),
)
_WAIT = re.compile(r"Try again in (\d+) (second|minute)s?\.")


def retry_after_seconds(message: str) -> int | None:
    """The wait a sign-in throttling message names (``throttle.wait_message``), rounded
    up to whole seconds."""
    match = _WAIT.search(message)
    if match is None:
        return None
    amount = int(match.group(1))
    return amount * 60 if match.group(2) == "minute" else amount


def problems(*statuses_or_slugs: int | str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for an operation's problems (by status or by slug)."""
    responses: dict[int | str, dict[str, Any]] = {}
    for item in statuses_or_slugs:
        kind = PROBLEM_TYPES[item if isinstance(item, str) else BY_STATUS[item]]
        entry = responses.setdefault(
            kind.status,
            {"description": kind.title, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}},
        )
        if kind.title not in entry["description"].split("; "):
            entry["description"] += f"; {kind.title}"
    return responses


__all__ = [
    "API_PREFIX",
    "BY_STATUS",
    "DOMAIN_PROBLEMS",
    "PROBLEM_JSON",
    "PROBLEM_REF",
    "PROBLEM_TYPES",
    "ProblemType",
    "problems",
    "retry_after_seconds",
]
