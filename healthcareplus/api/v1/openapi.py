"""The OpenAPI 3.1 document at ``/api/v1/openapi.json``, as FastAPI makes it, with every
error answer described as problem details: the ``Problem`` schema in the components, the
validation answer (422) of each operation that takes input as a ``Problem`` (instead of
FastAPI's own shape, which this API never sends), and on every operation the rate
limit's 429 and the 401 of a credential that does not check out, and on every operation
that takes a body the 400 of a body that cannot be parsed at all (not JSON, not UTF-8).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from healthcareplus.api.v1.problems import Problem, problems

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
FASTAPI_ONLY = ("HTTPValidationError", "ValidationError")


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    found: dict[str, Any] = schema.pop("$defs", {})
    found["Problem"] = schema
    return found


def _describe_problems(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    validation = responses.get("422")
    if validation is not None and "application/problem+json" not in validation.get("content", {}):
        responses["422"] = problems(422)[422]
    # A body that cannot even be parsed is refused before validation (400 bad-request).
    if "requestBody" in operation:
        responses.setdefault("400", problems("bad-request")[400])
    # Every operation counts against the rate limits and refuses a bad credential.
    for code, slug in (("429", "rate-limited"), ("401", "invalid-token")):
        extra = problems(slug)[int(code)]
        entry = responses.setdefault(code, extra)
        if extra["description"] not in entry["description"]:
            entry["description"] += f"; {extra['description']}"


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
        contact=app.contact,
        license_info=app.license_info,
    )
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in METHODS:
                _describe_problems(operation)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_ONLY:
        components.pop(name, None)
    components.update(_problem_schemas())
    app.openapi_schema = schema
    return schema


def install_openapi(app: FastAPI) -> None:
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]


__all__ = ["build_openapi", "install_openapi"]
