"""AdminTimetableState: loading a doctor's day from the URL, the doctor picker, moving
between days, blocking and unblocking slots; wrong callers and crafted arguments.

Dr. Kavya Menon works every day 08:00-20:00 in 30-minute slots; the test looks at the day
after tomorrow (all slots ahead), where 10:00 is booked and paid.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AuditEvent, Doctor, TimeOff
from healthcareplus.ui.admin.timetable_state import AdminTimetableState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_booking, create_doctor, create_hospital, local
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
HANDLERS = (
    "load",
    "refresh",
    "search_doctors",
    "pick_doctor",
    "pick_day",
    "shift_day",
    "open_block",
    "block_dialog_changed",
    "block",
    "unblock",
)
SIGN_IN = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."


@dataclass
class Clinic:
    doctor: Doctor
    other: Doctor
    day: date
    booked: Appointment

    @property
    def url(self) -> str:
        return f"/admin/timetable?doctor={self.doctor.id}&date={self.day.isoformat()}"

    def start(self, hhmm: str) -> str:
        return local(self.day, hhmm).isoformat()


@pytest.fixture
def clinic(session: Session, users: Users) -> Clinic:
    day = clinic_today(utcnow()) + timedelta(days=2)
    hospital = create_hospital(session, name="Sunrise Hospital")
    doctor = create_doctor(
        session,
        hospital=hospital,
        name="Dr. Kavya Menon",
        specialization="Dermatologist",
        schedule=EVERY_DAY,
    )
    other = create_doctor(session, name="Dr. Arjun Shah", specialization="ENT", schedule=EVERY_DAY)
    booked = create_booking(
        session, doctor=doctor, patient=users.patient, start_at=local(day, "10:00"), now=utcnow()
    )
    return Clinic(doctor, other, day, booked)


def db_rows(fresh_session: FreshSession) -> dict[str, list[dict[str, Any]]]:
    with fresh_session() as db:
        return {
            t.__name__: [r.model_dump() for r in db.exec(select(t).order_by(t.id)).all()]
            for t in (Appointment, AuditEvent, TimeOff)
        }


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(AdminTimetableState)
    return copy.deepcopy({n: state.get_value(n) for n in AdminTimetableState.base_vars})


async def loaded(make_client: MakeClient, users: Users, url: str) -> Client:
    client = make_client(users.admin, url=url)
    assert await client.call(AdminTimetableState, "load") == []
    return client


def slot(state: AdminTimetableState, time_label: str) -> dict[str, str]:
    return next(s for s in state.slots if s["time_label"] == time_label)


def payload_for(name: str, clinic: Clinic) -> dict[str, Any]:
    start = clinic.start("11:00")
    return {
        "search_doctors": {"query": "kavya"},
        "pick_doctor": {"doctor_id": str(clinic.other.id)},
        "pick_day": {"iso": "2030-01-01"},
        "shift_day": {"days": 1},
        "open_block": {"start": start},
        "block_dialog_changed": {"is_open": False},
        "block": {"form_data": {"reason": "Meeting"}},
        "unblock": {"start": start},
    }.get(name, {})


def test_the_cases_cover_every_handler() -> None:
    assert set(AdminTimetableState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    name: str,
    who: str | None,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=clinic.url)
    state = await client.state(AdminTimetableState)
    state.doctor_id, state.day = str(clinic.doctor.id), clinic.day.isoformat()
    state.blocking = clinic.start("11:00")  # as with the Block dialog open
    before_state, before_rows = await values(client), db_rows(fresh_session)

    events = await client.call(AdminTimetableState, name, **payload_for(name, clinic))

    expected = routes.login_url_for(("admin",), clinic.url) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert has_toast(events, SIGN_IN if who is None else NO_ACCESS)
    assert await values(client) == before_state
    assert state.slots == [] and state.options == []
    assert db_rows(fresh_session) == before_rows


# --- loading ---------------------------------------------------------------------------------


async def test_load_reads_doctor_and_date_from_the_url(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = await loaded(make_client, users, clinic.url)
    state = await client.state(AdminTimetableState)
    assert (state.loaded, state.not_found, state.doctor_id, state.day) == (
        True,
        False,
        str(clinic.doctor.id),
        clinic.day.isoformat(),
    )
    assert state.grid["doctor_name"] == "Dr. Kavya Menon"
    assert state.grid["hospital_name"] == "Sunrise Hospital"
    assert (state.grid["available"], state.grid["booked"]) == ("23", "1")
    assert len(state.slots) == 24
    booked = slot(state, "10:00 AM")
    assert (booked["state"], booked["id"], booked["patient_name"]) == (
        "booked",
        clinic.booked.id,
        "Asha Rao",
    )
    # a paid visit still ahead is cancelled (which refunds it), not refunded on its own
    assert (booked["can_cancel"], booked["can_refund"], booked["can_no_show"]) == (
        "true",
        "false",
        "false",
    )
    free = slot(state, "11:00 AM")
    assert (free["state"], free["can_block"], free["id"]) == ("available", "true", "")
    assert [o["label"] for o in state.options] == [
        "Dr. Arjun Shah · ENT · " + state.options[0]["label"].split(" · ")[2],
        "Dr. Kavya Menon · Dermatologist · Sunrise Hospital",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?doctor=abc&date=2026-13-45",
        "?doctor=-3&date=yesterday",
        "?doctor=1&date=0001-01-01",
        "?doctor=1&date=9999-12-31",
        "?doctor=99999999999&date=" + "9" * 5000,
    ],
)
async def test_load_without_a_usable_doctor_shows_the_picker_for_today(
    make_client: MakeClient, users: Users, clinic: Clinic, query: str
) -> None:
    client = await loaded(make_client, users, "/admin/timetable" + query)
    state = await client.state(AdminTimetableState)
    assert state.day == clinic_today(utcnow()).isoformat()
    if "doctor=1&" in query:  # a real doctor (the first created) on today instead
        assert state.doctor_id == "1" and state.grid["day"] == state.day
        return
    assert state.doctor_id == ""
    assert (state.grid, state.slots, state.not_found, state.loaded) == ({}, [], False, True)
    assert len(state.options) == 2


@pytest.mark.parametrize("doctor", ["unknown", "inactive"])
async def test_unknown_or_inactive_doctor_is_not_found(
    make_client: MakeClient, users: Users, session: Session, clinic: Clinic, doctor: str
) -> None:
    doctor_id = 424_242
    if doctor == "inactive":
        doctor_id = create_doctor(session, is_active=False, schedule=EVERY_DAY).id
    client = await loaded(make_client, users, f"/admin/timetable?doctor={doctor_id}")
    state = await client.state(AdminTimetableState)
    assert (state.not_found, state.grid, state.slots) == (True, {}, [])


# --- navigation ------------------------------------------------------------------------------


async def test_picking_a_doctor_or_a_day_navigates(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = await loaded(make_client, users, clinic.url)
    iso = clinic.day.isoformat()
    events = await client.call(AdminTimetableState, "pick_doctor", doctor_id=str(clinic.other.id))
    assert redirects(events) == [f"/admin/timetable?doctor={clinic.other.id}&date={iso}"]
    events = await client.call(AdminTimetableState, "pick_day", iso="2030-02-28")
    assert redirects(events) == [f"/admin/timetable?doctor={clinic.doctor.id}&date=2030-02-28"]
    events = await client.call(AdminTimetableState, "shift_day", days=1)
    nxt = (clinic.day + timedelta(days=1)).isoformat()
    assert redirects(events) == [f"/admin/timetable?doctor={clinic.doctor.id}&date={nxt}"]
    events = await client.call(AdminTimetableState, "shift_day", days=-1)
    prev = (clinic.day - timedelta(days=1)).isoformat()
    assert redirects(events) == [f"/admin/timetable?doctor={clinic.doctor.id}&date={prev}"]


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("pick_doctor", {"doctor_id": "abc"}),
        ("pick_doctor", {"doctor_id": "0"}),
        ("pick_doctor", {"doctor_id": ["1"]}),
        ("pick_doctor", {"doctor_id": "1" * 10_000}),
        ("pick_day", {"iso": ""}),
        ("pick_day", {"iso": "2026-02-30"}),
        ("pick_day", {"iso": "1066-10-14"}),
        ("pick_day", {"iso": "x" * 10_000}),
        ("pick_day", {"iso": 20260101}),
        ("shift_day", {"days": "one"}),
        ("shift_day", {"days": True}),
        ("shift_day", {"days": 1.0}),
        ("shift_day", {"days": 10**9}),
    ],
)
async def test_crafted_navigation_is_ignored(
    make_client: MakeClient, users: Users, clinic: Clinic, name: str, payload: dict[str, Any]
) -> None:
    client = await loaded(make_client, users, clinic.url)
    before = await values(client)
    assert await client.call(AdminTimetableState, name, **payload) == []
    assert await values(client) == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kavya", ["Dr. Kavya Menon"]),
        ("ENT", ["Dr. Kavya Menon", "Dr. Arjun Shah"]),  # the selected doctor stays first
        ("k" * 10_000, ["Dr. Kavya Menon"]),
        (None, ["Dr. Arjun Shah", "Dr. Kavya Menon"]),
        ({"q": "arjun"}, ["Dr. Arjun Shah", "Dr. Kavya Menon"]),
    ],
)
async def test_doctor_search_filters_the_picker(
    make_client: MakeClient, users: Users, clinic: Clinic, query: Any, expected: list[str]
) -> None:
    client = await loaded(make_client, users, clinic.url)
    await client.call(AdminTimetableState, "search_doctors", query=query)
    state = await client.state(AdminTimetableState)
    assert [o["label"].split(" · ")[0] for o in state.options] == expected


# --- blocking --------------------------------------------------------------------------------


async def test_block_and_unblock_a_slot(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = await loaded(make_client, users, clinic.url)
    state = await client.state(AdminTimetableState)
    start = clinic.start("11:00")
    await client.call(AdminTimetableState, "open_block", start=start)
    assert state.blocking == start

    events = await client.call(AdminTimetableState, "block", form_data={"reason": "Ward round"})
    assert has_toast(events, f"Blocked 11:00 AM on {state.grid['day_label']}.")
    assert state.blocking == ""
    blocked = slot(state, "11:00 AM")
    assert (blocked["state"], blocked["block_reason"], blocked["can_unblock"]) == (
        "blocked",
        "Ward round",
        "true",
    )
    with fresh_session() as db:
        [off] = db.exec(select(TimeOff)).all()
        assert (off.doctor_id, off.start_at.isoformat(), off.created_by_user_id) == (
            clinic.doctor.id,
            start,
            users.admin.id,
        )

    events = await client.call(AdminTimetableState, "unblock", start=start)
    assert has_toast(events, f"Unblocked 11:00 AM on {state.grid['day_label']}.")
    assert slot(state, "11:00 AM")["state"] == "available"
    with fresh_session() as db:
        assert db.exec(select(TimeOff)).all() == []
        actions = db.exec(select(AuditEvent.action).where(AuditEvent.entity == "doctor")).all()
        assert actions == ["slot_blocked", "slot_unblocked"]


async def test_refusals_are_shown_and_the_grid_refreshed(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    client = await loaded(make_client, users, clinic.url)
    before = db_rows(fresh_session)
    await client.call(AdminTimetableState, "open_block", start=clinic.start("10:00"))
    events = await client.call(AdminTimetableState, "block", form_data={})
    assert has_toast(events, "This slot is booked. Cancel the appointment first to free it.")
    events = await client.call(AdminTimetableState, "unblock", start=clinic.start("11:00"))
    assert has_toast(events, "This slot is not blocked.")
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize(
    ("start", "form_data"),
    [
        ("11:00", {"reason": "r" * 10_000}),
        ("11:00 in another zone", {"reason": "x"}),  # the same wall time: no slot
        ("2030-01-01T10:00:00+05:30", {"reason": "x"}),  # a slot of another day
    ],
)
async def test_blocking_what_is_no_slot_or_with_a_huge_reason_is_refused(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    start: str,
    form_data: Any,
) -> None:
    client = await loaded(make_client, users, clinic.url)
    if start == "11:00":
        start = clinic.start("11:00")
    elif start == "11:00 in another zone":
        start = clinic.start("11:00").replace("+00:00", "+07:00")
    before = db_rows(fresh_session)
    await client.call(AdminTimetableState, "open_block", start=start)
    events = await client.call(AdminTimetableState, "block", form_data=form_data)
    assert len(events) == 1 and "error" in events[0].payload["function"]
    events = await client.call(AdminTimetableState, "unblock", start=start)
    assert len(events) == 1 and "error" in events[0].payload["function"]
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize(
    "start", ["garbage", "2026-11-23T10:00:00", "x" * 10_000, None, 1234567890, ["a"]]
)
async def test_crafted_starts_are_refused_harmlessly(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    start: Any,
) -> None:
    client = await loaded(make_client, users, clinic.url)
    before = db_rows(fresh_session)
    await client.call(AdminTimetableState, "open_block", start=start)
    assert (await client.state(AdminTimetableState)).blocking == ""
    events = await client.call(AdminTimetableState, "block", form_data={"reason": "x"})
    assert has_toast(events, "That slot is not on this timetable.")
    events = await client.call(AdminTimetableState, "unblock", start=start)
    assert has_toast(events, "That slot is not on this timetable.")
    assert db_rows(fresh_session) == before


@pytest.mark.parametrize("form_data", ["Meeting", None, ["Meeting"], {"reason": 7}])
async def test_a_form_that_is_not_one_blocks_with_the_default_reason(
    make_client: MakeClient,
    users: Users,
    clinic: Clinic,
    fresh_session: FreshSession,
    form_data: Any,
) -> None:
    client = await loaded(make_client, users, clinic.url)
    await client.call(AdminTimetableState, "open_block", start=clinic.start("11:00"))
    await client.call(AdminTimetableState, "block", form_data=form_data)
    with fresh_session() as db:
        assert db.exec(select(TimeOff.reason)).all() == ["Blocked by admin"]


async def test_block_is_for_the_doctor_the_page_loaded_only(
    make_client: MakeClient, users: Users, clinic: Clinic, fresh_session: FreshSession
) -> None:
    """Without a loaded doctor there is nothing to block, whatever the start says."""
    client = make_client(users.admin, url="/admin/timetable")
    await client.call(AdminTimetableState, "load")
    before = db_rows(fresh_session)
    await client.call(AdminTimetableState, "open_block", start=clinic.start("11:00"))
    events = await client.call(AdminTimetableState, "block", form_data={})
    assert has_toast(events, "That slot is not on this timetable.")
    assert db_rows(fresh_session) == before


async def test_open_block_ignores_crafted_starts(
    make_client: MakeClient, users: Users, clinic: Clinic
) -> None:
    client = await loaded(make_client, users, clinic.url)
    state = await client.state(AdminTimetableState)
    for bad in ("nope", None, 5, "x" * 10_000):
        await client.call(AdminTimetableState, "open_block", start=bad)
        assert state.blocking == ""
    await client.call(AdminTimetableState, "open_block", start=clinic.start("11:00"))
    await client.call(AdminTimetableState, "block_dialog_changed", is_open=False)
    assert state.blocking == ""
