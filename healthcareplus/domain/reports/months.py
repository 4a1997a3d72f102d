"""Calendar months as the reports use them: parsed from "YYYY-MM", labelled, and turned
into the [start, end) instants of the month in the clinic's time zone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import MONTH_NAMES, to_local, utc

MIN_YEAR, MAX_YEAR = 2000, 2100
CHOOSE_A_MONTH = "Choose a month (YYYY-MM)."
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def check_month(year: int, month: int) -> tuple[int, int]:
    """``(year, month)`` as ints if it is a month the reports cover, else ``ValidationFailed``."""
    if MIN_YEAR <= int(year) <= MAX_YEAR and 1 <= int(month) <= 12:
        return int(year), int(month)
    raise ValidationFailed({"month": CHOOSE_A_MONTH})


def parse_month(text: object) -> tuple[int, int]:
    """ "2026-03" -> (2026, 3); anything else is a ``ValidationFailed``."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValidationFailed({"month": CHOOSE_A_MONTH})
    return check_month(int(match[1]), int(match[2]))


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's [start, end) instants: midnight to midnight in the clinic's zone."""
    zone = get_settings().clinic_zone
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return utc(start), utc(end)


def previous_month(now: datetime) -> tuple[int, int]:
    """Last month in clinic time (the report's default: the last complete month)."""
    first = to_local(now).date().replace(day=1)
    last_month = first - timedelta(days=1)
    return last_month.year, last_month.month


def recent_months(now: datetime, count: int = 24) -> list[tuple[str, str]]:
    """(``"YYYY-MM"``, ``"March 2026"``) for this month and the ``count - 1`` before it."""
    today = to_local(now).date()
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((f"{year:04d}-{month:02d}", month_label(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "check_month",
    "month_label",
    "month_range",
    "parse_month",
    "previous_month",
    "recent_months",
]
