"""notifications: the transactional outbox of messages to users

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:55:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _STRING(length=200), nullable=False),
        sa.Column("event", _STRING(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", _STRING(), nullable=True),
        sa.Column("channel", _STRING(length=16), nullable=False),
        sa.Column("to_address", _STRING(length=254), nullable=False),
        sa.Column("subject", _STRING(length=200), nullable=False),
        sa.Column("body", _STRING(length=2000), nullable=False),
        sa.Column("body_html", sa.Text(), server_default="", nullable=False),
        sa.Column("attachment", sa.Text(), server_default="", nullable=False),
        sa.Column("link", _STRING(length=200), nullable=False),
        sa.Column("status", _STRING(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _STRING(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("about_start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_notifications_appointment_id", "notifications", ["appointment_id"])
    op.create_index(
        "ix_notifications_user_channel_read", "notifications", ["user_id", "channel", "read_at"]
    )
    op.create_index("ix_notifications_status_due", "notifications", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_status_due", table_name="notifications")
    op.drop_index("ix_notifications_user_channel_read", table_name="notifications")
    op.drop_index("ix_notifications_appointment_id", table_name="notifications")
    op.drop_table("notifications")
