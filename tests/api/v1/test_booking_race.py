"""The booking race through the API, against a live server: 50 patients, each signed in
with their own token on their own connection, book the same slot at the same instant.
The app runs under granian (two worker processes, as deployed: the security headers
around the API) on PostgreSQL. Exactly one gets 201; every other gets a 409
``slot-unavailable`` problem; the database holds one booking of the slot."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from healthcareplus.core.db import get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, IdempotencyKey
from healthcareplus.domain.booking.appointments import SLOT_JUST_TAKEN
from tests.api.v1.conftest import EVERY_DAY, PASSWORD, PROBLEM_JSON, make_user
from tests.api.v1.live_server import granian_api
from tests.factories import create_doctor, local

pytestmark = [pytest.mark.postgres, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
ROOT = Path(__file__).resolve().parents[3]
PATIENTS = 50


@pytest.fixture
def live_server(pg_url: str, tmp_path: Path) -> Iterator[str]:
    """The app's API served by granian on a free port, on this test's PostgreSQL database."""
    with granian_api(pg_url, tmp_path / "granian.log", workers=2, rate_limit=10_000) as base:
        yield base


def test_fifty_patients_race_for_one_slot(pg_url: str, live_server: str) -> None:
    with Session(get_engine(pg_url), expire_on_commit=False) as db:
        doctor = create_doctor(db, schedule=EVERY_DAY)
        emails = [make_user(db, name=f"Racer {n}").email for n in range(PATIENTS)]
    start = local(clinic_today(utcnow()) + timedelta(days=2), "11:00")
    body = {"doctor_id": doctor.id, "start_at": start.isoformat(), "reason": "Chest pain"}
    ready = threading.Barrier(PATIENTS)
    answers: dict[int, httpx.Response] = {}
    failures: list[BaseException] = []

    def patient(n: int) -> None:
        try:
            with httpx.Client(base_url=live_server, timeout=60) as http:
                signed = http.post(
                    "/auth/token", data={"username": emails[n], "password": PASSWORD}
                )
                assert signed.status_code == 200, signed.text
                headers = {
                    "Authorization": f"Bearer {signed.json()['access_token']}",
                    "Idempotency-Key": str(uuid.uuid4()),
                }
                ready.wait(timeout=60)  # every patient signed in: go at once
                answers[n] = http.post("/appointments", json=body, headers=headers)
        except BaseException as exc:  # reported below, from the test's thread
            failures.append(exc)
            ready.abort()

    threads = [threading.Thread(target=patient, args=(n,)) for n in range(PATIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == PATIENTS

    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [201] + [409] * (PATIENTS - 1)
    winner = next(a for a in answers.values() if a.status_code == 201).json()
    for answer in answers.values():
        if answer.status_code == 409:
            assert answer.headers["content-type"] == PROBLEM_JSON
            problem = answer.json()
            assert problem["type"] == "/api/v1/problems/slot-unavailable"
            assert problem["title"] == "Slot unavailable"
            assert problem["detail"] == SLOT_JUST_TAKEN
            assert problem["instance"] == "/api/v1/appointments"

    with Session(get_engine(pg_url)) as db:
        on_slot = db.exec(
            select(Appointment).where(
                col(Appointment.doctor_id) == doctor.id, col(Appointment.start_at) == start
            )
        ).all()
        assert [a.id for a in on_slot] == [winner["id"]]
        assert on_slot[0].status == "pending_payment"
        # Every request's answer was stored with its key: the winner's and each refusal.
        stored = db.exec(select(IdempotencyKey.status_code)).all()
        assert sorted(stored) == statuses
