"""Doctors' ratings over HTTP: every doctor summary carries the average of its visible
ratings and their count, and the search sorts by them ("rating", walked by cursor)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import AppointmentStatus, Doctor
from healthcareplus.domain.catalog import reviews
from tests.api.v1.conftest import V1
from tests.factories import create_appointment, create_patient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def rate(db: Session, doctor: Doctor, *ratings: int) -> None:
    for n, rating in enumerate(ratings):
        visit = create_appointment(
            db,
            doctor=doctor,
            patient=create_patient(db),
            start_at=utcnow() - timedelta(days=2, hours=n),
            status=AppointmentStatus.COMPLETED,
        )
        reviews.write_review(
            db, appointment_id=visit.id, rating=rating, actor_id=visit.patient_id, now=utcnow()
        )
        db.commit()


def test_summaries_carry_the_rating_and_sort_by_it(client, clinic, db: Session) -> None:
    first, second, third = clinic["doctors"][:3]
    rate(db, first, 4, 5)
    rate(db, second, 5)
    rate(db, third, 5, 5)
    body = client.get(f"{V1}/doctors/{first.id}").json()
    assert (body["rating_average"], body["review_count"]) == (4.5, 2)

    seen, cursor = [], None
    while True:
        params = {"sort": "rating", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{V1}/doctors", params=params).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [d["id"] for d in seen[:3]] == [third.id, second.id, first.id]
    assert len(seen) == len({d["id"] for d in seen}) == page["total"]
    unrated = seen[3]
    assert (unrated["rating_average"], unrated["review_count"]) == (None, 0)
