"""The appointment counters (re-exported by ``models``): how many appointments, and their
fees, per clinic day, doctor, hospital, status, payment status and payment method.

Each appointment is counted once in every *grain* (a level of detail); the dashboard reads
the smallest grain that answers a question instead of scanning the appointments, so its
cost follows the number of doctors, hospitals and days shown, not the length of history.
``domain.scheduling.tallies`` keeps them exact in the transaction of every change and can
rebuild and check them against a full recount.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

# The day of the grains that span all time (a real clinic day is never this early).
ALL_DAYS = date(1, 1, 1)
EVERY = 0  # doctor_id / hospital_id of a grain that does not split by them


class Grain(IntEnum):
    """A level of detail. ``doctor_id``/``hospital_id``/``day`` hold ``EVERY``/``ALL_DAYS``
    where the grain does not split by them; the doctor grains also keep the hospital."""

    DAY_DOCTOR = 1
    DAY_HOSPITAL = 2
    DAY = 3
    DOCTOR = 4
    HOSPITAL = 5
    TOTAL = 6


PER_DAY = frozenset({Grain.DAY_DOCTOR, Grain.DAY_HOSPITAL, Grain.DAY})
BY_DOCTOR = frozenset({Grain.DAY_DOCTOR, Grain.DOCTOR})
BY_HOSPITAL = frozenset({Grain.DAY_HOSPITAL, Grain.HOSPITAL}) | BY_DOCTOR
TALLY_KEY = (
    "grain",
    "doctor_id",
    "hospital_id",
    "day",
    "status",
    "payment_status",
    "payment_method",
)


class AppointmentTally(SQLModel, table=True):
    __tablename__ = "appointment_tallies"
    __table_args__ = (
        Index("uq_appointment_tallies_key", *TALLY_KEY, unique=True),
        # The per-day grains over a date range, across doctors or hospitals.
        Index("ix_appointment_tallies_grain_day", "grain", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    grain: int
    doctor_id: int = Field(default=EVERY)
    hospital_id: int = Field(default=EVERY)
    day: date = Field(default=ALL_DAYS)  # clinic day of the visits' start
    status: str = Field(max_length=20)
    payment_status: str = Field(max_length=12)
    payment_method: str = Field(default="", max_length=16)  # "" when none chosen
    bookings: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    fee_paise: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


__all__ = [
    "ALL_DAYS",
    "BY_DOCTOR",
    "BY_HOSPITAL",
    "EVERY",
    "PER_DAY",
    "TALLY_KEY",
    "AppointmentTally",
    "Grain",
]
