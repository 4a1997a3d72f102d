"""The waitlist page (``WaitlistState``) driven as a browser would and as a crafted
browser could: every handler by every wrong role, odd arguments, another patient's
entries and offers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment
from healthcareplus.core.waitlist_models import FreedSlot, SlotOffer, WaitlistEntry
from healthcareplus.domain.booking.waitlist import join_waitlist
from healthcareplus.domain.booking.waitlist_offers import offer_freed_slot
from healthcareplus.ui.patient.waitlist_state import WaitlistState
from tests.factories import create_doctor, local
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
SIGN_IN_PLEASE = "Please sign in to continue."
NO_ACCESS = "You do not have access to that page."
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("load", {}),
    ("join", {"form_data": {"doctor_id": "1", "from_day": "2030-01-01", "to_day": "2030-01-02"}}),
    ("leave", {"entry_id": "1"}),
    ("accept", {"offer_id": "1"}),
    ("decline", {"offer_id": "1"}),
]


def _day(days: int = 3):
    return clinic_today(utcnow()) + timedelta(days=days)


def _waiting(session: Session, patient_id: int, *, offered: bool = False) -> tuple[int, int]:
    """A doctor, the patient on their waitlist; with ``offered``, a freed slot offered to
    them. Returns (entry id, offer id or 0)."""
    doctor = create_doctor(session, schedule=EVERY_DAY)
    entry = join_waitlist(
        session,
        patient_id=patient_id,
        doctor_id=doctor.id,
        from_day=_day(),
        to_day=_day(),
        now=utcnow(),
    )
    session.commit()
    offer_id = 0
    if offered:
        freed = FreedSlot(doctor_id=doctor.id, start_at=local(_day(), "10:00"), freed_at=utcnow())
        session.add(freed)
        session.commit()
        offer = offer_freed_slot(session, freed_id=freed.id, now=utcnow())
        session.commit()
        assert offer is not None
        offer_id = offer.id
    return entry.id, offer_id


def _rows(fresh_session: FreshSession) -> list[dict[str, Any]]:
    with fresh_session() as db:
        entries = [
            e.model_dump() for e in db.exec(select(WaitlistEntry).order_by(WaitlistEntry.id))
        ]
        offers = [o.model_dump() for o in db.exec(select(SlotOffer).order_by(SlotOffer.id))]
        return entries + offers


async def _values(client: Client) -> dict[str, Any]:
    state = await client.state(WaitlistState)
    return copy.deepcopy({name: state.get_value(name) for name in WaitlistState.base_vars})


@pytest.mark.parametrize(("name", "payload"), CALLS)
@pytest.mark.parametrize(
    ("who", "target", "toast"),
    [
        (None, "/login?next=%2Fwaitlist", SIGN_IN_PLEASE),
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
    entry_id, offer_id = _waiting(session, users.patient.id, offered=True)
    before = _rows(fresh_session)
    client = make_client(getattr(users, who) if who else None, url=routes.WAITLIST)
    state = await client.state(WaitlistState)
    # As if the page showed the patient's rows: a crafted call must still do nothing.
    state.entries = [{"id": str(entry_id), "doctor_name": "Dr. X"}]
    state.offers = [{"id": str(offer_id), "doctor_name": "Dr. X"}]
    untouched = await _values(client)

    events = await client.call(WaitlistState, name, **payload)

    assert redirects(events) == [target]
    assert has_toast(events, toast)
    assert await _values(client) == untouched
    assert _rows(fresh_session) == before


async def test_join_from_the_booking_page_then_leave(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    doctor = create_doctor(session, schedule=EVERY_DAY)
    client = make_client(users.patient, url=routes.book_url(doctor.id))
    form = {
        "doctor_id": str(doctor.id),
        "from_day": _day().isoformat(),
        "to_day": _day(5).isoformat(),
    }
    events = await client.call(WaitlistState, "join", form_data=form)
    assert redirects(events) == [routes.WAITLIST]
    # Joining again for overlapping days is refused.
    events = await client.call(WaitlistState, "join", form_data=form)
    assert has_toast(events, "You are already on this doctor's waitlist for some of those days.")

    await client.call(WaitlistState, "load")
    state = await client.state(WaitlistState)
    assert [e["doctor_name"] for e in state.entries] == [doctor.name]
    events = await client.call(WaitlistState, "leave", entry_id=state.entries[0]["id"])
    assert state.entries == []
    with fresh_session() as db:
        assert db.exec(select(WaitlistEntry.status)).all() == ["left"]


@pytest.mark.parametrize(
    "form",
    [
        None,
        "text",
        {"doctor_id": "x", "from_day": "2030-01-01", "to_day": "2030-01-01"},
        {"doctor_id": "999999", "from_day": "2030-01-01", "to_day": "2030-01-01"},
        {"doctor_id": ["1"], "from_day": 5, "to_day": {}},
    ],
)
async def test_join_refuses_bad_forms(
    make_client: MakeClient, users: Users, fresh_session: FreshSession, form: Any
) -> None:
    client = make_client(users.patient, url=routes.WAITLIST)
    events = await client.call(WaitlistState, "join", form_data=form)
    assert redirects(events) == []
    assert _rows(fresh_session) == []


async def test_join_shows_date_errors(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    doctor = create_doctor(session, schedule=EVERY_DAY)
    client = make_client(users.patient, url=routes.WAITLIST)
    form = {
        "doctor_id": str(doctor.id),
        "from_day": _day().isoformat(),
        "to_day": _day(20).isoformat(),
    }
    await client.call(WaitlistState, "join", form_data=form)
    state = await client.state(WaitlistState)
    assert "to_day" in state.join_errors
    assert _rows(fresh_session) == []


@pytest.mark.parametrize("name", ["leave", "accept", "decline"])
@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999", None, 3.5, ["1"]])
async def test_odd_ids_change_nothing(
    make_client: MakeClient,
    users: Users,
    session: Session,
    fresh_session: FreshSession,
    name: str,
    value: Any,
) -> None:
    _waiting(session, users.patient.id, offered=True)
    before = _rows(fresh_session)
    client = make_client(users.patient, url=routes.WAITLIST)
    await client.call(WaitlistState, "load")
    arg = "entry_id" if name == "leave" else "offer_id"
    events = await client.call(WaitlistState, name, **{arg: value})
    assert redirects(events) == []
    assert _rows(fresh_session) == before


@pytest.mark.parametrize("name", ["leave", "accept", "decline"])
async def test_another_patients_rows_are_out_of_reach(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession, name: str
) -> None:
    entry_id, offer_id = _waiting(session, users.other_patient.id, offered=True)
    before = _rows(fresh_session)
    client = make_client(users.patient, url=routes.WAITLIST)
    await client.call(WaitlistState, "load")
    state = await client.state(WaitlistState)
    assert (state.entries, state.offers) == ([], [])
    # Even with the other patient's ids planted in the page's rows, the domain refuses.
    state.entries = [{"id": str(entry_id), "doctor_name": "Dr. X"}]
    state.offers = [{"id": str(offer_id), "doctor_name": "Dr. X"}]
    arg = {"entry_id": str(entry_id)} if name == "leave" else {"offer_id": str(offer_id)}
    events = await client.call(WaitlistState, name, **arg)
    assert redirects(events) == []
    assert state.message
    assert _rows(fresh_session) == before


async def test_accept_goes_to_payment(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    _, offer_id = _waiting(session, users.patient.id, offered=True)
    client = make_client(users.patient, url=routes.WAITLIST)
    await client.call(WaitlistState, "load")
    state = await client.state(WaitlistState)
    [offer] = state.offers
    events = await client.call(WaitlistState, "accept", offer_id=offer["id"])
    assert redirects(events) == [routes.payment_url(offer["appointment_id"])]
    with fresh_session() as db:
        assert db.get(SlotOffer, offer_id).status == "accepted"


async def test_decline_gives_the_slot_up(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    _, offer_id = _waiting(session, users.patient.id, offered=True)
    client = make_client(users.patient, url=routes.WAITLIST)
    await client.call(WaitlistState, "load")
    state = await client.state(WaitlistState)
    [offer] = state.offers
    events = await client.call(WaitlistState, "decline", offer_id=offer["id"])
    assert has_toast(events, "Offer declined. You are still on the waitlist.")
    assert state.offers == [] and len(state.entries) == 1
    with fresh_session() as db:
        assert db.get(SlotOffer, offer_id).status == "declined"
        assert db.get(Appointment, offer["appointment_id"]).status == "cancelled"
