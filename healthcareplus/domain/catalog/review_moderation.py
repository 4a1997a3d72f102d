"""What happens to a review after it is written: the doctor's reply and the clinic's
moderation.

The doctor may reply once to each visible review of theirs; a reply is final once posted
(a clinic's answer is part of the record, like a letter: a correction is a matter for the
clinic, not a silent edit). An admin may hide a review, with a reason, and unhide it;
both are audited (``review_hidden``/``review_unhidden``) and move the doctor's counters
in the same transaction, so a hidden review counts in no average and shows in no list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.audit import audit
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, Forbidden, NotFound
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Doctor, Role, User
from healthcareplus.core.paging import Page, fetch_page
from healthcareplus.core.review_models import Review
from healthcareplus.core.validation import reason_text
from healthcareplus.domain.accounts.actors import acting_admin, acting_user
from healthcareplus.domain.catalog.reviews import (
    REVIEW_NOT_FOUND,
    RatingSummary,
    ReviewView,
    clean_body,
    count_rating,
    doctor_rating,
    view_of,
)

SHOWN = ("all", "visible", "hidden")
NOT_A_DOCTOR = "Only the doctor can reply to their reviews."
ALREADY_REPLIED = "You have already replied to this review."
ALREADY_HIDDEN = "This review is already hidden."
NOT_HIDDEN = "This review is not hidden."
PAGE_SIZE = 10


@dataclass(frozen=True)
class ModeratedReview:
    """A review as moderators see it: the review and whom it is about."""

    review: ReviewView
    doctor_name: str
    patient_name: str  # full name: moderators may need to contact the patient


def _doctor(session: Session, actor_id: object) -> Doctor:
    user = acting_user(session, actor_id, Role.DOCTOR, refusal=NOT_A_DOCTOR)
    doctor = session.exec(select(Doctor).where(col(Doctor.user_id) == user.id)).first()
    if doctor is None or doctor.id is None or not doctor.is_active:
        raise Forbidden(NOT_A_DOCTOR)
    return doctor


def _review(session: Session, review_id: object) -> Review:
    review = row_by_id(session, Review, review_id)
    if review is None:
        raise NotFound(REVIEW_NOT_FOUND)
    return review


def _author(session: Session, review: Review) -> str:
    user = session.get(User, review.patient_id)
    return user.name if user else ""


def reply_to_review(
    session: Session, *, review_id: object, reply: object, actor_id: object, now: datetime
) -> ReviewView:
    """The doctor's one reply to a visible review of theirs. ``Forbidden`` for anyone but
    an active doctor, ``NotFound`` for another doctor's or a hidden review, ``Conflict``
    once replied, ``ValidationFailed`` (``reply``) for an empty or too long text."""
    doctor = _doctor(session, actor_id)
    review = _review(session, review_id)
    if review.doctor_id != doctor.id or review.hidden_at is not None:
        raise NotFound(REVIEW_NOT_FOUND)
    text = clean_body(reply, field="reply", required=True)
    if review.reply is not None:
        raise Conflict(ALREADY_REPLIED)
    review.reply, review.replied_at = text, utc(now)
    session.add(review)
    session.flush()
    return view_of(review, _author(session, review))


@dataclass(frozen=True)
class DoctorReviews:
    """A page of the doctor's own visible reviews and their rating."""

    page: Page[ReviewView]
    rating: RatingSummary


def doctor_reviews(
    session: Session, *, actor_id: object, page: Any = 1, page_size: int = PAGE_SIZE
) -> DoctorReviews:
    """The signed-in doctor's visible reviews, newest first, and their rating
    (``Forbidden`` for anyone but an active doctor)."""
    doctor = _doctor(session, actor_id)
    where = (col(Review.doctor_id) == doctor.id, col(Review.hidden_at).is_(None))
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
    items = tuple(view_of(r, name) for r, name in rows)
    return DoctorReviews(Page(items, p), doctor_rating(session, doctor_id=doctor.id or 0))


def moderation_list(
    session: Session, *, actor_id: object, shown: object = "all", page: Any = 1
) -> Page[ModeratedReview]:
    """Every review for moderators (``shown``: all, visible or hidden), newest first."""
    acting_user(session, actor_id, Role.ADMIN)
    where = []
    if shown == "visible":
        where.append(col(Review.hidden_at).is_(None))
    elif shown == "hidden":
        where.append(col(Review.hidden_at).is_not(None))
    rows, p = fetch_page(
        session,
        select(Review, User.name, Doctor.name)
        .join(User, col(User.id) == Review.patient_id)
        .join(Doctor, col(Doctor.id) == Review.doctor_id)
        .where(*where)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc()),
        count=select(func.count(col(Review.id))).where(*where),
        page=page,
        page_size=PAGE_SIZE,
    )
    items = tuple(
        ModeratedReview(view_of(r, patient), doctor, patient) for r, patient, doctor in rows
    )
    return Page(items, p)


def hide_review(
    session: Session,
    *,
    review_id: object,
    reason: object,
    actor_id: object,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> ReviewView:
    """An admin hides a review (out of every list and average) with a reason; audited.
    ``Conflict`` when it is already hidden, ``ValidationFailed`` (``reason``) without one."""
    by = acting_admin(session, actor_id, actor_role, now)
    review = _review(session, review_id)
    why = reason_text(reason, missing="Give the reason for hiding this review.")
    if review.hidden_at is not None:
        raise Conflict(ALREADY_HIDDEN)
    review.hidden_at, review.hidden_reason, review.hidden_by_user_id = by.now, why, by.id
    session.add(review)
    session.flush()
    count_rating(session, review.doctor_id, -1, -review.rating)
    audit(
        session,
        by,
        "review_hidden",
        appointment_id=review.appointment_id,
        entity="review",
        entity_id=review.id,
        reason=why,
        detail={"doctor_id": review.doctor_id, "rating": review.rating},
    )
    return view_of(review, _author(session, review))


def unhide_review(
    session: Session,
    *,
    review_id: object,
    actor_id: object,
    actor_role: str = Role.ADMIN,
    now: datetime,
) -> ReviewView:
    """An admin shows a hidden review again (it counts again); audited with the reason it
    had been hidden for. ``Conflict`` when it is not hidden."""
    by = acting_admin(session, actor_id, actor_role, now)
    review = _review(session, review_id)
    if review.hidden_at is None:
        raise Conflict(NOT_HIDDEN)
    was = review.hidden_reason
    review.hidden_at, review.hidden_reason, review.hidden_by_user_id = None, None, None
    session.add(review)
    session.flush()
    count_rating(session, review.doctor_id, 1, review.rating)
    audit(
        session,
        by,
        "review_unhidden",
        appointment_id=review.appointment_id,
        entity="review",
        entity_id=review.id,
        detail={"doctor_id": review.doctor_id, "rating": review.rating, "was_hidden_for": was},
    )
    return view_of(review, _author(session, review))


__all__ = [
    "SHOWN",
    "DoctorReviews",
    "ModeratedReview",
    "doctor_reviews",
    "hide_review",
    "moderation_list",
    "reply_to_review",
    "unhide_review",
]
