"""Reviews from verified visits: only a patient's own completed visit can be rated (and the
database itself refuses anything else, on SQLite and PostgreSQL), once per doctor, editable
for 30 days; the doctor's average is read from counters kept in step with every write."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import AppointmentStatus, Role
from healthcareplus.core.review_models import DoctorRating, Review
from healthcareplus.domain.catalog import reviews
from healthcareplus.domain.catalog.discovery import get_doctor_profile
from healthcareplus.domain.catalog.search import DoctorFilters, search_doctors
from tests.factories import create_appointment, create_doctor, create_patient, create_user, local

NOW = local(date(2030, 1, 7), "18:00")
VISIT = local(date(2030, 1, 7), "10:00")
_HOURS = itertools.count(1)


def visit(session: Session, doctor=None, patient=None, status=AppointmentStatus.COMPLETED, at=None):
    """A visit (completed by default); each at its own hour unless ``at`` is given."""
    return create_appointment(
        session,
        doctor=doctor or create_doctor(session),
        patient=patient,
        start_at=at or VISIT - timedelta(hours=next(_HOURS)),
        status=status,
    )


def write(
    session: Session, appointment, *, rating=4, body="Kind and thorough.", now=NOW, actor=None
):
    view = reviews.write_review(
        session,
        appointment_id=appointment.id,
        rating=rating,
        body=body,
        actor_id=appointment.patient_id if actor is None else actor,
        now=now,
    )
    session.commit()
    return view


# --- the database refuses a review without a completed visit --------------------------


def _raw_insert(
    session: Session, appointment, *, status="completed", patient_id=None, doctor_id=None
):
    session.execute(
        sa.text(
            "INSERT INTO reviews (appointment_id, appointment_status, patient_id, doctor_id,"
            " rating, body, created_at) VALUES (:a, :s, :p, :d, 5, '', :at)"
        ),
        {
            "a": appointment.id,
            "s": status,
            "p": appointment.patient_id if patient_id is None else patient_id,
            "d": appointment.doctor_id if doctor_id is None else doctor_id,
            "at": NOW,
        },
    )
    session.flush()


def test_a_raw_insert_for_a_completed_visit_is_accepted(either_db: Session) -> None:
    appointment = visit(either_db)
    _raw_insert(either_db, appointment)
    either_db.commit()
    assert len(either_db.exec(select(Review)).all()) == 1


@pytest.mark.parametrize(
    "status",
    [s for s in AppointmentStatus if s != AppointmentStatus.COMPLETED],
)
def test_the_database_refuses_a_review_of_a_visit_that_is_not_completed(
    either_db: Session, status: str
) -> None:
    appointment = visit(either_db, status=status)
    # Claiming the status it does not have breaks the foreign key ...
    with pytest.raises(IntegrityError):
        _raw_insert(either_db, appointment)
    either_db.rollback()
    # ... and naming its real status breaks the CHECK.
    with pytest.raises(IntegrityError):
        _raw_insert(either_db, appointment, status=status)
    either_db.rollback()


def test_the_database_refuses_a_review_of_someone_elses_visit(either_db: Session) -> None:
    appointment = visit(either_db)
    stranger = create_patient(either_db)
    with pytest.raises(IntegrityError):
        _raw_insert(either_db, appointment, patient_id=stranger.id)
    either_db.rollback()


def test_the_database_refuses_a_review_naming_another_doctor(either_db: Session) -> None:
    appointment = visit(either_db)
    other = create_doctor(either_db)
    with pytest.raises(IntegrityError):
        _raw_insert(either_db, appointment, doctor_id=other.id)
    either_db.rollback()


def test_the_database_allows_one_review_per_patient_and_doctor(either_db: Session) -> None:
    doctor, patient = create_doctor(either_db), create_patient(either_db)
    first = visit(either_db, doctor, patient)
    second = visit(either_db, doctor, patient, at=VISIT - timedelta(days=7))
    _raw_insert(either_db, first)
    either_db.commit()
    with pytest.raises(IntegrityError):
        _raw_insert(either_db, second)
    either_db.rollback()


def test_a_reviewed_visit_cannot_change_its_status(either_db: Session) -> None:
    appointment = visit(either_db)
    _raw_insert(either_db, appointment)
    either_db.commit()
    with pytest.raises(IntegrityError):
        either_db.execute(
            sa.text("UPDATE appointments SET status = 'no_show' WHERE id = :a"),
            {"a": appointment.id},
        )
        either_db.flush()
    either_db.rollback()


# --- writing --------------------------------------------------------------------------


def test_a_patient_rates_their_completed_visit(session: Session) -> None:
    patient = create_patient(session, name="Priya Sharma")
    appointment = visit(session, patient=patient)
    view = write(session, appointment, rating=5, body="  Very good.  ")
    assert (view.rating, view.body, view.stars, view.author) == (
        5,
        "Very good.",
        "★★★★★",
        "Priya S.",
    )
    assert reviews.doctor_rating(session, doctor_id=appointment.doctor_id).label == (
        "5.0 ★ (1 review)"
    )


@pytest.mark.parametrize("status", [s for s in AppointmentStatus if s != "completed"])
def test_only_a_completed_visit_can_be_rated(session: Session, status: str) -> None:
    appointment = visit(session, status=status)
    with pytest.raises(Conflict, match="completed"):
        write(session, appointment)
    assert session.exec(select(Review)).all() == []


def test_someone_elses_visit_cannot_be_rated(session: Session) -> None:
    appointment = visit(session)
    stranger = create_patient(session)
    with pytest.raises(NotFound):
        write(session, appointment, actor=stranger.id)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DOCTOR])
def test_only_patients_write_reviews(session: Session, role: str) -> None:
    appointment = visit(session)
    with pytest.raises(Forbidden):
        write(session, appointment, actor=create_user(session, role=role).id)


def test_a_blocked_patient_cannot_write(session: Session) -> None:
    patient = create_patient(session)
    patient.is_blocked = True
    session.add(patient)
    session.commit()
    with pytest.raises(Forbidden):
        write(session, visit(session, patient=patient))


@pytest.mark.parametrize("bad", [0, 6, -1, "5", 4.5, True, None])
def test_the_rating_must_be_a_whole_number_of_stars(session: Session, bad: object) -> None:
    with pytest.raises(ValidationFailed) as error:
        write(session, visit(session), rating=bad)
    assert "rating" in error.value.fields


@pytest.mark.parametrize("bad", ["x" * 2001, 42, None, ["a"]])
def test_the_text_is_optional_but_bounded(session: Session, bad: object) -> None:
    with pytest.raises(ValidationFailed) as error:
        write(session, visit(session), body=bad)
    assert "body" in error.value.fields
    assert write(session, visit(session), body="x" * 2000).body == "x" * 2000
    assert write(session, visit(session), body="").body == ""


@pytest.mark.parametrize("bad", [None, 42, "", "not-a-visit", ["id"]])
def test_a_made_up_visit_is_not_found(session: Session, bad: object) -> None:
    patient = create_patient(session)
    with pytest.raises(NotFound):
        reviews.write_review(session, appointment_id=bad, rating=5, actor_id=patient.id, now=NOW)


def test_a_patient_reviews_a_doctor_once(session: Session) -> None:
    doctor, patient = create_doctor(session), create_patient(session)
    write(session, visit(session, doctor, patient))
    later = visit(session, doctor, patient, at=VISIT + timedelta(days=7))
    with pytest.raises(Conflict, match="already reviewed"):
        write(session, later)
    # Another doctor is another review.
    write(session, visit(session, patient=patient))
    assert len(session.exec(select(Review)).all()) == 2


# --- editing within 30 days -----------------------------------------------------------


def test_the_review_can_be_edited_up_to_30_days_after_writing(session: Session) -> None:
    appointment = visit(session)
    view = write(session, appointment, rating=2)
    day_30 = NOW + timedelta(days=30)
    edited = reviews.edit_review(
        session,
        review_id=view.id,
        rating=4,
        body="Better on reflection.",
        actor_id=appointment.patient_id,
        now=day_30,
    )
    session.commit()
    assert (edited.rating, edited.body, edited.edited) == (4, "Better on reflection.", True)
    with pytest.raises(Conflict, match="30 days"):
        reviews.edit_review(
            session,
            review_id=view.id,
            rating=5,
            actor_id=appointment.patient_id,
            now=day_30 + timedelta(seconds=1),
        )
    with pytest.raises(Conflict, match="30 days"):
        reviews.edit_review(
            session,
            review_id=view.id,
            rating=5,
            actor_id=appointment.patient_id,
            now=NOW + timedelta(days=31),
        )
    assert session.get(Review, view.id).rating == 4
    assert reviews.doctor_rating(session, doctor_id=appointment.doctor_id).label == (
        "4.0 ★ (1 review)"
    )


def test_only_the_author_edits(session: Session) -> None:
    appointment = visit(session)
    view = write(session, appointment)
    for actor in (create_patient(session).id, create_user(session, role=Role.ADMIN).id, None, "1"):
        with pytest.raises((NotFound, Forbidden)):
            reviews.edit_review(session, review_id=view.id, rating=1, actor_id=actor, now=NOW)
    with pytest.raises(NotFound):
        reviews.edit_review(
            session, review_id=str(view.id), rating=1, actor_id=appointment.patient_id, now=NOW
        )
    assert session.get(Review, view.id).rating == 4


def test_my_appointments_offers_rate_then_edit_then_nothing(session: Session) -> None:
    doctor, patient = create_doctor(session), create_patient(session)
    first = visit(session, doctor, patient)
    second = visit(session, doctor, patient, at=VISIT - timedelta(days=7))
    upcoming = visit(session, doctor, patient, status="confirmed", at=VISIT + timedelta(days=2))
    ids = [first.id, second.id, upcoming.id]

    def offers(now=NOW):
        found = reviews.visit_reviews(session, patient_id=patient.id, appointment_ids=ids, now=now)
        return {key: value.action for key, value in found.items()}

    assert offers() == {first.id: "rate", second.id: "rate"}
    write(session, first, rating=3)
    assert offers() == {first.id: "edit"}
    assert offers(NOW + timedelta(days=31)) == {}
    stranger = create_patient(session)
    assert (
        reviews.visit_reviews(session, patient_id=stranger.id, appointment_ids=ids, now=NOW) == {}
    )


# --- what patients see ----------------------------------------------------------------


def test_cards_and_profile_show_the_average_to_one_decimal(session: Session) -> None:
    doctor = create_doctor(session, name="Dr. Asha Rao")
    for rating in (5, 4, 5):
        write(session, visit(session, doctor), rating=rating)
    card = search_doctors(session, filters=DoctorFilters(q="asha"), now=NOW).items[0]
    assert (card.rating_label, card.rating_average, card.review_count) == (
        "4.7 ★ (3 reviews)",
        4.7,
        3,
    )
    profile = get_doctor_profile(session, doctor_id=doctor.id, now=NOW)
    assert profile.rating_label == "4.7 ★ (3 reviews)"
    other = create_doctor(session, name="Dr. Unrated One")
    card = search_doctors(session, filters=DoctorFilters(q="unrated"), now=NOW).items[0]
    assert card.rating_label == "No reviews yet" and other.id == card.id


def test_the_profile_lists_reviews_newest_first_a_page_at_a_time(session: Session) -> None:
    doctor = create_doctor(session)
    for day in range(7):
        write(session, visit(session, doctor), rating=1 + day % 5, now=NOW + timedelta(days=day))
    first = reviews.visible_reviews(session, doctor_id=doctor.id, page=1)
    assert [r.rating for r in first.items] == [2, 1, 5, 4, 3]
    second = reviews.visible_reviews(session, doctor_id=doctor.id, page=2)
    assert [r.rating for r in second.items] == [2, 1]
    assert (second.paging.total, second.paging.pages) == (7, 2)
    assert reviews.visible_reviews(session, doctor_id=doctor.id, page="junk").paging.page == 1


def test_summary_wording() -> None:
    assert reviews.summary(0, 0).label == "No reviews yet"
    assert reviews.summary(23, 106).label == "4.6 ★ (23 reviews)"
    assert reviews.summary(1, 3).label == "3.0 ★ (1 review)"
    assert reviews.public_name("Ravi") == "Ravi"
    assert reviews.public_name("Ravi K Menon") == "Ravi M."
    assert reviews.public_name("  ") == "A patient"


def test_counters_start_from_nothing(session: Session) -> None:
    assert session.exec(select(DoctorRating)).all() == []


def test_a_review_written_meanwhile_elsewhere_is_a_conflict(
    either_db: Session, either_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs at once: the other's review commits between this one's check and its
    INSERT; the unique key refuses it and the patient reads why (on both databases)."""
    from healthcareplus.core.db import get_engine
    from healthcareplus.core.formatting import utc

    doctor, patient = create_doctor(either_db), create_patient(either_db)
    first = visit(either_db, doctor, patient)
    second = visit(either_db, doctor, patient)
    raced = []

    def meanwhile(instant):  # ``utc`` runs once more, just before the INSERT
        if not raced:
            raced.append(True)
            with Session(get_engine(either_db_url)) as other:
                reviews.write_review(
                    other, appointment_id=second.id, rating=2, actor_id=patient.id, now=NOW
                )
                other.commit()
        return utc(instant)

    monkeypatch.setattr(reviews, "utc", meanwhile)
    with pytest.raises(Conflict, match="already reviewed"):
        reviews.write_review(
            either_db, appointment_id=first.id, rating=5, actor_id=patient.id, now=NOW
        )
    either_db.commit()  # the transaction is still usable after the refused INSERT
    assert raced == [True]
    stored = either_db.exec(select(Review)).all()
    assert [(r.appointment_id, r.rating) for r in stored] == [(second.id, 2)]
    assert either_db.get(DoctorRating, doctor.id).rating_total == 2
