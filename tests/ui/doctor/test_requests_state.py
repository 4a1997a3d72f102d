"""Booking requests on the doctor's dashboard and the "Confirm bookings myself" switch,
driven as the doctor's browser would and as a crafted one could: only his own listed
requests are answered, wrong callers are sent away, bad arguments never raise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, AuditEvent, Doctor
from healthcareplus.domain.booking.appointments import book
from healthcareplus.ui.doctor.requests_state import (
    NOT_LISTED,
    SETTING_OFF,
    SETTING_ON,
    DoctorBookingSettingState,
    DoctorRequestsState,
)
from tests.factories import create_doctor, link_doctor_user, local
from tests.ui.harness import Client, Users, has_toast, redirects, toasts

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
EVERY_DAY = tuple((weekday, "08:00", "20:00", 30) for weekday in range(7))
CRAFTED: tuple[Any, ...] = (None, 7, "", "x" * 300, ["a"], {"id": "1"}, "../admin")


def _doctor(session: Session, users: Users) -> Doctor:
    doctor = create_doctor(session, name="Dr. Dev Iyer", schedule=EVERY_DAY)
    doctor.user_id, doctor.confirms_bookings = users.doctor.id, True
    session.add(doctor)
    session.commit()
    return doctor


def _ask(session: Session, users: Users, doctor: Doctor, hour: str, *, other=False) -> str:
    patient = users.other_patient if other else users.patient
    day = clinic_today(utcnow()) + timedelta(days=3)
    booked = book(
        session,
        patient_id=patient.id,
        doctor_id=doctor.id,
        start_at=local(day, hour),
        reason="Fever",
        now=utcnow(),
    )
    session.commit()
    return booked.id


@pytest.fixture
def asked(session: Session, users: Users) -> tuple[Doctor, str, str]:
    doctor = _doctor(session, users)
    first = _ask(session, users, doctor, "10:00")
    second = _ask(session, users, doctor, "11:00", other=True)
    return doctor, first, second


def row_of(fresh_session: FreshSession, appointment_id: str) -> Appointment:
    with fresh_session() as db:
        row = db.get(Appointment, appointment_id)
        assert row is not None
        return row


def audit_count(fresh_session: FreshSession) -> int:
    with fresh_session() as db:
        return len(db.exec(select(col(AuditEvent.id))).all())


async def test_the_doctor_sees_and_answers_his_requests(
    make_client: MakeClient, users: Users, asked, fresh_session: FreshSession
) -> None:
    _doctor_row, first, second = asked
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorRequestsState, "load")
    state = await client.state(DoctorRequestsState)
    assert [r["patient"] for r in state.rows] == ["Asha Rao", "Bina Das"]
    assert state.rows[0]["answer_by"] and state.rows[0]["reason"] == "Fever"

    events = await client.call(DoctorRequestsState, "accept", appointment_id=first)
    assert any("Accepted: Asha Rao" in js for js in toasts(events))
    assert row_of(fresh_session, first).awaiting_doctor is False
    assert [r["appointment_id"] for r in state.rows] == [second]

    await client.call(DoctorRequestsState, "start_decline", appointment_id=second)
    assert state.declining["appointment_id"] == second
    events = await client.call(DoctorRequestsState, "decline", form={"reason": "On leave"})
    assert any("Declined: Bina Das" in js for js in toasts(events))
    declined = row_of(fresh_session, second)
    assert (declined.status, declined.cancel_reason) == ("cancelled", "On leave")
    assert state.rows == [] and state.declining == {}


async def test_a_too_long_reason_stays_in_the_dialog(
    make_client: MakeClient, users: Users, asked, fresh_session: FreshSession
) -> None:
    _doctor_row, first, _second = asked
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorRequestsState, "load")
    await client.call(DoctorRequestsState, "start_decline", appointment_id=first)
    state = await client.state(DoctorRequestsState)
    assert await client.call(DoctorRequestsState, "decline", form={"reason": "x " * 300}) == []
    assert state.decline_error and state.declining["appointment_id"] == first
    assert row_of(fresh_session, first).status == "pending_payment"
    await client.call(DoctorRequestsState, "close_decline", is_open=False)
    assert (state.declining, state.decline_error) == ({}, "")


async def test_the_live_tick_picks_up_a_new_request(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    doctor = _doctor(session, users)
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorRequestsState, "load")
    await client.call(DoctorRequestsState, "tick")
    state = await client.state(DoctorRequestsState)
    assert state.rows == []
    _ask(session, users, doctor, "10:00")
    await client.call(DoctorRequestsState, "tick", _moment="2026-11-23T10:00:00")
    assert [r["patient"] for r in state.rows] == ["Asha Rao"]


async def test_another_doctors_requests_are_out_of_reach(
    make_client: MakeClient, users: Users, asked, session: Session, fresh_session: FreshSession
) -> None:
    _doctor_row, first, _second = asked
    other = link_doctor_user(session, create_doctor(session, name="Dr. Rao"))
    client = make_client(other, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorRequestsState, "load")
    state = await client.state(DoctorRequestsState)
    assert state.rows == []
    before = audit_count(fresh_session)
    state.rows = [{"appointment_id": first, "patient": "A", "when": "x"}]  # a crafted tab
    events = await client.call(DoctorRequestsState, "accept", appointment_id=first)
    assert has_toast(events, "Request not found.")
    state.declining = state.rows[0] if state.rows else {"appointment_id": first}
    state.rows = [{"appointment_id": first, "patient": "A", "when": "x"}]
    events = await client.call(DoctorRequestsState, "decline", form={"reason": "x"})
    assert has_toast(events, "Request not found.")
    assert row_of(fresh_session, first).awaiting_doctor is True
    assert audit_count(fresh_session) == before


async def test_crafted_arguments_never_raise_and_change_nothing(
    make_client: MakeClient, users: Users, asked, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await client.call(DoctorRequestsState, "load")
    state = await client.state(DoctorRequestsState)
    before = audit_count(fresh_session)
    for value in CRAFTED:
        events = await client.call(DoctorRequestsState, "accept", appointment_id=value)
        assert has_toast(events, NOT_LISTED)
        events = await client.call(DoctorRequestsState, "start_decline", appointment_id=value)
        assert has_toast(events, NOT_LISTED) and state.declining == {}
        assert await client.call(DoctorRequestsState, "decline", form=value) == []
        await client.call(DoctorRequestsState, "close_decline", is_open=value)
        await client.call(DoctorRequestsState, "tick", _moment=value)
    setting = make_client(users.doctor, url=routes.DOCTOR_PROFILE)
    await setting.call(DoctorBookingSettingState, "load")
    for value in (None, "true", 1, ["on"], {"on": True}):
        assert await setting.call(DoctorBookingSettingState, "set_confirms", on=value) == []
    assert audit_count(fresh_session) == before
    assert len(state.rows) == 2


@pytest.mark.parametrize("who", [None, "patient", "admin"])
async def test_wrong_callers_are_sent_away(
    make_client: MakeClient, users: Users, asked, who: str | None, fresh_session: FreshSession
) -> None:
    _doctor_row, first, _second = asked
    client = make_client(getattr(users, who) if who else None, url=routes.DOCTOR_PORTAL)
    state = await client.state(DoctorRequestsState)
    state.rows = [{"appointment_id": first, "patient": "A", "when": "x"}]
    state.declining = state.rows[0]
    before = audit_count(fresh_session)
    for name, payload in (
        ("load", {}),
        ("accept", {"appointment_id": first}),
        ("decline", {"form": {"reason": "x"}}),
    ):
        events = await client.call(DoctorRequestsState, name, **payload)
        assert redirects(events), name
    events = await client.call(DoctorBookingSettingState, "set_confirms", on=False)
    assert redirects(events)
    assert row_of(fresh_session, first).awaiting_doctor is True
    assert audit_count(fresh_session) == before


async def test_the_switch_turns_the_setting_on_and_off(
    make_client: MakeClient, users: Users, session: Session, fresh_session: FreshSession
) -> None:
    doctor = _doctor(session, users)
    client = make_client(users.doctor, url=routes.DOCTOR_PROFILE)
    await client.call(DoctorBookingSettingState, "load")
    state = await client.state(DoctorBookingSettingState)
    assert (state.loaded, state.confirms) == (True, True)

    events = await client.call(DoctorBookingSettingState, "set_confirms", on=False)
    assert has_toast(events, SETTING_OFF) and state.confirms is False
    events = await client.call(DoctorBookingSettingState, "set_confirms", on=True)
    assert has_toast(events, SETTING_ON) and state.confirms is True
    with fresh_session() as db:
        assert db.get(Doctor, doctor.id).confirms_bookings is True


async def test_a_doctor_without_a_practice_gets_no_switch(
    make_client: MakeClient, users: Users, fresh_session: FreshSession
) -> None:
    client = make_client(users.doctor, url=routes.DOCTOR_PROFILE)
    await client.call(DoctorBookingSettingState, "load")
    state = await client.state(DoctorBookingSettingState)
    assert state.loaded is False
    assert await client.call(DoctorBookingSettingState, "set_confirms", on=True) == []
    listing = make_client(users.doctor, url=routes.DOCTOR_PORTAL)
    await listing.call(DoctorRequestsState, "load")
    requests_state = await listing.state(DoctorRequestsState)
    assert requests_state.error and requests_state.rows == []
