"""An appointment change's letters (email, texts, webhooks, reminders) written by the job
worker after the change commits, from a pending row the change writes

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-28 17:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pending_news",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", _STRING(length=40), nullable=False),
        sa.Column("appointment_id", _STRING(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("refund_paise", sa.Integer(), nullable=False),
        sa.Column("appointment", sa.Text(), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _STRING(length=500), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pending_news_appointment_id", "pending_news", ["appointment_id"])


def downgrade() -> None:
    op.drop_index("ix_pending_news_appointment_id", table_name="pending_news")
    op.drop_table("pending_news")
