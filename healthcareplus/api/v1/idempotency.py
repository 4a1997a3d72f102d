"""The ``Idempotency-Key`` request header: a retried request gets its first answer again.

Following draft-ietf-httpapi-idempotency-key-header: the client names a request with a key
of its choosing (a UUID, say; the header's structured-field string form ``"…"`` is
accepted too). The first request with that key runs; the same caller sending the same key
with the same request (method, path, query and JSON body) gets the first answer again
(status, body, ``Content-Type``, ``Location``, ``Cache-Control``, ``Retry-After``,
``Content-Disposition``), marked ``Idempotent-Replayed: true``, without it running again.
Refusals:

- the key with another request (another body, path or method): **422**
  ``idempotency-key-reused``. The draft's choice, and the right one: the request as sent
  can never succeed with this key, whatever happens meanwhile (a 409 says "the state of
  the resource conflicts; retrying later may work");
- the key while its first request is still running: **409** ``idempotency-key-in-flight``
  with ``Retry-After: 1``: retry with the same key to get the answer.

Keys belong to their caller (a person's account, or an API key), so no one can read
another's answer. A request whose domain refuses it stores that refusal as its answer; an
unexpected failure (500) changed nothing and forgets the key. How the stored answer and the
change stay consistent is ``core.idempotency``'s docstring. The fingerprint of a request
is an HMAC (keyed by ``HCP_SECRET_KEY``) of it, so a card number in a body cannot be
guessed back from the table.

Any endpoint takes part with one dependency and one call: the work runs in the unit of
work ``run`` opens, and returns the answer as a ``Response`` (``json_answer``)::

    @router.post("/admin/appointments/{appointment_id}/refund", responses=IDEMPOTENCY_PROBLEMS)
    def refund(..., once: Idempotent = Depends(idempotency)) -> Response:
        return once.run(lambda db: json_answer(RefundOut.of(domain_refund(db, ...))))
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import anyio.from_thread
from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from healthcareplus.api.v1.callers import caller_of
from healthcareplus.api.v1.problems import ApiProblem, problems
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import DomainError
from healthcareplus.core.idempotency import (
    Busy,
    Claim,
    StoredAnswer,
    claim_key,
    complete_key,
    release_key,
)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = frozenset(
    {"content-type", "content-disposition", "location", "cache-control", "retry-after"}
)
# Visible ASCII but quote and backslash, 1 to 255 characters; bare or as "…".
_KEY_PATTERN = r'^(?:"[!#-\[\]-~]{1,255}"|[!#-\[\]-~]{1,255})$'
REUSED = (
    "This Idempotency-Key was first used with another request (another body, path or "
    "method). Send a new key for a new request."
)
IN_FLIGHT = (
    "A request with this Idempotency-Key is still being processed. Retry shortly with the "
    "same key to get its answer."
)
TAKEN_OVER = "This request took too long: a retry with the same Idempotency-Key took it over."
KEY_DOC = (
    "A key you choose (e.g. a UUID) naming this request. A retry with the same key and "
    "the same body gets the first answer again (`Idempotent-Replayed: true`) instead of "
    "running twice; the same key with another body is refused (422), and while the first "
    "request runs a retry gets 409. Keys are yours alone and kept for "
    "HCP_API_IDEMPOTENCY_HOURS (24 by default). Optional, and recommended for every retry."
)
IDEMPOTENCY_PROBLEMS = problems("idempotency-key-reused", "idempotency-key-in-flight")
Work = Callable[[Session], Response]
Handler = Callable[[Request, Exception], Awaitable[Response]]


def json_answer(
    model: BaseModel, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """``model`` as the JSON answer of ``Idempotent.run``'s work."""
    return Response(
        model.model_dump_json(),
        status_code=status_code,
        media_type="application/json",
        headers=dict(headers or {}),
    )


def _stored(answer: Response) -> StoredAnswer:
    headers = {k: v for k, v in answer.headers.items() if k.lower() in KEPT_HEADERS}
    return StoredAnswer(answer.status_code, bytes(answer.body).decode(), headers)


