"""Doctors' registration and fee requests; first-sign-in passwords; patients' addresses

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)
_PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        for name, length in (
            ("address", 300),
            ("emergency_contact_name", 120),
            ("emergency_contact_phone", 20),
        ):
            batch_op.add_column(
                sa.Column(name, _STRING(length=length), nullable=False, server_default="")
            )
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("registration_number", _STRING(length=30), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("registration_council", _STRING(length=80), nullable=False, server_default="")
        )
    op.create_table(
        "fee_change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("current_fee_paise", sa.Integer(), nullable=False),
        sa.Column("requested_fee_paise", sa.Integer(), nullable=False),
        sa.Column("reason", _STRING(length=500), nullable=False),
        sa.Column("status", _STRING(length=12), nullable=False),
        sa.Column("requested_at", _INSTANT, nullable=False),
        sa.Column("decided_at", _INSTANT, nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", _STRING(length=500), nullable=False),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.ForeignKeyConstraint(["decided_by_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_fee_change_requests_pending",
        "fee_change_requests",
        ["doctor_id"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )
    op.create_index(
        "ix_fee_change_requests_status_requested",
        "fee_change_requests",
        ["status", "requested_at"],
    )
    op.create_index(
        "ix_fee_change_requests_doctor_requested",
        "fee_change_requests",
        ["doctor_id", "requested_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_fee_change_requests_doctor_requested", table_name="fee_change_requests")
    op.drop_index("ix_fee_change_requests_status_requested", table_name="fee_change_requests")
    op.drop_index("uq_fee_change_requests_pending", table_name="fee_change_requests")
    op.drop_table("fee_change_requests")
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.drop_column("registration_council")
        batch_op.drop_column("registration_number")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in ("emergency_contact_phone", "emergency_contact_name", "address"):
            batch_op.drop_column(name)
        batch_op.drop_column("must_change_password")
