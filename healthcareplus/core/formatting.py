"""Display helpers shared by services and pages: money, names, clinic-local times.

Month and day names are spelled out here rather than taken from ``strftime`` so the output
never depends on the server's locale. For a reader of another language (``i18n``'s current
language, e.g. Hindi) dates, times and amounts come from Babel's hi_IN locale instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from healthcareplus.core import i18n
from healthcareplus.core.config import get_settings

RUPEE = "₹"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TITLES = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms."})


def _indian_grouping(number: int) -> str:
    """1234567 -> "12,34,567": the last three digits, then groups of two."""
    digits = str(number)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def format_count(number: int) -> str:
    """A count as the app shows every count: Indian digit grouping, 2000600 -> "20,00,600"."""
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.number(int(number))
    sign = "-" if number < 0 else ""
    return f"{sign}{_indian_grouping(abs(int(number)))}"


_LAKH, _CRORE = 100_000, 10_000_000


def short_number(number: int) -> str:
    """A number in Indian short form where it is long: "99,999", "1.2 L", "3.45 Cr" (lakh,
    crore), for chart labels that must not be cut off."""
    sign, n = ("-" if number < 0 else ""), abs(int(number))
    for size, unit in ((_CRORE, "Cr"), (_LAKH, "L")):
        if n >= size:
            return f"{sign}{f'{n / size:.2f}'.rstrip('0').rstrip('.')} {unit}"
    return f"{sign}{_indian_grouping(n)}"


def short_rupees(paise: int) -> str:
    """Whole rupees in Indian short form: "₹4,100", "₹12.5 L", "₹1.02 Cr"."""
    text = short_number(int(paise) // 100 if paise >= 0 else -(-int(paise) // 100))
    return f"-{RUPEE}{text[1:]}" if text.startswith("-") else f"{RUPEE}{text}"


def abbreviate(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return f"{cut.rstrip(' ,-')}…"


def format_rupees(paise: int) -> str:
    """Integer paise as rupees with Indian digit grouping: 12345600 -> "₹1,23,456".

    Whole rupees show no decimals; otherwise two decimals ("₹2,500.50").
    """
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.money(int(paise))
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), 100)
    text = f"{sign}{RUPEE}{_indian_grouping(rupees)}"
    return f"{text}.{rest:02d}" if rest else text


def initials(name: str) -> str:
    """Avatar letters: "Dr. Rajesh Kumar" -> "RK" (titles skipped, first and last word)."""
    words = [w for w in name.replace(".", ". ").split() if w.strip(".")]
    while len(words) > 1 and words[0].lower() in _TITLES:
        words = words[1:]
    if not words:
        return ""
    letters = [words[0], words[-1]] if len(words) > 1 else [words[0]]
    return "".join(w.strip(".")[0].upper() for w in letters)


def _zone(zone: ZoneInfo | None) -> ZoneInfo:
    return zone or get_settings().clinic_zone


def format_clock(value: time | datetime) -> str:
    """A wall-clock time as "09:30 AM" (12-hour, zero-padded)."""
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.clock(time(value.hour, value.minute))
    hour12 = value.hour % 12 or 12
    suffix = "AM" if value.hour < 12 else "PM"
    return f"{hour12:02d}:{value.minute:02d} {suffix}"


def to_local(dt_utc: datetime, zone: ZoneInfo | None = None) -> datetime:
    """An aware instant in the clinic zone (naive input is refused: it has no zone)."""
    if dt_utc.tzinfo is None:
        raise ValueError("naive datetime; pass an aware UTC instant")
    return dt_utc.astimezone(_zone(zone))


def format_local_time(dt_utc: datetime, zone: ZoneInfo | None = None) -> str:
    """The clinic-local time of an instant, e.g. "09:30 AM"."""
    return format_clock(to_local(dt_utc, zone))


def format_date(day: date) -> str:
    """ "Mon, 23 Nov 2026"."""
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.day_label(day, "EEE, dd MMM y")
    return f"{_WEEKDAYS[day.weekday()]}, {day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def format_local_date(value: datetime | date, zone: ZoneInfo | None = None) -> str:
    """The clinic-local date of an instant (or a plain date) as "Mon, 23 Nov 2026"."""
    if isinstance(value, datetime):
        value = to_local(value, zone).date()
    return format_date(value)


def when_labels(dt_utc: datetime, zone: ZoneInfo | None = None) -> dict[str, str]:
    """A visit's start as lists show it: ``date_label`` "Mon, 23 Nov 2026" and
    ``time_label`` "09:30 AM", clinic time."""
    return {
        "date_label": format_local_date(dt_utc, zone),
        "time_label": format_local_time(dt_utc, zone),
    }


def weekday_short(day: date) -> str:
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.day_label(day, "EEE")
    return _WEEKDAYS[day.weekday()]


def format_day_month(day: date) -> str:
    """ "23 Nov"."""
    if i18n.current_language() != i18n.ENGLISH:
        return i18n.day_label(day, "dd MMM")
    return f"{day.day:02d} {_MONTHS[day.month - 1]}"


def relative_day(day: date, today: date) -> str:
    """ "Today", "Tomorrow", else "Mon 30 Nov" (a day near ``today``, as chips name it)."""
    if day == today:
        return i18n.gettext("Today")
    if day == today + timedelta(days=1):
        return i18n.gettext("Tomorrow")
    return f"{weekday_short(day)} {format_day_month(day)}"


def clinic_today(now: datetime, zone: ZoneInfo | None = None) -> date:
    """Today's date in the clinic zone."""
    return to_local(now, zone).date()


def utc(dt: datetime) -> datetime:
    """An aware instant normalised to UTC."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime; pass an aware instant")
    return dt.astimezone(UTC)
