"""DoctorReviewsState: the doctor's own visible reviews a page at a time and one reply to
a listed review; wrong callers and crafted arguments change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AppointmentStatus, Doctor
from healthcareplus.core.review_models import Review
from healthcareplus.domain.catalog import reviews
from healthcareplus.ui.doctor.reviews_state import NOT_LISTED, DoctorReviewsState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_appointment, create_doctor, create_patient
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = ("load", "go_to_page", "start_reply", "close_reply", "reply")
URL = routes.DOCTOR_REVIEWS


def write(session: Session, doctor: Doctor, rating: int = 4, days: int = 1) -> int:
    visit = create_appointment(
        session,
        doctor=doctor,
        patient=create_patient(session, name="Ravi Kumar"),
        start_at=utcnow() - timedelta(days=days),
        status=AppointmentStatus.COMPLETED,
    )
    view = reviews.write_review(
        session,
        appointment_id=visit.id,
        rating=rating,
        body="Good",
        actor_id=visit.patient_id,
        now=utcnow() - timedelta(days=days) + timedelta(hours=2),
    )
    session.commit()
    return view.id


@pytest.fixture
def own(session: Session, users: Users) -> Doctor:
    doctor = create_doctor(session, name="Dr. Dev Iyer")
    doctor.user_id = users.doctor.id
    session.add(doctor)
    session.commit()
    return doctor


def replies(session: Session) -> list[tuple[int, str | None]]:
    session.expire_all()
    return [(r.id, r.reply) for r in session.exec(select(Review).order_by(Review.id)).all()]


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(DoctorReviewsState)
    return copy.deepcopy({n: state.get_value(n) for n in DoctorReviewsState.base_vars})


async def loaded(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.doctor, url=URL)
    assert await client.call(DoctorReviewsState, "load") == []
    return client


def test_the_cases_cover_every_handler() -> None:
    assert set(DoctorReviewsState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "admin"], ids=["anonymous", "patient", "admin"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient, users: Users, session: Session, own: Doctor, name: str, who: Any
) -> None:
    review_id = write(session, own)
    client = make_client(getattr(users, who) if who else None, url=URL)
    state = await client.state(DoctorReviewsState)
    state.rows, state.replying = [{"id": str(review_id), "reply": ""}], str(review_id)
    before = await values(client)
    payload = {
        "go_to_page": {"page": 1},
        "start_reply": {"review_id": str(review_id)},
        "reply": {"form_data": {"reply": "Thank you"}},
    }.get(name, {})

    events = await client.call(DoctorReviewsState, name, **payload)

    expected = routes.login_url_for(("doctor",), URL) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert await values(client) == before
    assert replies(session) == [(review_id, None)]


async def test_load_lists_own_visible_reviews_newest_first_and_pages(
    make_client: MakeClient, users: Users, session: Session, own: Doctor
) -> None:
    ids = [write(session, own, rating=1 + i % 5, days=20 - i) for i in range(12)]
    write(session, create_doctor(session))  # another doctor's: never listed
    client = await loaded(make_client, users)
    state = await client.state(DoctorReviewsState)
    assert [int(r["id"]) for r in state.rows] == ids[::-1][:10]
    assert (state.page, state.pages, state.total) == (1, 2, 12)
    assert state.summary == reviews.summary(12, sum(1 + i % 5 for i in range(12))).label
    assert state.rows[0]["author"] == "Ravi K."
    await client.call(DoctorReviewsState, "go_to_page", page=2)
    assert [int(r["id"]) for r in (await client.state(DoctorReviewsState)).rows] == ids[:2][::-1]
    for junk in ("2", None, -5, 99):
        await client.call(DoctorReviewsState, "go_to_page", page=junk)
    assert (await client.state(DoctorReviewsState)).page in (1, 2)


async def test_the_doctor_replies_once(
    make_client: MakeClient, users: Users, session: Session, own: Doctor
) -> None:
    review_id = write(session, own)
    client = await loaded(make_client, users)
    assert await client.call(DoctorReviewsState, "start_reply", review_id=str(review_id)) == []
    events = await client.call(DoctorReviewsState, "reply", form_data={"reply": " Thanks! "})
    assert has_toast(events, "Reply posted.")
    assert replies(session) == [(review_id, "Thanks!")]
    state = await client.state(DoctorReviewsState)
    assert (state.replying, state.rows[0]["reply"]) == ("", "Thanks!")
    # The listed row has its reply now: no second one.
    events = await client.call(DoctorReviewsState, "start_reply", review_id=str(review_id))
    assert has_toast(events, NOT_LISTED)
    assert await client.call(DoctorReviewsState, "reply", form_data={"reply": "Again"}) == []
    assert replies(session) == [(review_id, "Thanks!")]


@pytest.mark.parametrize("form", [{"reply": ""}, {"reply": "  "}, {"reply": "x" * 2001}, {}, None])
async def test_an_empty_or_long_reply_is_refused_in_the_dialog(
    make_client: MakeClient, users: Users, session: Session, own: Doctor, form: Any
) -> None:
    review_id = write(session, own)
    client = await loaded(make_client, users)
    await client.call(DoctorReviewsState, "start_reply", review_id=str(review_id))
    assert await client.call(DoctorReviewsState, "reply", form_data=form) == []
    state = await client.state(DoctorReviewsState)
    assert state.replying == str(review_id) and state.reply_error
    assert replies(session) == [(review_id, None)]


@pytest.mark.parametrize("bad", [None, 1, "", "999", ["1"], "other"])
async def test_only_a_listed_review_can_be_answered(
    make_client: MakeClient, users: Users, session: Session, own: Doctor, bad: Any
) -> None:
    write(session, own)
    other = write(session, create_doctor(session))
    client = await loaded(make_client, users)
    before = await values(client)
    argument = str(other) if bad == "other" else bad
    events = await client.call(DoctorReviewsState, "start_reply", review_id=argument)
    assert has_toast(events, NOT_LISTED)
    assert await values(client) == before


async def test_a_doctor_without_a_practice_sees_the_refusal(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    client = await loaded(make_client, users)
    state = await client.state(DoctorReviewsState)
    assert state.error and state.rows == []
