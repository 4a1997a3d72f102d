"""Searching by what someone typed in a search box: the text, bounded and in one case, and
the SQL conditions that match it (escaped: ``%`` and ``_`` are plain characters)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import col


def search_text(value: object, *, max_length: int = 100) -> str:
    """The typed text with its white space collapsed, lower case, at most ``max_length``."""
    return " ".join(str(value or "").split())[:max_length].lower()


def search_terms(value: object, *, max_terms: int) -> list[str]:
    """The first ``max_terms`` words of ``search_text(value)``."""
    return search_text(value).split()[:max_terms]


def contains_any(text: str, *columns: Any) -> ColumnElement[bool]:
    """One of ``columns`` contains ``text`` (lower case), in any case."""
    return or_(*(func.lower(column).contains(text, autoescape=True) for column in columns))


def flag_is(column: Any, wanted: bool | None) -> list[ColumnElement[bool]]:
    """``column IS wanted`` for a yes/no filter; nothing when it asks for all (None)."""
    return [] if wanted is None else [col(column).is_(wanted)]


__all__ = ["contains_any", "flag_is", "search_terms", "search_text"]
