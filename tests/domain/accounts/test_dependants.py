"""Family members: adding, editing, listing and removing them, and who may."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.models import AppointmentStatus, AuditEvent, Role
from healthcareplus.domain.accounts.dependants import (
    MAX_DEPENDANTS,
    add_dependant,
    list_dependants,
    own_dependant,
    remove_dependant,
    update_dependant,
)
from tests.factories import create_appointment, create_doctor, create_patient, create_user, local

FRIDAY = date(2026, 11, 20)
NOW = local(FRIDAY, "09:00")


def form(**changes: str) -> dict[str, str]:
    return {
        "name": "Riya Patel",
        "relation": "child",
        "date_of_birth": "2019-05-04",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Peanuts",
        "medical_history": "Asthma",
        **changes,
    }


@pytest.fixture
def holder(session: Session):
    return create_patient(session, name="Asha Patel")


def add(session: Session, holder_id: int, **changes: str):
    return add_dependant(session, holder_id=holder_id, now=NOW, **form(**changes))


def test_a_patient_adds_a_family_member_with_their_medical_profile(session, holder) -> None:
    added = add(session, holder.id)
    assert (added.name, added.relation, added.relation_label) == ("Riya Patel", "child", "Child")
    assert (added.date_of_birth, added.gender, added.blood_group) == ("2019-05-04", "Female", "O+")
    assert (added.allergies, added.medical_history) == ("Peanuts", "Asthma")
    assert [d.name for d in list_dependants(session, holder_id=holder.id)] == ["Riya Patel"]
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "dependant_added")).one()
    assert (entry.actor_user_id, entry.entity, entry.entity_id) == (
        holder.id,
        "dependant",
        str(added.id),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter their full name"),
        ("name", "R2D2", "Use letters"),
        ("relation", "", "Choose how they are related"),
        ("relation", "cousin", "Choose a valid relation"),
        ("date_of_birth", "", "Enter their date of birth"),
        ("date_of_birth", "04/05/2019", "YYYY-MM-DD"),
        ("date_of_birth", "2026-11-21", "cannot be in the future"),
        ("gender", "Robot", "Choose a valid gender"),
        ("blood_group", "C+", "Choose a valid blood group"),
        ("allergies", "x" * 1001, "at most 1000"),
        ("medical_history", "x" * 4001, "at most 4000"),
    ],
)
def test_invalid_fields_are_refused_by_field(session, holder, field, value, message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add(session, holder.id, **{field: value})
    assert message in refused.value.fields[field]
    assert session.exec(select(Dependant)).all() == []


def test_born_today_is_accepted(session, holder) -> None:
    assert add(session, holder.id, date_of_birth="2026-11-20").date_of_birth == "2026-11-20"


def test_crafted_values_are_refused_not_crashed(session, holder) -> None:
    with pytest.raises(ValidationFailed):
        add_dependant(session, holder_id=holder.id, now=NOW, **{**form(), "name": 42})  # type: ignore[arg-type]


def test_at_most_ten_current_family_members(session, holder) -> None:
    for _ in range(MAX_DEPENDANTS):
        add(session, holder.id)
    with pytest.raises(Conflict, match="up to 10"):
        add(session, holder.id)
    # An archived one does not count.
    first = list_dependants(session, holder_id=holder.id)[0]
    doctor = create_doctor(session)
    past = create_appointment(session, doctor=doctor, start_at=NOW - timedelta(days=3))
    past.patient_id, past.dependant_id = holder.id, first.id
    session.add(past)
    session.commit()
    assert remove_dependant(session, holder_id=holder.id, dependant_id=first.id, now=NOW) == (
        "archived"
    )
    add(session, holder.id)
    assert len(list_dependants(session, holder_id=holder.id)) == MAX_DEPENDANTS


def test_the_limit_is_per_account(session, holder) -> None:
    for _ in range(MAX_DEPENDANTS):
        add(session, holder.id)
    other = create_patient(session)
    assert add(session, other.id).name == "Riya Patel"


def test_editing_changes_the_fields(session, holder) -> None:
    added = add(session, holder.id)
    edited = update_dependant(
        session,
        holder_id=holder.id,
        dependant_id=added.id,
        now=NOW,
        **form(name="Riya P. Patel", allergies="Peanuts, dust"),
    )
    assert (edited.name, edited.allergies) == ("Riya P. Patel", "Peanuts, dust")
    row = session.get(Dependant, added.id)
    assert row.updated_at is not None


def test_editing_validates_like_adding(session, holder) -> None:
    added = add(session, holder.id)
    with pytest.raises(ValidationFailed):
        update_dependant(
            session,
            holder_id=holder.id,
            dependant_id=added.id,
            now=NOW,
            **form(date_of_birth="2030-01-01"),
        )


def test_another_accounts_family_member_is_not_found(session, holder) -> None:
    added = add(session, holder.id)
    stranger = create_patient(session)
    with pytest.raises(NotFound):
        update_dependant(
            session, holder_id=stranger.id, dependant_id=added.id, now=NOW, **form(name="Evil")
        )
    with pytest.raises(NotFound):
        remove_dependant(session, holder_id=stranger.id, dependant_id=added.id, now=NOW)
    with pytest.raises(NotFound):
        own_dependant(session, holder_id=stranger.id, dependant_id=added.id)
    assert list_dependants(session, holder_id=stranger.id) == []
    assert session.get(Dependant, added.id).name == "Riya Patel"


@pytest.mark.parametrize("crafted", ["1", 1.0, None, True, [1], 10**9])
def test_crafted_ids_are_not_found(session, holder, crafted) -> None:
    add(session, holder.id)
    with pytest.raises(NotFound):
        own_dependant(session, holder_id=holder.id, dependant_id=crafted)
    with pytest.raises(NotFound):
        remove_dependant(session, holder_id=holder.id, dependant_id=crafted, now=NOW)


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.ADMIN])
def test_only_patients_have_family_members(session, role) -> None:
    user = create_user(session, role=role)
    with pytest.raises(Forbidden):
        add(session, user.id)
    with pytest.raises(Forbidden):
        list_dependants(session, holder_id=user.id)


def test_a_blocked_patient_cannot_change_them(session, holder) -> None:
    added = add(session, holder.id)
    holder.is_blocked = True
    session.add(holder)
    session.commit()
    with pytest.raises(Forbidden):
        add(session, holder.id)
    with pytest.raises(Forbidden):
        remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW)


def _visit_for(session, holder, dependant_id, *, start, status, hold_expires_at=None):
    doctor = create_doctor(session)
    visit = create_appointment(
        session,
        doctor=doctor,
        patient=holder,
        start_at=start,
        status=status,
        hold_expires_at=hold_expires_at,
    )
    visit.dependant_id = dependant_id
    session.add(visit)
    session.commit()
    return visit


def test_without_visits_removing_deletes(session, holder) -> None:
    added = add(session, holder.id)
    assert remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW) == (
        "deleted"
    )
    assert session.get(Dependant, added.id) is None
    assert list_dependants(session, holder_id=holder.id) == []


@pytest.mark.parametrize(
    "status", [AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED]
)
def test_with_earlier_visits_removing_archives(session, holder, status) -> None:
    added = add(session, holder.id)
    visit = _visit_for(session, holder, added.id, start=NOW - timedelta(days=2), status=status)
    assert remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW) == (
        "archived"
    )
    row = session.get(Dependant, added.id)
    assert row is not None and row.archived_at is not None
    assert list_dependants(session, holder_id=holder.id) == []
    assert session.get(type(visit), visit.id).dependant_id == added.id
    # An archived family member can no longer be booked for, edited or removed again.
    with pytest.raises(NotFound):
        own_dependant(session, holder_id=holder.id, dependant_id=added.id)
    with pytest.raises(NotFound):
        remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW)


def test_a_cancelled_future_visit_archives_too(session, holder) -> None:
    added = add(session, holder.id)
    _visit_for(
        session, holder, added.id, start=NOW + timedelta(days=2), status=AppointmentStatus.CANCELLED
    )
    assert remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW) == (
        "archived"
    )


def test_an_upcoming_visit_refuses_removal(session, holder) -> None:
    added = add(session, holder.id)
    _visit_for(
        session, holder, added.id, start=NOW + timedelta(days=2), status=AppointmentStatus.CONFIRMED
    )
    with pytest.raises(Conflict, match="Cancel it first"):
        remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW)
    assert session.get(Dependant, added.id).archived_at is None


def test_a_live_payment_hold_refuses_removal_a_lapsed_one_does_not(session, holder) -> None:
    added = add(session, holder.id)
    start = NOW + timedelta(days=2)
    pending = AppointmentStatus.PENDING_PAYMENT
    hold = _visit_for(
        session, holder, added.id, start=start, status=pending, hold_expires_at=NOW + timedelta(1)
    )
    with pytest.raises(Conflict):
        remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW)
    hold.hold_expires_at = NOW - timedelta(minutes=1)
    session.add(hold)
    session.commit()
    assert remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW) == (
        "archived"
    )


def test_a_visit_under_way_still_refuses_removal(session, holder) -> None:
    added = add(session, holder.id)
    _visit_for(
        session,
        holder,
        added.id,
        start=NOW - timedelta(minutes=5),
        status=AppointmentStatus.CONFIRMED,
    )
    with pytest.raises(Conflict):
        remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW)


def test_the_holders_own_visits_do_not_block_removal(session, holder) -> None:
    added = add(session, holder.id)
    _visit_for(session, holder, None, start=NOW + timedelta(days=2), status="confirmed")
    assert remove_dependant(session, holder_id=holder.id, dependant_id=added.id, now=NOW) == (
        "deleted"
    )
