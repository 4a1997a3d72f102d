"""Who may call the doctor portal and the admin endpoints, and what they share: ids in
paths, page numbers, the paging facts of a list, and the caller as a domain actor.

- The doctor portal is for a doctor signed in with a bearer token (``doctor_person``):
  API keys belong to admins and never act as a doctor. Which doctor comes from the
  caller's account (``clinical.visit_closing.doctor_for_user``), never from the request.
- The admin endpoints need the scope ``admin:read`` (reading) or ``admin:write``
  (changing) and an admin behind it (``admin_reader``, ``admin_writer``): an admin signed
  in, or an API key of an admin holding that scope. Changes are the domain's, checked
  again there (``acting_admin``) and audited as that admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from pydantic import BaseModel, Field
from sqlmodel import Session

from healthcareplus.api.v1.callers import Caller, needs_scope, signed_in_person
from healthcareplus.api.v1.problems import ApiProblem, FieldProblem, problems
from healthcareplus.core.models import Role
from healthcareplus.core.paging import MAX_PAGE, MAX_PAGE_SIZE, Paging
from healthcareplus.domain.clinical.visit_closing import doctor_for_user

MAX_ID = 2**31 - 1
ONLY_ADMINS = "Only administrators may do this."
ONLY_DOCTORS = "Only doctors may use the doctor portal."
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
AppointmentId = Annotated[str, Path(max_length=36, description="The appointment's id (a UUID)")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based; past the end: the last")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]
# The refusals every protected operation may answer with, for the OpenAPI document.
DOCTOR_REFUSALS = problems("unauthorized", "invalid-token", "forbidden")
ADMIN_REFUSALS = problems("unauthorized", "invalid-token", "forbidden", "insufficient-scope")


def doctor_person(caller: Caller = Depends(signed_in_person)) -> Caller:
    """A doctor signed in with a bearer token (403 for anyone else, API keys included)."""
    if caller.role != Role.DOCTOR:
        raise ApiProblem("forbidden", ONLY_DOCTORS)
    return caller


def doctor_id_of(session: Session, caller: Caller) -> int:
    """The caller's own doctor profile (``Forbidden`` when inactive or missing)."""
    doctor = doctor_for_user(session, user_id=caller.user_id or 0)
    assert doctor.id is not None  # a loaded row
    return doctor.id


def admin_scope(scope: str) -> Callable[..., Caller]:
    """A dependency: a caller holding ``scope`` (people: by role) who is an admin."""
    scoped = needs_scope(scope)

    def dependency(caller: Caller = Depends(scoped)) -> Caller:
        if caller.role != Role.ADMIN:
            raise ApiProblem("forbidden", ONLY_ADMINS)
        return caller

    return dependency


admin_reader = admin_scope("admin:read")
admin_writer = admin_scope("admin:write")


def one_of(value: str, allowed: tuple[str, ...], field: str) -> str:
    """``value`` when it is one of ``allowed`` (a domain's choices), else a 422 on the
    query parameter ``field``."""
    if value not in allowed:
        raise ApiProblem(
            "validation-failed",
            "Check the fields listed in errors.",
            errors=[
                FieldProblem(location="query", field=field, detail=f"One of: {', '.join(allowed)}")
            ],
        )
    return value


def actor(caller: Caller) -> dict[str, Any]:
    """The caller as the domain's ``actor_id`` and ``actor_role`` arguments."""
    return {"actor_id": caller.user_id or 0, "actor_role": caller.role or ""}


class PageInfo(BaseModel):
    """Where a page sits in its list."""

    total: int = Field(description="Items in the whole list")
    page: int = Field(description="This page (a page past the end gives the last one)")
    pages: int
    page_size: int
    has_prev: bool
    has_next: bool

    @classmethod
    def of(cls, p: Paging) -> PageInfo:
        return cls(
            total=p.total,
            page=p.page,
            pages=p.pages,
            page_size=p.page_size,
            has_prev=p.has_prev,
            has_next=p.has_next,
        )


__all__ = [
    "ADMIN_REFUSALS",
    "DOCTOR_REFUSALS",
    "MAX_ID",
    "AppointmentId",
    "Id",
    "PageInfo",
    "PageNumber",
    "PageSize",
    "actor",
    "admin_reader",
    "admin_scope",
    "admin_writer",
    "doctor_id_of",
    "doctor_person",
    "one_of",
]
