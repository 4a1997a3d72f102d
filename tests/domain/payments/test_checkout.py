from __future__ import annotations

import random
import re
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.payments.checkout import abandon, pay
from healthcareplus.domain.payments.gateway import ChargeState, MockGateway, gateway_from_settings
from healthcareplus.domain.payments.ledger import PROCESSING, new_transaction_id
from healthcareplus.domain.payments.methods import (
    BANKS,
    UPI_APPS,
    WALLETS,
    PaymentDetails,
    validate_details,
)
from healthcareplus.domain.scheduling.availability import day_slots
from tests.factories import create_doctor, create_patient, local
from tests.gateways import ScriptedGateway

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
NOW = local(FRIDAY, "09:00")
SLOT = local(MONDAY, "10:00")
TXN = re.compile(r"^HCP-\d{8}-[A-Z0-9]{6}$")

VISA = "4242 4242 4242 4242"
DECLINED = "4000000000000002"
CARD_FORM = {
    "card_number": VISA,
    "card_expiry": "12/29",
    "card_cvv": "123",
    "card_name": "Asha Patel",
}
FORMS = {
    "upi": {"upi_vpa": "asha.patel@okhdfcbank"},
    "card": CARD_FORM,
    "netbanking": {"bank": "HDFC Bank"},
    "wallet": {"wallet": "Paytm"},
}


@pytest.fixture
def doctor(session: Session):
    return create_doctor(session, fee_paise=75_050)


@pytest.fixture
def patient(session: Session):
    return create_patient(session)


@pytest.fixture
def booking(session: Session, doctor, patient) -> Appointment:
    return book(
        session, patient_id=patient.id, doctor_id=doctor.id, start_at=SLOT, reason="Fever", now=NOW
    )


def fresh(session: Session, appointment_id: str) -> Appointment:
    session.expire_all()
    return session.get(Appointment, appointment_id)


def payments_of(session: Session, appointment_id: str) -> list[Payment]:
    return list(
        session.exec(
            select(Payment).where(Payment.appointment_id == appointment_id).order_by(Payment.id)
        )
    )


def do_pay(session, booking, patient, method, form, gateway, now=NOW + timedelta(minutes=2)):
    return pay(
        session,
        appointment_id=booking.id,
        patient_id=patient.id,
        method=method,
        form=form,
        gateway=gateway,
        now=now,
    )


# --- pay ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["upi", "card", "netbanking", "wallet"])
def test_pay_confirms_and_records_the_payment(session, booking, patient, method):
    gateway = ScriptedGateway([True])
    outcome = do_pay(session, booking, patient, method, FORMS[method], gateway)
    assert outcome.success and outcome.failure_reason == ""
    assert outcome.appointment_id == booking.id and outcome.method == method
    assert TXN.match(outcome.transaction_id)
    assert outcome.transaction_id.startswith("HCP-20261120-")
    row = fresh(session, booking.id)
    assert row.status == AppointmentStatus.CONFIRMED
    assert row.payment_status == PaymentStatus.SUCCESS
    assert row.payment_method == method
    assert row.transaction_id == outcome.transaction_id
    assert row.paid_at == NOW + timedelta(minutes=2)
    assert row.hold_expires_at is None
    (payment,) = payments_of(session, booking.id)
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.amount_paise == 75_050
    assert payment.method == method
    assert payment.transaction_id == outcome.transaction_id
    assert re.fullmatch(rf"{booking.id}:[0-9a-f]{{12}}", payment.idempotency_key or "")
    assert gateway.charged == [(payment.idempotency_key, 75_050)]
    assert fresh(session, booking.id).payment_attempt_key == payment.idempotency_key
    expected = {
        "upi": ("upi_vpa", "asha.patel@okhdfcbank"),
        "card": ("card_last4", "4242"),
        "netbanking": ("bank", "HDFC Bank"),
        "wallet": ("wallet", "Paytm"),
    }[method]
    assert getattr(payment, expected[0]) == expected[1]
    if method == "card":
        assert payment.card_brand == "Visa"
    events = session.exec(select(AuditEvent.action).where(AuditEvent.appointment_id == booking.id))
    assert list(events) == ["booked", "payment_succeeded"]


