"""Reviews from verified visits: a patient rates a doctor (1-5, optional text) once, from
one of their completed visits with that doctor, and may edit the review for
``EDIT_WINDOW`` after writing it. The database refuses a review without that visit
(``core.review_models``); these functions give the reasons in words first.

Each doctor's counters (``DoctorRating``: count and total of the visible ratings) change
in the same transaction as the review, by SQL increments (two writers never lose one), so
the average on every card is read, never recounted. ``recounted_ratings`` recounts them
from the reviews for checks. Moderation and the doctor's reply are in
``review_moderation``. These functions flush; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, case, cast, func, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.db import row_by_id, table_of
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import format_local_date, utc
from healthcareplus.core.models import Appointment, AppointmentStatus, Role, User
from healthcareplus.core.paging import Page, fetch_page
from healthcareplus.core.review_models import MAX_BODY, RANK_SCALE, DoctorRating, Review
from healthcareplus.domain.accounts.actors import acting_user

EDIT_WINDOW = timedelta(days=30)
PAGE_SIZE = 5
ONLY_PATIENTS = "Only the patient who had the visit can review it."
VISIT_NOT_FOUND = "Visit not found."
REVIEW_NOT_FOUND = "Review not found."
NOT_COMPLETED = "You can rate a visit once it is completed."
ALREADY = "You have already reviewed this doctor. You can edit that review instead."
TOO_LATE = "Reviews can be edited for 30 days after they are written."
NO_REVIEWS = "No reviews yet"


@dataclass(frozen=True)
class RatingSummary:
    """A doctor's visible ratings: count, average (0.0 with none) and how it reads."""

    count: int
    average: float
    label: str  # "4.6 ★ (23 reviews)" or "No reviews yet"


@dataclass(frozen=True)
class ReviewView:
    id: int
    doctor_id: int
    rating: int
    stars: str  # "★★★★☆"
    body: str
    author: str  # "Priya S." (first name and initial: the public name)
    written_on: str
    edited: bool
    reply: str
    replied_on: str
    hidden: bool
    hidden_reason: str


def summary(count: int, total: int) -> RatingSummary:
    """The summary of ``count`` ratings adding up to ``total``."""
    if count <= 0:
        return RatingSummary(0, 0.0, NO_REVIEWS)
    average = round(total / count, 1)
    noun = "review" if count == 1 else "reviews"
    return RatingSummary(count, average, f"{average:.1f} ★ ({count} {noun})")


def public_name(name: str) -> str:
    """How a reviewer is named in public: first name and the initial of the last."""
    parts = name.split()
    if not parts:
        return "A patient"
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0].upper()}."


def view_of(review: Review, author: str) -> ReviewView:
    assert review.id is not None
    return ReviewView(
        id=review.id,
        doctor_id=review.doctor_id,
        rating=review.rating,
        stars="★" * review.rating + "☆" * (5 - review.rating),
        body=review.body,
        author=public_name(author),
        written_on=format_local_date(review.created_at),
        edited=review.edited_at is not None,
        reply=review.reply or "",
        replied_on=format_local_date(review.replied_at) if review.replied_at else "",
        hidden=review.hidden_at is not None,
        hidden_reason=review.hidden_reason or "",
    )


def clean_rating(value: object) -> int:
    if type(value) is not int or not 1 <= value <= 5:
        raise ValidationFailed({"rating": "Choose a rating from 1 to 5 stars."})
    return value


