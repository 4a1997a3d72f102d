"""Lists shown a page at a time: where a page sits in its result, and fetching it in SQL.

A page number from a form or URL is never trusted: ``paging`` clamps it into the result
(junk means page 1, past the end means the last page). Nor is a sort: ``ordering`` takes
only the keys a list offers ("name" ascending, "-name" descending), else its default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlmodel import Session

T = TypeVar("T")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Paging:
    """Where one page sits in a result: 1-based positions, clamped to the last page."""

    total: int
    page: int
    pages: int
    page_size: int
    has_prev: bool
    has_next: bool
    first_item: int  # 0 when empty
    last_item: int


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and where it sits."""

    items: tuple[T, ...]
    paging: Paging


def paging(
    total: int, page: Any, page_size: int = PAGE_SIZE, *, max_size: int = MAX_PAGE_SIZE
) -> Paging:
    """Clamp ``page`` (anything; junk means page 1) into the result and ``page_size`` to
    ``max_size``; ``offset_of`` follows."""
    size = min(max(int(page_size), 1), max_size)
    pages = max(1, math.ceil(total / size))
    number = page if type(page) is int else 1
    number = min(max(number, 1), pages, MAX_PAGE)
    first = (number - 1) * size + 1 if total else 0
    last = min(number * size, total) if total else 0
    return Paging(total, number, pages, size, number > 1, number < pages, first, last)


def ordering(sort: object, columns: Mapping[str, Any], default: str) -> tuple[str, Any]:
    """(the sort applied, its ORDER BY clause): ``sort`` when it names one of ``columns``
    ("key" ascending, "-key" descending), else ``default``. Callers add a unique column
    after it, so that pages never overlap."""
    chosen = sort if isinstance(sort, str) and sort.removeprefix("-") in columns else default
    column = columns[chosen.removeprefix("-")]
    return chosen, column.desc() if chosen.startswith("-") else column.asc()


def offset_of(p: Paging) -> int:
    return (p.page - 1) * p.page_size


def fetch_page(
    session: Session,
    query: Any,
    *,
    count: Any,
    page: Any,
    page_size: int = PAGE_SIZE,
    max_size: int = MAX_PAGE_SIZE,
) -> tuple[Sequence[Any], Paging]:
    """The rows of ``query`` on the requested page and where they sit; ``count`` is the
    query counting the whole result (same conditions, no order)."""
    p = paging(int(session.exec(count).one()), page, page_size, max_size=max_size)
    return session.exec(query.limit(p.page_size).offset(offset_of(p))).all(), p


__all__ = [
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "Page",
    "Paging",
    "fetch_page",
    "offset_of",
    "ordering",
    "paging",
]
