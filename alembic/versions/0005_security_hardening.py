"""security hardening: session devices and sliding expiry, throttling indexes, one-time
download grants

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 15:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.add_column("sessions", sa.Column("role", _STRING(length=16), nullable=False, server_default=""))
    op.add_column("sessions", sa.Column("device", _STRING(length=120), nullable=False, server_default=""))
    op.add_column("sessions", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "sessions", sa.Column("absolute_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("sessions", sa.Column("revoked_reason", _STRING(length=40), nullable=True))
    op.create_index("ix_sessions_user_revoked", "sessions", ["user_id", "revoked_at"])
    # Sessions opened before this revision carry no role: end them (everyone signs in again).
    op.execute("UPDATE sessions SET revoked_at = CURRENT_TIMESTAMP, revoked_reason = 'upgrade' "
               "WHERE revoked_at IS NULL")
    op.create_index(
        "ix_login_attempts_email_client_at", "login_attempts", ["email", "client_key", "attempted_at"]
    )
    op.create_index("ix_login_attempts_at", "login_attempts", ["attempted_at"])
    op.create_table(
        "download_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _STRING(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", _STRING(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_download_grants_user_id", "download_grants", ["user_id"])
    op.create_index("ix_download_grants_expires_at", "download_grants", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_download_grants_expires_at", table_name="download_grants")
    op.drop_index("ix_download_grants_user_id", table_name="download_grants")
    op.drop_table("download_grants")
    op.drop_index("ix_login_attempts_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_email_client_at", table_name="login_attempts")
    op.drop_index("ix_sessions_user_revoked", table_name="sessions")
    for column in ("revoked_reason", "absolute_expires_at", "last_seen_at", "device", "role"):
        op.drop_column("sessions", column)
