"""The wizard's row helpers: the date strip's counts and badges, parts of the day in
clinic time, the ``?start=`` parser, and the chips' day names and links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from healthcareplus.core import routes
from healthcareplus.core.formatting import relative_day
from healthcareplus.domain.scheduling.availability import (
    BADGE_ALMOST_FULL,
    BADGE_AVAILABLE,
    BADGE_FILLING_FAST,
    BADGE_FULL,
    BADGE_NOT_AVAILABLE,
    DayAvailability,
    Slot,
)
from healthcareplus.ui.patient.booking_slots import (
    day_rows,
    parse_start,
    period_of,
    period_rows,
    slot_rows,
)
from tests.factories import local

MONDAY = date(2026, 11, 23)


def day(total: int, taken: int, free: int, badge: str, on: date = MONDAY) -> DayAvailability:
    return DayAvailability(
        date=on,
        iso=on.isoformat(),
        weekday_label="Mon",
        day_label="23 Nov",
        date_label="Mon, 23 Nov 2026",
        total=total,
        taken=taken,
        free=free,
        badge=badge,
        bookable=free > 0,
    )


@pytest.mark.parametrize(
    ("availability", "count", "fill"),
    [
        (day(16, 0, 16, BADGE_AVAILABLE), "16 free", ""),
        (day(16, 9, 7, BADGE_FILLING_FAST), "7 free", BADGE_FILLING_FAST),
        (day(16, 13, 3, BADGE_ALMOST_FULL), "3 free", BADGE_ALMOST_FULL),
        (day(16, 16, 0, BADGE_FULL), "Full", ""),
        (day(0, 0, 0, BADGE_NOT_AVAILABLE), "Off", ""),  # no hours, or time off all day
        (day(16, 2, 0, BADGE_NOT_AVAILABLE), "Closed", ""),  # the rest has gone by
    ],
)
def test_each_day_says_how_many_slots_are_free(availability, count, fill) -> None:
    [row] = day_rows([availability])
    assert (row["count_label"], row["fill"], row["bookable"]) == (
        count,
        fill,
        "true" if availability.free else "false",
    )
    assert row["name"] == f"Mon, 23 Nov 2026: {count}" + (f", {fill}" if fill else "")
    assert row["month"] == "November 2026"
    assert day_rows([day(1, 0, 1, BADGE_AVAILABLE, date(2027, 1, 4))])[0]["month"] == (
        "January 2027"
    )


def slot_at(hhmm: str, state: str = "free") -> Slot:
    start = local(MONDAY, hhmm)
    return Slot(start, start + timedelta(minutes=15), MONDAY, hhmm, state)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hhmm", "period"),
    [
        ("00:00", "Morning"),
        ("11:59", "Morning"),
        ("12:00", "Afternoon"),
        ("16:59", "Afternoon"),
        ("17:00", "Evening"),
        ("23:45", "Evening"),
    ],
)
def test_parts_of_the_day_in_clinic_time(hhmm: str, period: str) -> None:
    assert period_of(slot_at(hhmm)) == period  # 12:00 IST is 06:30 UTC: clinic time counts


def test_periods_list_only_parts_with_slots_and_their_free_counts() -> None:
    rows = slot_rows(
        [
            slot_at("08:45", "past"),  # gone by, or within the notice: not offered
            slot_at("09:00"),
            slot_at("09:15", "taken"),
            slot_at("18:00", "blocked"),
        ],
        "Mon, 23 Nov 2026",
    )
    assert [(r["period"], r["note"]) for r in rows] == [
        ("Morning", ""),
        ("Morning", "Booked"),
        ("Evening", "Blocked"),
    ]
    assert rows[0]["name"] == "Mon, 23 Nov 2026 at 09:00"
    assert period_rows(rows) == [
        {"name": "Morning", "free": "1 free"},
        {"name": "Evening", "free": "none free"},
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-23T03:30:00Z", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        ("2026-11-23T03:30Z", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        ("2026-11-23T09:00:00+05:30", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        ("2026-11-23T09:00:00 05:30", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        ("2026-11-23T03:30:00+00:00", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        (" 2026-11-23T03:30:00Z ", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        (None, None),
        ("", None),
        (20261123, None),
        (["2026-11-23T03:30:00Z"], None),
        ("2026-11-23T09:00:00", None),  # no zone
        ("2026-11-23", None),
        ("2026-02-30T09:00:00Z", None),
        ("2026-11-23T25:00:00Z", None),
        ("9999-12-31T23:59:59Z", None),  # its clinic day is past the calendar's end
        ("0001-01-01T00:00:00+05:30", None),  # before its start
        ("2026-11-23T03:30:00.000Z", None),
        ("2026-11-23T03:30:00Z\n", datetime(2026, 11, 23, 3, 30, tzinfo=UTC)),
        ("2026-11-23T03:30:00Zjunk", None),
        ("٢٠٢٦-11-23T03:30:00Z", None),  # other digits
    ],
)
def test_parse_start(raw: object, expected: datetime | None) -> None:
    assert parse_start(raw) == expected


def test_chip_days_and_links() -> None:
    assert relative_day(MONDAY, MONDAY) == "Today"
    assert relative_day(MONDAY + timedelta(days=1), MONDAY) == "Tomorrow"
    assert relative_day(MONDAY + timedelta(days=7), MONDAY) == "Mon 30 Nov"
    assert relative_day(MONDAY - timedelta(days=1), MONDAY) == "Sun 22 Nov"
    start = local(MONDAY, "09:00")
    assert routes.slot_param(start) == "2026-11-23T03:30:00Z"
    assert routes.book_slot_url(7, start) == "/book/7?start=2026-11-23T03:30:00Z"
    assert parse_start(routes.slot_param(start)) == start
