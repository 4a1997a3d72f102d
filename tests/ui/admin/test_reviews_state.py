"""AdminReviewsState: every review for moderators, filtered; hiding (with a reason) and
unhiding only listed reviews, audited; wrong callers and crafted arguments change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AppointmentStatus, AuditEvent
from healthcareplus.core.review_models import DoctorRating, Review
from healthcareplus.domain.catalog import reviews
from healthcareplus.ui.admin.reviews_state import NOT_LISTED, AdminReviewsState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_appointment, create_doctor, create_patient
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = ("load", "show", "go_to_page", "start_hide", "close_hide", "hide", "unhide")
URL = routes.ADMIN_REVIEWS


def write(session: Session, rating: int = 4, days: int = 1) -> int:
    visit = create_appointment(
        session,
        doctor=create_doctor(session),
        patient=create_patient(session),
        start_at=utcnow() - timedelta(days=days),
        status=AppointmentStatus.COMPLETED,
    )
    view = reviews.write_review(
        session,
        appointment_id=visit.id,
        rating=rating,
        actor_id=visit.patient_id,
        now=utcnow() - timedelta(days=days) + timedelta(hours=2),
    )
    session.commit()
    return view.id


def hidden(session: Session) -> list[tuple[int, str | None]]:
    session.expire_all()
    return [(r.id, r.hidden_reason) for r in session.exec(select(Review).order_by(Review.id)).all()]


def audits(session: Session) -> list[tuple[str, str | None]]:
    session.expire_all()
    return [(e.action, e.reason) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(AdminReviewsState)
    return copy.deepcopy({n: state.get_value(n) for n in AdminReviewsState.base_vars})


async def loaded(make_client: MakeClient, users: Users) -> Client:
    client = make_client(users.admin, url=URL)
    assert await client.call(AdminReviewsState, "load") == []
    return client


def test_the_cases_cover_every_handler() -> None:
    assert set(AdminReviewsState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "patient", "doctor"], ids=["anonymous", "patient", "doctor"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient, users: Users, session: Session, name: str, who: Any
) -> None:
    review_id = write(session)
    client = make_client(getattr(users, who) if who else None, url=URL)
    state = await client.state(AdminReviewsState)
    state.rows = [{"id": str(review_id), "hidden": "false"}]
    state.hiding = str(review_id)
    before = await values(client)
    payload = {
        "show": {"shown": "hidden"},
        "go_to_page": {"page": 1},
        "start_hide": {"review_id": str(review_id)},
        "hide": {"form_data": {"reason": "Abusive words"}},
        "unhide": {"review_id": str(review_id)},
    }.get(name, {})

    events = await client.call(AdminReviewsState, name, **payload)

    expected = routes.login_url_for(("admin",), URL) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert await values(client) == before
    assert hidden(session) == [(review_id, None)]
    assert audits(session) == []


async def test_hide_with_a_reason_then_unhide(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    kept, target = write(session, 5, days=2), write(session, 1, days=1)
    client = await loaded(make_client, users)
    assert [int(r["id"]) for r in (await client.state(AdminReviewsState)).rows] == [target, kept]

    assert await client.call(AdminReviewsState, "start_hide", review_id=str(target)) == []
    assert await client.call(AdminReviewsState, "hide", form_data={"reason": "x"}) == []
    assert (await client.state(AdminReviewsState)).hide_error
    events = await client.call(AdminReviewsState, "hide", form_data={"reason": "Phone number"})
    assert has_toast(events, "Review hidden. It no longer counts or shows.")
    assert hidden(session) == [(kept, None), (target, "Phone number")]
    doctor_id = session.get(Review, target).doctor_id
    assert session.get(DoctorRating, doctor_id).review_count == 0

    await client.call(AdminReviewsState, "show", shown="hidden")
    state = await client.state(AdminReviewsState)
    assert [(r["id"], r["hidden_reason"]) for r in state.rows] == [(str(target), "Phone number")]
    await client.call(AdminReviewsState, "show", shown="visible")
    assert [r["id"] for r in (await client.state(AdminReviewsState)).rows] == [str(kept)]
    await client.call(AdminReviewsState, "show", shown="junk")
    assert (await client.state(AdminReviewsState)).shown == "all"

    events = await client.call(AdminReviewsState, "unhide", review_id=str(target))
    assert has_toast(events, "Review shown again.")
    assert hidden(session) == [(kept, None), (target, None)]
    assert audits(session) == [("review_hidden", "Phone number"), ("review_unhidden", None)]


@pytest.mark.parametrize("bad", [None, 1, "", "999", ["1"], {"id": "1"}])
async def test_only_listed_reviews_in_the_right_state_are_acted_on(
    make_client: MakeClient, users: Users, session: Session, bad: Any
) -> None:
    review_id = write(session)
    client = await loaded(make_client, users)
    before = await values(client)
    for name in ("start_hide", "unhide"):
        events = await client.call(AdminReviewsState, name, review_id=bad)
        assert has_toast(events, NOT_LISTED)
    # A visible review cannot be "unhidden", and nothing is open to hide.
    events = await client.call(AdminReviewsState, "unhide", review_id=str(review_id))
    assert has_toast(events, NOT_LISTED)
    assert await client.call(AdminReviewsState, "hide", form_data={"reason": "Spam"}) == []
    assert await values(client) == before
    assert hidden(session) == [(review_id, None)] and audits(session) == []


async def test_a_review_hidden_meanwhile_by_another_admin_says_so(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    from healthcareplus.domain.catalog.review_moderation import hide_review

    review_id = write(session)
    client = await loaded(make_client, users)
    await client.call(AdminReviewsState, "start_hide", review_id=str(review_id))
    hide_review(
        session, review_id=review_id, reason="First admin", actor_id=users.admin.id, now=utcnow()
    )
    session.commit()
    events = await client.call(AdminReviewsState, "hide", form_data={"reason": "Second admin"})
    assert has_toast(events, "This review is already hidden.")
    assert hidden(session) == [(review_id, "First admin")]
