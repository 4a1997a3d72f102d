"""Erasing an account: the person is gone, the clinic's books stay whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden, ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    AuditEvent,
    Dependant,
    DoctorRating,
    Notification,
    Payment,
    PendingNews,
    Review,
    Role,
    Treatment,
    User,
    WaitlistEntry,
)
from healthcareplus.domain.accounts import passwords
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from healthcareplus.domain.admin.patients import update_patient
from healthcareplus.domain.privacy import erasure
from healthcareplus.domain.privacy.erasure import erase_own_account
from healthcareplus.domain.reports.monthly_summary import monthly_summary
from tests.domain.privacy.conftest import NOW, Record
from tests.factories import create_appointment, create_user

PASSWORD = "Asha#Secret1"


@pytest.fixture(autouse=True)
def with_password(session: Session, record: Record, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)
    record.patient.password_hash = passwords.hash_password(PASSWORD)
    session.add(record.patient)
    session.commit()


def erase(session: Session, record: Record, **kw: object) -> erasure.Erasure:
    args = {"actor_id": record.patient.id, "password": PASSWORD, "confirmed": True, "now": NOW}
    done = erase_own_account(session, **{**args, **kw})  # type: ignore[arg-type]
    session.commit()
    return done


def test_the_person_is_gone_and_signed_out(session: Session, record: Record) -> None:
    token = create_session(session, user_id=record.patient.id, role=Role.PATIENT, now=NOW)
    waiting = WaitlistEntry(
        patient_id=record.patient.id, doctor_id=record.doctor.id,
        from_day=NOW.date(), to_day=NOW.date(), joined_at=NOW,
    )  # fmt: skip
    session.add(waiting)
    unwritten = PendingNews(
        event="completed", appointment_id=record.visit.id, occurrence=1, moves=0,
        appointment="{}", created_at=NOW,
    )  # fmt: skip
    session.add(unwritten)
    session.commit()
    done = erase(session, record)
    user = session.get(User, record.patient.id)
    assert user is not None
    assert (user.name, user.email, user.phone) == (
        "Former patient", f"erased-{user.id}@erased.invalid", ""
    )  # fmt: skip
    assert (user.date_of_birth, user.blood_group, user.allergies, user.is_active) == (
        None, None, "", False
    )  # fmt: skip
    assert (user.address, user.emergency_contact_name, user.emergency_contact_phone) == ("", "", "")
    assert not passwords.verify_password(PASSWORD, user.password_hash)
    assert resolve_session(session, token=token, now=NOW) is None
    assert done == erasure.Erasure(
        appointments_kept=2, family_members_deleted=1, family_members_anonymised=1,
        messages_deleted=done.messages_deleted,
    )  # fmt: skip
    assert done.messages_deleted >= 1
    assert session.exec(select(Notification).where(Notification.user_id == user.id)).all() == []
    assert session.exec(select(PendingNews)).all() == []  # no letters left to write
    session.refresh(waiting)
    assert (waiting.status, waiting.ended_at) == ("left", NOW)


def test_family_members_with_visits_stay_without_their_identity(
    session: Session, record: Record
) -> None:
    erase(session, record)
    assert session.get(Dependant, record.spouse.id) is None  # no visit: deleted
    child = session.get(Dependant, record.child.id)
    assert child is not None
    assert (child.name, child.allergies, child.date_of_birth.isoformat()) == (
        "Former family member", "", "2018-01-01"
    )  # fmt: skip
    assert child.archived_at is not None


def test_the_books_stay_whole(session: Session, record: Record) -> None:
    before = monthly_summary(session, year=2026, month=11)
    erase(session, record)
    after = monthly_summary(session, year=2026, month=11)
    assert after.totals == before.totals  # every count and the revenue unchanged
    visit = session.get(Appointment, record.visit.id)
    assert visit is not None and (visit.status, visit.fee_paise) == (
        "completed",
        record.visit.fee_paise,
    )
    assert visit.reason == erasure.ERASED
    [payment] = session.exec(select(Payment).where(Payment.appointment_id == visit.id)).all()
    assert (payment.status, payment.upi_vpa) == ("Success", None)
    treatment = session.exec(select(Treatment).where(Treatment.appointment_id == visit.id)).one()
    assert treatment.diagnosis == "Viral fever"  # kept: medical records law
    review = session.exec(select(Review).where(Review.patient_id == record.patient.id)).one()
    assert (review.rating, review.body) == (4, "")
    rating = session.get(DoctorRating, record.doctor.id)
    assert rating is not None and (rating.review_count, rating.rating_total) == (1, 4)


def test_the_audit_trail_keeps_entries_but_not_the_values(session: Session, record: Record) -> None:
    admin = create_user(session, role=Role.ADMIN)
    update_patient(
        session, patient_id=record.patient.id, actor_id=admin.id, now=NOW,
        name="Asha R. Rao", phone="+91 98450 11111", date_of_birth="1990-04-12",
        gender="Female", blood_group="B+", allergies="Penicillin", medical_history="",
    )  # fmt: skip
    session.commit()
    erase(session, record)
    edits = session.exec(select(AuditEvent).where(AuditEvent.action == "patient_updated")).all()
    assert edits and all(e.detail == {} for e in edits)
    [erased] = session.exec(select(AuditEvent).where(AuditEvent.action == "account_erased"))
    assert erased.actor_user_id == record.patient.id and erased.detail["appointments_kept"] == 2


def test_another_patient_is_untouched(session: Session, record: Record) -> None:
    erase(session, record)
    other = session.get(User, record.other.id)
    assert other is not None and other.name == "Bina Das" and other.is_active
    reasons = session.exec(
        select(Appointment.reason).where(col(Appointment.patient_id) == record.other.id)
    ).all()
    assert reasons == ["Check-up"]


def test_upcoming_visits_must_be_cancelled_first(session: Session, record: Record) -> None:
    create_appointment(
        session, doctor=record.doctor, patient=record.patient, start_at=NOW + timedelta(days=2)
    )
    with pytest.raises(Conflict, match="1 upcoming visit"):
        erase(session, record)
    session.rollback()
    user = session.get(User, record.patient.id)
    assert user is not None and user.name == "Asha Rao" and user.is_active


@pytest.mark.parametrize(
    ("kw", "fields"),
    [
        ({"password": "wrong"}, {"password"}),
        ({"password": None}, {"password"}),
        ({"confirmed": False}, {"confirm"}),
        ({"confirmed": "on"}, {"confirm"}),  # only a real True counts
        ({"password": "", "confirmed": None}, {"password", "confirm"}),
    ],
)
def test_the_password_and_the_confirmation_are_required(
    session: Session, record: Record, kw: dict[str, object], fields: set[str]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        erase(session, record, **kw)
    assert set(refused.value.fields) == fields
    session.rollback()
    assert session.get(User, record.patient.id).name == "Asha Rao"  # type: ignore[union-attr]


def test_only_the_patient_themselves(session: Session, record: Record) -> None:
    admin = create_user(session, role=Role.ADMIN)
    for actor in (admin.id, record.doctor.user_id, 0, None):
        with pytest.raises(Forbidden):
            erase(session, record, actor_id=actor)