def test_no_card_number_or_cvv_is_stored(session, booking, patient):
    form = {**CARD_FORM, "card_cvv": "987"}
    do_pay(session, booking, patient, "card", form, ScriptedGateway([True]))
    stored: list[str] = []
    for model in (Payment, Appointment, AuditEvent):
        for row in session.exec(select(model)):
            stored.extend(str(v) for v in row.model_dump().values())
    text = " ".join(stored)
    assert "4242424242424242" not in text and "4242 4242 4242 4242" not in text
    assert "987" not in text


def test_transaction_ids_are_unique(session, doctor):
    seen = set()
    for i in range(6):
        patient = create_patient(session)
        start = SLOT + timedelta(minutes=15 * i)
        appointment = book(
            session,
            patient_id=patient.id,
            doctor_id=doctor.id,
            start_at=start,
            reason="Cough",
            now=NOW,
        )
        outcome = do_pay(session, appointment, patient, "upi", FORMS["upi"], MockGateway(1.0))
        seen.add(outcome.transaction_id)
    assert len(seen) == 6


def test_declined_card_stays_pending_and_retry_succeeds(session, booking, patient):
    gateway = MockGateway(1.0)
    declined = do_pay(
        session, booking, patient, "card", {**CARD_FORM, "card_number": DECLINED}, gateway
    )
    assert not declined.success
    assert declined.failure_reason == "Card declined by the issuing bank"
    assert declined.transaction_id == ""
    row = fresh(session, booking.id)
    assert row.status == AppointmentStatus.PENDING_PAYMENT
    assert row.payment_status == PaymentStatus.FAILED
    assert row.transaction_id is None
    retry = do_pay(session, booking, patient, "card", CARD_FORM, gateway)
    assert retry.success
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("confirmed", "Success")
    failed, ok = payments_of(session, booking.id)
    assert (failed.status, failed.failure_reason, failed.card_last4) == (
        "Failed",
        "Card declined by the issuing bank",
        "0002",
    )
    assert failed.transaction_id is None
    assert ok.status == "Success" and ok.idempotency_key != failed.idempotency_key
    assert row.payment_attempt_key == ok.idempotency_key
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.appointment_id == booking.id))
    assert list(actions) == ["booked", "payment_failed", "payment_succeeded"]


def test_upi_test_id_is_declined(session, booking, patient):
    outcome = do_pay(
        session, booking, patient, "upi", {"upi_vpa": "fail.test@okaxis"}, MockGateway(1.0)
    )
    assert (outcome.success, outcome.failure_reason) == (False, "UPI request declined")
    assert fresh(session, booking.id).payment_status == PaymentStatus.FAILED


def test_gateway_error_is_a_failed_attempt_not_a_stuck_one(session, booking, patient):
    outcome = do_pay(session, booking, patient, "upi", FORMS["upi"], ScriptedGateway([]))
    assert not outcome.success
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("pending_payment", "Failed")
    assert [p.status for p in payments_of(session, booking.id)] == ["Failed"]


def test_pay_at_clinic_confirms_with_payment_pending(session, booking, patient):
    gateway = ScriptedGateway([])
    outcome = do_pay(session, booking, patient, "pay_at_clinic", {}, gateway)
    assert outcome.success and outcome.method == "pay_at_clinic"
    assert outcome.transaction_id == ""
    row = fresh(session, booking.id)
    assert row.status == AppointmentStatus.CONFIRMED
    assert row.payment_status == PaymentStatus.PENDING
    assert row.payment_method == PaymentMethod.PAY_AT_CLINIC
    assert row.hold_expires_at is None and row.paid_at is None
    (payment,) = payments_of(session, booking.id)
    assert (payment.status, payment.method, payment.amount_paise) == (
        "Pending",
        "pay_at_clinic",
        75_050,
    )
    assert gateway.calls == []
    again = do_pay(session, booking, patient, "card", CARD_FORM, gateway)
    assert again.success and gateway.calls == []
    assert len(payments_of(session, booking.id)) == 1


def test_paying_twice_charges_once(session, booking, patient):
    gateway = ScriptedGateway([True, True])
    first = do_pay(session, booking, patient, "upi", FORMS["upi"], gateway)
    second = do_pay(session, booking, patient, "card", CARD_FORM, gateway)
    assert first.success and second.success
    assert first.transaction_id == second.transaction_id
    assert len(gateway.calls) == 1
    (payment,) = payments_of(session, booking.id)
    assert payment.status == PaymentStatus.SUCCESS


