"""A patient's copy of their own data: all of it, only theirs, JSON-ready."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from healthcareplus.core.errors import Forbidden
from healthcareplus.core.models import Role
from healthcareplus.domain.privacy.personal_data import personal_data
from tests.domain.privacy.conftest import NOW, Record
from tests.factories import create_user


def test_the_copy_holds_everything_about_the_patient(session: Session, record: Record) -> None:
    data = personal_data(session, actor_id=record.patient.id, now=NOW)
    assert json.loads(json.dumps(data)) == data  # plain JSON, no dates or objects left
    assert data["exported_at"] == "2026-11-20T09:00:00+05:30"
    assert data["account"]["email"] == "asha@example.in"
    assert (data["account"]["allergies"], data["account"]["date_of_birth"]) == (
        "Penicillin",
        "1990-04-12",
    )
    assert data["account"]["address"] == "12 MG Road, Bengaluru 560001"
    assert data["account"]["emergency_contact"] == {"name": "Ravi Rao", "phone": "98450 22222"}
    assert [(m["name"], m["allergies"]) for m in data["family_members"]] == [
        ("Riya Rao", "Peanuts"),
        ("Ravi Rao", ""),
    ]
    visits = data["appointments"]
    assert [v["reason"] for v in visits][0] == "Fever for three days"
    assert {v["for_family_member_id"] for v in visits} == {None, record.child.id}
    assert all(v["doctor"] == "Dr. Anil Rao" for v in visits)
    [payment] = data["payments"]
    assert (payment["upi_id"], payment["status"]) == ("asha@okaxis", "Success")
    [treatment] = data["treatment_records"]
    assert (treatment["diagnosis"], treatment["notes"]) == ("Viral fever", "Rest and fluids")
    [review] = data["reviews"]
    assert (review["rating"], review["review"]) == (4, "Kind and thorough, Asha")
    assert {m["subject"] for m in data["messages"]} == {"Hello Asha"}


def test_nothing_of_another_patient_is_in_it(session: Session, record: Record) -> None:
    text = json.dumps(personal_data(session, actor_id=record.patient.id, now=NOW))
    assert "bina" not in text.lower()
    other = personal_data(session, actor_id=record.other.id, now=NOW)
    assert [v["reason"] for v in other["appointments"]] == ["Check-up"]
    assert other["treatment_records"] == other["reviews"] == other["family_members"] == []


def test_only_the_patient_themselves(session: Session, record: Record) -> None:
    admin = create_user(session, role=Role.ADMIN)
    for actor in (admin.id, record.doctor.user_id, None, "1", 10**9):
        with pytest.raises(Forbidden):
            personal_data(session, actor_id=actor, now=NOW)
