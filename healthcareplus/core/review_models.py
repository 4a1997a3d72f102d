"""Reviews from verified visits and each doctor's rating counters (re-exported by
``models``).

The database itself refuses a review without a completed visit: a review row repeats its
appointment's status, patient and doctor, a CHECK pins that status to ``completed`` and a
composite foreign key ties the four columns to the very appointment row (backed by the
unique index ``uq_appointments_review_key`` on the appointments). A review for someone
else's visit, another doctor's, or a visit that is not completed fails the INSERT, and a
reviewed appointment's status, patient or doctor can no longer change. One review per
(patient, doctor) and per appointment is a unique constraint.

``DoctorRating`` holds each doctor's count and total of *visible* ratings, kept in the
transaction of every review written, edited, hidden or unhidden
(``domain.catalog.reviews``), so an average is never recounted on a page view. ``rank``
orders the "Highest rated" search: the average in hundredths times ``RANK_SCALE`` plus the
count (ties by count), NULL while the doctor has no visible review.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column, utcnow

REVIEWABLE_STATUS = "completed"
MAX_BODY = 2000
RANK_SCALE = 1_000_000_000  # rank = average_centi * RANK_SCALE + count


class Review(SQLModel, table=True):
    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(f"appointment_status = '{REVIEWABLE_STATUS}'", name="ck_reviews_completed"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reviews_rating"),
        ForeignKeyConstraint(
            ["appointment_id", "appointment_status", "patient_id", "doctor_id"],
            [
                "appointments.id",
                "appointments.status",
                "appointments.patient_id",
                "appointments.doctor_id",
            ],
            name="fk_reviews_completed_visit",
        ),
        UniqueConstraint("patient_id", "doctor_id", name="uq_reviews_patient_doctor"),
        UniqueConstraint("appointment_id", name="uq_reviews_appointment"),
        # A doctor's reviews newest first (profile, doctor portal).
        Index("ix_reviews_doctor_created", "doctor_id", "created_at"),
        # Moderation: every review newest first.
        Index("ix_reviews_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: str = Field(max_length=36)
    appointment_status: str = Field(default=REVIEWABLE_STATUS, max_length=20)
    patient_id: int = Field(foreign_key="users.id")
    doctor_id: int = Field(foreign_key="doctors.id")
    rating: int
    body: str = Field(default="", max_length=MAX_BODY)
    created_at: datetime = Field(default_factory=utcnow, sa_column=instant_column(nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=instant_column())
    # The doctor's one reply (final once posted).
    reply: str | None = Field(default=None, max_length=MAX_BODY)
    replied_at: datetime | None = Field(default=None, sa_column=instant_column())
    # Hidden by an admin (with the reason shown to moderators): out of lists and averages.
    hidden_at: datetime | None = Field(default=None, sa_column=instant_column())
    hidden_reason: str | None = Field(default=None, max_length=500)
    hidden_by_user_id: int | None = Field(default=None, foreign_key="users.id")


class DoctorRating(SQLModel, table=True):
    __tablename__ = "doctor_ratings"
    __table_args__ = (
        CheckConstraint("review_count >= 0", name="ck_doctor_ratings_count"),
        CheckConstraint(
            "rating_total BETWEEN review_count AND 5 * review_count",
            name="ck_doctor_ratings_total",
        ),
        Index("ix_doctor_ratings_rank", "rank"),
    )

    doctor_id: int = Field(foreign_key="doctors.id", primary_key=True)
    review_count: int = Field(default=0)
    rating_total: int = Field(default=0)
    rank: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


__all__ = ["MAX_BODY", "RANK_SCALE", "REVIEWABLE_STATUS", "DoctorRating", "Review"]
