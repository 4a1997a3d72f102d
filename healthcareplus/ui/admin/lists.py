"""Plain helpers shared by the admin list states (doctors, patients, cities, hospitals,
admins): bounded form values, page arguments, search filters and list results as rows.

No state classes here: each admin state keeps its own admin-only handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from healthcareplus.domain.accounts.admins import Paging
from healthcareplus.ui.patient.account_state import _text
from healthcareplus.ui.shared.rows import to_row, to_rows

QUERY_LIMIT = 100


class ListPage(Protocol):
    """A service's page of a list: its rows and the paging facts."""

    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def paging(self) -> Paging: ...


def form_values(form_data: Any, keys: tuple[str, ...], limit: int = 2000) -> dict[str, str]:
    """Bounded text for each expected key of a submitted form (missing or odd -> "")."""
    return {key: _text(form_data, key, limit) for key in keys}


def page_arg(value: Any) -> int:
    """A page number from an event argument or URL (junk -> 1; the service clamps)."""
    if type(value) is int:
        return value
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 6 else 1


def pager_row(paging: Paging) -> dict[str, str]:
    """The paging facts as text, with the neighbouring page numbers for the buttons."""
    return to_row(paging, prev=str(paging.page - 1), next=str(paging.page + 1))


def clean_query(value: Any) -> str:
    """A search box value from a form or URL (anything but text -> "")."""
    return value.strip()[:QUERY_LIMIT] if isinstance(value, str) else ""


def clean_status(value: Any, allowed: tuple[str, ...]) -> str:
    """A status filter that must be one of ``allowed`` (anything else -> "all")."""
    return value if value in allowed else "all"


def list_rows(result: ListPage) -> tuple[list[dict[str, str]], dict[str, str], int]:
    """A service list page as (row dicts, pager row, the page number actually shown)."""
    return to_rows(result.items), pager_row(result.paging), result.paging.page
