"""ReviewDialogState (My appointments): "Rate your visit" opens only on the caller's own
completed visit, saving writes or edits the review; wrong callers and crafted arguments
change nothing. The appointment rows carry the offer ("rate", "edit" or "")."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from healthcareplus.core import routes
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Appointment, AppointmentStatus, Doctor
from healthcareplus.core.review_models import DoctorRating, Review
from healthcareplus.domain.catalog import reviews
from healthcareplus.ui.patient.appointments_state import AppointmentsState
from healthcareplus.ui.patient.review_dialog_state import NOT_OFFERED, ReviewDialogState
from healthcareplus.ui.shared.guard import HOME_FOR_ROLE
from tests.factories import create_appointment, create_doctor
from tests.ui.harness import Client, Users, has_toast, redirects

MakeClient = Callable[..., Client]
HANDLERS = ("start", "close", "save")
URL = routes.APPOINTMENTS + "?tab=past"


def completed(session: Session, patient: Any, doctor: Doctor | None = None, days: int = 1):
    return create_appointment(
        session,
        doctor=doctor or create_doctor(session),
        patient=patient,
        start_at=utcnow() - timedelta(days=days),
        status=AppointmentStatus.COMPLETED,
    )


def saved(session: Session) -> list[tuple[str, int, str]]:
    session.expire_all()
    return [(r.appointment_id, r.rating, r.body) for r in session.exec(select(Review)).all()]


async def values(client: Client) -> dict[str, Any]:
    state = await client.state(ReviewDialogState)
    return copy.deepcopy({n: state.get_value(n) for n in ReviewDialogState.base_vars})


def test_the_cases_cover_every_handler() -> None:
    assert set(ReviewDialogState.event_handlers) - {"setvar"} == set(HANDLERS)


@pytest.mark.parametrize("who", [None, "doctor", "admin"], ids=["anonymous", "doctor", "admin"])
@pytest.mark.parametrize("name", HANDLERS)
async def test_every_handler_redirects_a_wrong_caller_and_changes_nothing(
    make_client: MakeClient, users: Users, session: Session, name: str, who: str | None
) -> None:
    visit = completed(session, users.patient)
    client = make_client(getattr(users, who) if who else None, url=URL)
    state = await client.state(ReviewDialogState)
    state.shown, state.appointment_id = True, visit.id  # as if the patient's dialog were open
    before = await values(client)
    payload = {
        "start": {"appointment_id": visit.id},
        "save": {"form_data": {"rating": "5", "body": "Great"}},
    }.get(name, {})

    events = await client.call(ReviewDialogState, name, **payload)

    expected = routes.login_url_for(("patient",), URL) if who is None else HOME_FOR_ROLE[who]
    assert redirects(events) == [expected]
    assert await values(client) == before
    assert saved(session) == []


async def test_the_patient_rates_a_completed_visit_then_may_edit_it(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    visit = completed(session, users.patient)
    client = make_client(users.patient, url=URL)
    await client.call(AppointmentsState, "load")
    [row] = (await client.state(AppointmentsState)).items
    assert row["review"] == "rate"

    assert await client.call(ReviewDialogState, "start", appointment_id=visit.id) == []
    dialog = await client.state(ReviewDialogState)
    assert (dialog.shown, dialog.editing, dialog.rating) == (True, False, "")

    events = await client.call(
        ReviewDialogState, "save", form_data={"rating": "4", "body": " Kind doctor "}
    )
    assert has_toast(events, "Thank you for your review.")
    assert saved(session) == [(visit.id, 4, "Kind doctor")]
    assert (await client.state(ReviewDialogState)).shown is False

    await client.call(AppointmentsState, "load")
    assert (await client.state(AppointmentsState)).items[0]["review"] == "edit"
    await client.call(ReviewDialogState, "start", appointment_id=visit.id)
    dialog = await client.state(ReviewDialogState)
    assert (dialog.editing, dialog.rating, dialog.body) == (True, "4", "Kind doctor")
    events = await client.call(ReviewDialogState, "save", form_data={"rating": "2", "body": ""})
    assert has_toast(events, "Your review is updated.")
    assert saved(session) == [(visit.id, 2, "")]
    assert session.get(DoctorRating, visit.doctor_id).rating_total == 2


async def test_other_rows_offer_nothing(make_client: MakeClient, users: Users, session: Session):
    create_appointment(
        session,
        doctor=create_doctor(session),
        patient=users.patient,
        start_at=utcnow() - timedelta(days=2),
        status=AppointmentStatus.NO_SHOW,
    )
    client = make_client(users.patient, url=URL)
    await client.call(AppointmentsState, "load")
    assert [r["review"] for r in (await client.state(AppointmentsState)).items] == [""]


CRAFTED = [None, 42, "", "x" * 500, ["id"], {"id": 1}]


@pytest.mark.parametrize("bad", [*CRAFTED, "other", "upcoming", "no_show"])
async def test_start_refuses_what_is_not_offered(
    make_client: MakeClient, users: Users, session: Session, bad: Any
) -> None:
    others = {
        "other": completed(session, users.other_patient).id,
        "upcoming": create_appointment(
            session,
            doctor=create_doctor(session),
            patient=users.patient,
            start_at=utcnow() + timedelta(days=2),
        ).id,
        "no_show": create_appointment(
            session,
            doctor=create_doctor(session),
            patient=users.patient,
            start_at=utcnow() - timedelta(days=3),
            status=AppointmentStatus.NO_SHOW,
        ).id,
    }
    client = make_client(users.patient, url=URL)
    before = await values(client)
    argument = others.get(bad, bad) if isinstance(bad, str) else bad

    events = await client.call(ReviewDialogState, "start", appointment_id=argument)

    assert has_toast(events, NOT_OFFERED)
    assert await values(client) == before


@pytest.mark.parametrize(
    "form",
    [
        {"rating": "0"},
        {"rating": "6"},
        {"rating": "4.5"},
        {"rating": 5},
        {},
        {"rating": "5", "body": "x" * 2001},
        None,
        "rating=5",
    ],
)
async def test_save_shows_the_field_problem_and_writes_nothing(
    make_client: MakeClient, users: Users, session: Session, form: Any
) -> None:
    visit = completed(session, users.patient)
    client = make_client(users.patient, url=URL)
    await client.call(ReviewDialogState, "start", appointment_id=visit.id)

    assert await client.call(ReviewDialogState, "save", form_data=form) == []

    dialog = await client.state(ReviewDialogState)
    assert dialog.shown is True and set(dialog.errors) & {"rating", "body"}
    assert saved(session) == []


async def test_save_without_an_open_dialog_does_nothing(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    completed(session, users.patient)
    client = make_client(users.patient, url=URL)
    assert await client.call(ReviewDialogState, "save", form_data={"rating": "5"}) == []
    assert saved(session) == []


async def test_a_second_tab_cannot_review_the_doctor_twice(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    doctor = create_doctor(session)
    first = completed(session, users.patient, doctor)
    tab_a, tab_b = make_client(users.patient, url=URL), make_client(users.patient, url=URL)
    await tab_a.call(ReviewDialogState, "start", appointment_id=first.id)
    await tab_b.call(ReviewDialogState, "start", appointment_id=first.id)
    await tab_a.call(ReviewDialogState, "save", form_data={"rating": "5"})

    events = await tab_b.call(ReviewDialogState, "save", form_data={"rating": "1"})

    assert has_toast(events, reviews.ALREADY)
    assert saved(session) == [(first.id, 5, "")]
    assert session.exec(select(Appointment)).all()


async def test_closing_the_dialog_forgets_it_but_opening_events_keep_it(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    visit = completed(session, users.patient)
    client = make_client(users.patient, url=URL)
    await client.call(ReviewDialogState, "start", appointment_id=visit.id)
    await client.call(ReviewDialogState, "close", is_open=True)
    assert (await client.state(ReviewDialogState)).appointment_id == visit.id
    await client.call(ReviewDialogState, "close", is_open=False)
    dialog = await client.state(ReviewDialogState)
    assert (dialog.shown, dialog.appointment_id) == (False, "")
    assert await client.call(ReviewDialogState, "save", form_data={"rating": "5"}) == []
    assert saved(session) == []
