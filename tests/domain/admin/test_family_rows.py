"""The admin's lists name the family member a visit is for."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from healthcareplus.domain.accounts.dependants import add_dependant
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.patient_history import patient_history
from tests.factories import create_appointment, create_doctor, create_patient, local

MONDAY = date(2026, 11, 23)
NOW = local(MONDAY, "08:00")


def test_rows_and_history_name_the_person(session: Session) -> None:
    holder = create_patient(session, name="Asha Patel")
    child = add_dependant(
        session,
        holder_id=holder.id,
        now=NOW,
        name="Riya Patel",
        relation="child",
        date_of_birth="2019-05-04",
        gender="",
        blood_group="",
        allergies="",
        medical_history="",
    )
    doctor = create_doctor(session)
    theirs = create_appointment(
        session, doctor=doctor, patient=holder, start_at=local(MONDAY, "10:00")
    )
    theirs.dependant_id = child.id
    session.add(theirs)
    mine = create_appointment(
        session, doctor=doctor, patient=holder, start_at=local(MONDAY, "11:00")
    )
    session.commit()
    rows = {r.id: r for r in list_appointments(session, filters=AdminFilters(), now=NOW).items}
    assert (rows[theirs.id].patient_name, rows[theirs.id].for_name) == ("Asha Patel", "Riya Patel")
    assert rows[theirs.id].for_relation == "Child"
    assert (rows[mine.id].for_name, rows[mine.id].for_relation) == ("", "")
    history = {h.id: h for h in patient_history(session, patient_id=holder.id, now=NOW).items}
    assert (history[theirs.id].for_name, history[mine.id].for_name) == ("Riya Patel", "")
