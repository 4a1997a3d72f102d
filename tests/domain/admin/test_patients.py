"""The admin's patient management: search, profile and history, block/unblock, edit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import (
    AppointmentStatus,
    AuditEvent,
    PaymentStatus,
    Role,
    User,
    UserSession,
)
from healthcareplus.domain.accounts.sessions import create_session, resolve_session
from healthcareplus.domain.admin import patients as ap
from healthcareplus.domain.admin.patient_history import patient_history
from healthcareplus.domain.booking import appointments as booking
from tests.factories import (
    create_appointment,
    create_doctor,
    create_hospital,
    create_patient,
    create_user,
    local,
)

MONDAY = date(2030, 1, 7)
NOW = local(MONDAY, "06:00")
BLOCKED = "Your account is blocked from booking. Please contact the clinic."


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


def patient(session: Session, name: str, email: str, phone: str, **extra: Any) -> User:
    user = create_patient(session, name=name, email=email)
    user.phone = phone
    for key, value in extra.items():
        setattr(user, key, value)
    session.add(user)
    session.commit()
    return user


def audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_search_by_name_email_or_phone_only_finds_patients(session: Session) -> None:
    patient(session, "Asha Rao", "asha@example.in", "+91 98450 12345")
    patient(session, "Bina Das", "bina@mail.in", "+91 90000 55555")
    create_user(session, role=Role.ADMIN, name="Asha Admin")
    create_user(session, role=Role.DOCTOR, name="Asha Doctor")

    def names(q: str, **kwargs: Any) -> list[str]:
        return [r.name for r in ap.search_patients(session, q=q, **kwargs).items]

    assert names("asha") == ["Asha Rao"]
    assert names("MAIL.IN") == ["Bina Das"]
    assert names("9845012345") == ["Asha Rao"]
    assert names("98450 12345") == ["Asha Rao"]
    assert names("+91-90000") == ["Bina Das"]
    assert names("rao asha") == ["Asha Rao"]
    assert names("%") == []
    assert sorted(names("")) == ["Asha Rao", "Bina Das"]


def test_search_pages_and_filters_blocked(session: Session, admin: User) -> None:
    for n in range(23):
        create_patient(session, name=f"Patient {n:02d}", commit=False)
    session.commit()
    someone = create_patient(session, name="Zara Khan")
    doctor = create_doctor(session)
    create_appointment(session, doctor=doctor, patient=someone, start_at=local(MONDAY, "09:00"))
    create_appointment(session, doctor=doctor, patient=someone, start_at=local(MONDAY, "09:15"))
    ap.block_patient(session, patient_id=someone.id, reason="Abusive", actor_id=admin.id, now=NOW)

    first = ap.search_patients(session)
    assert (first.paging.total, first.paging.pages, len(first.items)) == (24, 2, 20)
    assert ap.search_patients(session, page=2).paging.last_item == 24
    [blocked] = ap.search_patients(session, status="blocked").items
    assert (blocked.name, blocked.is_blocked, blocked.appointments) == ("Zara Khan", True, 2)
    assert ap.search_patients(session, status="active").paging.total == 23


def test_profile_and_history_with_doctor_status_and_payment(session: Session) -> None:
    user = patient(
        session,
        "Asha Rao",
        "asha@example.in",
        "+91 98450 12345",
        date_of_birth=date(1991, 8, 14),
        blood_group="B+",
        allergies="Penicillin",
        medical_history="Asthma",
    )
    doctor = create_doctor(
        session, name="Dr. Kavya Menon", hospital=create_hospital(session, name="Apollo")
    )
    old = create_appointment(
        session, doctor=doctor, patient=user, start_at=local(MONDAY - timedelta(days=3), "10:00")
    )
    old.payment_status, old.payment_method, old.transaction_id = (
        PaymentStatus.SUCCESS,
        "upi",
        "HCP-1",
    )
    session.add(old)
    session.commit()
    create_appointment(
        session,
        doctor=doctor,
        patient=user,
        start_at=local(MONDAY + timedelta(days=2), "10:00"),
    )
    create_appointment(
        session,
        doctor=doctor,
        patient=user,
        start_at=local(MONDAY + timedelta(days=1), "10:00"),
        status=AppointmentStatus.CANCELLED,
    )

    detail = ap.get_patient(session, patient_id=user.id)
    assert (detail.date_of_birth, detail.blood_group, detail.allergies) == (
        "1991-08-14",
        "B+",
        "Penicillin",
    )
    assert (detail.medical_history, detail.is_blocked, detail.blocked_reason) == (
        "Asthma",
        False,
        "",
    )

    history = patient_history(session, patient_id=user.id, now=NOW, page_size=2)
    assert history.paging.total == 3 and history.paging.pages == 2
    assert [(i.time_status, i.date_label) for i in history.items] == [
        ("upcoming", "Wed, 09 Jan 2030"),
        ("cancelled", "Tue, 08 Jan 2030"),
    ]
    [past] = patient_history(session, patient_id=user.id, now=NOW, page=2, page_size=2).items
    assert (past.doctor_name, past.hospital_name, past.time_status) == (
        "Dr. Kavya Menon",
        "Apollo",
        "completed",
    )
    assert (past.payment_status, past.payment_method, past.transaction_id) == (
        "Success",
        "UPI",
        "HCP-1",
    )
    assert past.fee_label == "₹500"


def test_only_patients_are_found_by_id(session: Session, admin: User) -> None:
    with pytest.raises(NotFound):
        ap.get_patient(session, patient_id=admin.id)
    with pytest.raises(NotFound):
        patient_history(session, patient_id=10**6, now=NOW)
    with pytest.raises(NotFound):
        ap.block_patient(session, patient_id=admin.id, reason="Spam", actor_id=admin.id, now=NOW)
    with pytest.raises(NotFound):
        ap.get_patient(session, patient_id="1")  # type: ignore[arg-type]
    assert session.get(User, admin.id).is_blocked is False


def test_blocked_patient_cannot_book_until_unblocked(session: Session, admin: User) -> None:
    user = create_patient(session)
    doctor = create_doctor(session)
    start = local(MONDAY, "10:00")

    detail = ap.block_patient(
        session, patient_id=user.id, reason="  Repeated   no-shows ", actor_id=admin.id, now=NOW
    )
    assert (detail.is_blocked, detail.blocked_reason) == (True, "Repeated no-shows")
    with pytest.raises(Forbidden, match=BLOCKED):
        booking.book(
            session,
            patient_id=user.id,
            doctor_id=doctor.id,
            start_at=start,
            reason="Fever",
            now=NOW,
        )
    [event] = audit(session, "patient_blocked")
    assert (event.entity, event.entity_id, event.reason, event.actor_user_id) == (
        "patient",
        str(user.id),
        "Repeated no-shows",
        admin.id,
    )
    with pytest.raises(Conflict, match="already blocked"):
        ap.block_patient(session, patient_id=user.id, reason="Again", actor_id=admin.id, now=NOW)

    detail = ap.unblock_patient(
        session, patient_id=user.id, reason="Apologised", actor_id=admin.id, now=NOW
    )
    assert (detail.is_blocked, detail.blocked_reason) == (False, "")
    [event] = audit(session, "patient_unblocked")
    assert event.detail == {"was_blocked_for": "Repeated no-shows"} and event.reason == "Apologised"
    booked = booking.book(
        session, patient_id=user.id, doctor_id=doctor.id, start_at=start, reason="Fever", now=NOW
    )
    assert booked.patient_id == user.id
    with pytest.raises(Conflict, match="not blocked"):
        ap.unblock_patient(session, patient_id=user.id, actor_id=admin.id, now=NOW)


def test_blocking_a_patient_signs_them_out_everywhere(session: Session, admin: User) -> None:
    user = create_patient(session)
    other = create_patient(session)
    tokens = [create_session(session, user_id=user.id, role=Role.PATIENT, now=NOW) for _ in "ab"]
    theirs = create_session(session, user_id=other.id, role=Role.PATIENT, now=NOW)
    session.commit()

    ap.block_patient(
        session, patient_id=user.id, reason="Abusive calls", actor_id=admin.id, now=NOW
    )
    session.commit()

    assert [resolve_session(session, token=t, now=NOW) for t in tokens] == [None, None]
    assert resolve_session(session, token=theirs, now=NOW) is not None
    reasons = session.exec(
        select(UserSession.revoked_reason).where(UserSession.user_id == user.id)
    ).all()
    assert reasons == ["patient_blocked", "patient_blocked"]
    [event] = audit(session, "patient_blocked")
    assert event.detail == {"sessions_ended": 2}

    # Unblocking lets them sign in again; the ended sessions stay ended.
    ap.unblock_patient(session, patient_id=user.id, reason="Resolved", actor_id=admin.id, now=NOW)
    session.commit()
    assert [resolve_session(session, token=t, now=NOW) for t in tokens] == [None, None]
    fresh = create_session(session, user_id=user.id, role=Role.PATIENT, now=NOW)
    assert resolve_session(session, token=fresh, now=NOW) is not None


@pytest.mark.parametrize("reason", ["", "  ", "ab", None, 42, "x" * 501])
def test_block_needs_a_real_reason(session: Session, admin: User, reason: Any) -> None:
    user = create_patient(session)
    with pytest.raises(ValidationFailed) as caught:
        ap.block_patient(session, patient_id=user.id, reason=reason, actor_id=admin.id, now=NOW)
    assert set(caught.value.fields) == {"reason"}
    session.rollback()
    assert session.get(User, user.id).is_blocked is False
    assert audit(session, "patient_blocked") == []


def test_edit_details_reuses_profile_rules_and_audits_field_names_only(
    session: Session, admin: User
) -> None:
    user = patient(session, "Asha Rao", "asha@example.in", "+91 98450 12345")
    form = {
        "name": "Asha R. Rao",
        "phone": "9000012345",
        "date_of_birth": "1990-05-01",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Dust",
        "medical_history": "Diabetes type 2",
    }
    detail = ap.update_patient(session, patient_id=user.id, **form, actor_id=admin.id, now=NOW)
    session.commit()  # the test plays the unit of work that commits
    assert (detail.name, detail.phone, detail.date_of_birth) == (
        "Asha R. Rao",
        "+91 90000 12345",
        "1990-05-01",
    )
    assert (detail.blood_group, detail.medical_history) == ("O+", "Diabetes type 2")
    [event] = audit(session, "patient_updated")
    assert event.detail == {
        "fields": [
            "name",
            "phone",
            "date_of_birth",
            "gender",
            "blood_group",
            "allergies",
            "medical_history",
        ]
    }
    assert "Diabetes" not in str(event.detail)

    with pytest.raises(ValidationFailed) as caught:
        ap.update_patient(
            session,
            patient_id=user.id,
            **{**form, "date_of_birth": "2031-01-01", "blood_group": "Z"},
            actor_id=admin.id,
            now=NOW,
        )
    assert set(caught.value.fields) == {"date_of_birth", "blood_group"}
    session.rollback()
    assert session.get(User, user.id).blood_group == "O+"
    ap.update_patient(session, patient_id=user.id, **form, actor_id=admin.id, now=NOW)
    assert len(audit(session, "patient_updated")) == 1  # nothing changed, nothing recorded
    with pytest.raises(NotFound):
        ap.update_patient(session, patient_id=admin.id, **form, actor_id=admin.id, now=NOW)


def test_search_and_history_on_postgres(pg_url: str) -> None:
    from healthcareplus.core.db import get_engine

    with Session(get_engine(pg_url), expire_on_commit=False) as session:
        admin = create_user(session, role=Role.ADMIN)
        user = patient(session, "Asha Rao", "asha@example.in", "+91 98450 12345")
        doctor = create_doctor(session)
        create_appointment(session, doctor=doctor, patient=user, start_at=local(MONDAY, "10:00"))
        [row] = ap.search_patients(session, q="9845012345").items
        assert (row.name, row.appointments) == ("Asha Rao", 1)
        assert patient_history(session, patient_id=user.id, now=NOW).paging.total == 1
        ap.block_patient(session, patient_id=user.id, reason="Spam", actor_id=admin.id, now=NOW)
        assert ap.search_patients(session, status="blocked").paging.total == 1
