"""Waitlist entries and slot offers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)
_OPEN = sa.text("status = 'open'")
_ACTIVE = sa.text("status = 'active'")
_UNHANDLED = sa.text("handled_at IS NULL")


def _partial(where: sa.TextClause) -> dict[str, Any]:
    return {"sqlite_where": where, "postgresql_where": where}


def upgrade() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=False),
        sa.Column("status", _STRING(length=10), nullable=False),
        sa.Column("joined_at", _INSTANT, nullable=False),
        sa.Column("ended_at", _INSTANT, nullable=True),
        sa.CheckConstraint("from_day <= to_day", name="ck_waitlist_entries_range"),
        sa.ForeignKeyConstraint(["patient_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_waitlist_entries_doctor_active",
        "waitlist_entries",
        ["doctor_id", "joined_at"],
        **_partial(_ACTIVE),
    )
    op.create_index(
        "ix_waitlist_entries_patient_status", "waitlist_entries", ["patient_id", "status"]
    )
    op.create_table(
        "freed_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("start_at", _INSTANT, nullable=False),
        sa.Column("freed_at", _INSTANT, nullable=False),
        sa.Column("handled_at", _INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_freed_slots_unhandled", "freed_slots", ["id"], **_partial(_UNHANDLED))
    op.create_table(
        "slot_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("start_at", _INSTANT, nullable=False),
        sa.Column("appointment_id", _STRING(length=36), nullable=False),
        sa.Column("status", _STRING(length=10), nullable=False),
        sa.Column("offered_at", _INSTANT, nullable=False),
        sa.Column("expires_at", _INSTANT, nullable=False),
        sa.Column("answered_at", _INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["waitlist_entries.id"]),
        sa.ForeignKeyConstraint(["patient_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_slot_offers_open_slot",
        "slot_offers",
        ["doctor_id", "start_at"],
        unique=True,
        **_partial(_OPEN),
    )
    op.create_index(
        "uq_slot_offers_open_entry", "slot_offers", ["entry_id"], unique=True, **_partial(_OPEN)
    )
    op.create_index(
        "uq_slot_offers_open_patient", "slot_offers", ["patient_id"], unique=True, **_partial(_OPEN)
    )
    op.create_index(
        "ix_slot_offers_entry_slot", "slot_offers", ["entry_id", "doctor_id", "start_at"]
    )
    op.create_index("ix_slot_offers_status_expires", "slot_offers", ["status", "expires_at"])


def downgrade() -> None:
    op.drop_table("slot_offers")
    op.drop_table("freed_slots")
    op.drop_table("waitlist_entries")
