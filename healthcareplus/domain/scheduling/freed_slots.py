"""The record of slots that became free, for the waitlist: one ``FreedSlot`` row per slot
let go, written in the transaction of the change that let it go (the lifecycle's
cancellations, expiries and moves, an unblocked slot), so a rolled-back change records
nothing and a committed one is never missed. The job worker reads the rows and offers the
slots to waiting patients (``domain.booking.waitlist_offers``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from healthcareplus.core.db import table_of
from healthcareplus.core.formatting import utc
from healthcareplus.core.waitlist_models import FreedSlot

_FREED = table_of(FreedSlot)


def record_freed_slots(
    session: Session, slots: Iterable[tuple[int, datetime]], *, now: datetime
) -> int:
    """One INSERT of a row per (doctor_id, start_at) freed at ``now``; returns how many."""
    rows = [
        {"doctor_id": doctor_id, "start_at": utc(start_at), "freed_at": utc(now)}
        for doctor_id, start_at in slots
    ]
    if rows:
        session.execute(insert(_FREED), rows)
    return len(rows)


def record_freed_slot(
    session: Session, *, doctor_id: int, start_at: datetime, now: datetime
) -> None:
    """``record_freed_slots`` for one slot."""
    record_freed_slots(session, [(doctor_id, start_at)], now=now)


__all__ = ["record_freed_slot", "record_freed_slots"]
