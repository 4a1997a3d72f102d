"""The doctor's Appointments and My patients states, driven as the doctor's browser would
and as a crafted one could: only the caller's own practice shows, whatever the tab sends,
and no argument makes a handler raise. (Wrong roles are turned away for every handler in
``test_doctor_states``.)

The clinic: Dr. Dev Iyer (``users.doctor``) completed a visit of patient A (Asha Rao)
two days ago with a treatment record, and has a visit of patient B (Bina Das) tomorrow;
Dr. Rao, another doctor, completed a visit of patient B yesterday.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Doctor
from healthcareplus.domain.clinical.doctor_appointments import monday_of
from healthcareplus.domain.clinical.records import save_treatment
from healthcareplus.ui.doctor.appointments_state import DoctorAppointmentsState as A
from healthcareplus.ui.doctor.patients_state import DoctorPatientHistoryState as H
from healthcareplus.ui.doctor.patients_state import DoctorPatientsState as P
from healthcareplus.ui.shared.outcome import Failed
from tests.factories import create_appointment, create_doctor, link_doctor_user, local
from tests.ui.harness import Client, Users, has_toast, set_page

MakeClient = Callable[..., Client]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
JUNK: tuple[Any, ...] = (None, 3, -1, 1.5, True, "", "x" * 5000, [], {}, ["past"], {"a": 1})


@dataclass
class Practice:
    doctor: Doctor
    other: Doctor
    today: date
    seen: Appointment  # patient A, two days ago, completed, with a record
    tomorrow: Appointment  # patient B, tomorrow 10:00, confirmed
    theirs: Appointment  # patient B with the other doctor, yesterday, completed


@pytest.fixture
def practice(session: Session, users: Users) -> Practice:
    today = clinic_today(utcnow())
    doctor = create_doctor(session, name="Dr. Dev Iyer", schedule=EVERY_DAY)
    doctor.user_id = users.doctor.id
    session.add(doctor)
    other = create_doctor(session, name="Dr. Rao", schedule=EVERY_DAY)
    link_doctor_user(session, other)
    seen = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=local(today - timedelta(days=2), "09:00"),
        minutes=30,
        status="completed",
        reason="Fever",
    )
    tomorrow = create_appointment(
        session,
        doctor=doctor,
        patient=users.other_patient,
        start_at=local(today + timedelta(days=1), "10:00"),
        minutes=30,
    )
    theirs = create_appointment(
        session,
        doctor=other,
        patient=users.other_patient,
        start_at=local(today - timedelta(days=1), "09:00"),
        minutes=30,
        status="completed",
    )
    session.commit()
    save_treatment(
        session,
        doctor_id=doctor.id,
        appointment_id=seen.id,
        visit_type="consultation",
        diagnosis="Viral fever",
        notes="Rest and fluids",
        items=[{"medicine": "Paracetamol 500 mg", "dose": "1 tab", "frequency": "TDS"}],
        actor_id=users.doctor.id,
        now=utcnow(),
    )
    session.commit()
    return Practice(doctor, other, today, seen, tomorrow, theirs)


def listed(state: Any) -> list[str]:
    return [row["appointment_id"] for row in state.rows]


async def test_the_list_searches_filters_and_pages(
    make_client: MakeClient, users: Users, practice: Practice
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_APPOINTMENTS)
    assert await client.call(A, "load") == []
    state = await client.state(A)
    assert (state.loaded, state.error, state.scope, state.view) == (True, "", "upcoming", "list")
    assert listed(state) == [practice.tomorrow.id]
    assert state.rows[0]["patient_name"] == "Bina Das"

    await client.call(A, "set_scope", scope="all")
    assert listed(state) == [practice.tomorrow.id, practice.seen.id]  # never the other's
    await client.call(A, "search", form={"q": "  asha  ", "status": "completed"})
    assert (state.query, state.status, listed(state)) == ("asha", "completed", [practice.seen.id])
    await client.call(A, "search", form={"q": "asha", "status": "cancelled"})
    assert state.rows == [] and state.total == 0
    await client.call(A, "search", form={"q": "", "status": "'; drop table"})
    assert state.status == "" and len(state.rows) == 2
    await client.call(A, "set_scope", scope="past")
    assert listed(state) == [practice.seen.id]
    await client.call(A, "clear_search")
    assert (state.query, state.status, state.form_key) == ("", "", 1)
    await client.call(A, "go_to_page", page=9)
    assert state.page == 1 and state.pages == 1


async def test_the_week_moves_a_week_at_a_time(
    make_client: MakeClient, users: Users, practice: Practice
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_APPOINTMENTS)
    await client.call(A, "load")
    state = await client.state(A)
    this_monday = monday_of(practice.today)
    assert state.week["start"] == this_monday.isoformat() and state.week["is_current"] == "true"
    assert len(state.days) == 7
    await client.call(A, "set_view", view="week")
    assert state.view == "week"

    await client.call(A, "show_week", start=state.week["next"])
    assert state.week["start"] == (this_monday + timedelta(days=7)).isoformat()
    await client.call(A, "show_week", start=state.week["previous"])
    await client.call(A, "show_week", start=state.week["previous"])
    assert state.week["start"] == (this_monday - timedelta(days=7)).isoformat()
    shown = {v["appointment_id"] for v in state.week_visits}
    for start in ("", (this_monday + timedelta(days=7)).isoformat()):
        await client.call(A, "show_week", start=start)
        shown |= {v["appointment_id"] for v in state.week_visits}
    # Last week, this week and next: both visits, never the other doctor's.
    assert shown == {practice.seen.id, practice.tomorrow.id}
    for day in state.days:
        count = sum(v["day"] == day["day"] for v in state.week_visits)
        assert day["count"] == str(count)


@pytest.mark.parametrize("junk", JUNK)
async def test_crafted_arguments_never_raise_and_change_nothing_shown(
    make_client: MakeClient, users: Users, practice: Practice, junk: Any
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_APPOINTMENTS)
    await client.call(A, "load")
    state = await client.state(A)
    rows, week = list(state.rows), dict(state.week)
    await client.call(A, "set_scope", scope=junk)
    await client.call(A, "set_view", view=junk)
    await client.call(A, "go_to_page", page=junk if type(junk) is not int else "x")
    assert (state.scope, state.view, state.rows) == ("upcoming", "list", rows)
    events = await client.call(A, "show_week", start=junk)
    if junk != "":
        assert has_toast(events, "Choose a week between 2000 and 2099.")
    assert state.week == week
    await client.call(A, "search", form=junk)
    assert state.error == ""
    for start in ("1999-12-27", "2100-01-04", "2026-02-30", "2026-1-1"):
        events = await client.call(A, "show_week", start=start)
        assert has_toast(events, "Choose a week between 2000 and 2099.")
    assert state.week == week


async def test_a_doctor_account_without_a_practice_sees_only_the_reason(
    make_client: MakeClient, users: Users, practice: Practice, session: Session
) -> None:
    practice.doctor.user_id = None
    session.add(practice.doctor)
    session.commit()
    client = make_client(users.doctor, url=routes.DOCTOR_APPOINTMENTS)
    await client.call(A, "load")
    state = await client.state(A)
    assert state.error.startswith("Only a doctor with a practice profile")
    assert (state.rows, state.week_visits) == ([], [])
    set_page(client.root, routes.DOCTOR_PATIENTS)
    await client.call(P, "load")
    patients = await client.state(P)
    assert patients.error != "" and patients.rows == []


# --- My patients ---------------------------------------------------------------------------


async def test_my_patients_lists_those_seen_and_opens_their_history(
    make_client: MakeClient, users: Users, practice: Practice
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_PATIENTS)
    await client.call(P, "load")
    state = await client.state(P)
    assert [(r["name"], r["visits"]) for r in state.rows] == [("Asha Rao", "1")]  # B: not seen
    assert state.rows[0]["key"] == str(users.patient.id)
    await client.call(P, "search", form={"q": "bina"})
    assert state.rows == [] and state.query == "bina"
    await client.call(P, "clear_search")
    assert len(state.rows) == 1 and state.form_key == 1

    set_page(client.root, routes.doctor_patient_url(state.rows[0]["key"]))
    await client.call(H, "load")
    history = await client.state(H)
    assert (history.loaded, history.not_found, history.error) == (True, False, "")
    assert history.patient["name"] == "Asha Rao"
    [visit] = history.visits
    assert (visit["diagnosis"], visit["notes"], visit["has_record"]) == (
        "Viral fever",
        "Rest and fluids",
        "true",
    )
    assert [(line["medicine"], line["appointment_id"]) for line in history.lines] == [
        ("Paracetamol 500 mg", practice.seen.id)
    ]
    assert history.summary["completed"] == "1"


@pytest.mark.parametrize(
    "key",
    ["theirs", "unseen", "0", "abc", "1-", "../admin", "1" * 40, "%20", "1-99999"],
)
async def test_a_history_the_doctor_may_not_see_is_not_found(
    make_client: MakeClient, users: Users, practice: Practice, key: str
) -> None:
    # Patient B had a visit with this doctor (tomorrow), so "theirs" uses the admin id:
    # a person who never had an appointment with the doctor.
    named = {"theirs": str(users.admin.id), "unseen": str(10**6)}.get(key, key)
    client = make_client(users.doctor, url=routes.doctor_patient_url(named))
    assert await client.call(H, "load") == []
    history = await client.state(H)
    assert (history.loaded, history.not_found) == (True, True)
    assert (history.patient, history.visits, history.lines) == ({}, [], [])


async def test_the_other_doctor_cannot_open_this_doctors_patient(
    make_client: MakeClient, users: Users, practice: Practice, session: Session
) -> None:
    other_user = session.get(type(users.doctor), practice.other.user_id)
    client = make_client(other_user, url=routes.doctor_patient_url(users.patient.id))
    await client.call(H, "load")
    history = await client.state(H)
    assert history.not_found is True and history.visits == []
    # Its own patient (B, seen yesterday) opens, with none of this doctor's visits.
    set_page(client.root, routes.doctor_patient_url(users.other_patient.id))
    await client.call(H, "load")
    assert [v["appointment_id"] for v in history.visits] == [practice.theirs.id]


@pytest.mark.parametrize("junk", JUNK)
async def test_crafted_patient_arguments_never_raise(
    make_client: MakeClient, users: Users, practice: Practice, junk: Any
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_PATIENTS)
    await client.call(P, "load")
    state = await client.state(P)
    await client.call(P, "search", form=junk)
    await client.call(P, "go_to_page", page=junk if type(junk) is not int else "x")
    assert state.error == "" and not isinstance(state.rows, Failed)
