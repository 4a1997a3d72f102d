"""Appointment counters: bookings and fees per grain (day, doctor, hospital) and kind

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlmodel import Session

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_KEY = ("grain", "doctor_id", "hospital_id", "day", "status", "payment_status", "payment_method")


def upgrade() -> None:
    op.create_table(
        "appointment_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grain", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", _STRING(length=20), nullable=False),
        sa.Column("payment_status", _STRING(length=12), nullable=False),
        sa.Column("payment_method", _STRING(length=16), nullable=False),
        sa.Column("bookings", sa.BigInteger(), nullable=False),
        sa.Column("fee_paise", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_appointment_tallies_key", "appointment_tallies", list(_KEY), unique=True)
    op.create_index("ix_appointment_tallies_grain_day", "appointment_tallies", ["grain", "day"])
    # Count the appointments already there (in this migration's transaction).
    from healthcareplus.domain.scheduling.tallies import recount

    recount(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_index("ix_appointment_tallies_grain_day", table_name="appointment_tallies")
    op.drop_index("uq_appointment_tallies_key", table_name="appointment_tallies")
    op.drop_table("appointment_tallies")
