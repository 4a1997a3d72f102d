"""The booking wizard's date strip and slot rows (plain functions, no state): each day
with its free-slot count ("16 free", "Full", "Off") and fill badge, each slot with its
part of the day (Morning, Afternoon, Evening, in clinic time), and the slot a link asks
for (``/book/<id>?start=…``), read without trusting it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from healthcareplus.core import i18n
from healthcareplus.core.formatting import MONTH_NAMES, to_local
from healthcareplus.core.i18n import N_, gettext, translate
from healthcareplus.domain.scheduling.availability import (
    BADGE_ALMOST_FULL,
    BADGE_FILLING_FAST,
    BADGE_FULL,
    DayAvailability,
    Slot,
)
from healthcareplus.ui.shared.rows import to_row

Rows = list[dict[str, str]]

# (name, the clinic-local hour it ends at): before 12:00, 12:00-17:00, from 17:00.
PERIODS = (("Morning", 12), ("Afternoon", 17), ("Evening", 24))
FILL_BADGES = (BADGE_FILLING_FAST, BADGE_ALMOST_FULL)
SLOT_NOTES = {"taken": N_("Booked"), "blocked": N_("Blocked")}
# An instant as the wizard's links write it ("2026-11-23T03:30:00Z") or with an offset;
# a "+" sent unescaped in a query arrives as a space.
_START = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+ -]\d{2}:\d{2})", re.ASCII)


def _count_label(day: DayAvailability) -> str:
    if day.free:
        return translate("{count} free", None, count=day.free)
    if day.total == 0:
        return gettext("Off")  # no working hours, or time off all day
    # taken, or all gone by
    return gettext("Full") if day.badge == BADGE_FULL else gettext("Closed")


def day_rows(days: Iterable[DayAvailability]) -> Rows:
    """The date strip: each day's row with ``count_label``, ``fill`` (the fill badge or
    ""), ``month`` ("November 2026") and ``name`` (its accessible name)."""
    rows = []
    for day in days:
        count = _count_label(day)
        fill = day.badge if day.badge in FILL_BADGES else ""
        name = f"{day.date_label}: {count}" + (f", {gettext(fill)}" if fill else "")
        month = (
            f"{MONTH_NAMES[day.date.month - 1]} {day.date.year}"
            if i18n.current_language() == i18n.ENGLISH
            else i18n.day_label(day.date, "MMMM y")
        )
        rows.append(to_row(day, count_label=count, fill=fill, month=month, name=name))
    return rows


def period_of(slot: Slot) -> str:
    hour = to_local(slot.start_at).hour
    return next(name for name, ends in PERIODS if hour < ends)


def slot_rows(slots: Sequence[Slot], date_label: str) -> Rows:
    """A day's slots still ahead (gone by, or within the notice: not shown) in time
    order: ``start`` (ISO, UTC), ``label``, ``state``, ``period``, ``note`` ("Booked",
    "Blocked", or "" when free) and ``name``, the accessible name ("Mon, 23 Nov 2026 at
    09:30 AM", with the note when not free)."""
    rows = []
    for s in slots:
        if s.state == "past":
            continue
        note = gettext(SLOT_NOTES[s.state]) if s.state in SLOT_NOTES else ""
        rows.append(
            {
                "start": s.start_at.isoformat(),
                "label": s.label,
                "state": s.state,
                "period": period_of(s),
                "note": note,
                "name": translate("{date} at {time}", None, date=date_label, time=s.label)
                + (f", {note.lower()}" if note else ""),
            }
        )
    return rows


def period_rows(slots: Rows) -> Rows:
    """The parts of the day that have slots, in order, each with its free count."""
    rows = []
    for name, _ends in PERIODS:
        states = [s["state"] for s in slots if s["period"] == name]
        if states:
            free = states.count("free")
            rows.append(
                {
                    "name": name,
                    "free": translate("{count} free", None, count=free)
                    if free
                    else gettext("none free"),
                }
            )
    return rows


def first_bookable(days: Rows) -> dict[str, str] | None:
    return next((d for d in days if d["bookable"] == "true"), None)


def parse_start(raw: object) -> datetime | None:
    """The instant a ``?start=`` value names (aware, UTC), or None for anything else."""
    if not isinstance(raw, str) or not _START.fullmatch(raw.strip()):
        return None
    text = raw.strip()
    text = text[:-6] + "+" + text[-5:] if text[-6] == " " else text
    try:
        instant = datetime.fromisoformat(text).astimezone(UTC)
        to_local(instant)  # its clinic day exists (not past the calendar's ends)
    except (ValueError, OverflowError):
        return None
    return instant


def clinic_day_iso(instant: datetime) -> str:
    return to_local(instant).date().isoformat()


def free_slot_at(slots: Rows, instant: datetime) -> dict[str, str] | None:
    """The free slot of ``slots`` that starts at ``instant``, if any."""
    return next(
        (
            s
            for s in slots
            if s["state"] == "free" and datetime.fromisoformat(s["start"]) == instant
        ),
        None,
    )
