"""Family members through the API: listing them, and booking a visit for one (your own
only), which the answer names."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment
from healthcareplus.domain.accounts.dependants import add_dependant
from tests.api.v1.conftest import V1, problem
from tests.api.v1.patient_helpers import book, slot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FAMILY = f"{V1}/me/family"


def member(db: Session, holder_id: int, name: str) -> int:
    added = add_dependant(
        db,
        holder_id=holder_id,
        now=utcnow(),
        name=name,
        relation="child",
        date_of_birth="2019-05-04",
        gender="Female",
        blood_group="O+",
        allergies="Peanuts",
        medical_history="",
    )
    db.commit()
    return added.id


def test_the_family_list_is_the_callers_own(client, db: Session, asha, ravi) -> None:
    riya = member(db, asha.id, "Riya Rao")
    member(db, ravi.id, "Kabir Kumar")
    response = client.get(FAMILY, headers=asha.headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == [
        {
            "id": riya,
            "name": "Riya Rao",
            "relation": "child",
            "relation_label": "Child",
            "date_of_birth": "2019-05-04",
            "gender": "Female",
            "blood_group": "O+",
            "allergies": "Peanuts",
            "medical_history": "",
        }
    ]


def test_booking_for_a_family_member(client, db: Session, surgery, asha, ravi) -> None:
    riya = member(db, asha.id, "Riya Rao")
    start = slot()
    mine = book(client, asha, surgery, start)
    assert mine.status_code == 201 and mine.json()["for_name"] is None
    theirs = book(client, asha, surgery, slot(hhmm="10:15"), dependant_id=riya)
    assert theirs.status_code == 201, theirs.text
    assert (theirs.json()["for_name"], theirs.json()["for_relation"]) == ("Riya Rao", "Child")
    stored = db.exec(select(Appointment).where(Appointment.id == theirs.json()["id"])).one()
    assert (stored.patient_id, stored.dependant_id) == (asha.id, riya)
    # Another account's family member is not found; a crafted id is refused.
    problem(book(client, ravi, surgery, slot(hhmm="10:30"), dependant_id=riya), 404, "not-found")
    assert book(client, asha, surgery, slot(hhmm="10:45"), dependant_id=0).status_code == 422
    assert len(db.exec(select(Appointment)).all()) == 2