def test_pay_after_hold_expired_is_refused(session, booking, patient):
    gateway = ScriptedGateway([True])
    with pytest.raises(Conflict) as err:
        do_pay(
            session, booking, patient, "upi", FORMS["upi"], gateway, now=NOW + timedelta(minutes=10)
        )
    assert str(err.value) == "Your 10-minute hold on this slot has expired. Please book again."
    assert fresh(session, booking.id).status == AppointmentStatus.PENDING_PAYMENT  # swept later
    assert gateway.calls == [] and payments_of(session, booking.id) == []
    later = NOW + timedelta(minutes=11)
    with pytest.raises(Conflict):  # and stays refused
        do_pay(session, booking, patient, "upi", FORMS["upi"], gateway, now=later)


def test_pay_someone_elses_booking_not_found(session, booking):
    stranger = create_patient(session)
    gateway = ScriptedGateway([True])
    with pytest.raises(NotFound):
        do_pay(session, booking, stranger, "upi", FORMS["upi"], gateway)
    with pytest.raises(NotFound):
        pay(
            session,
            appointment_id="missing",
            patient_id=stranger.id,
            method="upi",
            form=FORMS["upi"],
            gateway=gateway,
            now=NOW,
        )
    assert gateway.calls == []
    assert fresh(session, booking.id).payment_status == PaymentStatus.PENDING


def test_invalid_details_leave_the_booking_untouched(session, booking, patient):
    gateway = ScriptedGateway([True])
    with pytest.raises(ValidationFailed) as err:
        do_pay(session, booking, patient, "card", {**CARD_FORM, "card_cvv": "12"}, gateway)
    assert set(err.value.fields) == {"card_cvv"}
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("pending_payment", "Pending")
    assert payments_of(session, booking.id) == [] and gateway.calls == []


def test_pay_while_another_attempt_is_processing_is_refused(session, booking, patient):
    row = fresh(session, booking.id)
    row.payment_status = PROCESSING
    session.add(row)
    session.commit()
    gateway = ScriptedGateway([True])
    with pytest.raises(Conflict) as err:
        do_pay(session, booking, patient, "upi", FORMS["upi"], gateway)
    assert "already in progress" in str(err.value)
    assert gateway.calls == []


def test_pay_cancelled_booking_refused(session, booking, patient):
    abandon(session, appointment_id=booking.id, patient_id=patient.id, now=NOW)
    with pytest.raises(Conflict) as err:
        do_pay(session, booking, patient, "upi", FORMS["upi"], ScriptedGateway([True]))
    assert "cancelled" in str(err.value)


# --- abandon -----------------------------------------------------------------------------


def test_abandon_cancels_and_frees_the_slot(session, booking, patient, doctor):
    abandon(session, appointment_id=booking.id, patient_id=patient.id, now=NOW)
    row = fresh(session, booking.id)
    assert row.status == AppointmentStatus.CANCELLED
    assert row.cancelled_by_user_id == patient.id and row.cancelled_at == NOW
    slots = day_slots(session, doctor_id=doctor.id, day=MONDAY, now=NOW)
    assert next(s.state for s in slots if s.start_at == SLOT) == "free"
    other = create_patient(session)
    again = book(
        session, patient_id=other.id, doctor_id=doctor.id, start_at=SLOT, reason="Cold", now=NOW
    )
    assert again.status == AppointmentStatus.PENDING_PAYMENT
    abandon(session, appointment_id=booking.id, patient_id=patient.id, now=NOW)  # repeat: no-op
    assert fresh(session, booking.id).status == AppointmentStatus.CANCELLED


def test_abandon_after_failed_payment(session, booking, patient):
    do_pay(session, booking, patient, "upi", FORMS["upi"], ScriptedGateway([False]))
    abandon(session, appointment_id=booking.id, patient_id=patient.id, now=NOW)
    assert fresh(session, booking.id).status == AppointmentStatus.CANCELLED


def test_abandon_refused_when_paid_or_not_own(session, booking, patient):
    with pytest.raises(NotFound):
        abandon(session, appointment_id=booking.id, patient_id=create_patient(session).id, now=NOW)
    do_pay(session, booking, patient, "upi", FORMS["upi"], ScriptedGateway([True]))
    with pytest.raises(Conflict) as err:
        abandon(session, appointment_id=booking.id, patient_id=patient.id, now=NOW)
    assert "already confirmed" in str(err.value)
    row = fresh(session, booking.id)
    assert (row.status, row.payment_status) == ("confirmed", "Success")


