"""Each patient's language

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # "en" / "hi", NULL until the user first chooses (or signs in and keeps the device's).
    op.add_column(
        "users",
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("users", "language")
