"""Webhooks: the endpoints admins register and every delivery attempt

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", _STRING(length=500), nullable=False),
        sa.Column("description", _STRING(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret_seed", _STRING(length=64), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("disabled_at", _INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", _INSTANT, nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", _STRING(length=500), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"]),
        sa.ForeignKeyConstraint(["endpoint_id"], ["webhook_endpoints.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_webhook_attempts_notification", "webhook_attempts", ["notification_id"])
    op.create_index(
        "ix_webhook_attempts_endpoint_at", "webhook_attempts", ["endpoint_id", "attempted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_attempts_endpoint_at", table_name="webhook_attempts")
    op.drop_index("ix_webhook_attempts_notification", table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_endpoints")
