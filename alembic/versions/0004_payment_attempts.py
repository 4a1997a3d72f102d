"""payment attempts: the attempt an appointment waits on, refund links, settlement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 14:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite, so the partial slot index is untouched).
    op.add_column(
        "appointments",
        sa.Column("payment_attempt_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "payments",
        sa.Column("refund_of_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column("payments", sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_payments_status_settled", "payments", ["status", "settled_at"])


def downgrade() -> None:
    op.drop_index("ix_payments_status_settled", table_name="payments")
    op.drop_column("payments", "settled_at")
    op.drop_column("payments", "refund_of_key")
    op.drop_column("appointments", "payment_attempt_key")
