"""After a review is written: the doctor's one reply, the clinic's hiding (with a reason,
audited) and unhiding, counters that always equal a recount, and "Highest rated"."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import AppointmentStatus, AuditEvent, Role
from healthcareplus.core.review_models import DoctorRating, Review
from healthcareplus.domain.catalog import review_moderation as moderation
from healthcareplus.domain.catalog import reviews
from healthcareplus.domain.catalog.doctor_pages import doctors_after
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from tests.factories import (
    create_appointment,
    create_doctor,
    create_user,
    link_doctor_user,
    local,
)

NOW = local(date(2030, 1, 7), "18:00")
_HOURS = itertools.count(1)


def review(session: Session, doctor, rating: int = 4, *, now=NOW) -> reviews.ReviewView:
    appointment = create_appointment(
        session,
        doctor=doctor,
        start_at=NOW - timedelta(hours=next(_HOURS)),
        status=AppointmentStatus.COMPLETED,
    )
    view = reviews.write_review(
        session,
        appointment_id=appointment.id,
        rating=rating,
        actor_id=appointment.patient_id,
        now=now,
    )
    session.commit()
    return view


def counters(session: Session) -> dict[int, tuple[int, int]]:
    session.expire_all()
    return {
        r.doctor_id: (r.review_count, r.rating_total)
        for r in session.exec(select(DoctorRating)).all()
        if r.review_count
    }


# --- the doctor's reply ----------------------------------------------------------------


def test_the_doctor_replies_once(session: Session) -> None:
    doctor = create_doctor(session)
    user = link_doctor_user(session, doctor)
    view = review(session, doctor)
    replied = moderation.reply_to_review(
        session, review_id=view.id, reply="  Thank you.  ", actor_id=user.id, now=NOW
    )
    session.commit()
    assert (replied.reply, replied.replied_on) == ("Thank you.", "Mon, 07 Jan 2030")
    with pytest.raises(Conflict, match="already replied"):
        moderation.reply_to_review(
            session, review_id=view.id, reply="Changed my mind", actor_id=user.id, now=NOW
        )
    assert session.get(Review, view.id).reply == "Thank you."
    shown = reviews.visible_reviews(session, doctor_id=doctor.id).items[0]
    assert shown.reply == "Thank you."


def test_only_that_doctor_replies(session: Session) -> None:
    doctor, other = create_doctor(session), create_doctor(session)
    other_user = link_doctor_user(session, other)
    view = review(session, doctor)
    with pytest.raises(NotFound):
        moderation.reply_to_review(
            session, review_id=view.id, reply="Hi", actor_id=other_user.id, now=NOW
        )
    for role in (Role.PATIENT, Role.ADMIN):
        with pytest.raises(Forbidden):
            moderation.reply_to_review(
                session,
                review_id=view.id,
                reply="Hi",
                actor_id=create_user(session, role=role).id,
                now=NOW,
            )
    unlinked = create_user(session, role=Role.DOCTOR)
    with pytest.raises(Forbidden):
        moderation.reply_to_review(
            session, review_id=view.id, reply="Hi", actor_id=unlinked.id, now=NOW
        )
    assert session.get(Review, view.id).reply is None


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001, None, 7])
def test_a_reply_needs_text(session: Session, bad: object) -> None:
    doctor = create_doctor(session)
    user = link_doctor_user(session, doctor)
    view = review(session, doctor)
    with pytest.raises(ValidationFailed) as error:
        moderation.reply_to_review(session, review_id=view.id, reply=bad, actor_id=user.id, now=NOW)
    assert "reply" in error.value.fields


def test_a_hidden_review_takes_no_reply(session: Session) -> None:
    doctor = create_doctor(session)
    user = link_doctor_user(session, doctor)
    admin = create_user(session)
    view = review(session, doctor)
    moderation.hide_review(session, review_id=view.id, reason="Abusive", actor_id=admin.id, now=NOW)
    with pytest.raises(NotFound):
        moderation.reply_to_review(
            session, review_id=view.id, reply="Hi", actor_id=user.id, now=NOW
        )
    listed = moderation.doctor_reviews(session, actor_id=user.id)
    assert (listed.page.items, listed.rating.label) == ((), "No reviews yet")


# --- hiding and unhiding ---------------------------------------------------------------


def test_an_admin_hides_with_a_reason_and_unhides_audited(session: Session) -> None:
    doctor, admin = create_doctor(session), create_user(session)
    kept, hidden = review(session, doctor, 5), review(session, doctor, 1)
    view = moderation.hide_review(
        session, review_id=hidden.id, reason="  Personal   details ", actor_id=admin.id, now=NOW
    )
    session.commit()
    assert (view.hidden, view.hidden_reason) == (True, "Personal details")
    assert reviews.doctor_rating(session, doctor_id=doctor.id).label == "5.0 ★ (1 review)"
    assert [r.id for r in reviews.visible_reviews(session, doctor_id=doctor.id).items] == [kept.id]
    hidden_list = moderation.moderation_list(session, actor_id=admin.id, shown="hidden")
    assert [m.review.id for m in hidden_list.items] == [hidden.id]
    assert len(moderation.moderation_list(session, actor_id=admin.id).items) == 2
    with pytest.raises(Conflict):
        moderation.hide_review(
            session, review_id=hidden.id, reason="Again", actor_id=admin.id, now=NOW
        )

    moderation.unhide_review(session, review_id=hidden.id, actor_id=admin.id, now=NOW)
    session.commit()
    assert reviews.doctor_rating(session, doctor_id=doctor.id).label == "3.0 ★ (2 reviews)"
    with pytest.raises(Conflict):
        moderation.unhide_review(session, review_id=hidden.id, actor_id=admin.id, now=NOW)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.entity, e.entity_id, e.reason, e.actor_user_id) for e in events] == [
        ("review_hidden", "review", str(hidden.id), "Personal details", admin.id),
        ("review_unhidden", "review", str(hidden.id), None, admin.id),
    ]
    assert events[1].detail["was_hidden_for"] == "Personal details"


@pytest.mark.parametrize("reason", [None, "", "  ", "ab", "x" * 501, 3])
def test_hiding_needs_a_reason(session: Session, reason: object) -> None:
    admin, view = create_user(session), review(session, create_doctor(session))
    with pytest.raises(ValidationFailed) as error:
        moderation.hide_review(
            session, review_id=view.id, reason=reason, actor_id=admin.id, now=NOW
        )
    assert "reason" in error.value.fields
    assert session.get(Review, view.id).hidden_at is None


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_admins_moderate(session: Session, role: str) -> None:
    view = review(session, create_doctor(session))
    actor = create_user(session, role=role).id
    with pytest.raises(Forbidden):
        moderation.hide_review(session, review_id=view.id, reason="Rude", actor_id=actor, now=NOW)
    with pytest.raises(Forbidden):
        moderation.unhide_review(session, review_id=view.id, actor_id=actor, now=NOW)
    with pytest.raises(Forbidden):
        moderation.moderation_list(session, actor_id=actor)
    assert session.exec(select(AuditEvent)).all() == []


@pytest.mark.parametrize("bad", [None, "1", 10**6, -1])
def test_a_made_up_review_is_not_found(session: Session, bad: object) -> None:
    admin = create_user(session)
    with pytest.raises(NotFound):
        moderation.hide_review(session, review_id=bad, reason="Rude", actor_id=admin.id, now=NOW)


# --- counters --------------------------------------------------------------------------


def test_counters_equal_a_recount_after_any_sequence(session: Session) -> None:
    rng = random.Random(7)
    doctors = [create_doctor(session) for _ in range(3)]
    admin = create_user(session)
    written: list[tuple[reviews.ReviewView, int]] = []  # (review, its patient)
    for step in range(60):
        move = rng.choice(["write", "write", "edit", "hide", "unhide"])
        if move == "write" or not written:
            view = review(session, rng.choice(doctors), rng.randint(1, 5))
            written.append((view, session.get(Review, view.id).patient_id))
        else:
            view, patient = rng.choice(written)
            try:
                if move == "edit":
                    reviews.edit_review(
                        session,
                        review_id=view.id,
                        rating=rng.randint(1, 5),
                        actor_id=patient,
                        now=NOW + timedelta(days=rng.choice([1, 29, 40])),
                    )
                elif move == "hide":
                    moderation.hide_review(
                        session,
                        review_id=view.id,
                        reason=f"Step {step}",
                        actor_id=admin.id,
                        now=NOW,
                    )
                else:
                    moderation.unhide_review(session, review_id=view.id, actor_id=admin.id, now=NOW)
            except Conflict:
                pass
            session.commit()
    assert counters(session) == reviews.recounted_ratings(session)
    assert any(r.hidden_at for r in session.exec(select(Review)).all())


def test_hidden_reviews_count_nowhere(session: Session) -> None:
    doctor, admin = create_doctor(session, name="Dr. Hidden Only"), create_user(session)
    view = review(session, doctor, 5)
    moderation.hide_review(
        session, review_id=view.id, reason="Spam text", actor_id=admin.id, now=NOW
    )
    session.commit()
    card = search_doctors(session, filters=DoctorFilters(q="hidden only"), now=NOW).items[0]
    assert (card.rating_label, card.review_count) == ("No reviews yet", 0)
    assert reviews.visible_reviews(session, doctor_id=doctor.id).items == ()
    assert session.get(DoctorRating, doctor.id).rank is None


# --- Highest rated ---------------------------------------------------------------------


def test_highest_rated_sorts_by_average_then_count(session: Session) -> None:
    names = {}
    for name, ratings in [
        ("Dr. Four Many", [4, 4, 4]),
        ("Dr. Five One", [5]),
        ("Dr. Four One", [4]),
        ("Dr. Nothing Yet", []),
        ("Dr. Five Two", [5, 5]),
        ("Dr. Three", [3, 3, 3, 3]),
    ]:
        doctor = create_doctor(session, name=name, experience_years=10)
        names[doctor.id] = name
        for rating in ratings:
            review(session, doctor, rating)
    page = search_doctors(session, filters=DoctorFilters(sort="rating"), now=NOW)
    assert [c.name for c in page.items] == [
        "Dr. Five Two",
        "Dr. Five One",
        "Dr. Four Many",
        "Dr. Four One",
        "Dr. Three",
        "Dr. Nothing Yet",
    ]
    # The API's keyset walk follows the same order, a slice at a time.
    first = doctors_after(session, filters=DoctorFilters(sort="rating"), limit=4, now=NOW)
    rest = doctors_after(
        session, filters=DoctorFilters(sort="rating"), after=first.next_after, limit=4, now=NOW
    )
    assert [c.name for c in first.items + rest.items] == [c.name for c in page.items]
    assert DoctorFilters.from_query({"sort": "rating"}).sort == "rating"