# --- gateway and transaction ids ---------------------------------------------------------


def _details(method="upi", **kw) -> PaymentDetails:
    return PaymentDetails(method=method, **kw)


def test_mock_gateway_is_idempotent_per_key():
    gateway = MockGateway(0.5, rng=random.Random(7))
    results = [gateway.charge(amount_paise=100, details=_details(), idempotency_key="a:1")]
    results += [gateway.charge(amount_paise=100, details=_details(), idempotency_key="a:1")]
    assert results[0] == results[1]
    status = gateway.status(idempotency_key="a:1")
    assert status.state == (ChargeState.SUCCEEDED if results[0].success else ChargeState.FAILED)
    assert gateway.net_charged_paise("a:") == (100 if results[0].success else 0)
    assert gateway.status(idempotency_key="never").state == ChargeState.UNKNOWN


def test_mock_gateway_success_rate_and_test_instruments():
    always = MockGateway(1.0, rng=random.Random(1))
    never = MockGateway(0.0, rng=random.Random(1))
    for i in range(20):
        ok = always.charge(amount_paise=1, details=_details(), idempotency_key=f"k{i}")
        assert ok.success and ok.reference
        bad = never.charge(amount_paise=1, details=_details(), idempotency_key=f"k{i}")
        assert not bad.success and bad.failure_reason
    card = validate_details("card", {**CARD_FORM, "card_number": DECLINED}, now=NOW)
    result = always.charge(amount_paise=1, details=card, idempotency_key="card")
    assert (result.success, result.failure_reason) == (False, "Card declined by the issuing bank")
    upi = validate_details("upi", {"upi_vpa": "FAIL@okaxis"}, now=NOW)
    assert not always.charge(amount_paise=1, details=upi, idempotency_key="upi").success
    half = MockGateway(0.5, rng=random.Random(3))
    wins = sum(
        half.charge(amount_paise=1, details=_details(), idempotency_key=str(i)).success
        for i in range(400)
    )
    assert 150 < wins < 250
    with pytest.raises(ValueError):
        MockGateway(1.5)


def test_gateway_from_settings_is_shared_mock():
    gateway = gateway_from_settings()
    assert isinstance(gateway, MockGateway)
    assert gateway.success_rate == get_settings().payment_success_rate
    assert gateway_from_settings() is gateway


def test_new_transaction_id_uses_clinic_date():
    late_evening_utc = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 01:30 on the 21st in IST
    ids = {new_transaction_id(late_evening_utc) for _ in range(200)}
    assert all(TXN.match(t) and t.startswith("HCP-20261121-") for t in ids)
    assert len(ids) == 200


# --- validation --------------------------------------------------------------------------


def card(**overrides):
    return {**CARD_FORM, **overrides}


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "Visa"),
        ("4111-1111-1111-1111", "Visa"),
        ("5555 5555 5555 4444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("6074 8200 0000 0009", "RuPay"),  # 60
        ("6521 0000 0000 0007", "RuPay"),  # 65
        ("8100 0000 0000 0002", "RuPay"),  # 81
        ("5081 0000 0000 0001", "RuPay"),  # 508
        ("378282246310005", "Amex"),
        ("341111111111111", "Amex"),
    ],
)
def test_card_brands(number, brand):
    cvv = "1234" if brand == "Amex" else "123"
    details = validate_details("card", card(card_number=number, card_cvv=cvv), now=NOW)
    digits = re.sub(r"\D", "", number)
    assert (details.card_brand, details.card_last4) == (brand, digits[-4:])
    assert digits not in repr(details) and digits not in str(asdict(details).values())


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Enter your card number"),
        ("4242 4242 4242 4241", "not valid"),  # Luhn
        ("4242 4242 abcd 4242", "12 to 19 digits"),
        ("42424242424", "12 to 19 digits"),  # 11 digits
        ("4" * 20, "12 to 19 digits"),
        ("3530111333300000", "We accept"),  # JCB: Luhn-valid, not accepted
    ],
)
def test_card_number_errors(number, message):
    with pytest.raises(ValidationFailed) as err:
        validate_details("card", card(card_number=number), now=NOW)
    assert message in err.value.fields["card_number"]


