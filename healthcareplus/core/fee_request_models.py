"""A doctor's request to change their consultation fee (re-exported by ``models``): the
doctor asks, an admin approves (the fee changes for bookings from then on) or declines.
At most one request per doctor is pending at a time (a partial unique index)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column, utcnow


class FeeRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


PENDING_SQL = "status = 'pending'"


class FeeChangeRequest(SQLModel, table=True):
    __tablename__ = "fee_change_requests"
    __table_args__ = (
        Index(
            "uq_fee_change_requests_pending",
            "doctor_id",
            unique=True,
            sqlite_where=text(PENDING_SQL),
            postgresql_where=text(PENDING_SQL),
        ),
        Index("ix_fee_change_requests_status_requested", "status", "requested_at"),
        Index("ix_fee_change_requests_doctor_requested", "doctor_id", "requested_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key="doctors.id")
    current_fee_paise: int = Field(ge=0)
    requested_fee_paise: int = Field(ge=0)
    reason: str = Field(default="", max_length=500)
    status: str = Field(default=FeeRequestStatus.PENDING, max_length=12)
    requested_at: datetime = Field(default_factory=utcnow, sa_column=instant_column(nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=instant_column())
    decided_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    decision_note: str = Field(default="", max_length=500)
