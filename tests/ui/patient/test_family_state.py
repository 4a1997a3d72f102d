"""The family members card (``FamilyState``) and the booking wizard's "Who is this visit
for?", driven as a browser would and as a crafted browser could: every handler by every
wrong role, with odd arguments and with another account's family member."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Doctor
from healthcareplus.domain.accounts.dependants import MAX_DEPENDANTS, add_dependant
from healthcareplus.ui.patient.booking_state import BookingState
from healthcareplus.ui.patient.family_state import NEW, FamilyState
from tests.factories import create_appointment, create_doctor, local
from tests.ui.harness import Client, Users, has_toast, redirects, set_page

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("load", {}),
    ("start_add", {}),
    ("start_edit", {"dependant_id": "1"}),
    ("close_form", {}),
    ("save", {"form_data": {"name": "Evil Eve"}}),
    ("remove", {"dependant_id": "1"}),
]


def form(**changes: str) -> dict[str, str]:
    return {
        "name": "Riya Rao",
        "relation": "child",
        "date_of_birth": "2019-05-04",
        "gender": "Female",
        "blood_group": "O+",
        "allergies": "Peanuts",
        "medical_history": "",
        **changes,
    }


def member_of(session: Session, holder_id: int, name: str = "Riya Rao") -> int:
    added = add_dependant(session, holder_id=holder_id, now=utcnow(), **form(name=name))
    session.commit()
    return added.id


def dependants(fresh_session: FreshSession) -> list[dict[str, Any]]:
    with fresh_session() as db:
        return [d.model_dump() for d in db.exec(select(Dependant).order_by(Dependant.id))]


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(FamilyState)
    return copy.deepcopy({name: state.get_value(name) for name in FamilyState.base_vars})


# --- wrong callers -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "payload"), CALLS)
@pytest.mark.parametrize(
    ("who", "target", "toast"),
    [
        (None, "/login?next=%2Fprofile", SIGN_IN_PLEASE),
        ("doctor", routes.DOCTOR_PORTAL, NO_ACCESS),
        ("admin", "/admin", NO_ACCESS),
    ],
)
async def test_every_handler_refuses_a_wrong_caller(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    name: str,
    payload: dict[str, Any],
    who: str | None,
    target: str,
    toast: str,
) -> None:
    member_of(session, users.patient.id)
    before = dependants(fresh_session)
    client = make_client(getattr(users, who) if who else None, url="/profile")
    state = await client.state(FamilyState)
    state.editing = NEW  # as if a form were open: a crafted save must still do nothing
    untouched = await values(client)

    events = await client.call(FamilyState, name, **payload)

    assert redirects(events) == [target]
    assert has_toast(events, toast)
    assert await values(client) == untouched
    assert dependants(fresh_session) == before


# --- the holder ----------------------------------------------------------------------------


async def test_add_edit_and_remove(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    state = await client.state(FamilyState)
    assert (state.loaded, state.members) == (True, [])

    await client.call(FamilyState, "start_add")
    assert state.editing == NEW
    events = await client.call(FamilyState, "save", form_data=form())
    assert has_toast(events, "Riya Rao saved.")
    assert [m["name"] for m in state.members] == ["Riya Rao"]
    assert state.editing == ""
    member = state.members[0]

    await client.call(FamilyState, "start_edit", dependant_id=member["id"])
    assert (state.editing, state.values["allergies"]) == (member["id"], "Peanuts")
    await client.call(FamilyState, "save", form_data=form(allergies="Peanuts, dust"))
    assert state.members[0]["allergies"] == "Peanuts, dust"

    events = await client.call(FamilyState, "remove", dependant_id=member["id"])
    assert has_toast(events, "Riya Rao was removed.")
    assert state.members == []
    assert dependants(fresh_session) == []


async def test_invalid_fields_stay_in_the_form(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    await client.call(FamilyState, "start_add")
    await client.call(FamilyState, "save", form_data=form(date_of_birth="", relation="cousin"))
    state = await client.state(FamilyState)
    assert state.errors["date_of_birth"] == "Enter their date of birth"
    assert state.errors["relation"] == "Choose a valid relation"
    assert state.editing == NEW
    assert dependants(fresh_session) == []


@pytest.mark.parametrize(
    "form_data",
    [None, "x", 5, [], {"name": ["x"], "relation": {"a": 1}}, {"date_of_birth": "9" * 10_000}],
)
async def test_odd_form_data_is_refused_not_crashed(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, form_data: Any
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    await client.call(FamilyState, "start_add")
    await client.call(FamilyState, "save", form_data=form_data)
    state = await client.state(FamilyState)
    assert state.errors  # refused field by field
    assert dependants(fresh_session) == []


async def test_save_without_an_open_form_does_nothing(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    events = await client.call(FamilyState, "save", form_data=form())
    assert (redirects(events), has_toast(events, "Riya Rao saved.")) == ([], False)
    assert dependants(fresh_session) == []


@pytest.mark.parametrize("crafted", ["", "0", "-1", "abc", "1 OR 1=1", "9" * 40])
async def test_crafted_ids_are_refused(
    make_client: MakeClient, users: Users, session: Session, crafted: str
) -> None:
    member_of(session, users.patient.id)
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    await client.call(FamilyState, "start_edit", dependant_id=crafted)
    state = await client.state(FamilyState)
    assert (state.editing, state.message) == ("", "Family member not found.")
    await client.call(FamilyState, "remove", dependant_id=crafted)
    assert len(state.members) == 1


async def test_another_accounts_family_member_cannot_be_edited_or_removed(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    theirs = member_of(session, users.other_patient.id, "Kabir Das")
    before = dependants(fresh_session)
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    state = await client.state(FamilyState)
    await client.call(FamilyState, "start_edit", dependant_id=str(theirs))
    assert (state.editing, state.message) == ("", "Family member not found.")
    await client.call(FamilyState, "remove", dependant_id=str(theirs))
    assert state.message == "Family member not found."
    # A crafted form naming their id as the one being edited: the domain refuses it.
    state.editing = str(theirs)
    await client.call(FamilyState, "save", form_data=form(name="Evil Eve"))
    assert state.message == "Family member not found."
    assert dependants(fresh_session) == before
    assert state.members == []


async def test_removal_with_an_upcoming_visit_is_refused(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    child = member_of(session, users.patient.id)
    doctor = create_doctor(session)
    visit = create_appointment(
        session, doctor=doctor, patient=users.patient, start_at=utcnow() + timedelta(days=2)
    )
    visit.dependant_id = child
    session.add(visit)
    session.commit()
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    await client.call(FamilyState, "remove", dependant_id=str(child))
    state = await client.state(FamilyState)
    assert "Cancel it first" in state.message
    assert len(state.members) == 1 and len(dependants(fresh_session)) == 1


async def test_the_limit_closes_the_add_form(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    for n in range(MAX_DEPENDANTS):
        member_of(session, users.patient.id, f"Child {'abcdefghij'[n]}")
    client = make_client(users.patient, url="/profile")
    await client.call(FamilyState, "load")
    await client.call(FamilyState, "start_add")
    state = await client.state(FamilyState)
    assert (state.editing, state.message) == ("", "You can add up to 10 family members.")


# --- the booking wizard's choice -----------------------------------------------------------


@pytest.fixture
def slot(session: Session) -> tuple[int, str]:
    doctor = create_doctor(session, schedule=EVERY_DAY)
    day = clinic_today(utcnow()) + timedelta(days=2)
    return doctor.id, local(day, "10:00").isoformat()


async def _wizard_at_summary(client: Client, doctor_id: int, start: str) -> Any:
    set_page(client.root, f"/book/{doctor_id}?start={start.replace('+00:00', 'Z')}")
    await client.call(BookingState, "load")
    state = await client.state(BookingState)
    assert state.step == 3, state.error
    return state


async def test_the_wizard_offers_the_patients_family(
    make_client: MakeClient, users: Users, session: Session, slot: tuple[int, str]
) -> None:
    child = member_of(session, users.patient.id)
    member_of(session, users.other_patient.id, "Kabir Das")
    client = make_client(users.patient)
    state = await _wizard_at_summary(client, *slot)
    assert state.people == [{"id": str(child), "label": "Riya Rao (Child)"}]


async def test_booking_for_a_child_records_them(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    slot: tuple[int, str],
) -> None:
    child = member_of(session, users.patient.id)
    client = make_client(users.patient)
    await _wizard_at_summary(client, *slot)
    events = await client.call(
        BookingState, "confirm", form_data={"reason": "Fever", "dependant_id": str(child)}
    )
    assert redirects(events)[0].startswith("/pay/")
    with fresh_session() as db:
        booked = db.exec(select(Appointment).where(Appointment.patient_id == users.patient.id))
        assert [(a.dependant_id, a.reason) for a in booked] == [(child, "Fever")]


async def test_by_default_the_visit_is_for_the_patient(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    slot: tuple[int, str],
) -> None:
    member_of(session, users.patient.id)
    client = make_client(users.patient)
    await _wizard_at_summary(client, *slot)
    await client.call(BookingState, "confirm", form_data={"reason": "Fever"})
    with fresh_session() as db:
        booked = db.exec(select(Appointment).where(Appointment.patient_id == users.patient.id))
        assert [a.dependant_id for a in booked] == [None]


@pytest.mark.parametrize("crafted", ["other", "0", "abc", "9" * 20])
async def test_another_accounts_or_a_crafted_person_is_refused(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    slot: tuple[int, str],
    crafted: str,
) -> None:
    theirs = member_of(session, users.other_patient.id, "Kabir Das")
    client = make_client(users.patient)
    state = await _wizard_at_summary(client, *slot)
    person = str(theirs) if crafted == "other" else crafted
    events = await client.call(
        BookingState, "confirm", form_data={"reason": "Fever", "dependant_id": person}
    )
    assert redirects(events) == []
    assert state.error == "Choose who this visit is for."
    with fresh_session() as db:
        assert db.exec(select(Appointment)).all() == []


async def test_rescheduling_names_the_person_and_offers_no_choice(
    make_client: MakeClient, users: Users, session: Session, slot: tuple[int, str]
) -> None:
    child = member_of(session, users.patient.id)
    doctor_id, start = slot
    doctor = session.get(Doctor, doctor_id)
    visit = create_appointment(
        session,
        doctor=doctor,
        patient=users.patient,
        start_at=utcnow().replace(microsecond=0) + timedelta(days=3),
    )
    visit.dependant_id = child
    session.add(visit)
    session.commit()
    client = make_client(users.patient)
    set_page(client.root, f"/reschedule/{visit.id}")
    await client.call(BookingState, "load")
    state = await client.state(BookingState)
    assert (state.mode, state.for_label, state.people) == ("reschedule", "Riya Rao (Child)", [])