@pytest.mark.parametrize(
    ("expiry", "ok"),
    [
        ("11/26", True),  # this month (November 2026) is still valid
        ("12/26", True),
        ("01/27", True),
        ("11/2026", True),
        ("10/26", False),  # last month
        ("12/25", False),
        ("13/27", False),
        ("00/27", False),
        ("1127", False),
        ("", False),
        ("11/60", False),  # absurdly far ahead
    ],
)
def test_card_expiry(expiry, ok):
    form = card(card_expiry=expiry)
    if ok:
        assert validate_details("card", form, now=NOW).card_brand == "Visa"
    else:
        with pytest.raises(ValidationFailed) as err:
            validate_details("card", form, now=NOW)
        assert set(err.value.fields) == {"card_expiry"}


def test_expired_card_message():
    with pytest.raises(ValidationFailed) as err:
        validate_details("card", card(card_expiry="10/26"), now=NOW)
    assert err.value.fields["card_expiry"] == "This card has expired."


@pytest.mark.parametrize(
    ("number", "cvv", "ok"),
    [
        (VISA, "123", True),
        (VISA, "1234", False),
        (VISA, "12", False),
        (VISA, "12a", False),
        ("378282246310005", "1234", True),
        ("378282246310005", "123", False),
    ],
)
def test_card_cvv_length(number, cvv, ok):
    form = card(card_number=number, card_cvv=cvv)
    if ok:
        validate_details("card", form, now=NOW)
    else:
        with pytest.raises(ValidationFailed) as err:
            validate_details("card", form, now=NOW)
        assert set(err.value.fields) == {"card_cvv"}


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Asha Patel", True), ("  Li  ", True), ("A", False), ("R2D2", False), ("x" * 61, False)],
)
def test_card_name(name, ok):
    form = card(card_name=name)
    if ok:
        validate_details("card", form, now=NOW)
    else:
        with pytest.raises(ValidationFailed) as err:
            validate_details("card", form, now=NOW)
        assert set(err.value.fields) == {"card_name"}


def test_all_card_errors_reported_together():
    with pytest.raises(ValidationFailed) as err:
        validate_details("card", {}, now=NOW)
    assert set(err.value.fields) == {"card_number", "card_expiry", "card_cvv", "card_name"}


@pytest.mark.parametrize(
    ("vpa", "ok"),
    [
        ("asha@okaxis", True),
        ("Asha.Patel-1_2@OkHdfcBank", True),
        ("9845012345@ybl", True),
        ("a@okaxis", False),  # name too short
        ("asha@", False),
        ("@okaxis", False),
        ("asha", False),
        ("asha@1bank", False),  # handle must start with a letter
        ("asha@ok.axis", False),
        ("as ha@okaxis", False),
        ("", False),
    ],
)
def test_upi_vpa(vpa, ok):
    if ok:
        assert validate_details("upi", {"upi_vpa": vpa}, now=NOW).upi_vpa == vpa.strip().lower()
    else:
        with pytest.raises(ValidationFailed) as err:
            validate_details("upi", {"upi_vpa": vpa}, now=NOW)
        assert set(err.value.fields) == {"upi_vpa"}


def test_bank_and_wallet_lists():
    assert len(BANKS) == 12 and "IDFC FIRST Bank" in BANKS
    assert WALLETS == ("Paytm", "PhonePe", "Amazon Pay", "MobiKwik")
    assert UPI_APPS == ("PhonePe", "Google Pay", "Paytm", "BHIM")
    for bank in BANKS:
        assert validate_details("netbanking", {"bank": bank}, now=NOW).bank == bank
    for wallet in WALLETS:
        assert validate_details("wallet", {"wallet": wallet}, now=NOW).wallet == wallet
    with pytest.raises(ValidationFailed) as err:
        validate_details("netbanking", {"bank": "Bank of Nowhere"}, now=NOW)
    assert set(err.value.fields) == {"bank"}
    with pytest.raises(ValidationFailed) as err:
        validate_details("wallet", {"wallet": "Google Pay"}, now=NOW)
    assert set(err.value.fields) == {"wallet"}


def test_pay_at_clinic_and_unknown_method():
    assert validate_details("pay_at_clinic", {}, now=NOW) == PaymentDetails("pay_at_clinic")
    for method in ("", "cash", "bitcoin", None):
        with pytest.raises(ValidationFailed) as err:
            validate_details(method, {}, now=NOW)
        assert set(err.value.fields) == {"method"}
