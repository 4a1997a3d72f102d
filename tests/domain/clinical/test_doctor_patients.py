"""The doctor's patients: everyone they have seen (family members apart), searchable and
paged, and one person's whole history with the doctor with every treatment record; no
doctor reaches anyone they never had an appointment with."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.errors import NotFound
from healthcareplus.core.models import Appointment
from healthcareplus.domain.accounts.dependants import add_dependant
from healthcareplus.domain.clinical.doctor_patients import (
    doctor_patients,
    parse_patient_key,
    patient_history,
    patient_key,
)
from healthcareplus.domain.clinical.records import save_treatment
from tests.factories import (
    create_appointment,
    create_doctor,
    create_patient,
    link_doctor_user,
    local,
)

EVERY_DAY = tuple((d, "08:00", "20:00", 30) for d in range(7))
MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "12:00")


@pytest.fixture
def session(either_db: Session) -> Session:
    """Every test runs on SQLite and on PostgreSQL (the list is one grouped query)."""
    return either_db


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, name="Dr. Nithya Subramanian", schedule=EVERY_DAY)


@pytest.fixture
def other(session: Session):
    return create_doctor(session, name="Dr. Rao", schedule=EVERY_DAY)


def person(session: Session, name: str, phone: str = "+91 98450 11111", born=None):
    row = create_patient(session, name=name)
    row.phone, row.date_of_birth = phone, born
    row.allergies, row.medical_history, row.blood_group = "Penicillin", "Asthma", "O+"
    session.add(row)
    session.commit()
    return row


def at(session, doctor, days_ago: int, hhmm: str, who, dependant_id=None, **kw) -> Appointment:
    row = create_appointment(
        session,
        doctor=doctor,
        patient=who,
        start_at=local(MONDAY - timedelta(days=days_ago), hhmm),
        minutes=30,
        **kw,
    )
    row.dependant_id = dependant_id
    session.add(row)
    session.commit()
    return row


def record(session, doctor, appointment, diagnosis: str, items, notes: str = "") -> None:
    if doctor.user_id is None:
        link_doctor_user(session, doctor)
    save_treatment(
        session,
        doctor_id=doctor.id,
        appointment_id=appointment.id,
        visit_type="follow_up",
        diagnosis=diagnosis,
        notes=notes,
        items=items,
        actor_id=doctor.user_id,
        now=NOW,
    )
    session.commit()


@pytest.fixture
def clinic(session: Session, doctor, other):
    asha = person(session, "Asha Patel", "+91 98450 12345", born=date(1990, 1, 2))
    ravi = person(session, "Ravi Kumar", "+91 99000 55555")
    meena = person(session, "Meena Iyer")
    child = add_dependant(
        session,
        holder_id=asha.id,
        now=NOW,
        name="Riya Patel",
        relation="child",
        date_of_birth="2019-05-04",
        allergies="Peanuts",
    )
    session.commit()
    first = at(session, doctor, 30, "09:00", asha, status="completed", reason="Fever")
    second = at(session, doctor, 10, "09:00", asha, status="completed", reason="Review")
    missed = at(session, doctor, 5, "09:00", asha, status="no_show")
    upcoming = at(session, doctor, -3, "09:00", asha, reason="Check again")
    riya = at(session, doctor, 20, "10:00", asha, child.id, status="completed", reason="Cough")
    ravi_seen = at(session, doctor, 2, "11:00", ravi, status="completed")
    # Meena only cancelled with this doctor (not seen), and was seen by the other doctor.
    at(session, doctor, 1, "09:00", meena, status="cancelled")
    theirs = at(session, other, 1, "10:00", meena, status="completed")
    record(
        session,
        doctor,
        first,
        "Viral fever",
        [
            {"medicine": "Paracetamol 500 mg", "dose": "1 tab", "frequency": "TDS"}
            | {"duration": "5d"},
            {"medicine": "ORS", "dose": "", "frequency": "", "duration": ""},
        ],
        notes="Rest and fluids",
    )
    record(session, doctor, riya, "Bronchitis", [{"medicine": "Salbutamol syrup"}])
    record(session, other, theirs, "Their diagnosis", [])
    return {
        "asha": asha,
        "ravi": ravi,
        "meena": meena,
        "child": child,
        "first": first,
        "second": second,
        "missed": missed,
        "upcoming": upcoming,
        "riya": riya,
        "ravi_seen": ravi_seen,
    }


def listed(session, doctor, **kw):
    return doctor_patients(session, doctor_id=doctor.id, now=NOW, **kw)


def test_everyone_seen_with_counts_latest_first(session, doctor, clinic) -> None:
    page = listed(session, doctor)
    rows = [(p.key, p.name, p.visits, p.last_visit_label) for p in page.items]
    asha, child = clinic["asha"], clinic["child"]
    assert rows == [
        (str(clinic["ravi"].id), "Ravi Kumar", 1, "Sat, 21 Nov 2026"),
        (str(asha.id), "Asha Patel", 2, "Fri, 13 Nov 2026"),
        (f"{asha.id}-{child.id}", "Riya Patel", 1, "Tue, 03 Nov 2026"),
    ]
    riya = page.items[2]
    assert (riya.relation, riya.booked_by, riya.age_label) == ("Child", "Asha Patel", "7 years")
    assert (page.items[1].age_label, page.items[1].booked_by) == ("36 years", "")
    assert page.paging.total == 3


def test_search_and_paging(session, doctor, clinic) -> None:
    assert [p.name for p in listed(session, doctor, query="riya").items] == ["Riya Patel"]
    assert [p.name for p in listed(session, doctor, query="patel").items] == [
        "Asha Patel",
        "Riya Patel",
    ]
    assert [p.name for p in listed(session, doctor, query="55555").items] == ["Ravi Kumar"]
    assert listed(session, doctor, query="meena").items == ()  # never seen by this doctor
    assert listed(session, doctor, query="%").items == ()
    first = listed(session, doctor, per_page=2)
    second = listed(session, doctor, per_page=2, page=2)
    assert (first.paging.pages, len(first.items), len(second.items)) == (2, 2, 1)
    assert {p.key for p in first.items}.isdisjoint({p.key for p in second.items})
    assert listed(session, doctor, per_page=2, page="junk").items == first.items


def test_another_doctor_has_their_own_patients(session, other, clinic) -> None:
    assert [p.name for p in listed(session, other).items] == ["Meena Iyer"]


def test_the_history_holds_every_visit_with_its_whole_record(session, doctor, clinic) -> None:
    asha = clinic["asha"]
    history = patient_history(session, doctor_id=doctor.id, patient_id=asha.id, now=NOW)
    assert history.key == str(asha.id)
    assert [v.appointment_id for v in history.visits] == [
        clinic["upcoming"].id,
        clinic["missed"].id,
        clinic["second"].id,
        clinic["first"].id,
    ]  # the family member's visit is hers, not here
    assert [v.status_label for v in history.visits] == [
        "Upcoming",
        "No-show",
        "Completed",
        "Completed",
    ]
    assert (history.completed, history.more) == (2, False)
    first = history.visits[-1]
    assert (first.has_record, first.visit_type_label, first.diagnosis, first.notes) == (
        True,
        "Follow-up",
        "Viral fever",
        "Rest and fluids",
    )
    assert [(i.medicine, i.dose, i.frequency, i.duration) for i in first.items] == [
        ("Paracetamol 500 mg", "1 tab", "TDS", "5d"),
        ("ORS", "", "", ""),
    ]
    assert first.reason == "Fever" and first.updated_label.startswith("Mon, 23 Nov 2026")
    assert (history.visits[1].has_record, history.visits[1].items) == (False, ())
    p = history.patient
    assert (p.name, p.allergies, p.blood_group, p.phone, p.booked_by) == (
        "Asha Patel",
        "Penicillin",
        "O+",
        "+91 98450 12345",
        "",
    )


def test_a_family_member_is_a_person_of_their_own(session, doctor, clinic) -> None:
    asha, child = clinic["asha"], clinic["child"]
    history = patient_history(
        session, doctor_id=doctor.id, patient_id=asha.id, dependant_id=child.id, now=NOW
    )
    assert history.key == f"{asha.id}-{child.id}"
    assert [v.appointment_id for v in history.visits] == [clinic["riya"].id]
    assert [i.medicine for i in history.visits[0].items] == ["Salbutamol syrup"]
    p = history.patient
    assert (p.name, p.relation, p.booked_by, p.allergies) == (
        "Riya Patel",
        "Child",
        "Asha Patel",
        "Peanuts",
    )


def test_nobody_else_is_reachable(session, doctor, other, clinic) -> None:
    asha, child, meena = clinic["asha"], clinic["child"], clinic["meena"]
    with pytest.raises(NotFound):  # another doctor's patient only
        patient_history(session, doctor_id=other.id, patient_id=asha.id, now=NOW)
    with pytest.raises(NotFound):
        patient_history(
            session, doctor_id=other.id, patient_id=asha.id, dependant_id=child.id, now=NOW
        )
    with pytest.raises(NotFound):  # a family member under another account holder
        patient_history(
            session, doctor_id=doctor.id, patient_id=meena.id, dependant_id=child.id, now=NOW
        )
    with pytest.raises(NotFound):
        patient_history(session, doctor_id=doctor.id, patient_id=10**6, now=NOW)
    for junk in ("1", None, 1.5, True):
        with pytest.raises(NotFound):
            patient_history(session, doctor_id=doctor.id, patient_id=junk, now=NOW)  # type: ignore[arg-type]
    # A cancelled booking is an appointment the doctor had: her history shows it, and
    # nothing of the other doctor's record.
    meenas = patient_history(session, doctor_id=doctor.id, patient_id=meena.id, now=NOW)
    assert [v.status_label for v in meenas.visits] == ["Cancelled"]
    assert meenas.visits[0].has_record is False and meenas.completed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", (12, None)), ("12-3", (12, 3)), (" 7-1 ", (7, 1))],
)
def test_patient_keys(text, expected) -> None:
    assert parse_patient_key(text) == expected
    assert patient_key(*expected) == text.strip()


@pytest.mark.parametrize(
    "text", ["", "0", "-3", "12-", "12-0", "a", "1-2-3", "01", "99999999999", None, 12, "../1"]
)
def test_bad_patient_keys(text) -> None:
    with pytest.raises(NotFound):
        parse_patient_key(text)
