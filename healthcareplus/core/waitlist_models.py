"""The waitlist (re-exported by ``models``): patients waiting for a doctor's freed slots,
the slots freed, and the offers made from them.

``FreedSlot`` is an outbox: the lifecycle writes a row in the transaction of every change
that lets go of a slot (a cancellation, an expired hold, a move away, an unblocked slot);
the job worker turns the rows into offers (``domain.booking.waitlist_offers``).

The database keeps offers honest: an offer's hold is a pending appointment (so the slot
index keeps everyone else off the slot), and partial unique indexes allow one open offer
per slot, per waitlist entry and per patient, so two workers offering two freed slots to
one waiter at once end with one offer, never two holds.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column, utcnow

MAX_RANGE_DAYS = 14


class EntryStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"  # the patient left the waitlist
    BOOKED = "booked"  # the patient accepted an offer
    ENDED = "ended"  # its last day is past


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"  # not answered in time, or its hold ended another way


OPEN_SQL = "status = 'open'"
ACTIVE_SQL = "status = 'active'"


class WaitlistEntry(SQLModel, table=True):
    """A patient waiting for a free slot of one doctor between two clinic days."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint("from_day <= to_day", name="ck_waitlist_entries_range"),
        # The waiters of a doctor, first come first served (the worker's and the count's).
        Index(
            "ix_waitlist_entries_doctor_active",
            "doctor_id",
            "joined_at",
            sqlite_where=text(ACTIVE_SQL),
            postgresql_where=text(ACTIVE_SQL),
        ),
        Index("ix_waitlist_entries_patient_status", "patient_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="users.id")
    doctor_id: int = Field(foreign_key="doctors.id")
    from_day: date
    to_day: date
    status: str = Field(default=EntryStatus.ACTIVE.value, max_length=10)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=instant_column(nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=instant_column())


class FreedSlot(SQLModel, table=True):
    """A slot that became free (written with the change that freed it)."""

    __tablename__ = "freed_slots"
    __table_args__ = (
        Index(
            "ix_freed_slots_unhandled",
            "id",
            sqlite_where=text("handled_at IS NULL"),
            postgresql_where=text("handled_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key="doctors.id")
    start_at: datetime = Field(sa_column=instant_column(nullable=False))
    freed_at: datetime = Field(default_factory=utcnow, sa_column=instant_column(nullable=False))
    handled_at: datetime | None = Field(default=None, sa_column=instant_column())


class SlotOffer(SQLModel, table=True):
    """A freed slot offered to one waiter, held for them by a pending appointment."""

    __tablename__ = "slot_offers"
    __table_args__ = (
        Index(
            "uq_slot_offers_open_slot",
            "doctor_id",
            "start_at",
            unique=True,
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
        Index(
            "uq_slot_offers_open_entry",
            "entry_id",
            unique=True,
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
        Index(
            "uq_slot_offers_open_patient",
            "patient_id",
            unique=True,
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
        Index("ix_slot_offers_entry_slot", "entry_id", "doctor_id", "start_at"),
        Index("ix_slot_offers_status_expires", "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="waitlist_entries.id")
    patient_id: int = Field(foreign_key="users.id")
    doctor_id: int = Field(foreign_key="doctors.id")
    start_at: datetime = Field(sa_column=instant_column(nullable=False))
    appointment_id: str = Field(foreign_key="appointments.id", max_length=36)
    status: str = Field(default=OfferStatus.OPEN.value, max_length=10)
    offered_at: datetime = Field(default_factory=utcnow, sa_column=instant_column(nullable=False))
    expires_at: datetime = Field(sa_column=instant_column(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=instant_column())


__all__ = [
    "MAX_RANGE_DAYS",
    "EntryStatus",
    "FreedSlot",
    "OfferStatus",
    "SlotOffer",
    "WaitlistEntry",
]
