"""Reviews from verified visits

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRING = sqlmodel.sql.sqltypes.AutoString
_INSTANT = sa.DateTime(timezone=True)
_VISIT = ["id", "status", "patient_id", "doctor_id"]


def upgrade() -> None:
    # What a review's composite foreign key points at (an id is unique, so is this).
    op.create_index("uq_appointments_review_key", "appointments", _VISIT, unique=True)
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", _STRING(length=36), nullable=False),
        sa.Column("appointment_status", _STRING(length=20), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("body", _STRING(length=2000), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("edited_at", _INSTANT, nullable=True),
        sa.Column("reply", _STRING(length=2000), nullable=True),
        sa.Column("replied_at", _INSTANT, nullable=True),
        sa.Column("hidden_at", _INSTANT, nullable=True),
        sa.Column("hidden_reason", _STRING(length=500), nullable=True),
        sa.Column("hidden_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("appointment_status = 'completed'", name="ck_reviews_completed"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reviews_rating"),
        sa.ForeignKeyConstraint(
            ["appointment_id", "appointment_status", "patient_id", "doctor_id"],
            [f"appointments.{c}" for c in _VISIT],
            name="fk_reviews_completed_visit",
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.ForeignKeyConstraint(["hidden_by_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id", "doctor_id", name="uq_reviews_patient_doctor"),
        sa.UniqueConstraint("appointment_id", name="uq_reviews_appointment"),
    )
    op.create_index("ix_reviews_doctor_created", "reviews", ["doctor_id", "created_at"])
    op.create_index("ix_reviews_created", "reviews", ["created_at"])
    op.create_table(
        "doctor_ratings",
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("rating_total", sa.Integer(), nullable=False),
        sa.Column("rank", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("review_count >= 0", name="ck_doctor_ratings_count"),
        sa.CheckConstraint(
            "rating_total BETWEEN review_count AND 5 * review_count",
            name="ck_doctor_ratings_total",
        ),
        sa.ForeignKeyConstraint(["doctor_id"], ["doctors.id"]),
        sa.PrimaryKeyConstraint("doctor_id"),
    )
    op.create_index("ix_doctor_ratings_rank", "doctor_ratings", ["rank"])


def downgrade() -> None:
    op.drop_index("ix_doctor_ratings_rank", table_name="doctor_ratings")
    op.drop_table("doctor_ratings")
    op.drop_index("ix_reviews_created", table_name="reviews")
    op.drop_index("ix_reviews_doctor_created", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("uq_appointments_review_key", table_name="appointments")
