"""Turn the services' dataclasses into flat rows of text for the UI, find the row the
browser chose, and read ids and form values out of event arguments (whatever the browser
sent)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from healthcareplus.core.formatting import format_count


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def to_row(item: Any, *, counts: Iterable[str] = (), **extra: str) -> dict[str, str]:
    """A dataclass (not nested deeper than lists of text) as a dict of strings; the
    ``counts`` fields it has grouped as every count is shown ("20,006")."""
    fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    row = {key: _text(value) for key, value in fields.items() if not _is_nested(value)}
    row.update({key: format_count(fields[key]) for key in counts if key in fields})
    row.update(extra)
    return row


def to_rows(items: Iterable[Any], *, counts: Iterable[str] = ()) -> list[dict[str, str]]:
    return [to_row(item, counts=counts) for item in items]


def _is_nested(value: Any) -> bool:
    if dataclasses.is_dataclass(value):
        return True
    return isinstance(value, list | tuple) and any(dataclasses.is_dataclass(v) for v in value)


def find_row(
    rows: list[dict[str, str]], key: str, value: Any, **must: str
) -> dict[str, str] | None:
    """The row whose ``key`` is ``value`` (what the browser sent) if it also has the
    ``must`` values (it may be chosen), else None."""
    match = next((row for row in rows if row[key] == value), None)
    if match is None or any(match[field] != wanted for field, wanted in must.items()):
        return None
    return match


def parse_id(value: Any) -> int | None:
    """A positive database id from a route argument or event payload, else None."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number < 2**31 else None


def last_path_id(path: str) -> int | None:
    """The id at the end of a path such as ``/doctor/42`` (dynamic route argument)."""
    return parse_id(str(path or "").rstrip("/").rsplit("/", 1)[-1])


def form_text(form_data: Any, key: str, limit: int = 300) -> str:
    """A form value as bounded text ("" when the payload is not a form or the value is
    not text)."""
    value = form_data.get(key, "") if isinstance(form_data, dict) else ""
    return value[:limit] if isinstance(value, str) else ""
