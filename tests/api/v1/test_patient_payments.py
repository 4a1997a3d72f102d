"""Paying through the API: every method of the payment page, its field checks word for word
(the domain's ``validate_details``), declines (402), a bank that answers late (202) and
paying a settled booking (no second charge)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.api.v1 import routes_payments
from healthcareplus.api.v1.payment_schemas import PaymentIn
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import to_local
from healthcareplus.core.models import Appointment, Payment
from healthcareplus.domain.payments.gateway import DECLINE_CARD_NUMBER
from healthcareplus.domain.payments.methods import FORM_FIELDS, validate_details
from tests.api.v1.conftest import TestClient, problem, set_env
from tests.api.v1.patient_helpers import (
    APPOINTMENTS,
    UPI,
    Person,
    Surgery,
    booked,
    slot,
)
from tests.gateways import BlockingGateway

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _expiry(years: int = 2) -> str:
    today = to_local(utcnow()).date()
    return f"{today.month:02d}/{(today.year + years) % 100:02d}"


CARD = {
    "method": "card",
    "card_number": "4111 1111 1111 1111",
    "card_expiry": _expiry(),
    "card_cvv": "123",
    "card_name": "Asha Rao",
}
METHODS = [
    (UPI, "UPI"),
    (CARD, "Card"),
    ({"method": "netbanking", "bank": "HDFC Bank"}, "Net Banking"),
    ({"method": "wallet", "wallet": "Paytm"}, "Wallet"),
]


def pay(client: TestClient, who: Person, appointment_id: str, body: dict, **kw) -> object:
    return client.post(
        f"{APPOINTMENTS}/{appointment_id}/payment", json=body, headers=who.headers, **kw
    )


@pytest.mark.parametrize(("body", "label"), METHODS, ids=[m[1] for m in METHODS])
def test_paying_online_confirms_the_booking(
    client, db: Session, surgery: Surgery, asha: Person, body: dict, label: str
) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    response = pay(client, asha, appointment_id, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"] == "paid" and answer["transaction_id"].startswith("HCP-")
    appointment = answer["appointment"]
    assert appointment["status"] == "confirmed" and appointment["time_status"] == "upcoming"
    assert appointment["payment"]["status"] == "Success"
    assert appointment["payment"]["method_label"] == label
    assert appointment["payment"]["transaction_id"] == answer["transaction_id"]
    # Paying again charges nothing: the settlement answers.
    again = pay(client, asha, appointment_id, body)
    assert again.status_code == 200 and again.json()["transaction_id"] == answer["transaction_id"]
    rows = db.exec(select(Payment).where(Payment.appointment_id == appointment_id)).all()
    assert [row.status for row in rows] == ["Success"]
    if body["method"] == "card":
        assert (rows[0].card_brand, rows[0].card_last4) == ("Visa", "1111")
        assert "4111111111111111" not in str(rows[0].model_dump())


def test_paying_at_the_clinic(client, surgery, asha) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    response = pay(client, asha, appointment_id, {"method": "pay_at_clinic"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] == "pay_at_clinic" and answer["transaction_id"] is None
    assert answer["appointment"]["status"] == "confirmed"
    assert answer["appointment"]["payment"]["status"] == "Pending"
    assert answer["appointment"]["payment"]["method"] == "pay_at_clinic"


FORMS = [
    {"method": "card", **{**CARD, "card_number": "4111 1111 1111 1112"}},
    {"method": "card", **{**CARD, "card_expiry": _expiry(-2), "card_cvv": "12"}},
    {"method": "card", "card_number": "6011 0000 0000 0004", "card_name": "A1"},
    {"method": "upi", "upi_vpa": "not-an-id"},
    {"method": "upi"},
    {"method": "netbanking", "bank": "Bank of Nowhere"},
    {"method": "wallet", "wallet": ""},
    {"method": "cash"},
]


@pytest.mark.parametrize("form", FORMS)
def test_each_field_is_checked_as_on_the_payment_page(client, surgery, asha, form: dict) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    body = problem(pay(client, asha, appointment_id, form), 422, "validation-failed")
    fields = {k: v for k, v in form.items() if k != "method"}
    with pytest.raises(ValidationFailed) as expected:
        validate_details(form["method"], fields, now=utcnow())
    assert {e["field"]: e["detail"] for e in body["errors"]} == expected.value.fields
    detail = client.get(f"{APPOINTMENTS}/{appointment_id}", headers=asha.headers).json()
    assert detail["status"] == "pending_payment" and detail["actions"]["can_pay"]


def test_the_body_carries_the_payment_pages_fields_only(client, surgery, asha) -> None:
    every_field = {name for fields in FORM_FIELDS.values() for name in fields}
    assert set(PaymentIn.model_fields) == every_field | {"method"}
    appointment_id = booked(client, asha, surgery, slot())
    extra = pay(client, asha, appointment_id, {**UPI, "card_pin": "1234"})
    assert problem(extra, 422)["errors"][0]["field"] == "card_pin"
    long = pay(client, asha, appointment_id, {**UPI, "upi_vpa": "a" * 101})
    assert problem(long, 422)["errors"][0]["field"] == "upi_vpa"


def test_a_declined_payment_keeps_the_hold(client, db: Session, surgery, asha) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    declined = pay(client, asha, appointment_id, {**CARD, "card_number": DECLINE_CARD_NUMBER})
    body = problem(declined, 402, "payment-declined")
    assert body["detail"] == "Card declined by the issuing bank"
    upi = problem(
        pay(client, asha, appointment_id, {"method": "upi", "upi_vpa": "fail@okaxis"}), 402
    )
    assert upi["detail"] == "UPI request declined"
    detail = client.get(f"{APPOINTMENTS}/{appointment_id}", headers=asha.headers).json()
    assert detail["status"] == "pending_payment" and detail["payment"]["status"] == "Failed"
    assert pay(client, asha, appointment_id, UPI).status_code == 200
    statuses = db.exec(
        select(Payment.status).where(Payment.appointment_id == appointment_id).order_by(Payment.id)
    ).all()
    assert statuses == ["Failed", "Failed", "Success"]


def test_a_late_bank_answers_202_and_keeps_the_slot(
    client, db: Session, surgery, asha, monkeypatch
) -> None:
    gateway = BlockingGateway()
    monkeypatch.setattr(routes_payments, "gateway_from_settings", lambda: gateway)
    set_env(monkeypatch, gateway_timeout_seconds=0.2)
    appointment_id = booked(client, asha, surgery, slot())
    try:
        response = pay(client, asha, appointment_id, UPI)
        assert response.status_code == 202
        assert response.headers["location"] == f"{APPOINTMENTS}/{appointment_id}"
        answer = response.json()
        assert answer["result"] == "processing" and "not confirmed" in answer["detail"]
        assert answer["appointment"]["payment"]["status"] == "Processing"
        busy = problem(pay(client, asha, appointment_id, UPI), 409, "conflict")
        assert busy["detail"] == "A payment for this booking is already in progress."
    finally:
        gateway.release()
    db.expire_all()
    assert db.get(Appointment, appointment_id).status == "pending_payment"


def test_an_expired_hold_cannot_be_paid(client, db: Session, surgery, asha) -> None:
    appointment_id = booked(client, asha, surgery, slot())
    appointment = db.get(Appointment, appointment_id)
    appointment.hold_expires_at = utcnow() - timedelta(minutes=1)
    db.add(appointment)
    db.commit()
    lapsed = problem(pay(client, asha, appointment_id, UPI), 409, "conflict")
    assert "hold on this slot has expired. Please book again." in lapsed["detail"]
