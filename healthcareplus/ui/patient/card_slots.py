"""What the doctor cards show of each doctor's next free slots, as rows of text: each
doctor's row gains ``next_day`` ("Today", "Tomorrow", "Mon 30 Nov"; "" when nothing is
free), and the chips go by doctor id, each a link to the wizard with that slot chosen.

One call for a whole page of doctors (``next_free_slots_by_doctor``: at most three
statements, whatever the number of doctors).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.formatting import clinic_today, relative_day
from healthcareplus.domain.catalog.search import DoctorCard
from healthcareplus.domain.scheduling.next_slots import next_free_slots_by_doctor
from healthcareplus.domain.scheduling.slots import Slot
from healthcareplus.ui.shared.rows import to_row

CARD_SLOTS = 3

Rows = list[dict[str, str]]


def slot_chip(doctor_id: int, doctor_name: str, slot: Slot, today: date) -> dict[str, str]:
    """One chip: the slot's time, its day as chips name it, the wizard's link at that
    slot and the accessible name ("Book Dr. Asha Rao, Today at 09:30 AM")."""
    day = relative_day(slot.local_date, today)
    return {
        "start": routes.slot_param(slot.start_at),
        "label": slot.label,
        "day": day,
        "href": routes.book_slot_url(doctor_id, slot.start_at),
        "name": f"Book {doctor_name}, {day} at {slot.label}",
    }


def cards_with_slots(
    db: Session, doctors: Sequence[DoctorCard], *, now: datetime
) -> tuple[Rows, dict[str, Rows]]:
    """The doctors as card rows, and the chips of each by doctor id (every doctor has an
    entry, empty when nothing is free)."""
    found = next_free_slots_by_doctor(
        db, doctor_ids=[d.id for d in doctors], now=now, per_doctor=CARD_SLOTS
    )
    today = clinic_today(now)
    rows: Rows = []
    chips: dict[str, Rows] = {}
    for doctor in doctors:
        first = found.get(doctor.id)
        rows.append(to_row(doctor, next_day=relative_day(first.day, today) if first else ""))
        chips[str(doctor.id)] = [
            slot_chip(doctor.id, doctor.name, slot, today)
            for slot in (first.slots if first else ())
        ]
    return rows, chips
