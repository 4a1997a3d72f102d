from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from healthcareplus.core.formatting import (
    abbreviate,
    format_clock,
    format_count,
    format_local_date,
    format_local_time,
    format_rupees,
    initials,
    short_number,
    short_rupees,
)

IST = ZoneInfo("Asia/Kolkata")


@pytest.mark.parametrize(
    ("paise", "text"),
    [
        (0, "₹0"),
        (100, "₹1"),
        (80_000, "₹800"),
        (100_000, "₹1,000"),
        (250_000, "₹2,500"),
        (12_345_600, "₹1,23,456"),
        (1_234_567_800, "₹1,23,45,678"),
        (10_000_000_000, "₹10,00,00,000"),
        (250_050, "₹2,500.50"),
        (5, "₹0.05"),
        (-250_000, "-₹2,500"),
    ],
)
def test_format_rupees_uses_indian_grouping(paise, text):
    assert format_rupees(paise) == text


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Dr. Rajesh Kumar", "RK"),
        ("Dr Rajesh Kumar", "RK"),
        ("dr. priya", "P"),
        ("Dr.Anil Mehta", "AM"),
        ("Dr. A. P. J. Abdul Kalam", "AK"),
        ("Priya Sharma", "PS"),
        ("  kavita   iyer ", "KI"),
        ("Madonna", "M"),
        ("", ""),
    ],
)
def test_initials_skip_titles(name, letters):
    assert initials(name) == letters


def test_format_local_time_converts_to_the_clinic_zone():
    instant = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    assert format_local_time(instant, IST) == "09:30 AM"
    assert format_local_time(datetime(2026, 11, 23, 6, 30, tzinfo=UTC), IST) == "12:00 PM"
    assert format_local_time(datetime(2026, 11, 22, 18, 30, tzinfo=UTC), IST) == "12:00 AM"
    assert format_local_time(datetime(2026, 11, 23, 12, 45, tzinfo=UTC), IST) == "06:15 PM"
    assert format_local_time(instant) == "09:30 AM"  # default zone: Asia/Kolkata


def test_format_local_date():
    # 20:00 UTC on the 22nd is already Monday the 23rd in Kolkata.
    assert format_local_date(datetime(2026, 11, 22, 20, 0, tzinfo=UTC), IST) == "Mon, 23 Nov 2026"
    assert format_local_date(date(2026, 1, 4)) == "Sun, 04 Jan 2026"


def test_format_clock_and_naive_instants():
    assert format_clock(time(0, 5)) == "12:05 AM"
    assert format_clock(time(13, 0)) == "01:00 PM"
    with pytest.raises(ValueError):
        format_local_time(datetime(2026, 11, 23, 9, 30))


@pytest.mark.parametrize(
    ("number", "text"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (20006, "20,006"), (2000600, "20,00,600"),
     (-1234, "-1,234")],
)  # fmt: skip
def test_format_count_groups_like_rupees(number: int, text: str) -> None:
    assert format_count(number) == text


@pytest.mark.parametrize(
    ("number", "text"),
    [(99_999, "99,999"), (100_000, "1 L"), (123_456, "1.23 L"), (10_000_000, "1 Cr"),
     (102_345_678, "10.23 Cr"), (-150_000, "-1.5 L")],
)  # fmt: skip
def test_short_number_uses_lakh_and_crore(number: int, text: str) -> None:
    assert short_number(number) == text


def test_short_rupees_and_abbreviate() -> None:
    assert short_rupees(410_000) == "₹4,100"
    assert short_rupees(125_000_000) == "₹12.5 L"
    assert short_rupees(-15_000_000) == "-₹1.5 L"
    assert abbreviate("Manipal Hospital Old Airport Road", 22) == "Manipal Hospital Old…"
    assert abbreviate("Apollo", 22) == "Apollo"
    assert len(abbreviate("Supercalifragilisticexpialidocious", 10)) == 10
