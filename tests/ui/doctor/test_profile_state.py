"""The doctor's own profile page state: it shows and saves only the caller's own profile,
sends fee requests, and answers crafted input with field errors or toasts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.models import Doctor, FeeChangeRequest
from healthcareplus.domain.admin import doctor_self_service as own
from healthcareplus.ui.doctor.profile_state import DoctorOwnProfileState
from tests.factories import create_doctor, link_doctor_user
from tests.ui.harness import Client, Users, has_toast

MakeClient = Callable[..., Client]
FreshSession = Callable[[], Session]
FORM = {
    "qualification": "MBBS, DNB (Family Medicine)",
    "languages": "English, Tamil",
    "about": "Family doctor.",
    "registration_number": "TNMC 998877",
    "registration_council": "Tamil Nadu Medical Council",
}


@pytest.fixture
def doctors(session: Session, users: Users) -> tuple[Doctor, Doctor]:
    mine = create_doctor(session, name="Dr. Dev Iyer", fee_paise=50_000)
    mine.user_id = users.doctor.id
    session.add(mine)
    other = create_doctor(session, name="Dr. Rao", fee_paise=50_000)
    link_doctor_user(session, other)
    session.commit()
    return mine, other


async def opened(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.doctor, url=routes.DOCTOR_PROFILE)
    assert await client.call(DoctorOwnProfileState, "load") == []
    return client


async def test_the_page_shows_and_saves_the_callers_own_profile(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    fresh_session: FreshSession,
) -> None:
    mine, other = doctors
    client = await opened(make_client, users)
    state = await client.state(DoctorOwnProfileState)
    assert (state.profile["name"], state.profile["fee"], state.fee_request) == (
        "Dr. Dev Iyer",
        "₹500",
        {},
    )

    assert await client.call(DoctorOwnProfileState, "save", form=FORM) == []
    assert state.saved.startswith("Profile saved") and state.errors == {}
    assert state.profile["registration_number"] == "TNMC 998877"
    with fresh_session() as db:
        saved, untouched = db.get(Doctor, mine.id), db.get(Doctor, other.id)
        assert saved is not None and untouched is not None
        assert (saved.registration_council, saved.languages) == (
            "Tamil Nadu Medical Council",
            ["English", "Tamil"],
        )
        assert untouched.registration_number == "" and untouched.about == ""


async def test_field_errors_stay_on_the_form(
    make_client: MakeClient, users: Users, doctors: tuple[Doctor, Doctor]
) -> None:
    client = await opened(make_client, users)
    form = {**FORM, "registration_council": "", "languages": ""}
    assert await client.call(DoctorOwnProfileState, "save", form=form) == []
    state = await client.state(DoctorOwnProfileState)
    assert set(state.errors) == {"languages", "registration_number"} and state.saved == ""


async def test_a_fee_request_then_its_withdrawal(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    fresh_session: FreshSession,
) -> None:
    client = await opened(make_client, users)
    events = await client.call(
        DoctorOwnProfileState, "request_fee", form={"fee_rupees": "650", "reason": "Longer visits"}
    )
    assert has_toast(events, "Fee change sent to the clinic for approval.")
    state = await client.state(DoctorOwnProfileState)
    assert state.fee_request["status"] == "pending" and state.fee_request["to"] == "₹650"

    events = await client.call(DoctorOwnProfileState, "request_fee", form={"fee_rupees": "700"})
    assert has_toast(events, own.ALREADY_PENDING)

    events = await client.call(DoctorOwnProfileState, "withdraw_fee")
    assert has_toast(events, "Fee change request withdrawn.")
    assert state.fee_request["status"] == "withdrawn"
    with fresh_session() as db:
        statuses = db.exec(select(FeeChangeRequest.status)).all()
        assert statuses == ["withdrawn"]
    events = await client.call(DoctorOwnProfileState, "withdraw_fee")
    assert has_toast(events, own.NO_PENDING)


@pytest.mark.parametrize(
    "form", [None, "x", [], {"fee_rupees": "-5"}, {"fee_rupees": ["700"]}, {"fee_rupees": "1e9"}]
)
async def test_crafted_fee_requests_send_nothing(
    make_client: MakeClient,
    users: Users,
    doctors: tuple[Doctor, Doctor],
    fresh_session: FreshSession,
    form: Any,
) -> None:
    client = await opened(make_client, users)
    await client.call(DoctorOwnProfileState, "request_fee", form=form)
    with fresh_session() as db:
        assert db.exec(select(FeeChangeRequest)).all() == []
