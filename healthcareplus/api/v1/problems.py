"""Every error of the API as RFC 9457 problem details (``application/problem+json``).

One place translates: the domain's errors (``core.errors``), request validation (with
the refused fields in ``errors``), HTTP errors (unknown path, wrong method), the API's own
refusals (``ApiProblem``: authentication, scopes, rate limits) and, last, anything
unexpected (a 500 that tells nothing of the cause; the traceback goes to the log).
Each problem's ``type`` is a page of this API describing it (``GET /problems/{slug}``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from healthcareplus.api.v1.problem_types import (
    API_PREFIX,
    BY_STATUS,
    DOMAIN_PROBLEMS,
    PROBLEM_JSON,
    PROBLEM_REF,
    PROBLEM_TYPES,
    problems,
    retry_after_seconds,
)
from healthcareplus.core.errors import DomainError, TooManyAttempts, ValidationFailed

log = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store"}


class FieldProblem(BaseModel):
    """One refused field: where it was sent, its name and what is wrong with it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"location": "query", "field": "limit", "detail": "Input should be ≤ 100"}]
        }
    )

    location: str | None = Field(
        default=None, description="query, path, header or body; none when not known"
    )
    field: str = Field(description="The field's name (dotted for nested body fields)")
    detail: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/api/v1/problems/validation-failed",
                    "title": "Invalid request",
                    "status": 422,
                    "detail": "Check the fields listed in errors.",
                    "instance": "/api/v1/doctors",
                    "errors": [
                        {"location": "query", "field": "limit", "detail": "Input should be ≤ 100"}
                    ],
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the kind of problem (a page of this API)")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The path that was requested")
    errors: list[FieldProblem] | None = Field(
        default=None, description="The refused fields (validation problems only)"
    )


class ProblemTypeDoc(BaseModel):
    type: str
    title: str
    status: int
    description: str


class ApiProblem(Exception):
    """A refusal of the API itself (authentication, scope, rate limit)."""

    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[FieldProblem] = (),
    ) -> None:
        super().__init__(detail)
        self.slug, self.detail, self.headers, self.errors = slug, detail, headers, errors


def problem_response(
    request: Request,
    slug: str,
    detail: str | None,
    *,
    headers: Mapping[str, str] | None = None,
    errors: Sequence[FieldProblem] = (),
) -> JSONResponse:
    kind = PROBLEM_TYPES[slug]
    body = Problem(
        type=kind.uri,
        title=kind.title,
        status=kind.status,
        detail=detail,
        instance=request.url.path,
        errors=list(errors) or None,
    )
    if kind.status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="api"', **(headers or {})}
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=kind.status,
        media_type=PROBLEM_JSON,
        headers={**NO_STORE, **(headers or {})},
    )


def _field_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc and loc[0] in ("query", "path", "header", "body") else None
        name = ".".join(loc[1:] if location else loc) or (location or "request")
        found.append(FieldProblem(location=location, field=name, detail=str(error.get("msg"))))
    return found


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(request, exc.slug, exc.detail, headers=exc.headers, errors=exc.errors)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        request,
        "validation-failed",
        "Check the fields listed in errors.",
        errors=_field_problems(exc.errors()),
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = BY_STATUS.get(exc.status_code, "bad-request")
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404 and detail == "Not Found":
        detail = "There is no such endpoint. See /api/v1/docs."
    return problem_response(request, slug, detail, headers=exc.headers)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    slug = next(slug for kind, slug in DOMAIN_PROBLEMS if isinstance(exc, kind))
    errors: list[FieldProblem] = []
    headers: dict[str, str] = {}
    if isinstance(exc, ValidationFailed):
        errors = [FieldProblem(field=name, detail=text) for name, text in exc.fields.items()]
    if isinstance(exc, TooManyAttempts):
        wait = retry_after_seconds(str(exc))
        headers["Retry-After"] = str(wait if wait is not None else 60)
    return problem_response(request, slug, str(exc), headers=headers, errors=errors)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("API request failed: %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, "server-error", "Please try again later.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(Exception, _unexpected)


__all__ = [
    "API_PREFIX",
    "DOMAIN_PROBLEMS",
    "PROBLEM_JSON",
    "PROBLEM_REF",
    "PROBLEM_TYPES",
    "ApiProblem",
    "FieldProblem",
    "Problem",
    "ProblemTypeDoc",
    "install_problem_handlers",
    "problem_response",
    "problems",
    "retry_after_seconds",
]