def clean_body(value: object, *, field: str = "body", required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationFailed({field: "Enter text."})
    text = value.strip()
    if len(text) > MAX_BODY:
        raise ValidationFailed({field: f"Keep it under {MAX_BODY} characters."})
    if required and not text:
        raise ValidationFailed({field: "Write a reply."})
    return text


def count_rating(session: Session, doctor_id: int, count: int, total: int) -> None:
    """Add ``count`` reviews and ``total`` stars to the doctor's visible counters (either
    may be negative), in SQL so concurrent changes add up; the rank follows."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = table_of(DoctorRating)
    session.execute(
        insert(table)
        .values(doctor_id=doctor_id, review_count=0, rating_total=0, rank=None)
        .on_conflict_do_nothing(index_elements=["doctor_id"])
    )
    new_count = col(DoctorRating.review_count) + count
    new_total = col(DoctorRating.rating_total) + total
    centi = cast(new_total, BigInteger) * 100 // new_count
    rank = case((new_count > 0, centi * RANK_SCALE + new_count), else_=None)
    session.execute(
        update(table)
        .where(table.c.doctor_id == doctor_id)
        .values(review_count=new_count, rating_total=new_total, rank=rank)
    )


def _patient(session: Session, actor_id: object) -> User:
    return acting_user(session, actor_id, Role.PATIENT, refusal=ONLY_PATIENTS)


def _own_review(session: Session, user: User, review_id: object) -> Review:
    review = row_by_id(session, Review, review_id)
    if review is None or review.patient_id != user.id:
        raise NotFound(REVIEW_NOT_FOUND)
    return review


def editable(review: Review, now: datetime) -> bool:
    """Whether the patient may still edit: up to and including 30 days after writing."""
    return utc(now) <= review.created_at + EDIT_WINDOW


def write_review(
    session: Session,
    *,
    appointment_id: object,
    rating: object,
    body: object = "",
    actor_id: object,
    now: datetime,
) -> ReviewView:
    """The patient rates their completed visit ``appointment_id``. ``Forbidden`` for anyone
    but an active patient, ``NotFound`` for a visit that is not theirs, ``Conflict`` for a
    visit not completed or a doctor they have already reviewed, ``ValidationFailed``
    (``rating``/``body``) for a rating outside 1-5 or a text over 2000 characters."""
    user = _patient(session, actor_id)
    visit = session.get(Appointment, appointment_id) if isinstance(appointment_id, str) else None
    if visit is None or visit.patient_id != user.id:
        raise NotFound(VISIT_NOT_FOUND)
    stars, text = clean_rating(rating), clean_body(body)
    if visit.status != AppointmentStatus.COMPLETED:
        raise Conflict(NOT_COMPLETED)
    taken = select(Review.id).where(
        col(Review.patient_id) == user.id, col(Review.doctor_id) == visit.doctor_id
    )
    if session.exec(taken).first() is not None:
        raise Conflict(ALREADY)
    review = Review(
        appointment_id=visit.id,
        patient_id=user.id,
        doctor_id=visit.doctor_id,
        rating=stars,
        body=text,
        created_at=utc(now),
    )
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError as exc:  # the same review written at once from two tabs
        raise Conflict(ALREADY) from exc
    count_rating(session, visit.doctor_id, 1, stars)
    return view_of(review, user.name)


def edit_review(
    session: Session,
    *,
    review_id: object,
    rating: object,
    body: object = "",
    actor_id: object,
    now: datetime,
) -> ReviewView:
    """The patient changes their review's rating and text, up to 30 days after writing it
    (``Conflict`` after); the counters follow unless an admin has hidden it."""
    user = _patient(session, actor_id)
    review = _own_review(session, user, review_id)
    stars, text = clean_rating(rating), clean_body(body)
    if not editable(review, now):
        raise Conflict(TOO_LATE)
    change = stars - review.rating
    review.rating, review.body, review.edited_at = stars, text, utc(now)
    session.add(review)
    session.flush()
    if review.hidden_at is None and change:
        count_rating(session, review.doctor_id, 0, change)
    return view_of(review, user.name)


@dataclass(frozen=True)
class VisitReview:
    """What My appointments offers on a completed visit."""

    action: str  # "rate", "edit" or "" (nothing to offer)
    review_id: int | None
    rating: int
    body: str


def visit_reviews(
    session: Session, *, patient_id: int, appointment_ids: Iterable[str], now: datetime
) -> dict[str, VisitReview]:
    """For each of the patient's completed visits among ``appointment_ids``: "rate" when
    they have not reviewed that doctor, "edit" on the reviewed visit while it is editable."""
    ids = list(dict.fromkeys(i for i in appointment_ids if isinstance(i, str)))
    if not ids:
        return {}
    visits = session.exec(
        select(Appointment.id, Appointment.doctor_id).where(
            col(Appointment.id).in_(ids),
            col(Appointment.patient_id) == patient_id,
            col(Appointment.status) == AppointmentStatus.COMPLETED,
        )
    ).all()
    doctors = {doctor_id for _, doctor_id in visits}
    reviews = {
        r.doctor_id: r
        for r in session.exec(
            select(Review).where(
                col(Review.patient_id) == patient_id, col(Review.doctor_id).in_(doctors)
            )
        ).all()
    }
    out: dict[str, VisitReview] = {}
    for visit_id, doctor_id in visits:
        review = reviews.get(doctor_id)
        if review is None:
            out[visit_id] = VisitReview("rate", None, 0, "")
        elif review.appointment_id == visit_id and editable(review, now):
            out[visit_id] = VisitReview("edit", review.id, review.rating, review.body)
    return out


def ratings_for(session: Session, doctor_ids: Iterable[int]) -> dict[int, RatingSummary]:
    """Each doctor's summary (``NO_REVIEWS`` for those without), from the counters."""
    ids = sorted({i for i in doctor_ids if type(i) is int})
    rows = session.exec(select(DoctorRating).where(col(DoctorRating.doctor_id).in_(ids))).all()
    found = {r.doctor_id: summary(r.review_count, r.rating_total) for r in rows}
    return {i: found.get(i, summary(0, 0)) for i in ids}


def doctor_rating(session: Session, *, doctor_id: int) -> RatingSummary:
    return ratings_for(session, [doctor_id]).get(doctor_id, summary(0, 0))


def visible_reviews(
    session: Session, *, doctor_id: int, page: Any = 1, page_size: int = PAGE_SIZE
) -> Page[ReviewView]:
    """The doctor's reviews not hidden by an admin, newest first, a page at a time."""
    where = (col(Review.doctor_id) == doctor_id, col(Review.hidden_at).is_(None))
    rows, p = fetch_page(
        session,
        select(Review, User.name)
        .join(User, col(User.id) == Review.patient_id)
        .where(*where)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc()),
        count=select(func.count(col(Review.id))).where(*where),
        page=page,
        page_size=page_size,
    )
    return Page(tuple(view_of(r, name) for r, name in rows), p)


def recounted_ratings(session: Session) -> dict[int, tuple[int, int]]:
    """doctor id -> (count, total) of visible reviews, counted from the reviews."""
    rows = session.exec(
        select(Review.doctor_id, func.count(col(Review.id)), func.sum(Review.rating))
        .where(col(Review.hidden_at).is_(None))
        .group_by(col(Review.doctor_id))
    ).all()
    return {doctor_id: (int(n), int(total or 0)) for doctor_id, n, total in rows}


__all__ = [
    "EDIT_WINDOW",
    "NO_REVIEWS",
    "RatingSummary",
    "ReviewView",
    "VisitReview",
    "clean_body",
    "count_rating",
    "doctor_rating",
    "edit_review",
    "editable",
    "public_name",
    "ratings_for",
    "recounted_ratings",
    "summary",
    "visible_reviews",
    "visit_reviews",
    "write_review",
]
