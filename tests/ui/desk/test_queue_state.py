"""DeskQueueState and QueueScreenState: the desk checks a visit in (token shown), calls it in
and finishes it; wrong callers and crafted arguments change nothing; the public screen
shows first names and tokens, and a bad key only "not valid"."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, Hospital, QueueEntry, User
from healthcareplus.ui.desk.queue_state import NO_HOSPITAL, NOT_LISTED, DeskQueueState
from healthcareplus.ui.desk.screen_state import QueueScreenState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import (
    create_appointment,
    create_desk_user,
    create_doctor,
    create_hospital,
    create_patient,
    local,
)
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = {
    "load": {},
    "choose_hospital": {"hospital_id": "1"},
    "tick": {},
    "check_in": {"appointment_id": "x"},
    "call_in": {"appointment_id": "x"},
    "finish": {"appointment_id": "x"},
    "undo_check_in": {"appointment_id": "x"},
    "open_screen": {},
    "new_screen_address": {},
}
URL = routes.DESK_QUEUE


@dataclass
class Desk:
    hospital: Hospital
    other_hospital: Hospital
    user: User
    visit: Appointment
    elsewhere: Appointment  # at the other hospital


@pytest.fixture
def desk(session: Session) -> Desk:
    hospital = create_hospital(session, name="Sunrise Clinic")
    other = create_hospital(session, name="Lakeside Hospital")
    doctor = create_doctor(session, hospital=hospital, name="Dr. Meera Pillai")
    today = clinic_today(utcnow())
    visit = create_appointment(
        session,
        doctor=doctor,
        patient=create_patient(session, name="Asha Ramachandran"),
        start_at=local(today, "12:00"),
    )
    elsewhere = create_appointment(
        session, doctor=create_doctor(session, hospital=other), start_at=local(today, "12:00")
    )
    user = create_desk_user(session, hospitals=[hospital], name="Farah Desk")
    return Desk(hospital, other, user, visit, elsewhere)


async def values(client: Client, cls: type = DeskQueueState) -> dict[str, Any]:
    state = await client.state(cls)
    return copy.deepcopy({n: state.get_value(n) for n in cls.base_vars})


def entries(session: Session) -> list[tuple[str, int, str]]:
    session.expire_all()
    rows = session.exec(select(QueueEntry).order_by(QueueEntry.token)).all()
    return [(e.appointment_id, e.token, e.stage) for e in rows]


async def loaded(make_client: MakeClient, user: User) -> Client:
    client = make_client(user, url=URL)
    assert await client.call(DeskQueueState, "load") == []
    return client


def test_the_cases_cover_every_handler() -> None:
    assert set(DeskQueueState.event_handlers) - {"setvar"} == set(HANDLERS)
    assert set(QueueScreenState.event_handlers) - {"setvar"} == {"load", "tick"}


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
@pytest.mark.parametrize("name", sorted(HANDLERS))
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    desk: Desk,
    session: Session,
    who: str | None,
    name: str,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=URL)
    before = await values(client)
    events = await client.call(DeskQueueState, name, **HANDLERS[name])
    expected = HOME_FOR_ROLE[who] if who else routes.login_url_for(("front_desk", "admin"), URL)
    assert redirects(events) == [expected]
    assert await values(client) == before
    assert entries(session) == []


async def test_the_desk_checks_in_calls_in_and_finishes(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    client = await loaded(make_client, desk.user)
    shown = await values(client)
    assert shown["hospital_name"] == "Sunrise Clinic" and shown["error"] == ""
    assert shown["hospitals"] == [
        {"id": str(desk.hospital.id), "label": shown["hospitals"][0]["label"]}
    ]
    expected = [i for i in shown["items"] if i["kind"] == "expected"]
    assert [(i["appointment_id"], i["patient_name"]) for i in expected] == [
        (desk.visit.id, "Asha Ramachandran")
    ]
    assert all(i.get("appointment_id") != desk.elsewhere.id for i in shown["items"])

    events = await client.call(DeskQueueState, "check_in", appointment_id=desk.visit.id)
    assert has_toast(events, "Token 1: Asha Ramachandran (Dr. Meera Pillai)")
    state = await values(client)
    assert state["last"] == {
        "token": "1",
        "patient_name": "Asha Ramachandran",
        "doctor_name": "Dr. Meera Pillai",
    }
    arrived = [i for i in state["items"] if i["kind"] == "arrived"]
    assert [(i["token"], i["stage"]) for i in arrived] == [("1", "waiting")]
    assert entries(session) == [(desk.visit.id, 1, "waiting")]

    # Checked in already: no longer offered, a replayed click changes nothing.
    events = await client.call(DeskQueueState, "check_in", appointment_id=desk.visit.id)
    assert has_toast(events, NOT_LISTED)
    assert entries(session) == [(desk.visit.id, 1, "waiting")]

    events = await client.call(DeskQueueState, "finish", appointment_id=desk.visit.id)
    assert has_toast(events, NOT_LISTED)  # not with the doctor yet
    events = await client.call(DeskQueueState, "call_in", appointment_id=desk.visit.id)
    assert has_toast(events, "Token 1 called in to Dr. Meera Pillai.")
    assert entries(session) == [(desk.visit.id, 1, "with_doctor")]
    events = await client.call(DeskQueueState, "finish", appointment_id=desk.visit.id)
    assert has_toast(events, "Token 1 is done.")
    assert entries(session) == [(desk.visit.id, 1, "done")]


async def test_a_stale_page_gets_the_domains_refusal(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    first = await loaded(make_client, desk.user)
    second = await loaded(make_client, desk.user)
    await first.call(DeskQueueState, "check_in", appointment_id=desk.visit.id)
    await second.call(DeskQueueState, "tick")
    await first.call(DeskQueueState, "call_in", appointment_id=desk.visit.id)
    # The second tab still shows "waiting": its click reaches the domain, which refuses.
    events = await second.call(DeskQueueState, "call_in", appointment_id=desk.visit.id)
    assert has_toast(events, "This patient is no longer waiting.")
    state = await values(second)
    assert [i["stage"] for i in state["items"] if i["kind"] == "arrived"] == ["with_doctor"]


async def test_undo_a_check_in(make_client: MakeClient, desk: Desk, session: Session) -> None:
    client = await loaded(make_client, desk.user)
    await client.call(DeskQueueState, "check_in", appointment_id=desk.visit.id)
    events = await client.call(DeskQueueState, "undo_check_in", appointment_id=desk.visit.id)
    assert has_toast(events, "Check-in of Asha Ramachandran undone.")
    assert entries(session) == []
    assert (await values(client))["last"] == {}


@pytest.mark.parametrize("name", ["check_in", "call_in", "finish", "undo_check_in"])
@pytest.mark.parametrize(
    "bad", ["", "no-such-id", "d1", "n1", 7, None, ["x"], {"a": 1}, "' OR 1=1 --"]
)
async def test_crafted_appointment_ids_change_nothing(
    make_client: MakeClient, desk: Desk, session: Session, name: str, bad: object
) -> None:
    client = await loaded(make_client, desk.user)
    events = await client.call(DeskQueueState, name, appointment_id=bad)
    assert has_toast(events, NOT_LISTED)
    assert entries(session) == []


async def test_another_hospitals_visit_cannot_be_checked_in(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    client = await loaded(make_client, desk.user)
    events = await client.call(DeskQueueState, "check_in", appointment_id=desk.elsewhere.id)
    assert has_toast(events, NOT_LISTED)
    events = await client.call(
        DeskQueueState, "choose_hospital", hospital_id=str(desk.other_hospital.id)
    )
    assert (await values(client))["hospital_id"] == str(desk.hospital.id)  # not theirs
    assert entries(session) == []


@pytest.mark.parametrize("bad", ["", "abc", "999999", 3, None, ["1"]])
async def test_choose_hospital_ignores_bad_arguments(
    make_client: MakeClient, desk: Desk, bad: object
) -> None:
    client = await loaded(make_client, desk.user)
    before = await values(client)
    assert await client.call(DeskQueueState, "choose_hospital", hospital_id=bad) == []
    after = await values(client)
    assert after["hospital_id"] == before["hospital_id"] and after["items"] == before["items"]


async def test_an_admin_chooses_among_all_hospitals(
    make_client: MakeClient, users: Users, desk: Desk
) -> None:
    client = await loaded(make_client, users.admin)
    ids = [h["id"] for h in (await values(client))["hospitals"]]
    assert {str(desk.hospital.id), str(desk.other_hospital.id)} <= set(ids)
    await client.call(DeskQueueState, "choose_hospital", hospital_id=str(desk.other_hospital.id))
    state = await values(client)
    assert state["hospital_name"] == "Lakeside Hospital"
    assert desk.elsewhere.id in [i.get("appointment_id") for i in state["items"]]


async def test_a_desk_user_without_a_hospital_sees_why(
    make_client: MakeClient, session: Session
) -> None:
    client = await loaded(make_client, create_desk_user(session, hospitals=[]))
    state = await values(client)
    assert (state["error"], state["items"]) == (NO_HOSPITAL, [])


async def test_the_screen_address_opens_and_can_be_replaced(
    make_client: MakeClient, desk: Desk, session: Session
) -> None:
    client = await loaded(make_client, desk.user)
    await client.call(DeskQueueState, "check_in", appointment_id=desk.visit.id)
    events = await client.call(DeskQueueState, "open_screen")
    path = (await values(client))["screen_path"]
    assert path.startswith("/queue-screen/") and redirects(events) == [path]
    assert redirects(await client.call(DeskQueueState, "open_screen")) == [path]  # same key

    screen = make_client(None, url=path)
    assert await screen.call(QueueScreenState, "load") == []
    shown = await values(screen, QueueScreenState)
    assert shown["invalid"] is False and shown["hospital_name"] == "Sunrise Clinic"
    assert shown["doctors"] == [
        {"doctor": "Dr. Meera Pillai", "now_token": "–", "now_name": "", "next": "1 Asha"}
    ]
    assert "Ramachandran" not in repr(shown)

    await client.call(DeskQueueState, "call_in", appointment_id=desk.visit.id)
    await screen.call(QueueScreenState, "tick")
    shown = await values(screen, QueueScreenState)
    assert shown["doctors"][0]["now_token"] == "1" and shown["doctors"][0]["now_name"] == "Asha"

    events = await client.call(DeskQueueState, "new_screen_address")
    assert has_toast(events, "New screen address made. The old address no longer works.")
    assert (await values(client))["screen_path"] != path
    await screen.call(QueueScreenState, "tick")
    shown = await values(screen, QueueScreenState)
    assert shown["invalid"] is True and shown["doctors"] == [] and shown["hospital_name"] == ""


@pytest.mark.parametrize(
    "path",
    [
        "/queue-screen/",
        "/queue-screen/short",
        "/queue-screen/" + "x" * 40,
        "/queue-screen/" + "%00" * 8,
        "/queue-screen/" + "y" * 500,
    ],
)
async def test_a_bad_screen_key_shows_only_not_valid(make_client: MakeClient, path: str) -> None:
    screen = make_client(None, url=path)
    assert await screen.call(QueueScreenState, "load") == []
    assert await screen.call(QueueScreenState, "tick") == []
    shown = await values(screen, QueueScreenState)
    assert (shown["invalid"], shown["doctors"], shown["hospital_name"]) == (True, [], "")