def _replayed(stored: StoredAnswer) -> Response:
    return Response(
        stored.body.encode(),
        status_code=stored.status_code,
        headers={**stored.headers, REPLAYED: "true"},
    )


@dataclass(frozen=True)
class Idempotent:
    """One request that may carry an idempotency key; ``run`` does its work once."""

    request: Request
    sub_response: Response  # the headers every answer carries (the rate limits)
    key: str | None
    owner: str
    fingerprint: str

    def run(self, work: Work) -> Response:
        """``work(db)`` in one unit of work, its answer stored with its change; or the
        stored answer of the key's first request. Call from a sync endpoint."""
        if self.key is None:
            with session_scope() as db:
                return self._send(work(db))
        keep_for = timedelta(hours=get_settings().api_idempotency_hours)
        with session_scope() as db:
            found = claim_key(
                db,
                owner=self.owner,
                key=self.key,
                fingerprint=self.fingerprint,
                now=utcnow(),
                keep_for=keep_for,
            )
        if isinstance(found, StoredAnswer):
            return self._send(_replayed(found))
        if found is Busy.OTHER_REQUEST:
            raise ApiProblem("idempotency-key-reused", REUSED)
        if not isinstance(found, Claim):
            raise ApiProblem("idempotency-key-in-flight", IN_FLIGHT, headers={"Retry-After": "1"})
        return self._send(self._run_claimed(found, work))

    def _run_claimed(self, claim: Claim, work: Work) -> Response:
        try:
            with session_scope() as db:
                answer = work(db)
                if not complete_key(db, claim, _stored(answer), now=utcnow()):
                    raise ApiProblem("idempotency-key-in-flight", TAKEN_OVER)  # rolls back
        except DomainError as exc:  # refused: nothing changed; the refusal is the answer
            answer = self._refusal(exc)
            with session_scope() as db:
                complete_key(db, claim, _stored(answer), now=utcnow())
        except BaseException:  # nothing changed either: a retry runs afresh
            with session_scope() as db:
                release_key(db, claim)
            raise
        return answer

    def _refusal(self, exc: DomainError) -> Response:
        """The answer the app gives for ``exc`` (its own exception handler's)."""
        handlers: Mapping[Any, Handler] = self.request.app.exception_handlers
        handler = next(handlers[kind] for kind in type(exc).__mro__ if kind in handlers)

        async def render() -> Response:
            return await handler(self.request, exc)

        return anyio.from_thread.run(render)

    def _send(self, answer: Response) -> Response:
        answer.headers.raw.extend(self.sub_response.headers.raw)
        return answer


def fingerprint_of(request: Request, body: bytes) -> str:
    """A keyed hash of what makes the request this request: method, path, query, body
    (JSON compared by value, not by spacing or key order)."""
    try:
        content: object = json.loads(body) if body else None
    except ValueError:
        content = body.hex()
    query = sorted(request.query_params.multi_items())
    text = json.dumps(
        [request.method, request.url.path, query, content], sort_keys=True, separators=(",", ":")
    )
    key = get_settings().secret_key.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


async def idempotency(
    request: Request,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(alias=HEADER, pattern=_KEY_PATTERN, max_length=257, description=KEY_DOC),
    ] = None,
) -> Idempotent:
    """The dependency: the request's key (if any), its caller and fingerprint."""
    caller = caller_of(request)
    if caller.api_key_id is not None:
        owner = f"key:{caller.api_key_id}"
    elif caller.user_id is not None:
        owner = f"user:{caller.user_id}"
    else:
        raise ApiProblem("unauthorized", "Sign in first: idempotency keys belong to a caller.")
    key = idempotency_key.strip('"') if idempotency_key is not None else None
    body = await request.body()
    return Idempotent(request, response, key, owner, fingerprint_of(request, body))


__all__ = [
    "HEADER",
    "IDEMPOTENCY_PROBLEMS",
    "REPLAYED",
    "Idempotent",
    "fingerprint_of",
    "idempotency",
    "json_answer",
]
