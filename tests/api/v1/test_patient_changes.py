"""Cancelling and rescheduling through the API, with the website's rules: a paid
appointment is refunded, a move takes a free slot and lets the old one go, a past visit
stays as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from healthcareplus.core.models import User
from healthcareplus.domain.booking.appointments import SLOT_JUST_TAKEN
from tests.api.v1.conftest import problem
from tests.api.v1.patient_helpers import (
    APPOINTMENTS,
    UPI,
    book,
    booked,
    completed_visit,
    iso,
    paid,
    slot,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_cancelling_refunds_a_paid_appointment(client, db: Session, surgery, asha) -> None:
    appointment_id = paid(client, asha, surgery, slot())
    response = client.post(
        f"{APPOINTMENTS}/{appointment_id}/cancel",
        json={"reason": "  Feeling   better "},
        headers=asha.headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == "Feeling better"
    assert body["payment"]["status"] == "Refunded"
    assert body["refund"] == {
        "amount_paise": 50_000,
        "amount_label": "₹500",
        "message": "Your payment of ₹500 will be refunded.",
    }
    assert body["actions"] == {"can_pay": False, "can_cancel": False, "can_reschedule": False}
    again = problem(
        client.post(f"{APPOINTMENTS}/{appointment_id}/cancel", headers=asha.headers), 409
    )
    assert again["detail"] == "A cancelled appointment cannot be cancelled."

    held = booked(client, asha, surgery, slot(days=3))
    unpaid = client.post(f"{APPOINTMENTS}/{held}/cancel", headers=asha.headers).json()
    assert unpaid["cancel_reason"] == "Cancelled by patient" and unpaid["refund"] is None
    long = client.post(
        f"{APPOINTMENTS}/{paid(client, asha, surgery, slot(days=4))}/cancel",
        json={"reason": "z" * 501},
        headers=asha.headers,
    )
    assert problem(long, 422)["errors"][0]["field"] == "reason"
    problem(
        client.post(f"{APPOINTMENTS}/{held}/cancel", json={"why": 1}, headers=asha.headers), 422
    )


def test_rescheduling_moves_to_a_free_slot(client, db: Session, surgery, asha, ravi) -> None:
    appointment_id = paid(client, asha, surgery, slot())
    url = f"{APPOINTMENTS}/{appointment_id}/reschedule"
    moved = client.post(url, json={"start_at": iso(slot(days=3))}, headers=asha.headers)
    assert moved.status_code == 200
    body = moved.json()
    assert body["start_at"] == iso(slot(days=3)) and body["payment"]["status"] == "Success"
    assert book(client, ravi, surgery, slot()).status_code == 201  # the old slot is free

    taken = problem(client.post(url, json={"start_at": iso(slot())}, headers=asha.headers), 409)
    assert taken["type"].endswith("slot-unavailable") and taken["detail"] == SLOT_JUST_TAKEN
    same = problem(
        client.post(url, json={"start_at": iso(slot(days=3))}, headers=asha.headers), 409
    )
    assert same["detail"] == "Your appointment is already at that time."

    held = booked(client, asha, surgery, slot(days=5))
    unpaid = client.post(
        f"{APPOINTMENTS}/{held}/reschedule", json={"start_at": iso(slot(6))}, headers=asha.headers
    )
    assert problem(unpaid, 409)["detail"] == "Complete the payment first, then you can reschedule."
    problem(client.post(url, json={}, headers=asha.headers), 422)


def test_a_past_visit_cannot_be_changed(client, db: Session, surgery, asha) -> None:
    visit = completed_visit(db, surgery, db.get(User, asha.id))
    url = f"{APPOINTMENTS}/{visit.id}"
    problem(client.post(f"{url}/cancel", headers=asha.headers), 409, "conflict")
    problem(
        client.post(f"{url}/reschedule", json={"start_at": iso(slot())}, headers=asha.headers), 409
    )
    settled = client.post(f"{url}/payment", json=UPI, headers=asha.headers)  # charges nothing
    assert settled.status_code == 200 and settled.json()["result"] == "pay_at_clinic"
    assert client.get(url, headers=asha.headers).json()["start_at"] == iso(visit.start_at)
    assert visit.start_at < slot() - timedelta(days=2)
