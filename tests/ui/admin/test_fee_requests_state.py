"""Admin fee requests: the pending list, approve, decline with a note; wrong callers and
crafted ids change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Doctor, FeeChangeRequest
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.domain.admin import fee_requests
from healthcareplus.ui.admin.fee_requests_state import NOT_LISTED, AdminFeeRequestsState
from tests.factories import create_doctor
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
HANDLERS: dict[str, dict[str, Any]] = {
    "load": {},
    "approve": {"request_id": "1"},
    "open_decline": {"request_id": "1"},
    "decline_dialog_changed": {"is_open": False},
    "decline": {"form_data": {"reason": "Not this year"}},
}


@pytest.fixture
def doctor(session: Session, users: Users) -> Doctor:
    made = create_doctor(session, name="Dr. Dev Iyer", fee_paise=50_000)
    made.user_id = users.doctor.id
    session.add(made)
    session.commit()
    own.request_fee_change(
        session, actor_id=users.doctor.id, fee_rupees=650, reason="Longer visits", now=utcnow()
    )
    session.commit()
    return made


def requests(fresh_session: FreshSession) -> list[tuple[str, str]]:
    with fresh_session() as db:
        rows = db.exec(select(FeeChangeRequest.status, FeeChangeRequest.decision_note)).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


def fee(fresh_session: FreshSession, doctor: Doctor) -> int:
    with fresh_session() as db:
        found = db.get(Doctor, doctor.id)
        assert found is not None
        return found.fee_paise


async def opened(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.admin, url=routes.ADMIN_FEE_REQUESTS)
    assert await client.call(AdminFeeRequestsState, "load") == []
    return client


def test_the_cases_cover_every_handler() -> None:
    assert set(AdminFeeRequestsState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "doctor"])
@pytest.mark.parametrize("name", list(HANDLERS))
async def test_wrong_callers_are_sent_away_and_change_nothing(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    fresh_session: FreshSession,
    who: str | None,
    name: str,
) -> None:
    client = make_client(getattr(users, who) if who else None, url=routes.ADMIN_FEE_REQUESTS)
    state = await client.state(AdminFeeRequestsState)
    state.rows, state.declining = [{"id": "1"}], "1"  # as a crafted tab would hold them
    events = await client.call(AdminFeeRequestsState, name, **HANDLERS[name])
    assert redirects(events)
    assert requests(fresh_session) == [("pending", "")] and fee(fresh_session, doctor) == 50_000


async def test_an_admin_approves_and_the_fee_changes(
    make_client: MakeClient, users: Users, doctor: Doctor, fresh_session: FreshSession
) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminFeeRequestsState)
    [row] = state.rows
    assert (row["doctor"], row["current"], row["requested"], row["reason"]) == (
        "Dr. Dev Iyer",
        "₹500",
        "₹650",
        "Longer visits",
    )
    events = await client.call(AdminFeeRequestsState, "approve", request_id=row["id"])
    assert has_toast(
        events,
        "Fee change approved: the new fee applies to new bookings. The doctor has been told.",
    )
    assert state.rows == [] and fee(fresh_session, doctor) == 65_000
    events = await client.call(AdminFeeRequestsState, "approve", request_id=row["id"])
    assert has_toast(events, NOT_LISTED)


async def test_declining_needs_a_note_and_keeps_the_dialog_open_until_given(
    make_client: MakeClient, users: Users, doctor: Doctor, fresh_session: FreshSession
) -> None:
    client = await opened(make_client, users)
    state = await client.state(AdminFeeRequestsState)
    request_id = state.rows[0]["id"]
    await client.call(AdminFeeRequestsState, "open_decline", request_id=request_id)
    assert state.declining == request_id
    assert await client.call(AdminFeeRequestsState, "decline", form_data={"reason": ""}) == []
    assert state.declining == request_id and state.decline_errors["reason"]
    events = await client.call(
        AdminFeeRequestsState, "decline", form_data={"reason": "Fees are reviewed in April"}
    )
    assert has_toast(events, "Fee change declined. The doctor has been told.")
    assert state.declining == "" and state.rows == []
    assert requests(fresh_session) == [("declined", "Fees are reviewed in April")]
    assert fee(fresh_session, doctor) == 50_000


@pytest.mark.parametrize("request_id", ["999", "", None, 1, ["1"], "../1"])
async def test_requests_not_in_the_list_are_refused(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    fresh_session: FreshSession,
    request_id: Any,
) -> None:
    client = await opened(make_client, users)
    events = await client.call(AdminFeeRequestsState, "approve", request_id=request_id)
    assert redirects(events) == [] and (has_toast(events, NOT_LISTED) or events == [])
    await client.call(AdminFeeRequestsState, "open_decline", request_id=request_id)
    assert (await client.state(AdminFeeRequestsState)).declining == ""
    events = await client.call(AdminFeeRequestsState, "decline", form_data={"reason": "Nope!"})
    assert has_toast(events, NOT_LISTED)
    assert requests(fresh_session) == [("pending", "")]


async def test_a_request_withdrawn_meanwhile_is_refused_and_the_list_refreshed(
    make_client: MakeClient,
    users: Users,
    doctor: Doctor,
    session: Session,
    fresh_session: FreshSession,
) -> None:
    client = await opened(make_client, users)
    own.withdraw_fee_request(session, actor_id=users.doctor.id, now=utcnow() + timedelta(seconds=1))
    session.commit()
    state = await client.state(AdminFeeRequestsState)
    events = await client.call(AdminFeeRequestsState, "approve", request_id=state.rows[0]["id"])
    assert has_toast(events, fee_requests.ALREADY_DECIDED)
    assert state.rows == [] and fee(fresh_session, doctor) == 50_000
