"""Family members (re-exported by ``models``): the people a patient books visits for.

A dependant belongs to one account holder, who books, pays and is told about the visits;
the doctor sees the dependant's own medical profile. A dependant with past visits is
archived (``archived_at``) rather than deleted, so those visits keep their person.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow


class Relation(StrEnum):
    CHILD = "child"
    SPOUSE = "spouse"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class Dependant(SQLModel, table=True):
    """A family member of the account holder ``holder_id``."""

    __tablename__ = "dependants"
    __table_args__ = (Index("ix_dependants_holder_archived", "holder_id", "archived_at"),)

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="users.id")
    name: str = Field(max_length=120)
    relation: str = Field(max_length=16)
    date_of_birth: date
    gender: str | None = Field(default=None, max_length=16)
    blood_group: str | None = Field(default=None, max_length=4)
    allergies: str = Field(default="", max_length=1000)
    medical_history: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=_instant())
    archived_at: datetime | None = Field(default=None, sa_column=_instant())


__all__ = ["Dependant", "Relation"]
