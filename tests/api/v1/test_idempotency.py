"""Idempotency-Key: a retry gets the first answer without running again; the key with
another request is refused (422), while the first runs a retry gets 409; keys belong to
their caller, expire and are pruned; the stored answer and the change never part, even
when a request dies half way or a retry takes over a slow one."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.api import create_api
from healthcareplus.api.v1 import idempotency as api_idempotency
from healthcareplus.api.v1 import routes_booking, routes_payments
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.idempotency import IdempotencyKey, prune_idempotency_keys
from healthcareplus.core.models import Appointment, AuditEvent, Payment
from tests.api.v1.conftest import TestClient, make_client, problem
from tests.api.v1.patient_helpers import (
    APPOINTMENTS,
    UPI,
    Surgery,
    book,
    booked,
    iso,
    person,
    slot,
)
from tests.gateways import BlockingGateway

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    # Requests in threads: pydantic silences this warning with warnings.catch_warnings(),
    # which is not thread-safe, so another thread's schema building may let it through.
    pytest.mark.filterwarnings("ignore::pydantic.warnings.UnsupportedFieldAttributeWarning"),
]


KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def keyed(key: str = KEY) -> dict[str, str]:
    return {"Idempotency-Key": key}


def appointments(db: Session) -> list[Appointment]:
    db.expire_all()
    return list(db.exec(select(Appointment)).all())


def key_rows(db: Session) -> list[IdempotencyKey]:
    db.expire_all()
    return list(db.exec(select(IdempotencyKey)).all())


def test_a_retry_gets_the_same_booking(client, db: Session, surgery, asha) -> None:
    first = book(client, asha, surgery, slot(), headers=keyed())
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = book(client, asha, surgery, slot(), headers=keyed(f'"{KEY}"'))  # as an sf-string
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["content-type"] == "application/json"
    assert again.headers["idempotent-replayed"] == "true"
    assert "ratelimit-remaining" in again.headers
    assert len(appointments(db)) == 1
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "booked")).all().__len__() == 1
    # The same JSON written otherwise is the same request.
    reordered = client.post(
        APPOINTMENTS,
        content=(
            f'{{ "reason": "Fever for 3 days", "start_at": "{iso(slot())}",'
            f' "doctor_id": {surgery.doctor.id} }}'
        ),
        headers={**asha.headers, **keyed(), "Content-Type": "application/json"},
    )
    assert reordered.status_code == 201 and reordered.json()["id"] == first.json()["id"]
    (row,) = key_rows(db)
    assert (row.owner, row.key, row.status_code) == (f"user:{asha.id}", KEY, 201)
    assert row.lease is None and row.expires_at - row.created_at == timedelta(hours=24)


def test_the_same_key_with_another_request_is_refused(client, db: Session, surgery, asha) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    assert book(client, asha, surgery, slot(days=3), headers=keyed()).status_code == 201
    other_body = book(client, asha, surgery, slot(days=4), headers=keyed())
    body = problem(other_body, 422, "idempotency-key-reused")
    assert "another request" in body["detail"]
    other_path = client.post(
        f"{APPOINTMENTS}/{appointment_id}/cancel", headers={**asha.headers, **keyed()}
    )
    problem(other_path, 422, "idempotency-key-reused")
    assert len(appointments(db)) == 2  # nothing more was booked, nothing cancelled
    assert {a.status for a in appointments(db)} == {"pending_payment"}


def test_keys_belong_to_their_caller(client, db: Session, surgery, asha, ravi) -> None:
    mine = book(client, asha, surgery, slot(), headers=keyed())
    theirs = book(client, ravi, surgery, slot(days=3), headers=keyed())
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"] and "idempotent-replayed" not in theirs.headers
    assert {row.owner for row in key_rows(db)} == {f"user:{asha.id}", f"user:{ravi.id}"}


def test_malformed_keys_are_refused(client, surgery, asha) -> None:
    for key in ("has space", "x" * 256, "", 'half"quoted'):
        answer = problem(book(client, asha, surgery, slot(), headers=keyed(key)), 422)
        assert answer["errors"][0]["field"] == "Idempotency-Key"
        assert answer["errors"][0]["location"] == "header"


def test_a_refusal_is_the_first_answer_too(client, db: Session, surgery, asha, ravi) -> None:
    theirs = booked(client, ravi, surgery, slot())
    refused = problem(book(client, asha, surgery, slot(), headers=keyed()), 409, "slot-unavailable")
    cancelled = client.post(f"{APPOINTMENTS}/{theirs}/cancel", headers=ravi.headers)
    assert cancelled.status_code == 200  # the slot is free now, but the key has its answer
    again = book(client, asha, surgery, slot(), headers=keyed())
    assert problem(again, 409, "slot-unavailable") == refused
    assert again.headers["idempotent-replayed"] == "true"
    assert book(client, asha, surgery, slot(), headers=keyed("new-key")).status_code == 201


def test_a_request_in_flight_answers_409_then_its_answer(
    client, db: Session, surgery, asha, monkeypatch
) -> None:
    gateway = BlockingGateway()
    monkeypatch.setattr(routes_payments, "gateway_from_settings", lambda: gateway)
    appointment_id = booked(client, asha, surgery, slot())
    url, headers = f"{APPOINTMENTS}/{appointment_id}/payment", {**asha.headers, **keyed()}
    answers = {}
    with make_client() as other:

        def first() -> None:
            answers["first"] = other.post(url, json=UPI, headers=headers)

        runner = threading.Thread(target=first)
        runner.start()
        try:
            assert gateway.entered.acquire(timeout=20)  # the first request is at the bank
            busy = client.post(url, json=UPI, headers=headers)
            problem(busy, 409, "idempotency-key-in-flight")
            assert busy.headers["retry-after"] == "1"
        finally:
            gateway.release()
            runner.join(timeout=30)
    assert answers["first"].status_code == 200
    replay = client.post(url, json=UPI, headers=headers)
    assert replay.status_code == 200 and replay.json() == answers["first"].json()
    charges = db.exec(select(Payment).where(Payment.appointment_id == appointment_id)).all()
    assert [c.status for c in charges] == ["Success"]


def test_an_unexpected_failure_forgets_the_key(db_url, db: Session, surgery, asha, monkeypatch):
    real_book = routes_booking.booking.book
    failures = iter([RuntimeError("database hiccup")])

    def flaky(*args, **kwargs):
        for error in failures:
            raise error
        return real_book(*args, **kwargs)

    monkeypatch.setattr(routes_booking.booking, "book", flaky)
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        problem(book(client, asha, surgery, slot(), headers=keyed()), 500, "server-error")
        assert key_rows(db) == [] and appointments(db) == []
        retried = book(client, asha, surgery, slot(), headers=keyed())
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    assert len(appointments(db)) == 1


def test_a_dead_requests_claim_lapses_and_a_retry_takes_over(
    db_url, db: Session, surgery, asha, monkeypatch
) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("the process died here")

    real_release, real_book = api_idempotency.release_key, routes_booking.booking.book
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        # A process that dies mid-request releases nothing: its claim stays in flight.
        monkeypatch.setattr(api_idempotency, "release_key", lambda *a, **k: None)
        monkeypatch.setattr(routes_booking.booking, "book", crash)
        problem(book(client, asha, surgery, slot(), headers=keyed()), 500)
        monkeypatch.setattr(api_idempotency, "release_key", real_release)
        monkeypatch.setattr(routes_booking.booking, "book", real_book)
        (row,) = key_rows(db)
        assert row.status_code is None and appointments(db) == []  # no change, no answer
        problem(
            book(client, asha, surgery, slot(), headers=keyed()), 409, "idempotency-key-in-flight"
        )
        row.locked_until = utcnow() - timedelta(seconds=1)  # its lease ran out
        db.add(row)
        db.commit()
        retried = book(client, asha, surgery, slot(), headers=keyed())
    assert retried.status_code == 201
    (row,) = key_rows(db)
    assert row.status_code == 201 and len(appointments(db)) == 1


def test_a_request_that_lost_its_claim_changes_nothing(
    client, db: Session, surgery, asha, monkeypatch
) -> None:
    real_book = routes_booking.booking.book

    def overtaken(*args, **kwargs):
        with session_scope() as other:  # a retry takes the claim over meanwhile
            row = other.exec(select(IdempotencyKey)).one()
            row.lease = "someone-else"
            other.add(row)
        return real_book(*args, **kwargs)

    monkeypatch.setattr(routes_booking.booking, "book", overtaken)
    lost = book(client, asha, surgery, slot(), headers=keyed())
    assert "took it over" in problem(lost, 409, "idempotency-key-in-flight")["detail"]
    assert appointments(db) == []  # the booking rolled back with the answer it could not store
    assert key_rows(db)[0].lease == "someone-else"


def test_keys_expire_and_are_pruned(client, db: Session, surgery, asha) -> None:
    assert book(client, asha, surgery, slot(), headers=keyed()).status_code == 201
    (row,) = key_rows(db)
    with session_scope() as other:
        assert prune_idempotency_keys(other, now=utcnow()) == 0
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    fresh = book(client, asha, surgery, slot(days=3), headers=keyed())  # another body: fine now
    assert fresh.status_code == 201 and "idempotent-replayed" not in fresh.headers
    (row,) = key_rows(db)
    with session_scope() as other:
        assert prune_idempotency_keys(other, now=row.expires_at + timedelta(seconds=1)) == 1
    assert key_rows(db) == []


@pytest.mark.parametrize("copies", [8])
def test_concurrent_retries_book_once(any_client, any_db: Session, copies: int) -> None:
    """The same request sent at once from several connections (SQLite and PostgreSQL):
    one booking; every answer is that booking or 'in flight'."""
    from tests.factories import create_doctor, link_doctor_user

    doctor = create_doctor(any_db, schedule=[(d, "09:00", "13:00", 15) for d in range(7)])
    surgery = Surgery(doctor, link_doctor_user(any_db, doctor))
    asha = person(any_client, any_db)
    barrier = threading.Barrier(copies)
    answers: list = []

    def send(own: TestClient) -> None:
        barrier.wait(timeout=30)
        answers.append(book(own, asha, surgery, slot(), headers=keyed()))

    with ExitStack() as stack:  # each its own app and connection, made beforehand
        clients = [stack.enter_context(make_client()) for _ in range(copies)]
        threads = [threading.Thread(target=send, args=(own,)) for own in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(answers) == copies
    booked_ids = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(booked_ids) == 1
    for answer in answers:
        if answer.status_code != 201:
            problem(answer, 409, "idempotency-key-in-flight")
    assert len(appointments(any_db)) == 1
