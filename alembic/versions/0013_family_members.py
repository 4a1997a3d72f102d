"""Family members (dependants) and bookings per person

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dependants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("name", _STRING(length=120), nullable=False),
        sa.Column("relation", _STRING(length=16), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("gender", _STRING(length=16), nullable=True),
        sa.Column("blood_group", _STRING(length=4), nullable=True),
        sa.Column("allergies", _STRING(length=1000), nullable=False),
        sa.Column("medical_history", _STRING(length=4000), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=True),
        sa.Column("archived_at", _INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["holder_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dependants_holder_archived", "dependants", ["holder_id", "archived_at"])
    # Plain ADD COLUMN (no table rebuild on SQLite, so the partial slot index is untouched):
    # SQLite takes the foreign key inside the column, PostgreSQL as its own constraint.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE appointments ADD COLUMN dependant_id INTEGER REFERENCES dependants (id)"
        )
    else:
        op.add_column("appointments", sa.Column("dependant_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "appointments_dependant_id_fkey", "appointments", "dependants", ["dependant_id"], ["id"]
        )
    # The per-person overlap check reads a dependant's visits near a slot by this range.
    op.create_index("ix_appointments_dependant_start", "appointments", ["dependant_id", "start_at"])


def downgrade() -> None:
    op.drop_index("ix_appointments_dependant_start", table_name="appointments")
    if op.get_bind().dialect.name == "sqlite":  # 3.35+: the column's own foreign key goes too
        op.execute("ALTER TABLE appointments DROP COLUMN dependant_id")
    else:
        op.drop_constraint("appointments_dependant_id_fkey", "appointments", type_="foreignkey")
        op.drop_column("appointments", "dependant_id")
    op.drop_index("ix_dependants_holder_archived", table_name="dependants")
    op.drop_table("dependants")
