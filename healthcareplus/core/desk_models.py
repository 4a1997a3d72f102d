"""The front desk's tables (re-exported by ``models``): which hospitals a front-desk user
works at, and the day's check-in queue.

A queue entry is a visit that has arrived: its token is the next number for its doctor
on its clinic day, in arrival order (a unique index keeps two arrivals from sharing one),
and it moves from waiting to with the doctor to done.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column


class StaffHospital(SQLModel, table=True):
    """A front-desk user works at this hospital (one row per hospital they serve)."""

    __tablename__ = "staff_hospitals"
    __table_args__ = (Index("ix_staff_hospitals_hospital", "hospital_id"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    hospital_id: int = Field(foreign_key="hospitals.id", primary_key=True)


class QueueStage(StrEnum):
    WAITING = "waiting"
    WITH_DOCTOR = "with_doctor"
    DONE = "done"


class QueueEntry(SQLModel, table=True):
    __tablename__ = "queue_entries"
    __table_args__ = (
        UniqueConstraint("doctor_id", "clinic_date", "token", name="uq_queue_entries_token"),
        Index("ix_queue_entries_hospital_day", "hospital_id", "clinic_date"),
    )

    appointment_id: str = Field(foreign_key="appointments.id", primary_key=True, max_length=36)
    doctor_id: int = Field(foreign_key="doctors.id")
    hospital_id: int = Field(foreign_key="hospitals.id")
    clinic_date: date
    token: int = Field(ge=1)
    stage: str = Field(default=QueueStage.WAITING, max_length=12)
    arrived_at: datetime = Field(sa_column=instant_column(nullable=False))
    called_at: datetime | None = Field(default=None, sa_column=instant_column())
    done_at: datetime | None = Field(default=None, sa_column=instant_column())
    checked_in_by_user_id: int | None = Field(default=None, foreign_key="users.id")
