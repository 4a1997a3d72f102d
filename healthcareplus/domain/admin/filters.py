"""The admin's appointment filters, shared by the dashboard, its table and the exports.

Built from URL query parameters (so a filtered view can be shared and reloaded) and turned
into SQL conditions on ``appointments`` (indexed columns only; the city filter goes
through the hospital).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select, true
from sqlmodel import col

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import Appointment, AppointmentStatus, Hospital, PaymentStatus
from healthcareplus.core.validation import within_clinic_days

STATUSES = tuple(s.value for s in AppointmentStatus)
PAYMENT_STATUSES = tuple(s.value for s in PaymentStatus)
SORTS = ("start_desc", "start_asc", "booked_desc", "fee_desc")
DEFAULT_SORT = "start_desc"
MAX_PAGE = 100_000
_INT = re.compile(r"\d{1,9}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


FilterSQL = Callable[[Any], ColumnElement[bool]]


def where_set(filters: object, conditions: Mapping[str, FilterSQL]) -> list[ColumnElement[bool]]:
    """The condition for each filter of ``filters`` that is set (by attribute name), made
    from its value."""
    return [make(value) for name, make in conditions.items() if (value := getattr(filters, name))]


def hospitals_in(city_id: int) -> Any:
    """The ids of the city's hospitals (a subquery)."""
    return select(col(Hospital.id)).where(col(Hospital.city_id) == city_id)


def _first(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) else ""


def _id(params: Mapping[str, Any], key: str) -> int | None:
    raw = _first(params, key)
    return int(raw) if _INT.fullmatch(raw) and int(raw) > 0 else None


def _day(params: Mapping[str, Any], key: str) -> date | None:
    raw = _first(params, key)
    if not _DATE.fullmatch(raw):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if within_clinic_days(day) else None


@dataclass(frozen=True)
class AdminFilters:
    doctor_id: int | None = None
    hospital_id: int | None = None
    city_id: int | None = None
    date_from: date | None = None  # clinic dates, inclusive
    date_to: date | None = None
    status: str = ""
    payment_status: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            object.__setattr__(self, "status", "")
        if self.payment_status not in PAYMENT_STATUSES:
            object.__setattr__(self, "payment_status", "")
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", DEFAULT_SORT)
        object.__setattr__(self, "page", min(max(int(self.page), 1), MAX_PAGE))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            first, last = self.date_to, self.date_from  # a range given backwards
            object.__setattr__(self, "date_from", first)
            object.__setattr__(self, "date_to", last)

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> AdminFilters:
        """Parse URL parameters; anything malformed (a date outside 2000..2100 too) is
        ignored, never raised.

        ``date`` alone means that one day; ``from``/``to`` give a range."""
        single = _day(params, "date")
        raw_page = _first(params, "page")
        return cls(
            doctor_id=_id(params, "doctor"),
            hospital_id=_id(params, "hospital"),
            city_id=_id(params, "city"),
            date_from=single or _day(params, "from"),
            date_to=single or _day(params, "to"),
            status=_first(params, "status"),
            payment_status=_first(params, "payment"),
            sort=_first(params, "sort") or DEFAULT_SORT,
            page=int(raw_page) if _INT.fullmatch(raw_page) else 1,
        )

    def to_query(self) -> dict[str, str]:
        """Only non-default values, so shared links stay short; round-trips from_query."""
        pairs: list[tuple[str, object]] = [
            ("doctor", self.doctor_id),
            ("hospital", self.hospital_id),
            ("city", self.city_id),
        ]
        if self.date_from and self.date_from == self.date_to:
            pairs.append(("date", self.date_from.isoformat()))
        else:
            pairs.append(("from", self.date_from.isoformat() if self.date_from else None))
            pairs.append(("to", self.date_to.isoformat() if self.date_to else None))
        pairs += [
            ("status", self.status or None),
            ("payment", self.payment_status or None),
            ("sort", self.sort if self.sort != DEFAULT_SORT else None),
            ("page", self.page if self.page != 1 else None),
        ]
        return {key: str(value) for key, value in pairs if value is not None}

    def with_page(self, page: int) -> AdminFilters:
        return replace(self, page=page)

    def without_page(self) -> AdminFilters:
        return replace(self, page=1)

    def instant_range(self) -> tuple[datetime | None, datetime | None]:
        """The [start, end) instants of the date filter, in UTC terms of the clinic zone."""
        zone = get_settings().clinic_zone
        start = datetime.combine(self.date_from, time(0), tzinfo=zone) if self.date_from else None
        end = (
            datetime.combine(self.date_to + timedelta(days=1), time(0), tzinfo=zone)
            if self.date_to
            else None
        )
        return start, end

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on ``Appointment`` for every filter that is set."""
        out = where_set(
            self,
            {
                "doctor_id": lambda v: col(Appointment.doctor_id) == v,
                "hospital_id": lambda v: col(Appointment.hospital_id) == v,
                "city_id": lambda v: col(Appointment.hospital_id).in_(hospitals_in(v)),
                "status": lambda v: col(Appointment.status) == v,
                "payment_status": lambda v: col(Appointment.payment_status) == v,
            },
        )
        start, end = self.instant_range()
        if start:
            out.append(col(Appointment.start_at) >= start)
        if end:
            out.append(col(Appointment.start_at) < end)
        return out

    def where(self) -> ColumnElement[bool]:
        conditions = self.conditions()
        return and_(*conditions) if conditions else true()
