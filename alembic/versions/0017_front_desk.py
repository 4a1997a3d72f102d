"""The front desk: staff hospitals, walk-in patients without an email, the check-in
queue and its screen, fees taken at the counter; doctors who confirm bookings themselves

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)
_HAS_EMAIL = sa.text("email <> ''")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_email")
    op.create_index(
        "ix_users_email",
        "users",
        ["email"],
        unique=True,
        sqlite_where=_HAS_EMAIL,
        postgresql_where=_HAS_EMAIL,
    )
    op.create_index("ix_users_phone", "users", ["phone"])
    with op.batch_alter_table("hospitals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_screen_key", _STRING(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_hospitals_queue_screen_key", ["queue_screen_key"])
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirms_bookings", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column(
        "appointments",
        sa.Column("awaiting_doctor", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("payments", sa.Column("counter_method", _STRING(length=8), nullable=True))
    op.create_table(
        "staff_hospitals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "hospital_id"),
    )
    op.create_index("ix_staff_hospitals_hospital", "staff_hospitals", ["hospital_id"])
    op.create_table(
        "queue_entries",
        sa.Column("appointment_id", _STRING(length=36), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=False),
        sa.Column("clinic_date", sa.Date(), nullable=False),
        sa.Column("token", sa.Integer(), nullable=False),
        sa.Column("stage", _STRING(length=12), nullable=False),
        sa.Column("arrived_at", _INSTANT, nullable=False),
        sa.Column("called_at", _INSTANT, nullable=True),
        sa.Column("done_at", _INSTANT, nullable=True),
        sa.Column("checked_in_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"]),
        sa.ForeignKeyConstraint(["checked_in_by_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"]),
        sa.PrimaryKeyConstraint("appointment_id"),
        sa.UniqueConstraint("doctor_id", "clinic_date", "token", name="uq_queue_entries_token"),
    )
    op.create_index("ix_queue_entries_hospital_day", "queue_entries", ["hospital_id", "clinic_date"])


def downgrade() -> None:
    op.drop_index("ix_queue_entries_hospital_day", table_name="queue_entries")
    op.drop_table("queue_entries")
    op.drop_index("ix_staff_hospitals_hospital", table_name="staff_hospitals")
    op.drop_table("staff_hospitals")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would rewrite the tables' foreign
    # keys as table constraints, which the earlier revisions' downgrades cannot drop.
    op.drop_column("payments", "counter_method")
    op.drop_column("appointments", "awaiting_doctor")
    with op.batch_alter_table("doctors", schema=None) as batch_op:
        batch_op.drop_column("confirms_bookings")
    with op.batch_alter_table("hospitals", schema=None) as batch_op:
        batch_op.drop_constraint("uq_hospitals_queue_screen_key", type_="unique")
        batch_op.drop_column("queue_screen_key")
    op.drop_index("ix_users_phone", table_name="users")
    op.drop_index("ix_users_email", table_name="users")
    op.create_index("ix_users_email", "users", ["email"], unique=True)
