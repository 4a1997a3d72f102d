"""DoctorReviewsListState (public, on a doctor's profile): the visible reviews of the
page's doctor, newest first, a page at a time; junk pages and paths show nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AppointmentStatus, Doctor
from healthcareplus.domain.catalog import reviews
from healthcareplus.domain.catalog.review_moderation import hide_review
from healthcareplus.ui.patient.doctor_reviews_state import DoctorReviewsListState as R
from tests.factories import create_appointment, create_doctor, create_patient
from tests.ui.harness import Client, Users

MakeClient = Callable[..., Client]


def write(session: Session, doctor: Doctor, rating: int, days: int) -> int:
    visit = create_appointment(
        session,
        doctor=doctor,
        patient=create_patient(session, name="Meera Nair"),
        start_at=utcnow() - timedelta(days=days),
        status=AppointmentStatus.COMPLETED,
    )
    view = reviews.write_review(
        session,
        appointment_id=visit.id,
        rating=rating,
        body=f"Visit {days}",
        actor_id=visit.patient_id,
        now=utcnow() - timedelta(days=days) + timedelta(hours=1),
    )
    session.commit()
    return view.id


async def test_anyone_sees_the_visible_reviews_newest_first_a_page_at_a_time(
    make_client: MakeClient, users: Users, session: Session
) -> None:
    doctor = create_doctor(session)
    ids = [write(session, doctor, 1 + d % 5, days=10 - d) for d in range(7)]
    hide_review(session, review_id=ids[-1], reason="Abusive", actor_id=users.admin.id, now=utcnow())
    session.commit()
    write(session, create_doctor(session), 5, days=1)  # another doctor's
    client = make_client(None, url=f"/doctor/{doctor.id}")

    assert await client.call(R, "load") == []
    state = await client.state(R)
    assert [int(r["id"]) for r in state.rows] == ids[:-1][::-1][:5]
    assert (state.total, state.pages) == (6, 2)
    assert state.rows[0]["author"] == "Meera N." and "hidden_reason" in state.rows[0]
    assert all(r["hidden_reason"] == "" for r in state.rows)
    await client.call(R, "go_to_page", page=2)
    assert [int(r["id"]) for r in (await client.state(R)).rows] == ids[:1]


@pytest.mark.parametrize("page", [None, "2", -1, 10**9, [2]])
async def test_a_junk_page_shows_a_real_one(
    make_client: MakeClient, session: Session, page: object
) -> None:
    doctor = create_doctor(session)
    write(session, doctor, 4, days=2)
    client = make_client(None, url=f"/doctor/{doctor.id}")
    await client.call(R, "go_to_page", page=page)
    state = await client.state(R)
    assert (state.page, state.total) == (1, 1)


@pytest.mark.parametrize("path", ["/doctor/abc", "/doctor/0", "/doctor/999999"])
async def test_an_unknown_doctor_has_no_reviews(make_client: MakeClient, path: str) -> None:
    client = make_client(None, url=path)
    await client.call(R, "load")
    assert ((await client.state(R)).rows, (await client.state(R)).total) == ([], 0)
