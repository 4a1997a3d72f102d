"""A doctor's own profile and fee change requests, and the admins' decisions on them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.models import (
    AuditEvent,
    Doctor,
    FeeChangeRequest,
    FeeRequestStatus,
    Notification,
    Role,
    User,
)
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.domain.admin import fee_requests
from tests.factories import create_doctor, create_patient, create_user, link_doctor_user

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
PROFILE = {
    "qualification": "MBBS, MD (Paediatrics)",
    "languages": "english, Kannada, hindi",
    "about": "Children's doctor for 12 years.",
    "registration_number": " kmc  12345 ",
    "registration_council": "Karnataka Medical Council",
}


@pytest.fixture
def doctor(session: Session) -> Doctor:
    made = create_doctor(session, name="Dr. Anil Rao", fee_paise=60_000)
    link_doctor_user(session, made)
    return made


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role=Role.ADMIN)


def audits(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_a_doctor_edits_their_own_profile_and_registration(
    session: Session, doctor: Doctor
) -> None:
    profile = own.update_own_profile(session, actor_id=doctor.user_id, values=PROFILE, now=NOW)
    session.commit()
    assert (profile.qualification, profile.languages) == (
        "MBBS, MD (Paediatrics)",
        ("English", "Kannada", "Hindi"),
    )
    assert (profile.registration_number, profile.registration_council) == (
        "KMC 12345",
        "Karnataka Medical Council",
    )
    session.refresh(doctor)
    assert doctor.registration_number == "KMC 12345" and doctor.about == PROFILE["about"]
    assert doctor.fee_paise == 60_000 and doctor.name == "Dr. Anil Rao"  # not theirs to set
    [entry] = audits(session, "doctor_profile_updated")
    assert entry.actor_user_id == doctor.user_id
    assert set(entry.detail["changes"]) == {
        "qualification", "languages", "about", "registration_number", "registration_council"
    }  # fmt: skip

    own.update_own_profile(session, actor_id=doctor.user_id, values=PROFILE, now=NOW)
    session.commit()
    assert len(audits(session, "doctor_profile_updated")) == 1  # nothing changed: no entry


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"qualification": ""}, "qualification"),
        ({"languages": ""}, "languages"),
        ({"languages": "English, 42"}, "languages"),
        ({"about": "x" * 2001}, "about"),
        ({"registration_number": "KMC 1"}, "registration_number"),  # ok alone below
        ({"registration_council": ""}, "registration_number"),  # a number needs its council
        ({"registration_number": ""}, "registration_number"),  # a council needs its number
        ({"registration_council": "Mars Medical Council"}, "registration_number"),
        ({"registration_number": "<script>"}, "registration_number"),
        ({"registration_number": "A" * 31}, "registration_number"),
        ({"registration_number": 12345}, "registration_number"),
    ],
)
def test_bad_profile_fields_are_refused_by_name(
    session: Session, doctor: Doctor, change: dict[str, object], field: str
) -> None:
    values = {**PROFILE, **change}
    if change == {"registration_number": "KMC 1"}:
        own.update_own_profile(session, actor_id=doctor.user_id, values=values, now=NOW)
        return
    with pytest.raises(ValidationFailed) as refused:
        own.update_own_profile(session, actor_id=doctor.user_id, values=values, now=NOW)
    assert field in refused.value.fields


def test_the_registration_may_be_left_out_entirely(session: Session, doctor: Doctor) -> None:
    values = {**PROFILE, "registration_number": "", "registration_council": ""}
    profile = own.update_own_profile(session, actor_id=doctor.user_id, values=values, now=NOW)
    assert (profile.registration_number, profile.registration_council) == ("", "")


def test_only_the_doctor_themselves_may_use_it(session: Session, doctor: Doctor) -> None:
    patient = create_patient(session)
    admin = create_user(session, role=Role.ADMIN)
    unlinked = create_user(session, role=Role.DOCTOR)
    for actor in (patient.id, admin.id, unlinked.id, None, "1", 10**9):
        with pytest.raises(Forbidden):
            own.update_own_profile(session, actor_id=actor, values=PROFILE, now=NOW)
        with pytest.raises(Forbidden):
            own.request_fee_change(session, actor_id=actor, fee_rupees=700, reason="", now=NOW)
        with pytest.raises(Forbidden):
            own.own_profile(session, actor_id=actor)
    doctor.is_active = False
    session.add(doctor)
    session.commit()
    with pytest.raises(Forbidden):
        own.own_profile(session, actor_id=doctor.user_id)


def test_a_fee_request_waits_for_an_admin_and_approval_changes_the_fee(
    session: Session, doctor: Doctor, admin: User
) -> None:
    profile = own.request_fee_change(
        session, actor_id=doctor.user_id, fee_rupees="750", reason="New clinic hours", now=NOW
    )
    session.commit()
    pending = profile.latest_fee_request
    assert pending is not None and pending.status == FeeRequestStatus.PENDING
    assert (pending.current_fee_paise, pending.requested_fee_paise) == (60_000, 75_000)
    session.refresh(doctor)
    assert doctor.fee_paise == 60_000  # unchanged until an admin approves
    [listed] = fee_requests.pending_fee_requests(session, actor_id=admin.id)
    assert (listed.doctor, listed.requested_fee_paise, listed.reason) == (
        "Dr. Anil Rao",
        75_000,
        "New clinic hours",
    )
    assert fee_requests.pending_count(session) == 1

    later = NOW + timedelta(hours=1)
    fee_requests.decide_fee_request(
        session, actor_id=admin.id, request_id=pending.id, approve=True, now=later
    )
    session.commit()
    session.refresh(doctor)
    assert doctor.fee_paise == 75_000
    decided = own.own_profile(session, actor_id=doctor.user_id).latest_fee_request
    assert decided is not None and decided.status == FeeRequestStatus.APPROVED
    assert decided.decided_at == later
    [entry] = audits(session, "fee_change_approved")
    assert entry.detail == {"from_paise": 60_000, "to_paise": 75_000}
    told = session.exec(select(Notification).where(Notification.user_id == doctor.user_id)).all()
    assert {n.channel for n in told} == {"email", "in_app"}
    assert all("₹750" in n.body for n in told)
    assert fee_requests.pending_fee_requests(session, actor_id=admin.id) == []
    with pytest.raises(Conflict, match="already been decided"):
        fee_requests.decide_fee_request(
            session,
            actor_id=admin.id,
            request_id=pending.id,
            approve=False,
            note="Not now",
            now=later,
        )


def test_declining_needs_a_note_and_keeps_the_fee(
    session: Session, doctor: Doctor, admin: User
) -> None:
    request = own.request_fee_change(
        session, actor_id=doctor.user_id, fee_rupees=900, reason="", now=NOW
    ).latest_fee_request
    assert request is not None
    with pytest.raises(ValidationFailed):
        fee_requests.decide_fee_request(
            session, actor_id=admin.id, request_id=request.id, approve=False, note="", now=NOW
        )
    session.rollback()
    fee_requests.decide_fee_request(
        session,
        actor_id=admin.id,
        request_id=request.id,
        approve=False,
        note="Fees are reviewed in April",
        now=NOW,
    )
    session.commit()
    session.refresh(doctor)
    assert doctor.fee_paise == 60_000
    latest = own.own_profile(session, actor_id=doctor.user_id).latest_fee_request
    assert latest is not None
    assert (latest.status, latest.decision_note) == ("declined", "Fees are reviewed in April")


def test_one_pending_request_at_a_time_until_withdrawn(session: Session, doctor: Doctor) -> None:
    own.request_fee_change(session, actor_id=doctor.user_id, fee_rupees=700, reason="", now=NOW)
    session.commit()
    with pytest.raises(Conflict, match="withdraw it first"):
        own.request_fee_change(session, actor_id=doctor.user_id, fee_rupees=800, reason="", now=NOW)
    session.rollback()
    profile = own.withdraw_fee_request(session, actor_id=doctor.user_id, now=NOW)
    session.commit()
    assert profile.latest_fee_request is not None
    assert profile.latest_fee_request.status == FeeRequestStatus.WITHDRAWN
    with pytest.raises(NotFound):
        own.withdraw_fee_request(session, actor_id=doctor.user_id, now=NOW)
    session.rollback()
    later = NOW + timedelta(minutes=1)
    again = own.request_fee_change(
        session, actor_id=doctor.user_id, fee_rupees=800, reason="", now=later
    )
    assert again.latest_fee_request is not None
    assert again.latest_fee_request.requested_fee_paise == 80_000


def test_the_database_allows_one_pending_request_per_doctor(
    session: Session, doctor: Doctor
) -> None:
    def row() -> FeeChangeRequest:
        return FeeChangeRequest(
            doctor_id=doctor.id, current_fee_paise=1, requested_fee_paise=2, requested_at=NOW
        )

    session.add(row())
    session.commit()
    session.add(row())
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    done = row()
    done.status = FeeRequestStatus.DECLINED
    session.add(done)
    session.commit()  # decided ones do not count


@pytest.mark.parametrize("fee", [99, 10_001, "abc", None, 7.5, True])
def test_fee_outside_the_clinic_range_is_refused(
    session: Session, doctor: Doctor, fee: object
) -> None:
    with pytest.raises(ValidationFailed):
        own.request_fee_change(session, actor_id=doctor.user_id, fee_rupees=fee, reason="", now=NOW)


def test_asking_for_the_current_fee_is_refused(session: Session, doctor: Doctor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        own.request_fee_change(session, actor_id=doctor.user_id, fee_rupees=600, reason="", now=NOW)
    assert refused.value.fields == {"fee_rupees": own.SAME_FEE}


def test_only_admins_list_and_decide(session: Session, doctor: Doctor) -> None:
    request = own.request_fee_change(
        session, actor_id=doctor.user_id, fee_rupees=700, reason="", now=NOW
    ).latest_fee_request
    assert request is not None
    session.commit()
    for actor in (doctor.user_id, create_patient(session).id, None):
        with pytest.raises(Forbidden):
            fee_requests.pending_fee_requests(session, actor_id=actor)
        with pytest.raises(Forbidden):
            fee_requests.decide_fee_request(
                session, actor_id=actor, request_id=request.id, approve=True, now=NOW
            )
    session.refresh(doctor)
    assert doctor.fee_paise == 60_000


@pytest.mark.parametrize("request_id", [None, "1", 10**9, True, [1]])
def test_unknown_requests_are_not_found(session: Session, admin: User, request_id: object) -> None:
    with pytest.raises(NotFound):
        fee_requests.decide_fee_request(
            session, actor_id=admin.id, request_id=request_id, approve=True, now=NOW
        )


def test_a_withdrawn_request_cannot_be_approved(
    session: Session, doctor: Doctor, admin: User
) -> None:
    request = own.request_fee_change(
        session, actor_id=doctor.user_id, fee_rupees=700, reason="", now=NOW
    ).latest_fee_request
    assert request is not None
    own.withdraw_fee_request(session, actor_id=doctor.user_id, now=NOW)
    session.commit()
    with pytest.raises(Conflict):
        fee_requests.decide_fee_request(
            session, actor_id=admin.id, request_id=request.id, approve=True, now=NOW
        )
    session.rollback()
    session.refresh(doctor)
    assert doctor.fee_paise == 60_000
    assert (
        session.exec(
            select(col(FeeChangeRequest.status)).where(FeeChangeRequest.id == request.id)
        ).one()
        == "withdrawn"
    )
