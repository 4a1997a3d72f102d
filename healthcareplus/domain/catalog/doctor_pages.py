"""Doctor search a slice at a time, after a given doctor (keyset paging), for clients that
walk the whole result (the API's cursors).

The filters, their conditions and the sort orders are the search's own (``search``); only
the paging differs: instead of a page number, the slice starts after the sort key of the
last doctor already seen, so doctors added or removed meanwhile never shift the rest of
the walk (no doctor is shown twice or skipped). Every sort ends with the doctor's id, so
the order is total and stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlmodel import Session, col, select

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.models import City, Doctor, Hospital
from healthcareplus.domain.catalog.reviews import ratings_for
from healthcareplus.domain.catalog.search import (
    MAX_PAGE_SIZE,
    DoctorCard,
    DoctorFilters,
    _conditions,
    _order,
    card_fields,
)
from healthcareplus.domain.scheduling.availability import available_doctor_ids

BAD_POSITION = "This position does not belong to the chosen sort order; start again."
SortKey = tuple[int | str, ...]


@dataclass(frozen=True)
class DoctorSlice:
    """Up to ``limit`` doctors after a position, the total matching the filters, and the
    position after the last of them (None when nothing follows)."""

    items: tuple[DoctorCard, ...]
    total: int
    next_after: SortKey | None


def _keys(sort: str) -> list[tuple[Any, bool]]:
    """The sort's key expressions, each with whether it runs descending."""
    keys: list[tuple[Any, bool]] = []
    for term in _order(sort):
        if isinstance(term, UnaryExpression) and term.modifier in (
            operators.desc_op,
            operators.asc_op,
        ):
            keys.append((term.element, term.modifier is operators.desc_op))
        else:
            keys.append((term, False))
    return keys


def _checked(after: Sequence[object], keys: list[tuple[Any, bool]]) -> SortKey:
    """``after`` as the sort's key values, or ``ValidationFailed`` (a crafted position)."""
    if len(after) != len(keys):
        raise ValidationFailed({"after": BAD_POSITION})
    values: list[int | str] = []
    for value, (expr, _desc) in zip(after, keys, strict=True):
        # Integer columns, or text (``lower(name)``, whose SQL type SQLAlchemy leaves open).
        wanted = int if expr.type.python_type is int else str
        fits = isinstance(value, str) or (isinstance(value, int) and -(2**63) <= value < 2**63)
        if type(value) is not wanted or not fits:
            raise ValidationFailed({"after": BAD_POSITION})
        values.append(value)
    return tuple(values)


def _after(keys: list[tuple[Any, bool]], values: SortKey) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys``."""
    alternatives = []
    for i, (expr, desc) in enumerate(keys):
        equal = [k == values[j] for j, (k, _) in enumerate(keys[:i])]
        beyond = expr < values[i] if desc else expr > values[i]
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)


def _where(session: Session, filters: DoctorFilters, now: datetime) -> list[Any]:
    """The search's conditions, with "available on a date" narrowed as the search does."""
    where = _conditions(filters)
    if filters.available_on is not None:
        ids = session.exec(
            select(Doctor.id).join(Hospital, col(Hospital.id) == Doctor.hospital_id).where(*where)
        ).all()
        free = available_doctor_ids(
            session, day=filters.available_on, now=now, doctor_ids=[i for i in ids if i]
        )
        where.append(col(Doctor.id).in_(sorted(free)))
    return where


def doctors_after(
    session: Session,
    *,
    filters: DoctorFilters,
    after: Sequence[object] | None = None,
    limit: int = 20,
    now: datetime,
) -> DoctorSlice:
    """Active doctors matching ``filters`` in its sort order, the first ``limit`` after
    the position ``after`` (a ``next_after`` of an earlier slice; None: from the start).
    ``filters.page`` is ignored."""
    limit = min(max(limit, 1), MAX_PAGE_SIZE)
    keys = _keys(filters.sort)
    where = _where(session, filters, now)
    total = session.exec(
        select(func.count(col(Doctor.id)))
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(*where)
    ).one()
    query = (
        select(Doctor, Hospital, City, *(expr.label(f"k{i}") for i, (expr, _) in enumerate(keys)))
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(*where)
    )
    if after is not None:
        query = query.where(_after(keys, _checked(after, keys)))
    rows = session.exec(query.order_by(*_order(filters.sort)).limit(limit + 1)).all()
    shown = rows[:limit]
    ratings = ratings_for(session, [d.id for d, *_ in shown if d.id is not None])
    items = tuple(
        DoctorCard(**card_fields(d, h, c, ratings.get(d.id or 0))) for d, h, c, *_ in shown
    )
    next_after: SortKey | None = tuple(shown[-1][3:]) if len(rows) > limit else None
    return DoctorSlice(items=items, total=int(total), next_after=next_after)


__all__ = ["BAD_POSITION", "DoctorSlice", "SortKey", "doctors_after"]
