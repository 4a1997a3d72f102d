"""Opaque cursors of the doctor list: where the next page starts, tied to its filters.

A cursor carries the sort key of the last doctor of a page (``doctor_pages``) and a
fingerprint of the filters and sort it was made for, base64url-encoded. Clients must treat
it as opaque. A cursor used with other filters, or altered, is refused (422): a crafted
one can at most start a walk elsewhere, never reach past what the filters allow.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from healthcareplus.api.v1.problems import ApiProblem, FieldProblem
from healthcareplus.domain.catalog.doctor_pages import SortKey
from healthcareplus.domain.catalog.search import DoctorFilters

VERSION = 1
MAX_CURSOR = 512
BAD_CURSOR = "This cursor is not valid: start again without one."
OTHER_SEARCH = "This cursor belongs to another search: send the same filters, or none."


def _fingerprint(filters: DoctorFilters) -> str:
    query = filters.with_page(1).to_query()
    query["sort"] = filters.sort
    text = json.dumps(query, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(filters: DoctorFilters, after: SortKey) -> str:
    payload = {"v": VERSION, "f": _fingerprint(filters), "a": list(after)}
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_refused(detail: str) -> ApiProblem:
    return ApiProblem(
        "validation-failed",
        "Check the fields listed in errors.",
        errors=[FieldProblem(location="query", field="cursor", detail=detail)],
    )


def decode_cursor(cursor: str, filters: DoctorFilters) -> SortKey:
    """The position a cursor names, or ``ApiProblem`` (422 on ``cursor``)."""
    if len(cursor) > MAX_CURSOR:
        raise cursor_refused(BAD_CURSOR)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSON errors included
        raise cursor_refused(BAD_CURSOR) from None
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise cursor_refused(BAD_CURSOR)
    after = payload.get("a")
    if not isinstance(after, list) or not all(
        type(v) in (int, str) for v in after
    ):  # bool, float, null and nested values never make a position
        raise cursor_refused(BAD_CURSOR)
    if payload.get("f") != _fingerprint(filters):
        raise cursor_refused(OTHER_SEARCH)
    return tuple(after)


__all__ = ["BAD_CURSOR", "OTHER_SEARCH", "cursor_refused", "decode_cursor", "encode_cursor"]
